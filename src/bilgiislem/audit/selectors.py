"""Reads of the audit trail, scoped to who may read it."""

import re

from bilgiislem.core.text import fold

from . import access
from .models import AuditEvent

# Every letter a folded search key stands for. The trail has no folded column (adding one
# would change what the hash covers), so the folded query becomes a pattern that matches
# each Turkish/ASCII spelling and both cases explicitly — the database's own case folding
# of non-ASCII letters differs between SQLite and PostgreSQL locales.
_VARIANTS = {
    "a": "aAâÂ",
    "c": "cCçÇ",
    "g": "gGğĞ",
    "i": "iIıİîÎ",
    "o": "oOöÖ",
    "s": "sSşŞ",
    "u": "uUüÜûÛ",
}


def events_visible_to(user):
    """All events for those who may read the trail; none for anyone else."""
    if not access.can_view(user):
        return AuditEvent.objects.none()
    return AuditEvent.objects.select_related("actor")


def folded_pattern(text: str) -> str:
    """A regular expression matching ``text`` however it is cased or spelt (ş/s, İ/i/ı)."""
    parts = []
    for ch in fold(text):
        if ch in _VARIANTS:
            parts.append(f"[{_VARIANTS[ch]}]")
        elif ch.isalpha():
            parts.append(f"[{re.escape(ch)}{re.escape(ch.upper())}]")
        elif ch == " ":
            parts.append(r"\s+")
        else:
            parts.append(re.escape(ch))
    return "".join(parts)
