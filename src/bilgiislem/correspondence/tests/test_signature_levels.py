"""PAdES levels (B-B, B-T, B-LT), offline revocation data and documents signed more than once
(issue 4 point 5; ADR 0013)."""

import base64
import datetime
import io
import os

import pytest
from django.test import Client

from bilgiislem.core import storage
from bilgiislem.correspondence import services, signers
from bilgiislem.correspondence.letter_pdf import render_letter
from bilgiislem.correspondence.signing import SigningError, sign_pdf, verify_pdf
from bilgiislem.registry.models import DocumentFile

from . import pades
from .conftest import NOW, make_crl
from .letters import sample_letter
from .test_external import internal_letter

pytestmark = pytest.mark.usefixtures("english")

LATER = NOW + datetime.timedelta(days=30)  # every test CRL is out of date by then


@pytest.fixture(scope="module")
def letter() -> bytes:
    return render_letter(sample_letter())


@pytest.fixture(scope="module")
def b_lt(pki, letter, tsa) -> bytes:
    signer = pades.signer_for(pki.signer, pki)
    return sign_pdf(
        letter, signer, level="B-LT", timestamper=tsa, trust_roots=pki.roots, crls=pki.crls
    )


def _write(path, data: bytes) -> str:
    path.write_bytes(data)
    return str(path)


@pytest.fixture
def configured_tsa(settings, tmp_path, pki):
    settings.BILGIISLEM_TSA = {
        "key": _write(tmp_path / "tsa.key.pem", pki.tsa.key_pem),
        "cert": _write(tmp_path / "tsa.cert.pem", pki.tsa.cert_pem),
        "chain": [_write(tmp_path / "root.pem", pki.root.cert_pem)],
    }
    settings.BILGIISLEM_TRUST_ROOTS = [str(tmp_path / "root.pem")]
    return settings


def test_b_b_is_the_default(pki, letter, settings):
    settings.BILGIISLEM_SIGNING_LEVEL = "B-B"
    result = verify_pdf(sign_pdf(letter, pades.signer_for(pki.signer, pki)), pki.roots)
    assert result.ok and result.level == "B-B" and result.timestamp_time is None


def test_b_t_from_the_settings(pki, letter, configured_tsa):
    configured_tsa.BILGIISLEM_SIGNING_LEVEL = "B-T"
    result = verify_pdf(sign_pdf(letter, pades.signer_for(pki.signer, pki)), pki.roots)
    assert result.ok, result.reason
    assert result.level == "B-T" and result.timestamp_time is not None
    assert "TIMESTAMP_TOKEN<INTACT:TRUSTED>" in result.summary


def test_b_t_without_a_tsa_is_refused(pki, letter, settings):
    settings.BILGIISLEM_SIGNING_LEVEL = "B-T"
    settings.BILGIISLEM_TSA = None
    with pytest.raises(SigningError, match="needs a time-stamping authority"):
        sign_pdf(letter, pades.signer_for(pki.signer, pki))


def test_an_unknown_level_is_refused(pki, letter):
    with pytest.raises(SigningError, match="Unknown signature level"):
        sign_pdf(letter, pades.signer_for(pki.signer, pki), level="B-LTA")


def test_a_misconfigured_level_and_an_rfc3161_tsa(settings):
    from pyhanko.sign.timestamps import HTTPTimeStamper

    from bilgiislem.core.errors import DomainError

    settings.BILGIISLEM_SIGNING_LEVEL = "B-X"
    with pytest.raises(DomainError, match="B-X"):
        signers.signing_level()
    settings.BILGIISLEM_TSA = {"url": "https://tsa.example.test/", "username": "u"}
    assert isinstance(signers.configured_timestamper(), HTTPTimeStamper)  # nothing is sent
    settings.BILGIISLEM_TSA = None
    assert signers.configured_timestamper() is None


