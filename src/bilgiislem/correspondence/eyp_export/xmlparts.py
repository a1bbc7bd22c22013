"""The XML parts of an outgoing EYP 2.x package, written with ``xml.etree``.

Element order and namespaces follow the official XSDs (``correspondence/xsd/``) and the
official sample package (standards.md 2.2–2.4).
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import xml.etree.ElementTree as ET
from zoneinfo import ZoneInfo

from bilgiislem.registry.eyp.model import Contact

from .spec import (
    ANNEX_KIND_CODES,
    PURPOSE_CODES,
    SECRECY_CODES,
    URGENCY_CODES,
    AnnexSpec,
    PackageSpec,
    RecipientSpec,
    SenderSpec,
    SignerSpec,
)

TIPLER = "urn:dpt:eyazisma:schema:xsd:Tipler-2"
USTVERI = "urn:dpt:eyazisma:schema:xsd:Ustveri-2"
NIHAI_USTVERI = "urn:dpt:eyazisma:schema:xsd:NihaiUstveri-2"
PAKET_OZETI = "urn:dpt:eyazisma:schema:xsd:PaketOzeti-2"
NIHAI_OZET = "urn:dpt:eyazisma:schema:xsd:NihaiOzet-2"
CORE = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DC = "http://purl.org/dc/elements/1.1/"
DCTERMS = "http://purl.org/dc/terms/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"

INTERNAL = "http://eyazisma.dpt/bilesen#dahili"
DIGESTS = (
    ("http://www.w3.org/2001/04/xmldsig-more#sha384", "sha384"),
    ("http://www.w3.org/2001/04/xmlenc#sha512", "sha512"),
)
ISTANBUL = ZoneInfo("Europe/Istanbul")

# Prefixes as in the official sample; registering is idempotent and only names prefixes.
for _prefix, _uri in (
    ("tipler", TIPLER),
    ("paketOzeti", PAKET_OZETI),
    ("dc", DC),
    ("dcterms", DCTERMS),
    ("xsi", XSI),
):
    ET.register_namespace(_prefix, _uri)


def _t(name: str) -> str:
    return f"{{{TIPLER}}}{name}"


def _sub(parent: ET.Element, tag: str, value=None, **attrs) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: v for k, v in attrs.items() if v})
    if value is not None:
        element.text = str(value)
    return element


def _opt(parent: ET.Element, tag: str, value) -> None:
    """Add ``tag`` only when it has a value (optional elements are left out when empty)."""
    if value not in (None, ""):
        _sub(parent, tag, value)


def serialize(root: ET.Element, default_namespace: str | None = None) -> bytes:
    """UTF-8 XML with ``default_namespace`` as the unprefixed namespace, as in the sample.

    ElementTree's own ``default_namespace`` refuses unqualified attributes, so the elements
    of that namespace are written unqualified under an ``xmlns`` declaration on the root.
    """
    if default_namespace:
        prefix = f"{{{default_namespace}}}"
        for element in root.iter():
            if element.tag.startswith(prefix):
                element.tag = element.tag[len(prefix) :]
        root.set("xmlns", default_namespace)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def local_time(moment: datetime.datetime) -> str:
    """xsd:dateTime in Turkish time with its offset, e.g. 2025-03-07T10:15:00+03:00."""
    return moment.astimezone(ISTANBUL).isoformat()


def reference_time(value) -> str:
    if isinstance(value, datetime.datetime):
        return local_time(value) if value.tzinfo else value.isoformat()
    return f"{value.isoformat()}T00:00:00"


# -- Ustveri -------------------------------------------------------------------------------


def contact_element(parent: ET.Element, contact: Contact | None) -> None:
    if contact is None:
        return
    values = (
        ("Telefon", contact.phone),
        ("TelefonDiger", contact.phone_other),
        ("EPosta", contact.email),
        ("KepAdresi", contact.kep),
        ("Faks", contact.fax),
        ("WebAdresi", contact.web),
        ("Adres", contact.address),
        ("Il", contact.city),
        ("Ilce", contact.district),
        ("Ulke", contact.country),
    )
    if not any(v for _, v in values):
        return
    element = _sub(parent, _t("IletisimBilgisi"))
    for tag, value in values:
        _opt(element, _t(tag), value)


def split_name(name: str) -> tuple[str, str, str]:
    """ "Ali Veli Yılmaz" → ("Ali", "Veli", "Yılmaz"): first, middle, last."""
    words = name.split()
    if len(words) < 2:
        return name.strip(), "", name.strip()
    return words[0], " ".join(words[1:-1]), words[-1]


def person_element(
    parent, tag, *, first, last, middle="", title="", tckn="", position="", contact=None
):
    element = _sub(parent, tag)
    kisi = _sub(element, _t("Kisi"))
    _sub(kisi, _t("IlkAdi"), first)
    _sub(kisi, _t("Soyadi"), last)
    _opt(kisi, _t("IkinciAdi"), middle)
    _opt(kisi, _t("Unvan"), title)
    _opt(element, _t("TCKN"), tckn)
    _opt(element, _t("Gorev"), position)
    contact_element(element, contact)
    return element


def institution_element(parent, *, code, name, unit_code="", contact=None) -> None:
    element = _sub(parent, _t("KurumKurulus"))
    _sub(element, _t("KKK"), code)
    _opt(element, _t("Adi"), name)
    contact_element(element, contact)
    _opt(element, _t("BirimKKK"), unit_code)


def recipient_element(parent, recipient: RecipientSpec, letter_date) -> None:
    element = _sub(parent, _t("Dagitim"))
    if recipient.kind == "public_body":
        institution_element(
            element,
            code=recipient.identifier,
            name=recipient.name,
            unit_code=recipient.unit_identifier,
            contact=recipient.contact,
        )
    elif recipient.kind == "company":
        company = _sub(element, _t("TuzelSahis"))
        _sub(company, _t("Id"), recipient.identifier, schemeID=recipient.identifier_scheme)
        _opt(company, _t("Adi"), recipient.name)
        contact_element(company, recipient.contact)
    else:
        first, middle, last = split_name(recipient.name)
        person_element(
            element,
            _t("GercekSahis"),
            first=first,
            middle=middle,
            last=last,
            tckn=recipient.identifier,
            contact=recipient.contact,
        )
    _sub(element, _t("Ivedilik"), URGENCY_CODES[recipient.urgency])
    _sub(element, _t("DagitimTuru"), PURPOSE_CODES[recipient.purpose])
    if recipient.urgency == "gunludur":
        _sub(element, _t("Miat"), miat(recipient, letter_date))
    if recipient.omitted_annex_ids:
        omitted = _sub(element, _t("KonulmamisEkListesi"))
        for annex_id in recipient.omitted_annex_ids:
            _sub(_sub(omitted, _t("KonulmamisEk")), _t("EkId"), annex_id.upper())


def miat(recipient: RecipientSpec, letter_date: datetime.datetime) -> str:
    """The answer period as an xsd:duration: given, or the days from the letter's date."""
    if recipient.miat:
        return recipient.miat
    days = (recipient.due_date - letter_date.astimezone(ISTANBUL).date()).days
    return f"P{max(days, 0)}D"


