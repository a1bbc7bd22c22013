"""The Chief's and Director's dashboard: who sees it, what it counts, its charts and CSV."""

import csv
import datetime
import io

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from bilgiislem.organization.models import Person

from ..charts import Bar, Series, bar_chart, line_chart
from ..choices import Category, TicketState
from ..models import DailyQueueStat, PartnerMember, PartnerOrganization, ServiceAgreement
from ..selectors.dashboard import (
    dashboard_get,
    month_start,
    open_figures,
    sla_compliance,
)
from ._reports import at, ensure_queues, make_ticket

URL = reverse("servicedesk:dashboard")
NOW = timezone.now()
TODAY = timezone.localdate(NOW)


@pytest.fixture
def queues(units):
    return ensure_queues(units)


@pytest.fixture
def agreement(people):
    return ServiceAgreement.objects.create(
        is_internal_default=True,
        title="Belediye birimleri",
        valid_from=datetime.date(2020, 1, 1),
        created_by=people["mudur"],
    )


def ago(days: float, hours: float = 0):
    return NOW - datetime.timedelta(days=days, hours=hours)


@pytest.fixture
def open_tickets(queues, people):
    """Seven open requests and four that do not count as open."""
    td, sistem, yaz = (
        queues["bilgi-islem-teknik-destek"],
        queues["bilgi-islem-sistem"],
        queues["bilgi-islem-yazilim"],
    )
    memur, yazilim = people["memur"], people["yazilim"]
    make_ticket(td, created_at=ago(0, 2), state=TicketState.NEW)
    make_ticket(td, created_at=ago(3), state=TicketState.ASSIGNED, assignee=memur)
    make_ticket(
        td,
        created_at=ago(10),
        state=TicketState.WAITING_PART,
        assignee=memur,
        resolution_breached=True,
    )
    make_ticket(
        td, created_at=ago(40), state=TicketState.IN_PROGRESS, assignee=memur, category="network"
    )
    make_ticket(sistem, created_at=ago(100), state=TicketState.NEW, category="accounts")
    make_ticket(
        yaz,
        created_at=ago(5),
        state=TicketState.IN_PROGRESS,
        assignee=yazilim,
        category="software",
        resolution_breached=True,
    )
    make_ticket(yaz, created_at=ago(1, 1), state=TicketState.NEW, needs_acceptance=True)
    # Not open:
    make_ticket(td, created_at=ago(2), state=TicketState.RESOLVED, resolved_at=ago(1))
    make_ticket(td, created_at=ago(2), state=TicketState.CLOSED, closed_at=ago(1))
    make_ticket(td, created_at=ago(2), state=TicketState.UNCONFIRMED)
    make_ticket(td, created_at=ago(2), state=TicketState.CANCELLED)


# --- who sees it ----------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["mudur", "sef", "baskan", "baskan.yardimcisi"])
def test_the_desk_heads_and_those_above_see_it(client_as, queues, username):
    response = client_as(username).get(URL)
    assert response.status_code == 200
    assert "servicedesk/dashboard/dashboard.html" in [t.name for t in response.templates]


@pytest.mark.parametrize("username", ["memur", "yazilim", "kalem", "by2", "yaziisleri.mudur"])
def test_everyone_else_gets_404(client_as, queues, username):
    assert client_as(username).get(URL).status_code == 404
    assert client_as(username).get(URL + "?export=open").status_code == 404


def test_a_partner_account_gets_404(client, queues):
    org = PartnerOrganization.objects.create(name="Karasu Lisesi", kind="school")
    person = Person.objects.create(username="lise", first_name="Lise", last_name="Müdürü")
    PartnerMember.objects.create(organization=org, person=person)
    client.force_login(person)
    assert client.get(URL).status_code == 404


def test_anonymous_is_sent_to_log_in(client, queues):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# --- what it counts --------------------------------------------------------------------------


def test_open_figures_by_queue_person_category_and_age(open_tickets, queues):
    figures = open_figures(now=NOW)
    assert (figures.total, figures.breached, figures.unassigned, figures.needs_acceptance) == (
        7,
        2,
        3,
        1,
    )
    by_queue = {r.label: (r.count, r.breached) for r in figures.by_queue}
    assert by_queue == {"Teknik Destek": (4, 1), "Yazılım": (2, 1), "Sistem": (1, 0)}
    assert [r.label for r in figures.by_queue] == ["Teknik Destek", "Yazılım", "Sistem"]
    by_person = {r.label: r.count for r in figures.by_person}
    assert by_person == {"Ali Çelik": 3, gettext("Not assigned"): 3, "İsmail Işık": 1}
    by_category = {r.key: r.count for r in figures.by_category}
    assert by_category == {"hardware": 4, "network": 1, "accounts": 1, "software": 1}
    assert {r.key: r.label for r in figures.by_category}["accounts"] == str(Category.ACCOUNTS.label)
    # Under a day: 1, 1–7 days: 3 (one 25 hours old), 7–30: 1, 30–90: 1, over 90: 1.
    assert [r.count for r in figures.by_age] == [1, 3, 1, 1, 1]
    assert [r.breached for r in figures.by_age] == [0, 1, 1, 0, 0]


