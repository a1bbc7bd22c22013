"""Vendor contracts and repairs by a vendor (issue 6 point 4; RYY art. 6(ğ)): the clock
pauses while the vendor works only when the contract says so.

The request: normal priority (240 / 1620 working minutes), opened Monday 2 March 2026 09:00,
assigned to ``memur`` (Teknik Destek) and in progress.
"""

import datetime as dt

import pytest
from django.utils import timezone

from bilgiislem.audit.models import AuditEvent
from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.servicedesk import sla
from bilgiislem.servicedesk.models import Ticket, TicketEntry, VendorContract, VendorHandoff
from bilgiislem.servicedesk.services import sla as clock
from bilgiislem.servicedesk.services import vendors as services

from .conftest import tr

API = "/api/servicedesk"
TZ = timezone.get_default_timezone()
OPENED = dt.datetime(2026, 3, 2, 9, 0, tzinfo=TZ)


def at(day, hour, minute=0):
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=TZ)


@pytest.fixture
def contracts(db):
    pausing = VendorContract.objects.create(
        vendor="Yazıcı Servis Ltd.",
        number="2026/04",
        subject="Yazıcı bakım onarım",
        valid_from=dt.date(2026, 1, 1),
        valid_until=dt.date(2026, 12, 31),
        pauses_sla=True,
    )
    running = VendorContract.objects.create(
        vendor="Ağ Sistemleri A.Ş.",
        number="AG-7",
        subject="Kenar anahtar garantisi",
        valid_from=dt.date(2025, 1, 1),
        pauses_sla=False,
    )
    ended = VendorContract.objects.create(
        vendor="Eski Firma",
        number="2024/1",
        subject="UPS bakım",
        valid_from=dt.date(2024, 1, 1),
        valid_until=dt.date(2025, 12, 31),
    )
    return {"pausing": pausing, "running": running, "ended": ended}


@pytest.fixture
def working(internal_agreement, ticket_factory, people, time_machine):
    time_machine.move_to(OPENED, tick=False)
    ticket = ticket_factory(created_at=OPENED, state="in_progress", assignee=people["memur"])
    clock.sla_start(ticket, OPENED)
    ticket.save()
    return ticket


def test_pausing_contract_stops_and_restarts_the_clock(working, contracts, people, time_machine):
    due = working.resolution_due_at
    time_machine.move_to(at(2, 11), tick=False)
    handoff = services.ticket_hand_to_vendor(
        actor=people["memur"],
        ticket=working,
        contract=contracts["pausing"],
        vendor_reference="YS-5531",
        note="Isıtıcı ünitesi arızalı.",
    )
    working.refresh_from_db()
    assert working.state == "waiting_vendor" and working.paused_since == at(2, 11)
    assert handoff.sent_by == people["memur"] and handoff.vendor_reference == "YS-5531"
    # Back on Wednesday 10:00: Monday 390 + Tuesday 540 + Wednesday 90 working minutes.
    time_machine.move_to(at(4, 10), tick=False)
    services.ticket_vendor_returned(actor=people["memur"], ticket=working, note="Ünite değişti.")
    working.refresh_from_db()
    handoff.refresh_from_db()
    assert handoff.returned_at == at(4, 10) and "Ünite değişti." in handoff.note
    assert working.state == "in_progress" and working.paused_since is None
    assert working.paused_minutes == 1020
    assert working.resolution_due_at == sla.add_working_minutes(due, 1020)
    actions = set(
        AuditEvent.objects.filter(object_id=str(working.pk)).values_list("action", flat=True)
    )
    assert {"servicedesk.ticket.handed_to_vendor", "servicedesk.ticket.vendor_returned"} <= actions
    texts = list(TicketEntry.objects.filter(ticket=working).values_list("text", flat=True))
    assert any("YS-5531" in t for t in texts) and any("Ünite değişti." in t for t in texts)


def test_running_contract_keeps_the_clock_going(working, contracts, people, time_machine):
    due = working.resolution_due_at
    time_machine.move_to(at(2, 11), tick=False)
    services.ticket_hand_to_vendor(
        actor=people["memur"], ticket=working, contract=contracts["running"]
    )
    working.refresh_from_db()
    assert working.state == "waiting_vendor" and working.paused_since is None
    time_machine.move_to(at(3, 11), tick=False)
    services.ticket_vendor_returned(actor=people["memur"], ticket=working)
    working.refresh_from_db()
    assert working.paused_minutes == 0 and working.resolution_due_at == due


