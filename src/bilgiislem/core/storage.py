"""Content-addressed file storage: blobs named by their SHA-256, written once, checked on read.

Layout: ``<MEDIA_ROOT>/blobs/ab/cd/<sha256>`` where ``ab`` and ``cd`` are the first two pairs
of hex digits. Temporary files live in ``<MEDIA_ROOT>/blobs/tmp/`` so the final rename never
crosses a file system.

A blob is written by streaming into a temporary file while hashing, ``fsync`` of the file,
an atomic rename to its final name and ``fsync`` of the directory: after ``store_stream``
returns, the bytes survive a crash, and a reader never sees a half-written blob. The caller
saves its database row only after that (issue 3, "Files"). The same bytes are stored once;
a stored blob is never rewritten except to repair one whose size proves it damaged.

Uploads are checked twice: ``check_type`` (the extension is allowed and the content is what
the extension says) and the size limit. Both refuse with ``DomainError(field="file")``
before anything is left on disk.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import BinaryIO

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from bilgiislem.core.errors import DomainError

__all__ = [
    "CHUNK_SIZE",
    "DEFAULT_UPLOAD_EXTENSIONS",
    "DEFAULT_UPLOAD_MAX_BYTES",
    "SNIFF_BYTES",
    "BlobMissingError",
    "StorageCorruptionError",
    "StoredFile",
    "blob_path",
    "blob_root",
    "blob_size",
    "check_type",
    "iter_verified",
    "open_verified",
    "sniff_content_type",
    "store_stream",
    "upload_extensions",
    "upload_max_bytes",
]

logger = logging.getLogger(__name__)

CHUNK_SIZE = 1024 * 1024
# How much of the head ``sniff_content_type`` needs; ``store_stream`` checks the first chunk.
SNIFF_BYTES = 8192
DEFAULT_UPLOAD_MAX_BYTES = 25 * 1024 * 1024
DEFAULT_UPLOAD_EXTENSIONS = (
    ".pdf",
    ".png",
    ".jpg",
    ".jpeg",
    ".tif",
    ".tiff",
    ".xml",
    ".txt",
    ".eyp",
    ".docx",
    ".xlsx",
    ".odt",
    ".ods",
    ".zip",
)

_SHA256_RE = re.compile(r"[0-9a-f]{64}")


class StorageCorruptionError(Exception):
    """A stored blob does not match its SHA-256 (damaged on disk) or cannot be read."""

    def __init__(self, sha256: str, reason: str):
        self.sha256 = sha256
        self.reason = reason
        super().__init__(f"Blob {sha256}: {reason}")


class BlobMissingError(StorageCorruptionError):
    """A blob a database row points to is not on disk."""


@dataclass(frozen=True)
class StoredFile:
    """A blob on disk. ``created`` is False when identical bytes were already stored."""

    sha256: str
    size: int
    path: Path
    created: bool = True


# --- settings, read at call time so tests and deployments can change them -----------------


def upload_max_bytes() -> int:
    return int(getattr(settings, "BILGIISLEM_UPLOAD_MAX_BYTES", DEFAULT_UPLOAD_MAX_BYTES))


def upload_extensions() -> tuple[str, ...]:
    raw = getattr(settings, "BILGIISLEM_UPLOAD_EXTENSIONS", None) or DEFAULT_UPLOAD_EXTENSIONS
    return tuple(_normalise_extension(e) for e in raw)


def blob_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "blobs"


def blob_path(sha256: str) -> Path:
    """Where the blob with this hash lives. Refuses anything but 64 lower-case hex digits,
    so a hash taken from a request can never name a path outside the store."""
    if not isinstance(sha256, str) or not _SHA256_RE.fullmatch(sha256):
        raise ValueError("Not a SHA-256 hex digest.")
    # One level of 256 shards, as git does: few enough that the shard directories exist
    # (and are fsynced) once, early; ext4's hashed directories take millions of entries.
    return blob_root() / sha256[:2] / sha256


# --- content types -------------------------------------------------------------------------

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
TIFF = "image/tiff"
GIF = "image/gif"
ZIP = "application/zip"
XML = "application/xml"
TEXT = "text/plain"
HTML = "text/html"
SVG = "image/svg+xml"
EXECUTABLE = "application/x-msdownload"
ELF = "application/x-executable"
OCTET = "application/octet-stream"

# ZIP containers, told apart by extension only (their first bytes are the same).
_ZIP_TYPES = {
    ".zip": ZIP,
    ".eyp": ZIP,  # e-Yazışma package: an OPC (Open Packaging Conventions) ZIP
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
}

# What each extension's content must sniff as. An allowed extension missing here is
# accepted with any content that is not active (HTML, SVG, an executable).
_EXPECTED = {
    ".pdf": {PDF},
    ".png": {PNG},
    ".jpg": {JPEG},
    ".jpeg": {JPEG},
    ".tif": {TIFF},
    ".tiff": {TIFF},
    ".gif": {GIF},
    ".xml": {XML},
    ".txt": {TEXT},
    ".csv": {TEXT},
    **{ext: {mime} for ext, mime in _ZIP_TYPES.items()},
}
_ACTIVE = {HTML, SVG, EXECUTABLE, ELF, "application/xhtml+xml"}

_HTML_STARTS = (
    b"<!doctype html",
    b"<html",
    b"<head",
    b"<body",
    b"<script",
    b"<iframe",
    b"<meta",
    b"<style",
    b"<title",
    b"<a ",
    b"<div",
    b"<img",
    b"<svg",
    b"<!--",
)


def _normalise_extension(ext: str) -> str:
    ext = str(ext).strip().lower()
    return ext if ext.startswith(".") else f".{ext}"


def _extension(filename: str) -> str:
    # PurePath strips directories a browser may send ("C:\\fakepath\\x.pdf" → handled below).
    name = PurePath(str(filename).replace("\\", "/")).name
    return PurePath(name).suffix.lower()


def _display_name(filename: str) -> str:
    name = PurePath(str(filename).replace("\\", "/")).name
    name = "".join(ch for ch in name if ch.isprintable())
    return name if len(name) <= 120 else name[:117] + "…"


# C0 control bytes that never occur in text (tab, line feeds, form feed, ESC and the DOS
# end-of-file mark do).
_BINARY_BYTES = bytes(set(range(32)) - {9, 10, 11, 12, 13, 26, 27})


def _is_utf8_text(head: bytes) -> bool:
    if head.translate(None, _BINARY_BYTES) != head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # The head may end in the middle of a multi-byte letter ("ş" is two bytes).
        if exc.reason != "unexpected end of data" or exc.start < len(head) - 3:
            return False
    return True


def sniff_content_type(first_bytes: bytes, filename: str = "") -> str:
    """The MIME type the content shows by its first bytes (``SNIFF_BYTES`` are plenty).

    Recognised: PDF, PNG, JPEG, TIFF, GIF, ZIP containers (named by the extension of
    ``filename``: .eyp, .docx, .xlsx, .odt, .ods, else application/zip), XML (an SVG or
    XHTML document is reported as such), HTML, Windows and ELF executables, and UTF-8 text
    (no NUL or other binary control bytes). Text in another encoding (Windows-1254) is not
    recognised as text. Anything else is ``application/octet-stream``.
    """
    head = bytes(first_bytes[:SNIFF_BYTES])
    ext = _extension(filename) if filename else ""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return TIFF
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _ZIP_TYPES.get(ext, ZIP)
    if head.startswith(b"MZ"):
        return EXECUTABLE
    if head.startswith(b"\x7fELF"):
        return ELF
    if not _is_utf8_text(head):
        return OCTET
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    if text.startswith(b"<?xml"):
        if b"<svg" in text:
            return SVG
        if b"<html" in text or b"http://www.w3.org/1999/xhtml" in text:
            return "application/xhtml+xml"
        return XML
    if text.startswith(_HTML_STARTS) or b"<script" in text or b"<html" in text:
        return HTML
    if ext == ".xml" and text.startswith(b"<"):
        return XML  # XML without a declaration is still XML
    return TEXT


def check_type(
    filename: str, first_bytes: bytes, allowed_extensions: Iterable[str] | None = None
) -> str:
    """Refuse a file whose extension is not allowed or whose content is not what it claims.

    Returns the content type to store and serve. ``allowed_extensions`` defaults to the
    ``BILGIISLEM_UPLOAD_EXTENSIONS`` setting. Raises ``DomainError(field="file")`` naming
    the file.
    """
    name = _display_name(filename)
    allowed = (
        tuple(_normalise_extension(e) for e in allowed_extensions)
        if allowed_extensions is not None
        else upload_extensions()
    )
    ext = _extension(filename)
    if not ext or ext not in allowed:
        raise DomainError(
            _("“%(name)s” is not an accepted file type. Accepted types: %(extensions)s.")
            % {"name": name, "extensions": ", ".join(allowed)},
            field="file",
        )
    sniffed = sniff_content_type(first_bytes, filename)
    expected = _EXPECTED.get(ext)
    if expected is None:
        if sniffed in _ACTIVE:
            raise _mismatch(name, ext)
        return sniffed
    if sniffed not in expected:
        raise _mismatch(name, ext)
    return sniffed


def _mismatch(name: str, ext: str) -> DomainError:
    return DomainError(
        _("The content of “%(name)s” is not a %(extension)s file.")
        % {"name": name, "extension": ext},
        field="file",
    )


# --- writing -------------------------------------------------------------------------------


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _makedirs_durable(path: Path) -> None:
    """Create missing directories and fsync each parent, so a new shard survives a crash."""
    missing = []
    p = path
    while not p.exists():
        missing.append(p)
        p = p.parent
    for d in reversed(missing):
        with contextlib.suppress(FileExistsError):
            d.mkdir()
        _fsync_dir(d.parent)


def store_stream(
    fileobj: BinaryIO,
    *,
    max_bytes: int | None = None,
    filename: str | None = None,
    allowed_extensions: Iterable[str] | None = None,
) -> StoredFile:
    """Store the bytes read from ``fileobj`` and return the blob.

    ``max_bytes`` defaults to ``BILGIISLEM_UPLOAD_MAX_BYTES``. When ``filename`` is given,
    the first chunk is run through ``check_type`` before anything is written. Refuses an
    empty or oversize file with ``DomainError(field="file")``; on any error the temporary
    file is removed.
    """
    limit = upload_max_bytes() if max_bytes is None else int(max_bytes)
    display = _display_name(filename) if filename else ""
    tmp_dir = blob_root() / "tmp"
    digest = hashlib.sha256()
    size = 0
    first = fileobj.read(CHUNK_SIZE)
    if not first:
        raise DomainError(
            _("“%(name)s” is empty.") % {"name": display} if display else _("The file is empty."),
            field="file",
        )
    if filename is not None:
        check_type(filename, first, allowed_extensions)
    _makedirs_durable(tmp_dir)
    fd, tmp_name = tempfile.mkstemp(dir=tmp_dir, prefix="upload-", suffix=".part")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            chunk = first
            while chunk:
                size += len(chunk)
                if size > limit:
                    raise _too_large(display, limit)
                digest.update(chunk)
                out.write(chunk)
                chunk = fileobj.read(CHUNK_SIZE)
            out.flush()
            os.fsync(out.fileno())
        sha256 = digest.hexdigest()
        final = blob_path(sha256)
        if final.exists():
            existing = final.stat().st_size
            if existing == size:
                tmp.unlink()
                return StoredFile(sha256=sha256, size=size, path=final, created=False)
            # The name proves what the bytes must be; ours hash to it, the stored ones are
            # damaged. Replacing them restores the original, it does not rewrite it.
            logger.error(
                "Blob %s has %d bytes on disk, expected %d; replacing it with the verified copy.",
                sha256,
                existing,
                size,
            )
        _makedirs_durable(final.parent)
        # Two uploads of the same bytes may race here; both renames put identical content
        # in place, so the loser overwriting the winner is harmless.
        os.replace(tmp, final)
        _fsync_dir(final.parent)
        return StoredFile(sha256=sha256, size=size, path=final, created=True)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def _too_large(display: str, limit: int) -> DomainError:
    values = {"name": display, "limit": filesizeformat(limit)}
    if display:
        message = _("“%(name)s” is larger than the limit of %(limit)s.") % values
    else:
        message = _("The file is larger than the limit of %(limit)s.") % values
    return DomainError(message, field="file")


# --- reading -------------------------------------------------------------------------------


def _open_blob(sha256: str) -> BinaryIO:
    path = blob_path(sha256)
    try:
        return path.open("rb")
    except FileNotFoundError as exc:
        raise BlobMissingError(sha256, "missing from storage") from exc
    except OSError as exc:
        raise StorageCorruptionError(sha256, f"cannot be read ({exc.strerror})") from exc


def _iter_file(sha256: str, handle: BinaryIO, chunk_size: int) -> Iterator[bytes]:
    """Yield the file's chunks and raise at the end if they do not hash to ``sha256``."""
    digest = hashlib.sha256()
    while chunk := handle.read(chunk_size):
        digest.update(chunk)
        yield chunk
    if digest.hexdigest() != sha256:
        raise StorageCorruptionError(sha256, f"content hashes to {digest.hexdigest()}")


