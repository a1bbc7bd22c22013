"""Loans (emanet, art. 23/7), repairs, and the Teslim Belgesi numbers from DocumentCounter."""

import datetime
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from bilgiislem.assets.choices import AssetStatus, DocumentKind
from bilgiislem.assets.loan_pdf import loan_pdf
from bilgiislem.assets.models import AssetLoan, DocumentCounter, HandoverDocument, TicketAsset
from bilgiislem.assets.services.custody import handover_issue, handover_return
from bilgiislem.assets.services.loans import asset_lend, loan_return
from bilgiislem.assets.services.repair import (
    asset_back_from_repair,
    asset_send_for_repair,
    repair_info,
)
from bilgiislem.assets.work import loans_overdue
from bilgiislem.audit.models import AuditEvent
from bilgiislem.core.errors import DomainError, PermissionDeniedError

from ._stock import make_ticket


def _lend(actor, asset, units, **extra):
    values = {
        "borrower": "Karasu Atatürk İlkokulu",
        "coordinating_unit": units["yazi-isleri"],
        "purpose": "Okul şenliği için projeksiyon",
        "due_on": timezone.localdate() + datetime.timedelta(days=7),
    }
    values.update(extra)
    return asset_lend(actor=actor, asset=asset, **values)


def test_lend_and_return_number_status_and_audit(kayit, units, asset_factory):
    first_asset, second_asset = asset_factory(), asset_factory()
    first = _lend(kayit, first_asset, units)
    second = _lend(kayit, second_asset, units, due_on=None)
    year = timezone.localdate().year
    assert [(first.year, first.number), (second.year, second.number)] == [(year, 1), (year, 2)]
    assert DocumentCounter.objects.get(kind=DocumentKind.LOAN, year=year).last_number == 2
    first_asset.refresh_from_db()
    assert first_asset.status == AssetStatus.LENT
    assert AuditEvent.objects.filter(action="assets.loan.lend").count() == 2

    # The same item cannot be lent twice, nor handed over to staff while lent.
    with pytest.raises(DomainError) as exc:
        _lend(kayit, first_asset, units)
    assert list(exc.value.errors) == ["asset"]

    with pytest.raises(DomainError) as exc:
        loan_return(actor=kayit, loan=first, condition="  ")
    assert list(exc.value.errors) == ["return_note"]
    loan_return(actor=kayit, loan=first, condition="Sağlam, kablosu eksik")
    first.refresh_from_db()
    first_asset.refresh_from_db()
    assert (first.return_received_by, first.return_note) == (kayit, "Sağlam, kablosu eksik")
    assert first_asset.status == AssetStatus.IN_STORE
    with pytest.raises(DomainError) as exc:
        loan_return(actor=kayit, loan=first, condition="Sağlam")
    assert list(exc.value.errors) == ["state"]
    event = AuditEvent.objects.get(action="assets.asset.loan_return")
    assert event.changes["condition"] == "Sağlam, kablosu eksik"


@pytest.mark.parametrize(
    ("field", "extra"),
    [
        ("borrower", {"borrower": " "}),
        ("coordinating_unit", {"coordinating_unit": None}),
        ("purpose", {"purpose": ""}),
        ("due_on", {"due_on": datetime.date(2000, 1, 1)}),
    ],
)
def test_lend_bad_input_names_the_field_and_changes_nothing(
    kayit, units, asset_factory, field, extra
):
    asset = asset_factory()
    with pytest.raises(DomainError) as exc:
        _lend(kayit, asset, units, **extra)
    assert list(exc.value.errors) == [field]
    asset.refresh_from_db()
    assert asset.status == AssetStatus.IN_STORE
    assert not AssetLoan.objects.exists()
    assert not DocumentCounter.objects.filter(kind=DocumentKind.LOAN).exists()


def test_only_an_item_in_store_on_no_teslim_belgesi_is_lent_by_the_officer(
    kayit, people, units, asset_factory, room
):
    with pytest.raises(PermissionDeniedError):
        _lend(people["memur"], asset_factory(), units)
    in_use = asset_factory(room=room, status=AssetStatus.IN_USE)
    held = asset_factory()
    handover_issue(actor=kayit, asset=held, receiver=people["memur"])
    for asset in (in_use, held, asset_factory(status=AssetStatus.WRITTEN_OFF)):
        with pytest.raises(DomainError) as exc:
            _lend(kayit, asset, units)
        assert list(exc.value.errors) == ["asset"]
    assert not AssetLoan.objects.exists()
    # The Director may lend (above the officer).
    assert _lend(people["mudur"], asset_factory(), units).number == 1


def test_overdue_loans_wait_for_the_officer(kayit, people, units, asset_factory):
    loan = _lend(kayit, asset_factory(), units)
    assert loans_overdue(kayit) == []
    AssetLoan.objects.filter(pk=loan.pk).update(due_on=timezone.localdate() - datetime.timedelta(1))
    items = loans_overdue(kayit)
    assert [i.url for i in items] == [f"/tasinir/emanet/{loan.pk}/"]
    assert items[0].is_overdue(timezone.localdate())
    assert loans_overdue(people["memur"]) == []
    loan_return(actor=kayit, loan=loan, condition="Sağlam")
    assert loans_overdue(kayit) == []


