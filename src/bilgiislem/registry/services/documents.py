"""Registering documents (RYY art. 12(a)): incoming, outgoing, internal, e-Yazışma packages."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bilgiislem.audit.services import audit_record
from bilgiislem.core import identifiers
from bilgiislem.core.errors import DomainError
from bilgiislem.organization import permissions as org_permissions

from .. import permissions
from ..choices import (
    RESTRICTED_SECRECY,
    AnnexKind,
    Direction,
    DocumentStatus,
    FileRole,
    Medium,
    PartyKind,
    Secrecy,
    Urgency,
)
from ..models import Annex, Document, Note, Reference, RegistryClerk
from ..sayi import parse_sayi
from ._common import (
    acting_for,
    atomic_service,
    next_registry_number,
    refuse,
    reindex,
    search_text_of,
)
from .files import check_upload, file_row, file_row_from_bytes, refuse_if_archived

_IDENTIFIER_CHECKS = {
    PartyKind.PUBLIC_BODY: ("detsis", identifiers.validate_detsis),
    PartyKind.PERSON: ("tckn", identifiers.validate_tckn),
}


def _clean_party(kind, name, identifier, unit):
    if kind not in PartyKind.values:
        raise DomainError(_("Choose who the document is from or to."), field="party_kind")
    if kind == PartyKind.INTERNAL:
        if unit is None:
            raise DomainError(_("Choose the directorate."), field="party_unit")
        return unit.name, ""
    if not (name or "").strip():
        raise DomainError(_("Give the name of the sender or recipient."), field="party_name")
    identifier = (identifier or "").strip()
    try:
        if kind == PartyKind.COMPANY and identifier:
            check = (
                identifiers.validate_vkn if len(identifier) == 10 else identifiers.validate_mersis
            )
            identifier = check(identifier)
        elif kind in _IDENTIFIER_CHECKS and identifier:
            identifier = _IDENTIFIER_CHECKS[kind][1](identifier)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="party_identifier") from exc
    return name.strip(), identifier


def _clean_urgency(urgency, urgency_date, arrival: datetime.date):
    if urgency not in Urgency.values:
        raise DomainError(_("Choose an urgency."), field="urgency")
    if urgency == Urgency.GUNLUDUR:
        if urgency_date is None:
            raise DomainError(_("A GÜNLÜDÜR document needs its date."), field="urgency_date")
        if arrival is not None and urgency_date < arrival:
            raise DomainError(
                _("The GÜNLÜDÜR date cannot be before the arrival."), field="urgency_date"
            )
        return urgency_date
    return None


def _clerk(actor, registry):
    post = permissions.clerk_post(actor, registry) if not actor.is_superuser else None
    if post is None and not actor.is_superuser:
        refuse(
            actor=actor,
            action="registry.document.register_refused",
            obj=registry,
            message=_("You may not register documents in this registry."),
        )
    return post


def _add_parts(document, *, actor, uploads, annexes, references):
    for upload, role in uploads:
        file_row(actor=actor, document=document, upload=upload, role=role)
    for annex in annexes:
        kind = annex.get("kind", AnnexKind.FILE)
        if kind not in AnnexKind.values or not (annex.get("description") or "").strip():
            raise DomainError(_("Describe each annex and give its kind."), field="annexes")
        file = None
        if kind == AnnexKind.FILE:
            if annex.get("upload") is None:
                raise DomainError(_("An electronic annex needs its file."), field="annexes")
            file = file_row(
                actor=actor, document=document, upload=annex["upload"], role=FileRole.ANNEX
            )
        Annex.objects.create(
            document=document, kind=kind, description=annex["description"].strip()[:500], file=file
        )
    for ref in references:
        if not (ref.get("referenced") or ref.get("sayi") or ref.get("description")):
            raise DomainError(
                _("A reference needs a document, a number or a description."), field="references"
            )
        Reference.objects.create(
            document=document,
            referenced=ref.get("referenced"),
            sayi=ref.get("sayi", "")[:100],
            date=ref.get("date"),
            description=(ref.get("description") or "")[:300],
        )


@atomic_service
def document_register(
    *,
    actor,
    registry,
    direction=Direction.INCOMING,
    medium=Medium.PAPER,
    party_kind,
    party_name="",
    party_identifier="",
    party_unit=None,
    sayi="",
    document_date=None,
    subject,
    sdp_code="",
    secrecy=Secrecy.NONE,
    urgency=Urgency.NORMAL,
    urgency_date=None,
    paper_location="",
    uploads=(),
    annexes=(),
    references=(),
    eyp_belge_id="",
    source=None,
    from_package=False,
) -> Document:
    """Register a document and give it the next registry number (RYY art. 12(a)).

    ``uploads`` is a list of (uploaded file, FileRole); ``annexes`` of dicts with kind,
    description and (for files) upload; ``references`` of dicts with referenced/sayi/date.
    """
    post = _clerk(actor, registry)
    now = timezone.now()
    today = timezone.localdate(now)
    if direction not in Direction.values:
        raise DomainError(_("Choose incoming or outgoing."), field="direction")
    if medium not in Medium.values:
        raise DomainError(_("Choose electronic or paper."), field="medium")
    if secrecy not in Secrecy.values:
        raise DomainError(_("Choose a secrecy class."), field="secrecy")
    if not (subject or "").strip():
        raise DomainError(_("Give the subject."), field="subject")
    name, identifier = _clean_party(party_kind, party_name, party_identifier, party_unit)
    if sayi and not from_package:
        sayi = parse_sayi(sayi, current_only=direction == Direction.OUTGOING).text
    elif direction == Direction.OUTGOING:
        raise DomainError(_("An outgoing document needs its number (Sayı)."), field="sayi")
    if document_date and document_date > today:
        raise DomainError(_("The document date cannot be in the future."), field="document_date")
    # A package's own dates are kept as sent, even a GÜNLÜDÜR date already past.
    urgency_date = _clean_urgency(urgency, urgency_date, None if from_package else today)
    if medium == Medium.ELECTRONIC and not uploads and not eyp_belge_id:
        raise DomainError(_("Upload the electronic document."), field="uploads")
    # Every file is checked before a number is taken, so a bad one costs nothing; storing
    # checks again, and a failure after that rolls back and removes the new blobs.
    for upload, _role in uploads:
        check_upload(upload)
    for annex in annexes:
        if annex.get("upload") is not None:
            check_upload(annex["upload"])
    year, number = next_registry_number(registry, today)
    document = Document(
        registry=registry,
        registry_year=year,
        registry_number=number,
        direction=direction,
        medium=medium,
        registered_at=now,
        registered_by=actor,
        party_kind=party_kind,
        party_name=name[:300],
        party_identifier=identifier,
        party_unit=party_unit,
        sayi=sayi,
        document_date=document_date,
        subject=subject.strip()[:500],
        sdp_code=(sdp_code or "").strip()[:30],
        secrecy=secrecy,
        urgency=urgency,
        urgency_date=urgency_date,
        paper_location=(paper_location or "").strip()[:300],
        eyp_belge_id=eyp_belge_id,
        source=source,
    )
    # The search text is written with the row; only extracted file text needs a second pass.
    document.search_text = search_text_of(document)
    document.save(force_insert=True)
    _add_parts(document, actor=actor, uploads=uploads, annexes=annexes, references=references)
    if uploads or any(a.get("upload") is not None for a in annexes):
        reindex(document)
    audit_record(
        actor=actor,
        action="registry.document.registered",
        obj=document,
        changes={
            "registry": registry.name,
            "number": document.number_label,
            "direction": direction,
            "medium": medium,
            "secrecy": secrecy,
            "sayi": sayi,
            "files": len(uploads),
        },
        acting_for=acting_for(post),
        object_repr=f"{document.number_label} {document.subject}"
        if secrecy not in RESTRICTED_SECRECY
        else document.number_label,
    )
    return document


@atomic_service
def eyp_register(*, actor, registry, package_upload) -> Document:
    """Import an incoming e-Yazışma package: check it, store it untouched, register it.

    A damaged or non-conforming package is refused with its reasons and nothing is
    registered (the sender must be told by the end of the second business day).
    """
    from bilgiislem.organization.models import Institution

    from ..eyp import read_package

    _clerk(actor, registry)
    if package_upload.size and package_upload.size > settings.BILGIISLEM_EYP_MAX_BYTES:
        raise DomainError(_("The package is too large."), field="file")
    data = package_upload.read()
    package = read_package(data)  # raises EypError (a DomainError on "file") with reasons
    if Document.objects.filter(registry=registry, eyp_belge_id=package.belge_id).exists():
        raise DomainError(_("This package has already been registered."), field="file")
    institution = Institution.objects.first()
    our_codes = {c for c in (registry.detsis_no, institution.detsis_no if institution else "") if c}
    urgency, due = package.urgency_for(our_codes)
    sender = package.sender
    document = document_register(
        actor=actor,
        registry=registry,
        medium=Medium.ELECTRONIC,
        party_kind=PartyKind.PUBLIC_BODY,
        party_name=sender.name,
        party_identifier=sender.code if sender.code_scheme.upper() == "DETSIS" else "",
        sayi=package.sayi or "",
        document_date=package.date,
        subject=package.subject,
        sdp_code=package.sdp_code or "",
        secrecy=package.secrecy,
        urgency=urgency,
        urgency_date=due if urgency == Urgency.GUNLUDUR else None,
        eyp_belge_id=package.belge_id,
        from_package=True,
        references=[
            {
                "sayi": r.sayi,
                "date": r.tarih.date() if r.tarih else None,
                "description": r.description or r.name or r.etiket,
            }
            for r in package.references
        ],
    )
    file_row_from_bytes(
        actor=actor,
        document=document,
        data=data,
        filename=package_upload.name,
        role=FileRole.EYP_PACKAGE,
        content_type="application/eyazisma",
    )
    part_files = {}
    for name, part in package.parts.items():
        role = FileRole.MAIN if name == package.main_part_name else FileRole.EYP_PART
        lower = name.lower()
        content_type = (
            "application/pdf"
            if lower.endswith(".pdf")
            else "application/xml"
            if lower.endswith((".xml", ".rels"))
            else "application/octet-stream"
        )
        part_files[name] = file_row_from_bytes(
            actor=actor,
            document=document,
            data=part,
            filename=name,
            role=role,
            content_type=content_type,
        )
    for annex in package.annexes:
        description = annex.name or annex.description or annex.reference_url or annex.file_name
        Annex.objects.create(
            document=document,
            kind=annex.kind,
            description=(description or "—")[:500],
            file=part_files.get(annex.part_name or ""),
        )
    reindex(document)
    audit_record(
        actor=actor,
        action="registry.document.eyp_imported",
        obj=document,
        changes={
            "belge_id": package.belge_id,
            "parts": len(package.parts),
            "warnings": package.warnings,
        },
    )
    return document


def document_record_view(*, actor, document: Document) -> None:
    """Opening a Gizli or Çok Gizli document is recorded in the audit trail."""
    if document.secrecy in RESTRICTED_SECRECY:
        with transaction.atomic():
            audit_record(
                actor=actor,
                action="registry.document.viewed",
                obj=document,
                object_repr=document.number_label,
            )


@atomic_service
def document_send_internal(*, actor, document: Document, to_registry) -> Document:
    """Send a document electronically to another directorate (RYY art. 12(b), last sentence).

    It appears in that directorate's incoming registry with its own registry number.
    """
    post = permissions.director_post(actor, document.registry)
    if post is None and not actor.is_superuser:
        refuse(
            actor=actor,
            action="registry.document.send_refused",
            obj=document,
            message=_("Only the Director sends documents to other directorates."),
        )
    return _deliver_copy(actor=actor, document=document, to_registry=to_registry, post=post)


def signed_letter_deliver(*, actor, document: Document, to_registry) -> Document:
    """Deliver a just-signed internal letter to a recipient directorate's incoming registry.

    The signature is the authority (the correspondence service checked that ``actor`` was the
    required signer); call inside the signing transaction.
    """
    return _deliver_copy(actor=actor, document=document, to_registry=to_registry, post=None)


def _deliver_copy(*, actor, document: Document, to_registry, post) -> Document:
    """The copy in the other directorate's incoming registry, with its own number."""
    if to_registry.pk == document.registry_id or to_registry.kind != "mudurluk":
        raise DomainError(_("Choose another directorate."), field="to_registry")
    now = timezone.now()
    year, number = next_registry_number(to_registry, timezone.localdate(now))
    copy = Document.objects.create(
        registry=to_registry,
        registry_year=year,
        registry_number=number,
        direction=Direction.INCOMING,
        medium=Medium.ELECTRONIC,
        registered_at=now,
        registered_by=actor,
        party_kind=PartyKind.INTERNAL,
        party_name=document.registry.name,
        party_unit=document.registry,
        sayi=document.sayi,
        document_date=document.document_date,
        subject=document.subject,
        sdp_code=document.sdp_code,
        secrecy=document.secrecy,
        urgency=document.urgency,
        urgency_date=document.urgency_date,
        source=document,
    )
    for f in document.files.all():
        f.pk = None
        f.document = copy
        f.save()
    reindex(copy)
    audit_record(
        actor=actor,
        action="registry.document.sent_internal",
        obj=copy,
        changes={
            "from": document.number_label,
            "from_registry": document.registry.name,
            "to_registry": to_registry.name,
            "number": copy.number_label,
        },
        acting_for=acting_for(post),
    )
    return copy


