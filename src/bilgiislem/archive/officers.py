"""Who keeps which archive (RYY art. 13(c)): the archive officer and the officer's superior.

- Every post of kind ``arsiv_gorevlisi`` keeps the unit archive of its directorate: the
  folders of that directorate and of the units under it while they are in use or in the
  unit archive.
- The posts in the institutional archive's unit (setting
  ``BILGIISLEM_INSTITUTION_ARCHIVE_UNIT``, a unit code; Karasu's "Kurum Arşivi Görevlisi" sits
  in Yazı İşleri) keep the institutional archive, and the unit archives of every unit whose
  directorate has no archive officer post of its own.
- The officer's superior is whoever holds (or acts for) a managerial post above the officer's
  post (``organization.permissions.superior_post``): they approve retrieval requests and
  answer with the officer for keeping the records.

Scopes are computed from the few archive officer posts and the unit tree, once per request
(cached on the person object like every other permission answer).
"""

from __future__ import annotations

import dataclasses
import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from bilgiislem.organization import permissions as org
from bilgiislem.organization.choices import MANAGERIAL_RANK, PositionKind, UnitKind, rank_of
from bilgiislem.organization.models import ActingAssignment, Position, PositionHolding
from bilgiislem.registry.permissions import unit_facts

from .choices import FolderStage

# Folders an archive officer of a unit archive keeps: in use in the unit or in its archive.
UNIT_STAGES = (FolderStage.ACTIVE, FolderStage.UNIT_ARCHIVE)
# Folders that may be asked for: those still kept by this municipality.
RETRIEVABLE_STAGES = (*UNIT_STAGES, FolderStage.INSTITUTION_ARCHIVE)


@dataclasses.dataclass(frozen=True)
class Keeper:
    """An archive officer post and what it keeps."""

    position: Position
    unit_ids: frozenset[int]  # units whose unit-archive folders it keeps
    institution: bool  # keeps the institutional archive

    def keeps(self, unit_id: int | None, stage: str) -> bool:
        if stage == FolderStage.INSTITUTION_ARCHIVE or unit_id is None:
            return self.institution
        return stage in UNIT_STAGES and unit_id in self.unit_ids

    def keeps_archive(self, archive_unit_id: int | None) -> bool:
        """Whether a storage location of this archive (None: institutional) is the post's."""
        return self.institution if archive_unit_id is None else archive_unit_id in self.unit_ids


@dataclasses.dataclass(frozen=True)
class Scope:
    """A union of keepers' reach, to filter folders (and what hangs off them) in SQL."""

    unit_ids: frozenset[int] = frozenset()
    institution: bool = False

    def __bool__(self):
        return bool(self.unit_ids) or self.institution

    def __or__(self, other: Scope) -> Scope:
        return Scope(self.unit_ids | other.unit_ids, self.institution or other.institution)

    def folder_q(self, prefix: str = "") -> Q:
        """Folders (``prefix`` = the path to a folder, e.g. ``"folder__"``) in this scope."""
        q = Q(pk__in=[])
        if self.unit_ids:
            q |= Q(**{f"{prefix}stage__in": UNIT_STAGES, f"{prefix}unit_id__in": self.unit_ids})
        if self.institution:
            q |= Q(**{f"{prefix}stage": FolderStage.INSTITUTION_ARCHIVE})
        return q

    def has_archive(self, unit_id: int | None) -> bool:
        """Whether the scope covers the archive a storage location belongs to."""
        return self.institution if unit_id is None else unit_id in self.unit_ids


def institution_unit_code() -> str:
    return getattr(settings, "BILGIISLEM_INSTITUTION_ARCHIVE_UNIT", "yazi-isleri")


def _directorate(unit_id: int, parents: dict, kinds: dict) -> int | None:
    for ancestor in org.ancestors_or_self(unit_id, parents):
        if kinds.get(ancestor) == UnitKind.MUDURLUK:
            return ancestor
    return None


def _compute_keepers(person) -> list[Keeper]:
    today = timezone.localdate()
    positions = list(
        Position.objects.filter(kind=PositionKind.ARSIV_GOREVLISI)
        .filter(Q(unit__valid_to__isnull=True) | Q(unit__valid_to__gte=today))
        .select_related("unit")
        .order_by("pk")
    )
    parents = org.unit_parents(person)
    facts = unit_facts(parents)
    kinds = {pk: fact[0] for pk, fact in facts.items()}
    codes = {fact[1]: pk for pk, fact in facts.items()}
    institution_id = codes.get(institution_unit_code())
    institution_units = org.subtree(institution_id, parents) if institution_id else set()
    covered: dict[int, set[int]] = {}
    for position in positions:
        directorate = _directorate(position.unit_id, parents, kinds)
        covered[position.pk] = org.subtree(directorate, parents) if directorate else set()
    # Units no directorate officer keeps fall to the institutional archive's officer.
    orphans = set(parents) - set().union(*covered.values())
    keepers = []
    for position in positions:
        institutional = position.unit_id in institution_units
        units = covered[position.pk] | (orphans if institutional else set())
        keepers.append(Keeper(position, frozenset(units), institutional))
    return keepers


