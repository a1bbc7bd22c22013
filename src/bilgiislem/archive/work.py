"""What waits for a person in the archive, for the "İşlerim" page (issue 5 points 4–5).

- The archive officer's superior: retrieval requests to approve; loans overdue (RYY art.
  13(c): the officer and the superior answer for producing the records and getting them back).
- The archive officer: approved requests to lend or grant; returned paper to receive; transfer
  lists handed over to the institutional archive, to receive.
- The borrower: paper originals to return, with their due date.
- A unit's Director, Chief or head: the January review of last year's closed folders; in
  February (and after, until done) the transfer list to prepare and to hand over.
"""

from __future__ import annotations

import datetime

from django.db.models import Count
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bilgiislem.core.calendar import business_days_between
from bilgiislem.core.work import WorkItem
from bilgiislem.organization import permissions as org
from bilgiislem.organization.choices import MANAGERIAL_RANK
from bilgiislem.organization.models import OrgUnit

from . import officers
from .choices import FolderStage, RetrievalState, TransferKind, TransferState
from .models import AnnualReview, Folder, RetrievalRequest, TransferList
from .services.cycle import closed_folders, unit_manager_post, unit_side_post
from .services.loans import RELATED, record_label

S = RetrievalState


def _url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:  # the archive pages are not installed
        return ""


def _in_scope(scope: officers.Scope):
    q = scope.folder_q("folder__") | scope.folder_q("document__archived_record__folder__")
    return RetrievalRequest.objects.filter(q).select_related(*RELATED)


def _label(post) -> str:
    return post.label if post is not None and post.acting else ""


def _requests_items(person, today) -> list[WorkItem]:
    items = []
    supervised = officers.supervisor_scope(person, direct=True)
    if supervised:
        for r in (
            _in_scope(supervised).filter(state__in=[S.REQUESTED, S.LENT]).exclude(requester=person)
        ):
            if r.state == S.LENT and not (r.due_date and r.due_date < today):
                continue
            folder = r.folder if r.folder_id else r.document.archived_record.folder
            post = officers.superior_of_keeper(person, folder.unit_id, folder.stage)
            if r.state == S.REQUESTED:
                category = _("Retrieval requests to approve")
                detail = _("%(person)s: %(reason)s") % {
                    "person": r.requester,
                    "reason": r.reason[:120],
                }
                due = None
            else:
                category = _("Overdue loans")
                detail = _("%(person)s — %(days)s business days late") % {
                    "person": r.requester,
                    "days": business_days_between(r.due_date, today),
                }
                due = r.due_date
            items.append(
                WorkItem(
                    title=record_label(r),
                    url=_url("archive:retrieval-detail", r.pk),
                    category=str(category),
                    due=due,
                    detail=str(detail),
                    acting_for=_label(post),
                )
            )
    kept = officers.officer_scope(person)
    if kept:
        waiting = _in_scope(kept).filter(state__in=[S.APPROVED, S.RETURNED])
        for r in waiting:
            if r.state == S.APPROVED:
                category = _("Records to lend or grant")
                detail = _("%(person)s, %(kind)s") % {
                    "person": r.requester,
                    "kind": r.get_kind_display(),
                }
            else:
                category = _("Returned records to receive")
                detail = _("Returned by %(person)s") % {"person": r.requester}
            items.append(
                WorkItem(
                    title=record_label(r),
                    url=_url("archive:retrieval-detail", r.pk),
                    category=str(category),
                    due=r.due_date if r.state == S.RETURNED else None,
                    detail=str(detail),
                )
            )
    borrowed = RetrievalRequest.objects.filter(requester=person, state=S.LENT).select_related(
        *RELATED
    )
    for r in borrowed:
        items.append(
            WorkItem(
                title=record_label(r),
                url=_url("archive:retrieval-detail", r.pk),
                category=str(_("Archive records to return")),
                due=r.due_date,
                detail=str(_("Lent by %(person)s") % {"person": r.lent_by}),
            )
        )
    return items


