"""Organisation pages (server-rendered; htmx for the chart date and the people search)."""

from .authority import (
    acting_create,
    acting_end,
    acting_list,
    delegation_create,
    delegation_list,
    delegation_revoke,
)
from .people import holding_create, holding_end, person_create
from .proposals import (
    appointment_approve,
    appointment_create,
    appointment_detail,
    appointment_list,
    appointment_reject,
    unit_change_approve,
    unit_change_create,
    unit_change_detail,
    unit_change_list,
    unit_change_reject,
)
from .structure import (
    chart,
    person_detail,
    person_disable,
    person_enable,
    person_list,
    unit_detail,
)

__all__ = [
    "acting_create",
    "acting_end",
    "acting_list",
    "appointment_approve",
    "appointment_create",
    "appointment_detail",
    "appointment_list",
    "appointment_reject",
    "chart",
    "delegation_create",
    "delegation_list",
    "delegation_revoke",
    "holding_create",
    "holding_end",
    "person_create",
    "person_detail",
    "person_disable",
    "person_enable",
    "person_list",
    "unit_change_approve",
    "unit_change_create",
    "unit_change_detail",
    "unit_change_list",
    "unit_change_reject",
    "unit_detail",
]