@atomic_service
def note_add(*, actor, document: Document, text: str, upload=None) -> Note:
    """A note (and optionally a file) from someone working on the document."""
    from .routing import may_work_on

    if not may_work_on(actor, document):
        refuse(
            actor=actor,
            action="registry.note.refused",
            obj=document,
            message=_("Only people it is routed to can add notes to this document."),
        )
    if not (text or "").strip():
        raise DomainError(_("Write the note."), field="text")
    refuse_if_archived(document, field="text")
    file = (
        file_row(actor=actor, document=document, upload=upload, role=FileRole.NOTE)
        if upload
        else None
    )
    note = Note.objects.create(document=document, author=actor, text=text.strip(), file=file)
    reindex(document)
    audit_record(
        actor=actor,
        action="registry.note.created",
        obj=document,
        changes={"note": note.pk, "file": file.filename if file else ""},
    )
    return note


@atomic_service
def clerk_grant(*, actor, registry, person, start_date, end_date=None) -> RegistryClerk:
    """The Director allows someone else to register documents in the registry."""
    post = permissions.director_post(actor, registry)
    if post is None and not actor.is_superuser:
        refuse(
            actor=actor,
            action="registry.clerk.grant_refused",
            obj=registry,
            message=_("Only the Director decides who keeps the registry."),
        )
    if end_date is not None and end_date < start_date:
        raise DomainError(_("The end date cannot be before the start date."), field="end_date")
    grant = RegistryClerk.objects.create(
        registry=registry,
        person=person,
        start_date=start_date,
        end_date=end_date,
        granted_by=actor,
    )
    org_permissions.clear_cache(person)
    audit_record(
        actor=actor,
        action="registry.clerk.granted",
        obj=grant,
        changes={"person": str(person), "start_date": start_date, "end_date": end_date},
        acting_for=acting_for(post),
    )
    return grant