def open_verified(sha256: str) -> bytes:
    """The blob's bytes, after checking that they hash to ``sha256``."""
    with _open_blob(sha256) as handle:
        return b"".join(_iter_file(sha256, handle, CHUNK_SIZE))


def iter_verified(sha256: str, *, chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
    """The blob in chunks, checked before the first chunk is yielded.

    The file is read twice (hash, then stream) through one open handle: a blob is replaced
    only by rename, so the handle's content cannot change between the passes, and a damaged
    blob is refused before a single byte reaches the caller. The second pass is hashed too
    and raises at the end if the disk returned different bytes.
    """
    handle = _open_blob(sha256)
    try:
        for _chunk in _iter_file(sha256, handle, chunk_size):
            pass
        handle.seek(0)
    except BaseException:
        handle.close()
        raise
    return _closing_iter(sha256, handle, chunk_size)


def _closing_iter(sha256: str, handle: BinaryIO, chunk_size: int) -> Iterator[bytes]:
    with handle:
        yield from _iter_file(sha256, handle, chunk_size)


def blob_size(sha256: str) -> int:
    """Size on disk, without reading or checking the content."""
    try:
        return blob_path(sha256).stat().st_size
    except FileNotFoundError as exc:
        raise BlobMissingError(sha256, "missing from storage") from exc
