"""Who may see and do what with assets, from posts only (organization.permissions).

- harcama yetkilisi: the Director of the directorate that runs the system (held or acting);
- taşınır kayıt yetkilisi: a post of kind ``tasinir_kayit_yetkilisi`` in that directorate;
- taşınır kontrol yetkilisi: a person the Director names (BILGIISLEM_ASSET_CONTROL_USERNAMES);
- Bilgi İşlem staff (any post in the directorate or its units) see every asset; anyone else
  sees the assets of their units and those they hold, and gets 404 for the rest.
"""

from django.db.models import Q

from bilgiislem.organization import permissions as org
from bilgiislem.organization.choices import PositionKind

# The roles of the regulation live in roles.py (shared with the VİF services).
from .roles import control_usernames, harcama_post, is_control_officer, kayit_post

__all__ = [
    "control_usernames",
    "harcama_post",
    "is_control_officer",
    "kayit_post",
]


def directorate_unit_ids(person) -> set[int]:
    """The system-owner directorate and every unit under it."""

    def compute():
        parents = org.unit_parents(person)
        units: set[int] = set()
        for owner in org.system_owner_unit_ids(person):
            units |= org.subtree(owner, parents)
        return units

    return org.remembered(person, "assets.directorate", compute)


def is_asset_staff(person) -> bool:
    """A post anywhere in Bilgi İşlem: sees every asset, site, room and store."""
    if not getattr(person, "is_authenticated", False):
        return False
    units = directorate_unit_ids(person)
    return any(p.unit_id in units for p in org.effective_posts(person))


def chief_post(person):
    return org.post_of_kind(person, PositionKind.SEF, unit_ids=org.system_owner_unit_ids(person))


def can_register(person) -> bool:
    """Register, edit and move assets: the kayıt yetkilisi (and the Director above them)."""
    return bool(kayit_post(person) or harcama_post(person))


def can_manage_places(person) -> bool:
    """Sites, rooms and stores: the kayıt yetkilisi, the Director and the Chief."""
    return bool(kayit_post(person) or harcama_post(person) or chief_post(person))


def can_assess_needs(person) -> bool:
    """The directorate assesses needs into the yearly list: the Director and the Chief."""
    return bool(harcama_post(person) or chief_post(person))


def own_unit_ids(person) -> set[int]:
    """Units of the person's posts plus the units they manage (their subtree)."""
    units = {p.unit_id for p in org.effective_posts(person)}
    return units | org.managed_unit_ids(person)


def asset_visibility(person) -> Q | None:
    """A filter for the assets the person may see; None means every asset."""
    if is_asset_staff(person):
        return None
    units = own_unit_ids(person)
    return Q(holder=person) | Q(room__unit_id__in=units) | Q(store__unit_id__in=units)
