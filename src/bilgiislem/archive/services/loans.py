"""Retrieval of archived records (RYY art. 13(c)): "the archive officer and their superior
answer for keeping the documents in the archive and producing them whenever asked".

Any staff member asks for a record they may see (a document through the registry's
visibility, or a folder), saying why and whether they need the paper original or the
electronic record. The archive officer's superior approves or rejects it. The archive officer
then lends the paper against a due date (the borrower returns it, the officer acknowledges
receipt and the loan closes) or grants access to the electronic record until a date. A daily
task reminds borrowers the day before the due date and escalates overdue loans to the
superiors once a day; expired grants close by themselves. Every step is in the audit trail.
"""

from __future__ import annotations

import dataclasses
import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from bilgiislem.audit.services import audit_record
from bilgiislem.core import calendar
from bilgiislem.core.errors import DomainError
from bilgiislem.organization import permissions as org
from bilgiislem.registry.choices import RESTRICTED_SECRECY, Medium
from bilgiislem.registry.models import Document
from bilgiislem.registry.services._common import acting_for, atomic_service, refuse

from .. import officers
from ..choices import DisposalState, RetrievalKind, RetrievalState
from ..models import ArchivedRecord, Filing, Folder, RetrievalRequest

S = RetrievalState
# A request still in progress (the same person may not ask twice for the same record).
OPEN_STATES = (S.REQUESTED, S.APPROVED, S.LENT, S.GRANTED, S.RETURNED)
# The paper is out of the archive.
OUT_STATES = (S.LENT, S.RETURNED)


def loan_days() -> int:
    """Business days a paper original is lent for (BILGIISLEM_LOAN_DAYS, 10 by default)."""
    return int(getattr(settings, "BILGIISLEM_LOAN_DAYS", 10))


def default_due_date(on: datetime.date | None = None) -> datetime.date:
    return calendar.add_business_days(on or timezone.localdate(), loan_days())


# --- what the person may see -----------------------------------------------------------------


def folders_visible_to(person):
    """Folders the person may see (``archive.querysets.folders_visible_to``), and those kept
    by the archive officers the person is or supervises."""
    from ..querysets import folders_visible_to as records_rule

    visible = records_rule(person)
    scope = officers.officer_scope(person) | officers.supervisor_scope(person)
    return (visible | Folder.objects.filter(scope.folder_q())) if scope else visible


def retrievals_visible_to(person):
    """Requests the person made, and those of records the person keeps or supervises."""
    if not getattr(person, "is_authenticated", False):
        return RetrievalRequest.objects.none()
    if person.is_superuser:
        return RetrievalRequest.objects.all()
    scope = officers.officer_scope(person) | officers.supervisor_scope(person)
    q = Q(requester=person)
    if scope:
        q |= scope.folder_q("folder__") | scope.folder_q("document__archived_record__folder__")
    return RetrievalRequest.objects.filter(q)


