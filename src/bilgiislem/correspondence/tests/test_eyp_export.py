"""Outgoing e-Yazışma packages: XSD-valid, read back identically, signed and sealed."""

import asyncio
import datetime
import io
import zipfile
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from asn1crypto import cms

from bilgiislem.correspondence.eyp_export import (
    AnnexSpec,
    EypExportError,
    PackageSpec,
    RecipientSpec,
    ReferenceSpec,
    SenderSpec,
    SignerSpec,
    build_package,
    validate_package_xml,
    validate_xml,
)
from bilgiislem.correspondence.letter_pdf import render_letter
from bilgiislem.correspondence.signing import file_signer
from bilgiislem.registry.eyp import Contact, EypError, read_package

from .letters import sample_letter

ISTANBUL = ZoneInfo("Europe/Istanbul")
SAMPLE = Path(__file__).resolve().parents[2] / "registry/tests/data/official-sample-2025.eyp"
BELGE_ID = "5d3c1e2a-7f4b-4c8e-9a1d-2b3c4d5e6f70"
PDF_ANNEX = b"%PDF-1.7\n% teknik sartname\n" + b"0" * 2000 + b"\n%%EOF\n"


def sample_spec(letter_pdf: bytes, **changes) -> PackageSpec:
    """A letter to a public body (Gereği, ACELE), a company and a person (Bilgi), with one
    annex of each kind and two references; signed "Başkan a." by a deputy mayor."""
    mayor = SignerSpec("Mehmet", "Kaya", "Belediye Başkanı", tckn="10000000146")
    fields = dict(
        belge_id=BELGE_ID,
        subject="Ağ Anahtarlarının Yenilenmesi",
        sdp_code="010.06.01",
        sdp_name="İç Genelgeler",
        secrecy="hizmete_ozel",
        sender=SenderSpec(
            name="Karasu Belediye Başkanlığı",
            detsis="12345678",
            unit_detsis="87654321",
            contact=Contact(
                address="Yalı Mah. Atatürk Cad. No:1 Karasu/SAKARYA",
                phone="0264 000 00 00",
                email="bilgiislem@karasu.bel.tr",
                kep="karasubelediyesi@hs01.kep.tr",
                web="www.karasu.bel.tr",
            ),
        ),
        distribution=[
            RecipientSpec(
                "Sakarya Valiliği",
                "24301050",
                purpose="action",
                urgency="acele",
                unit_identifier="24301051",
                contact=Contact(kep="sakaryavaliligi@hs01.kep.tr"),
            ),
            RecipientSpec(
                "Örnek Yazılım A.Ş.",
                "0123456789012345",
                kind="company",
                identifier_scheme="MERSIS",
                purpose="information",
                urgency="gunludur",
                due_date=datetime.date(2025, 3, 14),
            ),
            RecipientSpec(
                "Ali Veli Yılmaz",
                "10000000078",
                kind="person",
                purpose="information",
                urgency="normal",
            ),
        ],
        annexes=[
            AnnexSpec(
                "file",
                "Teknik Şartname",
                file_name="teknik sartname.pdf",
                content=PDF_ANNEX,
                mime_type="application/pdf",
                description="3 sayfa",
                id="A14A4DCC-AE6A-4FD5-AAB3-8A33DC6125DD",
            ),
            AnnexSpec(
                "external",
                "Çalışma Raporu",
                url="https://www.karasu.bel.tr/raporlar/2025-1.pdf",
                description="Kurum web sitesinde",
                id="0C9C4D34-D370-46C2-A996-0FADC0FA591F",
            ),
            AnnexSpec(
                "physical",
                "Keşif CD'si",
                description="İki adet CD",
                id="45A778BA-B943-4B68-8504-71854DF0DDFF",
            ),
        ],
        references=[
            ReferenceSpec(
                "a",
                "E-11111111-010.01-99",
                datetime.date(2025, 2, 1),
                "Valilik yazısı",
                id="76C7FD89-40F5-4F0D-AB41-CDC215B39EB6",
            ),
            ReferenceSpec(
                "b",
                "E-22222222-010.01-12",
                datetime.date(2024, 12, 5),
                id="2A413385-F2DB-43D7-87D2-432D1BEFB247",
            ),
        ],
        sayi="E-87654321-010.06.01-4752",
        date=datetime.datetime(2025, 3, 7, 10, 15, tzinfo=ISTANBUL),
        signers=[
            SignerSpec(
                "Ayşe",
                "Yılmaz",
                "Başkan Yardımcısı",
                tckn="12345678950",
                makam="Belediye Başkanı",
                role="a.",
                on_behalf_of=mayor,
            )
        ],
        letter_pdf=letter_pdf,
        letter_file_name="ustyazi.pdf",
    )
    fields.update(changes)
    return PackageSpec(**fields)


