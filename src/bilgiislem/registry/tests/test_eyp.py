"""The e-Yazışma package reader (standards.md section 2) against the official sample.

Tampered packages are rebuilt from the sample's bytes with ``zipfile``; no fixture files.
"""

import io
import zipfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from bilgiislem.core.errors import DomainError
from bilgiislem.registry.eyp import EypError, read_package

SAMPLE_PATH = Path(__file__).resolve().parent / "data" / "official-sample-2025.eyp"
SAMPLE = SAMPLE_PATH.read_bytes()
TR = timezone(timedelta(hours=3))

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<UstVeri xmlns="urn:dpt:eyazisma:schema:xsd:Ustveri-2"><Konu>&lol9;</Konu></UstVeri>
"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<PaketOzeti xmlns="urn:dpt:eyazisma:schema:xsd:PaketOzeti-2" Id="&xxe;"/>
"""


def sample_entries() -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(SAMPLE)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def rebuild(changes: dict[str, bytes | None]) -> bytes:
    """The sample with some entries replaced (bytes) or removed (None)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in sample_entries().items():
            content = changes.get(name, content)
            if content is not None:
                archive.writestr(name, content)
    return out.getvalue()


def edit(name: str, old: bytes, new: bytes) -> bytes:
    content = sample_entries()[name]
    assert old in content
    return rebuild({name: content.replace(old, new, 1)})


def reasons_for(data: bytes, **kwargs) -> list[str]:
    with pytest.raises(EypError) as caught:
        read_package(data, **kwargs)
    return caught.value.reasons


def test_official_sample_imports_with_its_metadata():
    package = read_package(SAMPLE)

    assert package.belge_id == "4F9E2E9B-F4E6-4428-8F99-2E0A0D1D42D9"
    assert package.version == "2.0"
    assert package.subject == "e-Yazışma Test Paketi"
    assert package.sayi == "1234"
    assert package.tarih == datetime(2025, 5, 12, 14, 23, 13, 351520, tzinfo=TR)
    assert package.date == date(2025, 5, 12)
    assert package.secrecy == "hizmete_ozel"
    assert package.secrecy_until == datetime(2035, 5, 12, 14, 23, 10, 414586, tzinfo=TR)
    assert package.sdp_code == "010.06.01"
    assert package.sdp_name == "İç Genelgeler"
    assert package.other_sdp_codes == ["010.07.01", "010.08"]
    assert package.language == "tur"
    assert package.verification_url == "https://www.turkiye.gov.tr/belge-dogrulama"

    sender = package.sender
    assert sender.kind == "public_body"
    assert sender.name == "Türkiye Cumhuriyeti Cumhurbaşkanlığı Dijital Dönüşüm Ofisi Başkanlığı"
    assert sender.identifiers == {"DETSIS": "82223362", "BIRIM_DETSIS": "12345678"}
    assert sender.contact.kep == "cbddo@hs01.kep.tr"

    first, second = package.distribution
    assert (first.party.name, first.party.code, first.party.unit_code) == (
        "Adalet Bakanlığı",
        "24301050",
        "24301051",
    )
    assert (first.purpose, first.urgency, first.due_date) == ("action", "acele", None)
    assert first.omitted_annex_ids == ["396A3897-7A62-4F76-B10A-828E7946D0CD"]
    assert (second.party.name, second.party.code) == ("Sağlık Bakanlığı", "24322010")
    assert (second.purpose, second.urgency, second.miat) == ("information", "gunludur", "P1D")
    assert second.due_date == date(2025, 5, 13)
    # Without our DETSİS code the most urgent entry counts; with it, our own entry.
    assert (package.urgency, package.due_date) == ("acele", None)
    assert package.urgency_for(["24322010"]) == ("gunludur", date(2025, 5, 13))

    assert [(a.sequence, a.kind, a.name, a.part_name) for a in package.annexes] == [
        (1, "file", "Birinci ek", "/Ekler/dosya1.pdf"),
        (2, "external", "Harici referans", None),
        (3, "physical", "Fiziksel ek", None),
        (4, "file", "İmzasız ek", "/ImzasizEkler/dosya_imzasiz.docm"),
        (5, "file", "İkinci ek", "/Ekler/dosya3.docx"),
    ]
    external, physical = package.annexes[1], package.annexes[2]
    assert external.reference_url.endswith("/Calisma_Raporu_2.pdf")
    assert physical.description == "İki adet CD"
    assert package.annexes[0].signed is True and package.annexes[3].signed is False

    assert [(r.etiket, r.sayi, r.tarih, r.annex_id) for r in package.references] == [
        ("a", "65410891-020-480", datetime(2009, 11, 5), "48ECB045-06C5-43DA-BACE-50BA73A8D129"),
        ("b", "48154937-612.01.03-945", datetime(2009, 11, 5), ""),
    ]

    osman, metin = package.signers
    assert (osman.person.name, osman.person.position, osman.makam) == (
        "Osman Murat Yeşil",
        "Daire Başkanı",
        "Müsteşar",
    )
    assert osman.delegated_by.name == "Hasan Şaban Aydın"
    assert osman.deputy_for.name == "Semih Yılmaz"
    assert (metin.person.name, metin.person.code) == ("Metin Demir", "98787678902")

    assert package.main_part_name == "/UstYazi/ustyazi.pdf"
    assert package.main_mime_type == "application/pdf"
    assert package.main_bytes.startswith(b"%PDF-")
    assert package.warnings == []


