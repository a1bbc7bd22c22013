"""The server-side signing key the administrator configured (issue 4 point 5a).

``BILGIISLEM_SIGNING`` is read at call time:

- ``{"kind": "file", "key": path, "cert": path, "chain": [paths], "passphrase": ...}`` — an
  institutional e-seal key in PEM/DER files;
- ``{"kind": "pkcs11", "lib": ..., "token": ..., "pin": ..., "key_label": ...,
  "cert_label": ..., "chain": [paths]}`` — a smart card or HSM;
- ``None`` — no server-side signing.
"""

import contextlib
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from bilgiislem.core.errors import DomainError

from . import signing


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
