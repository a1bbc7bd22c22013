"""Consumables: entries on a purchase VİF, FIFO issues at entry prices on a consumption VİF,
parts issued against a service-desk request, minimum levels (issue 7 point 4)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from bilgiislem.assets.choices import RequestState, VifKind, VifState
from bilgiislem.assets.models import AssetRequest, StockIssue, StockItem, StockLot, Vif
from bilgiislem.assets.services import stock
from bilgiislem.core.errors import DomainError, PermissionDeniedError

from ._stock import make_ticket, receive

pytestmark = pytest.mark.django_db


@pytest.fixture
def toner(kayit, consumable_code):
    return stock.stock_item_create(
        actor=kayit, code=consumable_code, name="HP 59A toner", minimum_level=5
    )


def test_entries_open_lots_and_issues_take_oldest_first_at_their_prices(kayit, store, toner):
    first = receive(kayit, store, toner, 10, "100.00")
    receive(kayit, store, toner, 5, "120.00")
    assert first.kind == VifKind.PURCHASE and first.state == VifState.SIGNED

    issues = stock.stock_issue(actor=kayit, item=toner, store=store, quantity=12)

    assert [(i.quantity, i.lot.unit_price) for i in issues] == [
        (Decimal("10"), Decimal("100.00")),
        (Decimal("2"), Decimal("120.00")),
    ]
    vif = issues[0].vif_line.vif
    assert vif.kind == VifKind.CONSUMPTION and vif.state == VifState.SIGNED
    assert vif.number is not None and vif.signed_by == kayit
    assert [(ln.quantity, ln.unit_price) for ln in vif.lines.order_by("id")] == [
        (Decimal("10"), Decimal("100.00")),
        (Decimal("2"), Decimal("120.00")),
    ]
    lots = list(StockLot.objects.filter(item=toner).order_by("id"))
    assert [lot.remaining for lot in lots] == [Decimal("0"), Decimal("3")]
    assert stock.issued_total(issues).value == Decimal("1240.00")
    # Only 3 left: the next issue comes from the newer lot at its price.
    more = stock.stock_issue(actor=kayit, item=toner, store=store, quantity=1)
    assert more[0].lot == lots[1] and more[0].lot.unit_price == Decimal("120.00")


def test_issuing_more_than_the_store_holds_names_the_quantity_and_changes_nothing(
    kayit, store, toner
):
    receive(kayit, store, toner, 2, "100")
    vifs = Vif.objects.count()
    with pytest.raises(DomainError) as refused:
        stock.stock_issue(actor=kayit, item=toner, store=store, quantity=3)
    assert "quantity" in refused.value.errors
    assert Vif.objects.count() == vifs
    assert StockLot.objects.get(item=toner).remaining == Decimal("2")
    assert not StockIssue.objects.exists()
    with pytest.raises(DomainError) as zero:
        stock.stock_issue(actor=kayit, item=toner, store=store, quantity=0)
    assert "quantity" in zero.value.errors


def test_only_the_kayit_yetkilisi_issues(kayit, store, toner, people):
    receive(kayit, store, toner, 2, "100")
    for username in ("memur", "mudur"):
        with pytest.raises(PermissionDeniedError):
            stock.stock_issue(actor=people[username], item=toner, store=store, quantity=1)
    assert not StockIssue.objects.exists()
    assert StockLot.objects.get(item=toner).remaining == Decimal("2")


def test_parts_used_in_a_repair_are_issued_against_that_request(kayit, store, toner, people, units):
    receive(kayit, store, toner, 4, "80")
    ticket = make_ticket(people, units)
    stock.stock_issue(actor=kayit, item=toner, store=store, quantity=1, ticket=ticket)
    issued = list(stock.issues_for_ticket(ticket))
    assert len(issued) == 1 and issued[0].quantity == Decimal("1")
    assert ticket.number_label in issued[0].vif_line.vif.supporting_reference


def test_an_issue_against_a_request_needs_it_approved_and_marks_it_issued(
    kayit, store, toner, people, units
):
    receive(kayit, store, toner, 4, "80")
    request = AssetRequest.objects.create(
        unit=units["yazi-isleri"],
        requested_by=people["yaziisleri"],
        code=toner.code,
        quantity=1,
        purpose="Yazıcı",
    )
    with pytest.raises(DomainError) as refused:
        stock.stock_issue(actor=kayit, item=toner, store=store, quantity=1, request=request)
    assert "request" in refused.value.errors
    request.state = RequestState.APPROVED
    request.decided_at = timezone.now() - datetime.timedelta(days=1)
    request.save()
    stock.stock_issue(actor=kayit, item=toner, store=store, quantity=1, request=request)
    request.refresh_from_db()
    assert request.state == RequestState.ISSUED


def test_reorder_warning_at_or_under_the_minimum(kayit, store, toner, consumable_code):
    receive(kayit, store, toner, 6, "100")
    cable = stock.stock_item_create(actor=kayit, code=consumable_code, name="Cat6 kablo")
    assert toner not in stock.items_to_reorder()
    stock.stock_issue(actor=kayit, item=toner, store=store, quantity=1)
    reorder = list(stock.items_to_reorder())
    assert reorder == [toner] and reorder[0].on_hand == Decimal("5")
    assert cable not in reorder  # no minimum: never warns


def test_a_consumable_needs_an_account_150_code_and_a_free_name(
    kayit, tasinir_code, consumable_code, toner, people
):
    with pytest.raises(DomainError) as durable:
        stock.stock_item_create(actor=kayit, code=tasinir_code, name="Dizüstü")
    assert "code" in durable.value.errors
    with pytest.raises(DomainError) as same:
        stock.stock_item_create(actor=kayit, code=consumable_code, name="hp 59a TONER")
    assert "name" in same.value.errors
    with pytest.raises(PermissionDeniedError):
        stock.stock_item_create(actor=people["memur"], code=consumable_code, name="Fare")
    assert StockItem.objects.count() == 1


def test_reorder_warnings_wait_for_the_kayit_yetkilisi_and_the_director(
    kayit, store, toner, people
):
    from bilgiislem.assets.work import stock_to_reorder

    receive(kayit, store, toner, 5, "100")
    assert [w.title for w in stock_to_reorder(kayit)] == ["HP 59A toner"]
    assert [w.title for w in stock_to_reorder(people["mudur"])] == ["HP 59A toner"]
    assert stock_to_reorder(people["memur"]) == []
    assert "/tasinir/stok/" in stock_to_reorder(kayit)[0].url
