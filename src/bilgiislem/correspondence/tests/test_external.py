"""Signing with the signer's own e-imza: prepare, sign outside, upload — and every refusal."""

import datetime
import io

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes

from bilgiislem.audit.models import AuditEvent
from bilgiislem.core import storage
from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.correspondence import letter_pdf, services
from bilgiislem.correspondence.choices import LetterStatus, StepStatus
from bilgiislem.correspondence.signing import file_signer, verify_pdf
from bilgiislem.registry.models import Document

from .letters import sample_letter

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

TCKN = "12345678901"  # the test signer certificate carries TCKN12345678901


def internal_letter(people, units):
    """A letter to another directorate, paraphed and waiting for the Director's signature."""
    letter = services.letter_create(
        actor=people["memur"],
        subject="Yazıcı toner ihtiyacı",
        body="Birinci paragraf.\n\nGereğini arz ederim.",
        sdp_code="010.06.01",
        recipients=[{"kind": "internal", "unit": units["yazi-isleri"]}],
    )
    services.letter_submit(actor=people["memur"], letter=letter)
    services.step_approve(actor=people["sef"], letter=letter)
    mudur = people["mudur"]
    mudur.tckn = TCKN
    mudur.save(update_fields=["tckn"])
    return letter


def raw_sign(pdf: bytes, issued, chain) -> bytes:
    """Sign as an e-imza application would, without the server's own validity checks."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    meta = signers.PdfSignatureMetadata(
        field_name="Imza1", subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256"
    )
    signer = file_signer(issued.key_pem, issued.cert_pem, [c.cert_pem for c in chain])
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    return signers.PdfSigner(meta, signer=signer).sign_pdf(writer).getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def prepared(people, units, pki, media):
    letter = internal_letter(people, units)
    pdf = services.letter_prepare_external(actor=people["mudur"], letter=letter)
    return letter, pdf


def sign_external(people, letter, data, pki, **extra):
    return services.letter_sign_external(
        actor=people["mudur"],
        letter=letter,
        signed_pdf=data,
        trust_roots=[pki.root.cert_pem],
        **extra,
    )


def assert_unchanged(letter):
    letter.refresh_from_db()
    assert letter.status == LetterStatus.IN_APPROVAL
    assert letter.sayi == "" and letter.verification_code is None
    assert not AuditEvent.objects.filter(action="correspondence.letter.signed").exists()


def refused(people, letter, data, pki, *, expect, **extra):
    with pytest.raises(DomainError) as err:
        sign_external(people, letter, data, pki, **extra)
    message = " ".join(m for msgs in err.value.errors.values() for m in msgs)
    assert expect in message, message
    assert_unchanged(letter)
    return err.value


def test_prepared_letter_carries_its_sayi_and_is_signed_on_upload(people, prepared, pki):
    letter, pdf = prepared
    event = AuditEvent.objects.get(action="correspondence.letter.prepared")
    document = Document.objects.get(pk=event.changes["document"])
    assert document.sayi.encode() in pdf or pdf.startswith(b"%PDF-")
    # Asking again gives the same file and takes no second number.
    again = services.letter_prepare_external(actor=people["mudur"], letter=letter)
    assert again == pdf
    assert AuditEvent.objects.filter(action="correspondence.letter.prepared").count() == 1

    signed = raw_sign(pdf, pki.signer, [pki.interm])
    sign_external(people, letter, signed, pki)
    letter.refresh_from_db()
    assert letter.status == LetterStatus.SIGNED
    assert letter.sayi == document.sayi and letter.document == document
    assert letter.verification_code == event.changes["code"]
    assert letter.steps.get(kind="signature").status == StepStatus.APPROVED
    stored = document.files.get()
    assert storage.open_verified(stored.sha256) == signed
    assert verify_pdf(signed, [pki.root.cert_pem]).ok


def test_the_tckn_may_come_from_the_mapping(people, units, pki, media, settings):
    letter = internal_letter(people, units)
    people["mudur"].tckn = ""
    people["mudur"].save(update_fields=["tckn"])
    settings.BILGIISLEM_CERT_TCKN_MAP = {"mudur": TCKN}
    pdf = services.letter_prepare_external(actor=people["mudur"], letter=letter)
    sign_external(people, letter, raw_sign(pdf, pki.signer, [pki.interm]), pki)
    letter.refresh_from_db()
    assert letter.status == LetterStatus.SIGNED


# --- refusals -------------------------------------------------------------------------


def test_not_a_pdf(people, prepared, pki):
    refused(people, prepared[0], b"GIF89a not a pdf", pki, expect="not a PDF")


def test_not_signed(people, prepared, pki):
    refused(people, prepared[0], prepared[1], pki, expect="no signature")


def test_an_altered_byte(people, prepared, pki):
    letter, pdf = prepared
    signed = bytearray(raw_sign(pdf, pki.signer, [pki.interm]))
    at = signed.index(b"/Type /Page") if b"/Type /Page" in signed else len(pdf) // 2
    signed[at + 1] = ord("X")  # inside the signed byte range
    err = refused(people, letter, bytes(signed), pki, expect="")
    assert "signed_pdf" in err.errors


def test_an_incremental_update_after_signing(people, prepared, pki):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    letter, pdf = prepared
    signed = raw_sign(pdf, pki.signer, [pki.interm])
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page["/Rotate"] = generic.NumberObject(90)
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    refused(people, letter, out.getvalue(), pki, expect="whole file")


def test_bytes_appended_after_the_signature(people, prepared, pki):
    letter, pdf = prepared
    signed = raw_sign(pdf, pki.signer, [pki.interm]) + b"\n% appended later\n" * 3
    err = refused(people, letter, signed, pki, expect="")
    assert "signed_pdf" in err.errors


def test_signed_by_someone_else(people, prepared, pki, other_signer):
    letter, pdf = prepared
    signed = raw_sign(pdf, other_signer, [pki.interm])
    refused(people, letter, signed, pki, expect="someone else")


def test_an_expired_certificate(people, prepared, pki, settings):
    letter, pdf = prepared
    settings.BILGIISLEM_CERT_TCKN_MAP = {}
    signed = raw_sign(pdf, pki.expired, [pki.interm])
    refused(people, letter, signed, pki, expect="not valid at the time of signing")


def test_an_untrusted_root(people, prepared, pki):
    letter, pdf = prepared
    signed = raw_sign(pdf, pki.signer, [pki.interm])
    with pytest.raises(DomainError) as err:
        services.letter_sign_external(
            actor=people["mudur"],
            letter=letter,
            signed_pdf=signed,
            trust_roots=[pki.rogue_root.cert_pem],
        )
    assert "trusted root" in str(err.value)
    assert_unchanged(letter)


def _revocable_signer(pki):
    """The signer's key in a certificate naming a CRL distribution point (so the CRL counts)."""
    from bilgiislem.correspondence.tests.conftest import NOW, Issued

    key = pki.signer.key
    cert = (
        x509.CertificateBuilder()
        .subject_name(pki.signer.cert.subject)
        .issuer_name(pki.interm.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - datetime.timedelta(days=30))
        .not_valid_after(NOW + datetime.timedelta(days=365))
        .add_extension(
            x509.CRLDistributionPoints(
                [
                    x509.DistributionPoint(
                        [x509.UniformResourceIdentifier("http://crl.test/ara.crl")],
                        None,
                        None,
                        None,
                    )
                ]
            ),
            critical=False,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(pki.interm.key.public_key()),
            critical=False,
        )
        .sign(pki.interm.key, hashes.SHA256())
    )
    return Issued(key, cert)


