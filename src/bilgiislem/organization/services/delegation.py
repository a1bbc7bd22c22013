"""Signature delegation (imza yetkisi devri, RYY art. 11(b))."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bilgiislem.audit.services import audit_record
from bilgiislem.core.errors import DomainError

from .. import permissions
from ..choices import (
    PositionKind,
    RecipientClass,
    UnitKind,
)
from ..models import (
    Person,
    SignatureDelegation,
)
from ._common import (
    _acting_for,
    _check_range,
    _require,
)


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
