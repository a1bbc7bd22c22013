"""Accounts and post holdings (görevlendirme)."""

import datetime

from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bilgiislem.audit.services import audit_record
from bilgiislem.core.errors import DomainError

from .. import permissions
from ..choices import (
    SINGLE_HOLDER_KINDS,
)
from ..models import (
    Person,
    Position,
    PositionHolding,
)
from ._common import (
    _acting_for,
    _check_range,
    _require,
)


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
