"""The server-side signing key the administrator configured (issue 4 point 5a).

``BILGIISLEM_SIGNING`` is read at call time:

- ``{"kind": "file", "key": path, "cert": path, "chain": [paths], "passphrase": ...}`` — an
  institutional e-seal key in PEM/DER files;
- ``{"kind": "pkcs11", "lib": ..., "token": ..., "pin": ..., "key_label": ...,
  "cert_label": ..., "chain": [paths]}`` — a smart card or HSM;
- ``None`` — no server-side signing.

Signature level and revocation (ADR 0013), also read at call time:

- ``BILGIISLEM_SIGNING_LEVEL``: "B-B" (default), "B-T" (with a time-stamp) or "B-LT" (a
  time-stamp plus the chain and CRLs embedded, verifiable offline for years);
- ``BILGIISLEM_TSA``: the time-stamping authority for B-T/B-LT: ``{"url": ...,
  "username": ..., "password": ...}`` (an RFC 3161 service) or ``{"key": path, "cert":
  path, "chain": [paths]}`` (an in-house TSA key, for demonstration and tests);
- ``BILGIISLEM_CRL_FILES``: CRL files (DER or PEM) the administrator keeps current, e.g.
  with a daily download from the CAs' distribution points. Nothing is fetched at run time.
"""

import base64
import contextlib
import logging
import threading
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from bilgiislem.core.errors import DomainError

from . import signing

logger = logging.getLogger(__name__)


def _read(path) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise DomainError(
            _("The signing key file %(path)s cannot be read.") % {"path": path},
            field="signature",
        ) from exc


@contextlib.contextmanager
def configured_signer() -> Iterator:
    """Yield the configured pyHanko signer (a PKCS#11 session closes when the block ends)."""
    config = getattr(settings, "BILGIISLEM_SIGNING", None)
    if not config:
        raise DomainError(_("No signing key is configured on the server."), field="signature")
    kind = config.get("kind")
    chain = [_read(p) for p in config.get("chain", ())]
    if kind == "file":
        passphrase = config.get("passphrase")
        yield signing.file_signer(
            _read(config["key"]),
            _read(config["cert"]),
            chain,
            passphrase=passphrase.encode() if isinstance(passphrase, str) else passphrase,
        )
    elif kind == "pkcs11":
        try:
            opened = signing.pkcs11_signer(
                config["lib"],
                config["token"],
                config["pin"],
                config["key_label"],
                config["cert_label"],
                chain=chain,
            )
            signer = opened.__enter__()
        except Exception as exc:  # the token is absent, locked or misconfigured
            raise DomainError(
                _("The signing token cannot be opened: %(reason)s") % {"reason": exc},
                field="signature",
            ) from exc
        try:
            yield signer
        finally:
            opened.__exit__(None, None, None)
    else:
        raise DomainError(_("The signing key configuration is not valid."), field="signature")


def trust_roots() -> list[bytes]:
    """The root certificates signatures are verified against (``BILGIISLEM_TRUST_ROOTS``)."""
    return [Path(p).read_bytes() for p in settings.BILGIISLEM_TRUST_ROOTS if Path(p).exists()]


def signing_level() -> str:
    """The PAdES level server-side signatures are made at (``BILGIISLEM_SIGNING_LEVEL``)."""
    level = getattr(settings, "BILGIISLEM_SIGNING_LEVEL", "B-B") or "B-B"
    if level not in signing.LEVELS:
        raise DomainError(
            _("The signature level %(level)s is not one of B-B, B-T, B-LT.") % {"level": level},
            field="signature",
        )
    return level


def configured_timestamper():
    """The configured time-stamping authority (``BILGIISLEM_TSA``), or None."""
    config = getattr(settings, "BILGIISLEM_TSA", None)
    if not config:
        return None
    if config.get("url"):
        from pyhanko.sign.timestamps import HTTPTimeStamper

        headers = {}
        if config.get("username"):  # HTTP basic authentication, as commercial TSAs use
            pair = f"{config['username']}:{config.get('password', '')}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
        return HTTPTimeStamper(config["url"], timeout=config.get("timeout", 10), headers=headers)
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    key = signing.file_signer(_read(config["key"]), _read(config["cert"])).signing_key
    return DummyTimeStamper(
        tsa_cert=signing._load_certificate(_read(config["cert"])),
        tsa_key=key,
        certs_to_embed=SimpleCertificateStore.from_certs(
            [signing._load_certificate(_read(p)) for p in config.get("chain", ())]
        ),
    )


_crl_cache: dict[str, tuple[tuple[int, int], list]] = {}
_crl_lock = threading.Lock()


def offline_crls() -> list:
    """The CRLs in ``BILGIISLEM_CRL_FILES``, parsed once per file version (a national CA's
    CRL runs to megabytes). A missing or unreadable file is logged and skipped: without it a
    certificate is simply not known to be revoked (soft-fail), or refused in hard-fail."""
    found = []
    for path in getattr(settings, "BILGIISLEM_CRL_FILES", ()) or ():
        try:
            stat = Path(path).stat()
            key = (stat.st_mtime_ns, stat.st_size)
            with _crl_lock:
                cached = _crl_cache.get(str(path))
            if cached is None or cached[0] != key:
                cached = (key, signing.load_crls(Path(path).read_bytes()))
                with _crl_lock:
                    _crl_cache[str(path)] = cached
            found.extend(cached[1])
        except (OSError, ValueError) as exc:
            logger.warning("CRL file %s cannot be read: %s", path, exc)
    return found
