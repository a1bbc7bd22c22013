"""Who may do what in disposal (ayıklama ve imha) and legal holds, from posts only.

- **Authorised superior** (yetkili amir): appoints the disposal commission and approves its
  lists. A post of a kind in ``BILGIISLEM_DISPOSAL_APPROVER_KINDS`` (default: Director,
  Deputy Mayor, Mayor) in the line above the unit that keeps the institutional archive
  (``BILGIISLEM_INSTITUTION_ARCHIVE_UNIT``): in Karasu the Director of Yazı İşleri, the
  Deputy Mayor over it and the Mayor. Which superior is competent is not settled [U].
- **Commission members** review, take items off and approve the lists of their commission;
  the chair prepares the lists.
- **Carrying out** an approved list: its chair, or an archive officer who keeps the
  institutional archive or the archive of a directorate with folders on the list.
- **Legal holds** are placed and lifted by the Director of the folder's (or document's)
  unit or anyone above (Deputy Mayor, Mayor).
- **Seeing** disposal pages: the authorised superiors, commission members and archive
  officers. Holds: those, plus Directors and above for holds within their units.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from bilgiislem.organization import permissions as org
from bilgiislem.organization.choices import RANK, PositionKind

from . import permissions
from .choices import CommissionRole
from .models import CommissionMember, DisposalCommission, DisposalList, LegalHold

DEFAULT_APPROVER_KINDS = (
    PositionKind.MUDUR,
    PositionKind.BASKAN_YARDIMCISI,
    PositionKind.BASKAN,
)
DEFAULT_KEEP_YEARS = 10


def approver_kinds() -> set[str]:
    return set(getattr(settings, "BILGIISLEM_DISPOSAL_APPROVER_KINDS", DEFAULT_APPROVER_KINDS))


def keep_years() -> int:
    """How long the list, the minute and their papers are kept (art. 21/7: 10 years)."""
    return int(getattr(settings, "BILGIISLEM_DISPOSAL_KEEP_YEARS", DEFAULT_KEEP_YEARS))


def approver_post(person, on: datetime.date | None = None) -> org.EffectivePost | None:
    """The person's post as the authorised superior for disposal, if any."""
    if not getattr(person, "is_authenticated", False):
        return None
    kinds = approver_kinds()
    unit_id = permissions.institution_archive_unit_id(person)
    line = set(org.ancestors_or_self(unit_id, org.unit_parents(person))) if unit_id else None
    for post in org.effective_posts(person, on):
        if post.kind in kinds and (line is None or post.unit_id in line):
            return post
    return None


def memberships(person) -> dict[int, str]:
    """commission id → role for every commission the person sits on (one query a request,
    shared by the menu, "İşlerim" and the pages)."""
    if not getattr(person, "is_authenticated", False):
        return {}
    return org.remembered(
        person,
        "archive.disposal.memberships",
        lambda: dict(
            CommissionMember.objects.filter(person=person).values_list("commission_id", "role")
        ),
    )


def membership(person, commission_id: int) -> CommissionMember | None:
    if not getattr(person, "is_authenticated", False):
        return None
    return (
        CommissionMember.objects.filter(commission_id=commission_id, person=person)
        .select_related("commission")
        .first()
    )


def is_chair(person, commission_id: int) -> bool:
    member = membership(person, commission_id)
    return member is not None and member.role == CommissionRole.CHAIR


def commissions_in_force(on: datetime.date | None = None) -> QuerySet:
    on = on or timezone.localdate()
    return DisposalCommission.objects.filter(valid_from__lte=on).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=on)
    )


def may_see_disposal(person) -> bool:
    if not getattr(person, "is_authenticated", False):
        return False
    return bool(
        person.is_superuser
        or memberships(person)
        or approver_post(person)
        or permissions.is_archive_officer(person)
    )


def lists_visible_to(person) -> QuerySet:
    """Disposal lists the person may open (everyone else gets 404)."""
    if not may_see_disposal(person):
        return DisposalList.objects.none()
    return DisposalList.objects.all()


def executor_post(person, disposal_list: DisposalList, folder_unit_ids) -> str | None:
    """What the person carries out the disposal as (the chair, or an archive officer)."""
    member = membership(person, disposal_list.commission_id)
    if member is not None and member.role == CommissionRole.CHAIR:
        return str(member.get_role_display())
    if permissions.is_institution_archive_officer(person):
        return str(permissions.officer_posts(person)[0].label)
    for unit_id in folder_unit_ids:
        post = permissions.archive_officer_post(person, unit_id)
        if post is not None:
            return post.label
    return None


def hold_post(person, *, folder=None, document=None) -> org.EffectivePost | None:
    """The person's post of Director rank or above over the folder's or document's unit."""
    if folder is not None:
        return permissions.director_or_above_post(person, folder.unit_id)
    post = permissions.director_or_above_post(person, document.registry_id)
    if post is None:
        record_folder_unit = (
            document.archived_record.folder.unit_id
            if hasattr(document, "archived_record")
            else None
        )
        if record_folder_unit is not None:
            post = permissions.director_or_above_post(person, record_folder_unit)
    return post


def holds_visible_to(person) -> QuerySet:
    """Legal holds the person may see: everything for disposal people, else their units'."""
    if not getattr(person, "is_authenticated", False):
        return LegalHold.objects.none()
    if may_see_disposal(person) or org.mayor_post(person):
        return LegalHold.objects.all()
    managed = {
        unit
        for post in org.effective_posts(person)
        if post.rank >= RANK[PositionKind.MUDUR]
        for unit in org.subtree(post.unit_id, org.unit_parents(person))
    }
    if not managed:
        return LegalHold.objects.none()
    return LegalHold.objects.filter(
        Q(folder__unit_id__in=managed) | Q(document__registry_id__in=managed)
    )


def may_place_holds(person) -> bool:
    """Whether the person holds any post that could place a hold somewhere."""
    return any(p.rank >= RANK[PositionKind.MUDUR] for p in org.effective_posts(person))
