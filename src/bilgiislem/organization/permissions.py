"""What a person may do, derived from the posts they hold and act for (never per-user flags).

A post held through an acting assignment (vekalet) carries everything the post allows
(RYY art. 9(b)); ``EffectivePost.acting`` says so, for the audit trail and for "V." blocks.
"""

import dataclasses
import datetime

from django.utils import timezone

from .choices import MANAGERIAL_RANK, PositionKind, rank_of
from .models import ActingAssignment, OrgUnit, Position, PositionHolding


@dataclasses.dataclass(frozen=True)
class EffectivePost:
    position: Position
    acting: ActingAssignment | None = None

    @property
    def kind(self) -> str:
        return self.position.kind

    @property
    def unit_id(self) -> int:
        return self.position.unit_id

    @property
    def rank(self) -> int:
        return rank_of(self.position.kind)

    @property
    def label(self) -> str:
        return f"{self.position.title} V." if self.acting else self.position.title

    def __str__(self):
        return self.label


# Answers are cached on the person object, which lives for one request (``request.user``).
# Any change to posts, acting or the unit tree calls ``clear_cache``: it drops that person's
# answers and bumps the generation, so every other person object in this process recomputes
# too (another object for the same person, or one whose tree view just changed).
_generation = 0


def _cache(person) -> dict:
    cache = getattr(person, "_bi_access_cache", None)
    if cache is None or cache.get("generation") != _generation:
        cache = {"generation": _generation}
        person._bi_access_cache = cache
    return cache


def remembered(person, key, compute):
    """``compute()`` once per person object (request) and ``key``, for other apps' checks.

    Dropped with everything else by ``clear_cache``.
    """
    cache = _cache(person)
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def clear_cache(person=None) -> None:
    """Forget cached answers after a change: the person's, and (lazily) everyone else's."""
    global _generation
    _generation += 1
    if person is not None and hasattr(person, "_bi_access_cache"):
        del person._bi_access_cache


def _unit_rows(person) -> list[tuple[int, int | None, bool]]:
    """(id, parent id, runs the system) of every unit: one query, cached per person if given."""
    if person is None:
        return list(OrgUnit.objects.values_list("id", "parent_id", "is_system_owner"))
    cache = _cache(person)
    if "units" not in cache:
        cache["units"] = list(OrgUnit.objects.values_list("id", "parent_id", "is_system_owner"))
    return cache["units"]


def unit_parents(person=None) -> dict[int, int | None]:
    """id → parent id of every unit (a few hundred rows: one query, once per request)."""
    return {pk: parent for pk, parent, _owner in _unit_rows(person)}


def ancestors_or_self(unit_id: int, parents: dict[int, int | None]) -> list[int]:
    chain, seen = [], set()
    while unit_id is not None and unit_id not in seen:
        chain.append(unit_id)
        seen.add(unit_id)
        unit_id = parents.get(unit_id)
    return chain


def subtree(unit_id: int, parents: dict[int, int | None]) -> set[int]:
    return {u for u in parents if unit_id in ancestors_or_self(u, parents)}


def held_posts(person, on: datetime.date | None = None) -> list[EffectivePost]:
    """Posts the person holds in their own right on a date."""
    on = on or timezone.localdate()
    key = ("held", on)
    cache = _cache(person)
    if key not in cache:
        holdings = (
            PositionHolding.objects.active_on(on)
            .filter(person=person)
            .select_related("position__unit")
        )
        cache[key] = [EffectivePost(h.position) for h in holdings]
    return cache[key]


def acting_assignments(person, on: datetime.date | None = None) -> list[ActingAssignment]:
    """The person's acting assignments running on ``on`` or starting after it (one query).

    Shared by ``effective_posts`` (the running ones) and "İşlerim" (those starting soon).
    """
    on = on or timezone.localdate()
    key = ("acting", on)
    cache = _cache(person)
    if key not in cache:
        cache[key] = list(
            ActingAssignment.objects.current_or_future(on)
            .filter(acting_person=person)
            .select_related("position__unit")
            .order_by("start_date", "pk")
        )
    return cache[key]


def effective_posts(person, on: datetime.date | None = None) -> list[EffectivePost]:
    """Held posts plus the posts the person acts for on a date, most senior first.

    A disabled account has no effective posts: it may do nothing, even through a session or
    token that has not been cleaned up yet.
    """
    if not getattr(person, "is_authenticated", False) or not person.is_active:
        return []
    on = on or timezone.localdate()
    key = ("effective", on)
    cache = _cache(person)
    if key not in cache:
        acting = [a for a in acting_assignments(person, on) if a.start_date <= on]
        posts = list(held_posts(person, on)) + [EffectivePost(a.position, a) for a in acting]
        posts.sort(key=lambda p: (-p.rank, p.acting is not None))
        cache[key] = posts
    return cache[key]


def post_of_kind(person, kinds, *, unit_ids=None, on=None) -> EffectivePost | None:
    """The first effective post of one of ``kinds`` (optionally in one of ``unit_ids``)."""
    kinds = {kinds} if isinstance(kinds, str) else set(kinds)
    for post in effective_posts(person, on):
        if post.kind in kinds and (unit_ids is None or post.unit_id in unit_ids):
            return post
    return None


def superior_post(person, position: Position, *, on=None) -> EffectivePost | None:
    """A post of the person's that stands above ``position``.

    Above means: a managerial post of higher rank in the same unit or an ancestor unit.
    """
    parents = unit_parents(person)
    line = set(ancestors_or_self(position.unit_id, parents))
    target_rank = rank_of(position.kind)
    for post in effective_posts(person, on):
        if post.rank >= MANAGERIAL_RANK and post.rank > target_rank and post.unit_id in line:
            return post
    return None


def managed_unit_ids(person, on=None) -> set[int]:
    """Units under any managerial post the person holds or acts for (Birim Sorumlusu and up)."""
    on = on or timezone.localdate()
    cache = _cache(person)
    key = ("managed", on)
    if key not in cache:
        parents = unit_parents(person)
        units: set[int] = set()
        for post in effective_posts(person, on):
            if post.rank >= MANAGERIAL_RANK:
                units |= subtree(post.unit_id, parents)
        cache[key] = units
    return cache[key]


def system_owner_unit_ids(person=None) -> set[int]:
    """The directorate(s) that run the system (Bilgi İşlem); shares ``unit_parents``' query."""
    return {pk for pk, _parent, owner in _unit_rows(person) if owner}


def mayor_post(person, on=None) -> EffectivePost | None:
    return post_of_kind(person, PositionKind.BASKAN, on=on)


def audit_reader_post(person, on=None) -> EffectivePost | None:
    """The Mayor and the Director of the directorate that runs the system read the trail."""
    return mayor_post(person, on) or post_of_kind(
        person, PositionKind.MUDUR, unit_ids=system_owner_unit_ids(person), on=on
    )


def people_admin_post(person, on=None) -> EffectivePost | None:
    """Who manages accounts and holdings: the system-owner directorate's Director."""
    return post_of_kind(person, PositionKind.MUDUR, unit_ids=system_owner_unit_ids(person), on=on)


def directorate_of(unit: OrgUnit) -> OrgUnit | None:
    """The Müdürlük a unit belongs to (itself, if it is one)."""
    from .choices import UnitKind

    node = unit
    while node is not None and node.kind != UnitKind.MUDURLUK:
        node = node.parent
    return node


def can_view_audit(person) -> bool:
    return bool(person.is_authenticated and (person.is_superuser or audit_reader_post(person)))
