"""Who keeps the archive and who may do what in it, from posts only (RYY art. 13(c)).

- **Archive officer** (arşiv görevlisi): a post of kind ``arsiv_gorevlisi``. The officer posted
  in a directorate (or a unit under it, e.g. its Kalem) keeps that directorate's unit archive;
  the officer of BILGIISLEM_INSTITUTION_ARCHIVE_UNIT keeps the institutional archive.
- **Filing and archiving by hand**: the directorate's archive officer, whoever keeps its
  registry (registry.permissions.clerk_post), its Director; the institutional archive officer.
- **Re-evaluating retention** after a plan change: the Director of the folder's directorate
  or anyone above (the archive officer's superior at the level that answers for the archive).
- **Seeing**: a folder is seen by those who see its directorate's documents in the registry
  (its staff and the managers above it), its archive officers and the institutional archive
  officer; the documents inside stay under the registry's own rules (a Gizli one is listed
  only to those who may see it).
"""

from __future__ import annotations

from django.conf import settings

from bilgiislem.organization import permissions as org
from bilgiislem.organization.choices import RANK, PositionKind, UnitKind
from bilgiislem.organization.models import OrgUnit
from bilgiislem.registry import permissions as registry_permissions


def _directorate_id(unit_id: int, person=None) -> int | None:
    parents = org.unit_parents(person)
    kinds = registry_permissions.unit_kinds(person)
    for uid in org.ancestors_or_self(unit_id, parents):
        if kinds.get(uid) == UnitKind.MUDURLUK:
            return uid
    return None


def institution_archive_unit_id(person=None) -> int | None:
    code = getattr(settings, "BILGIISLEM_INSTITUTION_ARCHIVE_UNIT", "yazi-isleri")
    facts = registry_permissions.unit_facts()
    return next((pk for pk, (_kind, c) in facts.items() if c == code), None)


def officer_posts(person) -> list[org.EffectivePost]:
    return [p for p in org.effective_posts(person) if p.kind == PositionKind.ARSIV_GOREVLISI]


def officer_directorate_ids(person) -> set[int]:
    """Directorates whose unit archive the person keeps as archive officer."""
    found = set()
    for post in officer_posts(person):
        directorate = _directorate_id(post.unit_id, person)
        if directorate is not None:
            found.add(directorate)
    return found


def is_institution_archive_officer(person) -> bool:
    """The officer of the institutional archive (kurum arşivi) sees and keeps every folder."""
    unit_id = institution_archive_unit_id(person)
    return unit_id is not None and unit_id in officer_directorate_ids(person)


def is_archive_officer(person, unit: OrgUnit | int | None = None) -> bool:
    """An archive officer at all, or (``unit``) of that unit's directorate's archive."""
    if unit is None:
        return bool(officer_posts(person))
    unit_id = unit if isinstance(unit, int) else unit.pk
    return is_institution_archive_officer(person) or (
        _directorate_id(unit_id, person) in officer_directorate_ids(person)
    )


def archive_officer_post(person, unit: OrgUnit | int) -> org.EffectivePost | None:
    """The person's archive officer post that keeps ``unit``'s archive."""
    unit_id = unit if isinstance(unit, int) else unit.pk
    directorate = _directorate_id(unit_id, person)
    institution = institution_archive_unit_id(person)
    for post in officer_posts(person):
        keeps = _directorate_id(post.unit_id, person)
        if keeps in (directorate, institution):
            return post
    return None


def officers_of(unit: OrgUnit | int):
    """The people holding an archive officer post of ``unit``'s directorate (for notices)."""
    from bilgiislem.organization.models import Person, PositionHolding

    unit_id = unit if isinstance(unit, int) else unit.pk
    directorate = _directorate_id(unit_id)
    if directorate is None:
        return Person.objects.none()
    ids = org.subtree(directorate, org.unit_parents())
    holders = PositionHolding.objects.active_on().filter(
        position__kind=PositionKind.ARSIV_GOREVLISI, position__unit_id__in=ids
    )
    return Person.objects.filter(is_active=True, pk__in=holders.values("person_id"))


def director_or_above_post(person, unit: OrgUnit | int) -> org.EffectivePost | None:
    """A post of Director rank or higher over ``unit`` (the Director, a Deputy Mayor above
    the directorate, the Mayor), held or acted for."""
    unit_id = unit if isinstance(unit, int) else unit.pk
    parents = org.unit_parents(person)
    line = set(org.ancestors_or_self(unit_id, parents))
    for post in org.effective_posts(person):
        if post.rank >= RANK[PositionKind.MUDUR] and post.unit_id in line:
            return post
    return None


def filing_post(person, document) -> org.EffectivePost | None:
    """The post that lets the person file or archive a document of its registry."""
    return (
        archive_officer_post(person, document.registry_id)
        or registry_permissions.clerk_post(person, document.registry)
        or registry_permissions.director_post(person, document.registry)
    )


def may_file(person, document) -> bool:
    return bool(person.is_superuser or filing_post(person, document))


def may_reevaluate(person, folder) -> bool:
    return bool(person.is_superuser or director_or_above_post(person, folder.unit_id))


def may_keep(person, unit: OrgUnit | int) -> bool:
    """Archive work on a unit's folders (labels, locations): its officers and its Director."""
    return bool(
        person.is_superuser
        or is_archive_officer(person, unit)
        or director_or_above_post(person, unit)
    )


def visible_unit_ids(person) -> set[int] | None:
    """Units whose folders the person sees; None means every unit."""
    if not getattr(person, "is_authenticated", False):
        return set()
    if person.is_superuser or is_institution_archive_officer(person):
        return None
    posts = org.effective_posts(person)
    units = set(org.managed_unit_ids(person))
    for post in posts:
        directorate = _directorate_id(post.unit_id, person)
        if directorate is not None:
            units.add(directorate)
    return units