def keepers(person=None) -> list[Keeper]:
    """Every archive officer post with its reach (cached on ``person`` for the request)."""
    if person is None:
        return _compute_keepers(None)
    return org.remembered(
        person, ("archive.keepers", timezone.localdate()), lambda: _compute_keepers(person)
    )


def keepers_of(unit_id: int | None, stage: str, person=None) -> list[Keeper]:
    """The posts keeping a folder of ``unit_id`` in ``stage`` (``unit_id`` None: a location
    of the institutional archive)."""
    return [k for k in keepers(person) if k.keeps(unit_id, stage)]


def keepers_of_location_archive(archive_unit_id: int | None, person=None) -> list[Keeper]:
    """The posts keeping the archive a storage location belongs to (None: institutional)."""
    return [k for k in keepers(person) if k.keeps_archive(archive_unit_id)]


def officer_post(person, unit_id: int | None, stage: str) -> org.EffectivePost | None:
    """The person's archive officer post that keeps such a folder, if any."""
    ids = {k.position.pk for k in keepers_of(unit_id, stage, person)}
    return next((p for p in org.effective_posts(person) if p.position.pk in ids), None)


def superior_of_keeper(person, unit_id: int | None, stage: str) -> org.EffectivePost | None:
    """The person's post above an officer keeping such a folder (the officer's superior)."""
    for keeper in keepers_of(unit_id, stage, person):
        post = org.superior_post(person, keeper.position)
        if post is not None:
            return post
    return None


def _scope(person, wanted) -> Scope:
    scope = Scope()
    for keeper in keepers(person):
        if wanted(keeper):
            scope = scope | Scope(keeper.unit_ids, keeper.institution)
    return scope


def officer_scope(person) -> Scope:
    """What the person keeps as an archive officer (held or acting)."""
    if not getattr(person, "is_authenticated", False):
        return Scope()

    def compute():
        mine = {p.position.pk for p in org.effective_posts(person)}
        return _scope(person, lambda k: k.position.pk in mine)

    return org.remembered(person, ("archive.officer_scope", timezone.localdate()), compute)


def directorate_line(unit_id: int, person=None) -> list[int]:
    """The unit and the units above it up to its directorate (not beyond)."""
    parents = org.unit_parents(person)
    kinds = {pk: fact[0] for pk, fact in unit_facts(parents).items()}
    line = []
    for ancestor in org.ancestors_or_self(unit_id, parents):
        line.append(ancestor)
        if kinds.get(ancestor) == UnitKind.MUDURLUK:
            break
    return line


def supervisor_scope(person, *, direct: bool = False) -> Scope:
    """What the person answers for as the superior of an archive officer.

    ``direct``: only as a superior inside the officer's directorate (the Chief, the Director,
    a unit head), whose "İşlerim" lists the requests to approve; the Deputy Mayors and the
    Mayor stand above every officer too, and may act, but are not sent every request.
    """
    if not getattr(person, "is_authenticated", False):
        return Scope()

    def above(keeper):
        post = org.superior_post(person, keeper.position)
        if post is None:
            return False
        return not direct or post.unit_id in directorate_line(keeper.position.unit_id, person)

    return org.remembered(
        person,
        ("archive.supervisor_scope", direct, timezone.localdate()),
        lambda: _scope(person, above),
    )


def _people_of(positions: list[Position], on: datetime.date) -> list:
    holders = PositionHolding.objects.active_on(on).filter(position__in=positions)
    acting = ActingAssignment.objects.active_on(on).filter(position__in=positions)
    people = {h.person for h in holders.select_related("person")}
    people |= {a.acting_person for a in acting.select_related("acting_person")}
    return sorted(people, key=lambda p: p.get_username())


def officers_of(unit_id: int | None, stage: str, on: datetime.date | None = None) -> list:
    """The people holding or acting for an officer post that keeps such a folder."""
    on = on or timezone.localdate()
    return _people_of([k.position for k in keepers_of(unit_id, stage)], on)


def superiors_of(unit_id: int | None, stage: str, on: datetime.date | None = None) -> list:
    """People to escalate to: holders of the managerial posts above the keeping officer posts,
    up to the officer's directorate (an overdue loan goes to the Chief and the Director, not
    to the Mayor)."""
    on = on or timezone.localdate()
    wanted: set[int] = set()
    for keeper in keepers_of(unit_id, stage):
        line = directorate_line(keeper.position.unit_id)
        above = Position.objects.filter(unit_id__in=line).values_list("pk", "kind")
        officer_rank = rank_of(keeper.position.kind)
        wanted |= {
            pk
            for pk, kind in above
            if rank_of(kind) >= MANAGERIAL_RANK and rank_of(kind) > officer_rank
        }
    return _people_of(list(Position.objects.filter(pk__in=wanted)), on)