def test_every_part_is_kept_byte_for_byte():
    package = read_package(SAMPLE)

    assert package.parts == {"/" + name: content for name, content in sample_entries().items()}
    assert package.main_bytes == package.parts["/UstYazi/ustyazi.pdf"]


def test_codes_are_those_of_the_registry_choices():
    from bilgiislem.registry.choices import AnnexKind, Purpose, Secrecy, Urgency
    from bilgiislem.registry.eyp.metadata import ANNEX_KIND, PURPOSE, SECRECY, URGENCY

    assert set(SECRECY.values()) == set(Secrecy.values)
    assert set(URGENCY.values()) == set(Urgency.values)
    assert set(ANNEX_KIND.values()) == set(AnnexKind.values)
    assert set(PURPOSE.values()) == set(Purpose.values)


def test_refusal_is_a_domain_error_on_the_file_field():
    with pytest.raises(DomainError) as caught:
        read_package(b"")

    assert caught.value.errors == {"file": caught.value.reasons}


def test_one_changed_byte_in_the_cover_letter_is_a_digest_mismatch():
    letter = bytearray(sample_entries()["UstYazi/ustyazi.pdf"])
    letter[len(letter) // 2] ^= 0x01

    reasons = reasons_for(rebuild({"UstYazi/ustyazi.pdf": bytes(letter)}))

    assert any(
        r.startswith("PaketOzeti: digest of /UstYazi/ustyazi.pdf does not match (SHA-384, SHA-512)")
        for r in reasons
    )
    assert any(r.startswith("NihaiOzet: digest of /UstYazi/ustyazi.pdf") for r in reasons)
    assert any(r.startswith("ParafOzeti: digest of /UstYazi/ustyazi.pdf") for r in reasons)


def test_changed_metadata_is_a_digest_mismatch():
    data = edit("Ustveri/Ustveri.xml", b"e-Yaz\xc4\xb1\xc5\x9fma Test Paketi", b"Another subject")

    reasons = reasons_for(data)

    assert any(r.startswith("PaketOzeti: digest of /Ustveri/Ustveri.xml") for r in reasons)


@pytest.mark.parametrize(
    "removed",
    [
        "UstYazi/ustyazi.pdf",
        "Ustveri/Ustveri.xml",
        "PaketOzeti/PaketOzeti.xml",
        "Imzalar/ImzaCades.imz",
        "NihaiUstveri/NihaiUstveri.xml",
        "NihaiOzet/NihaiOzet.xml",
        "Muhur/MuhurCades.imz",
        "Ekler/dosya1.pdf",
    ],
)
def test_a_removed_part_is_named(removed):
    reasons = reasons_for(rebuild({removed: None}))

    assert any(r.startswith(f"/{removed}: missing part") for r in reasons), reasons


@pytest.mark.parametrize(
    ("removed", "label"),
    [
        ("UstYazi/ustyazi.pdf", "UstYazi (the cover letter)"),
        ("NihaiUstveri/NihaiUstveri.xml", "NihaiUstveri"),
        ("Imzalar/ImzaCades.imz", "signature (ImzaCades)"),
    ],
)
def test_a_removed_part_and_its_relationship_are_named(removed, label):
    rels_name = (
        "PaketOzeti/_rels/PaketOzeti.xml.rels" if removed.startswith("Imzalar") else "_rels/.rels"
    )
    rels = sample_entries()[rels_name]
    start = rels.rindex(b"<Relationship ", 0, rels.index(removed.encode()))
    end = rels.index(b"/>", start) + 2

    reasons = reasons_for(rebuild({removed: None, rels_name: rels[:start] + rels[end:]}))

    assert any(r.startswith("/" + removed.split("/")[0] + "/") and label in r for r in reasons)


def test_an_annex_left_out_for_this_recipient_is_tolerated():
    # dosya3.docx is in Adalet Bakanlığı's KonulmamisEkListesi: the sender may leave it out.
    rels = sample_entries()["_rels/.rels"]
    start = rels.rindex(b"<Relationship ", 0, rels.index(b"/Ekler/dosya3.docx"))
    end = rels.index(b"/>", start) + 2

    package = read_package(
        rebuild({"Ekler/dosya3.docx": None, "_rels/.rels": rels[:start] + rels[end:]})
    )

    assert package.annexes[4].part_name is None
    assert any("dosya3.docx" in w for w in package.warnings)


def test_not_a_zip_is_refused():
    reasons = reasons_for(b"%PDF-1.7 this is a PDF, not a package")

    assert reasons == [
        "The file is not a ZIP archive, so it is not an e-Yazışma package "
        "(an .eyp is an OPC ZIP container, standards.md 2.1)."
    ]


def test_empty_file_is_refused():
    assert reasons_for(b"") == ["The file is empty; an e-Yazışma package (.eyp) was expected."]


def test_truncated_zip_is_refused():
    assert reasons_for(SAMPLE[: len(SAMPLE) // 2])


def test_zip_without_content_types_is_refused():
    reasons = reasons_for(rebuild({"[Content_Types].xml": None}))

    assert any(r.startswith("[Content_Types].xml is missing") for r in reasons)


def test_zip_without_package_relationships_is_refused():
    reasons = reasons_for(rebuild({"_rels/.rels": None}))

    assert any(r.startswith("_rels/.rels is missing") for r in reasons)


def test_billion_laughs_is_refused_without_expansion():
    reasons = reasons_for(rebuild({"Ustveri/Ustveri.xml": BILLION_LAUGHS}))

    assert any(
        r.startswith("/Ustveri/Ustveri.xml: contains a DTD or entity declaration") for r in reasons
    )


def test_external_entity_is_refused():
    reasons = reasons_for(rebuild({"PaketOzeti/PaketOzeti.xml": EXTERNAL_ENTITY}))

    assert any(
        r.startswith("/PaketOzeti/PaketOzeti.xml: contains a DTD or entity declaration")
        for r in reasons
    )


def test_entity_in_relationships_is_refused():
    rels = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "b">]><Relationships/>'

    reasons = reasons_for(rebuild({"_rels/.rels": rels}))

    assert any(r.startswith("/_rels/.rels: contains a DTD") for r in reasons)


def test_zip_bomb_is_refused_before_unpacking():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("UstYazi/bomb.pdf", b"\0" * (8 * 1024 * 1024))
    assert len(out.getvalue()) < 64 * 1024

    reasons = reasons_for(out.getvalue(), max_total_bytes=1024 * 1024)

    assert len(reasons) == 1
    assert "possible ZIP bomb" in reasons[0]


def test_too_many_entries_are_refused():
    reasons = reasons_for(SAMPLE, max_entries=5)

    assert reasons == ["The package has 18 entries; at most 5 are accepted."]


def test_sha1_digest_is_refused_as_deprecated():
    data = edit(
        "PaketOzeti/PaketOzeti.xml",
        b"http://www.w3.org/2001/04/xmldsig-more#sha384",
        b"http://www.w3.org/2000/09/xmldsig#sha1",
    )

    reasons = reasons_for(data)

    assert any(
        r.startswith("PaketOzeti: digest of /Ustveri/Ustveri.xml uses SHA-1, deprecated")
        for r in reasons
    )


def test_a_reference_with_one_digest_is_refused():
    summary = sample_entries()["PaketOzeti/PaketOzeti.xml"]
    start = summary.index(b"<DigestItem>")
    end = summary.index(b"</DigestItem>", start) + len(b"</DigestItem>")

    reasons = reasons_for(rebuild({"PaketOzeti/PaketOzeti.xml": summary[:start] + summary[end:]}))

    assert any(
        r.startswith("PaketOzeti: /Ustveri/Ustveri.xml must carry two digests") for r in reasons
    )


def test_obsolete_security_class_is_a_reason():
    reasons = reasons_for(edit("Ustveri/Ustveri.xml", b">HZO<", b">OZL<"))

    assert any(r.startswith("Ustveri: GuvenlikKodu OZL (Özel)") for r in reasons)


def test_ustveri_in_a_foreign_namespace_is_refused():
    data = edit(
        "Ustveri/Ustveri.xml",
        b'xmlns="urn:dpt:eyazisma:schema:xsd:Ustveri-2"',
        b'xmlns="urn:dpt:eyazisma:schema:xsd:Ustveri-1"',
    )

    reasons = reasons_for(data)

    assert any(r.startswith("Ustveri: the root element is") for r in reasons)


def test_not_well_formed_xml_is_refused():
    reasons = reasons_for(rebuild({"NihaiUstveri/NihaiUstveri.xml": b"<NihaiUstVeri><BelgeNo>"}))

    assert any(r.startswith("/NihaiUstveri/NihaiUstveri.xml: not well-formed XML") for r in reasons)


def test_recipient_codes_pick_our_distribution_entry():
    package = read_package(SAMPLE, recipient_codes=["24322010"])

    assert (package.urgency, package.due_date) == ("gunludur", date(2025, 5, 13))
