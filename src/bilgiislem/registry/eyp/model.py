"""What a read e-Yazışma package looks like, and the error raised for a refused one.

Plain dataclasses, no Django models: the registry services map them onto their own rows.
The code strings (``secrecy``, ``urgency``, ``kind``, ``purpose``) are the values of the
matching ``bilgiislem.registry.choices`` enumerations (a test keeps them in step).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from bilgiislem.core.errors import DomainError


class EypError(DomainError):
    """The package is damaged or does not conform to EYP 2.x; ``reasons`` says why.

    The messages go on the ``file`` field so the upload form and the API can show them next
    to the uploaded file; the sender must be told these reasons (standards.md 2.5).
    """

    def __init__(self, reasons: list[str]):
        self.reasons = list(reasons)
        super().__init__(errors={"file": self.reasons})


@dataclass
class Contact:
    """IletisimBilgisi (standards.md 2.4)."""

    phone: str = ""
    phone_other: str = ""
    email: str = ""
    kep: str = ""
    fax: str = ""
    web: str = ""
    address: str = ""
    city: str = ""
    district: str = ""
    country: str = ""


@dataclass
class Party:
    """KurumKurulus, TuzelSahis or GercekSahis (standards.md 2.4).

    ``kind`` is ``public_body`` (code = DETSİS number), ``company`` (code = the ``Id`` with
    its ``schemeID`` such as ``MERSIS`` or ``VKN``) or ``person`` (code = TCKN, may be empty).
    """

    kind: str
    name: str
    code: str = ""
    code_scheme: str = ""
    unit_code: str = ""  # BirimKKK: the DETSİS number of the sending/receiving unit
    title: str = ""  # Unvan
    prefix: str = ""  # OnEk
    position: str = ""  # Gorev
    contact: Contact = field(default_factory=Contact)

    @property
    def identifiers(self) -> dict[str, str]:
        """Every identifier present, by scheme: ``{"DETSIS": ..., "BIRIM_DETSIS": ...}``."""
        found = {}
        if self.code:
            found[self.code_scheme or "ID"] = self.code
        if self.unit_code:
            found["BIRIM_DETSIS"] = self.unit_code
        return found


@dataclass
class Distribution:
    """One Dagitim: an addressee, gereği (``action``) or bilgi (``information``)."""

    party: Party
    purpose: str  # "action" | "information"
    urgency: str  # "normal" | "acele" | "gunludur"
    miat: str = ""  # the xsd:duration as written, e.g. "P1D"
    due_date: date | None = None  # GÜNLÜDÜR: the package date plus Miat
    omitted_annex_ids: list[str] = field(default_factory=list)  # KonulmamisEkListesi


@dataclass
class Annex:
    """One Ek. ``part_name`` is set for an electronic annex (DED) present in the package."""

    id: str
    kind: str  # "file" (DED) | "external" (HRF) | "physical" (FZK)
    sequence: int | None
    name: str = ""
    description: str = ""
    sayi: str = ""  # BelgeNo of the annexed document, if it has one
    file_name: str = ""
    mime_type: str = ""
    part_name: str | None = None
    signed: bool | None = None
    reference_url: str = ""  # HRF


@dataclass
class Reference:
    """One Ilgi (a reference to an earlier document, shown as "İlgi (a)")."""

    id: str
    etiket: str
    sayi: str = ""
    tarih: datetime | None = None
    name: str = ""
    description: str = ""
    annex_id: str = ""


@dataclass
class Signer:
    """One NihaiUstveri BelgeImzalar/Imza: who signed, for whom ("a.") or instead of whom ("V.")."""

    person: Party
    makam: str = ""
    purpose: str = ""  # Amac
    description: str = ""
    signed_at: datetime | None = None
    delegated_by: Party | None = None  # YetkiDevreden → "Başkan a."
    deputy_for: Party | None = None  # VekaletVeren → "Başkan V."


URGENCY_ORDER = {"acele": 0, "gunludur": 1, "normal": 2}


@dataclass
class EypPackage:
    belge_id: str
    version: str
    subject: str
    sender: Party
    sayi: str
    tarih: datetime
    secrecy: str  # "none" | "hizmete_ozel" | "gizli" | "cok_gizli"
    secrecy_until: datetime | None
    urgency: str  # see ``urgency_for``
    due_date: date | None
    sdp_code: str
    sdp_name: str
    other_sdp_codes: list[str]
    distribution: list[Distribution]
    annexes: list[Annex]
    references: list[Reference]
    signers: list[Signer]
    main_part_name: str
    main_bytes: bytes
    main_mime_type: str
    language: str
    verification_url: str
    parts: dict[str, bytes]  # every part, by part name ("/UstYazi/x.pdf"), byte for byte
    warnings: list[str] = field(default_factory=list)  # tolerated deviations, for the record

    @property
    def date(self) -> date:
        """The document date (the day of the Sayı), in Turkish time."""
        return local_date(self.tarih)

    def distribution_for(self, codes: set[str] | list[str] | tuple[str, ...]) -> list[Distribution]:
        """The Dagitim entries addressed to any of these DETSİS codes (body or unit)."""
        wanted = {c.strip() for c in codes if c}
        return [
            d for d in self.distribution if d.party.code in wanted or d.party.unit_code in wanted
        ]

    def urgency_for(self, codes=()) -> tuple[str, date | None]:
        """Urgency and due date for the addressee with these codes.

        Urgency is per addressee in EYP (Dagitim/Ivedilik). Without codes, or when none
        match, the most urgent entry of the whole list is used so no deadline is missed.
        """
        return most_urgent(self.distribution_for(codes) or self.distribution)


def most_urgent(entries: list[Distribution]) -> tuple[str, date | None]:
    if not entries:
        return "normal", None
    best = min(
        entries,
        key=lambda d: (URGENCY_ORDER.get(d.urgency, 9), d.due_date or date.max),
    )
    return best.urgency, best.due_date


def local_date(moment: datetime) -> date:
    if moment.tzinfo is None:
        return moment.date()
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo("Europe/Istanbul")).date()