def make_signer(issued, pki):
    return file_signer(issued.key_pem, issued.cert_pem, [pki.interm.cert_pem, pki.root.cert_pem])


@pytest.fixture(scope="module")
def letter_pdf() -> bytes:
    return render_letter(sample_letter())


@pytest.fixture(scope="module")
def built(pki, seal, letter_pdf) -> bytes:
    return build_package(
        sample_spec(letter_pdf),
        signer=make_signer(pki.signer, pki),
        seal_signer=make_signer(seal, pki),
    )


def _parts(data: bytes) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return {"/" + name: archive.read(name) for name in archive.namelist()}


def _rezip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name.lstrip("/"), content)
    return buffer.getvalue()


def test_round_trip_keeps_every_metadata_field(built, letter_pdf):
    spec = sample_spec(letter_pdf)
    package = read_package(built, recipient_codes=["24301050"])
    assert package.warnings == []
    assert package.belge_id == BELGE_ID.upper()
    assert package.version == "2.0"
    assert package.subject == spec.subject
    assert package.sayi == spec.sayi
    assert package.tarih == spec.date
    assert package.tarih.utcoffset() == datetime.timedelta(hours=3)
    assert package.secrecy == "hizmete_ozel"
    assert (package.sdp_code, package.sdp_name) == (spec.sdp_code, spec.sdp_name)
    assert package.language == "tur"
    assert package.main_part_name == "/UstYazi/ustyazi.pdf"
    assert package.main_bytes == letter_pdf
    assert package.main_mime_type == "application/pdf"
    sender = package.sender
    assert (sender.kind, sender.name, sender.code, sender.unit_code) == (
        "public_body",
        "Karasu Belediye Başkanlığı",
        "12345678",
        "87654321",
    )
    assert sender.contact == spec.sender.contact

    got = [
        (d.party.kind, d.party.name, d.party.code, d.party.code_scheme, d.purpose, d.urgency)
        for d in package.distribution
    ]
    assert got == [
        ("public_body", "Sakarya Valiliği", "24301050", "DETSIS", "action", "acele"),
        ("company", "Örnek Yazılım A.Ş.", "0123456789012345", "MERSIS", "information", "gunludur"),
        ("person", "Ali Veli Yılmaz", "10000000078", "TCKN", "information", "normal"),
    ]
    assert package.distribution[0].party.unit_code == "24301051"
    assert package.distribution[0].party.contact.kep == "sakaryavaliligi@hs01.kep.tr"
    assert package.distribution[1].miat == "P7D"
    assert package.distribution[1].due_date == datetime.date(2025, 3, 14)
    assert package.urgency == "acele"  # ours, picked by our DETSİS number

    annexes = [
        (a.id, a.kind, a.sequence, a.name, a.description, a.file_name, a.mime_type, a.signed)
        for a in package.annexes
    ]
    first, second, third = spec.annexes
    assert annexes == [
        (first.id, "file", 1, "Teknik Şartname", "3 sayfa", "teknik_sartname.pdf",
         "application/pdf", True),
        (second.id, "external", 2, "Çalışma Raporu", "Kurum web sitesinde", "", "", False),
        (third.id, "physical", 3, "Keşif CD'si", "İki adet CD", "", "", False),
    ]  # fmt: skip
    assert package.annexes[0].part_name == "/Ekler/teknik_sartname.pdf"
    assert package.parts["/Ekler/teknik_sartname.pdf"] == PDF_ANNEX
    assert package.annexes[1].reference_url == second.url

    references = [(r.id, r.etiket, r.sayi, r.tarih, r.description) for r in package.references]
    assert references == [
        (spec.references[0].id, "a", "E-11111111-010.01-99",
         datetime.datetime(2025, 2, 1), "Valilik yazısı"),
        (spec.references[1].id, "b", "E-22222222-010.01-12", datetime.datetime(2024, 12, 5), ""),
    ]  # fmt: skip

    (signer,) = package.signers
    assert (signer.person.name, signer.person.code, signer.person.position) == (
        "Ayşe Yılmaz",
        "12345678950",
        "Başkan Yardımcısı",
    )
    assert (signer.makam, signer.purpose, signer.description) == (
        "Belediye Başkanı",
        "İmza",
        "Belediye Başkanı a.",
    )
    assert signer.signed_at == spec.date
    assert signer.delegated_by is not None and signer.delegated_by.name == "Mehmet Kaya"
    assert signer.deputy_for is None


