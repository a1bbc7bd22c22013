"""Actions people take on the organisation. Each runs in one transaction, checks the actor's
posts, and writes its audit event (DESIGN.md invariants 1 and 5).

``actor=None`` means the system itself (loading the organisation file from a management
command); interfaces always pass the signed-in person.
"""

import datetime

from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bilgiislem.audit.services import audit_record
from bilgiislem.core.errors import DomainError, PermissionDeniedError

from . import permissions
from .choices import (
    HEAD_OF,
    SINGLE_HOLDER_KINDS,
    PositionKind,
    RecipientClass,
    RequestStatus,
    UnitChangeKind,
    UnitKind,
    rank_of,
)
from .models import (
    ActingAssignment,
    AppointmentRequest,
    OrgUnit,
    OrgUnitVersion,
    Person,
    Position,
    PositionHolding,
    SignatureDelegation,
    UnitChangeRequest,
)


def _acting_for(post):
    """The post to record in the audit trail when the actor used an acting assignment."""
    return post.position if post is not None and post.acting is not None else None


def _require(post, message):
    if post is None:
        raise PermissionDeniedError(message)
    return post


def _check_range(start: datetime.date, end: datetime.date | None):
    if end is not None and end < start:
        raise DomainError(_("The end date cannot be before the start date."), field="end_date")


# --- people and holdings -------------------------------------------------------------------


def _people_admin(actor):
    if actor is None or actor.is_superuser:
        return None
    return _require(
        permissions.people_admin_post(actor), _("Only the system's Director manages accounts.")
    )


@transaction.atomic
def person_create(
    *, actor, username, first_name, last_name, email="", title="", phone="", password=None
) -> Person:
    """Open an account for a member of staff."""
    post = _people_admin(actor)
    if Person.objects.filter(username__iexact=username).exists():
        raise DomainError(_("This username is already taken."), field="username")
    person = Person(
        username=username, first_name=first_name, last_name=last_name, email=email,
        title=title, phone=phone,
    )
    if password:
        person.set_password(password)
    else:
        person.set_unusable_password()
    person.save()
    audit_record(
        actor=actor, action="organization.person.created", obj=person,
        changes={"username": username, "name": str(person)}, acting_for=_acting_for(post),
    )
    return person


