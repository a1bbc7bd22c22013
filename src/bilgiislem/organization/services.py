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
    POSITION_TITLE_SUFFIX,
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


def position_title(unit: OrgUnit, kind: str) -> str:
    """The stored (Turkish) title of a post: 'Teknik Destek Birimi Sorumlusu'.

    Stored data is Turkish whatever the language of the request that created it.
    """
    return f"{unit.name} {POSITION_TITLE_SUFFIX[kind]}"


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
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        title=title,
        phone=phone,
    )
    if password:
        person.set_password(password)
    else:
        person.set_unusable_password()
    person.save()
    audit_record(
        actor=actor,
        action="organization.person.created",
        obj=person,
        changes={"username": username, "name": str(person)},
        acting_for=_acting_for(post),
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
    locked = Person.objects.select_for_update().values_list("is_active", flat=True)
    if not locked.get(pk=person.pk):
        raise DomainError(_("This account is already disabled."), field="person")
    person.is_active = False
    person.save(update_fields=["is_active"])
    ended = _end_sessions(person)
    from rest_framework.authtoken.models import Token

    Token.objects.filter(user=person).delete()
    audit_record(
        actor=actor,
        action="organization.person.disabled",
        obj=person,
        changes={"is_active": [True, False], "sessions_ended": ended},
        reason=reason,
        acting_for=_acting_for(post),
    )
    return person


@transaction.atomic
def person_enable(*, actor, person: Person, reason: str = "") -> Person:
    post = _people_admin(actor)
    person.is_active = True
    person.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="organization.person.enabled",
        obj=person,
        changes={"is_active": [False, True]},
        reason=reason,
        acting_for=_acting_for(post),
    )
    return person


@transaction.atomic
def holding_start(
    *,
    actor,
    person: Person,
    position: Position,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
) -> PositionHolding:
    """Record that a person holds a post from a date (görevlendirme)."""
    post = _people_admin(actor)
    _check_range(start_date, end_date)
    if position.unit.valid_to is not None and (
        end_date is None or end_date > position.unit.valid_to
    ):
        raise DomainError(_("This unit is closed."), field="position")
    clash = PositionHolding.objects.filter(position=position).exclude(end_date__lt=start_date)
    if end_date is not None:
        clash = clash.filter(start_date__lte=end_date)
    if clash.filter(person=person).exists():
        raise DomainError(_("This person already holds this post in that period."), field="person")
    if position.kind in SINGLE_HOLDER_KINDS and clash.exists():
        raise DomainError(
            _("This post already has a holder in that period; end that holding first."),
            field="position",
        )
    holding = PositionHolding.objects.create(
        person=person, position=position, start_date=start_date, end_date=end_date
    )
    permissions.clear_cache(person)
    audit_record(
        actor=actor,
        action="organization.holding.created",
        obj=holding,
        changes={
            "person": str(person),
            "position": str(position),
            "start_date": start_date,
            "end_date": end_date,
        },
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
    permissions.clear_cache(holding.person)
    audit_record(
        actor=actor,
        action="organization.holding.ended",
        obj=holding,
        changes={"end_date": [old, end_date]},
        acting_for=_acting_for(post),
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
    *,
    actor,
    position: Position,
    acting_person: Person,
    start_date: datetime.date,
    end_date: datetime.date,
    reason: str = "",
) -> ActingAssignment:
    """Record that ``acting_person`` acts for ``position`` from one date to another."""
    post = None
    if actor is not None and not actor.is_superuser:
        post = _require(
            _acting_manager_post(actor, position),
            _("Only the holder of the post or someone above it can arrange acting for it."),
        )
    _check_range(start_date, end_date)
    # Serialise acting assignments of one post, so two overlapping ones cannot both pass.
    position = Position.objects.select_for_update().select_related("unit").get(pk=position.pk)
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
        # One ended early only counts up to the day before it was ended.
        if other.start_date <= _effective_end(other) and _effective_end(other) >= start_date:
            raise DomainError(
                _("Someone already acts for this post in that period."), field="start_date"
            )
    assignment = ActingAssignment.objects.create(
        position=position,
        acting_person=acting_person,
        start_date=start_date,
        end_date=end_date,
        reason=reason,
        created_by=actor or acting_person,
    )
    permissions.clear_cache(acting_person)
    audit_record(
        actor=actor,
        action="organization.acting.created",
        obj=assignment,
        changes={
            "position": str(position),
            "acting_person": str(acting_person),
            "start_date": start_date,
            "end_date": end_date,
        },
        reason=reason,
        acting_for=_acting_for(post),
    )
    return assignment


@transaction.atomic
def acting_end(*, actor, assignment: ActingAssignment, reason: str = "") -> ActingAssignment:
    """End an acting assignment early (from today on)."""
    post = None
    if actor is not None and not actor.is_superuser:
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
        actor=actor,
        action="organization.acting.ended",
        obj=assignment,
        changes={"cancelled_at": assignment.cancelled_at},
        reason=reason,
        acting_for=_acting_for(post),
    )
    return assignment


