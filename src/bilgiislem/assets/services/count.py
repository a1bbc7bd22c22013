"""Counts (sayım): the board, the scans room by room, the reconciliation, the second count of
differences and the close with its tutanak, cetvel, surplus VİFs and shortage write-offs
(issue 7; Taşınır Mal Yönetmeliği 2024, sayım).

Rules kept here:
- the Director (harcama yetkilisi) appoints a count board of at least three people that
  includes the taşınır kayıt yetkilisi, and opens counts over rooms;
- board members scan labels (the QR holds the sicil number); a label that is not on the
  records is refused and the attempt is written to the audit trail;
- an item on an open Teslim Belgesi is taken from the records, not looked for;
- the result is fixed when the count closes (``Count.result``, and the audit event of the
  close), because closing changes the records it was computed from (rooms corrected, VİFs
  signed later);
- the Sayım Tutanağı is made out per Taşınır II. Düzey Detay Kodu with the items at Taşınır
  Kodu level, the Taşınır Sayım ve Döküm Cetveli per I. Düzey group with the lines at II.
  Düzey level, and its "Gelecek Yıla Devir" equals the "Sayımda Bulunan Miktar" (art. 10/1-g,
  10/1-ğ); items on a Teslim Belgesi fill "Kayıtlara Göre Kişilere Verilen Miktar" (32/5).
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
from collections import defaultdict
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from bilgiislem.audit.models import AuditEvent
from bilgiislem.audit.services import audit_record
from bilgiislem.core.errors import DomainError, PermissionDeniedError

from .. import roles
from ..choices import AssetStatus, CountState, ScanResult, VifKind
from ..models import Asset, Board, Count, CountScan, HandoverDocument, Room, TasinirCode

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


def require_director(actor):
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
    post = require_director(actor)
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
    post = require_director(actor)
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
    asset = Asset.objects.filter(sicil_no=label).select_related("room", "store").first()
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
        elif (asset.room_id or asset.store.room_id) == room.pk:
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


def _with_place(assets):
    """``place``: the room an item is recorded in; an item in store is in its store's room
    (the ambar is counted first, art. 32)."""
    return assets.annotate(place=Coalesce("room_id", "store__room_id"))


def count_reconcile(count: Count) -> Reconciliation:
    """Missing, found elsewhere and surplus items of a count, the latest round winning.

    Four queries with plain tuples (no model instances): fast enough for 20,000 scans.
    """
    room_ids = set(count.rooms.values_list("pk", flat=True))
    # Recorded in a counted room, or in store with the store in a counted room (indexed
    # conditions; subqueries below, not lists of ids).
    recorded = Asset.objects.filter(
        Q(room_id__in=room_ids) | Q(room_id__isnull=True, store__room_id__in=room_ids)
    ).exclude(status=AssetStatus.WRITTEN_OFF)
    expected = dict(_with_place(recorded).values_list("pk", "place"))
    # Taken from the records, not looked for: items on an open Teslim Belgesi (art. 32),
    # items lent on a tutanak and items away for repair.
    held = set(
        HandoverDocument.objects.filter(
            returned_at__isnull=True, asset__in=recorded.values("pk")
        ).values_list("asset_id", flat=True)
    ) | set(
        recorded.filter(status__in=(AssetStatus.LENT, AssetStatus.IN_REPAIR)).values_list(
            "pk", flat=True
        )
    )
    latest: dict[int, tuple[int, int | None, str]] = {}
    rows = (
        CountScan.objects.filter(count=count, asset__isnull=False)
        .annotate(recorded=Coalesce("asset__room_id", "asset__store__room_id"))
        .order_by("round")
        .values_list("asset_id", "room_id", "recorded", "asset__status")
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


def _follow_the_count(elsewhere: dict[int, tuple[int | None, int]]) -> None:
    """Items found in another counted room are recorded there; one found in its own store's
    room is back in store, one found in a room is in use."""
    assets = Asset.objects.filter(pk__in=list(elsewhere)).select_related("store")
    for asset in assets:
        found = elsewhere[asset.pk][1]
        if found == asset.store.room_id:
            asset.room_id = None
            if asset.status == AssetStatus.IN_USE:
                asset.status = AssetStatus.IN_STORE
        else:
            asset.room_id = found
            if asset.status == AssetStatus.IN_STORE:
                asset.status = AssetStatus.IN_USE
        asset.save(update_fields=["room", "status"])


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


QUANTITIES = ("recorded", "held", "found", "surplus", "shortage")
VALUES = ("value", "found_value")


def _blank() -> dict:
    return {**dict.fromkeys(QUANTITIES, 0), **dict.fromkeys(VALUES, Decimal(0))}


def _level(code: str, depth: int) -> str:
    """The code cut to its account and ``depth - 1`` detail levels (2: I. Düzey, 3: II.)."""
    return ".".join(code.split(".")[:depth])


def _per_code(count: Count, rec: Reconciliation) -> tuple[dict[str, dict], dict[str, str]]:
    """Per Taşınır Kodu: recorded, given to persons, found, surplus, shortage and values."""
    room_ids = set(count.rooms.values_list("pk", flat=True))
    table: dict[str, dict] = defaultdict(_blank)
    titles: dict[str, str] = {}
    # The counted rooms' assets and whatever was scanned (subqueries: no long id lists).
    relevant = _with_place(Asset.objects).filter(
        Q(place__in=room_ids) | Q(pk__in=CountScan.objects.filter(count=count).values("asset_id"))
    )
    for pk, code, title, value, status, room_id in relevant.values_list(
        "pk", "code__code", "code__title", "value", "status", "place"
    ):
        titles[code] = title
        row = table[code]
        if pk in rec.surplus:  # off the records, found: entered again on a surplus VİF
            row["found"] += 1
            row["surplus"] += 1
            row["found_value"] += value
            continue
        if status == AssetStatus.WRITTEN_OFF:
            continue
        if room_id not in room_ids and pk not in rec.elsewhere:
            continue
        # On the records of the counted rooms (or found in one of them).
        row["recorded"] += 1
        row["value"] += value
        if pk in rec.missing:
            row["shortage"] += 1
            continue
        if pk in rec.held:  # on a Teslim Belgesi: taken from the records, not counted
            row["held"] += 1
        row["found"] += 1
        row["found_value"] += value
    return table, titles


def _as_text(row: dict) -> dict:
    return {k: str(v) for k, v in row.items()}


def _grouped(table: dict[str, dict], titles: dict[str, str], depth: int, lines_depth: int):
    """Groups of ``depth`` (2: I. Düzey, 3: II. Düzey) with lines at ``lines_depth``."""
    group_codes = {_level(code, depth) for code in table} | {
        _level(code, lines_depth) for code in table
    }
    names = dict(TasinirCode.objects.filter(code__in=group_codes).values_list("code", "title"))
    names.update(titles)
    groups: dict[str, dict[str, dict]] = defaultdict(lambda: defaultdict(_blank))
    for code, row in table.items():
        line = groups[_level(code, depth)][_level(code, lines_depth)]
        for key, amount in row.items():
            line[key] += amount
    result = []
    for group, lines in sorted(groups.items()):
        total = _blank()
        rows = []
        for code, line in sorted(lines.items()):
            for key, amount in line.items():
                total[key] += amount
            # Gelecek Yıla Devir: the records once the count's VİFs are signed.
            carried = line["recorded"] + line["surplus"] - line["shortage"]
            rows.append(
                {
                    "code": code,
                    "title": names.get(code, ""),
                    **_as_text(line),
                    "carried": str(carried),
                }
            )
        carried = total["recorded"] + total["surplus"] - total["shortage"]
        result.append(
            {
                "code": group,
                "title": names.get(group, ""),
                "rows": rows,
                "total": {**_as_text(total), "carried": str(carried)},
            }
        )
    return result


def _summaries(count: Count, rec: Reconciliation) -> dict:
    """The Sayım Tutanağı (per II. Düzey, items per Taşınır Kodu) and the Taşınır Sayım ve
    Döküm Cetveli (per I. Düzey group, lines per II. Düzey) of a count."""
    table, titles = _per_code(count, rec)
    summary = [
        {"code": code, "title": titles[code], **_as_text(row), "counted": str(row["found"])}
        for code, row in sorted(table.items())
    ]
    return {
        "summary": summary,
        "tutanak": _grouped(table, titles, depth=3, lines_depth=99),
        "cetvel": _grouped(table, titles, depth=2, lines_depth=3),
    }


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


def _shortage_writeoffs(*, actor, count: Count, rows: list[dict], on: datetime.date):
    """A shortage leaves on a Kayıttan Düşme Teklif ve Onay Tutanağı and a VİF (art. 32/7):
    one write-off per store, on the Sayım Tutanağı that documents it (no commission, art.
    10/1-e); the Director approves it, which prepares the count-shortage VİF."""
    from ..choices import WriteOffReason
    from .writeoff import writeoff_on_report

    by_store: dict[int, list[int]] = defaultdict(list)
    for row in rows:
        by_store[row["store_id"]].append(row["id"])
    assets = Asset.objects.in_bulk([r["id"] for r in rows])
    reference = count_reference(count)
    return [
        writeoff_on_report(
            actor=actor,
            reason=WriteOffReason.COUNT_SHORTAGE,
            explanation=_("Not found at the count, nor at the second count of differences."),
            assets=[assets[pk] for pk in ids],
            loss_report=reference,
            loss_report_date=on,
        )
        for _store, ids in sorted(by_store.items())
    ]


def count_close(*, actor, count: Count) -> dict:
    """Close the count: fix its result, correct the rooms of items found elsewhere, prepare
    the surplus VİFs (drafts for the kayıt yetkilisi to sign) and the shortage write-offs
    (for the Director to approve, which prepares their VİFs).

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
            **_summaries(count, rec),
        }
        # Items found in another counted room: the records follow the count.
        # The close's audit event names each item with both rooms ("elsewhere").
        _follow_the_count(rec.elsewhere)
        writeoffs = _shortage_writeoffs(actor=actor, count=count, rows=missing, on=today)
        surplus_vifs = _vifs_for(
            actor=actor, count=count, kind=VifKind.COUNT_SURPLUS, rows=surplus, on=today
        )
        result["vifs"] = [v.pk for v in surplus_vifs]
        result["writeoffs"] = [w.pk for w in writeoffs]
        count.state = CountState.CLOSED
        count.closed_at = timezone.now()
        count.closed_by = actor
        count.result = result
        count.save(update_fields=["state", "closed_at", "closed_by", "result"])
        audit_record(actor=actor, action=CLOSE_ACTION, obj=count, changes={"result": result})
    return result


def count_result(count: Count) -> dict | None:
    """The result fixed when the count closed (None while it is open)."""
    if count.state != CountState.CLOSED:
        return None
    if count.result:
        return count.result
    # Counts closed before Count.result existed: their close's audit event holds it.
    event = (
        AuditEvent.objects.filter(
            action=CLOSE_ACTION, object_type=Count._meta.label_lower, object_id=str(count.pk)
        )
        .order_by("-seq")
        .first()
    )
    return event.changes.get("result") if event else None
