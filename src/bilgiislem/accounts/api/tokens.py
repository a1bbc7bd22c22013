"""Issuing API tokens (for programs). A write, so it lives outside the view and is audited.

Belongs with the other account services in ``accounts/services.py``; kept here while that
module is being written, so the two do not collide.
"""

from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from bilgiislem.audit.services import audit_record
from bilgiislem.core.errors import DomainError

from ..services import CODE_FIELD, check_code, confirmed_device, two_factor_required


def api_token_obtain(*, person, code: str = "") -> Token:
    """The person's API token, created on first use; two-factor rules apply as at login.

    Someone with a confirmed device (or whose post requires one) must give a current code:
    a token is as good as a session, so it must not be a way around the second factor.
    """
    device = confirmed_device(person)
    if device is None and two_factor_required(person):
        raise DomainError(
            _("Your post requires two-factor login; set it up on the web first."),
            field=CODE_FIELD,
        )
    if device is not None:
        if not (code or "").strip():
            raise DomainError(_("Enter the code from your authenticator app."), field=CODE_FIELD)
        check_code(device, code)  # commits the device's counters on its own
    with transaction.atomic():
        token, created = Token.objects.get_or_create(user=person)
        if created:
            audit_record(
                actor=person,
                action="accounts.api_token.created",
                obj=person,
                changes={"two_factor": device is not None},
            )
    return token