# --- signature delegation (imza yetkisi devri) ----------------------------------------------


@transaction.atomic
def delegation_create(
    *,
    actor,
    delegate: Person,
    recipient_classes: list[str],
    units=(),
    start_date: datetime.date,
    end_date: datetime.date,
    description: str = "",
) -> SignatureDelegation:
    """The Mayor authorises a Deputy Mayor to sign a class of letters (RYY art. 11(b))."""
    mayor = _require(
        permissions.mayor_post(actor), _("Only the Mayor can delegate signature authority.")
    )
    _check_range(start_date, end_date)
    if end_date < timezone.localdate():
        raise DomainError(_("The delegation period is already over."), field="end_date")
    valid = set(RecipientClass.values)
    if (
        isinstance(recipient_classes, str)
        or not recipient_classes
        or not all(isinstance(c, str) for c in recipient_classes)
        or not set(recipient_classes) <= valid
    ):
        raise DomainError(
            _("Choose at least one class of recipients from the list."), field="recipient_classes"
        )
    if delegate.pk == actor.pk:
        raise DomainError(
            _("You cannot delegate signature authority to yourself."), field="delegate"
        )
    delegate_post = next(
        (
            p
            for p in permissions.held_posts(delegate, start_date)
            if p.kind == PositionKind.BASKAN_YARDIMCISI
        ),
        None,
    )
    if delegate_post is None or not delegate.is_active:
        raise DomainError(
            _("Signature authority can only be delegated to a Deputy Mayor."), field="delegate"
        )
    units = list(units)
    if any(u.kind != UnitKind.MUDURLUK or u.valid_to is not None for u in units):
        raise DomainError(_("Only directorates can be chosen."), field="units")
    delegation = SignatureDelegation.objects.create(
        delegator=actor,
        delegator_position=mayor.position,
        delegate=delegate,
        delegate_position=delegate_post.position,
        recipient_classes=sorted(set(recipient_classes)),
        description=description,
        start_date=start_date,
        end_date=end_date,
    )
    delegation.units.set(units)
    audit_record(
        actor=actor,
        action="organization.delegation.created",
        obj=delegation,
        changes={
            "delegate": str(delegate),
            "recipient_classes": delegation.recipient_classes,
            "units": [u.name for u in units],
            "start_date": start_date,
            "end_date": end_date,
        },
        acting_for=_acting_for(mayor),
    )
    return delegation


