"""A test PKI made at test time with ``cryptography``: nothing secret is committed.

root → intermediate → signer (TCKN in serialNumber), plus an expired signer, a time-stamping
authority and an unrelated ("rogue") root. RSA-2048 like most Turkish e-imza tokens.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

NOW = datetime.datetime.now(datetime.UTC)


@dataclasses.dataclass
class Issued:
    key: rsa.RSAPrivateKey
    cert: x509.Certificate

    @property
    def key_pem(self) -> bytes:
        return self.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    @property
    def cert_pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    @property
    def cert_der(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.DER)


def _name(cn: str, serial: str = "") -> x509.Name:
    attrs = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "TR"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Karasu Belediyesi Test"),
        x509.NameAttribute(NameOID.COMMON_NAME, cn),
    ]
    if serial:
        attrs.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, serial))
    return x509.Name(attrs)


def _issue(
    cn,
    issuer: Issued | None,
    *,
    ca=False,
    serial="",
    not_before=None,
    not_after=None,
    eku=None,
) -> Issued:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = _name(cn, serial)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.cert.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or NOW - datetime.timedelta(days=30))
        .not_valid_after(not_after or NOW + datetime.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if ca:
        usage = dict(digital_signature=False, content_commitment=False, key_cert_sign=True)
        usage.update(crl_sign=True)
    else:
        usage = dict(digital_signature=True, content_commitment=True, key_cert_sign=False)
        usage.update(crl_sign=False)
    builder = builder.add_extension(
        x509.KeyUsage(
            key_encipherment=False,
            data_encipherment=False,
            key_agreement=False,
            encipher_only=False,
            decipher_only=False,
            **usage,
        ),
        critical=True,
    )
    if eku:
        builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=True)
    if issuer:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),
            critical=False,
        )
    cert = builder.sign((issuer.key if issuer else key), hashes.SHA256())
    return Issued(key, cert)


@dataclasses.dataclass
class Pki:
    root: Issued
    interm: Issued
    signer: Issued
    expired: Issued
    tsa: Issued
    rogue_root: Issued


@pytest.fixture(scope="session")
def pki() -> Pki:
    root = _issue("Karasu Test Kök SM", None, ca=True)
    interm = _issue("Karasu Test Ara SM", root, ca=True)
    return Pki(
        root=root,
        interm=interm,
        signer=_issue("Ayşe Yılmaz", interm, serial="TCKN12345678901"),
        expired=_issue(
            "Eski Sertifika",
            interm,
            serial="TCKN10987654321",
            not_before=NOW - datetime.timedelta(days=400),
            not_after=NOW - datetime.timedelta(days=10),
        ),
        tsa=_issue("Karasu Test Zaman Damgası", root, eku=[ExtendedKeyUsageOID.TIME_STAMPING]),
        rogue_root=_issue("Karasu Test Kök SM", None, ca=True),
    )


@pytest.fixture(autouse=True, scope="session")
def _quiet_pyhanko():
    """pyHanko logs a full traceback for every rejected signature; read the result instead."""
    for name in ("pyhanko", "pyhanko_certvalidator"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


@pytest.fixture(scope="session")
def seal(pki) -> Issued:
    """The institution's e-seal (e-mühür) certificate, issued by the test intermediate."""
    return _issue("Karasu Belediyesi e-Mühür", pki.interm, serial="DETSIS12345678")


@pytest.fixture(scope="session")
def other_signer(pki) -> Issued:
    """A valid e-imza certificate of another person (another TCKN), same test CA."""
    return _issue("Mehmet Demir", pki.interm, serial="TCKN22222222222")


@pytest.fixture
def english():
    """Assert on the English source strings, whatever the Turkish catalogue says."""
    from django.utils import translation

    with translation.override("en"):
        yield
