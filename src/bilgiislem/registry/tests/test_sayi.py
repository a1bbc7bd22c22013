"""The "Sayı" of official correspondence (standards.md 1.4): current and older forms."""

import pytest

from bilgiislem.core.errors import DomainError
from bilgiislem.registry.sayi import parse_sayi


@pytest.mark.parametrize(
    ("text", "form", "detsis", "sdp", "number", "letter"),
    [
        ("E-67915368-903.07.02-4752", "current", "67915368", "903.07.02", "4752", "E"),
        ("Z-12345678-010.01-1", "current", "12345678", "010.01", "1", "Z"),
        ("O-123456-010-99", "current", "123456", "010", "99", "O"),
        ("  E-67915368-903.07.02-4752 ", "current", "67915368", "903.07.02", "4752", "E"),
        ("12345678-010.01-E.1234", "2015", "12345678", "010.01", "1234", "E"),
        ("B.08.0.TCM.0.11.00.03-010.06/1234", "old", "", "010.06", "1234", ""),
    ],
)
def test_forms_are_recognised(text, form, detsis, sdp, number, letter):
    sayi = parse_sayi(text)
    assert (sayi.form, sayi.detsis, sayi.sdp_code, sayi.number, sayi.letter) == (
        form,
        detsis,
        sdp,
        number,
        letter,
    )
    assert sayi.text == text.strip()


@pytest.mark.parametrize(
    "text",
    [
        "",
        "4752",
        "X-67915368-903.07.02-4752",  # unknown production letter
        "E-67915368-903.07.02",  # no record number
        "E-679-903.07.02-4752",  # DETSİS too short
        "E-67915368-9030.07-4752",  # not a file-plan code
        "e-67915368-903.07.02-4752",  # lower-case letter
        "E-67915368-903.07.02-47a2",
    ],
)
def test_malformed_numbers_are_refused_on_the_field(text):
    with pytest.raises(DomainError) as caught:
        parse_sayi(text)
    assert list(caught.value.errors) == ["sayi"]
    assert "E-67915368-903.07.02-4752" in caught.value.errors["sayi"][0]


@pytest.mark.parametrize("text", ["12345678-010.01-E.1234", "B.08.0.TCM.0.11.00.03-010.06/1234"])
def test_outgoing_numbers_must_be_current(text):
    with pytest.raises(DomainError):
        parse_sayi(text, current_only=True)