@transaction.atomic
def delegation_revoke(
    *, actor, delegation: SignatureDelegation, reason: str
) -> SignatureDelegation:
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
        actor=actor,
        action="organization.delegation.revoked",
        obj=delegation,
        changes={"revoked_at": delegation.revoked_at},
        reason=reason,
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
    OrgUnit.objects.select_for_update().get(pk=unit.pk)  # one pending proposal per unit
    if AppointmentRequest.objects.filter(unit=unit, status=RequestStatus.PENDING).exists():
        raise DomainError(_("A proposal for this unit is already awaiting approval."), field="unit")
    request = AppointmentRequest.objects.create(
        unit=unit, person=person, justification=justification, proposed_by=actor
    )
    audit_record(
        actor=actor,
        action="organization.appointment.proposed",
        obj=request,
        changes={"unit": str(unit), "person": str(person)},
        reason=justification,
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
def appointment_approve(
    *, actor, request: AppointmentRequest, reason: str = ""
) -> AppointmentRequest:
    """The Mayor approves; the appointment takes effect today and ends the previous one."""
    mayor = _require(permissions.mayor_post(actor), _("Only the Mayor approves appointments."))
    request = _lock_pending(AppointmentRequest, request.pk)
    if request.unit.valid_to is not None:
        raise DomainError(_("This unit has been closed."), field="unit")
    if not request.person.is_active:
        raise DomainError(_("This account is disabled."), field="person")
    today = timezone.localdate()
    position, _created = Position.objects.get_or_create(
        unit=request.unit,
        kind=PositionKind.BIRIM_SORUMLUSU,
        defaults={"title": position_title(request.unit, PositionKind.BIRIM_SORUMLUSU)},
    )
    yesterday = today - datetime.timedelta(days=1)
    ended = []
    for current in PositionHolding.objects.active_on(today).filter(position=position):
        current.end_date = max(yesterday, current.start_date)
        current.save(update_fields=["end_date"])
        permissions.clear_cache(current.person)
        ended.append(current.pk)
    holding = PositionHolding.objects.create(
        person=request.person, position=position, start_date=today
    )
    _decide(request, actor=actor, status=RequestStatus.APPROVED, reason=reason)
    request.holding = holding
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_reason", "holding"])
    permissions.clear_cache(request.person)
    audit_record(
        actor=actor,
        action="organization.appointment.approved",
        obj=request,
        changes={
            "status": [RequestStatus.PENDING, RequestStatus.APPROVED],
            "holding": holding.pk,
            "start_date": today,
            "ended_holdings": ended,
        },
        reason=reason,
        acting_for=_acting_for(mayor),
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
        actor=actor,
        action="organization.appointment.rejected",
        obj=request,
        changes={"status": [RequestStatus.PENDING, RequestStatus.REJECTED]},
        reason=reason,
        acting_for=_acting_for(mayor),
    )
    return request


# --- internal organisation changes (RYY art. 7(3)) -----------------------------------------


def _version_open(unit: OrgUnit, on: datetime.date, change_request=None) -> OrgUnitVersion:
    return OrgUnitVersion.objects.create(
        unit=unit,
        name=unit.name,
        kind=unit.kind,
        parent=unit.parent,
        valid_from=on,
        change_request=change_request,
    )


def _version_close(unit: OrgUnit, on: datetime.date) -> None:
    """Close the open version the day before ``on`` (or on it, if it opened that day)."""
    for version in unit.versions.filter(valid_to__isnull=True):
        version.valid_to = max(version.valid_from, on - datetime.timedelta(days=1))
        version.save(update_fields=["valid_to"])


NAME_MAX_LENGTH = OrgUnit._meta.get_field("name").max_length


def _validate_unit_change(kind, unit, name, parent, directorate_ids, parents):
    """Check a change against the tree as it stands; run at proposal and again at approval."""
    name = (name or "").strip()
    if kind in (UnitChangeKind.CREATE, UnitChangeKind.RENAME):
        if not name:
            raise DomainError(_("Give the unit a name."), field="name")
        if len(name) > NAME_MAX_LENGTH:
            raise DomainError(
                _("The name can be at most %(n)d characters.") % {"n": NAME_MAX_LENGTH},
                field="name",
            )
    if kind in (UnitChangeKind.CREATE, UnitChangeKind.MOVE) and (
        parent is None or parent.pk not in directorate_ids or parent.valid_to is not None
    ):
        raise DomainError(_("Choose an open parent inside your directorate."), field="parent")
    if kind == UnitChangeKind.CREATE:
        return
    if unit is None or unit.pk not in directorate_ids or unit.valid_to is not None:
        raise DomainError(_("Choose an open unit inside your directorate."), field="unit")
    if unit.kind != UnitKind.BIRIM:
        raise DomainError(
            _("Only the units inside a directorate can be changed here."), field="unit"
        )
    if kind == UnitChangeKind.RENAME and name == unit.name:
        raise DomainError(_("The new name is the same as the current one."), field="name")
    if kind == UnitChangeKind.MOVE:
        if parent.pk in permissions.subtree(unit.pk, parents):
            raise DomainError(
                _("A unit cannot be moved under itself or one of its own units."), field="parent"
            )
        if parent.pk == unit.parent_id:
            raise DomainError(_("The unit is already there."), field="parent")


def _directorate_post_for(actor, scope: OrgUnit | None, parents):
    """The actor's Director post whose directorate contains ``scope`` (any, if none given)."""
    posts = [p for p in permissions.effective_posts(actor) if p.kind == PositionKind.MUDUR]
    for post in posts:
        if scope is not None and scope.pk in permissions.subtree(post.unit_id, parents):
            return post
    return posts[0] if posts else None


@transaction.atomic
def unit_change_propose(
    *,
    actor,
    kind: str,
    unit: OrgUnit | None = None,
    name: str = "",
    parent: OrgUnit | None = None,
    justification: str = "",
) -> UnitChangeRequest:
    """The Director proposes a new unit or a change to one inside the directorate."""
    if kind not in UnitChangeKind.values:
        raise DomainError(_("Choose a kind of change."), field="kind")
    parents = permissions.unit_parents()
    scope = parent if kind == UnitChangeKind.CREATE else unit
    post = _require(
        _directorate_post_for(actor, scope, parents),
        _("Only a Director can propose a change to the organisation."),
    )
    directorate_ids = permissions.subtree(post.unit_id, parents)
    _validate_unit_change(kind, unit, name, parent, directorate_ids, parents)
    if (
        kind != UnitChangeKind.CREATE
        and UnitChangeRequest.objects.filter(unit=unit, status=RequestStatus.PENDING).exists()
    ):
        raise DomainError(_("A change to this unit is already awaiting approval."), field="unit")
    name = name.strip() if kind in (UnitChangeKind.CREATE, UnitChangeKind.RENAME) else ""
    request = UnitChangeRequest.objects.create(
        kind=kind,
        unit=unit if kind != UnitChangeKind.CREATE else None,
        name=name,
        unit_kind=UnitKind.BIRIM if kind == UnitChangeKind.CREATE else "",
        parent=parent if kind in (UnitChangeKind.CREATE, UnitChangeKind.MOVE) else None,
        justification=justification,
        proposed_by=actor,
    )
    audit_record(
        actor=actor,
        action="organization.unit_change.proposed",
        obj=request,
        changes={"kind": kind, "unit": str(unit or ""), "name": name, "parent": str(parent or "")},
        reason=justification,
        acting_for=_acting_for(post),
    )
    return request


def _apply_unit_change(request: UnitChangeRequest, today: datetime.date) -> OrgUnit:
    """Change the tree. Every check comes before the first write (no half-applied change)."""
    parents = permissions.unit_parents()
    directorate = permissions.directorate_of(request.scope_unit)
    directorate_ids = permissions.subtree(directorate.pk, parents) if directorate else set()
    unit = (
        OrgUnit.objects.select_for_update().get(pk=request.unit_id)
        if request.kind != UnitChangeKind.CREATE
        else None
    )
    parent = OrgUnit.objects.get(pk=request.parent_id) if request.parent_id else None
    _validate_unit_change(request.kind, unit, request.name, parent, directorate_ids, parents)
    if request.kind == UnitChangeKind.CREATE:
        base = parent.code
        code, n = f"{base}-{slugify_tr(request.name)}"[:55], 1
        while OrgUnit.objects.filter(code=code).exists():
            n += 1
            code = f"{base}-{slugify_tr(request.name)}"[:52] + f"-{n}"
        unit = OrgUnit.objects.create(
            code=code,
            name=request.name,
            kind=request.unit_kind,
            parent=parent,
            valid_from=today,
            sort_order=parent.children.count() + 1,
        )
        Position.objects.create(
            unit=unit, kind=HEAD_OF[unit.kind], title=position_title(unit, HEAD_OF[unit.kind])
        )
        _version_open(unit, today, request)
        return unit
    if request.kind == UnitChangeKind.CLOSE:
        if PositionHolding.objects.filter(position__unit=unit).exclude(end_date__lt=today).exists():
            raise DomainError(_("People still hold posts in this unit; move them first."))
        if OrgUnit.objects.filter(parent=unit, valid_to__isnull=True).exists():
            raise DomainError(_("This unit still has open units under it."))
    _version_close(unit, today)
    if request.kind == UnitChangeKind.RENAME:
        unit.name = request.name
        unit.save(update_fields=["name"])
    elif request.kind == UnitChangeKind.MOVE:
        unit.parent = parent
        unit.save(update_fields=["parent"])
    elif request.kind == UnitChangeKind.CLOSE:
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
def unit_change_approve(
    *, actor, request: UnitChangeRequest, reason: str = ""
) -> UnitChangeRequest:
    """The Mayor approves; the unit tree changes today and keeps its earlier shape."""
    mayor = _require(permissions.mayor_post(actor), _("Only the Mayor approves these changes."))
    request = _lock_pending(UnitChangeRequest, request.pk)
    before = request.unit
    before = {"name": before.name, "parent": str(before.parent or "")} if before else {}
    unit = _apply_unit_change(request, timezone.localdate())
    _decide(request, actor=actor, status=RequestStatus.APPROVED, reason=reason)
    request.resulting_unit = unit
    request.save(
        update_fields=["status", "decided_by", "decided_at", "decision_reason", "resulting_unit"]
    )
    audit_record(
        actor=actor,
        action="organization.unit_change.approved",
        obj=request,
        changes={
            "status": [RequestStatus.PENDING, RequestStatus.APPROVED],
            "unit": str(unit),
            "kind": request.kind,
            "before": before,
            "after": {
                "name": unit.name,
                "parent": str(unit.parent or ""),
                "valid_to": unit.valid_to,
            },
        },
        reason=reason,
        acting_for=_acting_for(mayor),
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
        actor=actor,
        action="organization.unit_change.rejected",
        obj=request,
        changes={"status": [RequestStatus.PENDING, RequestStatus.REJECTED]},
        reason=reason,
        acting_for=_acting_for(mayor),
    )
    return request
