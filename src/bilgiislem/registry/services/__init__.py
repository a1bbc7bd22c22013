"""Actions people take in the document registry. Each runs in one transaction, checks the
actor's posts, and writes its audit event; refused security-relevant attempts are recorded
too (issue 3)."""

from .custody import custody_acknowledge, custody_hand_over, paper_holder
from .documents import (
    clerk_grant,
    document_record_view,
    document_register,
    document_send_internal,
    eyp_register,
    note_add,
    outgoing_register_signed,
    signed_letter_deliver,
)
from .reminders import ReminderRun, routing_remind_due
from .routing import (
    default_due_date,
    may_work_on,
    routing_close,
    routing_create,
    routing_forward,
    routing_mark_read,
    routing_return,
)

__all__ = [
    "ReminderRun",
    "clerk_grant",
    "custody_acknowledge",
    "custody_hand_over",
    "default_due_date",
    "document_record_view",
    "document_register",
    "document_send_internal",
    "eyp_register",
    "may_work_on",
    "note_add",
    "outgoing_register_signed",
    "paper_holder",
    "routing_close",
    "routing_create",
    "routing_forward",
    "routing_mark_read",
    "routing_remind_due",
    "routing_return",
    "signed_letter_deliver",
]
