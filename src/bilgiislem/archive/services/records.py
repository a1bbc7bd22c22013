"""Archiving finished documents (RYY art. 13(b)) and correcting archived records.

``record_archive`` (by hand) and ``records_archive_due`` (the daily task, after
BILGIISLEM_ARCHIVE_AFTER_DAYS) declare a done document a record: its main filing is ensured
and the manifest — the SHA-256 of the canonical JSON of its capture metadata and file
hashes — is kept as a fixity reference. From then on the database triggers of
``archive/db_records.py`` refuse any change to its capture metadata and files; a correction
is a new registered document linked with ``record_correct``.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bilgiislem.audit.services import audit_record
from bilgiislem.core.errors import DomainError
from bilgiislem.registry.choices import RESTRICTED_SECRECY, DocumentStatus
from bilgiislem.registry.models import Document
from bilgiislem.registry.services._common import acting_for, atomic_service, refuse

from .. import permissions
from ..models import ArchivedRecord, RecordCorrection
from .folders import ensure_main_filing

log = logging.getLogger(__name__)

# The capture metadata of a record: what the triggers freeze and the manifest covers.
CAPTURE_FIELDS = (
    "registry_id",
    "registry_year",
    "registry_number",
    "direction",
    "medium",
    "registered_at",
    "registered_by_id",
    "party_kind",
    "party_name",
    "party_identifier",
    "party_unit_id",
    "sayi",
    "document_date",
    "subject",
    "sdp_code",
    "secrecy",
    "urgency",
    "urgency_date",
    "source_id",
    "eyp_belge_id",
)
FILE_FIELDS = ("id", "role", "filename", "content_type", "size", "sha256")
MANIFEST_VERSION = 1


def _plain(value):
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def manifest_of(document: Document) -> dict:
    """The capture metadata and the files (by hash) of a document, as plain JSON values."""
    return {
        "manifest": MANIFEST_VERSION,
        "document": {
            "id": document.pk,
            **{f: _plain(getattr(document, f)) for f in CAPTURE_FIELDS},
        },
        "files": [
            {f: getattr(row, f) for f in FILE_FIELDS}
            for row in document.files.order_by("id").only(*FILE_FIELDS)
        ],
        "annexes": list(
            document.annexes.order_by("id").values("id", "kind", "description", "file_id")
        ),
        "references": [
            {k: _plain(v) for k, v in row.items()}
            for row in document.references.order_by("id").values(
                "id", "referenced_id", "sayi", "date", "description"
            )
        ],
    }


def manifest_sha256(manifest: dict) -> str:
    """SHA-256 over the canonical JSON (sorted keys, no spaces, UTF-8)."""
    canonical = json.dumps(manifest, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def record_manifest_matches(record: ArchivedRecord) -> bool:
    """Whether the record's metadata and file hashes still give its manifest SHA-256."""
    return manifest_sha256(manifest_of(record.document)) == record.manifest_sha256


def _archive(*, actor, document: Document, code: str | None, post) -> ArchivedRecord:
    """Archive a locked, visible document (inside the caller's transaction)."""
    if ArchivedRecord.objects.filter(document=document).exists():
        raise DomainError(_("This document is already in the archive."), field="document")
    if document.status != DocumentStatus.DONE:
        raise DomainError(
            _("Only a document whose work is done goes to the archive."), field="document"
        )
    filing = ensure_main_filing(actor=actor, document=document, code=code, post=post)
    manifest = manifest_of(document)
    digest = manifest_sha256(manifest)
    record = ArchivedRecord.objects.create(
        document=document,
        folder=filing.folder,
        archived_at=timezone.now(),
        archived_by=actor,
        manifest_sha256=digest,
    )
    audit_record(
        actor=actor,
        action="archive.record.archived",
        obj=record,
        changes={
            "document": document.number_label,
            "folder": filing.folder_id,
            "code": filing.folder.code.code,
            "year": filing.folder.year,
            "files": len(manifest["files"]),
            "manifest_sha256": digest,
            "automatic": actor is None,
        },
        acting_for=acting_for(post),
        object_repr=document.number_label
        if document.secrecy in RESTRICTED_SECRECY
        else f"{document.number_label} {document.subject}",
    )
    return record


