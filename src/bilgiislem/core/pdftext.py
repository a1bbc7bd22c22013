"""Text of a PDF, for the search index; never fails, an unreadable PDF gives "".

Uses pypdf (pure Python). A damaged, encrypted or hostile PDF yields an empty string and a
log line: the document is still registered, it is only not found by its body text.
"""

from __future__ import annotations

import io
import logging

__all__ = ["extract_text"]

logger = logging.getLogger(__name__)


def extract_text(data: bytes, max_pages: int = 50) -> str:
    """The text of the first ``max_pages`` pages, one page per paragraph ("\\n\\n" between)."""
    if not data:
        return ""
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            # Only PDFs with an empty user password (owner-restricted) can be read.
            logger.info("PDF text not extracted: encrypted")
            return ""
        texts = []
        for index, page in enumerate(reader.pages):
            if index >= max_pages:
                break
            texts.append((page.extract_text() or "").strip())
        return "\n\n".join(t for t in texts if t)
    except Exception:  # pypdf raises many types on malformed input; none should escape
        logger.warning("PDF text not extracted: unreadable PDF", exc_info=True)
        return ""
