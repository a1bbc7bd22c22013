"""Legal holds (hukuki bloke): while a hold is active nothing in the folder, or the document,
can be disposed of (standards.md 4: "files still in legal proceedings or under a hold").

Placed and lifted with a reason by the Director of the unit or anyone above (Deputy Mayor,
Mayor). The database refuses disposal under an active hold too (archive/db_disposal.py).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from bilgiislem.audit.services import audit_record
from bilgiislem.core.errors import DomainError
from bilgiislem.registry.services._common import acting_for, atomic_service, refuse

from .. import disposal_access as access
from ..choices import DisposalState, FolderStage
from ..models import LegalHold


def _reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason."), field=field)
    return reason


def _label(hold: LegalHold) -> str:
    if hold.folder_id:
        return str(hold.folder)
    return hold.document.number_label


@atomic_service
def legal_hold_place(*, actor, folder=None, document=None, reason: str) -> LegalHold:
    """Put a folder or a document under a legal hold (with the reason, e.g. a case number)."""
    if (folder is None) == (document is None):
        raise DomainError(_("Choose a folder or a document, not both."), field="folder")
    reason = _reason(reason)
    post = access.hold_post(actor, folder=folder, document=document)
    if post is None:
        refuse(
            actor=actor,
            action="archive.hold.refused",
            obj=folder or document,
            message=_("Only the Director of the unit or someone above can place a legal hold."),
        )
    if folder is not None and folder.stage == FolderStage.DISPOSED:
        raise DomainError(_("This folder has already been disposed of."), field="folder")
    record = getattr(document, "archived_record", None) if document is not None else None
    if record is not None and record.disposal_state == DisposalState.DISPOSED:
        raise DomainError(_("This document has already been disposed of."), field="document")
    hold = LegalHold.objects.create(
        folder=folder, document=document, reason=reason, placed_by=actor
    )
    audit_record(
        actor=actor,
        action="archive.hold.placed",
        obj=hold,
        changes={
            "folder": folder.pk if folder else None,
            "document": document.pk if document else None,
        },
        reason=reason,
        acting_for=acting_for(post),
        object_repr=_label(hold),
    )
    return hold


@atomic_service
def legal_hold_lift(*, actor, hold: LegalHold, reason: str) -> LegalHold:
    """Lift an active hold, with the reason (e.g. the case is closed)."""
    hold = (
        LegalHold.objects.select_for_update(of=("self",))
        .select_related("folder", "document")
        .get(pk=hold.pk)
    )
    reason = _reason(reason)
    if hold.lifted_at is not None:
        raise DomainError(_("This hold has already been lifted."), field="reason")
    post = access.hold_post(actor, folder=hold.folder, document=hold.document)
    if post is None:
        refuse(
            actor=actor,
            action="archive.hold.refused",
            obj=hold,
            message=_("Only the Director of the unit or someone above can lift a legal hold."),
        )
    hold.lifted_by = actor
    hold.lifted_at = timezone.now()
    hold.lift_reason = reason
    hold.save(update_fields=["lifted_by", "lifted_at", "lift_reason"])
    audit_record(
        actor=actor,
        action="archive.hold.lifted",
        obj=hold,
        reason=reason,
        acting_for=acting_for(post),
        object_repr=_label(hold),
    )
    return hold
