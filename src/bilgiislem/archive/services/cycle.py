"""The archive's yearly cycle (Devlet Arşiv Hizmetleri Yönetmeliği 2019; standards.md 4):

- **January**: each unit checks the list of its folders closed the year before; its Director
  (or Chief, or the head of the unit) confirms the check (``AnnualReview``).
- **February**: folders whose unit-archive period has ended go to the institutional archive on
  a transfer list (devir-teslim listesi) that the unit hands over and the institutional
  archive officer receives; the folders' stage becomes ``institution_archive``. A legal hold
  stops disposal, not transfer.
- **March**: the disposal commission's work (archive/services/disposal.py).

On the first business day of each of these months a daily task records a reminder to the
people concerned.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
import io

from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from bilgiislem.audit.models import AuditEvent
from bilgiislem.audit.services import audit_record
from bilgiislem.core import calendar
from bilgiislem.core.errors import DomainError
from bilgiislem.organization import permissions as org
from bilgiislem.organization.choices import MANAGERIAL_RANK, PositionKind, UnitKind
from bilgiislem.organization.models import ActingAssignment, OrgUnit, PositionHolding
from bilgiislem.registry.permissions import unit_facts
from bilgiislem.registry.services._common import acting_for, atomic_service, refuse

from .. import officers
from ..choices import FolderStage, TransferKind, TransferState
from ..models import AnnualReview, CommissionMember, Folder, TransferList

LIVE_TRANSFER = (TransferState.DRAFT, TransferState.HANDED_OVER)


# --- who ------------------------------------------------------------------------------------


def _directorate_line(unit_id: int, person=None) -> list[int]:
    """The unit and the units above it up to its directorate (not beyond: a Deputy Mayor
    does not sign a unit's archive lists)."""
    parents = org.unit_parents(person)
    facts = unit_facts(parents)
    line = []
    for ancestor in org.ancestors_or_self(unit_id, parents):
        line.append(ancestor)
        if facts.get(ancestor, ("",))[0] == UnitKind.MUDURLUK:
            break
    return line


def unit_manager_post(person, unit_id: int) -> org.EffectivePost | None:
    """The person's managerial post over the unit within its directorate: its Director, its
    Chief, or the head of the unit (held or acting)."""
    line = set(_directorate_line(unit_id, person))
    for post in org.effective_posts(person):
        if post.rank >= MANAGERIAL_RANK and post.unit_id in line:
            return post
    return None


def unit_side_post(person, unit_id: int) -> org.EffectivePost | None:
    """Who signs for the unit handing folders over: its managers or its archive officer."""
    return unit_manager_post(person, unit_id) or officers.officer_post(
        person, unit_id, FolderStage.UNIT_ARCHIVE
    )


def institution_officer_post(person) -> org.EffectivePost | None:
    return officers.officer_post(person, None, FolderStage.INSTITUTION_ARCHIVE)


def cycle_unit_ids(person) -> set[int] | None:
    """Units whose cycle the person follows (None: all): the units they manage (within
    their directorate), those whose archive they keep or supervise."""
    if not getattr(person, "is_authenticated", False):
        return set()
    if person.is_superuser:
        return None
    scope = officers.officer_scope(person) | officers.supervisor_scope(person)
    if scope.institution:
        return None
    return set(org.managed_unit_ids(person)) | set(scope.unit_ids)


def _in_units(queryset, units, field="unit_id"):
    return queryset if units is None else queryset.filter(**{f"{field}__in": units})


# --- January: the annual review --------------------------------------------------------------


@dataclasses.dataclass
class UnitReview:
    unit: OrgUnit
    year: int
    folders: list[Folder]
    review: AnnualReview | None

    @property
    def confirmed(self) -> bool:
        return self.review is not None and self.review.checked_at is not None


def closed_folders(year: int):
    """Folders of ``year`` that have been closed (the January list)."""
    return Folder.objects.filter(year=year, closed_at__isnull=False).select_related(
        "unit", "code", "location"
    )


def annual_review_lists(year: int, *, person=None, unit=None) -> list[UnitReview]:
    """Each unit's list of its folders of ``year`` closed since, to check in January of the
    next year; only the units the person follows when ``person`` is given."""
    folders = closed_folders(year).order_by("unit__name", "code__code", "id")
    if person is not None:
        folders = _in_units(folders, cycle_unit_ids(person))
    if unit is not None:
        folders = folders.filter(unit=unit)
    by_unit: dict[int, UnitReview] = {}
    reviews = {
        r.unit_id: r for r in AnnualReview.objects.filter(year=year).select_related("checked_by")
    }
    for folder in folders:
        entry = by_unit.get(folder.unit_id)
        if entry is None:
            entry = by_unit[folder.unit_id] = UnitReview(
                folder.unit, year, [], reviews.get(folder.unit_id)
            )
        entry.folders.append(folder)
    return list(by_unit.values())


@atomic_service
def annual_review_confirm(*, actor, unit: OrgUnit, year: int, note: str = "") -> AnnualReview:
    """The unit's Director (or Chief, or unit head) confirms the January check of the unit's
    folders of ``year``."""
    post = unit_manager_post(actor, unit.pk)
    if post is None:
        refuse(
            actor=actor,
            action="archive.annual_review.confirm_refused",
            obj=unit,
            message=_("Only the unit's Director or Chief confirms its annual review."),
        )
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise DomainError(_("Give the year."), field="year") from None
    if year >= timezone.localdate().year:
        raise DomainError(_("Only the folders of a past year are reviewed."), field="year")
    folders = list(closed_folders(year).filter(unit=unit).values_list("pk", flat=True))
    if not folders:
        raise DomainError(
            _("The unit has no closed folders of %(year)s to review.") % {"year": year},
            field="year",
        )
    review, _created = AnnualReview.objects.select_for_update().get_or_create(unit=unit, year=year)
    if review.checked_at is not None:
        raise DomainError(
            _("The review of %(year)s is already confirmed.") % {"year": year}, field="year"
        )
    review.checked_by, review.checked_at = actor, timezone.now()
    review.note = (note or "").strip()
    review.save(update_fields=["checked_by", "checked_at", "note"])
    audit_record(
        actor=actor,
        action="archive.annual_review.confirmed",
        obj=review,
        changes={"unit": unit.name, "year": year, "folders": len(folders), "note": review.note},
        acting_for=acting_for(post),
    )
    return review


COLUMNS = ("code", "title", "year", "documents", "closed", "unit_until", "retention", "place")


def _column_labels() -> list[str]:
    return [
        _("File plan code"),
        _("Subject"),
        _("Year"),
        _("Documents"),
        _("Closed on"),
        _("In the unit archive until"),
        _("Retention ends"),
        _("Location"),
    ]


def _row(folder: Folder, paths: dict[int, str]) -> list:
    closed = timezone.localtime(folder.closed_at).strftime("%d.%m.%Y") if folder.closed_at else ""
    return [
        folder.code.code,
        folder.title,
        folder.year,
        folder.document_count,
        closed,
        folder.unit_archive_until or "",
        folder.retention_until or "",
        paths.get(folder.location_id, ""),
    ]


def folder_rows(folders) -> list[list]:
    from .locations import location_paths

    paths = location_paths() if any(f.location_id for f in folders) else {}
    return [_row(f, paths) for f in folders]


def annual_review_csv(review: UnitReview) -> bytes:
    """The unit's list as CSV for spreadsheets (UTF-8 with BOM, ``;``), like the registers."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(_column_labels())
    writer.writerows(folder_rows(review.folders))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _letterhead() -> str:
    from bilgiislem.organization.models import Institution

    institution = Institution.objects.first()
    return institution.letterhead if institution else ""


def annual_review_pdf(review: UnitReview, *, printed_by) -> bytes:
    from bilgiislem.core.pdf import html_to_pdf

    html = render_to_string(
        "archive/cycle/review_pdf.html",
        {
            "letterhead": _letterhead(),
            "review": review,
            "columns": _column_labels(),
            "rows": folder_rows(review.folders),
            "printed_at": timezone.localtime(),
            "printed_by": printed_by,
        },
    )
    return html_to_pdf(html, pdf_variant="pdf/a-3b")


# --- February: transfer to the institutional archive -----------------------------------------


def transfer_candidates(unit: OrgUnit, year: int):
    """Folders of the unit (and the units under it) in the unit archive whose period there
    ended before ``year`` and that are not already on a live transfer list."""
    units = org.subtree(unit.pk, org.unit_parents())
    live = TransferList.objects.filter(kind=TransferKind.TO_INSTITUTION, state__in=LIVE_TRANSFER)
    return (
        Folder.objects.filter(
            unit_id__in=units,
            stage=FolderStage.UNIT_ARCHIVE,
            unit_archive_until__isnull=False,
            unit_archive_until__lt=year,
        )
        .exclude(transfers__in=live)
        .select_related("unit", "code", "location")
        .order_by("unit__name", "code__code", "year", "id")
    )


def transfers_visible_to(person):
    units = cycle_unit_ids(person)
    lists = TransferList.objects.all()
    if units is None:
        return lists
    return lists.filter(unit_id__in=units)


def transfer_get_for_user(person, pk) -> TransferList:
    from django.http import Http404

    try:
        return (
            transfers_visible_to(person)
            .select_related("unit", "created_by", "handed_by", "received_by")
            .get(pk=pk)
        )
    except (TransferList.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such transfer list.")) from None


def _year(year) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise DomainError(_("Give the year."), field="year") from None
    if not 1900 < year <= timezone.localdate().year:
        raise DomainError(_("Give this year or a past year."), field="year")
    return year


def _folder_labels(folders) -> list[str]:
    return [f"{f.code.code} {f.title} ({f.year})" for f in folders]


@atomic_service
def transfer_list_prepare(*, actor, unit: OrgUnit, year: int) -> TransferList:
    """Propose the transfer list of a unit: every folder due to leave its unit archive."""
    post = unit_side_post(actor, unit.pk)
    if post is None:
        refuse(
            actor=actor,
            action="archive.transfer.prepare_refused",
            obj=unit,
            message=_("Only the unit's Director, Chief or archive officer prepares its list."),
        )
    year = _year(year)
    folders = list(transfer_candidates(unit, year))
    if not folders:
        raise DomainError(
            _("No folder of this unit is due for transfer in %(year)s.") % {"year": year},
            field="unit",
        )
    transfer = TransferList.objects.create(
        kind=TransferKind.TO_INSTITUTION, unit=unit, year=year, created_by=actor
    )
    transfer.folders.set(folders)
    audit_record(
        actor=actor,
        action="archive.transfer.prepared",
        obj=transfer,
        changes={"unit": unit.name, "year": year, "folders": _folder_labels(folders)},
        acting_for=acting_for(post),
    )
    return transfer


def _lock(transfer: TransferList) -> TransferList:
    transfer.state = (
        TransferList.objects.select_for_update().values_list("state", flat=True).get(pk=transfer.pk)
    )
    return transfer


def _unit_side_or_refuse(actor, transfer, verb):
    post = unit_side_post(actor, transfer.unit_id)
    if post is None:
        refuse(
            actor=actor,
            action=f"archive.transfer.{verb}_refused",
            obj=transfer,
            message=_("Only the unit's Director, Chief or archive officer signs for the unit."),
        )
    return post


@atomic_service
def transfer_list_remove(*, actor, transfer: TransferList, folder: Folder, reason: str):
    """Take a folder off a draft list (it stays in the unit archive for now)."""
    _lock(transfer)
    post = _unit_side_or_refuse(actor, transfer, "remove")
    if transfer.state != TransferState.DRAFT:
        raise DomainError(_("Only a draft list can be changed."), field="state")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the folder stays."), field="reason")
    if not transfer.folders.filter(pk=folder.pk).exists():
        raise DomainError(_("That folder is not on this list."), field="folder")
    transfer.folders.remove(folder)
    audit_record(
        actor=actor,
        action="archive.transfer.folder_removed",
        obj=transfer,
        changes={"folder": _folder_labels([folder])[0]},
        reason=reason,
        acting_for=acting_for(post),
    )
    return transfer


@atomic_service
def transfer_list_cancel(*, actor, transfer: TransferList, reason: str) -> TransferList:
    _lock(transfer)
    post = _unit_side_or_refuse(actor, transfer, "cancel")
    if transfer.state != TransferState.DRAFT:
        raise DomainError(_("Only a draft list can be cancelled."), field="state")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the list is cancelled."), field="reason")
    transfer.state = TransferState.CANCELLED
    transfer.save(update_fields=["state"])
    audit_record(
        actor=actor,
        action="archive.transfer.cancelled",
        obj=transfer,
        changes={"state": [TransferState.DRAFT, TransferState.CANCELLED]},
        reason=reason,
        acting_for=acting_for(post),
    )
    return transfer


@atomic_service
def transfer_list_hand_over(*, actor, transfer: TransferList) -> TransferList:
    """The unit signs the list off: the folders are handed to the institutional archive."""
    _lock(transfer)
    post = _unit_side_or_refuse(actor, transfer, "hand_over")
    if transfer.state != TransferState.DRAFT:
        raise DomainError(_("This list has already been handed over."), field="state")
    count = transfer.folders.count()
    if not count:
        raise DomainError(_("The list has no folders."), field="folders")
    transfer.state = TransferState.HANDED_OVER
    transfer.handed_by, transfer.handed_at = actor, timezone.now()
    transfer.save(update_fields=["state", "handed_by", "handed_at"])
    audit_record(
        actor=actor,
        action="archive.transfer.handed_over",
        obj=transfer,
        changes={"state": [TransferState.DRAFT, TransferState.HANDED_OVER], "folders": count},
        acting_for=acting_for(post),
    )
    return transfer


@atomic_service
def transfer_list_receive(*, actor, transfer: TransferList) -> TransferList:
    """The institutional archive officer signs for the folders: they are in the
    institutional archive now (their unit-archive places are cleared, to be placed again)."""
    _lock(transfer)
    post = institution_officer_post(actor)
    if post is None:
        refuse(
            actor=actor,
            action="archive.transfer.receive_refused",
            obj=transfer,
            message=_("Only the institutional archive officer receives a transfer list."),
        )
    if transfer.state != TransferState.HANDED_OVER:
        raise DomainError(_("Only a list the unit has handed over can be received."), field="state")
    # To the State Archives the receiving side is outside: the institutional officer records
    # the receipt the State Archives signed (Devir-Teslim ve Envanter Formu).
    if transfer.kind == TransferKind.TO_STATE_ARCHIVES:
        sources = {FolderStage.UNIT_ARCHIVE, FolderStage.INSTITUTION_ARCHIVE}
        target = FolderStage.STATE_ARCHIVES
    else:
        sources, target = {FolderStage.UNIT_ARCHIVE}, FolderStage.INSTITUTION_ARCHIVE
    folders = list(transfer.folders.select_for_update(of=("self",)).select_related("code"))
    moving = [f for f in folders if f.stage in sources]
    Folder.objects.filter(pk__in=[f.pk for f in moving]).update(stage=target, location=None)
    transfer.state = TransferState.RECEIVED
    transfer.received_by, transfer.received_at = actor, timezone.now()
    transfer.save(update_fields=["state", "received_by", "received_at"])
    audit_record(
        actor=actor,
        action="archive.transfer.received",
        obj=transfer,
        changes={
            "state": [TransferState.HANDED_OVER, TransferState.RECEIVED],
            "folders": _folder_labels(moving),
            "stage": target,
        },
        acting_for=acting_for(post),
    )
    return transfer


def transfer_list_pdf(transfer: TransferList, *, printed_by) -> bytes:
    """The devir-teslim listesi to print and sign by both sides."""
    from bilgiislem.core.pdf import html_to_pdf

    folders = list(
        transfer.folders.select_related("code", "location").order_by("code__code", "year", "id")
    )
    html = render_to_string(
        "archive/cycle/transfer_pdf.html",
        {
            "letterhead": _letterhead(),
            "transfer": transfer,
            "columns": _column_labels(),
            "rows": folder_rows(folders),
            "total_documents": sum(f.document_count for f in folders),
            "printed_at": timezone.localtime(),
            "printed_by": printed_by,
        },
    )
    return html_to_pdf(html, pdf_variant="pdf/a-3b")


# --- the year at a glance --------------------------------------------------------------------


@dataclasses.dataclass
class UnitCycle:
    unit: OrgUnit
    review_folders: int
    review: AnnualReview | None
    transfer_due: int
    transfers: list[TransferList]


def cycle_overview(person, year: int | None = None) -> list[UnitCycle]:
    """This year's state per unit: the January review of last year's folders, the February
    transfer (folders due, lists and their state)."""
    year = year or timezone.localdate().year
    units = cycle_unit_ids(person)
    review_counts = dict(
        _in_units(closed_folders(year - 1), units)
        .values_list("unit_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
    )
    due_counts = dict(
        _in_units(
            Folder.objects.filter(stage=FolderStage.UNIT_ARCHIVE, unit_archive_until__lt=year),
            units,
        )
        .values_list("unit_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
    )
    reviews = {
        r.unit_id: r
        for r in _in_units(AnnualReview.objects.filter(year=year - 1), units).select_related(
            "checked_by"
        )
    }
    transfers: dict[int, list[TransferList]] = {}
    for t in _in_units(TransferList.objects.filter(year=year), units).order_by("created_at"):
        transfers.setdefault(t.unit_id, []).append(t)
    ids = set(review_counts) | set(due_counts) | set(transfers)
    rows = []
    for unit in OrgUnit.objects.filter(pk__in=ids).order_by("sort_order", "name"):
        rows.append(
            UnitCycle(
                unit=unit,
                review_folders=review_counts.get(unit.pk, 0),
                review=reviews.get(unit.pk),
                transfer_due=due_counts.get(unit.pk, 0),
                transfers=transfers.get(unit.pk, []),
            )
        )
    return rows


# --- reminders -------------------------------------------------------------------------------

STEPS = {1: "review", 2: "transfer", 3: "disposal"}


def first_business_day(year: int, month: int) -> datetime.date:
    day = datetime.date(year, month, 1)
    while not calendar.is_business_day(day):
        day += datetime.timedelta(days=1)
    return day


def _people(positions_q: Q, on: datetime.date) -> set[str]:
    holders = PositionHolding.objects.active_on(on).filter(positions_q)
    acting = ActingAssignment.objects.active_on(on).filter(positions_q)
    names = {h.person.get_username() for h in holders.select_related("person")}
    names |= {a.acting_person.get_username() for a in acting.select_related("acting_person")}
    return names


def _directors_of(unit_ids, on) -> set[str]:
    """The Directors of the directorates of the given units."""
    directorates = {_directorate_line(u)[-1] for u in unit_ids}
    return _people(Q(position__unit_id__in=directorates, position__kind=PositionKind.MUDUR), on)


def _officers(on) -> set[str]:
    return _people(Q(position__kind=PositionKind.ARSIV_GOREVLISI), on)


def _commission_chairs(on) -> set[str]:
    chairs = CommissionMember.objects.filter(role="chair", commission__valid_from__lte=on).filter(
        Q(commission__valid_until__isnull=True) | Q(commission__valid_until__gte=on)
    )
    return {m.person.get_username() for m in chairs.select_related("person")}


def cycle_recipients(step: str, today: datetime.date) -> list[str]:
    """Who is reminded of a step: units' Directors and archive officers; in March the
    disposal commission's chair and the archive officers."""
    if step == "review":
        units = closed_folders(today.year - 1).values_list("unit_id", flat=True).distinct()
        names = _directors_of(set(units), today) | _officers(today)
    elif step == "transfer":
        units = (
            Folder.objects.filter(stage=FolderStage.UNIT_ARCHIVE, unit_archive_until__lt=today.year)
            .values_list("unit_id", flat=True)
            .distinct()
        )
        names = _directors_of(set(units), today) | _officers(today)
    else:
        names = _commission_chairs(today) | _officers(today)
    return sorted(names)


def cycle_remind(today: datetime.date) -> str | None:
    """On the first business day of January, February and March, record the reminder of
    that month's step to the people concerned. Returns the step reminded, or None.

    Idempotent: one reminder per month, whatever the number of runs.
    """
    step = STEPS.get(today.month)
    if step is None or today != first_business_day(today.year, today.month):
        return None
    key = f"{today.year}-{today.month:02d} {step}"
    from django.db import transaction

    with transaction.atomic():
        if AuditEvent.objects.filter(action="archive.cycle.reminded", object_repr=key).exists():
            return None
        audit_record(
            actor=None,
            action="archive.cycle.reminded",
            obj=None,
            changes={
                "step": step,
                "year": today.year,
                "to": cycle_recipients(step, today),
            },
            object_repr=key,
        )
    return step
