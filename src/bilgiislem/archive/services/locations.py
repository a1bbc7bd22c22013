"""Where paper lies (RYY art. 13(c)): building › room › cabinet › shelf › box, per unit archive
or the institutional archive, kept by the archive officer; a folder is put in a box and its
documents' paper originals are found there.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from bilgiislem.audit.services import audit_record
from bilgiislem.core.errors import DomainError
from bilgiislem.organization import permissions as org
from bilgiislem.organization.choices import UnitKind
from bilgiislem.organization.models import OrgUnit
from bilgiislem.registry.permissions import unit_facts
from bilgiislem.registry.services._common import acting_for, atomic_service, refuse

from .. import officers
from ..choices import FolderStage, LocationKind
from ..models import Folder, StorageLocation

SEPARATOR = " › "
# Deeper kinds go inside shallower ones; levels may be skipped (boxes straight on a shelf).
DEPTH = {
    LocationKind.BUILDING: 0,
    LocationKind.ROOM: 1,
    LocationKind.CABINET: 2,
    LocationKind.SHELF: 3,
    LocationKind.BOX: 4,
}
# Where a folder can be put.
HOLDS_FOLDERS = (LocationKind.SHELF, LocationKind.BOX)


# --- reading ---------------------------------------------------------------------------------


def location_paths(ids=None) -> dict[int, str]:
    """id → "Building › Room › … › Box" for every location (or those in ``ids``).

    The table is small (a municipality has hundreds of boxes): one query for all of it.
    """
    rows = {
        pk: (parent, label)
        for pk, parent, label in StorageLocation.objects.values_list("id", "parent_id", "label")
    }
    paths: dict[int, str] = {}

    def path(pk):
        if pk not in paths:
            parent, label = rows[pk]
            seen = [label]
            guard = 0
            while parent is not None and guard < 20:  # a cycle cannot be made, but never hang
                parent_of, parent_label = rows[parent]
                seen.append(parent_label)
                parent, guard = parent_of, guard + 1
            paths[pk] = SEPARATOR.join(reversed(seen))
        return paths[pk]

    wanted = rows.keys() if ids is None else [pk for pk in ids if pk in rows]
    return {pk: path(pk) for pk in wanted}


def location_path(location: StorageLocation | None) -> str:
    if location is None:
        return ""
    return location_paths([location.pk]).get(location.pk, location.label)


def folder_location_path(folder: Folder) -> str:
    """The folder's place, e.g. "Hizmet Binası › Arşiv Odası › Dolap 1 › Raf 2 › Kutu 14"."""
    return location_path(folder.location) if folder.location_id else ""


def document_paper_location(document) -> str:
    """Where a document's paper original is: its archive folder's location, else the free
    text the registry recorded (``Document.paper_location``)."""
    from ..models import ArchivedRecord, Filing

    record = (
        ArchivedRecord.objects.filter(document=document).select_related("folder__location").first()
    )
    folder = record.folder if record else None
    if folder is None or folder.location_id is None:
        filing = (
            Filing.objects.filter(document=document, is_main=True)
            .select_related("folder__location")
            .first()
        )
        folder = filing.folder if filing else folder
    if folder is not None and folder.location_id:
        return folder_location_path(folder)
    return document.paper_location


def archive_units_kept_by(person) -> list[OrgUnit | None]:
    """The archives the person keeps as an officer: directorates (unit archives) and None
    for the institutional archive; offered when a top-level location is made."""
    scope = officers.officer_scope(person)
    facts = unit_facts(scope.unit_ids)
    ids = [pk for pk in scope.unit_ids if facts.get(pk, ("",))[0] == UnitKind.MUDURLUK]
    archives: list[OrgUnit | None] = list(OrgUnit.objects.filter(pk__in=ids).order_by("name"))
    if scope.institution:
        archives.insert(0, None)
    return archives


def locations_visible_to(person):
    """Locations of the archives the person keeps or supervises (all for a superuser)."""
    if not getattr(person, "is_authenticated", False):
        return StorageLocation.objects.none()
    if person.is_superuser:
        return StorageLocation.objects.all()
    scope = officers.officer_scope(person) | officers.supervisor_scope(person)
    q = Q(pk__in=[])
    if scope.unit_ids:
        q |= Q(unit_id__in=scope.unit_ids)
    if scope.institution:
        q |= Q(unit__isnull=True)
    return StorageLocation.objects.filter(q)


def may_keep(person, archive_unit_id: int | None) -> org.EffectivePost | None:
    """The person's officer post keeping this archive (None: institutional), if any."""
    ids = {k.position.pk for k in officers.keepers_of_location_archive(archive_unit_id, person)}
    return next((p for p in org.effective_posts(person) if p.position.pk in ids), None)


# --- writing ---------------------------------------------------------------------------------


def _label(label: str) -> str:
    label = (label or "").strip()
    if not label:
        raise DomainError(_("Give the location a name."), field="label")
    if len(label) > 100:
        raise DomainError(_("The name is longer than 100 characters."), field="label")
    return label