def test_b_lt_embeds_certificates_and_crls(pki, b_lt):
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation.dss import DocumentSecurityStore

    dss = DocumentSecurityStore.read_dss(PdfFileReader(io.BytesIO(b_lt)))
    assert len(dss.crls) >= 2  # the intermediate's (signer) and the root's (TSA)
    subjects = {c.subject.native["common_name"] for c in dss.load_certs()}
    assert {"Karasu Test Ara SM", "Ayşe Yılmaz"} <= subjects


def test_b_lt_verifies_offline_with_only_the_trust_roots(pki, b_lt):
    result = verify_pdf(b_lt, pki.roots, revocation_mode="hard-fail", configured_crls=False)
    assert result.ok, result.reason
    assert result.level == "B-LT" and result.covers_whole_file


def test_b_lt_still_verifies_when_its_crls_are_out_of_date(pki, b_lt, letter):
    """A month later the embedded CRLs are stale; the time-stamp proves the signature was
    made while they were current. A B-B signature has no such proof."""
    result = verify_pdf(b_lt, pki.roots, revocation_mode="hard-fail", at=LATER)
    assert result.ok, result.reason
    plain = pades.sign_raw(letter, pki.signer, pki)
    stale = verify_pdf(plain, pki.roots, crls=pki.crls, revocation_mode="hard-fail", at=LATER)
    assert not stale.ok and "out of date" in stale.reason


def test_revocation_after_the_time_stamp_does_not_void_the_signature(pki, letter, tsa):
    revoked_later = [
        make_crl(pki.root, this_update=NOW + datetime.timedelta(days=2)),
        make_crl(
            pki.interm,
            [pki.signer],
            this_update=NOW + datetime.timedelta(days=2),
            revoked_at=NOW + datetime.timedelta(days=1),
        ),
    ]
    at = NOW + datetime.timedelta(days=5)
    stamped = pades.sign_raw(letter, pki.signer, pki, timestamper=tsa)
    assert verify_pdf(stamped, pki.roots, crls=revoked_later, at=at).ok
    plain = pades.sign_raw(letter, pki.signer, pki)
    result = verify_pdf(plain, pki.roots, crls=revoked_later, at=at)
    assert not result.ok and result.revoked


def test_b_lt_from_the_settings(pki, letter, configured_tsa, tmp_path):
    # One PEM file holding both CRLs, as some CAs publish them.
    pem = b"".join(
        b"-----BEGIN X509 CRL-----\n" + base64.encodebytes(crl.dump()) + b"-----END X509 CRL-----\n"
        for crl in pki.crls
    )
    configured_tsa.BILGIISLEM_CRL_FILES = [_write(tmp_path / "all.crl.pem", pem)]
    configured_tsa.BILGIISLEM_SIGNING_LEVEL = "B-LT"
    data = sign_pdf(letter, pades.signer_for(pki.signer, pki))
    configured_tsa.BILGIISLEM_CRL_FILES = []
    result = verify_pdf(data, pki.roots, revocation_mode="hard-fail")
    assert result.ok, result.reason
    assert result.level == "B-LT"


def test_b_lt_needs_revocation_data_for_the_whole_chain(pki, letter, tsa):
    signer = pades.signer_for(pki.signer, pki)
    with pytest.raises(SigningError, match="needs valid revocation data"):
        sign_pdf(letter, signer, level="B-LT", timestamper=tsa, trust_roots=pki.roots, crls=[])


def test_b_lt_refuses_a_revoked_certificate(pki, letter, tsa):
    signer = pades.signer_for(pki.revoked, pki)
    with pytest.raises(SigningError, match="revoked"):
        sign_pdf(
            letter, signer, level="B-LT", timestamper=tsa, trust_roots=pki.roots, crls=pki.crls
        )