def annex_element(parent, annex: AnnexSpec, sequence: int, file_name: str) -> None:
    element = _sub(parent, _t("Ek"))
    _sub(element, _t("Id"), Value=annex.id.upper())
    _opt(element, _t("BelgeNo"), annex.sayi)
    _sub(element, _t("Tur"), ANNEX_KIND_CODES[annex.kind])
    if annex.kind == "file":
        _sub(element, _t("DosyaAdi"), file_name)
        _sub(element, _t("MimeTuru"), annex.mime_type)
    _sub(element, _t("Ad"), annex.name)
    _sub(element, _t("SiraNo"), sequence)
    _opt(element, _t("Aciklama"), annex.description)
    if annex.kind == "external":
        _sub(element, _t("Referans"), annex.url)
    _sub(element, _t("ImzaliMi"), "true" if annex.kind == "file" else "false")


def ustveri_xml(spec: PackageSpec, annex_file_names: dict[str, str]) -> bytes:
    root = ET.Element(f"{{{USTVERI}}}UstVeri")
    _sub(root, _t("BelgeId"), spec.belge_id.upper())
    _sub(root, _t("Konu"), spec.subject)
    _sub(root, _t("GuvenlikKodu"), SECRECY_CODES[spec.secrecy])
    if spec.secrecy_until is not None:
        _sub(root, _t("GuvenlikKoduGecerlilikTarihi"), local_time(spec.secrecy_until))
    _sub(root, _t("MimeTuru"), "application/pdf")
    distribution = _sub(root, _t("DagitimListesi"))
    for recipient in spec.distribution:
        recipient_element(distribution, recipient, spec.date)
    if spec.annexes:
        annexes = _sub(root, _t("Ekler"))
        for sequence, annex in enumerate(spec.annexes, 1):
            annex_element(annexes, annex, sequence, annex_file_names.get(annex.id, ""))
    if spec.references:
        references = _sub(root, _t("Ilgiler"))
        for reference in spec.references:
            element = _sub(references, _t("Ilgi"))
            _sub(element, _t("Id"), Value=reference.id.upper())
            _opt(element, _t("BelgeNo"), reference.sayi)
            if reference.date is not None:
                _sub(element, _t("Tarih"), reference_time(reference.date))
            _sub(element, _t("Etiket"), reference.etiket)
            _opt(element, _t("EkId"), reference.annex_id.upper())
            _opt(element, _t("Ad"), reference.name)
            _opt(element, _t("Aciklama"), reference.description)
    _sub(root, _t("Dil"), spec.language)
    sender_element(_sub(root, _t("Olusturan")), spec.sender)
    _sub(root, _t("DosyaAdi"), spec.letter_file_name)
    sdp = _sub(_sub(root, _t("SdpBilgisi")), _t("AnaSdp"))
    _sub(sdp, _t("Kod"), spec.sdp_code)
    _sub(sdp, _t("Ad"), spec.sdp_name)
    _sub(_sub(root, _t("DogrulamaBilgisi")), _t("DogrulamaAdresi"), spec.verification_url)
    return serialize(root, default_namespace=USTVERI)


