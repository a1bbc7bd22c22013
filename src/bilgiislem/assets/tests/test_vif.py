"""VİF: prepare, sign off (number + effects), check by another person, cancel."""

import datetime
from decimal import Decimal

import pytest

from bilgiislem.assets.choices import AssetStatus, VifKind, VifState
from bilgiislem.assets.models import Asset, HandoverDocument, StockLot, Vif, VifCounter
from bilgiislem.assets.services.vif import vif_cancel, vif_control, vif_create, vif_sign
from bilgiislem.audit.models import AuditEvent
from bilgiislem.core.errors import DomainError, PermissionDeniedError

TODAY = datetime.date(2026, 3, 10)


def _purchase(actor, store, code, **extra):
    values = {
        "actor": actor,
        "kind": VifKind.PURCHASE,
        "store": store,
        "date": TODAY,
        "supporting_reference": "Fatura A-123",
        "supporting_date": TODAY - datetime.timedelta(days=2),
        "lines": [{"code": code, "quantity": 2, "unit_price": "25000.00"}],
    }
    values.update(extra)
    return vif_create(**values)


def test_purchase_registers_one_asset_per_item_when_signed(kayit, store, tasinir_code):
    vif = _purchase(kayit, store, tasinir_code)
    assert vif.number is None and vif.state == VifState.DRAFT
    assert [ln.quantity for ln in vif.lines.all()] == [1, 1]
    assert not Asset.objects.filter(vif_lines__vif=vif).exists()

    vif_sign(actor=kayit, vif=vif)

    vif.refresh_from_db()
    assert vif.state == VifState.SIGNED and vif.signed_by == kayit
    assert (vif.year, vif.number) == (2026, 1)
    assets = Asset.objects.filter(vif_lines__vif=vif).order_by("sequence")
    assert [a.sicil_no for a in assets] == ["255.02.02.02-26-00001", "255.02.02.02-26-00002"]
    assert {(a.store_id, a.status, a.value) for a in assets} == {
        (store.pk, AssetStatus.IN_STORE, Decimal("25000.00"))
    }
    event = AuditEvent.objects.filter(action="assets.vif.sign").latest("seq")
    assert event.changes["number"] == "2026/1"


def test_numbers_follow_signing_order_restart_each_year_and_skip_cancelled(
    kayit, store, tasinir_code
):
    first = _purchase(kayit, store, tasinir_code)
    cancelled = _purchase(kayit, store, tasinir_code)
    second = _purchase(kayit, store, tasinir_code)
    next_year = _purchase(
        kayit, store, tasinir_code, date=datetime.date(2027, 1, 2), supporting_date=TODAY
    )
    vif_cancel(actor=kayit, vif=cancelled)
    for vif in (second, next_year, first):
        vif_sign(actor=kayit, vif=vif)
    numbers = {v.pk: (v.year, v.number, v.state) for v in Vif.objects.all()}
    assert numbers[second.pk] == (2026, 1, VifState.SIGNED)
    assert numbers[first.pk] == (2026, 2, VifState.SIGNED)
    assert numbers[next_year.pk] == (2027, 1, VifState.SIGNED)
    assert numbers[cancelled.pk] == (2026, None, VifState.CANCELLED)
    assert dict(VifCounter.objects.values_list("year", "last_number")) == {2026: 2, 2027: 1}
    with pytest.raises(DomainError) as exc:
        vif_sign(actor=kayit, vif=cancelled)
    assert "state" in exc.value.errors


