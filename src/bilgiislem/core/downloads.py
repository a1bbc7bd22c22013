"""Serving stored blobs as downloads: always an attachment, never rendered by the browser.

Documents arrive from outside (e-mail, e-Yazışma, scans); an HTML or SVG file opened inline
would run in the application's origin. So every download is ``Content-Disposition:
attachment`` with ``X-Content-Type-Options: nosniff``, a sandboxing CSP, and a content type
that is never HTML-like. The blob is checked against its SHA-256 before the first byte goes out.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

from django.http import StreamingHttpResponse

from bilgiislem.core.storage import blob_size, iter_verified

__all__ = ["attachment_response", "content_disposition", "safe_content_type"]

OCTET = "application/octet-stream"
# Substrings that make a browser (or a plugin) treat content as active.
_ACTIVE_MARKERS = ("html", "svg", "javascript", "ecmascript", "xsl", "multipart", "x-shockwave")

_ASCII_FALLBACK = str.maketrans(
    {
        "ç": "c",
        "Ç": "C",
        "ğ": "g",
        "Ğ": "G",
        "ı": "i",
        "İ": "I",
        "ö": "o",
        "Ö": "O",
        "ş": "s",
        "Ş": "S",
        "ü": "u",
        "Ü": "U",
    }
)


def safe_content_type(content_type: str | None) -> str:
    """The type to send: ``application/octet-stream`` for anything HTML-like or malformed."""
    value = (content_type or "").strip().lower()
    main = value.split(";", 1)[0].strip()
    if (
        not main
        or "/" not in main
        or any(ch in value for ch in "\r\n\x00")
        or any(marker in main for marker in _ACTIVE_MARKERS)
    ):
        return OCTET
    return value


def _clean_filename(filename: str) -> str:
    """Drop directories, control characters and quotes; keep Turkish letters."""
    name = str(filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = unicodedata.normalize("NFC", name)
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"')
    name = name.strip(" .")
    return name or "dosya"


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII ``filename`` and an RFC 5987 UTF-8 ``filename*``.

    'Güvenlik Şartnamesi.pdf' → ``attachment; filename="Guvenlik Sartnamesi.pdf";
    filename*=UTF-8''G%C3%BCvenlik%20%C5%9Eartnamesi.pdf``. Clients that understand
    ``filename*`` (all current browsers) use the Turkish name.
    """
    name = _clean_filename(filename)
    ascii_name = unicodedata.normalize("NFKD", name.translate(_ASCII_FALLBACK))
    ascii_name = "".join(
        ch if " " <= ch <= "~" and ch != "\\" else "_"
        for ch in ascii_name
        if not unicodedata.combining(ch)
    )
    header = f'attachment; filename="{ascii_name}"'
    if ascii_name != name:
        header += f"; filename*=UTF-8''{quote(name, safe='')}"
    return header


def attachment_response(sha256: str, filename: str, content_type: str) -> StreamingHttpResponse:
    """A streaming download of the blob ``sha256`` named ``filename``.

    Raises ``StorageCorruptionError`` (or ``BlobMissingError``) before any response exists
    if the blob is damaged or gone, so the view can answer with an error page rather than
    a silently corrupt file.
    """
    chunks = iter_verified(sha256)
    response = StreamingHttpResponse(chunks, content_type=safe_content_type(content_type))
    response["Content-Length"] = str(blob_size(sha256))
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    # Documents may be confidential (Hizmete Özel, Gizli): keep them out of shared caches.
    response["Cache-Control"] = "private, no-store"
    return response