def test_offline_crl_files_are_read_once_and_a_missing_one_is_skipped(
    pki, settings, tmp_path, caplog
):
    path = tmp_path / "ara.crl"
    path.write_bytes(pki.crls[1].dump())
    settings.BILGIISLEM_CRL_FILES = [str(tmp_path / "missing.crl"), str(path)]
    first = signers.offline_crls()
    assert [c.dump() for c in first] == [pki.crls[1].dump()]
    assert "missing.crl" in caplog.text
    assert signers.offline_crls()[0] is first[0]  # cached while the file is unchanged
    path.write_bytes(pki.crls[0].dump())
    os.utime(path, ns=(1, 1))
    assert signers.offline_crls()[0].dump() == pki.crls[0].dump()


# --- more than one signature ------------------------------------------------------------


def test_two_signers_are_both_reported(pki, letter, other_signer):
    once = sign_pdf(letter, pades.signer_for(pki.signer, pki), level="B-B")
    twice = sign_pdf(once, pades.signer_for(other_signer, pki), level="B-B")
    result = verify_pdf(twice, pki.roots, crls=pki.crls, revocation_mode="hard-fail")
    assert result.ok, result.reason
    assert result.signature_count == 2
    assert [(s.field, s.signer_name, s.signer_serial) for s in result.signatures] == [
        ("Imza1", "Ayşe Yılmaz", "TCKN12345678901"),
        ("Imza2", "Mehmet Demir", "TCKN22222222222"),
    ]
    assert all(s.ok and s.covers_whole_file for s in result.signatures)
    assert result.signer_name == "Mehmet Demir"  # the final signature


def test_a_b_lt_signature_countersigned(pki, b_lt, other_signer):
    """Validation data of the first signature, then a second signature: both stand."""
    twice = sign_pdf(b_lt, pades.signer_for(other_signer, pki), level="B-B")
    result = verify_pdf(twice, pki.roots)
    assert result.ok, result.reason
    assert [s.level for s in result.signatures] == ["B-LT", "B-B"]


def test_a_tampered_second_revision_is_caught(pki, letter, other_signer):
    once = sign_pdf(letter, pades.signer_for(pki.signer, pki), level="B-B")
    twice = bytearray(sign_pdf(once, pades.signer_for(other_signer, pki), level="B-B"))
    # The signing time in the second signature's dictionary, covered by that signature.
    at = twice.index(b"/M (D\\072", len(once)) + len(b"/M (D\\072") + 5
    twice[at] = ord("0") if twice[at] != ord("0") else ord("1")
    result = verify_pdf(bytes(twice), pki.roots)
    assert not result.ok
    assert result.signatures[0].ok and not result.signatures[1].intact
    assert result.reason.startswith("Signature 2 of 2 (Mehmet Demir)")


@pytest.mark.django_db
def test_a_letter_signed_on_the_server_at_b_lt_is_confirmed_by_the_verification_page(
    people, units, pki, configured_tsa, tmp_path
):
    configured_tsa.MEDIA_ROOT = tmp_path / "media"
    crl_paths = []
    for n, crl in enumerate(pki.crls):
        crl_paths.append(_write(tmp_path / f"{n}.crl", crl.dump()))
    configured_tsa.BILGIISLEM_CRL_FILES = crl_paths
    configured_tsa.BILGIISLEM_SIGNING_LEVEL = "B-LT"
    letter = internal_letter(people, units)
    services.letter_sign(
        actor=people["mudur"], letter=letter, signer=pades.signer_for(pki.signer, pki)
    )
    letter.refresh_from_db()
    stored = DocumentFile.objects.get(document=letter.document)
    pdf = storage.open_verified(stored.sha256)
    result = verify_pdf(pdf, pki.roots, revocation_mode="hard-fail", configured_crls=False)
    assert result.ok and result.level == "B-LT", result.reason
    client = Client()
    client.cookies["django_language"] = "en"
    page = client.post(
        f"/dogrula/{letter.verification_code}/",
        {"file": io.BytesIO(pdf)},
    )
    assert "The file is the signed original and its e-signature is valid." in page.text
