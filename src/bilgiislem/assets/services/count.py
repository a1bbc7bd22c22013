"""Counts (sayım): the board, the scans room by room, the reconciliation, the second count of
differences and the close with its tutanak, cetvel and surplus/shortage VİFs (issue 7;
Taşınır Mal Yönetmeliği 2024, sayım).

Rules kept here:
- the Director (harcama yetkilisi) appoints a count board of at least three people that
  includes the taşınır kayıt yetkilisi, and opens counts over rooms;
- board members scan labels (the QR holds the sicil number); a label that is not on the
  records is refused and the attempt is written to the audit trail;
- an item on an open Teslim Belgesi is taken from the records, not looked for;
- the result is fixed when the count closes (the audit event of the close holds it), because
  closing changes the records it was computed from (rooms corrected, VİFs signed later).
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
from collections import defaultdict
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bilgiislem.audit.models import AuditEvent
from bilgiislem.audit.services import audit_record
from bilgiislem.core.errors import DomainError, PermissionDeniedError

from .. import roles
from ..choices import AssetStatus, CountState, ScanResult, VifKind
from ..models import Asset, Board, Count, CountScan, HandoverDocument, Room

log = logging.getLogger(__name__)

BOARD_MIN_MEMBERS = 3
CLOSE_ACTION = "assets.count.close"


# ---- who may do what -------------------------------------------------------------------


def is_board_member(person, count: Count) -> bool:
    return count.board.members.filter(pk=person.pk).exists()


def can_view_count(person, count: Count) -> bool:
    """The Director, the kayıt yetkilisi and the board's members see a count."""
    return bool(
        roles.harcama_post(person) or roles.kayit_post(person) or is_board_member(person, count)
    )


def _require_director(actor):
    post = roles.harcama_post(actor)
    if post is None:
        raise PermissionDeniedError(_("Only the Director (harcama yetkilisi) may do this."))
    return post


def _require_member(actor, count: Count):
    if not is_board_member(actor, count):
        raise PermissionDeniedError(_("Only the members of the count board may do this."))


def _require_chair_or_director(actor, count: Count):
    if count.board.chair_id != actor.pk and roles.harcama_post(actor) is None:
        raise PermissionDeniedError(_("Only the board's chair or the Director may do this."))


def _require_closer(actor, count: Count):
    """The Director, or the kayıt yetkilisi on the board: they prepare the count's VİFs."""
    if roles.harcama_post(actor) is None and not (
        roles.kayit_post(actor) and is_board_member(actor, count)
    ):
        raise PermissionDeniedError(
            _("Only the Director or the board's kayıt yetkilisi may close the count.")
        )


def _require_not_closed(count: Count):
    if count.state == CountState.CLOSED:
        raise DomainError(_("The count is closed."), field="count")


# ---- board and count --------------------------------------------------------------------


def count_board_appoint(*, actor, name: str, members, chair) -> Board:
    """The Director appoints a count board (≥ 3 people, with the kayıt yetkilisi)."""
    post = _require_director(actor)
    members = list({m.pk: m for m in members}.values())
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Give the board a name."), field="name")
    if len(members) < BOARD_MIN_MEMBERS:
        raise DomainError(
            _("A count board has at least %(n)d members.") % {"n": BOARD_MIN_MEMBERS},
            field="members",
        )
    if not any(roles.kayit_post(m) for m in members):
        raise DomainError(
            _("The count board must include the taşınır kayıt yetkilisi."), field="members"
        )
    if chair is None or chair.pk not in {m.pk for m in members}:
        raise DomainError(_("The chair must be one of the members."), field="chair")
    with transaction.atomic():
        board = Board.objects.create(
            purpose=Board.Purpose.COUNT, name=name, appointed_by=actor, chair=chair
        )
        board.members.set(members)
        audit_record(
            actor=actor,
            action="assets.count_board.appoint",
            obj=board,
            changes={"members": sorted(m.get_username() for m in members), "chair": str(chair)},
            acting_for=post.position if post.acting else None,
        )
    return board


