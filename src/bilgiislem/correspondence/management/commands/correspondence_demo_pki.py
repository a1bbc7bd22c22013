"""Make a DEMO test PKI for server-side signing: root → intermediate → signer.

For demonstration only: the keys are made on this machine, unprotected, and trusted by
nobody else. Idempotent: existing files are kept.
"""

import datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.management.base import BaseCommand

# The demo signer stands for the Mayor; a made-up TCKN (valid checksum) in serialNumber.
DEMO_TCKN = "10000000146"


def _name(cn, serial=""):
    attrs = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "TR"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Karasu Belediyesi DEMO"),
        x509.NameAttribute(NameOID.COMMON_NAME, cn),
    ]
    if serial:
        attrs.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, serial))
    return x509.Name(attrs)


def _issue(cn, issuer, *, ca, serial="", days=3650):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = _name(cn, serial)
    now = datetime.datetime.now(datetime.UTC)
    usage = dict(
        digital_signature=not ca,
        content_commitment=not ca,
        key_cert_sign=ca,
        crl_sign=ca,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        encipher_only=False,
        decipher_only=False,
    )
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer[1].subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(**usage), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if issuer:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer[0].public_key()),
            critical=False,
        )
    cert = builder.sign(issuer[0] if issuer else key, hashes.SHA256())
    return key, cert


def _write(directory: Path, stem: str, pair) -> None:
    key, cert = pair
    key_path = directory / f"{stem}.key.pem"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    (directory / f"{stem}.cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))


class Command(BaseCommand):
    help = "Make a DEMO signing PKI in VAR_DIR/demo-pki/ (for demonstration only)."

    def handle(self, *args, **options):
        directory = Path(settings.VAR_DIR) / "demo-pki"
        names = ("root", "intermediate", "signer")
        if (
            all((directory / f"{n}.cert.pem").exists() for n in names)
            and (directory / "signer.key.pem").exists()
        ):
            self.stdout.write(f"Demo PKI already in {directory} (for demonstration only).")
            return
        directory.mkdir(parents=True, exist_ok=True)
        root = _issue("Karasu DEMO Kök SM", None, ca=True)
        interm = _issue("Karasu DEMO Ara SM", root, ca=True)
        signer = _issue("Karasu DEMO İmza", interm, ca=False, serial="TCKN" + DEMO_TCKN, days=730)
        for name, pair in zip(names, (root, interm, signer), strict=True):
            _write(directory, name, pair)
        self.stdout.write(
            self.style.WARNING(
                f"Made a DEMO PKI in {directory}. It is for demonstration only: "
                "never sign real letters with it."
            )
        )
