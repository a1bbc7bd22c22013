"""What waits for a person in disposal, for "İşlerim" and the menu count:

- a commission member: draft lists of their commission they have not approved yet;
- the authorised superior: lists every member approved, waiting for the superior;
- the chair (and the archive officers who may carry it out): approved lists to carry out.

Due at the end of March of the list's year: the commission works in March (standards.md 4).
"""

import datetime

from django.db.models import Exists, OuterRef
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from bilgiislem.core.work import WorkItem

from . import disposal_access as access
from . import permissions
from .choices import CommissionRole, DisposalListState
from .models import DisposalApproval, DisposalList

S = DisposalListState


def _url(list_id: int) -> str:
    try:
        return reverse("archive:disposal-list-detail", kwargs={"pk": list_id})
    except NoReverseMatch:  # the archive pages are not installed
        return ""


def _due(disposal_list: DisposalList) -> datetime.date:
    return datetime.date(disposal_list.year, 3, 31)


def _title(disposal_list: DisposalList) -> str:
    return str(
        _("Disposal list %(year)s — %(commission)s")
        % {"year": disposal_list.year, "commission": disposal_list.commission.name}
    )


def lists_waiting_for(person) -> list[tuple[DisposalList, str]]:
    """(list, category) for every list waiting for the person; cached on the person."""
    cached = getattr(person, "_bi_disposal_waiting", None)
    if cached is not None:
        return cached
    result: list[tuple[DisposalList, str]] = []
    if not getattr(person, "is_authenticated", False):
        return result
    memberships = access.memberships(person)
    if memberships:
        approved = DisposalApproval.objects.filter(
            disposal_list=OuterRef("pk"), member__person=person
        )
        drafts = (
            DisposalList.objects.filter(commission_id__in=memberships, state=S.DRAFT)
            .annotate(mine=Exists(approved))
            .filter(mine=False)
            .select_related("commission")
        )
        result += [(d, str(_("Disposal lists to approve"))) for d in drafts]
    if access.approver_post(person) is not None:
        waiting = DisposalList.objects.filter(state=S.COMMISSION_APPROVED).select_related(
            "commission"
        )
        result += [(d, str(_("Disposal lists for the superior's approval"))) for d in waiting]
    chaired = {cid for cid, role in memberships.items() if role == CommissionRole.CHAIR}
    officer = permissions.is_archive_officer(person)
    if chaired or officer:
        approved_lists = DisposalList.objects.filter(state=S.APPROVED).select_related("commission")
        for disposal_list in approved_lists:
            if disposal_list.commission_id in chaired or (
                officer and _officer_may_execute(person, disposal_list)
            ):
                result.append((disposal_list, str(_("Disposals to carry out"))))
    person._bi_disposal_waiting = result
    return result


def _officer_may_execute(person, disposal_list: DisposalList) -> bool:
    units = set(disposal_list.items.filter(removed=False).values_list("folder__unit_id", flat=True))
    return access.executor_post(person, disposal_list, units) is not None


def work_items_for(person) -> list[WorkItem]:
    return [
        WorkItem(title=_title(d), url=_url(d.pk), category=category, due=_due(d))
        for d, category in lists_waiting_for(person)
    ]


def waiting_count(person) -> int:
    return len(lists_waiting_for(person))