def sender_element(parent, sender: SenderSpec) -> None:
    institution_element(
        parent,
        code=sender.detsis,
        name=sender.name,
        unit_code=sender.unit_detsis,
        contact=sender.contact,
    )


# -- NihaiUstveri ----------------------------------------------------------------------------


def _signer_person(parent, tag, signer: SignerSpec) -> None:
    person_element(
        parent,
        tag,
        first=signer.first_name,
        last=signer.last_name,
        title=signer.title,
        tckn=signer.tckn,
        position=signer.position,
    )


def nihai_ustveri_xml(spec: PackageSpec, signed_at: datetime.datetime) -> bytes:
    root = ET.Element(f"{{{NIHAI_USTVERI}}}NihaiUstVeri")
    _sub(root, _t("Tarih"), local_time(spec.date))
    _sub(root, _t("BelgeNo"), spec.sayi)
    signatures = _sub(root, _t("BelgeImzalar"))
    for signer in spec.signers:
        imza = _sub(signatures, _t("Imza"))
        _signer_person(imza, _t("Imzalayan"), signer)
        if signer.on_behalf_of is not None and signer.role in ("a.", "V."):
            tag = "YetkiDevreden" if signer.role == "a." else "VekaletVeren"
            _signer_person(imza, _t(tag), signer.on_behalf_of)
        _opt(imza, _t("Makam"), signer.makam)
        _opt(imza, _t("Amac"), signer.purpose)
        _opt(imza, _t("Aciklama"), signer.description)
        _sub(imza, _t("Tarih"), local_time(signer.signed_at or signed_at))
    return serialize(root, default_namespace=NIHAI_USTVERI)