def document_mark_done_if_finished(document: Document) -> bool:
    """A document whose for-action work is all finished is done (ready for the archive).

    Finished: at least one for-action routing closed, and none still open. One routed on
    is carried by its child; one returned (iade) goes back to whoever routed it and no
    longer holds the document open. For-information routings never block.
    """
    from ..choices import Purpose, RoutingStatus

    statuses = set(
        document.routings.filter(purpose=Purpose.ACTION).values_list("status", flat=True)
    )
    if RoutingStatus.CLOSED not in statuses or RoutingStatus.OPEN in statuses:
        return False
    if document.status == DocumentStatus.DONE:
        return False
    document.status = DocumentStatus.DONE
    document.done_at = timezone.now()
    document.save(update_fields=["status", "done_at"])
    audit_record(
        actor=None, action="registry.document.done", obj=document, object_repr=document.number_label
    )
    return True


@atomic_service
def outgoing_registration_cancel(*, actor, document: Document, reason: str) -> Document:
    """Cancel an outgoing registration whose letter was never signed (a preparation for
    e-imza abandoned because the letter was returned or changed).

    The number stays taken (numbers are never reused): the record is closed (done) with a
    note "Cancelled: <reason>" and an audit event, so it does not dangle as open work. The
    correspondence service decides; call inside its transaction.
    """
    if document.direction != Direction.OUTGOING:
        raise DomainError(_("Only an outgoing registration can be cancelled."), field="document")
    text = _("Cancelled: %(reason)s") % {"reason": (reason or "").strip() or "—"}
    Note.objects.create(document=document, author=actor, text=text)
    document.status = DocumentStatus.DONE
    document.done_at = timezone.now()
    document.save(update_fields=["status", "done_at"])
    reindex(document)
    audit_record(
        actor=actor,
        action="registry.document.cancelled",
        obj=document,
        reason=reason,
        changes={"number": document.number_label, "sayi": document.sayi},
        object_repr=document.number_label,
    )
    return document


