"""The asset roles of the regulation, derived from posts (never from per-user flags).

- harcama yetkilisi: the Director of the directorate that runs the system (held or acting);
- taşınır kayıt yetkilisi: a post of kind ``tasinir_kayit_yetkilisi`` in that directorate;
- taşınır kontrol yetkilisi: a person the Director named (setting
  ``BILGIISLEM_ASSET_CONTROL_USERNAMES``); never the one who signed the VİF.
"""

from django.conf import settings

from bilgiislem.organization.choices import PositionKind
from bilgiislem.organization.permissions import (
    EffectivePost,
    post_of_kind,
    remembered,
    subtree,
    system_owner_unit_ids,
    unit_parents,
)

DEFAULT_CONTROL_USERNAMES = ("sef",)


def _directorate_unit_ids(person) -> set[int]:
    parents = unit_parents(person)
    units: set[int] = set()
    for owner in system_owner_unit_ids(person):
        units |= subtree(owner, parents)
    return units


def harcama_post(person) -> EffectivePost | None:
    """The person's Director post in the directorate (harcama yetkilisi), if any."""
    return post_of_kind(person, PositionKind.MUDUR, unit_ids=system_owner_unit_ids(person))


def kayit_post(person) -> EffectivePost | None:
    """The person's taşınır kayıt yetkilisi post in the directorate, if any."""
    return remembered(
        person,
        ("assets", "kayit"),
        lambda: post_of_kind(
            person,
            PositionKind.TASINIR_KAYIT_YETKILISI,
            unit_ids=_directorate_unit_ids(person),
        ),
    )


def control_usernames() -> tuple[str, ...]:
    return tuple(getattr(settings, "BILGIISLEM_ASSET_CONTROL_USERNAMES", DEFAULT_CONTROL_USERNAMES))


def is_control_officer(person) -> bool:
    """Named kontrol yetkilisi, with an account that may still act (an effective post)."""
    return bool(
        getattr(person, "is_authenticated", False)
        and person.is_active
        and person.get_username() in control_usernames()
    )
