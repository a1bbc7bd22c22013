"""The disposal commission (ayıklama ve imha komisyonu, Devlet Arşiv Hizmetleri Yönetmeliği
art. 19): a chair and at least two members, appointed by the authorised superior for a
period (standards.md 4: "at least three members")."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from bilgiislem.audit.services import audit_record
from bilgiislem.core.errors import DomainError
from bilgiislem.registry.services._common import acting_for, atomic_service, refuse

from .. import disposal_access as access
from ..choices import CommissionRole
from ..models import CommissionMember, DisposalCommission

MIN_MEMBERS = 2  # besides the chair


@atomic_service
def commission_appoint(
    *,
    actor,
    name: str,
    chair,
    members,
    valid_from: datetime.date,
    valid_until: datetime.date | None = None,
) -> DisposalCommission:
    """Appoint a commission: ``chair`` and ``members`` (people), valid from a date."""
    post = access.approver_post(actor)
    if post is None:
        refuse(
            actor=actor,
            action="archive.commission.refused",
            obj=None,
            message=_("Only the authorised superior can appoint the disposal commission."),
        )
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Give the commission a name."), field="name")
    if chair is None:
        raise DomainError(_("Choose the chair."), field="chair")
    if not getattr(chair, "is_active", False):
        raise DomainError(_("The chair's account is disabled."), field="chair")
    others = []
    for person in members or ():
        if person.pk != chair.pk and person.pk not in {p.pk for p in others}:
            others.append(person)
    if any(not p.is_active for p in others):
        raise DomainError(_("A member's account is disabled."), field="members")
    if len(others) < MIN_MEMBERS:
        raise DomainError(
            _("A commission has a chair and at least two other members."), field="members"
        )
    if valid_from is None:
        raise DomainError(_("Give the date the commission starts."), field="valid_from")
    if valid_until is not None and valid_until < valid_from:
        raise DomainError(_("The end date is before the start date."), field="valid_until")
    commission = DisposalCommission.objects.create(
        name=name[:200], appointed_by=actor, valid_from=valid_from, valid_until=valid_until
    )
    CommissionMember.objects.create(commission=commission, person=chair, role=CommissionRole.CHAIR)
    CommissionMember.objects.bulk_create(
        CommissionMember(commission=commission, person=p, role=CommissionRole.MEMBER)
        for p in others
    )
    audit_record(
        actor=actor,
        action="archive.commission.appointed",
        obj=commission,
        changes={
            "chair": chair.get_username(),
            "members": [p.get_username() for p in others],
            "valid_from": valid_from,
            "valid_until": valid_until,
        },
        acting_for=acting_for(post),
    )
    return commission
