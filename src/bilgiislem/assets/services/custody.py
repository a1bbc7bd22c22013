"""Who holds what: İstek Belgesi, Taşınır Teslim Belgesi, shared-room lists, ilişik kesme.

- A unit asks for an item (``AssetRequest``); the Director (harcama yetkilisi) approves or
  rejects it.
- The kayıt yetkilisi gives a durable item to a member of staff on a numbered Teslim
  Belgesi (numbered from 1 each year); the receiver acknowledges it in the system, or the
  officer uploads the signed paper. The return is written on the same document, without a
  VİF (art. 18/3, 23).
- Items of a shared room are on its Dayanıklı Taşınırlar Listesi, signed by the unit head
  (or, for a room of no unit, by the kayıt yetkilisi or the Director).
- Before a person leaves (ilişik kesme) ``person_clearance`` lists what they still hold.
"""

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from bilgiislem.audit.services import audit_record
from bilgiislem.core.counters import next_number
from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.organization import permissions as org
from bilgiislem.registry.services._common import acting_for, atomic_service
from bilgiislem.registry.services.files import check_upload, store_upload

from ..choices import AssetStatus, DocumentKind, RequestState
from ..models import (
    Asset,
    AssetRequest,
    DocumentCounter,
    HandoverDocument,
    Room,
    SharedListSignOff,
)
from ..roles import harcama_post, kayit_post

SCAN_EXTENSIONS = ("pdf", "jpg", "jpeg", "png", "tif", "tiff")


def _require_kayit(actor):
    post = kayit_post(actor)
    if post is None:
        raise PermissionDeniedError(_("Only the movable property officer may do this."))
    return post


# --- İstek Belgesi ---------------------------------------------------------------------


def requesting_unit_ids(person) -> set[int]:
    """Units a person may ask for: their posts' units, those units' directorates (a
    technician of a sub-unit asks for the directorate) and the units they manage."""
    units = set(org.managed_unit_ids(person))
    for post in org.effective_posts(person):
        units.add(post.unit_id)
        directorate = org.directorate_of(post.position.unit)
        if directorate is not None:
            units.add(directorate.pk)
    return units


@atomic_service
def asset_request_submit(
    *, actor, unit, code, purpose: str, quantity=1, for_person=None, ticket=None
) -> AssetRequest:
    """A member of a unit asks for an item for the unit (or for one of its people)."""
    if unit.pk not in requesting_unit_ids(actor):
        raise PermissionDeniedError(_("You may ask only for your own unit."))
    purpose = (purpose or "").strip()
    if not purpose:
        raise DomainError(_("Say what the item is needed for."), field="purpose")
    if code is None:
        raise DomainError(_("Choose the movable property code."), field="code")
    try:
        quantity = int(quantity)
    except (TypeError, ValueError):
        quantity = 0
    if quantity <= 0:
        raise DomainError(_("Quantities must be greater than zero."), field="quantity")
    request = AssetRequest.objects.create(
        unit=unit,
        requested_by=actor,
        for_person=for_person,
        code=code,
        quantity=quantity,
        purpose=purpose,
        ticket=ticket,
    )
    audit_record(
        actor=actor,
        action="assets.request.submit",
        obj=request,
        changes={"unit": unit.pk, "code": code.code, "quantity": quantity},
    )
    return request


@atomic_service
def asset_request_decide(*, actor, request: AssetRequest, approve: bool, note: str = ""):
    """The Director approves or rejects a request; a rejection says why."""
    post = harcama_post(actor)
    if post is None:
        raise PermissionDeniedError(_("Only the Director decides on requests."))
    request = AssetRequest.objects.select_for_update().get(pk=request.pk)
    if request.state != RequestState.REQUESTED:
        raise DomainError(_("This request has already been decided."), field="state")
    note = (note or "").strip()
    if not approve and not note:
        raise DomainError(_("Say why the request is rejected."), field="decision_note")
    request.state = RequestState.APPROVED if approve else RequestState.REJECTED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.decision_note = note
    request.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    audit_record(
        actor=actor,
        action="assets.request.approve" if approve else "assets.request.reject",
        obj=request,
        acting_for=acting_for(post),
        changes={"state": [RequestState.REQUESTED, request.state]},
        reason=note,
    )
    return request


# --- Taşınır Teslim Belgesi ------------------------------------------------------------


def _is_staff_member(person) -> bool:
    """A person with a post (held or acting): only staff may be given items."""
    return bool(person is not None and org.effective_posts(person))


