"""Who may register, route and hand over documents, from their posts (RYY art. 9, 12).

- Registering in a directorate's registry: the staff of its Kalem unit (a child unit whose
  code ends in ``-kalem``), the staff posted directly in a directorate that has no Kalem unit,
  and its managers (Şef and above) — plus anyone the Director grants (RegistryClerk).
- Routing (havale) a document of a registry: its Director, or someone acting for the Director.
- Routing on (a unit's head): the head of a unit a document was routed to.
"""

from django.utils import timezone

from bilgiislem.organization import permissions as org
from bilgiislem.organization.choices import MANAGERIAL_RANK, PositionKind, UnitKind
from bilgiislem.organization.models import OrgUnit

# id → (kind, code) of every unit, kept for the life of the process: a unit's kind and code
# never change (renaming, moving and closing keep them), so this is never stale, and an id
# not seen yet (a unit created since) reloads it. The tree itself (parents) comes from
# organization.permissions.unit_parents, read once per request.
_UNIT_FACTS: dict[int, tuple[str, str]] = {}


def unit_facts(ids=()) -> dict[int, tuple[str, str]]:
    """(kind, code) by unit id; reloaded only when one of ``ids`` is not known yet."""
    global _UNIT_FACTS
    if not _UNIT_FACTS or any(i not in _UNIT_FACTS for i in ids):
        _UNIT_FACTS = {
            pk: (kind, code) for pk, kind, code in OrgUnit.objects.values_list("id", "kind", "code")
        }
    return _UNIT_FACTS


def unit_kinds(person=None) -> dict[int, str]:
    """id → kind of every unit in the person's view of the tree."""
    parents = org.unit_parents(person)
    facts = unit_facts(parents)
    return {pk: facts[pk][0] for pk in parents if pk in facts}


def directorate_ids_of(person) -> dict[int, org.EffectivePost]:
    """The directorates the person works in (through any effective post), with that post."""
    parents = org.unit_parents(person)
    kinds = unit_kinds(person)
    found: dict[int, org.EffectivePost] = {}
    for post in org.effective_posts(person):
        for unit_id in org.ancestors_or_self(post.unit_id, parents):
            if kinds.get(unit_id) == UnitKind.MUDURLUK:
                found.setdefault(unit_id, post)
                break
    return found


def clerk_post(person, registry: OrgUnit) -> org.EffectivePost | None:
    """The post that lets the person register documents in ``registry`` (a directorate)."""
    today = timezone.localdate()
    return org.remembered(
        person, ("registry.clerk", registry.pk, today), lambda: _clerk_post(person, registry, today)
    )


def _clerk_post(person, registry: OrgUnit, today) -> org.EffectivePost | None:
    from .models import RegistryClerk

    kalem = [u for u in registry.children.all() if u.code.endswith("-kalem") and u.valid_to is None]
    for post in org.effective_posts(person):
        if post.rank >= MANAGERIAL_RANK and post.unit_id in org.subtree(
            registry.pk, org.unit_parents(person)
        ):
            return post
        if kalem and post.unit_id in {u.pk for u in kalem}:
            return post
        if not kalem and post.unit_id == registry.pk:
            return post
    if RegistryClerk.objects.active_on(today).filter(registry=registry, person=person).exists():
        held = org.effective_posts(person)
        return held[0] if held else None
    return None


def registries_for(person) -> list[OrgUnit]:
    """Registries (directorates) the person may register documents in."""
    candidates = OrgUnit.objects.filter(kind=UnitKind.MUDURLUK, valid_to__isnull=True)
    return [r for r in candidates.prefetch_related("children") if clerk_post(person, r)]


def director_post(person, registry: OrgUnit) -> org.EffectivePost | None:
    """The Director's post of ``registry``, held or acted for (havale is the Director's)."""
    return org.post_of_kind(person, PositionKind.MUDUR, unit_ids={registry.pk})


def unit_head_post(person, unit: OrgUnit) -> org.EffectivePost | None:
    """The head post of ``unit`` (Birim Sorumlusu, Müdür …), held or acted for."""
    return org.post_of_kind(person, unit.head_kind, unit_ids={unit.pk})


def is_member(person, unit: OrgUnit) -> bool:
    return any(p.unit_id == unit.pk for p in org.effective_posts(person))


def belongs_to(person, unit: OrgUnit) -> bool:
    """Whether the person works in ``unit`` or, when it is their directorate, in a unit under
    it: a paper original handed to a directorate is acknowledged by its staff (its Kalem)."""
    return unit.pk in own_units(person)


def own_units(person) -> set[int]:
    """The person's post units and the units above them up to their directorate."""
    parents = org.unit_parents(person)
    kinds = unit_kinds(person)
    found: set[int] = set()
    for post in org.effective_posts(person):
        for unit_id in org.ancestors_or_self(post.unit_id, parents):
            found.add(unit_id)
            if kinds.get(unit_id) == UnitKind.MUDURLUK:
                break
    return found


def may_register_somewhere(person) -> bool:
    """Whether ``registries_for`` would be non-empty, from the cached unit table (for the
    menu); a Director's grant (RegistryClerk) costs one query, asked only when posts say no."""
    from .models import RegistryClerk

    if not getattr(person, "is_authenticated", False):
        return False
    if person.is_superuser:
        return True
    posts = org.effective_posts(person)
    if not posts:
        return False
    parents = org.unit_parents(person)
    facts = unit_facts(parents)
    kinds = {pk: facts[pk][0] for pk in parents if pk in facts}
    # A directorate's Kalem: a unit directly under it whose code ends in "-kalem".
    kalem_of = {
        parents[pk]: pk for pk in parents if pk in facts and facts[pk][1].endswith("-kalem")
    }
    for post in posts:
        chain = org.ancestors_or_self(post.unit_id, parents)
        directorate = next((u for u in chain if kinds.get(u) == UnitKind.MUDURLUK), None)
        if directorate is None:
            continue
        if post.rank >= MANAGERIAL_RANK:
            return True
        if kalem_of.get(directorate) == post.unit_id:
            return True
        if post.unit_id == directorate and directorate not in kalem_of:
            return True
    return RegistryClerk.objects.active_on(timezone.localdate()).filter(person=person).exists()
