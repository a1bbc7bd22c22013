"""A test PKI made at test time with ``cryptography``: nothing secret is committed.

root → intermediate → signer (TCKN in serialNumber), plus the certificates the negative
signature tests need: expired, not yet valid, revoked (listed on the intermediate's CRL),
self-signed, one without the non-repudiation key usage and one only for TLS servers; a
time-stamping authority; an unrelated ("rogue") root with the same name. RSA-2048 like most
Turkish e-imza tokens. End-entity certificates name a CRL distribution point, as real ones
do, so the offline CRLs (``pki.crls``) count; nothing is ever fetched.

Keys are slow to make, so certificates that only differ in their extensions or dates share
the signer's key.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging

import pytest
from asn1crypto import crl as asn1_crl
from asn1crypto import keys as asn1_keys
from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

NOW = datetime.datetime.now(datetime.UTC)
CRL_URL = "http://crl.karasu.test/{}.crl"  # never fetched: the tests pass the CRLs


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
    crl=None,
    key=None,
    non_repudiation=True,
) -> Issued:
    """A certificate for ``cn`` issued by ``issuer`` (self-signed when None).

    ``crl`` names the distribution point (``CRL_URL``) the certificate declares; ``key``
    reuses a key pair instead of making one.
    """
    key = key or rsa.generate_private_key(public_exponent=65537, key_size=2048)
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
        usage = dict(digital_signature=True, content_commitment=non_repudiation)
        usage.update(key_cert_sign=False, crl_sign=False)
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
    if crl:
        point = x509.DistributionPoint(
            [x509.UniformResourceIdentifier(CRL_URL.format(crl))], None, None, None
        )
        builder = builder.add_extension(x509.CRLDistributionPoints([point]), critical=False)
    if issuer:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),
            critical=False,
        )
    cert = builder.sign((issuer.key if issuer else key), hashes.SHA256())
    return Issued(key, cert)


def make_crl(issuer: Issued, revoked=(), *, this_update=None, next_update=None, revoked_at=None):
    """A CRL of ``issuer`` (asn1crypto, as pyHanko takes it) listing ``revoked`` certificates
    as revoked for key compromise, ``revoked_at`` (default: two days ago)."""
    this_update = this_update or NOW - datetime.timedelta(days=1)
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer.cert.subject)
        .last_update(this_update)
        .next_update(next_update or this_update + datetime.timedelta(days=8))
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),
            critical=False,
        )
        .add_extension(x509.CRLNumber(1), critical=False)
    )
    for issued in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder()
            .serial_number(issued.cert.serial_number)
            .revocation_date(revoked_at or NOW - datetime.timedelta(days=2))
            .add_extension(x509.CRLReason(x509.ReasonFlags.key_compromise), critical=False)
            .build()
        )
    der = builder.sign(issuer.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)
    return asn1_crl.CertificateList.load(der)


@dataclasses.dataclass
class Pki:
    root: Issued
    interm: Issued
    signer: Issued
    expired: Issued
    tsa: Issued
    rogue_root: Issued
    not_yet_valid: Issued
    revoked: Issued
    self_signed: Issued
    no_non_repudiation: Issued
    tls_only: Issued
    crls: list  # the root's and the intermediate's CRLs (the latter lists ``revoked``)

    @property
    def roots(self) -> list[bytes]:
        return [self.root.cert_pem]

    def chain(self) -> list[bytes]:
        return [self.interm.cert_pem, self.root.cert_pem]


@pytest.fixture(scope="session")
def pki() -> Pki:
    root = _issue("Karasu Test Kök SM", None, ca=True)
    interm = _issue("Karasu Test Ara SM", root, ca=True)
    signer = _issue("Ayşe Yılmaz", interm, serial="TCKN12345678901", crl="ara")
    key = signer.key  # certificates below that differ only in dates or extensions share it
    revoked = _issue("İptal Edilmiş", interm, serial="TCKN33333333333", crl="ara", key=key)
    return Pki(
        root=root,
        interm=interm,
        signer=signer,
        expired=_issue(
            "Eski Sertifika",
            interm,
            serial="TCKN10987654321",
            not_before=NOW - datetime.timedelta(days=400),
            not_after=NOW - datetime.timedelta(days=10),
            crl="ara",
        ),
        tsa=_issue(
            "Karasu Test Zaman Damgası", root, eku=[ExtendedKeyUsageOID.TIME_STAMPING], crl="kok"
        ),
        rogue_root=_issue("Karasu Test Kök SM", None, ca=True),
        not_yet_valid=_issue(
            "Ayşe Yılmaz",
            interm,
            serial="TCKN12345678901",
            not_before=NOW + datetime.timedelta(days=10),
            not_after=NOW + datetime.timedelta(days=400),
            crl="ara",
            key=key,
        ),
        revoked=revoked,
        self_signed=_issue("Ayşe Yılmaz", None, serial="TCKN12345678901", key=key),
        no_non_repudiation=_issue(
            "Ayşe Yılmaz",
            interm,
            serial="TCKN12345678901",
            crl="ara",
            key=key,
            non_repudiation=False,
        ),
        tls_only=_issue(
            "Ayşe Yılmaz",
            interm,
            serial="TCKN12345678901",
            crl="ara",
            key=key,
            eku=[ExtendedKeyUsageOID.SERVER_AUTH],
        ),
        crls=[make_crl(root), make_crl(interm, [revoked])],
    )


@pytest.fixture(scope="session")
def tsa(pki):
    """An in-process RFC 3161 time-stamping authority of the test PKI."""
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    return DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(pki.tsa.cert_der),
        tsa_key=asn1_keys.PrivateKeyInfo.load(pem.unarmor(pki.tsa.key_pem)[2]),
        certs_to_embed=SimpleCertificateStore.from_certs(
            [asn1_x509.Certificate.load(pki.root.cert_der)]
        ),
    )


@pytest.fixture(autouse=True, scope="session")
def _quiet_pyhanko():
    """pyHanko logs a full traceback for every rejected signature; read the result instead."""
    for name in ("pyhanko", "pyhanko_certvalidator"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


@pytest.fixture(scope="session")
def seal(pki) -> Issued:
    """The institution's e-seal (e-mühür) certificate, issued by the test intermediate."""
    return _issue("Karasu Belediyesi e-Mühür", pki.interm, serial="DETSIS12345678", crl="ara")


@pytest.fixture(scope="session")
def other_signer(pki) -> Issued:
    """A valid e-imza certificate of another person (another TCKN), same test CA."""
    return _issue("Mehmet Demir", pki.interm, serial="TCKN22222222222", crl="ara")


@pytest.fixture
def english():
    """Assert on the English source strings, whatever the Turkish catalogue says."""
    from django.utils import translation

    with translation.override("en"):
        yield
