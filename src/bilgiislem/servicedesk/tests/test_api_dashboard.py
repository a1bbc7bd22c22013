"""API of the dashboard and the monthly partner reports: same readers as the pages (404 for
everyone else), bad filters answer 400 naming the field."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from ..choices import TicketState
from ..models import DailyQueueStat, PartnerOrganization
from ..selectors.dashboard import month_start
from ._reports import at, ensure_queues, make_ticket

DASHBOARD = "/api/servicedesk/dashboard/"
REPORTS = "/api/servicedesk/reports/"
TODAY = timezone.localdate()
SLUG = month_start(TODAY, 1).strftime("%Y-%m")


@pytest.fixture
def queues(units):
    return ensure_queues(units)


@pytest.fixture
def api(people):
    def _as(username):
        client = APIClient()
        client.force_authenticate(people[username])
        return client

    return _as


@pytest.fixture
def school(queues):
    org = PartnerOrganization.objects.create(name="Karasu Anadolu Lisesi", kind="school")
    make_ticket(
        queues["bilgi-islem-teknik-destek"],
        organization=org,
        created_at=at(month_start(TODAY, 1) + datetime.timedelta(days=2)),
        state=TicketState.NEW,
    )
    return org


def test_dashboard_figures(api, queues, people):
    td = queues["bilgi-islem-teknik-destek"]
    make_ticket(td, created_at=timezone.now(), state=TicketState.NEW, resolution_breached=True)
    make_ticket(td, created_at=timezone.now(), state=TicketState.ASSIGNED, assignee=people["memur"])
    DailyQueueStat.objects.create(queue=td, date=TODAY, opened=2)
    response = api("mudur").get(DASHBOARD)
    assert response.status_code == 200
    data = response.json()
    assert data["today"] == TODAY.isoformat() and data["queue"] is None
    assert (data["open"]["total"], data["open"]["breached"], data["open"]["unassigned"]) == (
        2,
        1,
        1,
    )
    assert {"key": str(td.pk), "label": "Teknik Destek", "count": 2, "breached": 1} in data["open"][
        "by_queue"
    ]
    assert {r["key"] for r in data["open"]["by_person"]} == {None, str(people["memur"].pk)}
    assert len(data["open"]["by_age"]) == 5
    assert len(data["trend"]) == 90 and data["trend"][-1]["opened"] == 2
    assert data["trend"][-1]["open_at_end"] == 2
    assert len(data["monthly"]) == 12


def test_dashboard_narrowed_to_a_queue(api, queues):
    sistem = queues["bilgi-islem-sistem"]
    make_ticket(queues["bilgi-islem-teknik-destek"], created_at=timezone.now())
    response = api("sef").get(DASHBOARD, {"queue": sistem.pk})
    assert response.status_code == 200
    assert response.json()["queue"] == sistem.pk
    assert response.json()["open"]["total"] == 0


def test_bad_queue_is_400_naming_it_and_unknown_is_404(api, queues):
    bad = api("mudur").get(DASHBOARD, {"queue": "abc"})
    assert bad.status_code == 400
    assert "queue" in bad.json()
    assert api("mudur").get(DASHBOARD, {"queue": 0}).status_code == 400
    assert api("mudur").get(DASHBOARD, {"queue": 999999}).status_code == 404


@pytest.mark.parametrize("username", ["memur", "yazilim", "by2", "yaziisleri"])
def test_others_get_404(api, school, username):
    client = api(username)
    assert client.get(DASHBOARD).status_code == 404
    assert client.get(REPORTS).status_code == 404
    assert client.get(f"{REPORTS}{school.pk}/{SLUG}/").status_code == 404
    assert client.get(f"{REPORTS}{school.pk}/{SLUG}/pdf/").status_code == 404


def test_anonymous_is_refused(school):
    client = APIClient()
    assert client.get(DASHBOARD).status_code in (401, 403)
    assert client.get(f"{REPORTS}{school.pk}/{SLUG}/").status_code in (401, 403)


def test_report_json_and_pdf(api, school):
    client = api("baskan.yardimcisi")
    listing = client.get(REPORTS)
    assert listing.status_code == 200
    assert {"id": school.pk, "name": school.name, "kind": "school", "active": True} in (
        listing.json()
    )
    report = client.get(f"{REPORTS}{school.pk}/{SLUG}/")
    assert report.status_code == 200
    body = report.json()
    assert body["organization"]["id"] == school.pk and body["month"] == f"{SLUG}-01"
    assert body["opened"] == 1 and body["open_at_end"] == 1
    assert body["tickets"][0]["state"] == "new"
    assert body["sla"]["running"] == 1 and body["sla"]["compliance"] is None
    pdf = client.get(f"{REPORTS}{school.pk}/{SLUG}/pdf/")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_report_bad_month_and_organisation_are_404(api, school):
    client = api("mudur")
    assert client.get(f"{REPORTS}{school.pk}/2025-13/").status_code == 404
    assert client.get(f"{REPORTS}999999/{SLUG}/").status_code == 404
