"""Every way a signed letter can be bad is refused, and the reason says which (issue 4).

``verify_pdf`` checks each case below on a real letter PDF signed with the test PKI
(conftest.py). The cases that need a letter and a person (whose turn, whose TCKN, which
prepared file) are refused by ``letter_sign_external`` and tested in test_external.py; the
paraf e-signature's own refusals are in test_paraf.py.

| #  | Case (test)                                    | Refused because (English source)          |
|----|------------------------------------------------|-------------------------------------------|
| 1  | one byte changed in the signed range           | The document was changed after it was     |
|    | (test_tampered_byte)                           | signed.                                   |
| 2  | incremental update rotating the page           | … the signature does not cover the whole  |
|    | (test_changes_after_signing[rotate])           | file.                                     |
| 3  | incremental update adding an "İPTAL" note      | … does not cover the whole file.          |
|    | (test_changes_after_signing[annotation])       |                                           |
| 4  | incremental update adding a page               | … does not cover the whole file.          |
|    | (test_changes_after_signing[page])             |                                           |
| 5  | bytes appended after %%EOF                     | … does not cover the whole file.          |
|    | (test_bytes_appended)                          |                                           |
| 6  | bytes appended with a forged startxref/%%EOF   | … does not cover the whole file.          |
|    | (test_bytes_appended_with_a_forged_tail)       |                                           |
| 7  | expired certificate                            | … was not valid at the time of signing.   |
|    | (test_expired_certificate)                     |                                           |
| 8  | certificate not yet valid                      | … was not yet valid at the time of        |
|    | (test_not_yet_valid_certificate)               | signing.                                  |
| 9  | revoked, CRL given by the caller               | The signer's certificate is revoked.      |
|    | (test_revoked_certificate[given])              |                                           |
| 10 | revoked, CRL in BILGIISLEM_CRL_FILES           | The signer's certificate is revoked.      |
|    | (test_revoked_certificate[configured])         |                                           |
| 11 | revoked, CRL in the document's own DSS         | The signer's certificate is revoked.      |
|    | (test_revoked_certificate_known_from_the_dss)  |                                           |
| 12 | look-alike CA: same names, untrusted root      | … does not lead to a trusted root (…).    |
|    | (test_untrusted_root)                          |                                           |
| 13 | self-signed certificate with the signer's TCKN | … is self-signed, not issued by a trusted |
|    | (test_self_signed)                             | CA.                                       |
| 14 | no non-repudiation key usage                   | … is not meant for e-signatures (no       |
|    | (test_key_usage_without_non_repudiation)       | non-repudiation).                         |
| 15 | TLS-server-only certificate (extended usage)   | … is not meant for signing documents (its |
|    | (test_tls_server_certificate)                  | key purposes are server_auth).            |
| 16 | no signature (test_missing_signature)          | The document has no signature.            |
| 17 | not a PDF (test_not_a_pdf)                     | The file is not a readable PDF: …         |
| 18 | truncated PDF (test_truncated)                 | unreadable / no signature / changed       |
| 19 | two signatures, the last one broken            | Signature 2 of 2 (…): The document was    |
|    | (test_two_signatures_the_last_broken)          | changed after it was signed.              |
| 20 | two signatures, content changed in between     | Signature 1 of 2 (…): … does not cover    |
|    | (test_two_signatures_content_changed_between)  | the whole file.                           |
| 21 | the signature of a different document         | The document was changed after it was     |
|    | (test_signature_of_a_different_document)       | signed.                                   |
| 22 | time-stamp by an untrusted TSA                 | The time-stamp of the signature is not    |
|    | (test_untrusted_timestamp)                     | valid or not trusted.                     |
| 23 | CRL out of date and no time-stamp              | The revocation data (CRL) is out of date; |
|    | (test_stale_crl_without_timestamp)             | …                                         |
| 24 | hard-fail and no revocation data               | No revocation data (CRL or OCSP) is       |
|    | (test_hard_fail_without_revocation_data)       | available for the certificate.            |
| —  | signed by someone else (another TCKN)          | The file was signed by someone else …     |
|    | (test_external.py::test_signed_by_someone_else)|                                           |
| —  | a validly signed PDF of another letter         | The signed file is not the letter         |
|    | (test_external.py::test_a_pdf_signed_over_a_different_letter)  | prepared for signature.   |
| —  | content changed in the signing revision        | The signed file is not the letter         |
|    | (test_external.py::test_content_changed_in_the_signing_revision) | prepared …              |
"""

