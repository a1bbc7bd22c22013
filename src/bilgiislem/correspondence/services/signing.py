"""Signing a letter (issue 4 points 3–5): the signature fixes its Sayı and date, registers
it as outgoing and stores the PAdES-signed PDF, all in one transaction."""

import io
import re
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bilgiislem.audit.services import audit_record
from bilgiislem.core import storage
from bilgiislem.core.errors import DomainError
from bilgiislem.core.text import tr_upper
from bilgiislem.registry.choices import FileRole, PartyKind, Purpose
from bilgiislem.registry.models import DocumentFile
from bilgiislem.registry.services import outgoing_register_signed, signed_letter_deliver
from bilgiislem.registry.services.routing import routings_close_by_reply

from .. import letter_pdf, rules
from .. import signing as pades
from ..choices import LetterStatus, RecipientKind, StepStatus
from ..models import Letter
from .annexes import annex_lines, copy_annexes_to_registration
from .approval import _my_step

_PARTY = {
    RecipientKind.INTERNAL: PartyKind.INTERNAL,
    RecipientKind.PUBLIC_BODY: PartyKind.PUBLIC_BODY,
    RecipientKind.GOVERNORSHIP: PartyKind.PUBLIC_BODY,
    RecipientKind.METROPOLITAN: PartyKind.PUBLIC_BODY,
    RecipientKind.COMPANY: PartyKind.COMPANY,
    RecipientKind.CITIZEN: PartyKind.PERSON,
}
_LIST_ITEM = re.compile(r"^[a-zçğıöşü]\)\s+")


def body_blocks(text: str) -> list:
    """Paragraphs separated by empty lines; consecutive "a) …" lines become one list."""
    blocks = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in chunk.splitlines() if line.strip()]
        if lines and all(_LIST_ITEM.match(line) for line in lines):
            blocks.append([_LIST_ITEM.sub("", line) for line in lines])
        else:
            blocks.append(" ".join(lines))
    return blocks


def person_heading(name: str) -> str:
    """How a citizen is addressed (RYY art. 14): "Sayın Ad SOYAD"."""
    words = name.split()
    if words and words[0].casefold() in {"sayın", "sayin"}:
        words = words[1:]
    if len(words) > 1:
        words[-1] = tr_upper(words[-1])
    return " ".join(["Sayın", *words])


def letter_content(
    letter: Letter,
    *,
    sayi="",
    date=None,
    signer_person=None,
    capacity="",
    title="",
    code="",
    signed=True,
) -> letter_pdf.LetterContent:
    """The printable letter from its record (also used for draft previews)."""
    recipients = [
        letter_pdf.Recipient(
            name=r.name,
            role=letter_pdf.GEREGI if r.purpose == Purpose.ACTION else letter_pdf.BILGI,
            person=r.kind == RecipientKind.CITIZEN,
            addressed_as=person_heading(r.name) if r.kind == RecipientKind.CITIZEN else "",
            address=r.address,
            annexes_omitted=r.annexes_omitted,
        )
        for r in letter.recipients.all()
    ]
    references = [
        letter_pdf.Reference(
            date=ref.document.document_date or timezone.localdate(ref.document.registered_at),
            sayi=ref.document.sayi or ref.document.number_label,
            issuer=ref.document.party_name,
        )
        for ref in letter.references.select_related("document")
    ]
    person = signer_person
    signer = letter_pdf.Signer(
        first_name=person.first_name if person else "",
        surname=person.last_name if person else "",
        title=title,
        capacity=capacity,
    )
    base = settings.BILGIISLEM_VERIFY_URL_BASE.rstrip("/")
    return letter_pdf.LetterContent(
        letterhead=letter_pdf.letterhead_lines(letter.unit),
        sayi=sayi,
        date=date,
        konu=letter.subject,
        recipients=recipients,
        body=body_blocks(letter.body),
        signer=signer,
        references=references,
        annexes=annex_lines(letter),
        verification_code=code,
        verification_url=f"{base}/{code}" if code else "",
        contact=letter_pdf.contact_from_institution(),
        signed=signed,
    )


def _detsis(letter) -> str:
    detsis = rules.sayi_detsis(letter)
    if not detsis:
        raise DomainError(_("The directorate has no DETSİS number; the Sayı cannot be formed."))
    return detsis


