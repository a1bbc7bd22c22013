"""PAdES signing and verification of official letters with pyHanko (issue 4, point 5).

- ``sign_pdf`` adds a PAdES signature as an incremental update at a level (ADR 0013):
  B-B; B-T with a time-stamp; B-LT with a time-stamp and the certificates and CRLs needed
  to validate it embedded in the document security store (DSS), so it can be checked
  offline years later. It refuses a certificate that is not valid now.
- ``verify_pdf`` checks every signature of a document: integrity, that nothing but another
  signature or validation data came after it (and nothing at all after the last one), the
  chain to the given trust roots, the key usage, validity at signing time, revocation when
  CRL/OCSP data is available (given, configured as offline files, or in the DSS), the
  time-stamp when present. It never raises for a bad signature: the result names the reason.
- ``sign_detached``/``verify_detached`` make and check a detached CAdES-BES signature over
  arbitrary bytes (a paraf given as an e-signature, ``services/paraf.py``).
- ``pkcs11_signer`` opens a token (smart card, HSM, SoftHSM2 in tests) and yields a signer;
  ``file_signer`` loads an institutional e-seal key from PEM/DER files.

Defaults come from the settings through ``signers.py`` (the level, the time-stamping
authority, the offline CRL files, the trust roots) when the caller does not pass them.
pyHanko's synchronous helpers run their own event loop: call these from sync code.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import dataclasses
import datetime
import functools
import io
import logging
import re
from collections.abc import Iterable, Iterator

from asn1crypto import crl as asn1_crl
from asn1crypto import keys as asn1_keys
from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


class _OfflineOnPurpose(logging.Filter):
    """B-LT embeds offline CRLs by design; pyHanko warns at every such signature that
    fetching is off, which would fill the logs with a non-problem."""

    def filter(self, record):
        return "fetching is not allowed" not in record.getMessage()


logging.getLogger("pyhanko.sign.signers.pdf_signer").addFilter(_OfflineOnPurpose())

LEVELS = ("B-B", "B-T", "B-LT")
# Key purposes under which a certificate may sign documents when it restricts its purposes
# at all (RFC 5280 4.2.1.12): e-mail protection and client authentication (what Turkish
# e-imza certificates carry), document signing (RFC 9336) and the vendors' document-signing
# purposes. A TLS server or time-stamping certificate signs no letter.
SIGNING_EKUS = frozenset(
    {
        "email_protection",
        "client_auth",
        "any_extended_key_usage",
        "1.3.6.1.5.5.7.3.36",
        "microsoft_document_signing",
        "adobe_authentic_documents_trust",
    }
)


class SigningError(Exception):
    """The document could not be signed; the message says why."""


@dataclasses.dataclass(frozen=True)
class SignatureCheck:
    """The result for one signature of a document, in signing order."""

    ok: bool
    field: str = ""
    signer_name: str = ""
    signer_serial: str = ""  # the subject's serialNumber (TCKN…) when present
    signing_time: datetime.datetime | None = None
    timestamp_time: datetime.datetime | None = None
    level: str = ""  # B-B, B-T or B-LT
    intact: bool = False
    trusted: bool = False
    covers_whole_file: bool = False  # nothing but allowed updates after it
    revoked: bool = False
    expired: bool = False
    summary: str = ""
    reason: str = ""


@dataclasses.dataclass(frozen=True)
class Verification:
    """The result of checking a PDF's signatures. ``ok`` is the bottom line: every
    signature is good. The signer fields describe the last (final) signature;
    ``signatures`` lists them all."""

    ok: bool
    intact: bool
    trusted: bool
    covers_whole_file: bool
    signer_name: str = ""
    signer_serial: str = ""
    signing_time: datetime.datetime | None = None
    timestamp_time: datetime.datetime | None = None
    revoked: bool = False
    expired: bool = False
    signature_count: int = 0
    summary: str = ""
    reason: str = ""
    level: str = ""
    signatures: tuple[SignatureCheck, ...] = ()


def _load_certificate(data) -> asn1_x509.Certificate:
    if isinstance(data, asn1_x509.Certificate):
        return data
    if hasattr(data, "public_bytes"):  # a cryptography certificate
        from cryptography.hazmat.primitives.serialization import Encoding

        data = data.public_bytes(Encoding.DER)
    if pem.detect(data):
        _type, _headers, data = pem.unarmor(data)
    return asn1_x509.Certificate.load(data)


def load_crls(data) -> list[asn1_crl.CertificateList]:
    """CRLs from DER or PEM bytes (a PEM file may hold several), or an asn1crypto CRL."""
    if isinstance(data, asn1_crl.CertificateList):
        return [data]
    if hasattr(data, "public_bytes"):  # a cryptography CRL
        from cryptography.hazmat.primitives.serialization import Encoding

        data = data.public_bytes(Encoding.DER)
    if pem.detect(data):
        return [asn1_crl.CertificateList.load(der) for _t, _h, der in pem.unarmor(data, True)]
    return [asn1_crl.CertificateList.load(data)]


def _crl_list(crls: Iterable) -> list:
    return [c for item in crls for c in load_crls(item)]


def _run(coroutine):
    """Run a pyHanko coroutine from sync code, also when called inside an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