def test_one_queue_narrows_the_figures(open_tickets, queues):
    figures = open_figures(queue_id=queues["bilgi-islem-yazilim"].pk, now=NOW)
    assert figures.total == 2
    assert [r.label for r in figures.by_queue] == ["Yazılım"]


def test_sla_compliance_per_agreement_per_month(queues, agreement, people):
    td = queues["bilgi-islem-teknik-destek"]
    this_month = month_start(TODAY)
    last_month = month_start(TODAY, 1)
    partner = PartnerOrganization.objects.create(name="Tapu Müdürlüğü", kind="tapu")
    tapu = ServiceAgreement.objects.create(
        organization=partner,
        title="Tapu protokolü",
        valid_from=datetime.date(2020, 1, 1),
        created_by=people["mudur"],
    )
    start = at(last_month, 9)
    common = {"agreement": agreement, "created_at": start}
    make_ticket(
        td,
        state=TicketState.CLOSED,
        first_response_at=start,
        resolved_at=start,
        **common,
    )
    make_ticket(td, state=TicketState.RESOLVED, resolved_at=start, **common)
    make_ticket(
        td,
        state=TicketState.CLOSED,
        resolution_breached=True,
        response_breached=True,
        resolved_at=start,
        **common,
    )
    make_ticket(td, state=TicketState.IN_PROGRESS, **common)  # still running
    make_ticket(td, state=TicketState.CANCELLED, **common)  # not counted
    make_ticket(td, state=TicketState.NEW, created_at=at(this_month, 8), agreement=tapu)
    make_ticket(td, state=TicketState.NEW, created_at=at(this_month, 8), resolution_breached=True)
    # Twelve months before this one: outside the window.
    old = at(month_start(TODAY, 12))
    make_ticket(td, state=TicketState.CLOSED, created_at=old, agreement=agreement)

    months, rows = sla_compliance(today=TODAY)

    assert len(months) == 12 and months[-1] == this_month and months[-2] == last_month
    by_title = {r.title: r for r in rows}
    without = gettext("Without an agreement")
    assert list(by_title) == ["Belediye birimleri", "Tapu protokolü", without]
    last = by_title["Belediye birimleri"].months[-2]
    assert (last.total, last.met, last.missed, last.running) == (4, 2, 1, 1)
    assert last.compliance == pytest.approx(66.7)
    assert (last.response_met, last.response_missed) == (1, 1)
    assert last.response_compliance == 50.0
    assert by_title["Belediye birimleri"].months[-1].compliance is None
    assert by_title["Belediye birimleri"].total.total == 4
    assert by_title["Tapu protokolü"].months[-1].running == 1
    assert by_title[without].months[-1].missed == 1


def test_past_months_are_counted_once_a_day_this_month_live(queues, agreement):
    td = queues["bilgi-islem-teknik-destek"]
    last_month, this_month = month_start(TODAY, 1), month_start(TODAY)
    make_ticket(td, state=TicketState.CLOSED, created_at=at(last_month), agreement=agreement)
    sla_compliance(today=TODAY)
    make_ticket(td, state=TicketState.CLOSED, created_at=at(last_month), agreement=agreement)
    make_ticket(td, state=TicketState.CLOSED, created_at=at(this_month), agreement=agreement)

    (line,) = sla_compliance(today=TODAY)[1]
    assert (line.months[-2].met, line.months[-1].met) == (1, 1)  # last month from the cache

    cache.clear()  # what midnight does
    (line,) = sla_compliance(today=TODAY)[1]
    assert (line.months[-2].met, line.months[-1].met) == (2, 1)


def test_menu_links_for_those_who_see_the_dashboard(client_as, queues):
    assert URL in client_as("sef").get(reverse("accounts:home")).content.decode()
    assert URL not in client_as("memur").get(reverse("accounts:home")).content.decode()


def test_trend_reads_the_daily_figures_and_today_is_live(open_tickets, queues, people):
    td, sistem = queues["bilgi-islem-teknik-destek"], queues["bilgi-islem-sistem"]
    yesterday = TODAY - datetime.timedelta(days=1)
    DailyQueueStat.objects.create(queue=td, date=yesterday, opened=4, resolved=2, open_at_end=9)
    DailyQueueStat.objects.create(queue=sistem, date=yesterday, opened=1, open_at_end=3)
    DailyQueueStat.objects.create(queue=td, date=TODAY, opened=2, open_at_end=0)
    old = TODAY - datetime.timedelta(days=400)
    DailyQueueStat.objects.create(queue=td, date=old, opened=50, open_at_end=50)

    data = dashboard_get(people["mudur"], now=NOW)

    assert len(data.trend) == 90 and data.trend[-1].date == TODAY
    assert (data.trend[-2].opened, data.trend[-2].resolved, data.trend[-2].open_at_end) == (
        5,
        2,
        12,
    )
    assert data.trend[-1].open_at_end == 7  # live, not the row's 0
    assert data.trend[0].open_at_end is None  # no figures that day
    assert data.monthly[-1].date == month_start(TODAY)
    assert sum(f.opened for f in data.monthly) == 7  # the 400-day-old row is outside


