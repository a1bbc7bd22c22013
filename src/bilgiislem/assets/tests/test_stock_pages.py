"""Stock and write-off pages and API over real HTTP: who sees what (404), who acts (403), bad
input named (form error / 400) with nothing changed, and the parts used in a repair."""

from decimal import Decimal

import pytest
from django.urls import reverse

from bilgiislem.assets.models import StockIssue, StockLot, WriteOff
from bilgiislem.assets.services import stock
from bilgiislem.assets.services import writeoff as writeoff_services

from ._stock import make_ticket, receive

pytestmark = pytest.mark.django_db


@pytest.fixture
def toner(kayit, consumable_code, store):
    item = stock.stock_item_create(
        actor=kayit, code=consumable_code, name="HP 59A toner", minimum_level=2
    )
    receive(kayit, store, item, 3, "100.00")
    return item


def test_stock_pages_are_for_bilgi_islem_staff(client_as, toner):
    for url in (
        reverse("assets:stock"),
        reverse("assets:stock-reorder"),
        reverse("assets:stock-item", args=[toner.pk]),
        reverse("assets:writeoffs"),
    ):
        assert client_as("yaziisleri").get(url).status_code == 404
        page = client_as("memur").get(url)
        assert page.status_code == 200
    listing = client_as("memur").get(reverse("assets:stock"))
    assert "HP 59A toner" in listing.content.decode()
    assert client_as("memur").get(reverse("assets:stock-issue")).status_code == 403


def test_issuing_a_part_for_a_repair_from_the_page(client_as, kayit, store, toner, people, units):
    ticket = make_ticket(people, units)
    client = client_as("kalem")
    url = reverse("assets:stock-issue") + f"?ticket={ticket.pk}"
    assert client.get(url).status_code == 200

    too_many = client.post(
        url, {"store": store.pk, "item": toner.pk, "quantity": "9", "ticket": ticket.pk}
    )
    assert too_many.status_code == 200
    assert too_many.context["form"].errors["quantity"]
    assert not StockIssue.objects.exists()

    done = client.post(
        url, {"store": store.pk, "item": toner.pk, "quantity": "2", "ticket": ticket.pk}
    )
    parts_url = reverse("assets:stock-parts") + f"?ticket={ticket.pk}"
    assert done.status_code == 302 and done["Location"] == parts_url
    assert StockLot.objects.get(item=toner).remaining == Decimal("1")

    # The requester sees the parts used on their request; someone who may not see it, 404.
    parts = client_as("yaziisleri").get(parts_url)
    assert parts.status_code == 200 and "HP 59A toner" in parts.content.decode()
    assert client_as("yazilim").get(parts_url).status_code == 404
    # Under the minimum now: on the reorder page.
    reorder = client_as("mudur").get(reverse("assets:stock-reorder"))
    assert "HP 59A toner" in reorder.content.decode()


def test_stock_api(client_as, kayit, store, toner, people, units):
    ticket = make_ticket(people, units)
    api = client_as("kalem")
    body = {"item": toner.pk, "store": store.pk, "quantity": "5", "ticket": ticket.pk}
    refused = api.post("/api/assets/stock-issues/", body, content_type="application/json")
    assert refused.status_code == 400 and "quantity" in refused.json()
    assert not StockIssue.objects.exists()

    body["quantity"] = "1"
    made = api.post("/api/assets/stock-issues/", body, content_type="application/json")
    assert made.status_code == 201, made.content
    assert made.json()[0]["unit_price"] == "100.00" and made.json()[0]["ticket"] == ticket.pk

    as_memur = client_as("memur").post(
        "/api/assets/stock-issues/", body, content_type="application/json"
    )
    assert as_memur.status_code == 403
    assert client_as("yaziisleri").get("/api/assets/stock-items/").status_code == 404
    parts = client_as("yaziisleri").get(f"/api/assets/stock-issues/?ticket={ticket.pk}")
    assert parts.status_code == 200 and parts.json()["count"] == 1
    assert (
        client_as("yazilim").get(f"/api/assets/stock-issues/?ticket={ticket.pk}").status_code == 404
    )

    items = client_as("memur").get("/api/assets/stock-items/?reorder=1").json()
    assert [row["name"] for row in items["results"]] == ["HP 59A toner"]

    receipt = client_as("kalem").post(
        "/api/assets/stock-receipts/",
        {
            "store": store.pk,
            "date": "2026-01-10",
            "supporting_reference": "Fatura B-2",
            "supporting_date": "2026-01-12",
            "lines": [{"item": toner.pk, "quantity": "4", "unit_price": "90.00"}],
        },
        content_type="application/json",
    )
    assert receipt.status_code == 400 and "date" in receipt.json()