def _end_sessions(person) -> int:
    """Delete every session of the person (Django keeps the user id inside session data)."""
    ended = 0
    for session in Session.objects.filter(expire_date__gte=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(person.pk):
            session.delete()
            ended += 1
    return ended


@transaction.atomic
def person_disable(*, actor, person: Person, reason: str) -> Person:
    """Disable an account; it can no longer log in and its open sessions end at once."""
    post = _people_admin(actor)
    if not reason.strip():
        raise DomainError(_("Give a reason."), field="reason")
    if actor is not None and person.pk == actor.pk:
        raise DomainError(_("You cannot disable your own account."), field="person")
    person.is_active = False
    person.save(update_fields=["is_active"])
    ended = _end_sessions(person)
    from rest_framework.authtoken.models import Token

    Token.objects.filter(user=person).delete()
    audit_record(
        actor=actor, action="organization.person.disabled", obj=person,
        changes={"is_active": [True, False], "sessions_ended": ended}, reason=reason,
        acting_for=_acting_for(post),
    )
    return person


@transaction.atomic
def person_enable(*, actor, person: Person, reason: str = "") -> Person:
    post = _people_admin(actor)
    person.is_active = True
    person.save(update_fields=["is_active"])
    audit_record(
        actor=actor, action="organization.person.enabled", obj=person,
        changes={"is_active": [False, True]}, reason=reason, acting_for=_acting_for(post),
    )
    return person


@transaction.atomic
def holding_start(
    *, actor, person: Person, position: Position, start_date: datetime.date,
    end_date: datetime.date | None = None,
) -> PositionHolding:
    """Record that a person holds a post from a date (görevlendirme)."""
    post = _people_admin(actor)
    _check_range(start_date, end_date)
    if position.kind in SINGLE_HOLDER_KINDS:
        clash = PositionHolding.objects.filter(position=position).exclude(
            end_date__lt=start_date
        )
        if end_date is not None:
            clash = clash.filter(start_date__lte=end_date)
        if clash.exists():
            raise DomainError(
                _("This post already has a holder in that period; end that holding first."),
                field="position",
            )
    holding = PositionHolding.objects.create(
        person=person, position=position, start_date=start_date, end_date=end_date
    )
    permissions.clear_cache(person)
    audit_record(
        actor=actor, action="organization.holding.created", obj=holding,
        changes={"person": str(person), "position": str(position), "start_date": start_date,
                 "end_date": end_date},
        acting_for=_acting_for(post),
    )
    return holding


@transaction.atomic
def holding_end(*, actor, holding: PositionHolding, end_date: datetime.date) -> PositionHolding:
    post = _people_admin(actor)
    _check_range(holding.start_date, end_date)
    old = holding.end_date
    holding.end_date = end_date
    holding.save(update_fields=["end_date"])
    audit_record(
        actor=actor, action="organization.holding.ended", obj=holding,
        changes={"end_date": [old, end_date]}, acting_for=_acting_for(post),
    )
    return holding


# --- acting (vekalet) ----------------------------------------------------------------------


def can_act_for(person: Person, position: Position, on=None) -> bool:
    """A post may be acted for by someone who holds a lower post in its unit or below it.

    (The Chief acts for the Director; a Deputy Mayor for the Mayor.)
    """
    if not person.is_active:
        return False
    parents = permissions.unit_parents()
    below = permissions.subtree(position.unit_id, parents)
    for post in permissions.held_posts(person, on):
        if post.position.pk == position.pk:
            return False
    return any(
        p.unit_id in below and p.rank < rank_of(position.kind)
        for p in permissions.held_posts(person, on)
    )


def _effective_end(assignment: ActingAssignment) -> datetime.date:
    if assignment.cancelled_at is None:
        return assignment.end_date
    return min(
        assignment.end_date,
        timezone.localtime(assignment.cancelled_at).date() - datetime.timedelta(days=1),
    )


def _acting_manager_post(actor, position: Position):
    """The post that lets ``actor`` arrange acting for ``position``: its holder, or above."""
    for post in permissions.held_posts(actor):
        if post.position.pk == position.pk:
            return post
    return permissions.superior_post(actor, position)


@transaction.atomic
def acting_create(
    *, actor, position: Position, acting_person: Person, start_date: datetime.date,
    end_date: datetime.date, reason: str = "",
) -> ActingAssignment:
    """Record that ``acting_person`` acts for ``position`` from one date to another."""
    _check_range(start_date, end_date)
    post = None
    if actor is not None and not actor.is_superuser:
        post = _require(
            _acting_manager_post(actor, position),
            _("Only the holder of the post or someone above it can arrange acting for it."),
        )
    if end_date < timezone.localdate():
        raise DomainError(_("The acting period is already over."), field="end_date")
    if not can_act_for(acting_person, position, start_date):
        raise DomainError(
            _("This person cannot act for this post: they must hold a lower post in its unit."),
            field="acting_person",
        )
    for other in ActingAssignment.objects.filter(
        position=position, start_date__lte=end_date, end_date__gte=start_date
    ):
        if other.start_date <= _effective_end(other):
            raise DomainError(
                _("Someone already acts for this post in that period."), field="start_date"
            )
    assignment = ActingAssignment.objects.create(
        position=position, acting_person=acting_person, start_date=start_date,
        end_date=end_date, reason=reason, created_by=actor or acting_person,
    )
    permissions.clear_cache(acting_person)
    audit_record(
        actor=actor, action="organization.acting.created", obj=assignment,
        changes={"position": str(position), "acting_person": str(acting_person),
                 "start_date": start_date, "end_date": end_date},
        reason=reason, acting_for=_acting_for(post),
    )
    return assignment


@transaction.atomic
def acting_end(*, actor, assignment: ActingAssignment, reason: str = "") -> ActingAssignment:
    """End an acting assignment early (from today on)."""
    post = None
    if not actor.is_superuser:
        post = _require(
            _acting_manager_post(actor, assignment.position),
            _("Only the holder of the post or someone above it can end acting for it."),
        )
    assignment = ActingAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.cancelled_at is not None or assignment.end_date < timezone.localdate():
        raise DomainError(_("This acting assignment has already ended."))
    assignment.cancelled_at = timezone.now()
    assignment.cancelled_by = actor
    assignment.save(update_fields=["cancelled_at", "cancelled_by"])
    permissions.clear_cache(assignment.acting_person)
    audit_record(
        actor=actor, action="organization.acting.ended", obj=assignment,
        changes={"cancelled_at": assignment.cancelled_at}, reason=reason,
        acting_for=_acting_for(post),
    )
    return assignment


# --- signature delegation (imza yetkisi devri) ----------------------------------------------


@transaction.atomic
def delegation_create(
    *, actor, delegate: Person, recipient_classes: list[str], units=(),
    start_date: datetime.date, end_date: datetime.date, description: str = "",
) -> SignatureDelegation:
    """The Mayor authorises a Deputy Mayor to sign a class of letters (RYY art. 11(b))."""
    mayor = _require(
        permissions.mayor_post(actor), _("Only the Mayor can delegate signature authority.")
    )
    _check_range(start_date, end_date)
    valid = set(RecipientClass.values)
    if not recipient_classes or not set(recipient_classes) <= valid:
        raise DomainError(
            _("Choose at least one class of recipients from the list."), field="recipient_classes"
        )
    delegate_post = permissions.post_of_kind(delegate, PositionKind.BASKAN_YARDIMCISI, on=start_date)
    if delegate_post is None or delegate_post.acting is not None:
        raise DomainError(
            _("Signature authority can only be delegated to a Deputy Mayor."), field="delegate"
        )
    units = list(units)
    if any(u.kind != UnitKind.MUDURLUK for u in units):
        raise DomainError(_("Only directorates can be chosen."), field="units")
    delegation = SignatureDelegation.objects.create(
        delegator=actor, delegator_position=mayor.position, delegate=delegate,
        delegate_position=delegate_post.position, recipient_classes=sorted(set(recipient_classes)),
        description=description, start_date=start_date, end_date=end_date,
    )
    delegation.units.set(units)
    audit_record(
        actor=actor, action="organization.delegation.created", obj=delegation,
        changes={"delegate": str(delegate), "recipient_classes": delegation.recipient_classes,
                 "units": [u.name for u in units], "start_date": start_date,
                 "end_date": end_date},
        acting_for=_acting_for(mayor),
    )
    return delegation


@transaction.atomic
def delegation_revoke(*, actor, delegation: SignatureDelegation, reason: str) -> SignatureDelegation:
    mayor = _require(
        permissions.mayor_post(actor), _("Only the Mayor can revoke signature authority.")
    )
    if not reason.strip():
        raise DomainError(_("Give a reason."), field="reason")
    delegation = SignatureDelegation.objects.select_for_update().get(pk=delegation.pk)
    if delegation.revoked_at is not None:
        raise DomainError(_("This delegation has already been revoked."))
    delegation.revoked_at = timezone.now()
    delegation.revoked_by = actor
    delegation.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(
        actor=actor, action="organization.delegation.revoked", obj=delegation,
        changes={"revoked_at": delegation.revoked_at}, reason=reason,
        acting_for=_acting_for(mayor),
    )
    return delegation


# --- Birim Sorumlusu appointment (RYY art. 7(2)) -------------------------------------------


def _director_post_for(actor, unit: OrgUnit):
    directorate = permissions.directorate_of(unit)
    if directorate is None:
        return None
    return permissions.post_of_kind(actor, PositionKind.MUDUR, unit_ids={directorate.pk})


@transaction.atomic
def appointment_propose(
    *, actor, unit: OrgUnit, person: Person, justification: str = ""
) -> AppointmentRequest:
    """The Director proposes a person as Birim Sorumlusu of one of the directorate's units."""
    if unit.kind != UnitKind.BIRIM or unit.valid_to is not None:
        raise DomainError(_("Choose an open unit inside a directorate."), field="unit")
    post = _require(
        _director_post_for(actor, unit),
        _("Only the Director of this unit's directorate can propose its head."),
    )
    if not person.is_active:
        raise DomainError(_("This account is disabled."), field="person")
    if AppointmentRequest.objects.filter(unit=unit, status=RequestStatus.PENDING).exists():
        raise DomainError(_("A proposal for this unit is already awaiting approval."), field="unit")
    request = AppointmentRequest.objects.create(
        unit=unit, person=person, justification=justification, proposed_by=actor
    )
    audit_record(
        actor=actor, action="organization.appointment.proposed", obj=request,
        changes={"unit": str(unit), "person": str(person)}, reason=justification,
        acting_for=_acting_for(post),
    )
    return request


def _decide(request, *, actor, status, reason):
    request.status = status
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.decision_reason = reason


def _lock_pending(model, pk):
    request = model.objects.select_for_update().get(pk=pk)
    if request.status != RequestStatus.PENDING:
        raise DomainError(_("This request has already been decided."))
    return request


@transaction.atomic
def appointment_approve(*, actor, request: AppointmentRequest, reason: str = "") -> AppointmentRequest:
    """The Mayor approves; the appointment takes effect today and ends the previous one."""
    mayor = _require(permissions.mayor_post(actor), _("Only the Mayor approves appointments."))
    request = _lock_pending(AppointmentRequest, request.pk)
    today = timezone.localdate()
    position, _created = Position.objects.get_or_create(
        unit=request.unit, kind=PositionKind.BIRIM_SORUMLUSU,
        defaults={"title": f"{request.unit.name} {_('Unit Head')}"},
    )
    yesterday = today - datetime.timedelta(days=1)
    for current in PositionHolding.objects.active_on(today).filter(position=position):
        current.end_date = max(yesterday, current.start_date)
        current.save(update_fields=["end_date"])
    holding = PositionHolding.objects.create(
        person=request.person, position=position, start_date=today
    )
    _decide(request, actor=actor, status=RequestStatus.APPROVED, reason=reason)
    request.holding = holding
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_reason", "holding"])
    permissions.clear_cache(request.person)
    audit_record(
        actor=actor, action="organization.appointment.approved", obj=request,
        changes={"status": [RequestStatus.PENDING, RequestStatus.APPROVED],
                 "holding": holding.pk, "start_date": today},
        reason=reason, acting_for=_acting_for(mayor),
    )
    return request


@transaction.atomic
def appointment_reject(*, actor, request: AppointmentRequest, reason: str) -> AppointmentRequest:
    mayor = _require(permissions.mayor_post(actor), _("Only the Mayor decides appointments."))
    if not reason.strip():
        raise DomainError(_("Give a reason for the rejection."), field="reason")
    request = _lock_pending(AppointmentRequest, request.pk)
    _decide(request, actor=actor, status=RequestStatus.REJECTED, reason=reason)
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    audit_record(
        actor=actor, action="organization.appointment.rejected", obj=request,
        changes={"status": [RequestStatus.PENDING, RequestStatus.REJECTED]}, reason=reason,
        acting_for=_acting_for(mayor),
    )
    return request


# --- internal organisation changes (RYY art. 7(3)) -----------------------------------------


def _version_open(unit: OrgUnit, on: datetime.date, change_request=None) -> OrgUnitVersion:
    return OrgUnitVersion.objects.create(
        unit=unit, name=unit.name, kind=unit.kind, parent=unit.parent, valid_from=on,
        change_request=change_request,
    )


def _version_close(unit: OrgUnit, on: datetime.date) -> None:
    """Close the open version the day before ``on`` (or on it, if it opened that day)."""
    for version in unit.versions.filter(valid_to__isnull=True):
        version.valid_to = max(version.valid_from, on - datetime.timedelta(days=1))
        version.save(update_fields=["valid_to"])


def _validate_unit_change(kind, unit, name, parent, directorate_ids):
    if kind == UnitChangeKind.CREATE:
        if not name.strip():
            raise DomainError(_("Give the new unit a name."), field="name")
        if parent is None or parent.pk not in directorate_ids:
            raise DomainError(_("Choose a parent inside your directorate."), field="parent")
        return
    if unit is None or unit.pk not in directorate_ids or unit.valid_to is not None:
        raise DomainError(_("Choose an open unit inside your directorate."), field="unit")
    if unit.kind != UnitKind.BIRIM:
        raise DomainError(_("Only the units inside a directorate can be changed here."), field="unit")
    if kind == UnitChangeKind.RENAME and not name.strip():
        raise DomainError(_("Give the new name."), field="name")
    if kind == UnitChangeKind.MOVE and (parent is None or parent.pk not in directorate_ids):
        raise DomainError(_("Choose a parent inside your directorate."), field="parent")
    if kind == UnitChangeKind.MOVE and parent.pk == unit.pk:
        raise DomainError(_("A unit cannot be its own parent."), field="parent")


@transaction.atomic
def unit_change_propose(
    *, actor, kind: str, unit: OrgUnit | None = None, name: str = "",
    parent: OrgUnit | None = None, justification: str = "",
) -> UnitChangeRequest:
    """The Director proposes a new unit or a change to one inside the directorate."""
    if kind not in UnitChangeKind.values:
        raise DomainError(_("Choose a kind of change."), field="kind")
    post = permissions.post_of_kind(actor, PositionKind.MUDUR)
    post = _require(post, _("Only a Director can propose a change to the organisation."))
    directorate_ids = permissions.subtree(post.unit_id, permissions.unit_parents())
    _validate_unit_change(kind, unit, name, parent, directorate_ids)
    request = UnitChangeRequest.objects.create(
        kind=kind, unit=unit if kind != UnitChangeKind.CREATE else None, name=name.strip(),
        unit_kind=UnitKind.BIRIM if kind == UnitChangeKind.CREATE else "",
        parent=parent if kind in (UnitChangeKind.CREATE, UnitChangeKind.MOVE) else None,
        justification=justification, proposed_by=actor,
    )
    audit_record(
        actor=actor, action="organization.unit_change.proposed", obj=request,
        changes={"kind": kind, "unit": str(unit or ""), "name": name,
                 "parent": str(parent or "")},
        reason=justification, acting_for=_acting_for(post),
    )
    return request


def _apply_unit_change(request: UnitChangeRequest, today: datetime.date) -> OrgUnit:
    if request.kind == UnitChangeKind.CREATE:
        base = request.parent.code
        code, n = f"{base}-{slugify_tr(request.name)}"[:55], 1
        while OrgUnit.objects.filter(code=code).exists():
            n += 1
            code = f"{base}-{slugify_tr(request.name)}"[:52] + f"-{n}"
        unit = OrgUnit.objects.create(
            code=code, name=request.name, kind=request.unit_kind, parent=request.parent,
            valid_from=today, sort_order=request.parent.children.count() + 1,
        )
        Position.objects.create(
            unit=unit, kind=HEAD_OF[unit.kind], title=f"{unit.name} {_('Unit Head')}"
        )
        _version_open(unit, today, request)
        return unit
    unit = OrgUnit.objects.select_for_update().get(pk=request.unit_id)
    _version_close(unit, today)
    if request.kind == UnitChangeKind.RENAME:
        unit.name = request.name
        unit.save(update_fields=["name"])
    elif request.kind == UnitChangeKind.MOVE:
        unit.parent = request.parent
        unit.save(update_fields=["parent"])
    elif request.kind == UnitChangeKind.CLOSE:
        if PositionHolding.objects.active_on(today).filter(position__unit=unit).exists():
            raise DomainError(_("People still hold posts in this unit; move them first."))
        if OrgUnit.objects.active_on(today).filter(parent=unit).exists():
            raise DomainError(_("This unit still has open units under it."))
        unit.valid_to = max(unit.valid_from, today - datetime.timedelta(days=1))
        unit.save(update_fields=["valid_to"])
        return unit
    _version_open(unit, today, request)
    return unit


def slugify_tr(text: str) -> str:
    from django.utils.text import slugify

    from bilgiislem.core.text import fold

    return slugify(fold(text)) or "birim"


@transaction.atomic
def unit_change_approve(*, actor, request: UnitChangeRequest, reason: str = "") -> UnitChangeRequest:
    """The Mayor approves; the unit tree changes today and keeps its earlier shape."""
    mayor = _require(permissions.mayor_post(actor), _("Only the Mayor approves these changes."))
    request = _lock_pending(UnitChangeRequest, request.pk)
    unit = _apply_unit_change(request, timezone.localdate())
    _decide(request, actor=actor, status=RequestStatus.APPROVED, reason=reason)
    request.resulting_unit = unit
    request.save(
        update_fields=["status", "decided_by", "decided_at", "decision_reason", "resulting_unit"]
    )
    audit_record(
        actor=actor, action="organization.unit_change.approved", obj=request,
        changes={"status": [RequestStatus.PENDING, RequestStatus.APPROVED], "unit": str(unit),
                 "kind": request.kind},
        reason=reason, acting_for=_acting_for(mayor),
    )
    return request


@transaction.atomic
def unit_change_reject(*, actor, request: UnitChangeRequest, reason: str) -> UnitChangeRequest:
    mayor = _require(permissions.mayor_post(actor), _("Only the Mayor decides these changes."))
    if not reason.strip():
        raise DomainError(_("Give a reason for the rejection."), field="reason")
    request = _lock_pending(UnitChangeRequest, request.pk)
    _decide(request, actor=actor, status=RequestStatus.REJECTED, reason=reason)
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    audit_record(
        actor=actor, action="organization.unit_change.rejected", obj=request,
        changes={"status": [RequestStatus.PENDING, RequestStatus.REJECTED]}, reason=reason,
        acting_for=_acting_for(mayor),
    )
    return request