import datetime

import pytest

from bilgiislem.correspondence.letter_pdf import render_letter
from bilgiislem.correspondence.signing import verify_pdf

from . import pades
from .conftest import NOW, _issue, make_crl
from .letters import sample_letter

pytestmark = pytest.mark.usefixtures("english")

CHANGED = "The document was changed after it was signed."
NOT_WHOLE = "does not cover the whole file"


@pytest.fixture(scope="module")
def letter() -> bytes:
    return render_letter(sample_letter())


@pytest.fixture(scope="module")
def signed(pki, letter) -> bytes:
    return pades.sign_raw(letter, pki.signer, pki)


def refused(result, expect: str):
    assert not result.ok, result
    assert expect in result.reason, result.reason
    return result


def test_the_good_signature_passes_the_same_checks(pki, signed):
    """The control case: the checks below fail for their reason, not for the set-up."""
    result = verify_pdf(signed, pki.roots, crls=pki.crls, revocation_mode="hard-fail")
    assert result.ok, result.reason
    assert result.covers_whole_file and result.level == "B-B"


def test_tampered_byte(pki, letter, signed):
    data = bytearray(signed)
    at = len(letter) // 2
    data[at] ^= 0x01
    result = refused(verify_pdf(bytes(data), pki.roots), CHANGED)
    assert not result.intact


@pytest.mark.parametrize(
    "change",
    [pades.rotate_page, pades.add_annotation, pades.add_page],
    ids=["rotate", "annotation", "page"],
)
def test_changes_after_signing(pki, signed, change):
    result = refused(verify_pdf(pades.update(signed, change), pki.roots), NOT_WHOLE)
    assert result.intact and not result.covers_whole_file


def test_bytes_appended(pki, signed):
    result = refused(verify_pdf(signed + b"\n% appended later\n" * 3, pki.roots), NOT_WHOLE)
    assert not result.covers_whole_file


def test_bytes_appended_with_a_forged_tail(pki, signed):
    """Garbage followed by a copy of the real end-of-file markers still does not pass."""
    tail = signed[signed.rindex(b"startxref") :]
    data = signed + b"\n9 0 obj (ek metin) endobj\n" + tail
    refused(verify_pdf(data, pki.roots), NOT_WHOLE)


def test_expired_certificate(pki, letter):
    result = refused(
        verify_pdf(pades.sign_raw(letter, pki.expired, pki), pki.roots),
        "was not valid at the time of signing",
    )
    assert result.expired and result.intact and not result.trusted


def test_not_yet_valid_certificate(pki, letter):
    data = pades.sign_raw(letter, pki.not_yet_valid, pki)
    result = refused(verify_pdf(data, pki.roots), "was not yet valid at the time of signing")
    assert not result.expired


@pytest.fixture(scope="module")
def revoked_signed(pki, letter) -> bytes:
    return pades.sign_raw(letter, pki.revoked, pki)


@pytest.mark.parametrize("source", ["given", "configured"])
def test_revoked_certificate(pki, revoked_signed, source, settings, tmp_path):
    if source == "given":
        result = verify_pdf(revoked_signed, pki.roots, crls=pki.crls)
    else:
        paths = []
        for n, crl in enumerate(pki.crls):
            path = tmp_path / f"{n}.crl"
            path.write_bytes(crl.dump())  # DER, as the CAs publish them
            paths.append(str(path))
        settings.BILGIISLEM_CRL_FILES = paths
        result = verify_pdf(revoked_signed, pki.roots)
    refused(result, "The signer's certificate is revoked.")
    assert result.revoked and result.intact
    # Without the CRL nothing says it is revoked (soft-fail): the data is what refuses it.
    assert verify_pdf(revoked_signed, pki.roots, configured_crls=False).ok


def test_revoked_certificate_known_from_the_dss(pki, revoked_signed):
    data = pades.add_dss(revoked_signed, crls=pki.crls)
    result = refused(verify_pdf(data, pki.roots), "The signer's certificate is revoked.")
    assert result.revoked


def test_untrusted_root(pki, letter):
    """A certificate from a look-alike CA: same names, other keys."""
    rogue = _issue(
        "Ayşe Yılmaz", pki.rogue_root, serial="TCKN12345678901", crl="ara", key=pki.signer.key
    )
    data = pades.sign_raw(letter, rogue, pki)
    result = refused(verify_pdf(data, pki.roots), "does not lead to a trusted root")
    assert result.intact and not result.trusted


