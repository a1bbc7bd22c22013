"""PAdES signing and verification of official letters with pyHanko (issue 4, point 5).

- ``sign_pdf`` adds a PAdES signature as an incremental update: B-B, or B-T when a
  time-stamper is given. It refuses a certificate that is not valid now.
- ``verify_pdf`` checks the last signature: integrity, that it covers the whole file, the
  chain to the given trust roots, validity at signing time, revocation when CRL/OCSP data is
  given, the time-stamp when present. It never raises for a bad signature: the result names
  the reason.
- ``pkcs11_signer`` opens a token (smart card, HSM, SoftHSM2 in tests) and yields a signer;
  ``file_signer`` loads an institutional e-seal key from PEM/DER files.

pyHanko's synchronous helpers run their own event loop: call these from sync code (a
worker or a sync view), not from inside a running event loop.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import io
import logging
from collections.abc import Iterable, Iterator

from asn1crypto import keys as asn1_keys
from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


class SigningError(Exception):
    """The document could not be signed; the message says why."""


@dataclasses.dataclass(frozen=True)
class Verification:
    """The result of checking a PDF's (last) signature. ``ok`` is the bottom line."""

    ok: bool
    intact: bool
    trusted: bool
    covers_whole_file: bool
    signer_name: str = ""
    signer_serial: str = ""  # the subject's serialNumber (TCKN…) when present
    signing_time: datetime.datetime | None = None
    timestamp_time: datetime.datetime | None = None
    revoked: bool = False
    expired: bool = False
    signature_count: int = 0
    summary: str = ""
    reason: str = ""


def _load_certificate(data) -> asn1_x509.Certificate:
    if isinstance(data, asn1_x509.Certificate):
        return data
    if hasattr(data, "public_bytes"):  # a cryptography certificate
        from cryptography.hazmat.primitives.serialization import Encoding

        data = data.public_bytes(Encoding.DER)
    if pem.detect(data):
        _type, _headers, data = pem.unarmor(data)
    return asn1_x509.Certificate.load(data)


def file_signer(key: bytes, cert: bytes, chain: Iterable[bytes] = (), passphrase=None):
    """A pyHanko signer from a private key and certificates (PEM or DER bytes)."""
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    if pem.detect(key):
        if passphrase is None:
            _type, _headers, key = pem.unarmor(key)
        else:
            from cryptography.hazmat.primitives.serialization import (
                Encoding,
                NoEncryption,
                PrivateFormat,
                load_pem_private_key,
            )

            key = load_pem_private_key(key, passphrase).private_bytes(
                Encoding.DER, PrivateFormat.PKCS8, NoEncryption()
            )
    return signers.SimpleSigner(
        signing_cert=_load_certificate(cert),
        signing_key=asn1_keys.PrivateKeyInfo.load(key),
        cert_registry=SimpleCertificateStore.from_certs([_load_certificate(c) for c in chain]),
    )


@contextlib.contextmanager
def pkcs11_signer(
    lib_path: str,
    token_label: str,
    pin: str,
    key_label: str,
    cert_label: str,
    *,
    chain: Iterable = (),
) -> Iterator:
    """Yield a signer backed by a PKCS#11 token; the session closes when the block ends.

    The token is chosen by label (SoftHSM2 reassigns slot numbers). ``chain`` adds CA
    certificates to embed; other certificates on the token are pulled in as well.
    """
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

    session = open_pkcs11_session(
        lib_path, token_criteria=TokenCriteria(label=token_label), user_pin=pin
    )
    try:
        yield PKCS11Signer(
            session,
            key_label=key_label,
            cert_label=cert_label,
            ca_chain=[_load_certificate(c) for c in chain],
        )
    finally:
        session.close()


def _check_validity(cert: asn1_x509.Certificate, at: datetime.datetime) -> None:
    validity = cert["tbs_certificate"]["validity"]
    not_before = validity["not_before"].native
    not_after = validity["not_after"].native
    if at < not_before:
        raise SigningError(_("The signing certificate is not valid yet."))
    if at > not_after:
        raise SigningError(_("The signing certificate has expired."))