def outgoing_register_signed(
    *,
    actor,
    registry,
    party_kind,
    party_name,
    party_identifier="",
    party_unit=None,
    subject,
    sdp_code,
    secrecy,
    urgency,
    urgency_date,
    sayi_for,
    acting_post=None,
) -> Document:
    """Register a letter as outgoing at the moment it is signed (correspondence, RYY art. 11).

    The signature is the authority here, not the registry clerk: the caller (the signing
    service) has checked that ``actor`` is the required signer. ``sayi_for(number)`` builds the
    Sayı from the registry number taken in this same transaction. Call inside that transaction.
    """
    now = timezone.now()
    year, number = next_registry_number(registry, timezone.localdate(now))
    document = Document(
        registry=registry,
        registry_year=year,
        registry_number=number,
        direction=Direction.OUTGOING,
        medium=Medium.ELECTRONIC,
        registered_at=now,
        registered_by=actor,
        party_kind=party_kind,
        party_name=party_name[:300],
        party_identifier=party_identifier,
        party_unit=party_unit,
        sayi=sayi_for(number),
        document_date=timezone.localdate(now),
        subject=subject[:500],
        sdp_code=sdp_code[:30],
        secrecy=secrecy,
        urgency=urgency,
        urgency_date=urgency_date,
    )
    document.search_text = search_text_of(document)
    document.save(force_insert=True)
    audit_record(
        actor=actor,
        action="registry.document.registered",
        obj=document,
        changes={
            "registry": registry.name,
            "number": document.number_label,
            "direction": Direction.OUTGOING,
            "sayi": document.sayi,
            "signed_letter": True,
        },
        acting_for=acting_for(acting_post),
        object_repr=document.number_label
        if secrecy in RESTRICTED_SECRECY
        else f"{document.number_label} {document.subject}",
    )
    return document
