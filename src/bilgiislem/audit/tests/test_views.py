import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from bilgiislem.audit.models import AuditEvent
from bilgiislem.audit.services import audit_record
from bilgiislem.core import context

LIST = "/denetim/"
EXPORT = "/denetim/disa-aktar/"


def _event(actor=None, action="test.thing.done", reason="", object_repr="", request_id=""):
    token = context.bind(context.RequestContext(request_id=request_id, ip_address="10.0.0.7"))
    try:
        with transaction.atomic():
            return audit_record(
                actor=actor,
                action=action,
                reason=reason,
                object_repr=object_repr,
                changes={"status": ["pending", "approved"], "n": 1},
            )
    finally:
        context.reset(token)


def _listed(response):
    return [event for event, _changes in response.context["rows"]]


# --- who may read it -----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["mudur", "baskan"])
def test_readers_see_the_trail(client_as, username):
    assert client_as(username).get(LIST).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["memur", "yaziisleri", "sef", "yaziisleri.mudur"])
def test_others_get_404_and_nothing_is_recorded(client_as, username):
    client = client_as(username)
    before = AuditEvent.objects.count()
    assert client.get(LIST).status_code == 404
    assert client.get(EXPORT).status_code == 404
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    for url in (LIST, EXPORT):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/hesap/giris/")


# --- filters -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_filters_by_action_prefix_person_text_and_request(client_as, people):
    mine = _event(people["memur"], "organization.acting.created", reason="ŞAHİN izinde")
    other = _event(
        people["sef"],
        "organization.delegation.created",
        object_repr="Işık Birimi",
        request_id="req-42",
    )
    client = client_as("mudur")

    listed = _listed(client.get(LIST, {"action": "organization.acting"}))
    assert mine in listed and other not in listed

    listed = _listed(client.get(LIST, {"person": people["sef"].pk}))
    assert other in listed and mine not in listed

    # Turkish folding: plain ASCII finds dotted/cedilla letters, either case.
    for text in ("sahin", "Şahin İZİNDE", "ŞAHIN"):
        listed = _listed(client.get(LIST, {"q": text}))
        assert mine in listed and other not in listed, text
    assert other in _listed(client.get(LIST, {"q": "isik"}))

    listed = _listed(client.get(LIST, {"request_id": "req-42"}))
    assert listed == [other]


@pytest.mark.django_db
def test_filters_by_date_in_turkish_format(client_as):
    event = _event(action="test.date.check")
    today = timezone.localdate()
    client = client_as("mudur")
    fmt = "%d.%m.%Y"
    listed = _listed(
        client.get(LIST, {"date_from": today.strftime(fmt), "date_to": today.strftime(fmt)})
    )
    assert event in listed
    tomorrow = (today + datetime.timedelta(days=1)).strftime(fmt)
    assert event not in _listed(client.get(LIST, {"date_from": tomorrow}))


@pytest.mark.django_db
def test_bad_date_is_named_not_a_500(client_as):
    response = client_as("mudur").get(LIST, {"date_from": "31.02.2025"})
    assert response.status_code == 200
    assert response.context["filter"].form.errors["date_from"]
    assert b"form-errors" in response.content


@pytest.mark.django_db
def test_sorted_newest_first_and_reversible(client_as):
    first, second = _event(action="test.order.a"), _event(action="test.order.b")
    client = client_as("mudur")
    listed = _listed(client.get(LIST, {"action": "test.order"}))
    assert listed == [second, first]
    listed = _listed(client.get(LIST, {"action": "test.order", "sort": "time"}))
    assert listed == [first, second]


@pytest.mark.django_db
def test_pages_of_fifty_keep_the_filter(client_as, people):
    for i in range(55):
        _event(people["memur"], "test.page.row", reason=f"row {i}")
    response = client_as("mudur").get(LIST, {"action": "test.page"})
    assert len(response.context["rows"]) == 50
    assert "action=test.page&amp;page=2" in response.content.decode()
    second = client_as("mudur").get(LIST, {"action": "test.page", "page": 2})
    assert len(second.context["rows"]) == 5


@pytest.mark.django_db
def test_list_query_count_is_bounded(client_as, people, django_assert_max_num_queries):
    for username in ("memur", "sef", "kalem", "arsiv", "yazilim"):
        for _ in range(12):
            _event(people[username], "test.many.rows", object_repr=username)
    client = client_as("mudur")
    client.get(LIST)  # warm-up: session, content types
    # About 15 today (session, person, posts for the menu and access, count, page, the filter
    # form's people and object types); the bound catches a query per row among 50 rows.
    with django_assert_max_num_queries(20):
        response = client.get(LIST)
    assert len(response.context["rows"]) == 50


# --- export --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_export_is_excel_friendly_csv_and_is_recorded(client_as, people):
    _event(people["memur"], "test.export.row", reason='=HYPERLINK("x")', object_repr="Kalem")
    _event(people["memur"], "test.other", reason="not wanted")
    response = client_as("mudur").get(EXPORT, {"action": "test.export"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    lines = body.lstrip("\ufeff").splitlines()
    assert len(lines) == 2  # header + the one matching event
    cells = lines[1].split(";")
    assert datetime.datetime.strptime(cells[0], "%d.%m.%Y %H:%M")
    assert "memur" in cells[1]
    assert "test.export.row" in lines[1]
    assert "'=HYPERLINK" in lines[1]  # a formula is not run by the spreadsheet
    assert "not wanted" not in body

    recorded = AuditEvent.objects.latest("seq")
    assert recorded.action == "audit.export.created"
    assert recorded.actor_id == people["mudur"].pk
    assert recorded.changes == {"filters": {"action": "test.export"}, "count": 1}


@pytest.mark.django_db
def test_export_with_a_bad_filter_goes_back_to_the_list(client_as):
    before = AuditEvent.objects.count()
    response = client_as("mudur").get(EXPORT, {"date_from": "yesterday"})
    assert response.status_code == 302
    assert response.url.startswith(LIST)
    assert AuditEvent.objects.count() == before
