"""Disposal under supervision (RYY art. 13(ç); Devlet Arşiv Hizmetleri Yönetmeliği art. 19–21;
standards.md 4): candidates, the commission's list, the members' and the superior's
approvals. Carrying the list out (and deleting the bytes) is in ``disposal_execution``.

The flow of a list (``DisposalList.state``):

    draft ──every member approves──▶ commission_approved ──superior──▶ approved ──▶ executed
      └──────────────── cancelled (chair or superior, before execution) ◀──────────┘

Members may take folders off the list, with a reason, until it is carried out (taking off
only ever narrows what was approved). The database enforces the same order
(archive/db_disposal.py).
"""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from bilgiislem.audit.services import audit_record
from bilgiislem.core.errors import DomainError
from bilgiislem.registry.services._common import acting_for, atomic_service, refuse

from .. import disposal_access as access
from .. import permissions
from ..choices import (
    DISPOSABLE,
    DisposalListState,
    Disposition,
    FolderStage,
    TransferKind,
    TransferState,
)
from ..models import (
    ArchivedRecord,
    DisposalApproval,
    DisposalCommission,
    DisposalItem,
    DisposalList,
    Filing,
    Folder,
    LegalHold,
    TransferList,
)

S = DisposalListState
# Lists whose items keep a folder off new lists.
LISTED_STATES = (S.DRAFT, S.COMMISSION_APPROVED, S.APPROVED, S.EXECUTED)
# Lists still in progress (an item can be taken off, the list cancelled).
OPEN_STATES = (S.DRAFT, S.COMMISSION_APPROVED, S.APPROVED)
ARCHIVE_STAGES = (FolderStage.UNIT_ARCHIVE, FolderStage.INSTITUTION_ARCHIVE)
FIRST_YEAR = 1900


# --- what may be disposed of -----------------------------------------------------------------


def _held_folder_subqueries() -> list[QuerySet]:
    """Folder ids blocked by an active hold, as subqueries the database runs once each:

    the held folders; the folders of held documents (their record's folder and every folder
    they are filed in, copies included: the paper copy is destroyed with its folder); and the
    folders whose records are filed (as a copy) in a held folder.
    """
    holds = LegalHold.objects.filter(lifted_at__isnull=True)
    held_folders = holds.filter(folder__isnull=False).values("folder_id")
    held_documents = holds.filter(document__isnull=False).values("document_id")
    in_held_folders = Filing.objects.filter(folder_id__in=held_folders).values("document_id")
    return [
        held_folders,
        ArchivedRecord.objects.filter(document_id__in=held_documents).values("folder_id"),
        Filing.objects.filter(document_id__in=held_documents).values("folder_id"),
        ArchivedRecord.objects.filter(document_id__in=in_held_folders).values("folder_id"),
    ]


def without_held(folders: QuerySet) -> QuerySet:
    for subquery in _held_folder_subqueries():
        folders = folders.exclude(pk__in=subquery)
    return folders


def held_folder_ids(folder_ids) -> set[int]:
    """Which of these folders an active hold blocks."""
    folder_ids = list(folder_ids)
    held: set[int] = set()
    for subquery in _held_folder_subqueries():
        held |= set(
            Folder.objects.filter(pk__in=folder_ids)
            .filter(pk__in=subquery)
            .values_list("pk", flat=True)
        )
    return held


def _expired(year: int) -> QuerySet:
    """Folders kept here whose retention ended before ``year`` began."""
    return Folder.objects.filter(stage__in=ARCHIVE_STAGES, retention_until__lt=year)


def disposal_candidates(year: int) -> QuerySet:
    """The folders the commission may list for disposal in ``year``.

    In the unit or institutional archive, retention over before the year, disposition
    commission evaluation or destroy, no active hold on the folder or its documents, and
    not already on a list in progress or carried out. Works on folders (index
    ``folder_stage_retention``); holds are few and are read as subqueries run once.
    """
    folders = _expired(year).filter(disposition__in=DISPOSABLE)
    listed = DisposalItem.objects.filter(removed=False, disposal_list__state__in=LISTED_STATES)
    folders = without_held(folders).exclude(pk__in=listed.values("folder_id"))
    return folders.order_by("unit_id", "code_id", "year", "pk")


