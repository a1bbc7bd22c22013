"""Signing a letter with the signer's own e-imza token outside the server (issue 4 point 5).

The Sayı and date must be printed on the file the signer signs, so the letter is first
*prepared*: in one transaction the registry number and date are taken and the unsigned PDF
is stored, recorded as a ``SigningPreparation`` (``letter_prepare_external``). If the letter
is returned or changed instead, the preparation is abandoned and its outgoing registration
cancelled (``abandon_preparations``); preparing again takes a new number. The signer signs
that PDF with their e-imza software and uploads it; ``letter_sign_external`` accepts it only
when the signature is intact, covers the whole file, chains to the trust roots, was made with
a certificate valid at signing time carrying the signer's TCKN, and signs exactly the
prepared PDF.
"""

import io
import re

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bilgiislem.audit.services import audit_record
from bilgiislem.core import storage
from bilgiislem.core.errors import DomainError, PermissionDeniedError

from .. import letter_pdf, rules
from .. import signing as pades
from ..choices import LetterStatus
from ..models import Letter, SigningPreparation
from .approval import _my_step
from .preparations import abandon_preparations
from .signing import finish_signature, fix_number

PREPARED = "correspondence.letter.prepared"
FIELD = "signed_pdf"


def max_upload_bytes() -> int:
    return getattr(settings, "BILGIISLEM_SIGNED_PDF_MAX_BYTES", 20 * 1024 * 1024)


def configured_trust_roots() -> list[bytes]:
    """The e-imza roots (Kamu SM, …) signatures are checked against."""
    from ..signers import trust_roots

    return trust_roots()


def expected_tckn(person) -> str:
    """The TCKN the signer's certificate must carry: the person's own, else the mapping
    ``BILGIISLEM_CERT_TCKN_MAP`` (username → TCKN)."""
    mapping = getattr(settings, "BILGIISLEM_CERT_TCKN_MAP", {}) or {}
    return (getattr(person, "tckn", "") or mapping.get(person.get_username(), "")).strip()


def _open_preparation(letter: Letter) -> SigningPreparation | None:
    return (
        SigningPreparation.objects.select_for_update()
        .filter(letter=letter, state=SigningPreparation.State.OPEN)
        .select_related("document")
        .first()
    )


def _preparation(letter: Letter, step) -> SigningPreparation | None:
    """The open preparation of this letter for this signature step and text version."""
    prep = _open_preparation(letter)
    if prep is None or prep.step_id != step.pk or prep.version != letter.version:
        return None
    return prep


def prepared_pdf(letter: Letter) -> bytes | None:
    """The unsigned PDF of the letter's open preparation (what the signer downloads)."""
    prep = (
        SigningPreparation.objects.filter(letter=letter, state=SigningPreparation.State.OPEN)
        .only("sha256")
        .first()
    )
    return storage.open_verified(prep.sha256) if prep else None


@transaction.atomic
def letter_prepare_external(*, actor, letter: Letter) -> bytes:
    """The signer fixes the Sayı and date and gets the PDF to sign with their e-imza.

    Asking again for the same step and version returns the same PDF (no second number).
    The rule check must pass first (``rules.ensure_signable``).
    """
    letter = Letter.objects.select_for_update().select_related("unit").get(pk=letter.pk)
    step, label = _my_step(actor, letter, signature=True)
    prep = _preparation(letter, step)
    if prep is not None:
        return storage.open_verified(prep.sha256)
    rules.ensure_signable(letter)
    # A stale open preparation (another step or version) can no longer be signed.
    abandon_preparations(
        actor=actor, letter=letter, reason=_("The letter changed after it was prepared.")
    )
    document, content, _now = fix_number(actor=actor, letter=letter, step=step, label=label)
    pdf = letter_pdf.render_letter(content)
    stored = storage.store_stream(io.BytesIO(pdf), max_bytes=len(pdf))
    prep = SigningPreparation.objects.create(
        letter=letter,
        step=step,
        version=letter.version,
        document=document,
        signer_as=label,
        verification_code=content.verification_code,
        sha256=stored.sha256,
        prepared_by=actor,
    )
    audit_record(
        actor=actor,
        action=PREPARED,
        obj=letter,
        changes={
            "preparation": prep.pk,
            "step": step.pk,
            "version": letter.version,
            "as": label,
            "document": document.pk,
            "sayi": document.sayi,
            "code": content.verification_code,
            "sha256": stored.sha256,
        },
    )
    return pdf


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value or "")


# What a signature adds to the catalog and to a page; nothing else may change.
_MAY_GROW = {"/Annots", "/AcroForm", "/Perms", "/DSS", "/Metadata", "/Extensions"}


