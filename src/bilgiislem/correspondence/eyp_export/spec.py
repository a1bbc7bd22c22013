"""What goes into an outgoing e-Yazışma package: plain dataclasses, our own codes.

Codes are those of ``bilgiislem.registry.choices`` (the importer returns the same values),
mapped to the EYP code lists when the XML is written (standards.md 2.4).
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field

from bilgiislem.registry.eyp.model import Contact

SECRECY_CODES = {"none": "YOK", "hizmete_ozel": "HZO", "gizli": "GZL", "cok_gizli": "CGZ"}
PURPOSE_CODES = {"action": "GRG", "information": "BLG"}
URGENCY_CODES = {"normal": "NRM", "acele": "ACL", "gunludur": "GNL"}
ANNEX_KIND_CODES = {"file": "DED", "external": "HRF", "physical": "FZK"}
PARTY_KINDS = ("public_body", "company", "person")
DEFAULT_VERIFICATION_URL = "https://www.turkiye.gov.tr/belge-dogrulama"


def new_id() -> str:
    return str(uuid.uuid4()).upper()


@dataclass
class SenderSpec:
    """The sending institution (Olusturan/KurumKurulus)."""

    name: str
    detsis: str  # the institution's DETSİS number (KKK)
    unit_detsis: str = ""  # the sending unit's DETSİS number (BirimKKK)
    contact: Contact = field(default_factory=Contact)


@dataclass
class RecipientSpec:
    """One Dagitim entry.

    ``kind``: ``public_body`` (``identifier`` = DETSİS number, ``unit_identifier`` = the
    unit's), ``company`` (``identifier`` with ``identifier_scheme`` such as MERSIS or VKN) or
    ``person`` (``identifier`` = TCKN, may be empty; ``name`` is "first [middle] last").
    GÜNLÜDÜR needs ``miat`` (an xsd:duration such as ``P3D``) or ``due_date``.
    """

    name: str
    identifier: str
    purpose: str = "action"  # action (Gereği) | information (Bilgi)
    urgency: str = "normal"  # normal | acele | gunludur
    kind: str = "public_body"
    identifier_scheme: str = ""
    unit_identifier: str = ""
    miat: str = ""
    due_date: datetime.date | None = None
    omitted_annex_ids: list[str] = field(default_factory=list)  # "Ek konulmadı"
    contact: Contact | None = None


@dataclass
class AnnexSpec:
    """One Ek: ``file`` (bytes in /Ekler/), ``external`` (a URL) or ``physical`` (described)."""

    kind: str  # file | external | physical
    name: str  # Ad, e.g. "Teknik Şartname"
    file_name: str = ""
    content: bytes = b""
    mime_type: str = "application/octet-stream"
    url: str = ""
    description: str = ""  # Aciklama; for a physical annex what it is ("İki adet CD")
    sayi: str = ""  # BelgeNo of the annexed document, if it has one
    id: str = field(default_factory=new_id)


@dataclass
class ReferenceSpec:
    """One İlgi: an earlier document the letter refers to."""

    etiket: str  # a, b, c …
    sayi: str = ""
    date: datetime.date | datetime.datetime | None = None
    description: str = ""
    name: str = ""
    annex_id: str = ""  # when the referenced document travels as an annex
    id: str = field(default_factory=new_id)


@dataclass
class SignerSpec:
    """One signer in NihaiUstveri (BelgeImzalar/Imza).

    ``role`` is "" (own authority), ``"a."`` (signs for ``on_behalf_of`` by delegation,
    YetkiDevreden) or ``"V."`` (acting for ``on_behalf_of``, VekaletVeren). As in the official
    sample, Amac is the purpose ("İmza") and Aciklama carries the line under the signature,
    e.g. "Belediye Başkanı a.".
    """

    first_name: str
    last_name: str
    position: str  # Gorev, e.g. "Başkan Yardımcısı"
    tckn: str = ""
    title: str = ""  # Unvan
    makam: str = ""  # the office signed for, e.g. "Belediye Başkanı"
    role: str = ""  # "" | "a." | "V."
    on_behalf_of: SignerSpec | None = None
    purpose: str = "İmza"
    signed_at: datetime.datetime | None = None

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def description(self) -> str:
        if not self.role:
            return ""
        return f"{self.makam} {self.role}".strip()


@dataclass
class PackageSpec:
    belge_id: str
    subject: str
    sdp_code: str
    sdp_name: str
    sender: SenderSpec
    distribution: list[RecipientSpec]
    sayi: str  # BelgeNo: E-<DETSİS of the unit>-<SDP>-<registry number>
    date: datetime.datetime  # aware; written in Europe/Istanbul time
    signers: list[SignerSpec]
    letter_pdf: bytes  # the signed official letter, PDF/A
    letter_file_name: str = "ustyazi.pdf"
    secrecy: str = "none"
    secrecy_until: datetime.datetime | None = None
    language: str = "tur"
    annexes: list[AnnexSpec] = field(default_factory=list)
    references: list[ReferenceSpec] = field(default_factory=list)
    verification_url: str = DEFAULT_VERIFICATION_URL
    producer: str = "bilgiislem"  # core properties "revision"

    def problems(self) -> list[str]:
        """What makes this spec impossible to package (checked before anything is built)."""
        found = []
        try:
            uuid.UUID(self.belge_id)
        except (ValueError, AttributeError, TypeError):
            found.append(f"belge_id {self.belge_id!r} is not a UUID.")
        if not self.subject.strip():
            found.append("The subject (Konu) is empty.")
        if self.secrecy not in SECRECY_CODES:
            found.append(f"Unknown secrecy {self.secrecy!r}.")
        if not self.distribution:
            found.append("The distribution list is empty.")
        if not self.signers:
            found.append("No signer is given.")
        if not self.sayi.strip():
            found.append("The Sayı (BelgeNo) is empty.")
        if self.date.tzinfo is None:
            found.append("The date must carry a time zone.")
        if not self.letter_pdf.startswith(b"%PDF-"):
            found.append("The letter is not a PDF.")
        for number, recipient in enumerate(self.distribution, 1):
            where = f"Recipient {number} ({recipient.name})"
            if recipient.kind not in PARTY_KINDS:
                found.append(f"{where}: unknown kind {recipient.kind!r}.")
            if recipient.purpose not in PURPOSE_CODES:
                found.append(f"{where}: unknown purpose {recipient.purpose!r}.")
            if recipient.urgency not in URGENCY_CODES:
                found.append(f"{where}: unknown urgency {recipient.urgency!r}.")
            if recipient.urgency == "gunludur" and not (recipient.miat or recipient.due_date):
                found.append(f"{where}: GÜNLÜDÜR needs a Miat or a due date.")
        ids = [a.id.upper() for a in self.annexes]
        if len(ids) != len(set(ids)):
            found.append("Two annexes share an id.")
        for annex in self.annexes:
            if annex.kind not in ANNEX_KIND_CODES:
                found.append(f"Annex {annex.name!r}: unknown kind {annex.kind!r}.")
            elif annex.kind == "file" and not (annex.file_name and annex.content):
                found.append(f"Annex {annex.name!r}: a file annex needs a file name and bytes.")
            elif annex.kind == "external" and not annex.url:
                found.append(f"Annex {annex.name!r}: an external annex needs a URL.")
            elif annex.kind == "physical" and not annex.description:
                found.append(f"Annex {annex.name!r}: a physical annex needs a description.")
        return found