@atomic_service
def record_archive(*, actor, document: Document, code: str | None = None) -> ArchivedRecord:
    """Move a done document to the unit archive by hand (RYY art. 13(b)).

    A document registered without a file plan code needs ``code`` (its main filing).
    """
    post = permissions.filing_post(actor, document)
    if post is None and not actor.is_superuser:
        refuse(
            actor=actor,
            action="archive.record.archive_refused",
            obj=document,
            message=_("Only the archive officer, the registry or the Director archives documents."),
        )
    document = Document.objects.select_for_update().get(pk=document.pk)
    return _archive(actor=actor, document=document, code=code, post=post)


@dataclass
class ArchiveRun:
    archived: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)


def due_documents(today: datetime.date | None = None):
    """Done documents not yet archived whose work ended more than the configured days ago."""
    today = today or timezone.localdate()
    days = getattr(settings, "BILGIISLEM_ARCHIVE_AFTER_DAYS", 30)
    # Done more than ``days`` days ago: before the start of the day ``days`` days back.
    cutoff = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=days), datetime.time.min)
    )
    return Document.objects.filter(
        status=DocumentStatus.DONE, done_at__lt=cutoff, archived_record__isnull=True
    ).order_by("id")


def records_archive_due(today: datetime.date | None = None) -> ArchiveRun:
    """Archive every document done for more than BILGIISLEM_ARCHIVE_AFTER_DAYS days.

    Each document in its own transaction: one that cannot be filed (no or an unknown file
    plan code) is skipped and stays for the archive officer to file by hand; the others go on.
    """
    run = ArchiveRun()
    for pk in list(due_documents(today).values_list("pk", flat=True)):
        try:
            with transaction.atomic():
                document = Document.objects.select_for_update().get(pk=pk)
                if ArchivedRecord.objects.filter(document=document).exists():
                    continue
                _archive(actor=None, document=document, code=None, post=None)
        except DomainError as exc:
            run.skipped.append((pk, str(exc)))
            log.info("document %s not archived automatically: %s", pk, exc)
        else:
            run.archived += 1
    return run


@atomic_service
def record_correct(
    *, actor, record: ArchivedRecord, correction_document: Document, reason: str
) -> RecordCorrection:
    """Link a newly registered document as the correction of an archived record.

    The record itself never changes; the correction is a record of its own.
    """
    document = record.document
    post = permissions.filing_post(actor, document)
    if post is None and not actor.is_superuser:
        refuse(
            actor=actor,
            action="archive.record.correct_refused",
            obj=record,
            message=_(
                "Only the archive officer, the registry or the Director records corrections."
            ),
        )
    if not (reason or "").strip():
        raise DomainError(_("Give the reason for the correction."), field="reason")
    if correction_document is None:
        raise DomainError(_("Choose the correcting document."), field="correction_document")
    if correction_document.pk == document.pk:
        raise DomainError(
            _("A record cannot correct itself; register the correction as a new document."),
            field="correction_document",
        )
    if correction_document.registered_at < document.registered_at:
        raise DomainError(
            _("The correcting document must be registered after the record it corrects."),
            field="correction_document",
        )
    if RecordCorrection.objects.filter(correction=correction_document).exists():
        raise DomainError(
            _("This document already corrects another record."), field="correction_document"
        )
    correction = RecordCorrection.objects.create(
        original=record,
        correction=correction_document,
        reason=reason.strip(),
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="archive.record.corrected",
        obj=record,
        changes={
            "document": document.number_label,
            "correction": correction_document.number_label,
            "correction_id": correction_document.pk,
        },
        reason=reason.strip(),
        acting_for=acting_for(post),
        object_repr=document.number_label,
    )
    return correction
