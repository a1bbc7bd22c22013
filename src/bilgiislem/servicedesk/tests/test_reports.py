"""The monthly report per partner organisation: who reads it, what it counts, its PDF."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from bilgiislem.core.pdftext import extract_text
from bilgiislem.organization.models import Person

from ..choices import TicketState
from ..models import PartnerMember, PartnerOrganization, ServiceAgreement
from ..selectors.dashboard import month_start
from ..selectors.reports import parse_month, partner_report
from ._reports import at, ensure_queues, make_ticket

TODAY = timezone.localdate()
MONTH = month_start(TODAY, 2)  # a whole month in the past
NEXT = month_start(TODAY, 1)
SLUG = MONTH.strftime("%Y-%m")


@pytest.fixture
def queues(units):
    return ensure_queues(units)


@pytest.fixture
def school(people):
    org = PartnerOrganization.objects.create(name="Karasu Anadolu Lisesi", kind="school")
    ServiceAgreement.objects.create(
        organization=org,
        title="Lise destek protokolü",
        valid_from=datetime.date(2020, 1, 1),
        valid_until=MONTH + datetime.timedelta(days=10),
        created_by=people["mudur"],
    )
    ServiceAgreement.objects.create(  # ended before the month: not listed
        organization=org,
        title="Eski protokol",
        valid_from=datetime.date(2018, 1, 1),
        valid_until=datetime.date(2019, 12, 31),
        created_by=people["mudur"],
    )
    return org


@pytest.fixture
def month_tickets(queues, school):
    td = queues["bilgi-islem-teknik-destek"]
    other = PartnerOrganization.objects.create(name="Merkez Muhtarlığı", kind="muhtarlik")
    day = MONTH + datetime.timedelta(days=4)
    make_ticket(  # met, closed in the month with a rating
        td,
        organization=school,
        created_at=at(day, 9),
        state=TicketState.CLOSED,
        first_response_at=at(day, 9, 30),
        resolved_at=at(day, 13),
        closed_at=at(day + datetime.timedelta(days=3), 9),
        satisfaction=5,
        category="network",
    )
    make_ticket(  # missed, resolved in the month
        td,
        organization=school,
        created_at=at(day, 10),
        state=TicketState.RESOLVED,
        resolved_at=at(day, 20),
        resolution_breached=True,
        response_breached=True,
        priority="high",
    )
    make_ticket(  # still open at the end of the month, resolved next month
        td,
        organization=school,
        created_at=at(day, 11),
        state=TicketState.CLOSED,
        resolved_at=at(NEXT, 10),
        closed_at=at(NEXT, 12),
        satisfaction=1,
    )
    make_ticket(td, organization=school, created_at=at(day, 12), state=TicketState.CANCELLED)
    make_ticket(td, organization=school, created_at=at(day, 12), state=TicketState.UNCONFIRMED)
    make_ticket(td, organization=school, created_at=at(day, 13), state=TicketState.IN_PROGRESS)
    # Opened the month before, still open: counts at the end of the month only.
    make_ticket(
        td,
        organization=school,
        created_at=at(month_start(TODAY, 3), 9),
        state=TicketState.WAITING_VENDOR,
    )
    make_ticket(td, organization=other, created_at=at(day, 9), state=TicketState.NEW)


def url(org_id, slug=SLUG, pdf=False):
    name = "servicedesk:report-pdf" if pdf else "servicedesk:report"
    return reverse(name, kwargs={"organization": org_id, "month": slug})


def test_report_figures(people, month_tickets, school):
    report = partner_report(people["mudur"], school.pk, MONTH)
    assert report.month_end == NEXT - datetime.timedelta(days=1)
    assert [a.title for a in report.agreements] == ["Lise destek protokolü"]
    assert (report.opened, report.resolved, report.closed, report.cancelled) == (5, 2, 1, 1)
    # In progress, resolved next month, and the one from the month before.
    assert report.open_at_end == 3
    # How the month's requests stand now: the one resolved next month met its target too.
    assert (report.sla.total, report.sla.met, report.sla.missed, report.sla.running) == (
        4,
        2,
        1,
        1,
    )
    assert report.sla.compliance == pytest.approx(66.7)
    assert (report.sla.response_met, report.sla.response_missed) == (1, 1)
    assert {line.key: line.count for line in report.by_category} == {"hardware": 4, "network": 1}
    assert {line.key: line.count for line in report.by_priority} == {"normal": 4, "high": 1}
    assert report.median_resolution_hours == 7.0  # 4 h and 10 h
    assert (report.satisfaction, report.satisfaction_count) == (5.0, 1)
    met, missed, running = gettext("met"), gettext("missed"), gettext("running")
    assert [t.target_label for t in report.tickets] == [met, missed, met, "—", running]
    assert all(t.organization_id == school.pk for t in report.tickets)
    assert not report.truncated


def test_report_page(client_as, month_tickets, school):
    response = client_as("sef").get(url(school.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Karasu Anadolu Lisesi" in html
    assert 'aria-labelledby="chart-report-category-title chart-report-category-desc"' in html
    assert "Merkez Muhtarlığı" not in html
    assert url(school.pk, pdf=True) in html


def test_report_pdf(client_as, month_tickets, school):
    response = client_as("mudur").get(url(school.pk, pdf=True))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    text = extract_text(response.content)
    assert "Karasu Anadolu Lisesi" in text
    assert "Lise destek protokolü" in text


def test_index_lists_organisations_and_redirects_a_choice(client_as, school):
    client = client_as("baskan")
    response = client.get(reverse("servicedesk:reports"))
    assert response.status_code == 200
    assert "Karasu Anadolu Lisesi" in response.content.decode()
    chosen = client.get(reverse("servicedesk:reports"), {"organization": school.pk, "month": SLUG})
    assert chosen.status_code == 302 and chosen["Location"] == url(school.pk)
    # A malformed choice shows the page again instead of failing.
    bad = client.get(reverse("servicedesk:reports"), {"organization": "x", "month": "2025-3"})
    assert bad.status_code == 200


@pytest.mark.parametrize("username", ["memur", "yazilim", "by2", "yaziisleri.mudur"])
def test_others_get_404(client_as, school, username):
    client = client_as(username)
    assert client.get(reverse("servicedesk:reports")).status_code == 404
    assert client.get(url(school.pk)).status_code == 404
    assert client.get(url(school.pk, pdf=True)).status_code == 404


def test_the_organisations_own_members_get_404(client, school):
    person = Person.objects.create(username="lise.mudur", first_name="Lise", last_name="Müdürü")
    PartnerMember.objects.create(organization=school, person=person)
    client.force_login(person)
    assert client.get(url(school.pk)).status_code == 404
    assert client.get(url(school.pk, pdf=True)).status_code == 404


@pytest.mark.parametrize("slug", ["2025-13", "1999-01", "2025-1", "abcd-ef"])
def test_malformed_month_is_404(client_as, school, slug):
    assert client_as("mudur").get(url(school.pk, slug)).status_code == 404


def test_future_month_and_unknown_organisation_are_404(client_as, school):
    client = client_as("mudur")
    future = month_start(TODAY, -1).strftime("%Y-%m")
    assert client.get(url(school.pk, future)).status_code == 404
    assert client.get(url(999999)).status_code == 404
    # The current month is allowed (a report so far).
    assert client.get(url(school.pk, TODAY.strftime("%Y-%m"))).status_code == 200


def test_parse_month():
    assert parse_month("2024-02", datetime.date(2025, 1, 1)) == datetime.date(2024, 2, 1)