def sign_pdf(
    pdf_bytes: bytes,
    signer,
    *,
    reason: str = "",
    location: str = "",
    field_name: str = "Imza1",
    timestamper=None,
) -> bytes:
    """Sign with PAdES (B-B; B-T with ``timestamper``) as an incremental update."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    cert = signer.signing_cert
    if cert is None:
        raise SigningError(_("The signer has no certificate."))
    _check_validity(cert, datetime.datetime.now(datetime.UTC))
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        reason=reason or None,
        location=location or None,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes))
        out = signers.PdfSigner(meta, signer=signer, timestamper=timestamper).sign_pdf(writer)
    except Exception as exc:  # pyHanko raises many types; the caller needs one
        raise SigningError(_("The document could not be signed: %s") % exc) from exc
    return out.getvalue()


def _name(cert: asn1_x509.Certificate) -> tuple[str, str]:
    subject = cert.subject.native
    return subject.get("common_name", "") or cert.subject.human_friendly, subject.get(
        "serial_number", ""
    )


def verify_pdf(
    pdf_bytes: bytes,
    trust_roots: Iterable,
    *,
    crls: Iterable = (),
    ocsps: Iterable = (),
    revocation_mode: str = "soft-fail",
) -> Verification:
    """Check the last signature of ``pdf_bytes`` against ``trust_roots`` (certificates in
    PEM/DER bytes, asn1crypto or cryptography form). ``revocation_mode="hard-fail"`` with
    ``crls``/``ocsps`` (asn1crypto or DER) requires revocation data for every certificate."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        signatures = reader.embedded_signatures
    except Exception as exc:
        return Verification(
            ok=False,
            intact=False,
            trusted=False,
            covers_whole_file=False,
            reason=_("The file is not a readable PDF: %s") % exc,
        )
    if not signatures:
        return Verification(
            ok=False,
            intact=False,
            trusted=False,
            covers_whole_file=False,
            reason=_("The document has no signature."),
        )
    context = ValidationContext(
        trust_roots=[_load_certificate(c) for c in trust_roots],
        crls=list(crls),
        ocsps=list(ocsps),
        allow_fetching=False,
        revocation_mode=revocation_mode,
    )
    embedded = signatures[-1]
    try:
        status = validate_pdf_signature(
            embedded, signer_validation_context=context, ts_validation_context=context
        )
    except Exception as exc:
        logger.info("signature validation failed", exc_info=True)
        return Verification(
            ok=False,
            intact=False,
            trusted=False,
            covers_whole_file=False,
            signature_count=len(signatures),
            reason=_("The signature could not be validated: %s") % exc,
        )
    name, serial = _name(status.signing_cert)
    indication = status.trust_problem_indic
    indication_name = getattr(indication, "name", "") if indication is not None else ""
    expired = "OUT_OF_BOUNDS" in indication_name or "EXPIRED" in indication_name
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    timestamp = status.timestamp_validity.timestamp if status.timestamp_validity else None
    if not status.intact or not status.valid:
        reason = _("The document was changed after it was signed.")
    elif not whole:
        reason = _("The signature does not cover the whole file.")
    elif status.revoked:
        reason = _("The signer's certificate is revoked.")
    elif expired:
        reason = _("The signer's certificate was not valid at the time of signing.")
    elif not status.trusted:
        reason = _("The signer's certificate does not lead to a trusted root (%s).") % (
            indication_name or "unknown"
        )
    else:
        reason = ""
    return Verification(
        ok=bool(status.bottom_line) and whole,
        intact=bool(status.intact and status.valid),
        trusted=bool(status.trusted),
        covers_whole_file=whole,
        signer_name=name,
        signer_serial=serial,
        signing_time=status.signer_reported_dt,
        timestamp_time=timestamp,
        revoked=bool(status.revoked),
        expired=expired,
        signature_count=len(signatures),
        summary=status.summary(),
        reason=reason,
    )