def count_start(*, actor, board: Board, rooms, year: int | None = None) -> Count:
    """The Director opens a count of ``rooms`` by a count board."""
    post = _require_director(actor)
    if board.purpose != Board.Purpose.COUNT:
        raise DomainError(_("This board is not a count board."), field="board")
    rooms = list(rooms)
    if not rooms:
        raise DomainError(_("Choose the rooms to count."), field="rooms")
    with transaction.atomic():
        count = Count.objects.create(board=board, year=year or timezone.localdate().year)
        count.rooms.set(rooms)
        audit_record(
            actor=actor,
            action="assets.count.start",
            obj=count,
            changes={"rooms": [str(r) for r in rooms], "year": count.year},
            acting_for=post.position if post.acting else None,
        )
    return count


# ---- scanning ------------------------------------------------------------------------


def current_round(count: Count) -> int:
    return 2 if count.state == CountState.SECOND else 1


def _log_unknown_label(*, actor, count: Count, room: Room, label: str) -> None:
    """Written in its own transaction: the refused scan itself changes nothing."""
    log.warning("count %s: unknown label %r scanned in room %s", count.pk, label, room.pk)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="assets.count.unknown_label",
            obj=count,
            changes={"label": label[:100], "room": str(room)},
            reason="unknown label",
        )


def count_scan(*, actor, count: Count, room: Room, label: str) -> tuple[CountScan, bool]:
    """Record one scanned label in a room; returns the scan and whether it is new.

    Scanning the same item again in the same room and round is harmless (a phone reads a
    label twice); the same item in another room in the same round is refused.
    """
    _require_member(actor, count)
    _require_not_closed(count)
    label = (label or "").strip()
    if not label:
        raise DomainError(_("Scan or type a label."), field="label")
    if not count.rooms.filter(pk=room.pk).exists():
        raise DomainError(_("This room is not part of the count."), field="room")
    asset = Asset.objects.filter(sicil_no=label).select_related("room").first()
    if asset is None:
        _log_unknown_label(actor=actor, count=count, room=room, label=label)
        raise DomainError(_("Unknown label: %(label)s") % {"label": label[:100]}, field="label")
    rnd = current_round(count)
    with transaction.atomic():
        earlier = (
            CountScan.objects.select_for_update()
            .filter(count=count, round=rnd, asset=asset)
            .select_related("room")
            .first()
        )
        if earlier is not None:
            if earlier.room_id == room.pk:
                return earlier, False
            raise DomainError(
                _("%(sicil)s was already counted in %(room)s in this round.")
                % {"sicil": asset.sicil_no, "room": earlier.room},
                field="label",
            )
        if asset.status == AssetStatus.WRITTEN_OFF:
            result = ScanResult.UNEXPECTED
        elif asset.room_id == room.pk:
            result = ScanResult.FOUND_HERE
        else:
            result = ScanResult.FOUND_ELSEWHERE
        try:
            with transaction.atomic():
                scan = CountScan.objects.create(
                    count=count,
                    round=rnd,
                    room=room,
                    asset=asset,
                    label=label[:100],
                    result=result,
                    scanned_by=actor,
                )
        except IntegrityError:
            # Another member scanned the same item at the same moment (the row lock above
            # cannot lock a row that does not exist yet).
            raise DomainError(
                _("%(sicil)s was just counted by another member.") % {"sicil": asset.sicil_no},
                field="label",
            ) from None
        audit_record(
            actor=actor,
            action="assets.count.scan",
            obj=count,
            changes={"sicil": asset.sicil_no, "room": str(room), "round": rnd, "result": result},
        )
    return scan, True


# ---- reconciliation ------------------------------------------------------------------


@dataclasses.dataclass
class Reconciliation:
    """Asset ids by outcome. ``elsewhere`` maps an asset to (recorded room, found room)."""

    expected: int
    found_here: set[int]
    missing: set[int]
    elsewhere: dict[int, tuple[int | None, int]]
    surplus: dict[int, int]  # asset id → room found in
    held: set[int]  # on an open Teslim Belgesi: taken from the records

    @property
    def differences(self) -> int:
        return len(self.missing) + len(self.elsewhere) + len(self.surplus)


