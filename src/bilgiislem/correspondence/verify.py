"""Public verification of a signed letter (doğrulama, issue 4 point 5).

Anyone holding a paper copy enters the code printed on it: they see the Sayı, date, signer
and (unless the letter is Gizli/Çok Gizli) its subject, and may upload a PDF to learn whether
it is the signed original. Unknown codes cost the same database work as known ones, and
each client address gets a limited number of tries.
"""

import dataclasses
import hashlib
import re

from django.conf import settings
from django.core.cache import cache

from bilgiislem.registry.choices import FileRole, Secrecy
from bilgiislem.registry.models import DocumentFile

from . import signing as pades
from .choices import LetterStatus, StepKind, StepStatus
from .models import ApprovalStep, Letter
from .services.external import configured_trust_roots, max_upload_bytes

SECRET = {Secrecy.GIZLI, Secrecy.COK_GIZLI}
RATE_LIMIT = 30  # requests per client address …
RATE_WINDOW = 600  # … per ten minutes


def normalise(code: str) -> str:
    """Codes are printed grouped ("BSK4-7H2Q") and may be typed in lower case."""
    return re.sub(r"[^0-9A-Za-z]", "", code or "").upper()[:32]


@dataclasses.dataclass(frozen=True)
class PublicFacts:
    """What the verification page shows about a signed letter."""

    sayi: str
    date: object
    subject: str  # empty for Gizli / Çok Gizli
    signer: str
    acting_as: str
    sha256: str


def facts_for_code(code: str) -> PublicFacts | None:
    """The facts of the signed letter with this code, or None; the same three queries either
    way, so the answer's timing does not tell which codes exist."""
    letter = (
        Letter.objects.filter(verification_code=normalise(code) or None, status=LetterStatus.SIGNED)
        .select_related("document")
        .first()
    )
    step = (
        ApprovalStep.objects.filter(
            letter_id=letter.pk if letter else -1,
            kind=StepKind.SIGNATURE,
            status=StepStatus.APPROVED,
        )
        .select_related("acted_by")
        .order_by("-order")
        .first()
    )
    main = (
        DocumentFile.objects.filter(document_id=letter.document_id if letter else -1)
        .filter(role=FileRole.MAIN)
        .order_by("-id")
        .first()
    )
    if letter is None:
        return None
    return PublicFacts(
        sayi=letter.sayi,
        date=letter.document.document_date,
        subject="" if letter.secrecy in SECRET else letter.subject,
        signer=str(step.acted_by) if step else "",
        acting_as=step.acted_as if step else "",
        sha256=main.sha256 if main else "",
    )


@dataclasses.dataclass(frozen=True)
class UploadCheck:
    """Whether an uploaded PDF is the signed original."""

    same_file: bool
    verification: pades.Verification | None

    @property
    def ok(self) -> bool:
        return self.same_file and self.verification is not None and self.verification.ok


def check_upload(facts: PublicFacts, data: bytes) -> UploadCheck:
    """Same SHA-256 as the stored signed PDF, and the signature intact and trusted."""
    if not data or len(data) > max_upload_bytes():
        return UploadCheck(same_file=False, verification=None)
    same = bool(facts.sha256) and hashlib.sha256(data).hexdigest() == facts.sha256
    return UploadCheck(
        same_file=same, verification=pades.verify_pdf(data, configured_trust_roots())
    )


def over_limit(address: str) -> bool:
    """Count one request from ``address``; True once it passes the limit in the window."""
    limit = getattr(settings, "BILGIISLEM_VERIFY_RATE_LIMIT", RATE_LIMIT)
    key = f"correspondence:verify:{address or 'unknown'}"
    cache.add(key, 0, timeout=RATE_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=RATE_WINDOW)
        count = 1
    return count > limit
