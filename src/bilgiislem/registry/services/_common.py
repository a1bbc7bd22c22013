"""Helpers shared by the registry services."""

import datetime
import functools

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from bilgiislem.audit.services import audit_record
from bilgiislem.core.counters import next_number
from bilgiislem.core.errors import PermissionDeniedError
from bilgiislem.core.text import fold

from ..models import Document, RegistryCounter
from .files import new_blobs_removed_on_error


def acting_for(post):
    """The post to record in the audit trail when the actor used an acting assignment."""
    return post.position if post is not None and post.acting is not None else None


class Refused(PermissionDeniedError):
    """A refusal that ``atomic_service`` records in the audit trail after the rollback."""

    def __init__(self, message, *, actor, action: str, obj):
        super().__init__(message)
        self.actor, self.action, self.obj = actor, action, obj
        self.message = str(message)
        self.recorded_depth: int | None = None


def refuse(*, actor, action: str, obj, message: str):
    """Refuse a security-relevant attempt; the refusal itself is recorded in the audit trail.

    Raised inside an ``atomic_service``, which writes the audit event once the refused
    action's transaction has rolled back: written inside that transaction, the record of the
    attempt would be rolled back with it (issue 3, bad input).
    """
    raise Refused(message, actor=actor, action=action, obj=obj)


def _record_refusal(exc: Refused) -> None:
    depth = len(connection.atomic_blocks)
    if exc.recorded_depth is not None and exc.recorded_depth <= depth:
        return  # already written in a transaction that is still alive
    with transaction.atomic():
        audit_record(actor=exc.actor, action=exc.action, obj=exc.obj, reason=exc.message)
    exc.recorded_depth = depth


def atomic_service(func):
    """``transaction.atomic`` for a service, plus the audit record of a refusal.

    When the service refuses (``refuse``), its transaction rolls back first and then the
    refusal is written in the caller's transaction (its own one at the top level). A nested
    service's record is written again by each enclosing service whose rollback undid it.
    Blobs the failed action wrote are removed too, so a refused upload leaves nothing behind.
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with new_blobs_removed_on_error():
            try:
                with transaction.atomic():
                    return func(*args, **kwargs)
            except Refused as exc:
                _record_refusal(exc)
                raise

    return wrapper


def numbering_year(on: datetime.date | None = None) -> int:
    """0 when registry numbers never restart, else the year (BILGIISLEM_REGISTRY_YEARLY)."""
    if not settings.BILGIISLEM_REGISTRY_YEARLY:
        return 0
    return (on or timezone.localdate()).year


def next_registry_number(registry, on: datetime.date | None = None) -> tuple[int, int]:
    """Take the next number of a registry. Call inside the registering transaction.

    The counter row is locked until that transaction ends, so concurrent registrations queue
    and a rolled-back registration gives its number back: no duplicates and no gaps. ``on``
    is the registration date, so the number's year is the year of ``registered_at``.
    """
    year = numbering_year(on)
    return year, next_number(RegistryCounter, registry_id=registry.pk, year=year)


def search_text_of(document: Document, *extra: str) -> str:
    """The folded text the search index holds for a document (core.text.fold)."""
    parts = [
        document.number_label,
        document.subject,
        document.party_name,
        document.party_identifier,
        document.sayi,
        document.sdp_code,
        document.paper_location,
        *extra,
    ]
    return fold(" ".join(p for p in parts if p))


def reindex(document: Document, *extra: str) -> None:
    """Refresh the search text from the record, its notes and its files' extracted text."""
    notes = [n.text for n in document.notes.all()]
    texts = [f.extracted_text for f in document.files.all() if f.extracted_text]
    document.search_text = search_text_of(document, *notes, *texts, *extra)
    Document.objects.filter(pk=document.pk).update(search_text=document.search_text)
