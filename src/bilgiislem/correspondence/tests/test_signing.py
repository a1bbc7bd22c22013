import datetime
import io
import os
import shutil
import subprocess

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import pem
from asn1crypto import x509 as asn1_x509

from bilgiislem.correspondence.letter_pdf import render_letter
from bilgiislem.correspondence.signing import (
    SigningError,
    file_signer,
    pkcs11_signer,
    sign_pdf,
    verify_pdf,
)

from .letters import sample_letter

SOFTHSM_LIB = "/usr/lib/softhsm/libsofthsm2.so"


# The reasons are asserted in the English source text; the UI shows them in Turkish.
pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture(scope="module")
def letter() -> bytes:
    return render_letter(sample_letter())


def _signer(pki, who=None):
    who = who or pki.signer
    return file_signer(who.key_pem, who.cert_pem, [pki.interm.cert_pem, pki.root.cert_pem])


@pytest.fixture(scope="module")
def signed(pki, letter) -> bytes:
    return sign_pdf(letter, _signer(pki), reason="Onay", location="Karasu", field_name="Imza1")


def test_sign_and_verify_intact_and_trusted(pki, letter, signed):
    assert signed.startswith(letter)  # an incremental update: the letter itself is untouched
    result = verify_pdf(signed, [pki.root.cert_pem])
    assert result.ok, result
    assert result.intact and result.trusted and result.covers_whole_file
    assert result.signer_name == "Ayşe Yılmaz"
    assert result.signer_serial == "TCKN12345678901"
    assert abs(result.signing_time - datetime.datetime.now(datetime.UTC)).total_seconds() < 120
    assert not result.revoked and not result.expired and result.reason == ""
    assert "INTACT:TRUSTED" in result.summary


def test_one_changed_byte_is_not_intact(pki, letter, signed):
    data = bytearray(signed)
    at = len(letter) // 2
    data[at] = data[at] ^ 0x01
    result = verify_pdf(bytes(data), [pki.root.cert_pem])
    assert not result.ok and not result.intact
    assert result.reason


def test_unrelated_root_is_untrusted(pki, signed):
    result = verify_pdf(signed, [pki.rogue_root.cert_pem])
    assert result.intact and not result.trusted and not result.ok
    assert "trusted root" in result.reason


def test_expired_certificate_is_refused_for_signing(pki, letter):
    with pytest.raises(SigningError, match="expired"):
        sign_pdf(letter, _signer(pki, pki.expired), reason="x", location="y", field_name="Imza1")


def test_signature_by_an_expired_certificate_is_untrusted(pki, letter, monkeypatch):
    monkeypatch.setattr("bilgiislem.correspondence.signing._check_validity", lambda *a: None)
    data = sign_pdf(letter, _signer(pki, pki.expired), reason="x", location="y", field_name="I")
    result = verify_pdf(data, [pki.root.cert_pem])
    assert result.intact and not result.trusted and not result.ok
    assert result.expired


def test_unsigned_document_is_refused(pki, letter):
    result = verify_pdf(letter, [pki.root.cert_pem])
    assert not result.ok and result.signature_count == 0
    assert "no signature" in result.reason


def test_content_appended_after_signing_is_not_whole_file(pki, signed):

    from pyhanko.pdf_utils.generic import NameObject, pdf_string
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    writer.root["/Lang"] = pdf_string("en")
    writer.update_root()
    assert NameObject("/Lang") in writer.root
    out = io.BytesIO()
    writer.write(out)
    result = verify_pdf(out.getvalue(), [pki.root.cert_pem])
    assert not result.ok and not result.covers_whole_file


def test_timestamped_signature_b_t(pki, letter):
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    root = asn1_x509.Certificate.load(pki.root.cert_der)
    tsa = DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(pki.tsa.cert_der),
        tsa_key=asn1_keys.PrivateKeyInfo.load(pem.unarmor(pki.tsa.key_pem)[2]),
        certs_to_embed=SimpleCertificateStore.from_certs([root]),
    )
    data = sign_pdf(
        letter, _signer(pki), reason="Onay", location="Karasu", field_name="Imza1", timestamper=tsa
    )
    result = verify_pdf(data, [pki.root.cert_pem])
    assert result.ok, result
    assert result.timestamp_time is not None
    assert "TIMESTAMP_TOKEN<INTACT:TRUSTED>" in result.summary


@pytest.fixture
def softhsm_token(tmp_path, pki, monkeypatch):
    if shutil.which("softhsm2-util") is None or not os.path.exists(SOFTHSM_LIB):
        pytest.skip("SoftHSM2 is not installed (`make test` installs it: apt-get install softhsm2)")
    (tmp_path / "tokens").mkdir()
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tmp_path / 'tokens'}\nobjectstore.backend = file\n")
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))
    run = lambda *args: subprocess.run(["softhsm2-util", *args], check=True, capture_output=True)  # noqa: E731
    run("--init-token", "--free", "--label", "t", "--pin", "1234", "--so-pin", "5678")
    key_file = tmp_path / "signer.key.pem"
    key_file.write_bytes(pki.signer.key_pem)
    run(
        "--import",
        str(key_file),
        "--token",
        "t",
        "--label",
        "signer",
        "--id",
        "01",
        "--pin",
        "1234",
    )
    key_file.unlink()

    import pkcs11
    from pkcs11 import Attribute, CertificateType, ObjectClass

    lib = pkcs11.lib(SOFTHSM_LIB)
    token = lib.get_token(token_label="t")
    with token.open(rw=True, user_pin="1234") as session:
        session.create_object(
            {
                Attribute.CLASS: ObjectClass.CERTIFICATE,
                Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.TOKEN: True,
                Attribute.LABEL: "signer",
                Attribute.ID: b"\x01",
                Attribute.VALUE: pki.signer.cert_der,
                Attribute.SUBJECT: pki.signer.cert.subject.public_bytes(),
            }
        )
    return "t"


def test_sign_with_pkcs11_token(pki, letter, softhsm_token):
    with pkcs11_signer(
        SOFTHSM_LIB, softhsm_token, "1234", "signer", "signer", chain=[pki.interm.cert_pem]
    ) as signer:
        data = sign_pdf(letter, signer, reason="Onay", location="Karasu", field_name="Imza1")
    result = verify_pdf(data, [pki.root.cert_pem])
    assert result.ok, result
    assert result.signer_serial == "TCKN12345678901"
