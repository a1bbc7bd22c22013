"""Sites (buildings and public places), rooms and stores (ambar)."""

from django.db import transaction
from django.utils.translation import gettext as _

from bilgiislem.audit.services import audit_record
from bilgiislem.core.errors import DomainError

from ..choices import SiteKind
from ..models import Room, Site, Store
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


@transaction.atomic
def store_create(*, actor, unit, code: str, name: str, room: Room | None = None) -> Store:
    """An ambar of a spending unit with its two-character code (e.g. ``01``)."""
    post = require_place_manager(actor)
    code = (code or "").strip()
    if len(code) != 2 or not code.isalnum():
        raise DomainError(_("A store code has two letters or digits."), field="code")
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
