"""Paraf given as an e-signature (issue 4 point 5, optional).

By default a paraf is an electronic approval ("elektronik onay"): the approval step and its
audit event (standards.md 7). With ``BILGIISLEM_PARAF_ESIGNATURE`` the paraf is also signed:
a detached CAdES-BES signature whose message digest is the SHA-256 of the approved text —
the canonical JSON of the letter's number, the version number and that version's content
(``LetterVersion.content``), so a signature cannot be moved to another letter or version.
The signature is stored in the content-addressed store and named by
``ApprovalStep.signature_sha256``; ``paraf_signatures_verify`` checks them all later.
"""

import dataclasses
import datetime
import hashlib
import io
import json
import re

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from bilgiislem.audit.services import audit_record
from bilgiislem.core import storage
from bilgiislem.core.errors import DomainError

from .. import signing as pades
from ..models import ApprovalStep, Letter, LetterVersion
from . import approval

SIGNED = "correspondence.step.paraf_signed"
FIELD = "signature"


def paraf_esignature_enabled() -> bool:
    """Whether the paraf action signs (``BILGIISLEM_PARAF_ESIGNATURE``, off by default)."""
    return bool(getattr(settings, "BILGIISLEM_PARAF_ESIGNATURE", False))


def signed_text(letter_id: int, version: int, content) -> bytes:
    """The bytes a paraf signature covers: canonical JSON (sorted keys, no spaces, UTF-8),
    identical on SQLite and PostgreSQL whatever order the database returns the keys in."""
    document = {"letter": letter_id, "version": version, "content": content}
    return json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def _version_text(letter_id: int, version: int) -> bytes | None:
    stored = LetterVersion.objects.filter(letter_id=letter_id, number=version).first()
    return None if stored is None else signed_text(letter_id, version, stored.content)


def _tckn(serial: str) -> str:
    digits = re.sub(r"\D", "", serial or "")
    return digits if len(digits) == 11 else ""


def _check_identity(actor, cert) -> None:
    """A personal certificate (TCKN in serialNumber) must be the actor's own when the
    actor's TCKN is known. An institutional key (e-seal, the demo key) carries no TCKN of
    the actor and records the approval on the institution's behalf."""
    _name, serial = pades._name(cert)
    mapping = getattr(settings, "BILGIISLEM_CERT_TCKN_MAP", {}) or {}
    own = (getattr(actor, "tckn", "") or mapping.get(actor.get_username(), "")).strip()
    certified = _tckn(serial)
    if certified and own and certified != own:
        raise DomainError(
            _("The e-signature certificate belongs to someone else, not to you."), field=FIELD
        )


@transaction.atomic
def step_approve_signed(*, actor, letter: Letter, signer, comment: str = "") -> ApprovalStep:
    """Paraf with an e-signature: approve the step whose turn it is, then sign the approved
    version with ``signer`` (a pyHanko signer: a token or the configured key).

    One transaction: if the signature cannot be made, the approval is undone too.
    """
    step = approval.step_approve(actor=actor, letter=letter, comment=comment)
    cert = signer.signing_cert
    if cert is None:
        raise DomainError(_("The signer has no certificate."), field=FIELD)
    _check_identity(actor, cert)
    text = _version_text(letter.pk, step.version)
    if text is None:  # every save writes a version; a gap is a bug, never sign blind
        raise DomainError(_("The approved version of the letter is missing."), field=FIELD)
    try:
        cms = pades.sign_detached(text, signer)
    except pades.SigningError as exc:
        raise DomainError(str(exc), field=FIELD) from exc
    # Checked as it will be checked later: a certificate that is revoked (per the offline
    # CRLs), untrusted or not meant for signatures makes no paraf.
    from ..signers import trust_roots

    check = pades.verify_detached(text, cms, trust_roots())
    if not check.ok:
        raise DomainError(check.reason, field=FIELD)
    stored = storage.store_stream(io.BytesIO(cms), max_bytes=len(cms))
    step.signature_sha256 = stored.sha256
    step.save(update_fields=["signature_sha256"])
    name, serial = pades._name(cert)
    audit_record(
        actor=actor,
        action=SIGNED,
        obj=letter,
        changes={
            "step": step.order,
            "version": step.version,
            "signature": stored.sha256,
            "text_sha256": hashlib.sha256(text).hexdigest(),
            "certificate": {"name": name, "serial": serial},
        },
    )
    return step


@dataclasses.dataclass(frozen=True)
class ParafCheck:
    """Whether one signed paraf still holds: the stored signature over the approved text."""

    step: int  # the step's order in the chain
    person: str
    version: int | None
    ok: bool
    signer_name: str = ""
    signer_serial: str = ""
    signing_time: datetime.datetime | None = None
    reason: str = ""


def paraf_signatures_verify(letter: Letter, *, trust_roots=None, crls=()) -> list[ParafCheck]:
    """Check every signed paraf of ``letter`` against the trust roots (default: the
    configured ones) and the text of the version it approved."""
    if trust_roots is None:
        from ..signers import trust_roots as configured_roots

        trust_roots = configured_roots()
    checks = []
    steps = letter.steps.exclude(signature_sha256="").select_related("acted_by")
    for step in steps.order_by("order"):
        person = str(step.acted_by) if step.acted_by_id else ""
        try:
            cms = storage.open_verified(step.signature_sha256)
        except (storage.BlobMissingError, storage.StorageCorruptionError):
            checks.append(
                ParafCheck(
                    step.order,
                    person,
                    step.version,
                    ok=False,
                    reason=_("The stored e-signature is missing or damaged."),
                )
            )
            continue
        text = _version_text(letter.pk, step.version) if step.version else None
        if text is None:
            checks.append(
                ParafCheck(
                    step.order,
                    person,
                    step.version,
                    ok=False,
                    reason=_("The approved version of the letter is missing."),
                )
            )
            continue
        result = pades.verify_detached(text, cms, trust_roots, crls=crls)
        checks.append(
            ParafCheck(
                step.order,
                person,
                step.version,
                ok=result.ok,
                signer_name=result.signer_name,
                signer_serial=result.signer_serial,
                signing_time=result.signing_time,
                reason=result.reason,
            )
        )
    return checks


def step_paraf(*, actor, letter: Letter, comment: str = "") -> ApprovalStep:
    """The paraf action of the pages and the API: an electronic approval, or, with
    ``BILGIISLEM_PARAF_ESIGNATURE``, one signed with the server's configured key."""
    if not paraf_esignature_enabled():
        return approval.step_approve(actor=actor, letter=letter, comment=comment)
    from ..signers import configured_signer

    with configured_signer() as signer:
        return step_approve_signed(actor=actor, letter=letter, signer=signer, comment=comment)