def state_archives_candidates(year: int) -> QuerySet:
    """Folders whose retention is over and which go to the State Archives (never destroyed),
    not on a transfer list to the State Archives yet. Held folders wait."""
    folders = _expired(year).filter(disposition=Disposition.TRANSFER)
    listed = TransferList.objects.filter(kind=TransferKind.TO_STATE_ARCHIVES).exclude(
        state=TransferState.CANCELLED
    )
    folders = without_held(folders).exclude(transfers__in=listed)
    return folders.order_by("unit_id", "code_id", "year", "pk")


def _year(year) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise DomainError(_("Give the year as a number."), field="year") from None
    if not FIRST_YEAR <= year <= timezone.localdate().year + 1:
        raise DomainError(_("Give a year between 1900 and next year."), field="year")
    return year


@atomic_service
def state_archives_transfer_prepare(*, actor, year) -> TransferList:
    """Propose the transfer list to the State Archives of the folders due in ``year``."""
    year = _year(year)
    post = access.approver_post(actor)
    if post is None and not permissions.is_institution_archive_officer(actor):
        refuse(
            actor=actor,
            action="archive.transfer.refused",
            obj=None,
            message=_(
                "Only the institutional archive officer or the authorised superior can "
                "prepare the transfer to the State Archives."
            ),
        )
    folders = list(state_archives_candidates(year).values_list("pk", flat=True))
    if not folders:
        raise DomainError(
            _("No folder is due for transfer to the State Archives in this year."), field="year"
        )
    unit_id = permissions.institution_archive_unit_id(actor)
    if unit_id is None:
        raise DomainError(_("The institutional archive's unit is not set up."), field="year")
    transfer = TransferList.objects.create(
        kind=TransferKind.TO_STATE_ARCHIVES, unit_id=unit_id, year=year, created_by=actor
    )
    transfer.folders.set(folders)
    audit_record(
        actor=actor,
        action="archive.transfer.prepared",
        obj=transfer,
        changes={"kind": TransferKind.TO_STATE_ARCHIVES, "year": year, "folders": len(folders)},
        acting_for=acting_for(post),
    )
    return transfer


# --- the commission's list -------------------------------------------------------------------


def _locked(disposal_list: DisposalList) -> DisposalList:
    return DisposalList.objects.select_for_update().get(pk=disposal_list.pk)


def _member_or_refuse(actor, disposal_list, action: str, message):
    member = access.membership(actor, disposal_list.commission_id)
    if member is None:
        refuse(actor=actor, action=action, obj=disposal_list, message=message)
    return member


@atomic_service
def disposal_list_create(*, actor, commission: DisposalCommission, year) -> DisposalList:
    """The chair lists the year's candidates; each item keeps what the folder was."""
    year = _year(year)
    if not access.is_chair(actor, commission.pk):
        refuse(
            actor=actor,
            action="archive.disposal_list.refused",
            obj=commission,
            message=_("Only the chair of the commission prepares its disposal list."),
        )
    if not access.commissions_in_force().filter(pk=commission.pk).exists():
        raise DomainError(_("This commission is not in office today."), field="commission")
    folders = list(disposal_candidates(year).select_related("unit", "code"))
    if not folders:
        raise DomainError(_("No folder is due for disposal in this year."), field="year")
    counted = dict(
        ArchivedRecord.objects.filter(folder_id__in=[f.pk for f in folders])
        .values("folder_id")
        .annotate(n=Count("id"))
        .values_list("folder_id", "n")
    )
    disposal_list = DisposalList.objects.create(commission=commission, year=year, created_by=actor)
    DisposalItem.objects.bulk_create(
        DisposalItem(
            disposal_list=disposal_list,
            folder=folder,
            code=folder.code.code,
            title=folder.title[:300],
            unit_name=folder.unit.name[:300],
            folder_year=folder.year,
            document_count=folder.document_count or counted.get(folder.pk, 0),
        )
        for folder in folders
    )
    audit_record(
        actor=actor,
        action="archive.disposal_list.created",
        obj=disposal_list,
        changes={"commission": commission.pk, "year": year, "folders": len(folders)},
    )
    return disposal_list


