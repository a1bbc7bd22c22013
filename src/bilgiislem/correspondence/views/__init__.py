"""The letter pages (issue 4): list, drafting, the letter page with its actions, preview."""

from .detail import (
    letter_approve,
    letter_detail,
    letter_preview,
    letter_return,
    letter_sign,
    letter_submit,
)
from .edit import letter_create, letter_edit
from .external import letter_prepare_external, letter_sign_external
from .lists import letter_list

__all__ = [
    "letter_approve",
    "letter_create",
    "letter_detail",
    "letter_edit",
    "letter_list",
    "letter_prepare_external",
    "letter_preview",
    "letter_return",
    "letter_sign",
    "letter_sign_external",
    "letter_submit",
]