def test_repair_from_store_and_from_a_teslim_belgesi(kayit, people, units, asset_factory):
    ticket = make_ticket(people, units)
    in_store = asset_factory()
    asset_send_for_repair(actor=kayit, asset=in_store, ticket=ticket, vendor_note="Servis: ABC")
    in_store.refresh_from_db()
    assert in_store.status == AssetStatus.IN_REPAIR
    assert TicketAsset.objects.get(ticket=ticket).asset == in_store
    assert repair_info(in_store)["vendor_note"] == "Servis: ABC"
    assert repair_info(in_store)["ticket"] == ticket.number_label
    with pytest.raises(DomainError) as exc:
        asset_send_for_repair(actor=kayit, asset=in_store)
    assert list(exc.value.errors) == ["asset"]
    with pytest.raises(DomainError) as exc:  # in repair: not lent, not handed over
        _lend(kayit, in_store, units)
    assert list(exc.value.errors) == ["asset"]
    with pytest.raises(DomainError) as exc:
        handover_issue(actor=kayit, asset=in_store, receiver=people["memur"])
    assert list(exc.value.errors) == ["asset"]
    asset_back_from_repair(actor=kayit, asset=in_store, note="Anakart değişti")
    in_store.refresh_from_db()
    assert in_store.status == AssetStatus.IN_STORE and repair_info(in_store) is None

    held = asset_factory()
    handover_issue(actor=kayit, asset=held, receiver=people["memur"])
    with pytest.raises(DomainError) as exc:  # the request already concerns another item
        asset_send_for_repair(actor=kayit, asset=held, ticket=ticket)
    assert list(exc.value.errors) == ["ticket"]
    held.refresh_from_db()
    assert held.status == AssetStatus.IN_USE
    asset_send_for_repair(actor=kayit, asset=held)
    asset_back_from_repair(actor=kayit, asset=held)
    held.refresh_from_db()
    assert (held.status, held.holder) == (AssetStatus.IN_USE, people["memur"])
    with pytest.raises(DomainError) as exc:
        asset_back_from_repair(actor=kayit, asset=held)
    assert list(exc.value.errors) == ["asset"]
    with pytest.raises(PermissionDeniedError):
        asset_send_for_repair(actor=people["memur"], asset=held)
    lent = asset_factory()
    _lend(kayit, lent, units)
    with pytest.raises(DomainError):
        asset_send_for_repair(actor=kayit, asset=lent)


def test_teslim_belgesi_numbers_come_from_the_counter(kayit, people, asset_factory):
    """A year's counter continues after documents numbered before it existed, without
    duplicates or gaps."""
    year = timezone.localdate().year
    old = asset_factory()
    HandoverDocument.objects.create(
        year=year,
        number=7,
        asset=old,
        receiver=people["sef"],
        issued_by=kayit,
        issued_at=timezone.now(),
        returned_at=timezone.now(),
    )
    first = handover_issue(actor=kayit, asset=asset_factory(), receiver=people["memur"])
    assert first.number == 8
    with pytest.raises(DomainError):
        handover_issue(actor=kayit, asset=first.asset, receiver=people["sef"])
    handover_return(actor=kayit, handover=first)
    second = handover_issue(actor=kayit, asset=first.asset, receiver=people["sef"])
    assert second.number == 9
    assert DocumentCounter.objects.get(kind=DocumentKind.HANDOVER, year=year).last_number == 9


def test_loan_tutanak_pdf_has_two_copies_and_the_fields(kayit, units, asset_factory, settings):
    settings.BILGIISLEM_ASSET_SPENDING_UNIT_CODE = "46.61.01.12"
    asset = asset_factory(value="12500.00", serial_number="SN-77")
    loan = _lend(kayit, asset, units, due_on=datetime.date(2099, 1, 31))
    loan_return(actor=kayit, loan=loan, condition="Sağlam, çantası eksik")
    loan.refresh_from_db()
    pages = [
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(loan_pdf(loan))).pages
    ]
    assert len(pages) == 2
    for text in pages:
        assert f"{loan.year}/{loan.number}" in text and "46.61.01.12" in text
        assert asset.store.unit.name in text and asset.store.name in text
        assert "Karasu Atatürk İlkokulu" in text and units["yazi-isleri"].name in text
        assert asset.sicil_no in text and "SN-77" in text and "12.500,00" in text
        assert "31.01.2099" in text and "Sağlam, çantası eksik" in text
        assert "Teslim Eden" in text and "Teslim Alan" in text and kayit.get_full_name() in text


def test_a_lent_asset_cannot_be_moved_until_it_is_back(kayit, asset_factory, units, room):
    from bilgiislem.assets.models import Asset
    from bilgiislem.assets.services.register import asset_move
    from bilgiislem.core.errors import DomainError

    asset = asset_factory()
    loan = asset_lend(
        actor=kayit,
        asset=asset,
        borrower="Karasu Anadolu Lisesi",
        coordinating_unit=units["bilgi-islem"],
        purpose="Okul şenliği",
    )
    with pytest.raises(DomainError) as refused:
        asset_move(actor=kayit, asset=asset, room=room)
    assert "room" in refused.value.errors
    assert Asset.objects.get(pk=asset.pk).room_id is None
    loan_return(actor=kayit, loan=loan, condition="Sağlam")
    assert asset_move(actor=kayit, asset=asset, room=room).room == room