def _handover_number(year: int) -> int:
    """The next Teslim Belgesi number of the year from its ``DocumentCounter`` (gapless: the
    counter row stays locked until the issue commits, a rollback gives the number back).

    Documents numbered before the counter existed are counted once: a year's counter starts
    from the highest number already given that year.
    """
    key = {"kind": DocumentKind.HANDOVER, "year": year}
    if not DocumentCounter.objects.filter(**key).exists():
        top = HandoverDocument.objects.filter(year=year).aggregate(m=Max("number"))["m"]
        if top:
            try:
                with transaction.atomic():
                    DocumentCounter.objects.create(**key, last_number=top)
            except IntegrityError:
                pass  # a concurrent issue created it first
    return next_number(DocumentCounter, **key)


def _create_numbered_handover(**values) -> HandoverDocument:
    year = timezone.localtime(values["issued_at"]).year
    number = _handover_number(year)
    try:
        with transaction.atomic():
            return HandoverDocument.objects.create(year=year, number=number, **values)
    except IntegrityError:
        # Only one open Teslim Belgesi per item (a concurrent issue of the same item won).
        raise DomainError(
            _("This item is already handed over to someone."), field="asset"
        ) from None


@atomic_service
def handover_issue(*, actor, asset: Asset, receiver, request: AssetRequest | None = None):
    """The kayıt yetkilisi gives an item to a member of staff on a Teslim Belgesi."""
    post = _require_kayit(actor)
    if not _is_staff_member(receiver):
        raise DomainError(_("Items are handed over only to members of staff."), field="receiver")
    asset = Asset.objects.select_for_update().get(pk=asset.pk)
    if asset.status == AssetStatus.WRITTEN_OFF:
        raise DomainError(_("This item is no longer on the records."), field="asset")
    if asset.status in (AssetStatus.LENT, AssetStatus.IN_REPAIR):
        # A lent item is with its borrower, one in repair with the repairer (H-LOANS).
        raise DomainError(_("This item is lent or in repair."), field="asset")
    if asset.handovers.filter(returned_at__isnull=True).exists():
        raise DomainError(_("This item is already handed over to someone."), field="asset")
    if request is not None:
        request = AssetRequest.objects.select_for_update().get(pk=request.pk)
        if request.state not in (RequestState.APPROVED, RequestState.ISSUED):
            raise DomainError(_("The request has not been approved."), field="request")
        if request.code_id != asset.code_id:
            raise DomainError(_("The item is not of the requested code."), field="request")
    handover = _create_numbered_handover(
        asset=asset, receiver=receiver, request=request, issued_by=actor, issued_at=timezone.now()
    )
    previous = {"holder": asset.holder_id, "status": asset.status}
    asset.holder = receiver
    asset.status = AssetStatus.IN_USE
    asset.save(update_fields=["holder", "status"])
    if request is not None and request.state == RequestState.APPROVED:
        request.state = RequestState.ISSUED
        request.save(update_fields=["state"])
    audit_record(
        actor=actor,
        action="assets.handover.issue",
        obj=handover,
        acting_for=acting_for(post),
        changes={
            "number": f"{handover.year}/{handover.number}",
            "asset": asset.sicil_no,
            "receiver": receiver.get_username(),
            "holder": [previous["holder"], receiver.pk],
            "status": [previous["status"], asset.status],
        },
    )
    audit_record(
        actor=actor,
        action="assets.asset.hand_over",
        obj=asset,
        acting_for=acting_for(post),
        changes={"holder": [previous["holder"], receiver.pk]},
    )
    return handover


@atomic_service
def handover_acknowledge(*, actor, handover: HandoverDocument) -> HandoverDocument:
    """The receiver confirms in the system that they received the item."""
    handover = HandoverDocument.objects.select_for_update().get(pk=handover.pk)
    if handover.receiver_id != actor.pk:
        raise PermissionDeniedError(_("Only the receiver acknowledges the handover."))
    if handover.returned_at is not None:
        raise DomainError(_("The item has been returned."), field="state")
    if handover.acknowledged_at is not None:
        raise DomainError(_("The handover has already been acknowledged."), field="state")
    handover.acknowledged_at = timezone.now()
    handover.save(update_fields=["acknowledged_at"])
    audit_record(
        actor=actor, action="assets.handover.acknowledge", obj=handover, changes={"ack": True}
    )
    return handover


