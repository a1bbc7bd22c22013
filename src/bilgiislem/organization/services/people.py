"""Accounts and post holdings (görevlendirme)."""

import datetime

from django.contrib.auth import password_validation
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bilgiislem.audit.services import audit_record
from bilgiislem.core.errors import DomainError

from .. import permissions
from ..choices import (
    SINGLE_HOLDER_KINDS,
    PositionKind,
    rank_of,
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


# Fields the person does not type (or that are checked elsewhere).
NOT_CHECKED = ("password", "last_login", "date_joined", "search_key")


def _check_person(person: Person, password: str | None) -> None:
    """Field rules (lengths, the username's characters, e-mail) and the password policy."""
    errors: dict[str, list] = {}
    for name in ("first_name", "last_name"):
        if not getattr(person, name).strip():
            errors[name] = [_("This field is required.")]
    try:
        person.clean_fields(exclude=[*NOT_CHECKED, *errors])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if password:
        try:
            password_validation.validate_password(password, user=person)
        except ValidationError as exc:
            errors["password"] = exc.messages
    if errors:
        raise DomainError(errors=errors)


@transaction.atomic
def person_create(
    *, actor, username, first_name, last_name, email="", title="", phone="", password=None
) -> Person:
    """Open an account for a member of staff.

    Without a password the account cannot log in until one is set (an unusable password).
    """
    post = _people_admin(actor)
    person = Person(
        username=username.strip(),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email.strip(),
        title=title.strip(),
        phone=phone.strip(),
    )
    _check_person(person, password)
    if Person.objects.filter(username__iexact=person.username).exists():
        raise DomainError(_("This username is already taken."), field="username")
    if password:
        person.set_password(password)
    else:
        person.set_unusable_password()
    person.save()
    audit_record(
        actor=actor,
        action="organization.person.created",
        obj=person,
        changes={"username": person.username, "name": str(person), "password_set": bool(password)},
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
    # Serialise holdings of one post, so two holders of a single-holder post cannot both pass.
    position = Position.objects.select_for_update().select_related("unit").get(pk=position.pk)
    unit = position.unit
    if unit.valid_to is not None and (end_date is None or end_date > unit.valid_to):
        raise DomainError(_("This unit is closed."), field="position")
    if start_date < unit.valid_from:
        raise DomainError(
            _("The unit did not exist yet on the start date (it opened on %(date)s).")
            % {"date": unit.valid_from.strftime("%d.%m.%Y")},
            field="start_date",
        )
    if not person.is_active:
        raise DomainError(_("This account is disabled."), field="person")
    if post is not None:
        if person.pk == actor.pk:
            raise DomainError(_("You cannot assign a post to yourself."), field="person")
        if position.kind == PositionKind.BIRIM_SORUMLUSU:
            raise DomainError(
                _(
                    "A unit head is appointed when the Mayor approves a proposal "
                    "(Regulation art. 7(2))."
                ),
                field="position",
            )
        _check_rank(post, position)
    _check_free(position, person, start_date, end_date)
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


def _check_rank(post, position, field="position") -> None:
    """Accounts are kept by the Director, who records no post above their own (no way up)."""
    if rank_of(position.kind) > post.rank:
        raise DomainError(
            _("Posts above yours are recorded by the system administrator."), field=field
        )


def _check_free(position, person, start_date, end_date, *, exclude=None) -> None:
    """The person does not hold the post twice, nor a single-holder post have two holders."""
    clash = PositionHolding.objects.filter(position=position).exclude(end_date__lt=start_date)
    if end_date is not None:
        clash = clash.filter(start_date__lte=end_date)
    if exclude is not None:
        clash = clash.exclude(pk=exclude.pk)
    if clash.filter(person=person).exists():
        raise DomainError(_("This person already holds this post in that period."), field="person")
    if position.kind in SINGLE_HOLDER_KINDS and clash.exists():
        raise DomainError(
            _("This post already has a holder in that period; end that holding first."),
            field="position" if exclude is None else "end_date",
        )


@transaction.atomic
def holding_end(*, actor, holding: PositionHolding, end_date: datetime.date) -> PositionHolding:
    """Record the last day a person holds a post (or move that day)."""
    post = _people_admin(actor)
    position = Position.objects.select_for_update().get(pk=holding.position_id)
    holding = PositionHolding.objects.select_related("person", "position").get(pk=holding.pk)
    if post is not None:
        _check_rank(post, position, field="__all__")
    _check_range(holding.start_date, end_date)
    if holding.end_date == end_date:
        raise DomainError(_("The holding already ends on that day."), field="end_date")
    if holding.end_date is not None and end_date > holding.end_date:
        # Moving the end later must not run into whoever holds the post after.
        next_day = holding.end_date + datetime.timedelta(days=1)
        _check_free(position, holding.person, next_day, end_date, exclude=holding)
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
