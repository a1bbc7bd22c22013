"""Counts: the board, scanning, reconciliation, the second count and the close with its VİFs."""

import pytest
from django.utils import timezone

from bilgiislem.assets.choices import AssetStatus, CountState, ScanResult, VifKind, VifState
from bilgiislem.assets.models import Board, Count, CountScan, HandoverDocument, Vif, WriteOff
from bilgiislem.assets.services import count as svc
from bilgiislem.assets.services.writeoff import writeoff_approve
from bilgiislem.audit.models import AuditEvent
from bilgiislem.core.errors import DomainError, PermissionDeniedError

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(people, kayit):
    return svc.count_board_appoint(
        actor=people["mudur"],
        name="2026 Sayım Kurulu",
        members=[people["sef"], kayit, people["memur"]],
        chair=people["sef"],
    )


@pytest.fixture
def count(people, board, room, other_room):
    return svc.count_start(actor=people["mudur"], board=board, rooms=[room, other_room])


def test_board_needs_three_members_with_the_kayit_yetkilisi(people, kayit):
    before = Board.objects.count()
    with pytest.raises(DomainError) as few:
        svc.count_board_appoint(
            actor=people["mudur"], name="K", members=[kayit, people["sef"]], chair=kayit
        )
    assert "members" in few.value.errors
    with pytest.raises(DomainError) as without:
        svc.count_board_appoint(
            actor=people["mudur"],
            name="K",
            members=[people["sef"], people["memur"], people["yazilim"]],
            chair=people["sef"],
        )
    assert "members" in without.value.errors
    assert "kayıt" in without.value.errors["members"][0]
    with pytest.raises(PermissionDeniedError):
        svc.count_board_appoint(
            actor=people["sef"],
            name="K",
            members=[people["sef"], kayit, people["memur"]],
            chair=people["sef"],
        )
    assert Board.objects.count() == before


def test_scan_refusals(people, count, room, site, asset_factory):
    from bilgiislem.assets.models import Room

    asset = asset_factory(room=room, status=AssetStatus.IN_USE)
    with pytest.raises(PermissionDeniedError):
        svc.count_scan(actor=people["yazilim"], count=count, room=room, label=asset.sicil_no)
    elsewhere = Room.objects.create(site=site, floor="9", name="Depo")
    with pytest.raises(DomainError) as not_counted:
        svc.count_scan(actor=people["memur"], count=count, room=elsewhere, label=asset.sicil_no)
    assert "room" in not_counted.value.errors
    with pytest.raises(DomainError) as unknown:
        svc.count_scan(actor=people["memur"], count=count, room=room, label=" NO-SUCH-LABEL ")
    assert "label" in unknown.value.errors
    assert not CountScan.objects.filter(count=count).exists()
    logged = AuditEvent.objects.get(action="assets.count.unknown_label", object_id=str(count.pk))
    assert logged.changes["label"] == "NO-SUCH-LABEL"

    scan, new = svc.count_scan(
        actor=people["memur"], count=count, room=room, label=f"{asset.sicil_no}\n"
    )
    assert new and scan.result == ScanResult.FOUND_HERE
    again, new = svc.count_scan(actor=people["sef"], count=count, room=room, label=asset.sicil_no)
    assert again.pk == scan.pk and not new
    other = count.rooms.exclude(pk=room.pk).get()
    with pytest.raises(DomainError) as twice:
        svc.count_scan(actor=people["memur"], count=count, room=other, label=asset.sicil_no)
    assert "label" in twice.value.errors
    assert CountScan.objects.filter(count=count).count() == 1


