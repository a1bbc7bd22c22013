"""The official letter as a PDF/A-2b (issue 4, point 4; standards.md 1.2–1.3).

``render_letter`` takes a plain ``LetterContent`` (no database access) so the same code renders
a draft preview, the copy that gets signed and a benchmark letter. ``letterhead_lines`` builds
the header from the organisation data.

Layout (Resmî Yazışma Yönetmeliği): A4, 1.5 cm margins, Arimo (Arial metrics) 11 pt; header
centred; Sayı left and date right on one line, Konu under it; muhatap centred in capitals;
İlgi items "… tarihli ve … sayılı yazı." oldest first; paragraphs justified with a 1.25 cm
first-line indent; signature right; Ek; Dağıtım; on every page the verification footer, the
QR code at the far right, the contact line and "x / n". A recipient the annexes are not sent
to is listed under Dağıtım with "(Ek konulmadı)". Sayı … İlgi appear on page 1 only and
signature, Ek and Dağıtım on the last page only, which the normal flow gives by itself.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence
from typing import Literal

from django.template.loader import render_to_string

from bilgiislem.core.pdf import DEFAULT_VARIANT, html_to_pdf
from bilgiislem.core.text import tr_upper

GEREGI = "gereği"
BILGI = "bilgi"
Role = Literal["gereği", "bilgi"]

VERIFICATION_SENTENCE = "Bu belge, güvenli elektronik imza ile imzalanmıştır."
MANY_RECIPIENTS = "DAĞITIM YERLERİNE"
ANNEXES_OMITTED = "Ek konulmadı"


@dataclasses.dataclass(frozen=True)
class Recipient:
    """A muhatap. ``name`` is the Title Case form used under Dağıtım ("Sakarya Valiliği");
    ``addressed_as`` the form with the dative suffix used as muhatap ("Sakarya Valiliğine"),
    printed in capitals. A natural person is addressed as given ("Sayın Ali YILMAZ")."""

    name: str
    addressed_as: str = ""
    unit: str = ""
    role: Role = GEREGI
    person: bool = False
    address: str = ""
    annexes_omitted: bool = False  # the annexes are not sent to it: "(Ek konulmadı)"

    def heading(self) -> str:
        text = self.addressed_as or self.name
        return text if self.person else tr_upper(text)


@dataclasses.dataclass(frozen=True)
class Reference:
    """An İlgi item: "<issuer> <date> tarihli ve <sayı> sayılı <kind>."."""

    date: datetime.date
    sayi: str
    issuer: str = ""
    kind: str = "yazı"

    def text(self) -> str:
        lead = f"{self.issuer} " if self.issuer else ""
        return f"{lead}{self.date:%d.%m.%Y} tarihli ve {self.sayi} sayılı {self.kind}."


@dataclasses.dataclass(frozen=True)
class Signer:
    """The signature block: "Ayşe YILMAZ" / "Başkan a." / "Başkan Yardımcısı"."""

    first_name: str
    surname: str
    title: str
    capacity: str = ""  # "Başkan a." (delegation) or "Müdür V." (acting), empty when own title

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {tr_upper(self.surname)}"


@dataclasses.dataclass(frozen=True)
class Contact:
    """The contact line of the footer (art. 24) and the optional "Bilgi için" person."""

    address: str = ""
    phone: str = ""
    email: str = ""
    kep: str = ""
    web: str = ""
    person: str = ""  # "Bilgi için: Ali VELİ, Bilgisayar İşletmeni"


@dataclasses.dataclass(frozen=True)
class LetterContent:
    """Everything printed on one official letter. ``body`` holds paragraphs (str) and a)/b)/c)
    lists (a sequence of str). ``date`` is None on a draft (it is fixed when signing)."""

    letterhead: Sequence[str]
    sayi: str
    date: datetime.date | None
    konu: str
    recipients: Sequence[Recipient]
    body: Sequence[str | Sequence[str]]
    signer: Signer
    references: Sequence[Reference] = ()
    annexes: Sequence[str] = ()
    verification_code: str = ""
    verification_url: str = ""
    contact: Contact = dataclasses.field(default_factory=Contact)
    signed: bool = True  # False prints no verification sentence (a draft or paper copy)


def letterhead_lines(unit=None) -> list[str]:
    """Header lines from the organisation data: "T.C.", the institution's letterhead in
    capitals (art. 10: names as in DETSİS) and the unit's name in Title Case."""
    from bilgiislem.organization.models import Institution

    institution = Institution.objects.first()
    lines = ["T.C."]
    if institution is not None:
        lines.append(tr_upper(institution.letterhead))
    if unit is not None:
        lines.append(unit.name)
    return lines


def contact_from_institution() -> Contact:
    from bilgiislem.organization.models import Institution

    institution = Institution.objects.first()
    if institution is None:
        return Contact()
    return Contact(
        address=" ".join(institution.address.split()),
        phone=institution.phone,
        email=institution.email,
        kep=institution.kep_address,
        web=institution.website,
    )


_LIST_LABELS = "abcçdefgğhıijklmnoöprsştuüvyz"


def _label(index: int) -> str:
    return f"{_LIST_LABELS[index % len(_LIST_LABELS)]})"


def _qr_data_uri(text: str) -> str:
    import segno

    return segno.make(text, error="m").png_data_uri(scale=4, border=1)


def _distributed(recipient: Recipient, letter: LetterContent) -> str:
    """A Dağıtım line: the name, and "(Ek konulmadı)" when the annexes are not sent to it
    (RYY art. 18)."""
    if recipient.annexes_omitted and letter.annexes:
        return f"{recipient.name} ({ANNEXES_OMITTED})"
    return recipient.name


def _context(letter: LetterContent) -> dict:
    references = sorted(letter.references, key=lambda ref: ref.date)
    labelled = len(references) > 1
    body = []
    for block in letter.body:
        if isinstance(block, str):
            body.append({"kind": "paragraph", "text": block})
        else:
            body.append(
                {"kind": "list", "entries": [(_label(i), item) for i, item in enumerate(block)]}
            )
    recipients = list(letter.recipients)
    several = len(recipients) > 1
    if several:
        muhatap = [MANY_RECIPIENTS]
    elif recipients:
        only = recipients[0]
        muhatap = [only.heading()]
        if only.unit:
            muhatap.append(f"({only.unit.strip('()')})")
        if only.address:
            muhatap.append(only.address)
    else:
        muhatap = []
    qr_text = letter.verification_url or letter.verification_code
    return {
        "letter": letter,
        "date": letter.date.strftime("%d.%m.%Y") if letter.date else "",
        "muhatap": muhatap,
        "references": [
            (_label(i) if labelled else "", ref.text()) for i, ref in enumerate(references)
        ],
        "body": body,
        "annexes": list(letter.annexes),
        "distribution": several,
        "geregi": [_distributed(r, letter) for r in recipients if r.role == GEREGI],
        "bilgi": [_distributed(r, letter) for r in recipients if r.role == BILGI],
        "qr": _qr_data_uri(qr_text) if qr_text else "",
        "verification_sentence": VERIFICATION_SENTENCE if letter.signed else "",
        "lang": "tr",
    }


def render_letter(letter: LetterContent, *, pdf_variant: str = DEFAULT_VARIANT) -> bytes:
    """The letter as PDF/A-2b bytes (A4, Arimo 11 pt embedded, verification footer)."""
    html = render_to_string("correspondence/letter_pdf.html", _context(letter))
    return html_to_pdf(html, pdf_variant=pdf_variant, allow_data_uris=True)