def _manager_units(person, unit_ids) -> dict[int, object]:
    """Of ``unit_ids``, those the person manages within the directorate → that post."""
    found = {}
    for unit_id in unit_ids:
        post = unit_manager_post(person, unit_id)
        if post is not None:
            found[unit_id] = post
    return found


def _review_items(person, today: datetime.date) -> list[WorkItem]:
    """The January check of last year's closed folders, for the units the person manages."""
    if not any(p.rank >= MANAGERIAL_RANK for p in org.effective_posts(person)):
        return []
    last_year = today.year - 1
    with_folders = set(closed_folders(last_year).values_list("unit_id", flat=True).distinct())
    managed = _manager_units(person, with_folders)
    done = set(
        AnnualReview.objects.filter(
            year=last_year, unit_id__in=managed, checked_at__isnull=False
        ).values_list("unit_id", flat=True)
    )
    names = dict(OrgUnit.objects.filter(pk__in=managed).values_list("pk", "name"))
    return [
        WorkItem(
            title=str(_("Annual review of the folders of %(year)s") % {"year": last_year}),
            url=_url("archive:review-detail", last_year, unit_id),
            category=str(_("Archive: yearly cycle")),
            due=datetime.date(today.year, 1, 31),
            detail=names.get(unit_id, ""),
            acting_for=_label(post),
        )
        for unit_id, post in managed.items()
        if unit_id not in done
    ]


def _cycle_items(person, today: datetime.date) -> list[WorkItem]:
    items = _review_items(person, today)
    if today.month >= 2:
        due_units = dict(
            Folder.objects.filter(stage=FolderStage.UNIT_ARCHIVE, unit_archive_until__lt=today.year)
            .exclude(
                transfers__in=TransferList.objects.filter(
                    kind=TransferKind.TO_INSTITUTION,
                    state__in=[TransferState.DRAFT, TransferState.HANDED_OVER],
                )
            )
            .values_list("unit_id")
            .annotate(n=Count("id"))
            .values_list("unit_id", "n")
        )
        for unit_id, count in due_units.items():
            post = unit_side_post(person, unit_id)
            if post is None:
                continue
            items.append(
                WorkItem(
                    title=str(_("Prepare the transfer list of %(year)s") % {"year": today.year}),
                    url=_url("archive:cycle"),
                    category=str(_("Archive: yearly cycle")),
                    due=_february_end(today.year),
                    detail=str(_("%(n)s folders due for the institutional archive") % {"n": count}),
                    acting_for=_label(post),
                )
            )
    drafts = TransferList.objects.filter(
        kind=TransferKind.TO_INSTITUTION, state=TransferState.DRAFT
    ).select_related("unit")
    for transfer in drafts:
        post = unit_side_post(person, transfer.unit_id)
        if post is not None:
            items.append(_transfer_item(transfer, _("Transfer lists to hand over"), post))
    receiving = officers.officer_post(person, None, FolderStage.INSTITUTION_ARCHIVE)
    if receiving is not None:
        handed = TransferList.objects.filter(
            kind=TransferKind.TO_INSTITUTION, state=TransferState.HANDED_OVER
        ).select_related("unit")
        for transfer in handed:
            items.append(_transfer_item(transfer, _("Transfer lists to receive"), receiving))
    return items


def _february_end(year: int) -> datetime.date:
    return datetime.date(year, 3, 1) - datetime.timedelta(days=1)


def _transfer_item(transfer, category, post) -> WorkItem:
    return WorkItem(
        title=f"{transfer.unit} — {transfer.year}",
        url=_url("archive:transfer-detail", transfer.pk),
        category=str(category),
        due=_february_end(transfer.year),
        detail=str(transfer.get_state_display()),
        acting_for=_label(post),
    )


def work_items_for(person) -> list[WorkItem]:
    """Everything in the archive waiting for the person, soonest due first (undated last)."""
    if not getattr(person, "is_authenticated", False):
        return []
    if not org.effective_posts(person):
        return []
    today = timezone.localdate()
    items = _requests_items(person, today) + _cycle_items(person, today)
    return sorted(items, key=lambda i: (i.due is None, i.due or today, i.title))


def waiting_count(person) -> int:
    """The count on the "Arşiv" menu item."""
    return len(work_items_for(person))