def test_full_count_with_second_round_and_vifs(
    people, kayit, count, room, other_room, asset_factory
):
    here = asset_factory(room=room, status=AssetStatus.IN_USE)
    late = asset_factory(room=room, status=AssetStatus.IN_USE)  # found in the second count
    lost = asset_factory(room=room, status=AssetStatus.IN_USE, value=12500)
    moved = asset_factory(room=other_room, status=AssetStatus.IN_USE)
    gone = asset_factory(room=None, status=AssetStatus.WRITTEN_OFF, value=800)
    lent = asset_factory(room=room, status=AssetStatus.IN_USE)
    HandoverDocument.objects.create(
        year=2026,
        number=1,
        asset=lent,
        receiver=people["memur"],
        issued_by=kayit,
        issued_at=timezone.now(),
    )
    memur = people["memur"]
    for asset in (here, moved, gone):
        svc.count_scan(actor=memur, count=count, room=room, label=asset.sicil_no)

    first = svc.count_reconcile(count)
    assert first.expected == 5  # here, late, lost, moved, lent (gone is written off)
    assert first.found_here == {here.pk}
    assert first.missing == {late.pk, lost.pk}  # lent is taken from its Teslim Belgesi
    assert first.held == {lent.pk}
    assert first.elsewhere == {moved.pk: (other_room.pk, room.pk)}
    assert first.surplus == {gone.pk: room.pk}

    with pytest.raises(PermissionDeniedError):
        svc.count_second_round(actor=memur, count=count)
    svc.count_second_round(actor=people["sef"], count=count)
    assert count.state == CountState.SECOND
    scan, _new = svc.count_scan(actor=memur, count=count, room=room, label=late.sicil_no)
    assert scan.round == 2

    second = svc.count_reconcile(count)
    assert second.missing == {lost.pk}

    with pytest.raises(PermissionDeniedError):  # the chair alone cannot prepare VİFs
        svc.count_close(actor=people["sef"], count=count)
    result = svc.count_close(actor=kayit, count=count)
    count.refresh_from_db()
    assert count.state == CountState.CLOSED and count.closed_at is not None
    assert [r["sicil"] for r in result["missing"]] == [lost.sicil_no]
    assert [r["sicil"] for r in result["surplus"]] == [gone.sicil_no]
    assert [r["found_in"] for r in result["elsewhere"]] == [str(room)]
    [row] = result["summary"]  # the Sayım ve Döküm Cetveli, per code
    assert (row["recorded"], row["counted"], row["surplus"], row["shortage"]) == (
        "5",
        "5",
        "1",
        "1",
    )
    assert row["value"] == "12500.00"
    assert svc.count_result(count) == result
    moved.refresh_from_db()
    assert moved.room_id == room.pk  # the records follow the count

    [surplus] = Vif.objects.filter(supporting_reference=svc.count_reference(count))
    assert result["vifs"] == [surplus.pk] and surplus.kind == VifKind.COUNT_SURPLUS
    # The shortage leaves on a Kayıttan Düşme Tutanağı documented by the Sayım Tutanağı
    # (no commission): the Director approves it, which prepares its VİF (art. 32/7).
    [writeoff] = WriteOff.objects.filter(pk__in=result["writeoffs"])
    assert (writeoff.commission, writeoff.reason) == (None, "count_shortage")
    assert writeoff.loss_report == svc.count_reference(count)
    assert [a.pk for a in writeoff.assets.all()] == [lost.pk]
    shortage = writeoff_approve(actor=people["mudur"], writeoff=writeoff).vif
    assert shortage.kind == VifKind.COUNT_SHORTAGE
    assert shortage.state == VifState.DRAFT and shortage.number is None
    assert [(line.asset_id, line.unit_price) for line in shortage.lines.all()] == [(lost.pk, 12500)]
    assert [line.asset_id for line in surplus.lines.all()] == [gone.pk]

    from bilgiislem.assets.services.vif import vif_sign

    vif_sign(actor=kayit, vif=shortage)
    vif_sign(actor=kayit, vif=surplus)
    lost.refresh_from_db()
    gone.refresh_from_db()
    assert lost.status == AssetStatus.WRITTEN_OFF
    assert gone.status == AssetStatus.IN_STORE
    assert svc.count_result(count) == result  # fixed at the close

    with pytest.raises(DomainError) as closed:
        svc.count_scan(actor=memur, count=count, room=room, label=here.sicil_no)
    assert "count" in closed.value.errors
    assert AuditEvent.objects.filter(action="assets.count.close").count() == 1


def test_second_round_needs_differences(people, count, room, asset_factory):
    asset = asset_factory(room=room, status=AssetStatus.IN_USE)
    svc.count_scan(actor=people["memur"], count=count, room=room, label=asset.sicil_no)
    with pytest.raises(DomainError) as none:
        svc.count_second_round(actor=people["mudur"], count=count)
    assert "count" in none.value.errors
    assert Count.objects.get(pk=count.pk).state == CountState.OPEN


def test_the_store_is_counted_and_lent_or_repaired_items_come_from_the_records(
    people, board, store, room, asset_factory
):
    """Items in store are looked for in the store's room (the ambar first, art. 32); an item
    lent on a tutanak or away for repair is taken from the records, like a Teslim Belgesi."""
    in_store = asset_factory()
    gone = asset_factory()
    lent = asset_factory(status=AssetStatus.LENT)
    repaired = asset_factory(room=room, status=AssetStatus.IN_REPAIR)
    in_use = asset_factory(room=room, status=AssetStatus.IN_USE)
    count = svc.count_start(actor=people["mudur"], board=board, rooms=[store.room, room])

    scan, _new = svc.count_scan(
        actor=people["sef"], count=count, room=store.room, label=in_store.sicil_no
    )
    assert scan.result == ScanResult.FOUND_HERE
    moved, _new = svc.count_scan(
        actor=people["sef"], count=count, room=store.room, label=in_use.sicil_no
    )
    assert moved.result == ScanResult.FOUND_ELSEWHERE

    rec = svc.count_reconcile(count)
    assert rec.missing == {gone.pk}
    assert rec.held == {lent.pk, repaired.pk}
    assert rec.found_here == {in_store.pk} and set(rec.elsewhere) == {in_use.pk}

    svc.count_second_round(actor=people["sef"], count=count)
    svc.count_close(actor=people["mudur"], count=count)
    in_use.refresh_from_db()
    # Found in its store's room: back in store.
    assert (in_use.room_id, in_use.status) == (None, AssetStatus.IN_STORE)