def test_date_before_supporting_document_is_refused_naming_date(kayit, store, tasinir_code):
    with pytest.raises(DomainError) as exc:
        _purchase(kayit, store, tasinir_code, supporting_date=TODAY + datetime.timedelta(days=1))
    assert list(exc.value.errors) == ["date"]
    assert not Vif.objects.exists()


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"lines": []}, "lines"),
        ({"supporting_reference": "  "}, "supporting_reference"),
        ({"lines": [{"code": "999.nope"}]}, "lines"),
        ({"lines": [{"code": "255.02.02.02", "quantity": 0}]}, "lines"),
        ({"lines": [{"code": "255.02.02.02", "quantity": "1.5"}]}, "lines"),
        ({"kind": VifKind.TRANSFER_IN}, "counterparty"),
        ({"kind": VifKind.STORE_TRANSFER}, "to_store"),
        ({"kind": "gift"}, "kind"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(kayit, store, tasinir_code, extra, field):
    with pytest.raises(DomainError) as exc:
        _purchase(kayit, store, tasinir_code, **extra)
    assert field in exc.value.errors
    assert not Vif.objects.exists()


def test_only_the_kayit_yetkilisi_signs_and_only_officers_prepare(
    kayit, people, store, tasinir_code
):
    with pytest.raises(PermissionDeniedError):
        _purchase(people["memur"], store, tasinir_code)
    vif = _purchase(people["mudur"], store, tasinir_code)  # the harcama yetkilisi may prepare
    with pytest.raises(PermissionDeniedError):
        vif_sign(actor=people["mudur"], vif=vif)
    vif.refresh_from_db()
    assert vif.number is None and vif.state == VifState.DRAFT


def test_control_must_be_another_person_than_the_signer(
    kayit, people, store, tasinir_code, settings
):
    vif = vif_sign(actor=kayit, vif=_purchase(kayit, store, tasinir_code))
    settings.BILGIISLEM_ASSET_CONTROL_USERNAMES = ["sef", kayit.username]
    with pytest.raises(DomainError) as exc:
        vif_control(actor=kayit, vif=vif)
    assert "controlled_by" in exc.value.errors
    with pytest.raises(PermissionDeniedError):
        vif_control(actor=people["memur"], vif=vif)
    vif.refresh_from_db()
    assert vif.controlled_by is None

    vif_control(actor=people["sef"], vif=vif)
    vif.refresh_from_db()
    assert vif.controlled_by == people["sef"] and vif.controlled_at is not None


def test_draft_cannot_be_checked(kayit, people, store, tasinir_code):
    vif = _purchase(kayit, store, tasinir_code)
    with pytest.raises(DomainError) as exc:
        vif_control(actor=people["sef"], vif=vif)
    assert "state" in exc.value.errors


def test_consumable_entry_opens_a_stock_lot_at_the_line_price(kayit, store, consumable_code):
    vif = _purchase(
        kayit,
        store,
        consumable_code,
        lines=[
            {
                "code": consumable_code,
                "quantity": "10",
                "unit_price": "850.50",
                "description": "HP 59A toner",
            }
        ],
    )
    vif_sign(actor=kayit, vif=vif)
    lot = StockLot.objects.get(vif_line__vif=vif)
    assert (lot.item.name, lot.item.code, lot.store) == ("HP 59A toner", consumable_code, store)
    assert (lot.quantity, lot.remaining, lot.unit_price) == (10, 10, Decimal("850.50"))
    assert not Asset.objects.filter(code=consumable_code).exists()


def _exit(kayit, store, kind, asset, **extra):
    return vif_create(
        actor=kayit,
        kind=kind,
        store=store,
        date=TODAY,
        supporting_reference="Onay 2026/4",
        supporting_date=TODAY,
        lines=[{"asset": asset}],
        **extra,
    )


def test_exits_take_the_asset_off_the_records(kayit, store, asset_factory, room):
    written = asset_factory(room=room, status=AssetStatus.IN_USE)
    given = asset_factory()
    vif_sign(actor=kayit, vif=_exit(kayit, store, VifKind.WRITE_OFF, written))
    vif_sign(
        actor=kayit,
        vif=_exit(kayit, store, VifKind.TRANSFER_OUT, given, counterparty="Sakarya Valiliği"),
    )
    written.refresh_from_db()
    given.refresh_from_db()
    assert (written.status, written.room) == (AssetStatus.WRITTEN_OFF, None)
    assert given.status == AssetStatus.WRITTEN_OFF
    with pytest.raises(DomainError) as exc:
        _exit(kayit, store, VifKind.WRITE_OFF, written)
    assert "lines" in exc.value.errors


def test_a_handed_over_asset_cannot_leave_until_returned(kayit, people, store, asset_factory):
    asset = asset_factory(holder=people["memur"], status=AssetStatus.IN_USE)
    HandoverDocument.objects.create(
        year=2026,
        number=1,
        asset=asset,
        receiver=people["memur"],
        issued_by=kayit,
        issued_at=datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC),
    )
    vif = _exit(kayit, store, VifKind.WRITE_OFF, asset)
    with pytest.raises(DomainError) as exc:
        vif_sign(actor=kayit, vif=vif)
    assert "lines" in exc.value.errors
    vif.refresh_from_db()
    asset.refresh_from_db()
    assert (vif.state, vif.number, asset.status) == (VifState.DRAFT, None, AssetStatus.IN_USE)
    assert not VifCounter.objects.filter(last_number__gt=0).exists()


def test_store_transfer_moves_the_asset(kayit, units, store, asset_factory):
    from bilgiislem.assets.models import Store

    other = Store.objects.create(unit=units["bilgi-islem"], code="02", name="Yedek Ambar")
    asset = asset_factory()
    vif_sign(actor=kayit, vif=_exit(kayit, store, VifKind.STORE_TRANSFER, asset, to_store=other))
    asset.refresh_from_db()
    assert asset.store == other