@atomic_service
def disposal_item_remove(*, actor, item: DisposalItem, reason: str) -> DisposalItem:
    """A member takes a folder off the list, with the reason (it is kept, for now)."""
    disposal_list = _locked(item.disposal_list)
    item = DisposalItem.objects.select_for_update().get(pk=item.pk)
    _member_or_refuse(
        actor,
        disposal_list,
        "archive.disposal_item.refused",
        _("Only members of the commission can take folders off its list."),
    )
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason."), field="reason")
    if disposal_list.state not in OPEN_STATES:
        raise DomainError(_("This list can no longer be changed."))
    if item.removed:
        raise DomainError(_("This folder has already been taken off the list."))
    item.removed = True
    item.removed_reason = reason
    item.removed_by = actor
    item.save(update_fields=["removed", "removed_reason", "removed_by"])
    audit_record(
        actor=actor,
        action="archive.disposal_item.removed",
        obj=disposal_list,
        changes={"item": item.pk, "folder": item.folder_id, "code": item.code},
        reason=reason,
    )
    return item


@atomic_service
def disposal_approve(*, actor, disposal_list: DisposalList) -> DisposalList:
    """A member signs the list off (once). When every member has, the commission has."""
    disposal_list = _locked(disposal_list)
    member = _member_or_refuse(
        actor,
        disposal_list,
        "archive.disposal_list.refused",
        _("Only members of the commission approve its list."),
    )
    if disposal_list.state != S.DRAFT:
        raise DomainError(_("The commission's approvals of this list are closed."))
    if DisposalApproval.objects.filter(disposal_list=disposal_list, member=member).exists():
        raise DomainError(_("You have already approved this list."))
    if not disposal_list.items.filter(removed=False).exists():
        raise DomainError(_("Every folder has been taken off this list; cancel it instead."))
    DisposalApproval.objects.create(disposal_list=disposal_list, member=member)
    missing = disposal_list.commission.members.exclude(
        pk__in=disposal_list.approvals.values("member_id")
    )
    changes = {"member": actor.get_username(), "role": member.role}
    if not missing.exists():
        disposal_list.state = S.COMMISSION_APPROVED
        disposal_list.save(update_fields=["state"])
        changes["state"] = S.COMMISSION_APPROVED
    audit_record(
        actor=actor,
        action="archive.disposal_list.member_approved",
        obj=disposal_list,
        changes=changes,
    )
    return disposal_list


@atomic_service
def disposal_superior_approve(*, actor, disposal_list: DisposalList) -> DisposalList:
    """The authorised superior approves the list the whole commission approved."""
    disposal_list = _locked(disposal_list)
    post = access.approver_post(actor)
    if post is None:
        refuse(
            actor=actor,
            action="archive.disposal_list.refused",
            obj=disposal_list,
            message=_("Only the authorised superior approves a disposal list."),
        )
    if disposal_list.state != S.COMMISSION_APPROVED:
        raise DomainError(_("Every member of the commission approves the list first."))
    disposal_list.state = S.APPROVED
    disposal_list.approved_by = actor
    disposal_list.approved_as = post.label[:300]
    disposal_list.approved_at = timezone.now()
    disposal_list.save(update_fields=["state", "approved_by", "approved_as", "approved_at"])
    audit_record(
        actor=actor,
        action="archive.disposal_list.approved",
        obj=disposal_list,
        changes={"state": S.APPROVED, "as": disposal_list.approved_as},
        acting_for=acting_for(post),
    )
    return disposal_list


@atomic_service
def disposal_list_cancel(*, actor, disposal_list: DisposalList, reason: str) -> DisposalList:
    """The chair or the authorised superior cancels a list before it is carried out."""
    disposal_list = _locked(disposal_list)
    if not (access.is_chair(actor, disposal_list.commission_id) or access.approver_post(actor)):
        refuse(
            actor=actor,
            action="archive.disposal_list.refused",
            obj=disposal_list,
            message=_("Only the chair or the authorised superior can cancel a disposal list."),
        )
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason."), field="reason")
    if disposal_list.state not in OPEN_STATES:
        raise DomainError(_("This list can no longer be cancelled."))
    disposal_list.state = S.CANCELLED
    disposal_list.save(update_fields=["state"])
    audit_record(
        actor=actor,
        action="archive.disposal_list.cancelled",
        obj=disposal_list,
        changes={"state": S.CANCELLED},
        reason=reason,
    )
    return disposal_list