def test_a_revoked_certificate(people, prepared, pki):
    from asn1crypto import crl as asn1_crl
    from cryptography.hazmat.primitives.serialization import Encoding

    letter, pdf = prepared
    revocable = _revocable_signer(pki)
    signed = raw_sign(pdf, revocable, [pki.interm])
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(pki.interm.cert.subject)
        .last_update(now - datetime.timedelta(days=1))
        .next_update(now + datetime.timedelta(days=7))
        .add_revoked_certificate(
            x509.RevokedCertificateBuilder()
            .serial_number(revocable.cert.serial_number)
            .revocation_date(now - datetime.timedelta(days=2))
            .build()
        )
    )
    crl = asn1_crl.CertificateList.load(
        builder.sign(pki.interm.key, hashes.SHA256()).public_bytes(Encoding.DER)
    )
    refused(people, letter, signed, pki, expect="revoked", crls=[crl])


def test_signing_out_of_turn(people, prepared, pki):
    letter, pdf = prepared
    signed = raw_sign(pdf, pki.signer, [pki.interm])
    with pytest.raises(PermissionDeniedError):
        services.letter_sign_external(
            actor=people["sef"], letter=letter, signed_pdf=signed, trust_roots=[pki.root.cert_pem]
        )
    with pytest.raises(PermissionDeniedError):
        services.letter_prepare_external(actor=people["sef"], letter=letter)
    assert_unchanged(letter)


