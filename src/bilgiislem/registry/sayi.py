"""The "Sayı" of official correspondence (RYY art. 11; standards.md 1.4).

Current form: ``E-67915368-903.07.02-4752`` — the production letter (E electronic,
Z zorunlu hâl, O olağanüstü durum), the unit's DETSİS number, the file-plan (SDP) code and the
record number. Older forms still arrive on paper and are recognised, not rejected:
``12345678-010.01-E.1234`` (2015–2020) and ``B.08.0.TCM.0.11.00.03-010.06/1234`` (before).
"""

import dataclasses
import re

from django.utils.translation import gettext as _

from bilgiislem.core.errors import DomainError

_SDP = r"\d{3}(?:\.\d{2,3}){0,3}"
CURRENT = re.compile(rf"^(?P<letter>[EZO])-(?P<detsis>\d{{6,10}})-(?P<sdp>{_SDP})-(?P<number>\d+)$")
FORM_2015 = re.compile(
    rf"^(?P<detsis>\d{{6,10}})-(?P<sdp>{_SDP})-(?P<letter>[EZO])\.(?P<number>\d+)$"
)
FORM_OLD = re.compile(rf"^(?P<code>[A-Z](?:\.[0-9A-Z]+)+)-(?P<sdp>{_SDP})/(?P<number>\d+)$")


@dataclasses.dataclass(frozen=True)
class Sayi:
    text: str
    form: str  # "current", "2015" or "old"
    letter: str
    detsis: str
    sdp_code: str
    number: str


def parse_sayi(text: str, *, current_only: bool = False) -> Sayi:
    """Parse a Sayı, or raise DomainError on the field ``sayi`` saying what a valid one is."""
    value = " ".join((text or "").split())
    if m := CURRENT.match(value):
        return Sayi(value, "current", m["letter"], m["detsis"], m["sdp"], m["number"])
    if not current_only:
        if m := FORM_2015.match(value):
            return Sayi(value, "2015", m["letter"], m["detsis"], m["sdp"], m["number"])
        if m := FORM_OLD.match(value):
            return Sayi(value, "old", "", "", m["sdp"], m["number"])
    raise DomainError(
        _(
            "Not a valid number (Sayı). Write it as E-<DETSİS no>-<file plan code>-<record no>, "
            "for example E-67915368-903.07.02-4752."
        ),
        field="sayi",
    )
