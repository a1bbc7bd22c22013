"""Sites (buildings and public places), rooms and stores (ambar).

Bilgi İşlem staff see every place (permissions.is_asset_staff); the kayıt yetkilisi, the
Director and the Chief record and change them (permissions.can_manage_places). Places are
never deleted (assets and documents refer to them): a site goes out of use instead.
"""

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from bilgiislem.audit.services import audit_record
from bilgiislem.core.errors import DomainError

from ..choices import AssetStatus, SiteKind
from ..models import Asset, Room, Site, Store
from ._common import acting_for, require_place_manager


def _text(value, field, message, *, required=True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(message, field=field)
    return value


@transaction.atomic
def site_create(*, actor, kind: str, name: str, address: str = "") -> Site:
    post = require_place_manager(actor)
    if kind not in SiteKind.values:
        raise DomainError(_("Choose a kind of site."), field="kind")
    name = _text(name, "name", _("Enter the site's name."))
    if Site.objects.filter(name__iexact=name).exists():
        raise DomainError(_("A site with this name exists."), field="name")
    site = Site.objects.create(kind=kind, name=name, address=(address or "").strip())
    audit_record(
        actor=actor,
        action="assets.site.created",
        obj=site,
        changes={"kind": kind, "name": name, "address": site.address},
        acting_for=acting_for(post),
    )
    return site


@transaction.atomic
def site_update(*, actor, site: Site, **fields) -> Site:
    post = require_place_manager(actor)
    site = Site.objects.select_for_update().get(pk=site.pk)
    changes = {}
    for field in ("kind", "name", "address", "active"):
        if field not in fields:
            continue
        value = fields[field]
        if field == "kind" and value not in SiteKind.values:
            raise DomainError(_("Choose a kind of site."), field="kind")
        if field == "name":
            value = _text(value, "name", _("Enter the site's name."))
            if Site.objects.filter(name__iexact=value).exclude(pk=site.pk).exists():
                raise DomainError(_("A site with this name exists."), field="name")
        if field == "address":
            value = (value or "").strip()
        if getattr(site, field) != value:
            changes[field] = [getattr(site, field), value]
            setattr(site, field, value)
    if changes:
        site.save(update_fields=list(changes))
        audit_record(
            actor=actor,
            action="assets.site.updated",
            obj=site,
            changes=changes,
            acting_for=acting_for(post),
        )
    return site


@transaction.atomic
def room_create(
    *, actor, site: Site, name: str, floor: str = "", unit=None, shared: bool = False
) -> Room:
    post = require_place_manager(actor)
    if site is None:
        raise DomainError(_("Choose a site."), field="site")
    # The row as it stands now (locked): a site taken out of use gets no new rooms.
    site = Site.objects.select_for_update().get(pk=site.pk)
    if not site.active:
        raise DomainError(_("This site is no longer in use."), field="site")
    name = _text(name, "name", _("Enter the room's name."))
    floor = (floor or "").strip()
    if Room.objects.filter(site=site, floor=floor, name__iexact=name).exists():
        raise DomainError(_("This room exists on this floor of the site."), field="name")
    room = Room.objects.create(site=site, floor=floor, name=name, unit=unit, shared=shared)
    audit_record(
        actor=actor,
        action="assets.room.created",
        obj=room,
        changes={
            "site": str(site),
            "floor": floor,
            "name": name,
            "unit": str(unit or ""),
            "shared": shared,
        },
        acting_for=acting_for(post),
    )
    return room


@transaction.atomic
def room_update(*, actor, room: Room, **fields) -> Room:
    post = require_place_manager(actor)
    room = Room.objects.select_for_update().get(pk=room.pk)
    changes = {}
    for field in ("floor", "name", "unit", "shared"):
        if field not in fields:
            continue
        value = fields[field]
        if field == "name":
            value = _text(value, "name", _("Enter the room's name."))
        if field == "floor":
            value = (value or "").strip()
        if getattr(room, field) != value:
            changes[field] = [str(getattr(room, field) or ""), str(value or "")]
            setattr(room, field, value)
    if changes:
        clash = Room.objects.filter(site=room.site, floor=room.floor, name__iexact=room.name)
        if clash.exclude(pk=room.pk).exists():
            raise DomainError(_("This room exists on this floor of the site."), field="name")
        room.save(update_fields=list(changes))
        audit_record(
            actor=actor,
            action="assets.room.updated",
            obj=room,
            changes=changes,
            acting_for=acting_for(post),
        )
    return room


def _store_code(code) -> str:
    code = (code or "").strip()
    if len(code) != 2 or not code.isalnum():
        raise DomainError(_("A store code has two letters or digits."), field="code")
    return code


@transaction.atomic
def store_create(*, actor, unit, code: str, name: str, room: Room | None = None) -> Store:
    """An ambar of a spending unit with its two-character code (e.g. ``01``)."""
    post = require_place_manager(actor)
    if unit is None:
        raise DomainError(_("Choose the spending unit."), field="unit")
    code = _store_code(code)
    name = _text(name, "name", _("Enter the store's name."))
    if Store.objects.filter(unit=unit, code=code).exists():
        raise DomainError(_("This unit already has a store with this code."), field="code")
    store = Store.objects.create(unit=unit, code=code, name=name, room=room)
    audit_record(
        actor=actor,
        action="assets.store.created",
        obj=store,
        changes={"unit": str(unit), "code": code, "name": name, "room": str(room or "")},
        acting_for=acting_for(post),
    )
    return store


@transaction.atomic
def store_update(*, actor, store: Store, **fields) -> Store:
    """Change a store's ``code`` (two characters, unique in its unit), ``name`` or ``room``;
    its spending unit never changes (its documents and numbers belong to that unit)."""
    post = require_place_manager(actor)
    store = Store.objects.select_for_update().get(pk=store.pk)
    changes = {}
    for field, value in fields.items():
        if field == "code":
            value = _store_code(value)
            if Store.objects.filter(unit_id=store.unit_id, code=value).exclude(pk=store.pk):
                raise DomainError(_("This unit already has a store with this code."), field="code")
        elif field == "name":
            value = _text(value, "name", _("Enter the store's name."))
        elif field != "room":
            raise DomainError(_("This field cannot be changed."), field=field)
        if getattr(store, field) != value:
            changes[field] = [str(getattr(store, field) or ""), str(value or "")]
            setattr(store, field, value)
    if changes:
        store.save(update_fields=list(changes))
        audit_record(
            actor=actor,
            action="assets.store.updated",
            obj=store,
            changes=changes,
            acting_for=acting_for(post),
        )
    return store


# ---------------------------------------------------------------- reads

# Statuses of an asset that is still on the store's records (written-off ones have left).
ON_RECORD = [AssetStatus.IN_STORE, AssetStatus.IN_USE, AssetStatus.IN_REPAIR, AssetStatus.LENT]


def store_durables(store: Store) -> list[dict]:
    """The durable items on a store's records by code: one aggregate query, so a store of
    any size answers at once. Each row: ``code``, ``title``, ``total`` and one count per
    status still on the records (``in_store``, ``in_use``, ``in_repair``, ``lent``)."""
    counts = {str(status): Count("id", filter=Q(status=status)) for status in ON_RECORD}
    rows = (
        Asset.objects.filter(store=store, status__in=ON_RECORD)
        .values("code__code", "code__title")
        .annotate(total=Count("id"), **counts)
        .order_by("code__code")
    )
    return [
        {
            "code": row.pop("code__code"),
            "title": row.pop("code__title"),
            **row,
        }
        for row in rows
    ]


def store_stock(store: Store) -> list:
    """Consumables the store's lots still hold, with their quantity and value on hand."""
    from .stock import on_hand_by_item

    return list(on_hand_by_item(store).filter(on_hand__gt=0).order_by("code__code", "name"))


def room_asset_counts(site: Site) -> dict[int, int]:
    """Assets on the records in each room of a site (one query)."""
    rows = (
        Asset.objects.filter(room__site=site, status__in=ON_RECORD)
        .values("room_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["room_id"]: row["n"] for row in rows}
