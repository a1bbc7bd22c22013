"""Drafting letters (RYY art. 11; issue 4 point 1): versions are kept, a change voids the
parafs already given."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bilgiislem.audit.services import audit_record
from bilgiislem.core import identifiers
from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.organization import permissions as org
from bilgiislem.organization.choices import UnitKind
from bilgiislem.registry.choices import Purpose, Secrecy, Urgency
from bilgiislem.registry.models import Document

from ..choices import DETSIS_KINDS, LetterStatus, RecipientKind, StepStatus
from ..models import Letter, LetterRecipient, LetterReference, LetterVersion
from .preparations import abandon_preparations

EDITABLE = {LetterStatus.DRAFT, LetterStatus.RETURNED}


def _directorate(actor):
    """The directorate the actor drafts for: the one of their most senior post."""
    parents = org.unit_parents(actor)
    from bilgiislem.organization.models import OrgUnit

    kinds = dict(OrgUnit.objects.values_list("id", "kind"))
    for post in org.effective_posts(actor):
        for unit_id in org.ancestors_or_self(post.unit_id, parents):
            if kinds.get(unit_id) == UnitKind.MUDURLUK:
                return OrgUnit.objects.get(pk=unit_id)
    raise PermissionDeniedError(_("Only staff of a directorate draft letters."))


def _clean_recipients(recipients) -> list[dict]:
    if not recipients:
        raise DomainError(_("Add at least one recipient."), field="recipients")
    cleaned = []
    for r in recipients:
        kind = r.get("kind")
        if kind not in RecipientKind.values:
            raise DomainError(_("Choose the kind of each recipient."), field="recipients")
        purpose = r.get("purpose", Purpose.ACTION)
        if purpose not in Purpose.values:
            raise DomainError(_("Choose for action or for information."), field="recipients")
        unit = r.get("unit")
        identifier = (r.get("identifier") or "").strip()
        name = (r.get("name") or "").strip()
        if kind == RecipientKind.INTERNAL:
            if unit is None or unit.kind != UnitKind.MUDURLUK:
                raise DomainError(_("Choose the directorate."), field="recipients")
            name = unit.name
        elif not name:
            raise DomainError(_("Give the name of each recipient."), field="recipients")
        try:
            if kind in DETSIS_KINDS:
                identifier = identifiers.validate_detsis(identifier) if identifier else ""
            elif kind == RecipientKind.CITIZEN and identifier:
                identifier = identifiers.validate_tckn(identifier)
            elif kind == RecipientKind.COMPANY and identifier:
                check = (
                    identifiers.validate_vkn
                    if len(identifier) == 10
                    else identifiers.validate_mersis
                )
                identifier = check(identifier)
        except ValidationError as exc:
            raise DomainError(" ".join(exc.messages), field="recipients") from exc
        cleaned.append(
            {
                "kind": kind,
                "unit": unit if kind == RecipientKind.INTERNAL else None,
                "name": name[:300],
                "identifier": identifier,
                "purpose": purpose,
                "address": (r.get("address") or "")[:500],
                "annexes_omitted": bool(r.get("annexes_omitted")),
            }
        )
    return cleaned


def _keep_annex_marks(letter, given, cleaned) -> None:
    """A recipient given without an "Ek konulmadı" mark keeps the one it had.

    The drafting page does not carry the mark (it is set in the letter's Ekler section), so
    saving the text there must not clear it; the API always sends it and so sets it.
    """
    before = {
        (r.kind, r.unit_id, r.name, r.identifier): r.annexes_omitted
        for r in letter.recipients.all()
    }
    for raw, row in zip(given, cleaned, strict=True):
        if "annexes_omitted" not in raw:
            key = (row["kind"], row["unit"].pk if row["unit"] else None, row["name"])
            row["annexes_omitted"] = before.get((*key, row["identifier"]), False)


def _clean_text(subject, body, sdp_code, secrecy, urgency, urgency_date):
    if not (subject or "").strip():
        raise DomainError(_("Give the subject."), field="subject")
    if not (body or "").strip():
        raise DomainError(_("Write the text of the letter."), field="body")
    if not (sdp_code or "").strip():
        raise DomainError(_("Give the file plan code."), field="sdp_code")
    if secrecy not in Secrecy.values:
        raise DomainError(_("Choose a secrecy class."), field="secrecy")
    if urgency not in Urgency.values:
        raise DomainError(_("Choose an urgency."), field="urgency")
    if urgency == Urgency.GUNLUDUR and urgency_date is None:
        raise DomainError(_("A GÜNLÜDÜR letter needs its date."), field="urgency_date")


def _snapshot(letter) -> dict:
    return {
        "subject": letter.subject,
        "body": letter.body,
        "sdp_code": letter.sdp_code,
        "secrecy": letter.secrecy,
        "urgency": letter.urgency,
        "urgency_date": letter.urgency_date.isoformat() if letter.urgency_date else None,
        "recipients": [
            {
                "kind": r.kind,
                "name": r.name,
                "identifier": r.identifier,
                "purpose": r.purpose,
                "annexes_omitted": r.annexes_omitted,
            }
            for r in letter.recipients.all()
        ],
        "references": [ref.document_id for ref in letter.references.all()],
        "annexes": [
            {
                "kind": a.kind,
                "description": a.description,
                "filename": a.filename,
                "sha256": a.sha256,
                "url": a.url,
                "sayi": a.sayi,
            }
            for a in letter.annexes.all()
        ],
    }


def record_version(letter, actor) -> None:
    LetterVersion.objects.create(
        letter=letter, number=letter.version, content=_snapshot(letter), created_by=actor
    )


def editable_for(actor, letter_pk) -> Letter:
    """The draft locked for a change of its text, or a refusal (only the preparer, and not
    while it is in approval or signed)."""
    letter = Letter.objects.select_for_update().get(pk=letter_pk)
    if letter.prepared_by_id != actor.pk:
        raise PermissionDeniedError(_("Only the preparer changes the text."))
    if letter.status not in EDITABLE:
        raise DomainError(_("The letter is in approval; it must be returned to change it."))
    return letter


def start_new_version(letter, *, extra_fields=()) -> int:
    """Count a change of the text (also of its annexes or "Ek konulmadı" marks): the version
    goes up, the letter is a draft again and every paraf given or awaited is voided, since it
    approved another text (issue 4 point 2). Returns the number of parafs voided. Call inside
    the changing transaction on a letter from ``editable_for``; record the new version with
    ``record_version`` once the parts are saved."""
    abandon_preparations(
        actor=letter.prepared_by, letter=letter, reason=_("The text of the letter changed.")
    )
    letter.version += 1
    letter.status = LetterStatus.DRAFT
    letter.save(update_fields=[*extra_fields, "version", "status"])
    voided = letter.steps.filter(status=StepStatus.APPROVED).update(status=StepStatus.VOIDED)
    letter.steps.filter(status=StepStatus.WAITING).update(status=StepStatus.VOIDED)
    return voided


def _save_parts(letter, recipients, references, actor):
    visible = Document.objects.visible_to(actor)
    for doc in references:
        if not visible.filter(pk=doc.pk).exists():
            raise DomainError(
                _("You cannot refer to a document you may not see."), field="references"
            )
    letter.recipients.all().delete()
    letter.references.all().delete()
    for i, r in enumerate(recipients):
        LetterRecipient.objects.create(letter=letter, order=i, **r)
    for doc in references:
        LetterReference.objects.create(letter=letter, document=doc)
    record_version(letter, actor)


@transaction.atomic
def letter_create(
    *,
    actor,
    subject,
    body,
    sdp_code,
    recipients,
    references=(),
    secrecy=Secrecy.NONE,
    urgency=Urgency.NORMAL,
    urgency_date=None,
    reply_to=None,
) -> Letter:
    """Start a letter as a draft of the actor's directorate (version 1)."""
    unit = _directorate(actor)
    _clean_text(subject, body, sdp_code, secrecy, urgency, urgency_date)
    cleaned = _clean_recipients(recipients)
    if (
        reply_to is not None
        and not Document.objects.visible_to(actor).filter(pk=reply_to.pk).exists()
    ):
        raise DomainError(_("You cannot reply to a document you may not see."), field="reply_to")
    letter = Letter.objects.create(
        unit=unit,
        prepared_by=actor,
        subject=subject.strip()[:500],
        body=body.strip(),
        sdp_code=sdp_code.strip()[:30],
        secrecy=secrecy,
        urgency=urgency,
        urgency_date=urgency_date if urgency == Urgency.GUNLUDUR else None,
        reply_to=reply_to,
    )
    _save_parts(letter, cleaned, list(references), actor)
    audit_record(
        actor=actor,
        action="correspondence.letter.created",
        obj=letter,
        changes={"subject": letter.subject, "recipients": len(cleaned)},
    )
    return letter


@transaction.atomic
def letter_update(
    *,
    actor,
    letter: Letter,
    subject,
    body,
    sdp_code,
    recipients,
    references=(),
    secrecy=Secrecy.NONE,
    urgency=Urgency.NORMAL,
    urgency_date=None,
) -> Letter:
    """Save a new version of a draft; any paraf already given is voided (issue 4 point 2)."""
    letter = editable_for(actor, letter.pk)
    _clean_text(subject, body, sdp_code, secrecy, urgency, urgency_date)
    cleaned = _clean_recipients(recipients)
    _keep_annex_marks(letter, recipients, cleaned)
    letter.subject, letter.body = subject.strip()[:500], body.strip()
    letter.sdp_code, letter.secrecy, letter.urgency = sdp_code.strip()[:30], secrecy, urgency
    letter.urgency_date = urgency_date if urgency == Urgency.GUNLUDUR else None
    voided = start_new_version(
        letter,
        extra_fields=("subject", "body", "sdp_code", "secrecy", "urgency", "urgency_date"),
    )
    _save_parts(letter, cleaned, list(references), actor)
    audit_record(
        actor=actor,
        action="correspondence.letter.updated",
        obj=letter,
        changes={"version": letter.version, "parafs_voided": voided},
    )
    return letter