def test_from_waiting_for_a_part_to_a_running_contract_restarts_the_clock(
    working, contracts, people, time_machine
):
    working.state, working.paused_since = "waiting_part", at(2, 10)
    working.save()
    time_machine.move_to(at(2, 12), tick=False)
    services.ticket_hand_to_vendor(
        actor=people["memur"], ticket=working, contract=contracts["running"]
    )
    working.refresh_from_db()
    assert working.paused_since is None and working.paused_minutes == 120


def test_handoff_refusals(working, contracts, people, ticket_factory):
    for contract, field in [(None, "contract"), (contracts["ended"], "contract")]:
        with pytest.raises(DomainError) as refused:
            services.ticket_hand_to_vendor(actor=people["memur"], ticket=working, contract=contract)
        assert list(refused.value.errors) == [field]
    with pytest.raises(PermissionDeniedError):
        services.ticket_hand_to_vendor(
            actor=people["yaziisleri"], ticket=working, contract=contracts["pausing"]
        )
    services.ticket_hand_to_vendor(
        actor=people["sef"], ticket=working, contract=contracts["pausing"]
    )  # the Chief divides the work: may do it too
    with pytest.raises(DomainError) as twice:
        services.ticket_hand_to_vendor(
            actor=people["memur"], ticket=working, contract=contracts["running"]
        )
    assert "contract" in twice.value.errors
    assert VendorHandoff.objects.filter(ticket=working).count() == 1
    services.ticket_vendor_returned(actor=people["memur"], ticket=working)
    with pytest.raises(DomainError) as not_out:
        services.ticket_vendor_returned(actor=people["memur"], ticket=working)
    assert "handoff" in not_out.value.errors
    closed = ticket_factory(created_at=OPENED, state="closed", assignee=people["memur"])
    with pytest.raises(DomainError) as done:
        services.ticket_hand_to_vendor(
            actor=people["memur"], ticket=closed, contract=contracts["pausing"]
        )
    assert "state" in done.value.errors


def test_contract_rules(people):
    contract = services.vendor_contract_create(
        actor=people["mudur"],
        vendor=" Kamera Güvenlik ",
        number="KG-1",
        subject="Kamera bakım",
        valid_from=dt.date(2026, 1, 1),
        pauses_sla=False,
    )
    assert contract.vendor == "Kamera Güvenlik" and not contract.pauses_sla
    bad = {"vendor": "X", "number": "1", "subject": "Y", "valid_from": dt.date(2026, 5, 1)}
    for extra, field in [
        ({"valid_until": dt.date(2026, 4, 30)}, "valid_until"),
        ({"vendor": ""}, "vendor"),
        ({"number": ""}, "number"),
        ({"subject": ""}, "subject"),
        ({"valid_from": None}, "valid_from"),
        ({"vendor": "Kamera Güvenlik", "number": "KG-1"}, "number"),
    ]:
        with pytest.raises(DomainError) as refused:
            services.vendor_contract_create(actor=people["sef"], **{**bad, **extra})
        assert list(refused.value.errors) == [field]
    assert VendorContract.objects.count() == 1
    with pytest.raises(PermissionDeniedError):
        services.vendor_contract_create(actor=people["memur"], **bad)
    services.vendor_contract_update(actor=people["sef"], contract=contract, pauses_sla=True)
    event = AuditEvent.objects.get(action="servicedesk.vendor_contract.updated")
    assert event.changes == {"pauses_sla": [False, True]}


# ---------------------------------------------------------------- pages


def test_contract_pages(client_as, contracts):
    client = client_as("sef")
    assert client.get("/destek/tedarikciler/").status_code == 200
    response = client.post(
        "/destek/tedarikciler/yeni/",
        {
            "vendor": "Sunucu Destek",
            "number": "SD-2026",
            "subject": "Sunucu garantisi",
            "valid_from": "2026-06-01",
            "valid_until": "2026-05-01",
        },
    )
    assert response.context["form"].errors["valid_until"] == [
        tr("The contract cannot end before it starts.")
    ]
    assert not VendorContract.objects.filter(vendor="Sunucu Destek").exists()
    contract = contracts["pausing"]
    detail = client.get(f"/destek/tedarikciler/{contract.pk}/")
    assert detail.status_code == 200
    edit = client.post(
        f"/destek/tedarikciler/{contract.pk}/duzenle/",
        {
            "vendor": contract.vendor,
            "number": contract.number,
            "subject": "Yazıcı ve tarayıcı bakım",
            "valid_from": "2026-01-01",
            "pauses_sla": "on",
        },
    )
    assert edit.status_code == 302
    contract.refresh_from_db()
    assert contract.subject == "Yazıcı ve tarayıcı bakım" and contract.valid_until is None
    assert client_as("memur").get("/destek/tedarikciler/yeni/").status_code == 403
    assert client_as("yaziisleri").get("/destek/tedarikciler/").status_code == 404
    assert client_as("yaziisleri").get(f"/destek/tedarikciler/{contract.pk}/").status_code == 404