def test_package_layout_mirrors_the_official_sample(built):
    parts = _parts(built)
    core = [n for n in parts if n.startswith("/package/services/metadata/core-properties/")]
    assert len(core) == 1 and core[0].endswith(".psmdcp")
    assert set(parts) == {
        "/[Content_Types].xml",
        "/_rels/.rels",
        "/UstYazi/ustyazi.pdf",
        "/Ustveri/Ustveri.xml",
        "/Ekler/teknik_sartname.pdf",
        "/PaketOzeti/PaketOzeti.xml",
        "/PaketOzeti/_rels/PaketOzeti.xml.rels",
        "/Imzalar/ImzaCades.imz",
        "/NihaiUstveri/NihaiUstveri.xml",
        "/NihaiOzet/NihaiOzet.xml",
        "/NihaiOzet/_rels/NihaiOzet.xml.rels",
        "/Muhur/MuhurCades.imz",
        core[0],
    }
    rels = parts["/_rels/.rels"].decode()
    for fragment in (
        'Id="IdUstYazi"',
        'Id="IdUstveri"',
        'Id="IdPaketOzeti"',
        'Id="IdNihaiUstveri"',
        'Id="IdNihaiOzet"',
        'Id="IdEk_A14A4DCC-AE6A-4FD5-AAB3-8A33DC6125DD"',
    ):
        assert fragment in rels
    assert (
        'Target="../Imzalar/ImzaCades.imz" Id="IdImzaCades"'
        in parts["/PaketOzeti/_rels/PaketOzeti.xml.rels"].decode()
    )
    assert (
        'Target="../Muhur/MuhurCades.imz" Id="IdMuhurCades"'
        in parts["/NihaiOzet/_rels/NihaiOzet.xml.rels"].decode()
    )
    types = parts["/[Content_Types].xml"].decode()
    assert 'Extension="imz" ContentType="application/octet-stream"' in types
    properties = parts[core[0]].decode()
    for fragment in (
        f"<dc:identifier>{BELGE_ID.upper()}</dc:identifier>",
        "<dc:creator>Karasu Belediye Başkanlığı/12345678</dc:creator>",
        "<dc:subject>Ağ Anahtarlarının Yenilenmesi</dc:subject>",
        "<category>RESMIYAZISMA</category>",
        "<contentType>application/eyazisma</contentType>",
        "<version>2.0</version>",
        'xsi:type="dcterms:W3CDTF"',
    ):
        assert fragment in properties


def test_every_xml_part_is_valid_against_the_official_schemas(built):
    assert validate_package_xml(built) == []
    parts = _parts(built)
    for name in (
        "/Ustveri/Ustveri.xml",
        "/PaketOzeti/PaketOzeti.xml",
        "/NihaiUstveri/NihaiUstveri.xml",
        "/NihaiOzet/NihaiOzet.xml",
    ):
        assert validate_xml(parts[name], name) == []


def test_the_validator_accepts_the_official_sample_and_catches_errors():
    sample = SAMPLE.read_bytes()
    assert validate_package_xml(sample) == []
    ustveri = _parts(sample)["/Ustveri/Ustveri.xml"]
    assert validate_xml(ustveri, "/Ustveri/Ustveri.xml") == []
    broken = ustveri.replace(b"<Ivedilik>ACL</Ivedilik>", b"<Ivedilik>IVEDI</Ivedilik>")
    broken = broken.replace(b"<KKK>24301050</KKK>", b"<KKK>2430</KKK>")
    problems = validate_xml(broken, "/Ustveri/Ustveri.xml")
    assert len(problems) == 2
    assert any("Ivedilik" in p for p in problems) and any("KKK" in p for p in problems)
    assert validate_xml(b"<UstVeri/>", "/x.xml") != []


