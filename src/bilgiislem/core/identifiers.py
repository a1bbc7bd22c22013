"""Validators for Turkish identifiers: TCKN, VKN, MERSİS and DETSİS numbers.

Each validator returns the cleaned value (digits only, surrounding whitespace and inner
spaces removed) or raises ``ValidationError`` with a translatable message and a ``code``.
They also work as Django field validators (the return value is then ignored), so a model or
form field and a service share one rule.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

__all__ = [
    "tckn_check_digits",
    "validate_detsis",
    "validate_mersis",
    "validate_tckn",
    "validate_vkn",
    "vkn_check_digit",
]


def _digits(value, length: int, message) -> str:
    """Strip spaces; refuse anything that is not exactly ``length`` ASCII digits."""
    text = "" if value is None else str(value)
    text = "".join(text.split())
    # str.isdigit() accepts "²" and Arabic-Indic digits; only 0-9 are valid here.
    if len(text) != length or not (text.isascii() and text.isdigit()):
        raise ValidationError(message, code="invalid_format", params={"length": length})
    return text


def tckn_check_digits(first9: str) -> str:
    """The 10th and 11th digits of a T.C. Kimlik No for its first nine digits."""
    d = [int(c) for c in first9]
    tenth = ((d[0] + d[2] + d[4] + d[6] + d[8]) * 7 - (d[1] + d[3] + d[5] + d[7])) % 10
    eleventh = (sum(d) + tenth) % 10
    return f"{tenth}{eleventh}"


def validate_tckn(value) -> str:
    """T.C. Kimlik Numarası: 11 digits, not starting with 0, both check digits right.

    10th digit = (7 × (d1+d3+d5+d7+d9) − (d2+d4+d6+d8)) mod 10; 11th = (d1+…+d10) mod 10.
    """
    text = _digits(value, 11, _("A T.C. identity number (TCKN) has exactly 11 digits."))
    if text[0] == "0":
        raise ValidationError(
            _("A T.C. identity number (TCKN) cannot start with 0."), code="invalid_format"
        )
    if tckn_check_digits(text[:9]) != text[9:]:
        raise ValidationError(
            _("This T.C. identity number (TCKN) is not valid: its check digits do not match."),
            code="invalid_checksum",
        )
    return text


def vkn_check_digit(first9: str) -> str:
    """The 10th digit of a Vergi Kimlik Numarası (the GİB algorithm) for its first nine digits.

    For the digit at position i (1-based from the left): t = (digit + 10 − i) mod 10;
    if t is 0 it adds 0, otherwise (t × 2^(10 − i)) mod 9, with 0 read as 9. The check digit
    is (10 − sum mod 10) mod 10.
    """
    total = 0
    for i, ch in enumerate(first9, start=1):
        t = (int(ch) + 10 - i) % 10
        if t:
            total += (t * 2 ** (10 - i)) % 9 or 9
    return str((10 - total % 10) % 10)


def validate_vkn(value) -> str:
    """Vergi Kimlik Numarası (tax number of a company or body): 10 digits, check digit right."""
    text = _digits(value, 10, _("A tax number (VKN) has exactly 10 digits."))
    if vkn_check_digit(text[:9]) != text[9]:
        raise ValidationError(
            _("This tax number (VKN) is not valid: its check digit does not match."),
            code="invalid_checksum",
        )
    return text


def validate_mersis(value) -> str:
    """MERSİS numarası (central trade registry number): 16 digits, not all zeros.

    Only the shape is checked. [U] The number is commonly described as "0" + the company's
    VKN + a 5-digit sequence, but no official published check algorithm was available to us,
    so neither the embedded VKN nor a check digit is verified; a wrong MERSİS number of the
    right shape is accepted.
    """
    text = _digits(value, 16, _("A MERSİS number has exactly 16 digits."))
    if set(text) == {"0"}:
        raise ValidationError(_("A MERSİS number cannot be all zeros."), code="invalid_format")
    return text


def validate_detsis(value) -> str:
    """DETSİS numarası (the public-body code in the state organisation registry): 8 digits.

    [U] DETSİS numbers carry no published check digit; only the shape (8 digits, not all
    zeros) is verified.
    """
    text = _digits(value, 8, _("A DETSİS number has exactly 8 digits."))
    if set(text) == {"0"}:
        raise ValidationError(_("A DETSİS number cannot be all zeros."), code="invalid_format")
    return text
