"""Birim Sorumlusu appointments (RYY art. 7(2))."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bilgiislem.audit.services import audit_record
from bilgiislem.core.errors import DomainError

from .. import permissions
from ..choices import (
    PositionKind,
    RequestStatus,
    UnitKind,
)
from ..models import (
    AppointmentRequest,
    OrgUnit,
    Person,
    Position,
    PositionHolding,
)
from ._common import (
    _acting_for,
    _decide,
    _lock_pending,
    _require,
    position_title,
)


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
        defaults={
            "title": position_title(request.unit, PositionKind.BIRIM_SORUMLUSU),
            "created_on": timezone.localdate(),
        },
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