def count_reconcile(count: Count) -> Reconciliation:
    """Missing, found elsewhere and surplus items of a count, the latest round winning.

    Three queries with plain tuples (no model instances): fast enough for 20,000 scans.
    """
    room_ids = set(count.rooms.values_list("pk", flat=True))
    expected = dict(
        Asset.objects.filter(room_id__in=room_ids)
        .exclude(status=AssetStatus.WRITTEN_OFF)
        .values_list("pk", "room_id")
    )
    held = set(
        HandoverDocument.objects.filter(
            returned_at__isnull=True, asset__room_id__in=room_ids
        ).values_list("asset_id", flat=True)
    )
    latest: dict[int, tuple[int, int | None, str]] = {}
    rows = (
        CountScan.objects.filter(count=count, asset__isnull=False)
        .order_by("round")
        .values_list("asset_id", "room_id", "asset__room_id", "asset__status")
    )
    for asset_id, found_room, recorded_room, status in rows:
        latest[asset_id] = (found_room, recorded_room, status)
    found_here: set[int] = set()
    elsewhere: dict[int, tuple[int | None, int]] = {}
    surplus: dict[int, int] = {}
    for asset_id, (found_room, recorded_room, status) in latest.items():
        if status == AssetStatus.WRITTEN_OFF:
            surplus[asset_id] = found_room
        elif recorded_room == found_room:
            found_here.add(asset_id)
        else:
            elsewhere[asset_id] = (recorded_room, found_room)
    missing = set(expected) - set(latest) - held
    return Reconciliation(
        expected=len(expected),
        found_here=found_here,
        missing=missing,
        elsewhere=elsewhere,
        surplus=surplus,
        held=held & set(expected),
    )


def count_second_round(*, actor, count: Count) -> Count:
    """Start the second count of the differences found by the first."""
    _require_chair_or_director(actor, count)
    if count.state != CountState.OPEN:
        raise DomainError(_("The second count has already started."), field="count")
    rec = count_reconcile(count)
    if not rec.differences:
        raise DomainError(_("There are no differences to count again."), field="count")
    with transaction.atomic():
        count.state = CountState.SECOND
        count.save(update_fields=["state"])
        audit_record(
            actor=actor,
            action="assets.count.second_round",
            obj=count,
            changes={
                "missing": len(rec.missing),
                "elsewhere": len(rec.elsewhere),
                "surplus": len(rec.surplus),
            },
        )
    return count


# ---- closing -----------------------------------------------------------------------------


def count_reference(count: Count) -> str:
    """The supporting reference of the count's VİFs: its Sayım Tutanağı."""
    return f"Sayım Tutanağı {count.year}/{count.pk}"


def _asset_rows(ids) -> list[dict]:
    qs = Asset.objects.filter(pk__in=list(ids)).select_related("code", "room", "store")
    return [
        {
            "id": a.pk,
            "sicil": a.sicil_no,
            "code": a.code.code,
            "title": a.code.title,
            "name": f"{a.make} {a.model}".strip(),
            "value": str(a.value),
            "room": str(a.room) if a.room else "",
            "store_id": a.store_id,
        }
        for a in qs.order_by("sicil_no")
    ]


def _summary(count: Count, rec: Reconciliation) -> list[dict]:
    """Per code: recorded, counted, surplus, shortage (Taşınır Sayım ve Döküm Cetveli)."""
    room_ids = set(count.rooms.values_list("pk", flat=True))
    table: dict[str, dict] = defaultdict(
        lambda: {"recorded": 0, "counted": 0, "surplus": 0, "shortage": 0, "value": Decimal(0)}
    )
    titles: dict[str, str] = {}
    counted = rec.found_here | set(rec.elsewhere) | set(rec.surplus) | rec.held
    # The counted rooms' assets and whatever was scanned (subqueries: no long id lists).
    relevant = Asset.objects.filter(
        Q(room_id__in=room_ids) | Q(pk__in=CountScan.objects.filter(count=count).values("asset_id"))
    )
    for pk, code, title, value, status, room_id in relevant.values_list(
        "pk", "code__code", "code__title", "value", "status", "room_id"
    ):
        titles[code] = title
        row = table[code]
        if pk in rec.surplus:
            row["surplus"] += 1
            row["counted"] += 1
            continue
        if status == AssetStatus.WRITTEN_OFF:
            continue
        if room_id in room_ids:
            row["recorded"] += 1
            row["value"] += value
        if pk in rec.missing:
            row["shortage"] += 1
        elif pk in counted:
            row["counted"] += 1
    return [
        {"code": code, "title": titles[code], **{k: str(v) for k, v in row.items()}}
        for code, row in sorted(table.items())
    ]