@functools.cache
def _loaded_key_signer_class():
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
    from pyhanko.sign import signers
    from pyhanko_certvalidator.util import get_pyca_cryptography_hash

    class LoadedKeySigner(signers.SimpleSigner):
        """A SimpleSigner that keeps the key it was given already loaded.

        pyHanko re-parses the PKCS#8 key and re-runs the RSA consistency check for every
        raw signature, twice per PDF signature (size estimate, then the real one): about
        half the signing time. RSA PKCS#1 v1.5, what e-imza keys use, is signed here with
        the loaded key; anything else goes to pyHanko's own code.
        """

        def __init__(self, *args, private_key=None, **kwargs):
            super().__init__(*args, **kwargs)
            self._private_key = private_key

        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
            try:
                name = mechanism.signature_algo
            except ValueError:
                name = mechanism["algorithm"].native
            key = self._private_key
            if name != "rsassa_pkcs1v15" or not isinstance(key, RSAPrivateKey):
                return super().sign_raw(data, digest_algorithm)
            return key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))

    return LoadedKeySigner


def file_signer(key: bytes, cert: bytes, chain: Iterable[bytes] = (), passphrase=None):
    """A pyHanko signer from a private key and certificates (PEM or DER bytes)."""
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
        load_der_private_key,
        load_pem_private_key,
    )
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    load = load_pem_private_key if pem.detect(key) else load_der_private_key
    private_key = load(key, passphrase)
    der = private_key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
    return _loaded_key_signer_class()(
        signing_cert=_load_certificate(cert),
        signing_key=asn1_keys.PrivateKeyInfo.load(der),
        cert_registry=SimpleCertificateStore.from_certs([_load_certificate(c) for c in chain]),
        private_key=private_key,
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


def _signer_chain(signer) -> list:
    """The CA certificates a signer embeds (file signer registry or token chain)."""
    registry = getattr(signer, "cert_registry", None)
    return list(registry) if registry is not None else []


def _next_field_name(pdf_bytes: bytes) -> str:
    """``Imza<n+1>`` for a document that already carries n signature fields."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.fields import enumerate_sig_fields

    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        taken = {name for name, _value, _ref in enumerate_sig_fields(reader)}
    except Exception:  # not readable: pyHanko refuses it when signing
        return "Imza1"
    number = len(taken) + 1
    while f"Imza{number}" in taken:
        number += 1
    return f"Imza{number}"


def sign_pdf(
    pdf_bytes: bytes,
    signer,
    *,
    reason: str = "",
    location: str = "",
    field_name: str | None = None,
    timestamper=None,
    level: str | None = None,
    trust_roots: Iterable | None = None,
    crls: Iterable | None = None,
    ocsps: Iterable = (),
) -> bytes:
    """Sign with PAdES as an incremental update; existing signatures stay valid.

    ``level`` is "B-B", "B-T" or "B-LT" (None: ``BILGIISLEM_SIGNING_LEVEL``; a given
    ``timestamper`` makes it at least B-T). B-T and B-LT use ``timestamper`` or the
    configured TSA. B-LT validates the signer's chain against ``trust_roots`` with the
    revocation data ``crls``/``ocsps`` (None: the configured roots and offline CRL files)
    and embeds all of it; it fails when any certificate lacks revocation data or is revoked.
    ``field_name`` defaults to the next free ``Imza<n>``.
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    cert = signer.signing_cert
    if cert is None:
        raise SigningError(_("The signer has no certificate."))
    _check_validity(cert, datetime.datetime.now(datetime.UTC))
    if level is None:
        from . import signers as configured

        level = configured.signing_level()
        if timestamper is not None and level == "B-B":
            level = "B-T"
    if level not in LEVELS:
        raise SigningError(_("Unknown signature level %s.") % level)
    extra = {}
    if level != "B-B" and timestamper is None:
        from . import signers as configured

        timestamper = configured.configured_timestamper()
        if timestamper is None:
            raise SigningError(
                _("A %s signature needs a time-stamping authority; none is configured.") % level
            )
    if level == "B-LT":
        from pyhanko_certvalidator import ValidationContext

        from . import signers as configured

        roots = configured.trust_roots() if trust_roots is None else trust_roots
        revocation = configured.offline_crls() if crls is None else _crl_list(crls)
        extra = dict(
            embed_validation_info=True,
            validation_context=ValidationContext(
                trust_roots=[_load_certificate(c) for c in roots],
                other_certs=_signer_chain(signer),
                crls=revocation,
                ocsps=list(ocsps),
                allow_fetching=False,  # offline: the CRLs are files the administrator updates
                revocation_mode="hard-fail",
            ),
        )
    meta = signers.PdfSignatureMetadata(
        field_name=field_name or _next_field_name(pdf_bytes),
        reason=reason or None,
        location=location or None,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        **extra,
    )
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
        out = signers.PdfSigner(meta, signer=signer, timestamper=timestamper).sign_pdf(writer)
    except Exception as exc:  # pyHanko raises many types; the caller needs one
        if level == "B-LT" and "could not be validated" in str(exc):
            raise SigningError(
                _(
                    "The B-LT signature needs valid revocation data (CRL) for every "
                    "certificate of the chain; it is missing or the certificate is revoked."
                )
            ) from exc
        raise SigningError(_("The document could not be signed: %s") % exc) from exc
    return out.getvalue()


def _name(cert: asn1_x509.Certificate) -> tuple[str, str]:
    subject = cert.subject.native
    return subject.get("common_name", "") or cert.subject.human_friendly, subject.get(
        "serial_number", ""
    )


def _usage_constraints():
    """Non-repudiation, as pyHanko requires by default. The key purposes (EKU) are checked
    by ``_purpose_ok``: pyHanko drops ``explicit_extd_key_usage_required=False`` when it
    merges its defaults, and would then refuse certificates without the extension."""
    from pyhanko.sign.validation.settings import KeyUsageConstraints

    return KeyUsageConstraints(key_usage={"non_repudiation"})


def _purpose_ok(cert) -> bool:
    """No EKU extension (any purpose), or one naming a document-signing purpose."""
    eku = cert.extended_key_usage_value
    return eku is None or bool(set(eku.native) & SIGNING_EKUS)


def _ends_with_last_revision(data: bytes, reader) -> bool:
    """Nothing follows the last revision's ``startxref <n> %%EOF`` but white space: bytes
    appended without a proper revision are content no signature covers."""
    try:
        last = reader.xrefs.get_startxref_for_revision(reader.total_revisions - 1)
    except Exception:
        return False
    # The first marker after the cross-reference section ends the revision.
    match = re.search(rb"startxref\s+%d\s+%%%%EOF" % last, data[last:])
    return match is not None and not data[last + match.end() :].strip()


def _validity_reason(cert, at) -> tuple[str, bool]:
    """(reason, expired) when the certificate was outside its validity at ``at``."""
    validity = cert["tbs_certificate"]["validity"]
    if at < validity["not_before"].native:
        return _("The signer's certificate was not yet valid at the time of signing."), False
    if at > validity["not_after"].native:
        return _("The signer's certificate was not valid at the time of signing."), True
    return "", False


def _trust_reason(status, when, revocation_mode="soft-fail") -> tuple[str, bool]:
    """Why an intact signature is not trusted, from the certificate itself where possible
    (pyHanko's indications are coarse): (reason, expired)."""
    cert = status.signing_cert
    indication = getattr(status.trust_problem_indic, "name", "") or ""
    if status.revoked:
        return _("The signer's certificate is revoked."), False
    if cert.self_signed != "no":
        return _("The signer's certificate is self-signed, not issued by a trusted CA."), False
    usage = cert.key_usage_value
    if usage is not None and "non_repudiation" not in usage.native:
        return (
            _("The signer's certificate is not meant for e-signatures (no non-repudiation)."),
            False,
        )
    if not _purpose_ok(cert):
        eku = cert.extended_key_usage_value
        return _(
            "The signer's certificate is not meant for signing documents (its key purposes are %s)."
        ) % ", ".join(eku.native), False
    reason, expired = _validity_reason(cert, when)
    if reason:
        return reason, expired
    if "OUT_OF_BOUNDS" in indication or "EXPIRED" in indication:
        return _("The signer's certificate was not valid at the time of signing."), True
    if revocation_mode == "hard-fail" and indication == "CERTIFICATE_CHAIN_GENERAL_FAILURE":
        # What is left of a general failure once dates, usage and chain are fine.
        return _("No revocation data (CRL or OCSP) is available for the certificate."), False
    if indication == "TRY_LATER":
        return _(
            "The revocation data (CRL) is out of date; the signature cannot be "
            "checked until it is updated."
        ), False
    return _("The signer's certificate does not lead to a trusted root (%s).") % (
        indication or "unknown"
    ), False


def _signature_level(status, has_dss: bool) -> str:
    if status.timestamp_validity is None:
        return "B-B"
    return "B-LT" if has_dss else "B-T"


def _context_kwargs(trust_roots, crls, ocsps, revocation_mode, at) -> dict:
    kwargs = dict(
        trust_roots=[_load_certificate(c) for c in trust_roots],
        crls=list(crls),
        ocsps=list(ocsps),
        allow_fetching=False,
        revocation_mode=revocation_mode,
    )
    if at is not None:
        kwargs["moment"] = at
    return kwargs


def _context(reader, kwargs):
    """A validation context with the document's DSS (certificates, CRLs, OCSP responses)
    added to what the caller gave; pyHanko does not read the DSS by itself."""
    from pyhanko.sign.validation.dss import DocumentSecurityStore, NoDSSFoundError
    from pyhanko_certvalidator import ValidationContext

    try:
        return DocumentSecurityStore.read_dss(reader).as_validation_context(kwargs), True
    except NoDSSFoundError:
        return ValidationContext(**kwargs), False


def _validate(embedded, kwargs, reader):
    from pyhanko.sign.validation import validate_pdf_signature

    context, has_dss = _context(reader, kwargs)
    status = validate_pdf_signature(
        embedded,
        signer_validation_context=context,
        ts_validation_context=context,
        key_usage_settings=_usage_constraints(),
    )
    return status, has_dss


def _check_signature(embedded, reader, kwargs, *, last: bool, tail_ok: bool) -> SignatureCheck:
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    try:
        status, has_dss = _validate(embedded, kwargs, reader)
        ts = status.timestamp_validity
        untrusted = not status.trusted or (ts is not None and not ts.trusted)
        if status.intact and status.valid and untrusted and ts is not None and ts.intact:
            # A time-stamp proves the signature existed then: a certificate that expired,
            # was revoked or whose CRL went stale *after* it does not void the signature
            # (PAdES B-T/B-LT). Check again as of that moment.
            again, _dss = _validate(
                embedded, {**kwargs, "moment": ts.timestamp, "retroactive_revinfo": True}, reader
            )
            if again.bottom_line:
                status = again
    except Exception as exc:
        logger.info("signature validation failed", exc_info=True)
        return SignatureCheck(
            ok=False,
            field=embedded.field_name or "",
            reason=_("The signature could not be validated: %s") % exc,
        )
    name, serial = _name(status.signing_cert)
    ts = status.timestamp_validity
    ts_ok = ts is None or (ts.intact and ts.valid and ts.trusted)
    when = ts.timestamp if ts is not None and ts_ok else status.signer_reported_dt
    when = when or datetime.datetime.now(datetime.UTC)
    # After the last signature only validation data (DSS) may follow; after an earlier one
    # also the later signatures (form filling). Adding a page, an annotation or changed
    # content shows as OTHER.
    allowed = {ModificationLevel.LTA_UPDATES}
    if not last:
        allowed.add(ModificationLevel.FORM_FILLING)
    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        whole = True
    elif status.coverage == SignatureCoverageLevel.ENTIRE_REVISION:
        whole = status.modification_level in allowed and tail_ok
    else:
        whole = False
    intact = bool(status.intact and status.valid)
    trusted = bool(status.trusted) and _purpose_ok(status.signing_cert)
    expired = False
    if not intact:
        reason = _("The document was changed after it was signed.")
    elif not whole:
        reason = _(
            "Content was added or changed after the signature; the signature does not "
            "cover the whole file."
        )
    elif not trusted:
        reason, expired = _trust_reason(status, when, kwargs["revocation_mode"])
    elif not ts_ok:
        reason = _("The time-stamp of the signature is not valid or not trusted.")
    elif not status.bottom_line:
        reason = _("The signature is not valid (%s).") % status.summary()
    else:
        reason = ""
    return SignatureCheck(
        ok=not reason,
        field=embedded.field_name or "",
        signer_name=name,
        signer_serial=serial,
        signing_time=status.signer_reported_dt,
        timestamp_time=ts.timestamp if ts is not None else None,
        level=_signature_level(status, has_dss),
        intact=intact,
        trusted=trusted,
        covers_whole_file=whole,
        revoked=bool(status.revoked),
        expired=expired,
        summary=status.summary(),
        reason=reason,
    )


def _refused(reason: str, count: int = 0) -> Verification:
    return Verification(
        ok=False,
        intact=False,
        trusted=False,
        covers_whole_file=False,
        signature_count=count,
        reason=reason,
    )


def verify_pdf(
    pdf_bytes: bytes,
    trust_roots: Iterable,
    *,
    crls: Iterable = (),
    ocsps: Iterable = (),
    revocation_mode: str = "soft-fail",
    at: datetime.datetime | None = None,
    configured_crls: bool = True,
) -> Verification:
    """Check every signature of ``pdf_bytes`` against ``trust_roots`` (certificates in
    PEM/DER bytes, asn1crypto or cryptography form).

    Revocation data: ``crls`` (DER/PEM/asn1crypto) and ``ocsps``, the offline CRL files
    configured in ``BILGIISLEM_CRL_FILES`` (unless ``configured_crls=False``) and the
    document's own DSS. A revoked certificate is refused whenever data covering it is
    there; ``revocation_mode="hard-fail"`` also refuses a certificate without any. ``at``
    validates as of another moment (default: now).
    """
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        signatures = [s for s in reader.embedded_signatures if s.sig_object_type == "/Sig"]
    except Exception as exc:
        return _refused(_("The file is not a readable PDF: %s") % exc)
    if not signatures:
        return _refused(_("The document has no signature."))
    revocation = _crl_list(crls)
    if configured_crls:
        from . import signers as configured

        revocation += configured.offline_crls()
    kwargs = _context_kwargs(trust_roots, revocation, ocsps, revocation_mode, at)
    tail_ok = _ends_with_last_revision(pdf_bytes, reader)
    count = len(signatures)
    checks = tuple(
        _check_signature(s, reader, kwargs, last=i == count - 1, tail_ok=tail_ok)
        for i, s in enumerate(signatures)
    )
    final = checks[-1]
    failed = next((c for c in checks if not c.ok), None)
    reason = ""
    if failed is not None:
        reason = failed.reason
        if count > 1:
            reason = _("Signature %(number)d of %(count)d (%(name)s): %(reason)s") % {
                "number": checks.index(failed) + 1,
                "count": count,
                "name": failed.signer_name or failed.field,
                "reason": failed.reason,
            }
    return Verification(
        ok=failed is None,
        intact=all(c.intact for c in checks),
        trusted=all(c.trusted for c in checks),
        covers_whole_file=final.covers_whole_file,
        signer_name=final.signer_name,
        signer_serial=final.signer_serial,
        signing_time=final.signing_time,
        timestamp_time=final.timestamp_time,
        revoked=any(c.revoked for c in checks),
        expired=any(c.expired for c in checks),
        signature_count=count,
        summary=final.summary,
        reason=reason,
        level=final.level,
        signatures=checks,
    )


# --- detached CAdES over arbitrary data (paraf as e-signature) ------------------------


def sign_detached(data: bytes, signer, *, timestamper=None) -> bytes:
    """A detached CAdES-BES signature (DER CMS) over ``data``; its message digest is the
    SHA-256 of ``data``, which itself is not embedded."""
    if signer.signing_cert is None:
        raise SigningError(_("The signer has no certificate."))
    _check_validity(signer.signing_cert, datetime.datetime.now(datetime.UTC))
    try:
        content_info = _run(
            signer.async_sign_general_data(
                data, "sha256", detached=True, use_cades=True, timestamper=timestamper
            )
        )
    except Exception as exc:
        raise SigningError(_("The data could not be signed: %s") % exc) from exc
    return content_info.dump()


def verify_detached(
    data: bytes, cms: bytes, trust_roots: Iterable, *, crls: Iterable = ()
) -> SignatureCheck:
    """Check a detached CMS signature over ``data`` against ``trust_roots`` (plus the
    configured offline CRLs)."""
    from asn1crypto import cms as asn1_cms
    from pyhanko.sign.validation.generic_cms import async_validate_detached_cms
    from pyhanko_certvalidator import ValidationContext

    from . import signers as configured

    try:
        info = asn1_cms.ContentInfo.load(cms)
        signed_data = info["content"]
        if not len(signed_data["signer_infos"]):  # parsed now: a broken blob fails here
            raise ValueError("no signer")
    except Exception as exc:
        return SignatureCheck(ok=False, reason=_("The e-signature is damaged: %s") % exc)
    kwargs = _context_kwargs(
        trust_roots, _crl_list(crls) + configured.offline_crls(), (), "soft-fail", None
    )
    try:
        status = _run(
            async_validate_detached_cms(
                data,
                signed_data,
                signer_validation_context=ValidationContext(**kwargs),
                key_usage_settings=_usage_constraints(),
            )
        )
    except Exception as exc:
        logger.info("detached signature validation failed", exc_info=True)
        return SignatureCheck(
            ok=False, reason=_("The e-signature could not be validated: %s") % exc
        )
    name, serial = _name(status.signing_cert)
    intact = bool(status.intact and status.valid)
    trusted = bool(status.trusted) and _purpose_ok(status.signing_cert)
    expired = False
    when = status.signer_reported_dt or datetime.datetime.now(datetime.UTC)
    if not intact:
        reason = _("The e-signature does not match the approved text.")
    elif not trusted:
        reason, expired = _trust_reason(status, when)
    else:
        reason = ""
    return SignatureCheck(
        ok=not reason,
        signer_name=name,
        signer_serial=serial,
        signing_time=status.signer_reported_dt,
        level="B-B",
        intact=intact,
        trusted=trusted,
        covers_whole_file=True,
        revoked=bool(status.revoked),
        expired=expired,
        summary=status.summary(),
        reason=reason,
    )