def test_ticket_vendor_pages(client_as, working, contracts):
    url = f"/destek/talepler/{working.pk}/tedarikci/"
    assert client_as("kalem").get(url).status_code == 404  # may not see the request
    assert client_as("yaziisleri").get(url).status_code == 403  # the requester sees, may not act
    client = client_as("memur")
    detail = client.get(f"/destek/talepler/{working.pk}/")
    assert b"data-vendor-panel" in detail.content
    assert (
        b"data-vendor-panel"
        not in client_as("yaziisleri").get(f"/destek/talepler/{working.pk}/").content
    )
    client = client_as("memur")  # one test client: logging in again switches the person
    response = client.post(url, {"contract": contracts["pausing"].pk, "vendor_reference": "R-1"})
    assert response.status_code == 302
    working.refresh_from_db()
    assert working.state == "waiting_vendor" and working.paused_since is not None
    detail = client.get(f"/destek/talepler/{working.pk}/")
    assert b"R-1" in detail.content
    response = client.post(f"/destek/talepler/{working.pk}/tedarikci/donus/", {"note": "Tamam"})
    assert response.status_code == 302
    working.refresh_from_db()
    assert working.state == "in_progress" and working.paused_since is None
    # The ended contract is not offered; posting it names the field.
    response = client.post(url, {"contract": contracts["ended"].pk})
    assert "contract" in response.context["form"].errors


# ---------------------------------------------------------------- API


def test_api_contracts(client_as, contracts):
    client = client_as("mudur")
    listed = client.get(f"{API}/vendor-contracts/", {"current": "true"}).json()
    assert {c["number"] for c in listed["results"]} == {"2026/04", "AG-7"}
    response = client.post(
        f"{API}/vendor-contracts/",
        {"vendor": "V", "number": "N", "subject": "S", "valid_from": "2026-02-01"},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["pauses_sla"] is True
    response = client.patch(
        f"{API}/vendor-contracts/{response.json()['id']}/",
        {"valid_until": "2026-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 400 and list(response.json()) == ["valid_until"]
    assert client_as("yaziisleri").get(f"{API}/vendor-contracts/").status_code == 404
    response = client_as("memur").post(
        f"{API}/vendor-contracts/",
        {"vendor": "V", "number": "N2", "subject": "S", "valid_from": "2026-02-01"},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_api_handoffs(client_as, working, contracts):
    body = {"ticket": working.pk, "contract": contracts["pausing"].pk, "vendor_reference": "Z-9"}
    assert client_as("kalem").post(
        f"{API}/vendor-handoffs/", body, content_type="application/json"
    ).json() == {"ticket": [tr("No such request.")]}
    client = client_as("memur")  # one test client: logging in again switches the person
    response = client.post(f"{API}/vendor-handoffs/", body, content_type="application/json")
    assert response.status_code == 201
    handoff = response.json()
    assert handoff["clock_paused"] is True and handoff["ticket_number"] == working.number_label
    assert client.get(f"{API}/vendor-handoffs/", {"open": "1"}).json()["count"] == 1
    # The requester sees the request, not the desk's vendor records.
    assert client_as("yaziisleri").get(f"{API}/vendor-handoffs/").json()["count"] == 0
    assert client_as("yaziisleri").get(f"{API}/vendor-handoffs/{handoff['id']}/").status_code == 404
    client = client_as("memur")
    again = client.post(f"{API}/vendor-handoffs/", body, content_type="application/json")
    assert again.status_code == 400 and "contract" in again.json()
    response = client.post(f"{API}/vendor-handoffs/{handoff['id']}/return/", {"note": "ok"})
    assert response.status_code == 200 and response.json()["returned_at"] is not None
    assert Ticket.objects.get(pk=working.pk).state == "in_progress"
    again = client.post(f"{API}/vendor-handoffs/{handoff['id']}/return/")
    assert again.status_code == 400 and "handoff" in again.json()