def _label_free(*, parent, unit_id, label, exclude=None) -> None:
    siblings = StorageLocation.objects.filter(parent=parent, label__iexact=label)
    if parent is None:
        siblings = siblings.filter(unit_id=unit_id)
    if exclude is not None:
        siblings = siblings.exclude(pk=exclude.pk)
    if siblings.exists():
        raise DomainError(_("A location of that name is already there."), field="label")


@atomic_service
def location_create(
    *, actor, kind: str, label: str, parent: StorageLocation | None = None, unit=None
) -> StorageLocation:
    """Add a building, room, cabinet, shelf or box; inside ``parent`` or at the top of an
    archive (``unit``: its directorate, None for the institutional archive)."""
    label = _label(label)
    if kind not in DEPTH:
        raise DomainError(_("Choose what kind of place this is."), field="kind")
    if parent is not None:
        if not parent.active:
            raise DomainError(_("That place is no longer in use."), field="parent")
        if DEPTH[kind] <= DEPTH[parent.kind]:
            raise DomainError(
                _("A %(kind)s cannot go inside a %(parent)s.")
                % {"kind": LocationKind(kind).label, "parent": parent.get_kind_display()},
                field="kind",
            )
        unit_id = parent.unit_id
    else:
        unit_id = unit.pk if unit is not None else None
    post = may_keep(actor, unit_id)
    if post is None:
        refuse(
            actor=actor,
            action="archive.location.create_refused",
            obj=parent,
            message=_("Only the archive officer keeping this archive adds its places."),
        )
    _label_free(parent=parent, unit_id=unit_id, label=label)
    location = StorageLocation.objects.create(
        parent=parent, kind=kind, label=label, unit_id=unit_id
    )
    audit_record(
        actor=actor,
        action="archive.location.created",
        obj=location,
        changes={"kind": kind, "label": label, "path": location_path(location)},
        acting_for=acting_for(post),
    )
    return location


def _keeper_or_refuse(actor, location, verb):
    post = may_keep(actor, location.unit_id)
    if post is None:
        refuse(
            actor=actor,
            action=f"archive.location.{verb}_refused",
            obj=location,
            message=_("Only the archive officer keeping this archive changes its places."),
        )
    return post


@atomic_service
def location_rename(*, actor, location: StorageLocation, label: str) -> StorageLocation:
    post = _keeper_or_refuse(actor, location, "rename")
    label = _label(label)
    if label == location.label:
        return location
    _label_free(parent=location.parent, unit_id=location.unit_id, label=label, exclude=location)
    before = location.label
    location.label = label
    location.save(update_fields=["label"])
    audit_record(
        actor=actor,
        action="archive.location.renamed",
        obj=location,
        changes={"label": [before, label]},
        acting_for=acting_for(post),
    )
    return location


@atomic_service
def location_deactivate(*, actor, location: StorageLocation) -> StorageLocation:
    """Take a place out of use; only when nothing is left in it (move the folders first)."""
    post = _keeper_or_refuse(actor, location, "deactivate")
    if not location.active:
        raise DomainError(_("This place is already out of use."), field="active")
    if location.children.filter(active=True).exists() or location.folders.exists():
        raise DomainError(
            _("Something is still kept here: move its folders and places out first."),
            field="active",
        )
    location.active = False
    location.save(update_fields=["active"])
    audit_record(
        actor=actor,
        action="archive.location.deactivated",
        obj=location,
        changes={"active": [True, False], "path": location_path(location)},
        acting_for=acting_for(post),
    )
    return location


def _directorate_of(unit_id: int) -> int:
    parents = org.unit_parents()
    facts = unit_facts(parents)
    for ancestor in org.ancestors_or_self(unit_id, parents):
        if facts.get(ancestor, ("",))[0] == UnitKind.MUDURLUK:
            return ancestor
    return unit_id


def same_archive(folder: Folder, location: StorageLocation) -> bool:
    if folder.stage == FolderStage.INSTITUTION_ARCHIVE:
        return location.unit_id is None
    if location.unit_id is None:
        return False
    return _directorate_of(location.unit_id) == _directorate_of(folder.unit_id)


@atomic_service
def folder_locate(*, actor, folder: Folder, location: StorageLocation) -> Folder:
    """Put a folder in a box (or on a shelf) of the archive that keeps it."""
    post = officers.officer_post(actor, folder.unit_id, folder.stage)
    if post is None:
        refuse(
            actor=actor,
            action="archive.folder.locate_refused",
            obj=folder,
            message=_("Only the archive officer keeping this folder records where it is."),
        )
    if location is None:
        raise DomainError(_("Choose a box or a shelf."), field="location")
    if not location.active:
        raise DomainError(_("That place is no longer in use."), field="location")
    if location.kind not in HOLDS_FOLDERS:
        raise DomainError(_("A folder is put in a box or on a shelf."), field="location")
    if not same_archive(folder, location):
        raise DomainError(
            _("That place belongs to another archive than this folder's."), field="location"
        )
    before = folder_location_path(folder)
    folder.location = location
    folder.save(update_fields=["location"])
    audit_record(
        actor=actor,
        action="archive.folder.located",
        obj=folder,
        changes={"location": [before, location_path(location)]},
        acting_for=acting_for(post),
    )
    return folder