def test_a_letter_not_prepared(people, units, pki, media):
    letter = internal_letter(people, units)
    other = raw_sign(letter_pdf.render_letter(sample_letter()), pki.signer, [pki.interm])
    refused(people, letter, other, pki, expect="Prepare the letter")


def test_a_letter_already_signed(people, prepared, pki):
    letter, pdf = prepared
    signed = raw_sign(pdf, pki.signer, [pki.interm])
    sign_external(people, letter, signed, pki)
    with pytest.raises(DomainError, match="already signed"):
        sign_external(people, letter, signed, pki)
    assert AuditEvent.objects.filter(action="correspondence.letter.signed").count() == 1


def test_an_empty_upload(people, prepared, pki):
    refused(people, prepared[0], b"", pki, expect="Choose the signed PDF")


def test_an_oversize_upload(people, prepared, pki, settings):
    settings.BILGIISLEM_SIGNED_PDF_MAX_BYTES = 1000
    refused(people, prepared[0], b"%PDF-1.7\n" + b"0" * 2000, pki, expect="too large")


def test_a_pdf_signed_over_a_different_letter(people, prepared, pki):
    letter, _pdf = prepared
    other = raw_sign(letter_pdf.render_letter(sample_letter()), pki.signer, [pki.interm])
    refused(people, letter, other, pki, expect="not the letter prepared")


def test_a_preparation_for_an_older_version_does_not_count(people, prepared, pki, units):
    letter, pdf = prepared
    services.step_return(actor=people["mudur"], letter=letter, comment="Düzeltin")
    services.letter_update(
        actor=people["memur"],
        letter=letter,
        subject="Yeni konu",
        body="Yeni metin.",
        sdp_code="010.06.01",
        recipients=[{"kind": "internal", "unit": units["yazi-isleri"]}],
    )
    services.letter_submit(actor=people["memur"], letter=letter)
    services.step_approve(actor=people["sef"], letter=letter)
    signed = raw_sign(pdf, pki.signer, [pki.interm])
    refused(people, letter, signed, pki, expect="Prepare the letter")


def test_a_signer_without_a_recorded_tckn(people, prepared, pki):
    letter, pdf = prepared
    people["mudur"].tckn = ""
    people["mudur"].save(update_fields=["tckn"])
    with pytest.raises(PermissionDeniedError, match="identity number"):
        sign_external(people, letter, raw_sign(pdf, pki.signer, [pki.interm]), pki)
    assert_unchanged(letter)


def test_content_changed_in_the_signing_revision(people, prepared, pki):
    """The signer's application rewrites the page in the same revision it signs."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    letter, pdf = prepared
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page["/Rotate"] = generic.NumberObject(180)
    writer.update_container(page)
    meta = signers.PdfSignatureMetadata(
        field_name="Imza1", subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256"
    )
    signer = file_signer(pki.signer.key_pem, pki.signer.cert_pem, [pki.interm.cert_pem])
    signed = signers.PdfSigner(meta, signer=signer).sign_pdf(writer).getvalue()
    refused(people, letter, signed, pki, expect="not the letter prepared")
