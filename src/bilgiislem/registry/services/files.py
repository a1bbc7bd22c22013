"""Files of documents: stored by SHA-256, checked for type and size, never rewritten."""

import contextlib
import contextvars
import io

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from bilgiislem.core import pdftext, storage
from bilgiislem.core.errors import DomainError

from ..choices import FileRole
from ..models import Document, DocumentFile

# SHA-256 of the blobs the current service wrote (None outside a service): removed again if
# the service fails, so that a refused registration leaves no file behind (issue 3, Files).
_new_blobs: contextvars.ContextVar[list | None] = contextvars.ContextVar(
    "registry_new_blobs", default=None
)


@contextlib.contextmanager
def new_blobs_removed_on_error():
    """Collect the blobs written inside; on an error remove those no file row points to.

    Nested uses share the outermost list, so the outermost failure cleans everything up.
    """
    created = _new_blobs.get()
    token = None
    if created is None:
        created = []
        token = _new_blobs.set(created)
    try:
        yield created
    except BaseException:
        if created:
            _remove_unreferenced(created)
            created.clear()
        raise
    finally:
        if token is not None:
            _new_blobs.reset(token)


def _remove_unreferenced(hashes) -> None:
    # Runs after the rollback: rows of the failed action are gone, rows committed by others
    # (the same bytes uploaded elsewhere) keep their blob.
    kept = set(DocumentFile.objects.filter(sha256__in=hashes).values_list("sha256", flat=True))
    for sha256 in set(hashes) - kept:
        with contextlib.suppress(FileNotFoundError):
            storage.blob_path(sha256).unlink()


def _note_created(stored) -> None:
    created = _new_blobs.get()
    if stored.created and created is not None:
        created.append(stored.sha256)


def check_upload(upload, *, allowed_extensions=None) -> None:
    """Refuse an empty, oversize or mistyped upload before anything is numbered or written."""
    if upload is None or not getattr(upload, "name", ""):
        raise DomainError(_("Choose a file."), field="file")
    head = upload.read(storage.SNIFF_BYTES)
    upload.seek(0)
    if not head:
        raise DomainError(_("“%(name)s” is empty.") % {"name": upload.name}, field="file")
    extensions = allowed_extensions or settings.BILGIISLEM_UPLOAD_EXTENSIONS
    storage.check_type(upload.name, head, extensions)
    size = getattr(upload, "size", None)
    if size is not None and size > settings.BILGIISLEM_UPLOAD_MAX_BYTES:
        limit = filesizeformat(settings.BILGIISLEM_UPLOAD_MAX_BYTES)
        raise DomainError(
            _("“%(name)s” is larger than the limit of %(limit)s.")
            % {"name": upload.name, "limit": limit},
            field="file",
        )


def store_upload(upload, *, allowed_extensions=None):
    """Check an uploaded file's name, type and size, and store its bytes.

    Returns (StoredFile, content_type, extracted_text). Nothing is kept on refusal.
    """
    head = upload.read(storage.SNIFF_BYTES)
    upload.seek(0)
    extensions = allowed_extensions or settings.BILGIISLEM_UPLOAD_EXTENSIONS
    storage.check_type(upload.name, head, extensions)
    stored = storage.store_stream(
        upload,
        max_bytes=settings.BILGIISLEM_UPLOAD_MAX_BYTES,
        filename=upload.name,
        allowed_extensions=extensions,
    )
    _note_created(stored)
    content_type = storage.sniff_content_type(head, upload.name)
    text = ""
    if content_type == "application/pdf":
        text = pdftext.extract_text(storage.open_verified(stored.sha256))
    return stored, content_type, text


def refuse_if_archived(document: Document, *, field: str = "file") -> None:
    """An archived record's files, notes and text never change: the archive's database
    triggers refuse it (archive/db_records.py); refuse first with a clear message. The
    registry cannot import the archive (layers), so its reverse relation is asked by name."""
    if (
        document.pk
        and Document.objects.filter(pk=document.pk, archived_record__isnull=False).exists()
    ):
        raise DomainError(
            _("This document is in the archive and cannot change; register a correction."),
            field=field,
        )


def file_row(*, actor, document: Document, upload, role: str = FileRole.MAIN) -> DocumentFile:
    """Store an upload and record it as a file of the document (inside the caller's transaction)."""
    refuse_if_archived(document)
    stored, content_type, text = store_upload(upload)
    return DocumentFile.objects.create(
        document=document,
        role=role,
        filename=upload.name[:255],
        content_type=content_type,
        size=stored.size,
        sha256=stored.sha256,
        uploaded_by=actor,
        extracted_text=text,
    )


def file_row_from_bytes(*, actor, document, data: bytes, filename: str, role: str, content_type):
    """Record bytes that came inside a checked package (e-Yazışma parts are kept untouched)."""
    refuse_if_archived(document)
    stored = storage.store_stream(io.BytesIO(data), max_bytes=settings.BILGIISLEM_EYP_MAX_BYTES)
    _note_created(stored)
    text = pdftext.extract_text(data) if content_type == "application/pdf" else ""
    return DocumentFile.objects.create(
        document=document,
        role=role,
        filename=filename[:255],
        content_type=content_type,
        size=stored.size,
        sha256=stored.sha256,
        uploaded_by=actor,
        extracted_text=text,
    )