def test_self_signed(pki, letter):
    data = pades.sign_raw(letter, pki.self_signed, pki)
    refused(verify_pdf(data, pki.roots), "is self-signed")


def test_key_usage_without_non_repudiation(pki, letter):
    data = pades.sign_raw(letter, pki.no_non_repudiation, pki)
    refused(verify_pdf(data, pki.roots), "not meant for e-signatures")


def test_tls_server_certificate(pki, letter):
    data = pades.sign_raw(letter, pki.tls_only, pki)
    result = refused(verify_pdf(data, pki.roots), "not meant for signing documents")
    assert "server_auth" in result.reason


def test_missing_signature(pki, letter):
    result = refused(verify_pdf(letter, pki.roots), "The document has no signature.")
    assert result.signature_count == 0


def test_not_a_pdf(pki):
    refused(verify_pdf(b"GIF89a\x01\x00\x01\x00 not a letter", pki.roots), "not a readable PDF")


def test_truncated(pki, letter, signed):
    """Cut inside the signature revision, or inside the letter itself."""
    for cut in (len(signed) - 200, len(letter) // 2):
        result = verify_pdf(signed[:cut], pki.roots)
        assert not result.ok
        assert any(
            reason in result.reason
            for reason in ("not a readable PDF", "no signature", CHANGED, NOT_WHOLE)
        ), result.reason


@pytest.fixture(scope="module")
def twice(pki, signed, other_signer) -> bytes:
    return pades.sign_raw(signed, other_signer, pki, field="Imza2")


def test_two_signatures_the_last_broken(pki, signed, twice):
    data = bytearray(twice)
    # A digit of the second signature's value (the end of its CMS), the first untouched.
    start, end = pades.contents_range(twice, -1)
    at = start + 1 + len(bytes(data[start + 1 : end - 1]).rstrip(b"0")) - 10
    data[at] = ord("1") if data[at] != ord("1") else ord("2")
    result = refused(verify_pdf(bytes(data), pki.roots), "Signature 2 of 2 (Mehmet Demir)")
    assert CHANGED in result.reason
    assert result.signatures[0].intact and not result.signatures[1].intact


def test_two_signatures_content_changed_between(pki, signed, other_signer):
    """Someone rotates the page and then countersigns: the first signer never saw that."""
    data = pades.sign_raw(pades.update(signed, pades.rotate_page), other_signer, pki, field="I2")
    result = refused(verify_pdf(data, pki.roots), "Signature 1 of 2 (Ayşe Yılmaz)")
    assert NOT_WHOLE in result.reason
    assert result.signatures[1].ok  # the countersignature itself is fine


def test_signature_of_a_different_document(pki, signed):
    other = pades.sign_raw(render_letter(sample_letter(konu="Başka Konu")), pki.signer, pki)
    data = pades.transplant(signed, other)
    assert data != signed and len(data) == len(signed)
    refused(verify_pdf(data, pki.roots), CHANGED)


def test_untrusted_timestamp(pki, letter):
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    from bilgiislem.correspondence.signing import file_signer

    rogue_tsa = _issue("Sahte Zaman Damgası", pki.rogue_root, eku=[_tsa_eku()], key=pki.tsa.key)
    stamp = file_signer(rogue_tsa.key_pem, rogue_tsa.cert_pem)
    tsa = DummyTimeStamper(tsa_cert=stamp.signing_cert, tsa_key=stamp.signing_key)
    data = pades.sign_raw(letter, pki.signer, pki, timestamper=tsa)
    result = refused(verify_pdf(data, pki.roots), "time-stamp of the signature is not valid")
    assert result.trusted  # the signer is fine; only the time-stamp is not


def _tsa_eku():
    from cryptography.x509.oid import ExtendedKeyUsageOID

    return ExtendedKeyUsageOID.TIME_STAMPING


def test_stale_crl_without_timestamp(pki, signed):
    old = [
        make_crl(pki.root, this_update=NOW - datetime.timedelta(days=40)),
        make_crl(pki.interm, this_update=NOW - datetime.timedelta(days=40)),
    ]
    refused(verify_pdf(signed, pki.roots, crls=old), "out of date")


def test_hard_fail_without_revocation_data(pki, signed):
    refused(
        verify_pdf(signed, pki.roots, revocation_mode="hard-fail"),
        "No revocation data (CRL or OCSP)",
    )
