"""When the archive disposes of records, the letters behind them lose their content too
(RYY art. 13(ç); the archive's ``records_disposed`` signal, sent inside its transaction).

For every letter whose outgoing registration is disposed of: the text (``Letter.body``) is
emptied, each saved version's content becomes ``{"disposed": true, "number": n}``, and the
bytes it holds — file annexes, e-signed parafs, e-Yazışma packages, the unsigned PDFs prepared
for e-imza — are deleted after the commit. The unsigned PDF of a preparation belongs to the
registration it took, so it goes when that registration is disposed of (an abandoned
preparation's cancelled number is usually in the same folder). Subject, Sayı, dates,
recipients, the chain (who approved, when) and the rows naming the files (name, size,
SHA-256) stay, like the archive's own file rows.

The store is content-addressed and shared: a blob goes only when nothing kept points to the
same SHA-256 (the archive's ``still_referenced``, which also reads
``BILGIISLEM_BLOB_REFERENCES``). What to delete is derivable from the database, so
``letters_content_purge`` can be run again after a crash between commit and deletion.
"""

from __future__ import annotations

import logging

from django.db import transaction

from bilgiislem.archive.choices import DisposalState
from bilgiislem.archive.models import ArchivedRecord
from bilgiislem.archive.services.disposal_execution import still_referenced
from bilgiislem.audit.services import audit_record
from bilgiislem.core import storage

from .models import ApprovalStep, Dispatch, Letter, LetterAnnex, LetterVersion, SigningPreparation

logger = logging.getLogger(__name__)

DISPOSED = "correspondence.letter.content_disposed"
HASH_CHUNK = 500


def disposed_version(number: int) -> dict:
    return {"disposed": True, "number": number}


def _by_letter(model, field: str, letter_ids) -> dict[int, list[str]]:
    """Letter id → the distinct SHA-256 values ``field`` of its ``model`` rows hold."""
    found: dict[int, set[str]] = {}
    rows = model.objects.filter(letter_id__in=letter_ids).exclude(**{field: ""})
    for letter_id, sha256 in rows.values_list("letter_id", field):
        found.setdefault(letter_id, set()).add(sha256)
    return {letter_id: sorted(hashes) for letter_id, hashes in found.items()}


# What a letter holds in the store, besides its signed PDF (a registry file, which the
# archive deletes itself): audit key → (model, SHA-256 field).
LETTER_BLOBS = {
    "annexes": (LetterAnnex, "sha256"),
    "paraf_signatures": (ApprovalStep, "signature_sha256"),
    "packages": (Dispatch, "package_sha256"),
}


def letters_content_dispose(*, actor, document_ids, disposal_list=None) -> list[int]:
    """Clear the content of the letters registered as ``document_ids`` (inside the caller's
    transaction) and delete their bytes after the commit. Returns the letters' ids."""
    document_ids = list(document_ids)
    letters = list(
        Letter.objects.select_for_update()
        .filter(document_id__in=document_ids)
        .select_related("document")
        .order_by("pk")
    )
    ids = [letter.pk for letter in letters]
    # A preparation's PDF goes with the registration it took (for an abandoned one, a
    # cancelled number), whichever letter it belongs to.
    prepared: dict[int, set[str]] = {}
    for letter_id, sha256 in SigningPreparation.objects.filter(
        document_id__in=document_ids
    ).values_list("letter_id", "sha256"):
        prepared.setdefault(letter_id, set()).add(sha256)
    blobs = {key: _by_letter(model, field, ids) for key, (model, field) in LETTER_BLOBS.items()}

    versions = list(
        LetterVersion.objects.filter(letter_id__in=ids).only("id", "letter_id", "number")
    )
    counted: dict[int, int] = {}
    for version in versions:
        version.content = disposed_version(version.number)
        counted[version.letter_id] = counted.get(version.letter_id, 0) + 1
    LetterVersion.objects.bulk_update(versions, ["content"], batch_size=500)
    Letter.objects.filter(pk__in=ids).exclude(body="").update(body="")

    for letter in letters:
        audit_record(
            actor=actor,
            action=DISPOSED,
            obj=letter,
            changes={
                "document": letter.document.number_label,
                "list": getattr(disposal_list, "pk", None),
                "body": bool(letter.body),
                "versions": counted.get(letter.pk, 0),
                **{key: found.get(letter.pk, []) for key, found in blobs.items()},
                "preparations": sorted(prepared.get(letter.pk, ())),
            },
        )
    # A letter whose own registration stays loses only the PDF of an abandoned preparation.
    for letter in Letter.objects.filter(pk__in=list(prepared)).exclude(pk__in=ids).order_by("pk"):
        audit_record(
            actor=actor,
            action=DISPOSED,
            obj=letter,
            changes={
                "list": getattr(disposal_list, "pk", None),
                "body": False,
                "versions": 0,
                "preparations": sorted(prepared[letter.pk]),
            },
        )
    if ids or prepared:
        transaction.on_commit(lambda: letters_content_purge(document_ids=document_ids), robust=True)
    return ids


def _disposed_documents():
    gone = (DisposalState.DISPOSING, DisposalState.DISPOSED)
    return ArchivedRecord.objects.filter(disposal_state__in=gone).values("document_id")


def letters_content_purge(*, document_ids=None) -> dict[str, int]:
    """Delete the bytes of the disposed letters (of these registrations, or of every disposed
    one) that nothing kept points to. Returns counts: deleted, absent, shared."""
    disposed = _disposed_documents()
    if document_ids is not None:
        disposed = disposed.filter(document_id__in=list(document_ids))
    letter_ids = Letter.objects.filter(document_id__in=disposed).values("pk")
    found: set[str] = set()
    for model, field in LETTER_BLOBS.values():
        rows = model.objects.filter(letter_id__in=letter_ids).exclude(**{field: ""})
        found.update(rows.values_list(field, flat=True).distinct())
    preparations = SigningPreparation.objects.filter(document_id__in=disposed)
    found.update(preparations.values_list("sha256", flat=True).distinct())
    hashes = sorted(found)
    result = {"deleted": 0, "absent": 0, "shared": 0}
    for start in range(0, len(hashes), HASH_CHUNK):
        chunk = hashes[start : start + HASH_CHUNK]
        # The check and the deletion in one transaction: on SQLite (immediate transactions)
        # an upload of the same bytes cannot commit its reference in between.
        with transaction.atomic():
            kept = still_referenced(chunk)
            result["shared"] += len(kept)
            for sha256 in chunk:
                if sha256 in kept:
                    continue
                try:
                    storage.blob_path(sha256).unlink()
                except FileNotFoundError:  # an earlier run, or the archive's own purge
                    result["absent"] += 1
                    continue
                result["deleted"] += 1
    if result["deleted"]:
        logger.info("Disposed letters: %(deleted)d blobs deleted, %(shared)d shared.", result)
    return result


def on_records_disposed(sender, *, document_ids, actor, disposal_list=None, **kwargs):
    """Receiver of ``archive.signals.records_disposed`` (connected in ``apps.ready``)."""
    letters_content_dispose(actor=actor, document_ids=document_ids, disposal_list=disposal_list)
