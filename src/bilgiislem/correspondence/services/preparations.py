"""Abandoning a letter's preparation for external signing (issue 4 point 5).

Kept apart from ``external`` so that drafting and approval, which ``external`` builds on,
can call it without an import cycle.
"""

from django.utils import timezone

from bilgiislem.audit.services import audit_record
from bilgiislem.registry.services.documents import outgoing_registration_cancel

from ..models import Letter, SigningPreparation


def abandon_preparations(*, actor, letter: Letter, reason: str) -> int:
    """The letter was returned or its text changed: its open preparation is abandoned and
    the outgoing registration it took is cancelled in the registry (the number is never
    reused; preparing again takes a new one). Call inside the caller's transaction."""
    count = 0
    now = timezone.now()
    for prep in SigningPreparation.objects.select_for_update().filter(
        letter=letter, state=SigningPreparation.State.OPEN
    ):
        prep.state, prep.closed_at = SigningPreparation.State.ABANDONED, now
        prep.save(update_fields=["state", "closed_at"])
        outgoing_registration_cancel(actor=actor, document=prep.document, reason=reason)
        audit_record(
            actor=actor,
            action="correspondence.letter.preparation_abandoned",
            obj=letter,
            reason=reason,
            changes={
                "preparation": prep.pk,
                "version": prep.version,
                "document": prep.document.number_label,
                "sayi": prep.document.sayi,
            },
        )
        count += 1
    return count
