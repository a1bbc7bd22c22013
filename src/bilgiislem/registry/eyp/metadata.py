"""Reading Ustveri, NihaiUstveri and the OPC core properties (standards.md 2.1, 2.4).

Structural checks only: the official schemas do not validate real packages as written
(shared/eyazisma/README.md), so required elements and code lists are checked by hand and
small deviations become warnings rather than refusals.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from .digests import Findings
from .model import Annex, Contact, Distribution, Party, Reference, Signer, local_date
from .safexml import child, children, local, namespace, text

USTVERI_NS = "urn:dpt:eyazisma:schema:xsd:Ustveri-2"
NIHAI_USTVERI_NS = "urn:dpt:eyazisma:schema:xsd:NihaiUstveri-2"

# standards.md 1.5: none→YOK, Hizmete Özel→HZO, Gizli→GZL, Çok Gizli→CGZ. "OZL" (Özel) is
# still in the code list but the class was abolished in 2022, so it has no mapping.
SECRECY = {"YOK": "none", "HZO": "hizmete_ozel", "GZL": "gizli", "CGZ": "cok_gizli"}
URGENCY = {"NRM": "normal", "ACL": "acele", "GNL": "gunludur"}
PURPOSE = {"GRG": "action", "BLG": "information"}
ANNEX_KIND = {"DED": "file", "HRF": "external", "FZK": "physical"}

GUID = re.compile(r"[0-9A-Fa-f]{8}-([0-9A-Fa-f]{4}-){3}[0-9A-Fa-f]{12}")
# 2.4: the XSD asks for 14 hex digits, real packages carry 8-digit DETSİS numbers.
KKK = re.compile(r"\d{8}|[0-9A-Fa-f]{14}")
TCKN = re.compile(r"[1-9]\d{10}")
DURATION = re.compile(
    r"P(?:(?P<y>\d+)Y)?(?:(?P<mo>\d+)M)?(?:(?P<w>\d+)W)?(?:(?P<d>\d+)D)?"
    r"(?:T(?:(?P<h>\d+)H)?(?:(?P<mi>\d+)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?"
)


@dataclass
class Ustveri:
    belge_id: str = ""
    subject: str = ""
    secrecy: str = ""
    secrecy_until: datetime | None = None
    mime_type: str = ""
    distribution: list[Distribution] = field(default_factory=list)
    annexes: list[Annex] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    language: str = ""
    sender: Party | None = None
    file_name: str = ""
    sdp_code: str = ""
    sdp_name: str = ""
    other_sdp_codes: list[str] = field(default_factory=list)
    verification_url: str = ""


@dataclass
class NihaiUstveri:
    tarih: datetime | None = None
    sayi: str = ""
    signers: list[Signer] = field(default_factory=list)


def parse_datetime(value: str) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def due_date(start: datetime | None, miat: str) -> date | None:
    """The date a GÜNLÜDÜR letter must be answered by: its date plus the Miat duration."""
    match = DURATION.fullmatch(miat or "")
    if start is None or not match or miat in ("P", "PT"):
        return None
    parts = {k: float(v) if v else 0 for k, v in match.groupdict().items()}
    try:
        day = local_date(start)
        months = day.month - 1 + int(parts["mo"]) + 12 * int(parts["y"])
        year, month = day.year + months // 12, months % 12 + 1
        last = calendar.monthrange(year, month)[1]
        day = day.replace(year=year, month=month, day=min(day.day, last))
        extra = timedelta(
            weeks=parts["w"],
            days=parts["d"],
            hours=parts["h"],
            minutes=parts["mi"],
            seconds=parts["s"],
        )
        return day + timedelta(days=extra.days)
    except (ValueError, OverflowError):
        return None  # a Miat far beyond the calendar: reported as unusable by the caller


def read_contact(element) -> Contact:
    return Contact(
        phone=text(element, "Telefon"),
        phone_other=text(element, "TelefonDiger"),
        email=text(element, "EPosta"),
        kep=text(element, "KepAdresi"),
        fax=text(element, "Faks"),
        web=text(element, "WebAdresi"),
        address=text(element, "Adres"),
        city=text(element, "Il"),
        district=text(element, "Ilce"),
        country=text(element, "Ulke"),
    )


def read_person(element) -> Party:
    """CT_GercekSahis: Kisi (IlkAdi, IkinciAdi, Soyadi, Unvan, OnEk), TCKN, Gorev."""
    person = child(element, "Kisi")
    names = [text(person, "IlkAdi"), text(person, "IkinciAdi"), text(person, "Soyadi")]
    return Party(
        kind="person",
        name=" ".join(n for n in names if n),
        code=text(element, "TCKN"),
        code_scheme="TCKN" if text(element, "TCKN") else "",
        title=text(person, "Unvan"),
        prefix=text(person, "OnEk"),
        position=text(element, "Gorev"),
        contact=read_contact(child(element, "IletisimBilgisi")),
    )


def read_party(holder, where: str, findings: Findings) -> Party | None:
    """The KurumKurulus / TuzelSahis / GercekSahis choice inside ``holder`` (2.4)."""
    body = child(holder, "KurumKurulus")
    if body is not None:
        party = Party(
            kind="public_body",
            name=text(body, "Adi"),
            code=text(body, "KKK"),
            code_scheme="DETSIS",
            unit_code=text(body, "BirimKKK"),
            contact=read_contact(child(body, "IletisimBilgisi")),
        )
        if not KKK.fullmatch(party.code):
            findings.warnings.append(
                f"Ustveri: {where} has an institution code (KKK) {party.code!r} that is "
                "neither an 8-digit DETSİS number nor 14 hex digits."
            )
        return party
    company = child(holder, "TuzelSahis")
    if company is not None:
        identifier = child(company, "Id")
        return Party(
            kind="company",
            name=text(company, "Adi"),
            code=text(identifier),
            code_scheme=(identifier.get("schemeID", "") if identifier is not None else ""),
            contact=read_contact(child(company, "IletisimBilgisi")),
        )
    person = child(holder, "GercekSahis")
    if person is not None:
        party = read_person(person)
        if party.code and not TCKN.fullmatch(party.code):
            findings.warnings.append(f"Ustveri: {where} has a malformed TCKN {party.code!r}.")
        return party
    return None


def read_ustveri(root, findings: Findings) -> Ustveri | None:
    """Ustveri.xml (2.4). Returns None when it is not an EYP 2.x Ustveri at all."""
    if namespace(root.tag) != USTVERI_NS or local(root.tag).casefold() != "ustveri":
        findings.errors.append(
            f"Ustveri: the root element is {root.tag}, not UstVeri in the namespace "
            f"{USTVERI_NS} (an EYP 1.x or foreign package is not accepted)."
        )
        return None
    meta = Ustveri(
        belge_id=text(root, "BelgeId"),
        subject=text(root, "Konu"),
        mime_type=text(root, "MimeTuru"),
        language=text(root, "Dil"),
        file_name=text(root, "DosyaAdi"),
        verification_url=text(child(root, "DogrulamaBilgisi"), "DogrulamaAdresi"),
        secrecy_until=parse_datetime(text(root, "GuvenlikKoduGecerlilikTarihi")),
    )
    _require(root, findings)
    if meta.belge_id and not GUID.fullmatch(meta.belge_id):
        findings.errors.append(f"Ustveri: BelgeId {meta.belge_id!r} is not a GUID.")
    meta.secrecy = _secrecy(text(root, "GuvenlikKodu"), findings)
    meta.sender = read_party(child(root, "Olusturan"), "Olusturan", findings)
    if child(root, "Olusturan") is not None and meta.sender is None:
        findings.errors.append("Ustveri: Olusturan names no institution, company or person.")
    sdp = child(child(root, "SdpBilgisi"), "AnaSdp")
    meta.sdp_code, meta.sdp_name = text(sdp, "Kod"), text(sdp, "Ad")
    others = children(child(child(root, "SdpBilgisi"), "DigerSdpler"), "SdpListesi")
    meta.other_sdp_codes = [text(o, "Kod") for o in others if text(o, "Kod")]
    meta.annexes = [read_annex(e, findings) for e in children(child(root, "Ekler"), "Ek")]
    meta.references = [read_reference(e) for e in children(child(root, "Ilgiler"), "Ilgi")]
    meta.distribution = [
        d
        for d in (
            read_distribution(e, i, findings)
            for i, e in enumerate(children(child(root, "DagitimListesi"), "Dagitim"), 1)
        )
        if d is not None
    ]
    if child(root, "DagitimListesi") is not None and not meta.distribution:
        findings.errors.append("Ustveri: DagitimListesi has no Dagitim (K.19).")
    return meta


# Elements Ustveri must have (2.4); the first group is needed to register the document.
_REQUIRED = ("BelgeId", "Konu", "GuvenlikKodu", "DagitimListesi", "Olusturan")
_EXPECTED = ("MimeTuru", "DosyaAdi", "DogrulamaBilgisi")


def _require(root, findings: Findings) -> None:
    for name in _REQUIRED:
        element = child(root, name)
        if element is None or (len(element) == 0 and not text(element)):
            findings.errors.append(f"Ustveri: the required element {name} is missing or empty.")
    for name in _EXPECTED:
        if child(root, name) is None:
            findings.warnings.append(f"Ustveri: the element {name} is missing (K.19).")


def _secrecy(code: str, findings: Findings) -> str:
    if code in SECRECY:
        return SECRECY[code]
    if code == "OZL":
        findings.errors.append(
            "Ustveri: GuvenlikKodu OZL (Özel) is a security class abolished in 2022 "
            "(standards.md 1.5); the document cannot be classified automatically."
        )
    elif code:
        findings.errors.append(f"Ustveri: GuvenlikKodu {code!r} is not a known security class.")
    return ""


def read_distribution(element, number: int, findings: Findings) -> Distribution | None:
    where = f"Dagitim {number}"
    party = read_party(element, where, findings)
    if party is None:
        findings.errors.append(f"Ustveri: {where} names no institution, company or person.")
        return None
    urgency_code, purpose_code = text(element, "Ivedilik"), text(element, "DagitimTuru")
    if urgency_code not in URGENCY:
        findings.errors.append(f"Ustveri: {where} has an unknown Ivedilik {urgency_code!r}.")
    if purpose_code not in PURPOSE:
        findings.errors.append(f"Ustveri: {where} has an unknown DagitimTuru {purpose_code!r}.")
    omitted = children(child(element, "KonulmamisEkListesi"), "KonulmamisEk")
    return Distribution(
        party=party,
        purpose=PURPOSE.get(purpose_code, ""),
        urgency=URGENCY.get(urgency_code, ""),
        miat=text(element, "Miat"),
        omitted_annex_ids=[text(e, "EkId").upper() for e in omitted if text(e, "EkId")],
    )


def read_annex(element, findings: Findings) -> Annex:
    identifier = child(element, "Id")
    annex_id = (identifier.get("Value", "") if identifier is not None else "") or text(identifier)
    kind_code = text(element, "Tur")
    if kind_code not in ANNEX_KIND:
        findings.errors.append(f"Ustveri: annex {annex_id} has an unknown Tur {kind_code!r}.")
    sequence = text(element, "SiraNo")
    signed = text(element, "ImzaliMi").lower()
    annex = Annex(
        id=annex_id.upper(),
        kind=ANNEX_KIND.get(kind_code, ""),
        sequence=int(sequence) if sequence.isdigit() else None,
        name=text(element, "Ad"),
        description=text(element, "Aciklama"),
        sayi=text(element, "BelgeNo"),
        file_name=text(element, "DosyaAdi"),
        mime_type=text(element, "MimeTuru"),
        signed={"true": True, "1": True, "false": False, "0": False}.get(signed),
        reference_url=text(element, "Referans"),
    )
    if annex.kind == "external" and not annex.reference_url:
        findings.errors.append(f"Ustveri: external annex {annex.id} has no Referans (K.19).")
    return annex


def read_reference(element) -> Reference:
    identifier = child(element, "Id")
    return Reference(
        id=((identifier.get("Value", "") if identifier is not None else "") or text(identifier)),
        etiket=text(element, "Etiket"),
        sayi=text(element, "BelgeNo"),
        tarih=parse_datetime(text(element, "Tarih")),
        name=text(element, "Ad"),
        description=text(element, "Aciklama"),
        annex_id=text(element, "EkId").upper(),
    )


def read_nihai_ustveri(root, findings: Findings) -> NihaiUstveri:
    """NihaiUstveri.xml (2.4): the date, the number (Sayı) and the signers (K.82–K.85)."""
    final = NihaiUstveri(sayi=text(root, "BelgeNo"))
    if namespace(root.tag) != NIHAI_USTVERI_NS:
        findings.errors.append(
            f"NihaiUstveri: the root element is {root.tag}, not in the namespace "
            f"{NIHAI_USTVERI_NS}."
        )
    final.tarih = parse_datetime(text(root, "Tarih"))
    if final.tarih is None:
        findings.errors.append(
            f"NihaiUstveri: Tarih {text(root, 'Tarih')!r} is missing or not a date-time."
        )
    if not final.sayi:
        findings.errors.append("NihaiUstveri: BelgeNo (the Sayı) is missing (K.85).")
    for imza in children(child(root, "BelgeImzalar"), "Imza"):
        signer = child(imza, "Imzalayan")
        if signer is None:
            findings.errors.append("NihaiUstveri: an Imza has no Imzalayan.")
            continue
        delegated, deputy = child(imza, "YetkiDevreden"), child(imza, "VekaletVeren")
        final.signers.append(
            Signer(
                person=read_person(signer),
                makam=text(imza, "Makam"),
                purpose=text(imza, "Amac"),
                description=text(imza, "Aciklama"),
                signed_at=parse_datetime(text(imza, "Tarih")),
                delegated_by=read_person(delegated) if delegated is not None else None,
                deputy_for=read_person(deputy) if deputy is not None else None,
            )
        )
    if not final.signers:
        findings.errors.append("NihaiUstveri: no signer is listed in BelgeImzalar (K.85).")
    return final


def read_core_properties(root) -> dict[str, str]:
    """The OPC core properties (2.1) by local name: identifier, subject, category, version..."""
    return {local(item.tag): (item.text or "").strip() for item in root}
