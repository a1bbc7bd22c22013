import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation

from bilgiislem.core.identifiers import (
    tckn_check_digits,
    validate_detsis,
    validate_mersis,
    validate_tckn,
    validate_vkn,
    vkn_check_digit,
)


@pytest.fixture(autouse=True)
def _english():
    # The assertions read the English source messages.
    with translation.override("en"):
        yield


def _code(excinfo):
    return excinfo.value.error_list[0].code


# --- TCKN -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "cleaned"),
    [
        # 1 0 0 0 0 0 0 0 1: 10th = (7·(1+0+0+0+1) − 0) mod 10 = 4; 11th = (2+4) mod 10 = 6.
        ("10000000146", "10000000146"),
        # 1 7 2 9 1 7 1 6 0: 10th = (7·(1+2+1+1+0) − (7+9+7+6)) mod 10 = (35−29) mod 10 = 6;
        # 11th = (34+6) mod 10 = 0.
        ("17291716060", "17291716060"),
        (" 100 000 001 46 ", "10000000146"),
        (10000000146, "10000000146"),
    ],
)
def test_tckn_valid(value, cleaned):
    assert validate_tckn(value) == cleaned


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("10000000147", "invalid_checksum"),  # 11th digit wrong
        ("10000000156", "invalid_checksum"),  # 10th digit wrong
        ("17291716050", "invalid_checksum"),
        ("01234567890", "invalid_format"),  # starts with 0
        ("00000000000", "invalid_format"),
        ("1000000014", "invalid_format"),  # 10 digits
        ("100000001466", "invalid_format"),  # 12 digits
        ("1000000014a", "invalid_format"),
        ("1000-000-0146", "invalid_format"),
        ("١٠٠٠٠٠٠٠١٤٦", "invalid_format"),  # Arabic-Indic digits are not accepted
        ("", "invalid_format"),
        (None, "invalid_format"),
    ],
)
def test_tckn_invalid(value, code):
    with pytest.raises(ValidationError) as excinfo:
        validate_tckn(value)
    assert _code(excinfo) == code
    assert "TCKN" in excinfo.value.messages[0]


def test_tckn_check_digits_are_unique():
    valid = [d for d in range(100) if tckn_check_digits("100000001") == f"{d:02d}"]
    assert valid == [46]


# --- VKN --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        # Digits 1..9: every (digit + 10 − position) mod 10 is 0, the sum is 0, check = 0.
        "1234567890",
        # Nine zeros: terms 9, 5, 5, 6, 7, 1, 6, 8, 2 sum to 49; check = (10 − 9) mod 10 = 1.
        "0000000001",
        "4540536920",  # the python-stdnum example
    ],
)
def test_vkn_valid(value):
    assert validate_vkn(value) == value
    assert validate_vkn(f" {value} ") == value


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("4540536921", "invalid_checksum"),
        ("1234567891", "invalid_checksum"),
        ("0000000000", "invalid_checksum"),
        ("123456789", "invalid_format"),
        ("12345678901", "invalid_format"),
        ("12345678a0", "invalid_format"),
        ("", "invalid_format"),
    ],
)
def test_vkn_invalid(value, code):
    with pytest.raises(ValidationError) as excinfo:
        validate_vkn(value)
    assert _code(excinfo) == code
    assert "VKN" in excinfo.value.messages[0]


def test_exactly_one_vkn_check_digit_per_prefix():
    for prefix in ["454053692", "123456789", "000000000", "987654321", "999999999"]:
        valid = [d for d in "0123456789" if _is_valid_vkn(prefix + d)]
        assert valid == [vkn_check_digit(prefix)]


def _is_valid_vkn(value):
    try:
        validate_vkn(value)
    except ValidationError:
        return False
    return True


# --- MERSİS and DETSİS ------------------------------------------------------------------


def test_mersis():
    assert validate_mersis("0123 4567 8900 0015") == "0123456789000015"
    for bad in ["0" * 16, "012345678900001", "01234567890000155", "012345678900001x"]:
        with pytest.raises(ValidationError):
            validate_mersis(bad)


def test_detsis():
    assert validate_detsis("22620739") == "22620739"
    for bad in ["00000000", "2262073", "226207391", "2262073A"]:
        with pytest.raises(ValidationError):
            validate_detsis(bad)


def test_validators_work_as_form_field_validators():
    class SenderForm(forms.Form):
        tckn = forms.CharField(validators=[validate_tckn])
        vkn = forms.CharField(validators=[validate_vkn])

    form = SenderForm(data={"tckn": "10000000147", "vkn": "1234567890"})
    assert not form.is_valid()
    assert list(form.errors) == ["tckn"]
    assert "check digits" in form.errors["tckn"][0]
