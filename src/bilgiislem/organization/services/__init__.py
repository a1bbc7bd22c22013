"""Actions people take on the organisation. Each runs in one transaction, checks the actor's
posts, and writes its audit event (DESIGN.md invariants 1 and 5).

``actor=None`` means the system itself (loading the organisation file from a management
command); interfaces always pass the signed-in person.
"""

from ._common import position_title
from .acting import acting_create, acting_end, can_act_for
from .appointments import appointment_approve, appointment_propose, appointment_reject
from .delegation import delegation_create, delegation_revoke
from .people import (
    holding_end,
    holding_start,
    person_create,
    person_disable,
    person_enable,
)
from .unit_changes import (
    slugify_tr,
    unit_change_approve,
    unit_change_propose,
    unit_change_reject,
)

__all__ = [
    "acting_create",
    "acting_end",
    "appointment_approve",
    "appointment_propose",
    "appointment_reject",
    "can_act_for",
    "delegation_create",
    "delegation_revoke",
    "holding_end",
    "holding_start",
    "person_create",
    "person_disable",
    "person_enable",
    "position_title",
    "slugify_tr",
    "unit_change_approve",
    "unit_change_propose",
    "unit_change_reject",
]