def test_writeoff_api_and_minute(client_as, people, kayit, asset_factory):
    disk = asset_factory(is_storage_medium=True, kind="storage")
    appointed = client_as("mudur").post(
        "/api/assets/writeoff-commissions/",
        {
            "name": "Hurda komisyonu",
            "members": ["sef", "memur", "kalem"],
            "chair": "sef",
            "expert": "memur",
        },
        content_type="application/json",
    )
    assert appointed.status_code == 201, appointed.content
    proposal = client_as("memur").post(
        "/api/assets/writeoffs/",
        {
            "commission": appointed.json()["id"],
            "reason": "breakage",
            "explanation": "Disk okunmuyor.",
            "assets": [disk.sicil_no],
        },
        content_type="application/json",
    )
    assert proposal.status_code == 201, proposal.content
    pk = proposal.json()["id"]
    blocked = client_as("mudur").post(f"/api/assets/writeoffs/{pk}/approve/")
    assert blocked.status_code == 400 and disk.sicil_no in blocked.json()["assets"][0]
    assert WriteOff.objects.get(pk=pk).state == "proposed"

    writeoff_services.wipe_record(
        actor=kayit, asset=disk, method="Delme", witnessed_by=people["memur"]
    )
    approved = client_as("mudur").post(f"/api/assets/writeoffs/{pk}/approve/")
    assert approved.status_code == 200 and approved.json()["vif"]
    minute = client_as("sef").get(reverse("assets:writeoff-minute", args=[pk]))
    assert minute.status_code == 200 and minute["Content-Type"] == "application/pdf"
    assert (
        client_as("yaziisleri").get(reverse("assets:writeoff-minute", args=[pk])).status_code == 404
    )


def test_the_forms_render_and_a_proposal_is_decided_on_its_page(
    client_as, people, kayit, toner, asset_factory
):
    assert client_as("kalem").get(reverse("assets:stock-receive")).status_code == 200
    assert client_as("kalem").get(reverse("assets:stock-item-new")).status_code == 200
    assert client_as("kalem").get(reverse("assets:wipe-new")).status_code == 200
    assert client_as("mudur").get(reverse("assets:writeoff-commission-new")).status_code == 200
    assert client_as("kalem").get(reverse("assets:writeoff-commission-new")).status_code == 403
    commission = writeoff_services.writeoff_commission_appoint(
        actor=people["mudur"],
        name="Komisyon",
        members=[people["sef"], people["memur"], kayit],
        chair=people["sef"],
        expert=people["memur"],
    )
    laptop = asset_factory()
    form = client_as("memur").post(
        reverse("assets:writeoff-new"),
        {"commission": commission.pk, "reason": "scrap", "explanation": "Eski", "assets": "X-1"},
    )
    assert form.status_code == 200 and form.context["form"].errors["assets"]
    made = client_as("memur").post(
        reverse("assets:writeoff-new"),
        {
            "commission": commission.pk,
            "reason": "scrap",
            "explanation": "Eski",
            "assets": laptop.sicil_no,
        },
    )
    assert made.status_code == 302
    proposal = WriteOff.objects.get()
    url = reverse("assets:writeoff-detail", args=[proposal.pk])
    assert client_as("memur").post(url, {"reject": "1", "reason": "x"}).status_code == 403
    page = client_as("mudur").get(url)
    assert page.status_code == 200 and laptop.sicil_no in page.content.decode()
    bare = client_as("mudur").post(url, {"reject": "1", "reason": ""})
    assert bare.status_code == 200 and bare.context["form"].errors["reason"]
    assert client_as("mudur").post(url, {"reject": "1", "reason": "Onarılır"}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == "rejected"