def retrieval_get_for_user(person, pk) -> RetrievalRequest:
    """The request if the person may see it, else 404."""
    try:
        return retrievals_visible_to(person).select_related(*RELATED).get(pk=pk)
    except (RetrievalRequest.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such retrieval request.")) from None


RELATED = (
    "requester",
    "document__registry",
    "document__archived_record__folder__unit",
    "document__archived_record__folder__code",
    "folder__unit",
    "folder__code",
    "decided_by",
    "lent_by",
    "received_by",
)


def record_folder(request: RetrievalRequest) -> Folder:
    """The folder the requested record is kept in (the folder itself for a folder)."""
    if request.folder_id:
        return request.folder
    return request.document.archived_record.folder


def record_label(request: RetrievalRequest) -> str:
    """How the record is named on lists: a Gizli subject stays off them, the number is shown."""
    if request.document_id:
        document = request.document
        if document.secrecy in RESTRICTED_SECRECY:
            return document.number_label
        return f"{document.number_label} {document.subject}"
    folder = request.folder
    return f"{folder.unit} — {folder.code.code} {folder.title} ({folder.year})"


def has_retrieval_access(person, document, on: datetime.date | None = None) -> bool:
    """Whether an electronic grant lets the person open this document's files now.

    A grant of the document itself or of a folder it is filed in counts, until its date.
    The registry's pages can consult this for a document outside the person's visibility.
    """
    if not getattr(person, "is_authenticated", False) or not person.is_active:
        return False
    on = on or timezone.localdate()
    folder_ids = set(Filing.objects.filter(document=document).values_list("folder_id", flat=True))
    folder_ids |= set(
        ArchivedRecord.objects.filter(document=document).values_list("folder_id", flat=True)
    )
    return (
        RetrievalRequest.objects.filter(
            requester=person, kind=RetrievalKind.ELECTRONIC, state=S.GRANTED, due_date__gte=on
        )
        .filter(Q(document=document) | Q(folder_id__in=folder_ids))
        .exists()
    )


def is_officer_for(person, request: RetrievalRequest) -> org.EffectivePost | None:
    folder = record_folder(request)
    return officers.officer_post(person, folder.unit_id, folder.stage)


def is_superior_for(person, request: RetrievalRequest) -> org.EffectivePost | None:
    folder = record_folder(request)
    return officers.superior_of_keeper(person, folder.unit_id, folder.stage)


@dataclasses.dataclass(frozen=True)
class Allowed:
    """What the person may do with a request now (the page shows these buttons only)."""

    approve: bool = False
    lend: bool = False
    grant: bool = False
    return_: bool = False
    receive: bool = False
    end_access: bool = False
    cancel: bool = False

    def __bool__(self):
        return any(dataclasses.astuple(self))


def allowed_actions(person, request: RetrievalRequest) -> Allowed:
    mine = request.requester_id == person.pk
    state = request.state
    superior = state == S.REQUESTED and not mine and is_superior_for(person, request) is not None
    officer = state in (S.APPROVED, S.LENT, S.RETURNED, S.GRANTED) and (
        is_officer_for(person, request) is not None
    )
    paper = request.kind == RetrievalKind.PAPER
    return Allowed(
        approve=superior,
        lend=officer and state == S.APPROVED and paper,
        grant=officer and state == S.APPROVED and not paper,
        return_=mine and state == S.LENT,
        receive=officer and state in OUT_STATES,
        end_access=officer and state == S.GRANTED,
        cancel=mine and state in (S.REQUESTED, S.APPROVED),
    )


# --- asking ----------------------------------------------------------------------------------


def _check_record(*, actor, document, folder, kind) -> Folder:
    """The folder the record is kept in, after checking it may be asked for (404 if the
    person may not see it, 400 naming the field if it cannot be retrieved)."""
    if (document is None) == (folder is None):
        raise DomainError(_("Ask for one document or one folder."), field="document")
    if document is not None:
        if not Document.objects.visible_to(actor).filter(pk=document.pk).exists():
            raise Http404(_("No such document."))
        record = ArchivedRecord.objects.filter(document=document).select_related("folder").first()
        if record is None:
            raise DomainError(
                _("This document is not in the archive: ask its holder instead."),
                field="document",
            )
        if record.disposal_state != DisposalState.KEPT:
            raise DomainError(_("This record has been disposed of."), field="document")
        if kind == RetrievalKind.PAPER and document.medium != Medium.PAPER:
            raise DomainError(
                _("This document has no paper original: ask for the electronic record."),
                field="kind",
            )
        folder_of = record.folder
    else:
        if not folders_visible_to(actor).filter(pk=folder.pk).exists():
            raise Http404(_("No such folder."))
        folder_of = folder
    if folder_of.stage not in officers.RETRIEVABLE_STAGES:
        raise DomainError(
            _("The archive no longer keeps this record (%(stage)s).")
            % {"stage": folder_of.get_stage_display()},
            field="folder" if folder is not None else "document",
        )
    if not officers.keepers_of(folder_of.unit_id, folder_of.stage):
        raise DomainError(_("No archive officer keeps this record yet."), field="__all__")
    return folder_of


@atomic_service
def retrieval_request(
    *, actor, kind: str, reason: str, document=None, folder=None
) -> RetrievalRequest:
    """Ask for an archived record: its paper original on loan, or access to the electronic
    record for a time."""
    if kind not in RetrievalKind.values:
        raise DomainError(_("Choose the paper original or the electronic record."), field="kind")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why you need the record."), field="reason")
    _check_record(actor=actor, document=document, folder=folder, kind=kind)
    same = RetrievalRequest.objects.filter(requester=actor, kind=kind, state__in=OPEN_STATES)
    same = same.filter(document=document) if document is not None else same.filter(folder=folder)
    if same.exists():
        raise DomainError(
            _("You already have a request in progress for this record."),
            field="document" if document is not None else "folder",
        )
    request = RetrievalRequest.objects.create(
        requester=actor, document=document, folder=folder, kind=kind, reason=reason
    )
    audit_record(
        actor=actor,
        action="archive.retrieval.requested",
        obj=request,
        changes={"record": record_label(request), "kind": kind, "reason": reason},
        object_repr=record_label(request),
    )
    return request


def _lock(request: RetrievalRequest) -> RetrievalRequest:
    """Re-read the request under a row lock: two clicks cannot both move it on."""
    fresh = RetrievalRequest.objects.select_for_update().get(pk=request.pk)
    for field in ("state", "due_date", "returned_at", "decided_at", "lent_at"):
        setattr(request, field, getattr(fresh, field))
    return request


def _state(request: RetrievalRequest, allowed, message) -> None:
    if request.state not in allowed:
        raise DomainError(message, field="state")


def _save(request, fields, *, actor, action, changes, post=None, reason=""):
    request.save(update_fields=fields)
    audit_record(
        actor=actor,
        action=action,
        obj=request,
        changes=changes,
        acting_for=acting_for(post),
        reason=reason,
        object_repr=record_label(request),
    )
    return request


# --- the superior decides --------------------------------------------------------------------


def _superior_or_refuse(actor, request, verb):
    post = is_superior_for(actor, request)
    if post is None or request.requester_id == actor.pk:
        refuse(
            actor=actor,
            action=f"archive.retrieval.{verb}_refused",
            obj=request,
            message=_("Only the archive officer's superior decides on this request.")
            if post is None
            else _("You may not decide on your own request."),
        )
    return post


@atomic_service
def retrieval_approve(*, actor, request: RetrievalRequest, note: str = "") -> RetrievalRequest:
    _lock(request)
    post = _superior_or_refuse(actor, request, "approve")
    _state(request, (S.REQUESTED,), _("This request has already been decided."))
    request.state = S.APPROVED
    request.decided_by, request.decided_at = actor, timezone.now()
    request.decision_note = (note or "").strip()
    return _save(
        request,
        ["state", "decided_by", "decided_at", "decision_note"],
        actor=actor,
        action="archive.retrieval.approved",
        changes={"state": [S.REQUESTED, S.APPROVED], "note": request.decision_note},
        post=post,
    )


@atomic_service
def retrieval_reject(*, actor, request: RetrievalRequest, note: str) -> RetrievalRequest:
    _lock(request)
    post = _superior_or_refuse(actor, request, "reject")
    _state(request, (S.REQUESTED,), _("This request has already been decided."))
    note = (note or "").strip()
    if not note:
        raise DomainError(_("Say why the request is rejected."), field="note")
    request.state = S.REJECTED
    request.decided_by, request.decided_at, request.decision_note = actor, timezone.now(), note
    return _save(
        request,
        ["state", "decided_by", "decided_at", "decision_note"],
        actor=actor,
        action="archive.retrieval.rejected",
        changes={"state": [S.REQUESTED, S.REJECTED]},
        post=post,
        reason=note,
    )


@atomic_service
def retrieval_cancel(*, actor, request: RetrievalRequest) -> RetrievalRequest:
    """The requester withdraws a request not yet lent or granted."""
    _lock(request)
    if request.requester_id != actor.pk:
        refuse(
            actor=actor,
            action="archive.retrieval.cancel_refused",
            obj=request,
            message=_("Only the person who asked withdraws a request."),
        )
    _state(
        request,
        (S.REQUESTED, S.APPROVED),
        _("Only a request not yet lent or granted can be withdrawn."),
    )
    before = request.state
    request.state = S.CANCELLED
    return _save(
        request,
        ["state"],
        actor=actor,
        action="archive.retrieval.cancelled",
        changes={"state": [before, S.CANCELLED]},
    )


# --- the archive officer lends or grants -----------------------------------------------------


def _officer_or_refuse(actor, request, verb):
    post = is_officer_for(actor, request)
    if post is None:
        refuse(
            actor=actor,
            action=f"archive.retrieval.{verb}_refused",
            obj=request,
            message=_("Only the archive officer keeping this record does this."),
        )
    return post


def _future(date, field, today) -> datetime.date:
    if not isinstance(date, datetime.date):
        raise DomainError(_("Give a date."), field=field)
    if date <= today:
        raise DomainError(_("The date must be after today."), field=field)
    if date > today + datetime.timedelta(days=366):
        raise DomainError(_("The date must be within a year."), field=field)
    return date


def _paper_out(request: RetrievalRequest) -> bool:
    """Whether the paper of this record (or of the folder it is in, or a document of the
    folder asked for) is already out of the archive."""
    folder = record_folder(request)
    out = RetrievalRequest.objects.filter(kind=RetrievalKind.PAPER, state__in=OUT_STATES)
    out = out.exclude(pk=request.pk)
    if request.document_id:
        clash = Q(document_id=request.document_id) | Q(folder_id=folder.pk)
    else:
        clash = Q(folder_id=folder.pk) | Q(document__archived_record__folder_id=folder.pk)
    return out.filter(clash).exists()


@atomic_service
def retrieval_lend(
    *, actor, request: RetrievalRequest, due_date: datetime.date | None = None
) -> RetrievalRequest:
    """Hand the paper original to the requester against a due date (zimmet)."""
    _lock(request)
    post = _officer_or_refuse(actor, request, "lend")
    today = timezone.localdate()
    if request.kind != RetrievalKind.PAPER:
        raise DomainError(_("An electronic record is granted, not lent."), field="kind")
    _state(request, (S.APPROVED,), _("Only an approved request can be lent."))
    due_date = _future(due_date or default_due_date(today), "due_date", today)
    if _paper_out(request):
        raise DomainError(
            _("The paper original is out on another loan; it must come back first."),
            field="__all__",
        )
    request.state = S.LENT
    request.lent_by, request.lent_at, request.due_date = actor, timezone.now(), due_date
    return _save(
        request,
        ["state", "lent_by", "lent_at", "due_date"],
        actor=actor,
        action="archive.retrieval.lent",
        changes={
            "state": [S.APPROVED, S.LENT],
            "to": request.requester.get_username(),
            "due_date": due_date,
        },
        post=post,
    )


@atomic_service
def retrieval_grant(
    *, actor, request: RetrievalRequest, until: datetime.date | None = None
) -> RetrievalRequest:
    """Let the requester open the electronic record until a date."""
    _lock(request)
    post = _officer_or_refuse(actor, request, "grant")
    today = timezone.localdate()
    if request.kind != RetrievalKind.ELECTRONIC:
        raise DomainError(_("A paper original is lent, not granted."), field="kind")
    _state(request, (S.APPROVED,), _("Only an approved request can be granted."))
    until = _future(until or default_due_date(today), "due_date", today)
    request.state = S.GRANTED
    request.lent_by, request.lent_at, request.due_date = actor, timezone.now(), until
    return _save(
        request,
        ["state", "lent_by", "lent_at", "due_date"],
        actor=actor,
        action="archive.retrieval.granted",
        changes={
            "state": [S.APPROVED, S.GRANTED],
            "to": request.requester.get_username(),
            "until": until,
        },
        post=post,
    )


@atomic_service
def retrieval_end_access(*, actor, request: RetrievalRequest) -> RetrievalRequest:
    """End an electronic grant before its date."""
    _lock(request)
    post = _officer_or_refuse(actor, request, "end_access")
    _state(request, (S.GRANTED,), _("Only granted access can be ended."))
    request.state = S.CLOSED
    request.received_by, request.received_at = actor, timezone.now()
    return _save(
        request,
        ["state", "received_by", "received_at"],
        actor=actor,
        action="archive.retrieval.access_ended",
        changes={"state": [S.GRANTED, S.CLOSED]},
        post=post,
    )


# --- the borrower returns, the officer receives ----------------------------------------------


@atomic_service
def retrieval_return(*, actor, request: RetrievalRequest) -> RetrievalRequest:
    """The borrower brings the paper back; the officer still acknowledges receipt."""
    _lock(request)
    if request.requester_id != actor.pk:
        refuse(
            actor=actor,
            action="archive.retrieval.return_refused",
            obj=request,
            message=_("Only the borrower returns a loan."),
        )
    _state(
        request,
        (S.LENT,),
        _("Only a lent record can be returned (this request is: %(state)s).")
        % {"state": request.get_state_display()},
    )
    request.state = S.RETURNED
    request.returned_at = timezone.now()
    return _save(
        request,
        ["state", "returned_at"],
        actor=actor,
        action="archive.retrieval.returned",
        changes={"state": [S.LENT, S.RETURNED]},
    )


@atomic_service
def retrieval_receive(*, actor, request: RetrievalRequest) -> RetrievalRequest:
    """The archive officer acknowledges the paper is back (the loan closes). The officer may
    receive it straight from a loan when the borrower hands it over in person."""
    _lock(request)
    post = _officer_or_refuse(actor, request, "receive")
    _state(
        request,
        OUT_STATES,
        _("Only a lent record can be received back (this request is: %(state)s).")
        % {"state": request.get_state_display()},
    )
    before = request.state
    now = timezone.now()
    request.state = S.CLOSED
    request.received_by, request.received_at = actor, now
    request.returned_at = request.returned_at or now
    late = request.due_date is not None and timezone.localdate() > request.due_date
    return _save(
        request,
        ["state", "received_by", "received_at", "returned_at"],
        actor=actor,
        action="archive.retrieval.received",
        changes={"state": [before, S.CLOSED], "late": late},
        post=post,
    )


# --- reminders -------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class LoanReminderRun:
    reminded: int
    escalated: int
    expired: int


def _names(people) -> list[str]:
    return [p.get_username() for p in people]


def loans_remind_due(today: datetime.date) -> LoanReminderRun:
    """Remind borrowers of loans due by the next business day, escalate overdue loans to the
    officer's superiors, and close electronic grants whose date has passed.

    Idempotent per request per day: ``reminded_on`` / ``escalated_on`` are claimed with a
    conditional UPDATE, so two runs on one day record each reminder once.
    """
    reminded = escalated = expired = 0
    horizon = calendar.next_business_day(today)
    lent = RetrievalRequest.objects.filter(
        kind=RetrievalKind.PAPER, state__in=OUT_STATES, due_date__isnull=False
    ).select_related(*RELATED)
    with transaction.atomic():
        for request in lent.filter(state=S.LENT, due_date__gt=today, due_date__lte=horizon):
            claimed = RetrievalRequest.objects.filter(pk=request.pk).exclude(reminded_on=today)
            if not claimed.update(reminded_on=today):
                continue
            audit_record(
                actor=None,
                action="archive.retrieval.reminded",
                obj=request,
                changes={
                    "record": record_label(request),
                    "to": request.requester.get_username(),
                    "due_date": request.due_date,
                },
                object_repr=record_label(request),
            )
            reminded += 1
        for request in lent.filter(state=S.LENT, due_date__lt=today):
            claimed = RetrievalRequest.objects.filter(pk=request.pk).exclude(escalated_on=today)
            if not claimed.update(escalated_on=today):
                continue
            folder = record_folder(request)
            audit_record(
                actor=None,
                action="archive.retrieval.escalated",
                obj=request,
                changes={
                    "record": record_label(request),
                    "late": request.requester.get_username(),
                    "due_date": request.due_date,
                    "business_days_late": calendar.business_days_between(request.due_date, today),
                    "escalated_to": _names(officers.superiors_of(folder.unit_id, folder.stage)),
                    "officers": _names(officers.officers_of(folder.unit_id, folder.stage)),
                },
                object_repr=record_label(request),
            )
            escalated += 1
        grants = RetrievalRequest.objects.filter(state=S.GRANTED, due_date__lt=today)
        for request in grants.select_related(*RELATED):
            if not RetrievalRequest.objects.filter(pk=request.pk, state=S.GRANTED).update(
                state=S.CLOSED
            ):
                continue
            audit_record(
                actor=None,
                action="archive.retrieval.access_expired",
                obj=request,
                changes={"state": [S.GRANTED, S.CLOSED], "until": request.due_date},
                object_repr=record_label(request),
            )
            expired += 1
    return LoanReminderRun(reminded=reminded, escalated=escalated, expired=expired)