def _validation_context(pki):
    from pyhanko_certvalidator import ValidationContext

    from bilgiislem.correspondence.signing import _load_certificate

    return ValidationContext(
        trust_roots=[_load_certificate(pki.root.cert_pem)],
        other_certs=[_load_certificate(pki.interm.cert_pem)],
        allow_fetching=False,
    )


def _verify(signature: bytes, pki):
    from pyhanko.sign.validation import async_validate_cms_signature

    content_info = cms.ContentInfo.load(signature)
    signed_data = content_info["content"]
    status = asyncio.run(
        async_validate_cms_signature(signed_data, validation_context=_validation_context(pki))
    )
    return signed_data, status


def test_the_cades_signature_over_paketozeti_verifies(built, pki, seal):
    parts = _parts(built)
    signed_data, status = _verify(parts["/Imzalar/ImzaCades.imz"], pki)
    assert (
        signed_data["encap_content_info"]["content"].native == parts["/PaketOzeti/PaketOzeti.xml"]
    )
    assert status.intact and status.valid and status.trusted
    assert status.signing_cert.dump() == pki.signer.cert_der
    sealed_data, seal_status = _verify(parts["/Muhur/MuhurCades.imz"], pki)
    assert sealed_data["encap_content_info"]["content"].native == parts["/NihaiOzet/NihaiOzet.xml"]
    assert seal_status.intact and seal_status.valid and seal_status.trusted
    assert seal_status.signing_cert.dump() == seal.cert_der


def test_without_a_seal_signer_the_signer_seals(pki, letter_pdf):
    data = build_package(sample_spec(letter_pdf, annexes=[]), signer=make_signer(pki.signer, pki))
    _, status = _verify(_parts(data)["/Muhur/MuhurCades.imz"], pki)
    assert status.intact and status.valid and status.trusted
    assert status.signing_cert.dump() == pki.signer.cert_der


def test_a_changed_annex_byte_is_caught_by_the_importer(built):
    parts = _parts(built)
    annex = bytearray(parts["/Ekler/teknik_sartname.pdf"])
    annex[100] ^= 0x01
    parts["/Ekler/teknik_sartname.pdf"] = bytes(annex)
    with pytest.raises(EypError) as caught:
        read_package(_rezip(parts))
    assert any("/Ekler/teknik_sartname.pdf does not match" in r for r in caught.value.reasons), (
        caught.value.reasons
    )


def test_an_incomplete_spec_is_refused_with_every_reason(pki, letter_pdf):
    spec = sample_spec(
        letter_pdf,
        distribution=[RecipientSpec("Sakarya Valiliği", "24301050", urgency="gunludur")],
        annexes=[AnnexSpec("external", "Rapor")],
        date=datetime.datetime(2025, 3, 7, 10, 15),
    )
    with pytest.raises(EypExportError) as caught:
        build_package(spec, signer=make_signer(pki.signer, pki))
    problems = caught.value.problems
    assert len(problems) == 3, problems
    assert any("GÜNLÜDÜR" in p for p in problems)
    assert any("URL" in p for p in problems)
    assert any("time zone" in p for p in problems)


def test_output_that_breaks_the_schema_is_not_returned(pki, letter_pdf):
    """A DETSİS number that is not 8 digits fails the XSD: build_package names it."""
    spec = sample_spec(letter_pdf, distribution=[RecipientSpec("Sakarya Valiliği", "2430")])
    with pytest.raises(EypExportError) as caught:
        build_package(spec, signer=make_signer(pki.signer, pki))
    assert any("KKK" in p and "/Ustveri/Ustveri.xml" in p for p in caught.value.problems)


def test_an_expired_signer_is_refused(pki, letter_pdf):
    from bilgiislem.correspondence.signing import SigningError

    with pytest.raises(SigningError):
        build_package(sample_spec(letter_pdf), signer=make_signer(pki.expired, pki))
