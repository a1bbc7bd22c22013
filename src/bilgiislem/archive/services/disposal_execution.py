"""Carrying out an approved disposal list, and deleting the bytes (RYY art. 13(ç)).

In one transaction: every folder still on the list is checked again (a hold placed since, a
disposition changed to transfer or keep, a retention extended: the WHOLE execution is
refused, naming the folders); the records go to ``disposing``; their files' extracted text
is cleared and their search text cut back to the description (number, subject, parties,
dates, file code), which takes them out of the full-text index (FTS5 triggers and the
PostgreSQL GIN index follow the column); the records become ``disposed`` and the folders
``disposed``; the list and minute PDFs are stored and the list is closed, to be kept 10 years.
Document rows, file rows (name, size, SHA-256), routings and the audit trail stay.

The bytes are deleted only after the commit (``transaction.on_commit``): a rollback never
loses content. What must be deleted is derivable from the database at any time (the files
of disposed records), so ``disposal_purge`` is idempotent: the daily task and the
``disposal_purge`` command repeat it after a crash between the commit and the deletion.

The store is content-addressed and shared: a blob is deleted only when nothing that is kept
still points to the same SHA-256 (another document's file, a letter's annex, a signing
preparation, a dispatch package; ``BLOB_REFERENCES``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import io
import logging

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from bilgiislem.audit.services import audit_record
from bilgiislem.core import storage
from bilgiislem.core.errors import DomainError
from bilgiislem.registry.models import Document, DocumentFile
from bilgiislem.registry.services._common import atomic_service, refuse, search_text_of

from .. import disposal_access as access
from .. import disposal_pdf
from ..choices import DISPOSABLE, DisposalListState, DisposalState, FolderStage
from ..models import ArchivedRecord, DisposalItem, DisposalList, Folder
from ..signals import records_disposed
from . import disposal as candidates

logger = logging.getLogger(__name__)

S = DisposalListState
# Where else a blob may be referenced: (model label, SHA-256 field, path to the registry
# document the row belongs to or None). A reference whose document is being disposed of does
# not keep the blob; any other does. Models of apps not installed are skipped. Extend with
# the setting BILGIISLEM_BLOB_REFERENCES (same shape).
BLOB_REFERENCES = (
    ("registry.DocumentFile", "sha256", "document"),
    ("correspondence.LetterAnnex", "sha256", "letter__document"),
    ("correspondence.SigningPreparation", "sha256", "document"),
    ("correspondence.ApprovalStep", "signature_sha256", "letter__document"),
    ("correspondence.Dispatch", "package_sha256", "letter__document"),
    ("archive.DisposalList", "list_sha256", None),
    ("archive.DisposalList", "minute_sha256", None),
)
PDF_MAX_BYTES = 200 * 1024 * 1024
SEARCH_BATCH = 500
HASH_CHUNK = 500


def _blob_references():
    return tuple(BLOB_REFERENCES) + tuple(getattr(settings, "BILGIISLEM_BLOB_REFERENCES", ()))


# --- checks before carrying out ---------------------------------------------------------------


def execution_blockers(disposal_list: DisposalList) -> list[tuple[DisposalItem, str]]:
    """The folders on the list that may not be destroyed now, each with the reason."""
    items = list(
        disposal_list.items.filter(removed=False).select_related("folder").order_by("code", "pk")
    )
    held = candidates.held_folder_ids(i.folder_id for i in items)
    blocked = []
    for item in items:
        folder = item.folder
        if folder.pk in held:
            blocked.append((item, _("under a legal hold")))
        elif folder.disposition not in DISPOSABLE:
            blocked.append((item, _("its disposition does not allow destruction")))
        elif folder.stage not in candidates.ARCHIVE_STAGES:
            blocked.append((item, _("not in the archive any more")))
        elif folder.retention_until is None or folder.retention_until >= disposal_list.year:
            blocked.append((item, _("its retention is not over")))
    return blocked


def _clean_minute(method, place, carried_out_on, participants, disposal_list):
    method = (method or "").strip()
    if not method:
        raise DomainError(_("Say how the paper was destroyed."), field="method")
    place = (place or "").strip()
    if not place:
        raise DomainError(_("Say where the disposal took place."), field="place")
    today = timezone.localdate()
    carried_out_on = carried_out_on or today
    if carried_out_on > today:
        raise DomainError(_("The date cannot be in the future."), field="carried_out_on")
    if disposal_list.approved_at and carried_out_on < timezone.localdate(disposal_list.approved_at):
        raise DomainError(
            _("The disposal cannot precede the superior's approval."), field="carried_out_on"
        )
    names = tuple(n.strip()[:200] for n in (participants or ()) if n and n.strip())
    if not names:
        names = tuple(
            m.person.get_full_name() or m.person.get_username()
            for m in disposal_list.commission.members.select_related("person").order_by(
                "role", "pk"
            )
        )
    return method[:500], place[:300], carried_out_on, names


def _keep_until(day: datetime.date) -> datetime.date:
    years = access.keep_years()
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _store_pdf(data: bytes, created: list) -> str:
    stored = storage.store_stream(io.BytesIO(data), max_bytes=PDF_MAX_BYTES)
    if stored.created:
        created.append(stored.sha256)
    return stored.sha256


# --- carrying out ---------------------------------------------------------------------------


@atomic_service
def disposal_execute(
    *,
    actor,
    disposal_list: DisposalList,
    method: str,
    place: str,
    carried_out_on: datetime.date | None = None,
    participants=(),
) -> DisposalList:
    """Carry out an approved list (the chair, or an archive officer keeping the folders)."""
    disposal_list = (
        DisposalList.objects.select_for_update(of=("self",))
        .select_related("commission", "approved_by")
        .get(pk=disposal_list.pk)
    )
    item_folders = DisposalItem.objects.filter(disposal_list=disposal_list, removed=False)
    unit_ids = set(item_folders.values_list("folder__unit_id", flat=True))
    carried_out_as = access.executor_post(actor, disposal_list, unit_ids)
    if carried_out_as is None:
        refuse(
            actor=actor,
            action="archive.disposal_list.refused",
            obj=disposal_list,
            message=_(
                "Only the chair of the commission or the archive officer carries out a disposal."
            ),
        )
    if disposal_list.state != S.APPROVED:
        raise DomainError(_("Only a list approved by the authorised superior can be carried out."))
    method, place, carried_out_on, names = _clean_minute(
        method, place, carried_out_on, participants, disposal_list
    )
    blocked = execution_blockers(disposal_list)
    if blocked:
        raise DomainError(
            _("The disposal is refused; take these folders off the list first: %(folders)s")
            % {
                "folders": "; ".join(
                    f"{item.code} {item.title} ({item.folder_year}) — {reason}"
                    for item, reason in blocked
                )
            }
        )
    now = timezone.now()
    folder_ids = item_folders.values("folder_id")
    records = ArchivedRecord.objects.filter(folder_id__in=folder_ids)
    records.filter(disposal_state=DisposalState.KEPT).update(disposal_state=DisposalState.DISPOSING)
    disposing = records.filter(disposal_state=DisposalState.DISPOSING)
    documents = Document.objects.filter(pk__in=disposing.values("document_id"))
    files = DocumentFile.objects.filter(document__in=documents)
    totals = files.aggregate(n=Count("id"), size=Sum("size"))
    files.exclude(extracted_text="").update(extracted_text="")
    _cut_search_text(documents)
    document_ids = list(disposing.values_list("document_id", flat=True))
    record_count = disposing.update(disposal_state=DisposalState.DISPOSED, disposed_at=now)
    folders = list(Folder.objects.filter(pk__in=folder_ids).select_related("code"))
    Folder.objects.filter(pk__in=[f.pk for f in folders]).update(stage=FolderStage.DISPOSED)
    for folder in folders:
        audit_record(
            actor=actor,
            action="archive.folder.disposed",
            obj=folder,
            changes={"stage": [folder.stage, FolderStage.DISPOSED], "list": disposal_list.pk},
        )
    # Higher apps (correspondence) dispose of the content they hold for these documents.
    records_disposed.send(
        sender=DisposalList, disposal_list=disposal_list, document_ids=document_ids, actor=actor
    )

    facts = disposal_pdf.MinuteFacts(
        method=method,
        place=place,
        carried_out_on=carried_out_on,
        participants=names,
        carried_out_by=f"{actor.get_full_name() or actor.get_username()} ({carried_out_as})",
        folders=len(folders),
        documents=sum(item_folders.values_list("document_count", flat=True)),
        records=record_count,
        files=totals["n"] or 0,
        bytes=totals["size"] or 0,
    )
    created: list[str] = []
    try:
        disposal_list.state = S.EXECUTED  # shown on the stored list
        list_sha256 = _store_pdf(disposal_pdf.list_pdf(disposal_list), created)
        minute_sha256 = _store_pdf(
            disposal_pdf.minute_pdf(disposal_list, facts, list_sha256), created
        )
        disposal_list.executed_by = actor
        disposal_list.executed_at = now
        disposal_list.list_sha256 = list_sha256
        disposal_list.minute_sha256 = minute_sha256
        disposal_list.keep_until = _keep_until(carried_out_on)
        disposal_list.save(
            update_fields=[
                "state",
                "executed_by",
                "executed_at",
                "list_sha256",
                "minute_sha256",
                "keep_until",
            ]
        )
        audit_record(
            actor=actor,
            action="archive.disposal_list.executed",
            obj=disposal_list,
            changes={
                "state": S.EXECUTED,
                "folders": facts.folders,
                "documents": facts.documents,
                "records": facts.records,
                "files": facts.files,
                "bytes": facts.bytes,
                "method": method,
                "place": place,
                "carried_out_on": carried_out_on,
                "participants": list(names),
                "list_sha256": list_sha256,
                "minute_sha256": minute_sha256,
            },
        )
    except BaseException:
        _unlink(created)
        raise
    list_id = disposal_list.pk
    transaction.on_commit(lambda: _purge_after_commit(list_id), robust=True)
    return disposal_list


def _cut_search_text(documents) -> None:
    """Search text back to the description only: the content leaves the full-text index."""
    batch = []
    for document in documents.only(
        "id",
        "registry_year",
        "registry_number",
        "subject",
        "party_name",
        "party_identifier",
        "sayi",
        "sdp_code",
        "paper_location",
        "search_text",
    ).iterator(chunk_size=2000):
        text = search_text_of(document)
        if text != document.search_text:
            document.search_text = text
            batch.append(document)
        if len(batch) >= SEARCH_BATCH:
            Document.objects.bulk_update(batch, ["search_text"])
            batch = []
    if batch:
        Document.objects.bulk_update(batch, ["search_text"])


def _unlink(hashes) -> None:
    for sha256 in hashes:
        with contextlib.suppress(FileNotFoundError):
            storage.blob_path(sha256).unlink()


# --- deleting the bytes ------------------------------------------------------------------------


@dataclasses.dataclass
class PurgeResult:
    deleted: int = 0  # blobs removed now
    bytes: int = 0
    absent: int = 0  # already gone (an earlier run, or never stored)
    shared: int = 0  # kept: something that is not disposed of points to the same bytes


def _disposed_documents():
    gone = (DisposalState.DISPOSING, DisposalState.DISPOSED)
    return ArchivedRecord.objects.filter(disposal_state__in=gone).values("document_id")


def still_referenced(hashes: list[str]) -> set[str]:
    """Which of these blobs something kept still points to (also used by the receivers of
    ``records_disposed``)."""
    disposed = _disposed_documents()
    kept: set[str] = set()
    for label, field, document_path in _blob_references():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        rows = model._default_manager.filter(**{f"{field}__in": hashes})
        if document_path:
            rows = rows.exclude(**{f"{document_path}__in": disposed})
        kept |= set(rows.values_list(field, flat=True).distinct())
    return kept


def disposal_purge(*, disposal_list: DisposalList | None = None) -> PurgeResult:
    """Delete the stored bytes of disposed records (of one list, or of every list).

    Idempotent: a blob already gone counts as ``absent``. Each chunk's check and deletion run
    in one transaction, which on SQLite (immediate transactions) keeps a concurrent upload of
    the same bytes from committing its reference in between.
    """
    records = ArchivedRecord.objects.filter(disposal_state=DisposalState.DISPOSED)
    if disposal_list is not None:
        records = records.filter(
            folder_id__in=DisposalItem.objects.filter(
                disposal_list=disposal_list, removed=False
            ).values("folder_id")
        )
    hashes = sorted(
        set(
            DocumentFile.objects.filter(document_id__in=records.values("document_id"))
            .values_list("sha256", flat=True)
            .distinct()
        )
    )
    result = PurgeResult()
    for start in range(0, len(hashes), HASH_CHUNK):
        chunk = hashes[start : start + HASH_CHUNK]
        with transaction.atomic():
            kept = still_referenced(chunk)
            result.shared += len(kept)
            for sha256 in chunk:
                if sha256 in kept:
                    continue
                path = storage.blob_path(sha256)
                try:
                    size = path.stat().st_size
                    path.unlink()
                except FileNotFoundError:
                    result.absent += 1
                    continue
                result.deleted += 1
                result.bytes += size
    if result.deleted:
        with transaction.atomic():
            audit_record(
                actor=None,
                action="archive.disposal.purged",
                obj=disposal_list,
                changes={"blobs": result.deleted, "bytes": result.bytes, "shared": result.shared},
            )
    return result


def _purge_after_commit(list_id: int) -> None:
    disposal_list = DisposalList.objects.filter(pk=list_id).first()
    if disposal_list is None:
        return
    result = disposal_purge(disposal_list=disposal_list)
    logger.info(
        "Disposal list %s: %d blobs deleted (%d bytes), %d shared, %d already gone.",
        list_id,
        result.deleted,
        result.bytes,
        result.shared,
        result.absent,
    )
