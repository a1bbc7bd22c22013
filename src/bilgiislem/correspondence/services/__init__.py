"""Actions people take on letters. Each runs in one transaction, checks the actor's posts,
and writes its audit event."""

from .approval import can_act, current_step, letter_submit, step_approve, step_return
from .drafting import letter_create, letter_update
from .external import letter_prepare_external, letter_sign_external
from .signing import letter_sign

__all__ = [
    "can_act",
    "current_step",
    "letter_create",
    "letter_prepare_external",
    "letter_sign",
    "letter_sign_external",
    "letter_submit",
    "letter_update",
    "step_approve",
    "step_return",
]
