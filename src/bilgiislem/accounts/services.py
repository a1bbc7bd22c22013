"""Sessions and two-factor login: every change of state is audited in its own transaction.

Login and logout need the request (Django keeps the session there), so the session services
take it; the two-factor services take only the actor.

A TOTP code is checked in a transaction of its own *before* the change: django-otp counts a
wrong code on the device (throttling), and that count must survive even when the change that
follows is refused and rolled back.
"""

from django.conf import settings
from django.contrib import auth
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from bilgiislem.audit.services import audit_record
from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.organization.permissions import effective_posts, people_admin_post

CODE_FIELD = "code"


# --- reading -------------------------------------------------------------------------------


def confirmed_device(person) -> TOTPDevice | None:
    """The person's confirmed TOTP device, if they have enrolled."""
    return TOTPDevice.objects.filter(user=person, confirmed=True).order_by("-pk").first()


def two_factor_required(person) -> bool:
    """True when one of the person's posts (held or acted for) must log in with a code.

    Acting posts count: whoever acts for the Director has the Director's power, so must
    meet the Director's login rule too.
    """
    required = set(settings.BILGIISLEM_2FA_REQUIRED_POSITION_KINDS)
    return bool(required) and any(p.kind in required for p in effective_posts(person))


def check_code(device: TOTPDevice, code: str) -> None:
    """Verify a code against a device, or raise a DomainError on the ``code`` field.

    Runs (and commits) on its own so that the device's failure count and last-used step are
    kept whatever happens next; a code is therefore also never accepted twice.
    """
    code = (code or "").strip().replace(" ", "")
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        allowed, _info = locked.verify_is_allowed()
        if not allowed:
            raise DomainError(
                _("Too many wrong codes. Wait a little and try again."), field=CODE_FIELD
            )
        verified = locked.verify_token(code)
    if not verified:
        raise DomainError(_("This code is not correct or has expired."), field=CODE_FIELD)
    device.refresh_from_db()


# --- sessions ------------------------------------------------------------------------------


@transaction.atomic
def session_start(*, request, person, backend: str, device: TOTPDevice | None = None) -> None:
    """Log a person in (after password, and code when they have a device) and record it."""
    auth.login(request, person, backend=backend)
    if device is not None:
        otp_login(request, device)
    audit_record(
        actor=person,
        action="accounts.session.started",
        obj=person,
        changes={"two_factor": device is not None},
    )


@transaction.atomic
def session_verify(*, request, device: TOTPDevice) -> None:
    """Mark an open session as verified with a second factor (required by the person's post)."""
    otp_login(request, device)
    audit_record(
        actor=request.user,
        action="accounts.session.verified",
        obj=request.user,
        changes={"two_factor": True},
    )


@transaction.atomic
def session_end(*, request) -> None:
    """Record the end of a session and log out."""
    person = request.user
    if person.is_authenticated:
        audit_record(actor=person, action="accounts.session.ended", obj=person)
    auth.logout(request)


# --- two-factor enrolment --------------------------------------------------------------------


@transaction.atomic
def two_factor_enrol_begin(*, actor) -> TOTPDevice:
    """Give the person an unconfirmed TOTP device (a new secret) to scan.

    Not audited on purpose: an unconfirmed device grants nothing and is replaced at will;
    ``two_factor_enable`` records the moment it starts to count.
    """
    device = TOTPDevice.objects.filter(user=actor, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=actor, name="TOTP", confirmed=False)
    return device


def two_factor_enable(*, actor, device: TOTPDevice, code: str) -> TOTPDevice:
    """Confirm an enrolment with the first code from the app; it replaces any older device."""
    if device.user_id != actor.pk or device.confirmed:
        raise DomainError(_("Start the set-up again."), field=CODE_FIELD)
    check_code(device, code)
    with transaction.atomic():
        replaced = TOTPDevice.objects.filter(user=actor).exclude(pk=device.pk)
        replaced_count = replaced.count()
        replaced.delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit_record(
            actor=actor,
            action="accounts.two_factor.enabled",
            obj=actor,
            changes={"device": "totp", "replaced": replaced_count},
        )
    return device


def two_factor_disable(*, actor, code: str) -> None:
    """Remove the person's device. Refused while one of their posts requires a second factor.

    A current code is asked for, so that a session left open cannot switch protection off.
    """
    if two_factor_required(actor):
        raise DomainError(
            _("Your post requires two-factor login; it cannot be switched off."),
            field=CODE_FIELD,
        )
    device = confirmed_device(actor)
    if device is None:
        raise DomainError(_("Two-factor login is not set up."), field=CODE_FIELD)
    check_code(device, code)
    with transaction.atomic():
        removed, _detail = TOTPDevice.objects.filter(user=actor).delete()
        audit_record(
            actor=actor,
            action="accounts.two_factor.disabled",
            obj=actor,
            changes={"devices_removed": removed},
        )


# --- a lost phone: the system's Director resets someone's device ------------------------------


def can_reset_two_factor(actor) -> bool:
    """Whoever manages accounts (the system's Director, or whoever acts for them) may reset."""
    if not getattr(actor, "is_authenticated", False):
        return False
    return bool(actor.is_superuser or people_admin_post(actor))


@transaction.atomic
def two_factor_reset(*, actor, person, reason: str) -> int:
    """Remove a person's authenticator devices (a lost or replaced phone); returns how many.

    The person logs in with the password alone until they enrol again (or is sent to enrol,
    when their post requires a second factor). One's own device is changed on the two-factor
    page, with a current code: an open session must not be able to switch protection off.
    """
    if not can_reset_two_factor(actor):
        raise PermissionDeniedError(_("Only the system's Director resets two-factor login."))
    post = None if actor.is_superuser else people_admin_post(actor)
    if not (reason or "").strip():
        raise DomainError(_("Give a reason."), field="reason")
    if person.pk == actor.pk:
        raise DomainError(_("Change your own device on the two-factor page."), field="person")
    devices = TOTPDevice.objects.select_for_update().filter(user=person)
    if not any(device.confirmed for device in devices):
        raise DomainError(_("This person has not set up two-factor login."), field="person")
    removed, _detail = TOTPDevice.objects.filter(user=person).delete()
    audit_record(
        actor=actor,
        action="accounts.two_factor.reset",
        obj=person,
        changes={"devices_removed": removed},
        reason=reason,
        acting_for=post.position if post is not None and post.acting is not None else None,
    )
    return removed