def fix_number(*, actor, letter: Letter, step, label: str):
    """Take the registry number and the date of the letter (inside the caller's transaction).

    Registers the letter as outgoing and returns ``(document, content, now)``: the printable
    letter carrying its Sayı, date, signer and a fresh verification code.
    """
    detsis = _detsis(letter)
    recipients = list(letter.recipients.all())
    first = next((r for r in recipients if r.purpose == Purpose.ACTION), recipients[0])
    capacity = label if label.endswith((" a.", " V.")) else ""
    title = step.position.title if step.position_id else ""
    document = outgoing_register_signed(
        actor=actor,
        registry=letter.unit,
        party_kind=_PARTY[first.kind],
        party_name=first.name if len(recipients) == 1 else _("Distribution list"),
        party_identifier=first.identifier if len(recipients) == 1 else "",
        party_unit=first.unit,
        subject=letter.subject,
        sdp_code=letter.sdp_code,
        secrecy=letter.secrecy,
        urgency=letter.urgency,
        urgency_date=letter.urgency_date,
        sayi_for=lambda number: f"E-{detsis}-{letter.sdp_code}-{number}",
    )
    now = timezone.now()
    content = letter_content(
        letter,
        sayi=document.sayi,
        date=timezone.localdate(now),
        signer_person=actor,
        capacity=capacity,
        title=title,
        code=secrets.token_hex(6).upper(),
    )
    return document, content, now


def finish_signature(*, actor, letter: Letter, step, label, document, signed_pdf, code, now):
    """Store the signed PDF as the registration's main file, close the signature step and
    mark the letter signed, with its audit event (inside the caller's transaction)."""
    stored = storage.store_stream(io.BytesIO(signed_pdf), max_bytes=len(signed_pdf))
    DocumentFile.objects.create(
        document=document,
        role=FileRole.MAIN,
        filename=f"{document.sayi}.pdf",
        content_type="application/pdf",
        size=stored.size,
        sha256=stored.sha256,
        uploaded_by=actor,
    )
    step.status, step.acted_by, step.acted_as = StepStatus.APPROVED, actor, label
    step.acted_at, step.version = now, letter.version
    step.save(update_fields=["status", "acted_by", "acted_as", "acted_at", "version"])
    letter.status, letter.sayi, letter.signed_at = LetterStatus.SIGNED, document.sayi, now
    letter.document, letter.verification_code = document, code
    letter.save(update_fields=["status", "sayi", "signed_at", "document", "verification_code"])
    audit_record(
        actor=actor,
        action="correspondence.letter.signed",
        obj=letter,
        changes={
            "sayi": letter.sayi,
            "as": label,
            "document": document.number_label,
            "sha256": stored.sha256,
            "version": letter.version,
        },
    )
    # A reply closes the routings of the document it answers that its preparer held.
    if letter.reply_to_id is not None:
        routings_close_by_reply(
            actor=actor, document=letter.reply_to, reply=document, holder=letter.prepared_by
        )
    # Internal recipients receive it at once in their incoming registry (RYY art. 12(b)).
    for recipient in letter.recipients.filter(kind=RecipientKind.INTERNAL).select_related("unit"):
        if recipient.unit_id != letter.unit_id:
            signed_letter_deliver(actor=actor, document=document, to_registry=recipient.unit)
    # After the deliveries: they copy the registration's files, and a recipient marked
    # "Ek konulmadı" must not receive the annex files.
    copy_annexes_to_registration(actor=actor, letter=letter, document=document)
    return letter


@transaction.atomic
def letter_sign(*, actor, letter: Letter, signer, timestamper=None) -> Letter:
    """The required signer signs with a server-side key (PKCS#11 token or e-seal key).

    In the same transaction: the Sayı ``E-<DETSİS>-<SDP>-<registry no>`` and the date (the
    signing time) are fixed, the letter is registered as outgoing and the signed PDF stored.
    The rule check must pass first (``rules.ensure_signable``).
    """
    letter = Letter.objects.select_for_update().select_related("unit").get(pk=letter.pk)
    step, label = _my_step(actor, letter, signature=True)
    rules.ensure_signable(letter)
    document, content, now = fix_number(actor=actor, letter=letter, step=step, label=label)
    try:
        signed_pdf = pades.sign_pdf(
            letter_pdf.render_letter(content),
            signer,
            reason=_("Official correspondence"),
            location=letter.unit.name,
            timestamper=timestamper,
        )
    except pades.SigningError as exc:
        raise DomainError(str(exc), field="signature") from exc
    return finish_signature(
        actor=actor,
        letter=letter,
        step=step,
        label=label,
        document=document,
        signed_pdf=signed_pdf,
        code=content.verification_code,
        now=now,
    )