def _same_apart_from_signature(old, new) -> bool:
    from pyhanko.pdf_utils import generic

    if not (
        isinstance(old, generic.DictionaryObject) and isinstance(new, generic.DictionaryObject)
    ):
        return False
    keys = (set(old) | set(new)) - _MAY_GROW
    return all(repr(old.get(k)) == repr(new.get(k)) for k in keys)


def _signs_prepared(signed_pdf: bytes, prepared: bytes) -> bool:
    """The upload is the prepared file plus one incremental update that only adds the
    signature: objects it overwrites keep everything but their annotations and form."""
    if not signed_pdf.startswith(prepared):
        return False
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        old = PdfFileReader(io.BytesIO(prepared), strict=False)
        new = PdfFileReader(io.BytesIO(signed_pdf), strict=False)
        if new.total_revisions != old.total_revisions + 1:
            return False
        size = int(old.trailer["/Size"])
        # Signing software stamps its name in the document information and XMP metadata.
        metadata = {
            ref.idnum
            for ref in (old.trailer.raw_get("/Info"), old.root.raw_get("/Metadata"))
            if isinstance(ref, generic.IndirectObject)
        }
        for ref in new.xrefs.explicit_refs_in_revision(new.total_revisions - 1):
            if ref.idnum >= size or ref.idnum in metadata:
                continue  # a new object (the signature, its field, its appearance) or metadata
            before = old.get_object(generic.Reference(ref.idnum, ref.generation, old))
            if not _same_apart_from_signature(before, new.get_object(ref)):
                return False
        for page_old, page_new in zip(_pages(old), _pages(new), strict=True):
            annots = page_new.get("/Annots") or []
            known = {repr(a) for a in (page_old.get("/Annots") or [])}
            for annot in annots:
                if repr(annot) in known:
                    continue
                widget = annot.get_object()
                if widget.get("/Subtype") != "/Widget" or widget.get("/FT") != "/Sig":
                    return False
    except Exception:  # a malformed revision is simply not the prepared letter
        return False
    return True


def _pages(reader):
    return [reader.root["/Pages"]["/Kids"][i].get_object() for i in range(_count(reader))]


def _count(reader) -> int:
    return int(reader.root["/Pages"]["/Count"])


@transaction.atomic
def letter_sign_external(
    *, actor, letter: Letter, signed_pdf: bytes, trust_roots, crls=(), ocsps=()
) -> Letter:
    """Accept the PAdES-signed PDF of a prepared letter and mark the letter signed.

    Any failed check raises ``DomainError`` naming the reason; nothing changes then.
    """
    letter = Letter.objects.select_for_update().select_related("unit").get(pk=letter.pk)
    if letter.status == LetterStatus.SIGNED:
        raise DomainError(_("The letter is already signed."))
    step, label = _my_step(actor, letter, signature=True)
    prep = _preparation(letter, step)
    if prep is None:
        raise DomainError(_("Prepare the letter for e-imza first; then sign that file."))
    if not signed_pdf:
        raise DomainError(_("Choose the signed PDF file."), field=FIELD)
    if len(signed_pdf) > max_upload_bytes():
        raise DomainError(_("The file is too large for a signed letter."), field=FIELD)
    if not signed_pdf.lstrip()[:5] == b"%PDF-":
        raise DomainError(_("The file is not a PDF."), field=FIELD)
    tckn = expected_tckn(actor)
    if not tckn:
        raise PermissionDeniedError(
            _("Your T.C. identity number is not recorded; the e-imza cannot be checked.")
        )
    result = pades.verify_pdf(
        signed_pdf,
        trust_roots,
        crls=crls,
        ocsps=ocsps,
        revocation_mode="hard-fail" if (crls or ocsps) else "soft-fail",
    )
    if not result.ok or not result.intact or not result.trusted or not result.covers_whole_file:
        raise DomainError(result.reason or _("The signature is not valid."), field=FIELD)
    if result.revoked or result.expired:
        raise DomainError(result.reason, field=FIELD)
    if _digits(result.signer_serial) != tckn:
        raise DomainError(
            _("The file was signed by someone else (the certificate is not yours)."), field=FIELD
        )
    prepared = storage.open_verified(prep.sha256)
    if not _signs_prepared(signed_pdf, prepared):
        raise DomainError(
            _("The signed file is not the letter prepared for signature."), field=FIELD
        )
    now = timezone.now()
    prep.state, prep.closed_at = SigningPreparation.State.SIGNED, now
    prep.save(update_fields=["state", "closed_at"])
    return finish_signature(
        actor=actor,
        letter=letter,
        step=step,
        label=label,
        document=prep.document,
        signed_pdf=signed_pdf,
        code=prep.verification_code,
        now=now,
    )
