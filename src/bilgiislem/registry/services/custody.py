"""Zimmet of paper originals: handed over against the receiver's acknowledgement (RYY art. 12)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from bilgiislem.audit.services import audit_record
from bilgiislem.core.errors import DomainError

from .. import permissions
from ..choices import CustodyKind, FileRole, Medium
from ..models import Custody, Document
from ._common import atomic_service, refuse
from .files import file_row


def paper_holder(document: Document) -> Custody | None:
    """The current holder of the paper original (the last hand-over not passed on)."""
    return (
        document.custody.filter(kind=CustodyKind.PAPER, released_at__isnull=True)
        .order_by("-given_at", "-id")
        .first()
    )


@atomic_service
def custody_hand_over(
    *, actor, document: Document, to_person=None, to_unit=None, printout: bool = False
) -> Custody:
    """Hand the paper original to a person or another directorate, against signature.

    ``printout``: the paper is the printout of an electronic original sent on paper (an
    e-signed letter given to a courier, correspondence dispatch); it is handed over the same way.
    """
    # One hand-over at a time per document, so the chain of holders has no forks.
    document = Document.objects.select_for_update().select_related("registry").get(pk=document.pk)
    if document.medium != Medium.PAPER and not printout:
        raise DomainError(_("Only a paper original is handed over."), field="document")
    if (to_person is None) == (to_unit is None):
        raise DomainError(_("Choose one person or one unit."), field="to_person")
    if to_person is not None and not to_person.is_active:
        raise DomainError(_("This account is disabled."), field="to_person")
    current = paper_holder(document)
    allowed = (
        actor.is_superuser
        or permissions.director_post(actor, document.registry)
        or permissions.clerk_post(actor, document.registry)
        or (
            current is not None
            and current.acknowledged_at is not None
            and (
                current.holder_id == actor.pk
                or (current.holder_unit_id and permissions.belongs_to(actor, current.holder_unit))
            )
        )
    )
    if not allowed:
        refuse(
            actor=actor,
            action="registry.custody.hand_over_refused",
            obj=document,
            message=_("Only the holder of the original or the registry can hand it over."),
        )
    if current is not None:
        current.released_at = timezone.now()
        current.save(update_fields=["released_at"])
    custody = Custody.objects.create(
        document=document,
        kind=CustodyKind.PAPER,
        holder=to_person,
        holder_unit=to_unit,
        given_by=actor,
    )
    audit_record(
        actor=actor,
        action="registry.custody.handed_over",
        obj=custody,
        changes={"document": document.number_label, "to": str(to_person or to_unit)},
    )
    return custody


@atomic_service
def custody_acknowledge(*, actor, custody: Custody, proof_upload=None) -> Custody:
    """The receiver acknowledges; or the registry records a scanned signed zimmet list."""
    custody = Custody.objects.select_for_update().select_related("document").get(pk=custody.pk)
    is_receiver = custody.holder_id == actor.pk or bool(
        custody.holder_unit_id and permissions.belongs_to(actor, custody.holder_unit)
    )
    registry_with_proof = proof_upload is not None and permissions.clerk_post(
        actor, custody.document.registry
    )
    if not (is_receiver or registry_with_proof or actor.is_superuser):
        refuse(
            actor=actor,
            action="registry.custody.acknowledge_refused",
            obj=custody,
            message=_("Only the receiver can acknowledge this hand-over."),
        )
    if custody.acknowledged_at is not None:
        raise DomainError(_("This hand-over has already been acknowledged."), field="custody")
    if custody.released_at is not None:
        raise DomainError(_("The original has already been passed on."), field="custody")
    custody.acknowledged_at = timezone.now()
    custody.acknowledged_by = actor
    fields = ["acknowledged_at", "acknowledged_by"]
    if proof_upload is not None:
        custody.proof = file_row(
            actor=actor, document=custody.document, upload=proof_upload, role=FileRole.CUSTODY_PROOF
        )
        fields.append("proof")
    custody.save(update_fields=fields)
    audit_record(
        actor=actor,
        action="registry.custody.acknowledged",
        obj=custody,
        changes={"proof": custody.proof.filename if custody.proof_id else ""},
    )
    return custody
