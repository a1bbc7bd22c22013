"""Ambar Devir ve Teslim Tutanağı: a kayıt yetkilisi leaving hands the store over to the next
(Taşınır Mal Yönetmeliği 2024 art. 6/4, 10/1; standards.md 5.1–5.2).

- The outgoing kayıt yetkilisi prepares the tutanak for a store and names the incoming person
  (a member of staff, not the outgoing one). When the outgoing officer has already gone, the
  Director (harcama yetkilisi) prepares it in their name. The store's content at that moment
  is kept in ``items``: durable items by code (how many are in the store, how many are
  recorded out of it — with people, lent, in repair — and their value; the sicil numbers of
  those in the store) and the consumables' quantities. The number is the next of the year
  from the ``DocumentCounter`` (kind STORE_HANDOVER), taken in the same transaction.
- The incoming person accepts it (it then waits in their "İşlerim" until they do); the
  Director may cancel a tutanak not accepted yet.
- The tutanak prints in three copies with Devreden / Devralan / Onaylayan signature blocks.

Who holds the kayıt yetkilisi post afterwards is a matter of posts (organization): the
tutanak records the handover, it does not move anyone's post.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from bilgiislem.audit.services import audit_record
from bilgiislem.core.counters import next_number
from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.organization import permissions as org
from bilgiislem.registry.services._common import acting_for, atomic_service

from .. import permissions
from ..choices import AssetStatus, DocumentKind, StoreHandoverState
from ..models import Asset, DocumentCounter, Store, StoreHandover
from .stock import on_hand_by_item

# Three copies (art. 10/1): the outgoing officer, the incoming officer and the unit's file.
STORE_HANDOVER_COPIES = ("1", "2", "3")
ZERO = Decimal("0")


def may_view_store_handovers(person) -> bool:
    """Bilgi İşlem staff read every tutanak (the two officers read their own, see
    ``store_handovers_visible``)."""
    return permissions.is_asset_staff(person)


def store_handovers_visible(person):
    """The tutanaklar a person may see: every one for Bilgi İşlem staff, else those they hand
    over or take over."""
    from django.db.models import Q

    rows = StoreHandover.objects.select_related("store__unit", "handed_by", "received_by")
    if may_view_store_handovers(person):
        return rows
    if not getattr(person, "is_authenticated", False):
        return rows.none()
    return rows.filter(Q(handed_by=person) | Q(received_by=person))


def may_prepare(person) -> bool:
    return bool(permissions.kayit_post(person) or permissions.harcama_post(person))


def _is_staff_member(person) -> bool:
    """A person with a post (held or acting): only staff keep a store."""
    return bool(person is not None and org.effective_posts(person))


def _quantity(value) -> str:
    value = value or ZERO
    return str(int(value)) if value == value.to_integral_value() else str(value.normalize())


def store_content(store) -> dict:
    """The store's content as the tutanak keeps it: durables by code, consumables by item,
    aggregated in SQL (a store may hold thousands of items)."""
    durable_rows = (
        Asset.objects.filter(store=store)
        .exclude(status=AssetStatus.WRITTEN_OFF)
        .values("code__code", "code__title", "status")
        .annotate(n=Count("pk"), value=Sum("value"))
        .order_by("code__code", "status")
    )
    by_code: dict[str, dict] = {}
    for row in durable_rows:
        entry = by_code.setdefault(
            row["code__code"],
            {
                "code": row["code__code"],
                "title": row["code__title"],
                "in_store": 0,
                "elsewhere": 0,
                "value": ZERO,
                "sicil": [],
            },
        )
        key = "in_store" if row["status"] == AssetStatus.IN_STORE else "elsewhere"
        entry[key] += row["n"]
        entry["value"] += row["value"] or ZERO
    in_store = (
        Asset.objects.filter(store=store, status=AssetStatus.IN_STORE)
        .order_by("sicil_no")
        .values_list("code__code", "sicil_no")
    )
    for code, sicil in in_store:
        by_code[code]["sicil"].append(sicil)
    durables = [{**e, "value": str(e["value"])} for e in by_code.values()]
    stock = [
        {
            "item": item.pk,
            "code": item.code.code,
            "name": item.name,
            "unit": item.unit_of_measure,
            "quantity": _quantity(item.on_hand),
            "value": str(item.value_on_hand),
        }
        for item in on_hand_by_item(store).filter(on_hand__gt=0).order_by("code__code", "name")
    ]
    return {
        "durables": durables,
        "stock": stock,
        "totals": {
            "in_store": sum(e["in_store"] for e in durables),
            "elsewhere": sum(e["elsewhere"] for e in durables),
            "durable_value": str(sum((Decimal(e["value"]) for e in durables), start=ZERO)),
            "stock_value": str(sum((Decimal(s["value"]) for s in stock), start=ZERO)),
        },
    }


@atomic_service
def store_handover_prepare(
    *, actor, store, received_by, handed_by=None, note: str = ""
) -> StoreHandover:
    """The outgoing kayıt yetkilisi (or the Director, in their name) prepares the tutanak."""
    kayit = permissions.kayit_post(actor)
    director = permissions.harcama_post(actor)
    if kayit is None and director is None:
        raise PermissionDeniedError(
            _("Only the movable property officer or the Director prepares a store handover.")
        )
    handed_by = handed_by or actor
    if handed_by.pk != actor.pk and director is None:
        raise PermissionDeniedError(
            _("Only the Director prepares a store handover in another officer's name.")
        )
    if store is None:
        raise DomainError(_("Choose the store."), field="store")
    if received_by is None:
        raise DomainError(_("Choose who takes the store over."), field="received_by")
    if received_by.pk == handed_by.pk:
        raise DomainError(_("The store is handed over to another person."), field="received_by")
    if not _is_staff_member(received_by):
        raise DomainError(
            _("A store is handed over only to a member of staff."), field="received_by"
        )
    # The store row is locked so two tutanaklar cannot be prepared for it at once.
    store = Store.objects.select_for_update().get(pk=store.pk)
    if StoreHandover.objects.filter(store=store, state=StoreHandoverState.PREPARED).exists():
        raise DomainError(
            _("A handover of this store is waiting for acceptance: finish or cancel it first."),
            field="store",
        )
    now = timezone.now()
    year = timezone.localdate(now).year
    handover = StoreHandover.objects.create(
        year=year,
        number=next_number(DocumentCounter, kind=DocumentKind.STORE_HANDOVER, year=year),
        store=store,
        handed_by=handed_by,
        received_by=received_by,
        prepared_at=now,
        items=store_content(store),
        note=(note or "").strip(),
    )
    audit_record(
        actor=actor,
        action="assets.store_handover.prepare",
        obj=handover,
        acting_for=acting_for(kayit or director),
        changes={
            "number": f"{handover.year}/{handover.number}",
            "store": store.pk,
            "handed_by": handed_by.get_username(),
            "received_by": received_by.get_username(),
            "totals": handover.items["totals"],
        },
    )
    return handover


def _locked_prepared(handover: StoreHandover) -> StoreHandover:
    locked = StoreHandover.objects.select_for_update().get(pk=handover.pk)
    if locked.state != StoreHandoverState.PREPARED:
        raise DomainError(_("This handover has already been closed."), field="state")
    return locked


@atomic_service
def store_handover_accept(*, actor, handover: StoreHandover) -> StoreHandover:
    """The incoming person takes the store over as the tutanak lists it."""
    if handover.received_by_id != actor.pk:
        raise PermissionDeniedError(_("Only the person taking the store over accepts it."))
    handover = _locked_prepared(handover)
    handover.state = StoreHandoverState.ACCEPTED
    handover.accepted_at = timezone.now()
    handover.save(update_fields=["state", "accepted_at"])
    audit_record(
        actor=actor,
        action="assets.store_handover.accept",
        obj=handover,
        changes={"state": [StoreHandoverState.PREPARED, StoreHandoverState.ACCEPTED]},
    )
    return handover


@atomic_service
def store_handover_cancel(*, actor, handover: StoreHandover, reason: str) -> StoreHandover:
    """The Director cancels a tutanak not accepted yet (wrong person, content to recount …)."""
    post = permissions.harcama_post(actor)
    if post is None:
        raise PermissionDeniedError(_("Only the Director (harcama yetkilisi) may do this."))
    handover = _locked_prepared(handover)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the handover is cancelled."), field="reason")
    handover.state = StoreHandoverState.CANCELLED
    handover.save(update_fields=["state"])
    audit_record(
        actor=actor,
        action="assets.store_handover.cancel",
        obj=handover,
        acting_for=acting_for(post),
        changes={"state": [StoreHandoverState.PREPARED, StoreHandoverState.CANCELLED]},
        reason=reason,
    )
    return handover


def store_handover_pdf(handover: StoreHandover) -> bytes:
    """The tutanak in three copies with the content table and the Devreden / Devralan /
    Onaylayan signature blocks."""
    from ..pdf import _render

    return _render(
        "assets/store_documents/store_handover_pdf.html",
        {
            "h": handover,
            "content": handover.items or {},
            "director": director(),
            "copies": STORE_HANDOVER_COPIES,
        },
    )


def director():
    """Who holds the Director post of the directorate today, for the Onaylayan block."""
    from django.db.models import Q

    from bilgiislem.organization.choices import PositionKind
    from bilgiislem.organization.models import PositionHolding

    today = timezone.localdate()
    holding = (
        PositionHolding.objects.filter(
            position__kind=PositionKind.MUDUR,
            position__unit__in=org.system_owner_unit_ids(None),
            start_date__lte=today,
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("person")
        .order_by("start_date")
        .first()
    )
    return holding.person if holding is not None else None