# -- digest summaries --------------------------------------------------------------------------


def summary_xml(root_tag: str, belge_id: str, parts: list[tuple[str, bytes]]) -> bytes:
    """PaketOzeti or NihaiOzet: two digests (SHA-384, SHA-512) of each part (2.3)."""
    root = ET.Element(root_tag, {"Id": belge_id.upper()})
    for part_name, content in parts:
        reference = _sub(root, f"{{{PAKET_OZETI}}}Reference", URI=part_name, Type=INTERNAL)
        for algorithm, name in DIGESTS:
            item = _sub(reference, f"{{{PAKET_OZETI}}}DigestItem")
            _sub(item, f"{{{PAKET_OZETI}}}DigestMethod", Algorithm=algorithm)
            digest = base64.b64encode(hashlib.new(name, content).digest()).decode("ascii")
            _sub(item, f"{{{PAKET_OZETI}}}DigestValue", digest)
    namespace = root_tag[1:].split("}", 1)[0]
    return serialize(root, default_namespace=namespace)


def paket_ozeti_xml(belge_id: str, parts: list[tuple[str, bytes]]) -> bytes:
    return summary_xml(f"{{{PAKET_OZETI}}}PaketOzeti", belge_id, parts)


def nihai_ozet_xml(belge_id: str, parts: list[tuple[str, bytes]]) -> bytes:
    return summary_xml(f"{{{NIHAI_OZET}}}NihaiOzet", belge_id, parts)


# -- OPC -----------------------------------------------------------------------------------------


def core_properties_xml(spec: PackageSpec, created: datetime.datetime) -> bytes:
    root = ET.Element(f"{{{CORE}}}coreProperties")
    _sub(root, f"{{{DC}}}identifier", spec.belge_id.upper())
    created_at = created.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    _sub(root, f"{{{DCTERMS}}}created", created_at, **{f"{{{XSI}}}type": "dcterms:W3CDTF"})
    _sub(root, f"{{{DC}}}creator", f"{spec.sender.name}/{spec.sender.detsis}")
    _sub(root, f"{{{DC}}}subject", spec.subject)
    _sub(root, f"{{{CORE}}}category", "RESMIYAZISMA")
    _sub(root, f"{{{CORE}}}contentType", "application/eyazisma")
    _sub(root, f"{{{CORE}}}version", "2.0")
    _sub(root, f"{{{CORE}}}revision", spec.producer)
    return serialize(root, default_namespace=CORE)


RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"


def relationships_xml(items: list[tuple[str, str, str]]) -> bytes:
    """``items``: (type, target, id), as in the official sample (attribute order kept)."""
    root = ET.Element(f"{{{RELATIONSHIPS}}}Relationships")
    for kind, target, identifier in items:
        ET.SubElement(
            root, f"{{{RELATIONSHIPS}}}Relationship", Type=kind, Target=target, Id=identifier
        )
    return serialize(root, default_namespace=RELATIONSHIPS)


def content_types_xml(defaults: dict[str, str], overrides: dict[str, str]) -> bytes:
    root = ET.Element(f"{{{CONTENT_TYPES}}}Types")
    for extension, content_type in defaults.items():
        ET.SubElement(
            root, f"{{{CONTENT_TYPES}}}Default", Extension=extension, ContentType=content_type
        )
    for part_name, content_type in overrides.items():
        ET.SubElement(
            root, f"{{{CONTENT_TYPES}}}Override", PartName=part_name, ContentType=content_type
        )
    return serialize(root, default_namespace=CONTENT_TYPES)