def _vifs_for(*, actor, count: Count, kind: str, rows: list[dict], on: datetime.date):
    """One draft VİF per store; the kayıt yetkilisi signs them through the VİF pages."""
    from ..models import Store
    from .vif import vif_create

    by_store: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        by_store[row["store_id"]].append(row)
    assets = Asset.objects.select_related("code").in_bulk([r["id"] for r in rows])
    stores = Store.objects.in_bulk(list(by_store))
    vifs = []
    for store_id, lines in sorted(by_store.items()):
        vifs.append(
            vif_create(
                actor=actor,
                kind=kind,
                store=stores[store_id],
                date=on,
                supporting_reference=count_reference(count),
                supporting_date=on,
                lines=[
                    {
                        "code": assets[r["id"]].code,
                        "asset": assets[r["id"]],
                        "quantity": Decimal(1),
                        "unit_price": Decimal(r["value"]),
                        "description": f"{r['sicil']} {r['name']}".strip(),
                    }
                    for r in lines
                ],
            )
        )
    return vifs


def count_close(*, actor, count: Count) -> dict:
    """Close the count: fix its result, correct the rooms of items found elsewhere, and
    prepare the surplus and shortage VİFs (drafts for the kayıt yetkilisi to sign).

    Returns the result as stored in the close's audit event (see ``count_result``).
    """
    _require_closer(actor, count)
    _require_not_closed(count)
    today = timezone.localdate()
    with transaction.atomic():
        count = Count.objects.select_for_update().get(pk=count.pk)
        _require_not_closed(count)
        rec = count_reconcile(count)
        rooms = {r.pk: str(r) for r in Room.objects.all()}
        missing = _asset_rows(rec.missing)
        surplus = _asset_rows(rec.surplus)
        elsewhere = _asset_rows(rec.elsewhere)
        for row in elsewhere:
            recorded, found = rec.elsewhere[row["id"]]
            row["found_in"] = rooms.get(found, "")
            row["recorded_in"] = rooms.get(recorded, "") if recorded else ""
        for row in surplus:
            row["found_in"] = rooms.get(rec.surplus[row["id"]], "")
        result = {
            "closed_on": today.isoformat(),
            "expected": rec.expected,
            "found_here": len(rec.found_here),
            "held": len(rec.held),
            "missing": missing,
            "elsewhere": elsewhere,
            "surplus": surplus,
            "summary": _summary(count, rec),
        }
        # Items found in another counted room: the records follow the count.
        # The close's audit event names each item with both rooms ("elsewhere").
        by_room: dict[int, list[int]] = defaultdict(list)
        for asset_id, (_recorded, found) in rec.elsewhere.items():
            by_room[found].append(asset_id)
        for found, ids in by_room.items():
            Asset.objects.filter(pk__in=ids).update(room_id=found)
        shortage_vifs = _vifs_for(
            actor=actor, count=count, kind=VifKind.COUNT_SHORTAGE, rows=missing, on=today
        )
        surplus_vifs = _vifs_for(
            actor=actor, count=count, kind=VifKind.COUNT_SURPLUS, rows=surplus, on=today
        )
        result["vifs"] = [v.pk for v in shortage_vifs + surplus_vifs]
        count.state = CountState.CLOSED
        count.closed_at = timezone.now()
        count.save(update_fields=["state", "closed_at"])
        audit_record(actor=actor, action=CLOSE_ACTION, obj=count, changes={"result": result})
    return result


def count_result(count: Count) -> dict | None:
    """The result fixed when the count closed (None while it is open)."""
    if count.state != CountState.CLOSED:
        return None
    event = (
        AuditEvent.objects.filter(
            action=CLOSE_ACTION, object_type=Count._meta.label_lower, object_id=str(count.pk)
        )
        .order_by("-seq")
        .first()
    )
    return event.changes.get("result") if event else None
