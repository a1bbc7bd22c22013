"""The requests API: the whole flow, bad input (400 naming the field), refusals (403)."""

import pytest

from bilgiislem.servicedesk.choices import TicketState
from bilgiislem.servicedesk.models import Ticket, TicketEntry

API = "/api/servicedesk/tickets/"


@pytest.fixture
def desk(queues, internal_agreement):
    return queues


def _post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def _open(client_as):
    response = _post(
        client_as("yaziisleri"),
        API,
        {"title": "Yazıcı", "description": "Çıktı vermiyor.", "category": "hardware"},
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_open_assign_work_resolve_confirm(desk, client_as, people):
    created = _open(client_as)
    assert created["number"].startswith(str(created["created_at"][:4]))
    assert created["state"] == "new" and created["channel"] == "api"
    assert created["sla"]["status"] == "running"
    url = f"{API}{created['id']}/"
    sef = client_as("sef")
    assigned = _post(sef, url + "assign/", {"assignee": people["memur"].pk})
    assert assigned.status_code == 200 and assigned.json()["state"] == "assigned"
    memur = client_as("memur")
    detail = memur.get(url).json()
    assert {"start", "pause", "resolve", "time"} <= set(detail["actions"])
    assert _post(memur, url + "start/", {"minutes_spent": 5}).status_code == 200
    note = _post(memur, url + "messages/", {"text": "Toner siparişi", "internal": True})
    assert note.status_code == 201
    assert _post(memur, url + "time/", {"minutes_spent": 45}).status_code == 201
    resolved = _post(memur, url + "resolve/", {"resolution": "Toner değişti.", "minutes_spent": 20})
    assert resolved.json()["state"] == "resolved"
    booked = [e["minutes_spent"] for e in memur.get(url).json()["entries"] if e["minutes_spent"]]
    assert sorted(booked) == [5, 20, 45]  # the desk sees the time booked on state changes
    assert TicketEntry.objects.filter(ticket_id=created["id"], kind="event", minutes_spent=20)
    requester = client_as("yaziisleri")
    seen = requester.get(url).json()
    assert all(e["kind"] != "note" for e in seen["entries"])
    # The time booked is the desk's own bookkeeping: never shown to the requester.
    assert {e["kind"] for e in seen["entries"]} >= {"event"}
    assert all(e["minutes_spent"] is None for e in seen["entries"])
    assert "confirm" in seen["actions"]
    assert _post(requester, url + "confirm/").json()["state"] == "closed"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": "", "description": "x", "category": "hardware"}, "title"),
        ({"title": "x", "description": "x", "category": "coffee"}, "category"),
        ({"title": "x", "description": "   ", "category": "hardware"}, "description"),
        (
            {"title": "x", "description": "x", "category": "hardware", "requester_unit": 999999},
            "requester_unit",
        ),
    ],
)
def test_bad_input_is_400_naming_the_field(desk, client_as, data, field):
    response = _post(client_as("yaziisleri"), API, data)
    assert response.status_code == 400
    assert field in response.json()
    assert not Ticket.objects.exists()


@pytest.mark.parametrize("minutes", [-30, 0, 1441, 99999, "abc"])
def test_negative_or_absurd_time_is_400(desk, client_as, people, minutes):
    created = _open(client_as)
    url = f"{API}{created['id']}/"
    memur = client_as("memur")
    _post(memur, url + "take/")
    response = _post(memur, url + "time/", {"minutes_spent": minutes})
    assert response.status_code == 400
    assert "minutes_spent" in response.json()
    assert not TicketEntry.objects.filter(minutes_spent__gt=0).exists()


def test_resolving_a_request_one_is_not_assigned_to_is_403(desk, client_as, people):
    created = _open(client_as)
    url = f"{API}{created['id']}/"
    _post(client_as("sef"), url + "assign/", {"assignee": people["memur"].pk})
    response = _post(client_as("sef"), url + "resolve/", {"resolution": "Oldu."})
    assert response.status_code == 403
    assert "detail" in response.json()
    ticket = Ticket.objects.get(pk=created["id"])
    assert ticket.state == TicketState.ASSIGNED and ticket.resolution == ""


def test_assign_to_an_outsider_is_400(desk, client_as, people):
    created = _open(client_as)
    url = f"{API}{created['id']}/assign/"
    response = _post(client_as("sef"), url, {"assignee": people["yazilim"].pk})
    assert response.status_code == 400 and "assignee" in response.json()
    response = _post(client_as("sef"), url, {"assignee": 10**9})
    assert response.status_code == 400 and "assignee" in response.json()


def test_list_scopes(desk, client_as, people):
    created = _open(client_as)
    memur = client_as("memur")
    ids = lambda r: [row["id"] for row in r.json()["results"]]  # noqa: E731
    assert ids(memur.get(API + "?scope=unassigned")) == [created["id"]]
    assert ids(memur.get(API + "?scope=assigned")) == []
    assert ids(client_as("yaziisleri").get(API + "?scope=mine")) == [created["id"]]
    assert ids(memur.get(API + "?state=closed")) == []


def test_on_behalf_through_the_api(desk, client_as, people):
    response = _post(
        client_as("memur"),
        API,
        {
            "title": "Telefon",
            "description": "Hat yok.",
            "category": "telephone",
            "channel": "phone",
            "requester": people["yaziisleri"].pk,
        },
    )
    assert response.status_code == 201
    assert response.json()["requester"] == str(people["yaziisleri"])
    refused = _post(
        client_as("yaziisleri"),
        API,
        {"title": "x", "description": "x", "category": "other", "requester": people["by2"].pk},
    )
    assert refused.status_code == 403


def test_files_through_the_api_internal_ones_for_the_desk_only(desk, client_as, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    created = _open(client_as)
    url = f"{API}{created['id']}/"
    memur = client_as("memur")
    response = memur.post(
        url + "messages/",
        {"text": "Fatura", "internal": "true", "attachments": SimpleUploadedFile("f.pdf", pdf)},
    )
    assert response.status_code == 201
    file_id = response.json()["attachments"][0]["id"]
    download = memur.get(f"{url}attachments/{file_id}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == pdf
    requester = client_as("yaziisleri")
    assert requester.get(url).json()["attachments"] == []
    assert requester.get(f"{url}attachments/{file_id}/").status_code == 404