# --- the page, its charts and CSV ------------------------------------------------------------


def test_page_shows_figures_and_accessible_charts(client_as, open_tickets):
    response = client_as("mudur").get(URL)
    html = response.content.decode()
    assert html.count('role="img"') == 7
    for chart in ("chart-queue", "chart-person", "chart-category", "chart-age", "chart-backlog"):
        assert f'aria-labelledby="{chart}-title {chart}-desc"' in html
        assert f'<title id="{chart}-title">' in html
    # Values are written as text, not only drawn.
    assert ">Teknik Destek</text>" in html
    assert "Ali Çelik" in html
    assert response.context["data"].open.total == 7


def test_page_narrowed_to_a_queue(client_as, open_tickets, queues):
    queue = queues["bilgi-islem-sistem"]
    response = client_as("sef").get(URL, {"queue": queue.pk})
    assert response.status_code == 200
    assert response.context["data"].open.total == 1
    assert f"queue={queue.pk}&amp;export=open" in response.content.decode()


@pytest.mark.parametrize("value", ["999999", "abc"])
def test_unknown_queue_is_404(client_as, queues, value):
    assert client_as("mudur").get(URL, {"queue": value}).status_code == 404


def _csv(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_csv_exports(client_as, open_tickets, agreement, queues):
    client = client_as("mudur")
    rows = _csv(client.get(URL, {"export": "open"}))
    assert ["Unit", "Teknik Destek", "4", "1"] in rows or [
        "Birim",
        "Teknik Destek",
        "4",
        "1",
    ] in rows
    assert len(rows) == 1 + 3 + 3 + 4 + 5
    make_ticket(
        queues["bilgi-islem-sistem"],
        created_at=at(TODAY, 0, 5),
        state=TicketState.CLOSED,
        agreement=agreement,
    )
    sla = _csv(client.get(URL, {"export": "sla"}))
    mine = [r for r in sla if r[0] == "Belediye birimleri"]
    assert len(mine) == 12
    assert mine[-1][1] == TODAY.strftime("%Y-%m") and mine[-1][2:5] == ["1", "1", "0"]
    trend = _csv(client.get(URL, {"export": "trend"}))
    assert len(trend) == 91 and trend[-1][0] == TODAY.strftime("%d.%m.%Y")
    assert trend[-1][-1] == "7"
    monthly = _csv(client.get(URL, {"export": "monthly"}))
    assert len(monthly) == 13


def test_unknown_export_is_404(client_as, queues):
    assert client_as("mudur").get(URL, {"export": "everything"}).status_code == 404


def test_query_count_does_not_grow_with_requests(
    client_as, open_tickets, queues, django_assert_max_num_queries
):
    client = client_as("mudur")
    client.get(URL)  # warm the per-process caches of the menu
    with django_assert_max_num_queries(25) as first:
        client.get(URL)
    for i in range(30):
        make_ticket(
            queues["bilgi-islem-sistem"],
            created_at=ago(i % 7),
            assignee=Person.objects.get(username="kalem"),
        )
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(URL)


# --- the charts themselves -------------------------------------------------------------------


def test_bar_chart_escapes_labels_and_writes_values():
    svg = bar_chart(
        chart_id="c1",
        title="Başlık <b>",
        desc="Açıklama & more",
        bars=[Bar("<script>alert(1)</script>", 1452, 3), Bar("İkinci", 0)],
        part_label="past target",
    )
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert '<title id="c1-title">Başlık &lt;b&gt;</title>' in svg
    assert "Açıklama &amp; more" in svg
    assert "(past target: 3)" in svg
    assert svg.count("<rect") == 3  # two bars and one part


def test_line_chart_breaks_at_missing_values_and_labels_the_last():
    svg = line_chart(
        chart_id="c2",
        title="Backlog",
        desc="Open per day",
        labels=["01.03", "02.03", "03.03", "04.03", "05.03"],
        series=[Series("Open", [5, 7, None, 4, 9]), Series("Other", [None, None, None, None, 2])],
    )
    assert svg.count("<polyline") == 2
    assert svg.count("<circle") == 1  # a lone point
    assert ">9</text>" in svg and ">2</text>" in svg
    assert 'stroke-dasharray="6 4"' in svg  # the second series differs by pattern too
    empty = line_chart(chart_id="c3", title="t", desc="d", labels=[], series=[])
    assert empty.startswith("<svg") and empty.endswith("</svg>")