@atomic_service
def handover_upload_scan(*, actor, handover: HandoverDocument, upload) -> HandoverDocument:
    """The kayıt yetkilisi keeps the scan of the paper the receiver signed; that counts as
    the acknowledgement. The bytes are kept by their SHA-256 (core.storage); a refused
    upload leaves none behind (atomic_service)."""
    post = _require_kayit(actor)
    check_upload(upload, allowed_extensions=SCAN_EXTENSIONS)
    handover = HandoverDocument.objects.select_for_update().get(pk=handover.pk)
    stored, _content_type, _text = store_upload(upload, allowed_extensions=SCAN_EXTENSIONS)
    handover.signed_scan_sha256 = stored.sha256
    fields = ["signed_scan_sha256"]
    if handover.acknowledged_at is None:
        handover.acknowledged_at = timezone.now()
        fields.append("acknowledged_at")
    handover.save(update_fields=fields)
    audit_record(
        actor=actor,
        action="assets.handover.scan",
        obj=handover,
        acting_for=acting_for(post),
        changes={"signed_scan_sha256": stored.sha256},
    )
    return handover


@atomic_service
def handover_return(*, actor, handover: HandoverDocument, note: str = "") -> HandoverDocument:
    """The item comes back to the store: recorded on the same document, no VİF."""
    post = _require_kayit(actor)
    handover = HandoverDocument.objects.select_for_update().get(pk=handover.pk)
    if handover.returned_at is not None:
        raise DomainError(_("The item has already been returned."), field="state")
    handover.returned_at = timezone.now()
    handover.return_received_by = actor
    handover.return_note = (note or "").strip()
    handover.save(update_fields=["returned_at", "return_received_by", "return_note"])
    asset = Asset.objects.select_for_update().get(pk=handover.asset_id)
    previous = {"holder": asset.holder_id, "status": asset.status}
    asset.holder = None
    asset.status = AssetStatus.IN_STORE
    asset.room = None
    asset.save(update_fields=["holder", "status", "room"])
    audit_record(
        actor=actor,
        action="assets.handover.return",
        obj=handover,
        acting_for=acting_for(post),
        changes={"returned": True, "note": handover.return_note},
    )
    audit_record(
        actor=actor,
        action="assets.asset.return",
        obj=asset,
        acting_for=acting_for(post),
        changes={"holder": [previous["holder"], None], "status": [previous["status"], "in_store"]},
    )
    return handover


# --- What a person holds (ilişik kesme) ------------------------------------------------


def person_clearance(person) -> list[Asset]:
    """Items the person still holds on an open Teslim Belgesi: empty means clear."""
    return list(
        Asset.objects.filter(handovers__receiver=person, handovers__returned_at__isnull=True)
        .select_related("code", "room__site")
        .order_by("sicil_no")
        .distinct()
    )


def open_handovers(person):
    return (
        HandoverDocument.objects.filter(receiver=person, returned_at__isnull=True)
        .select_related("asset__code", "issued_by")
        .order_by("-issued_at")
    )


def can_see_clearance(viewer) -> bool:
    """The Director and the people administrators (HR) check what someone still holds."""
    return bool(harcama_post(viewer) or org.people_admin_post(viewer) or kayit_post(viewer))


# --- Dayanıklı Taşınırlar Listesi (shared rooms) ----------------------------------------


def shared_room_items(room: Room) -> list[Asset]:
    return list(
        Asset.objects.filter(room=room)
        .exclude(status=AssetStatus.WRITTEN_OFF)
        .select_related("code")
        .order_by("sicil_no")
    )


def shared_list_rows(room: Room) -> list[dict]:
    """The list as it is signed and printed (kept as it was in the sign-off)."""
    return [
        {"sicil_no": a.sicil_no, "code": a.code.code, "name": str(a), "value": str(a.value)}
        for a in shared_room_items(room)
    ]


def may_sign_shared_list(person, room: Room) -> bool:
    if room.unit_id is not None and room.unit_id in org.managed_unit_ids(person):
        return True
    return bool(kayit_post(person) or harcama_post(person))


@atomic_service
def shared_list_sign(*, actor, room: Room) -> SharedListSignOff:
    """The unit head (or the officer for a room of no unit) signs the room's list as it is."""
    if not room.shared:
        raise DomainError(_("Only a shared room has a Dayanıklı Taşınırlar Listesi."), field="room")
    if not may_sign_shared_list(actor, room):
        raise PermissionDeniedError(_("Only the head of the room's unit signs its list."))
    items = shared_list_rows(room)
    signoff = SharedListSignOff.objects.create(room=room, signed_by=actor, items=items)
    audit_record(
        actor=actor,
        action="assets.shared_list.sign",
        obj=signoff,
        changes={"room": room.pk, "items": [i["sicil_no"] for i in items]},
    )
    return signoff
