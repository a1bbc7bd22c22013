"""Registry pages (evrak): server-rendered, htmx for the list and the as-you-type checks."""

from .actions import (
    custody_acknowledge,
    custody_hand_over,
    document_route,
    document_send,
    note_add,
    routing_close,
    routing_forward,
    routing_return,
)
from .detail import document_detail, file_download
from .lists import document_list, oversight
from .register import document_register, eyp_import, identifier_check, outgoing_register

__all__ = [
    "custody_acknowledge",
    "custody_hand_over",
    "document_detail",
    "document_list",
    "document_register",
    "document_route",
    "document_send",
    "eyp_import",
    "file_download",
    "identifier_check",
    "note_add",
    "outgoing_register",
    "oversight",
    "routing_close",
    "routing_forward",
    "routing_return",
]
