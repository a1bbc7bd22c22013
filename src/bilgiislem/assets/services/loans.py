"""Lending an item to someone who is not staff (emanet): a school, a muhtarlık, another public
body (Taşınır Mal Yönetmeliği art. 23/7).

Such an item goes through a coordinating unit of the municipality and is handed over by a
tutanak numbered from 1 each year (``DocumentCounter`` LOAN). Only an item in the store and
on no Teslim Belgesi may be lent; meanwhile its status is "lent". It stays on our register,
so neither the loan nor the return is a VİF. The return brings it back to the store with its
condition noted on the same tutanak.
"""

import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bilgiislem.audit.services import audit_record
from bilgiislem.core.counters import next_number
from bilgiislem.core.errors import DomainError
from bilgiislem.registry.services._common import atomic_service

from .. import permissions
from ..choices import AssetStatus, DocumentKind
from ..models import Asset, AssetLoan, DocumentCounter
from ._common import acting_for, require_registrar


def loans_visible(person):
    """Bilgi İşlem sees every loan; the coordinating unit's people see theirs."""
    queryset = AssetLoan.objects.select_related(
        "asset__code", "asset__store__unit", "coordinating_unit", "lent_by", "return_received_by"
    )
    if permissions.is_asset_staff(person):
        return queryset
    return queryset.filter(coordinating_unit_id__in=permissions.own_unit_ids(person))


def may_view_loan_list(person) -> bool:
    return permissions.is_asset_staff(person)


def may_manage_loans(person) -> bool:
    """Lend and take back: the kayıt yetkilisi (and the Director above them)."""
    return permissions.can_register(person)


def overdue_loans(today: datetime.date | None = None):
    """Loans not returned by their due date, the longest overdue first."""
    today = today or timezone.localdate()
    return (
        AssetLoan.objects.filter(returned_at__isnull=True, due_on__lt=today)
        .select_related("asset__code")
        .order_by("due_on", "id")
    )


def _text(value) -> str:
    return (value or "").strip()


@atomic_service
def asset_lend(
    *,
    actor,
    asset: Asset,
    borrower: str,
    coordinating_unit,
    purpose: str,
    due_on: datetime.date | None = None,
    borrower_contact: str = "",
) -> AssetLoan:
    """The kayıt yetkilisi lends an item in the store to a body or person who is not staff,
    through a coordinating unit, on a numbered tutanak."""
    post = require_registrar(actor)
    borrower = _text(borrower)
    purpose = _text(purpose)
    if not borrower:
        raise DomainError(_("Say who borrows the item."), field="borrower")
    if coordinating_unit is None:
        raise DomainError(_("Choose the coordinating unit."), field="coordinating_unit")
    if not purpose:
        raise DomainError(_("Say what the item is lent for."), field="purpose")
    today = timezone.localdate()
    if due_on is not None and due_on < today:
        raise DomainError(_("The due date cannot be in the past."), field="due_on")
    # The row lock queues a concurrent lend, hand-over or repair of the same item.
    asset = Asset.objects.select_for_update(of=("self",)).get(pk=asset.pk)
    if asset.status != AssetStatus.IN_STORE:
        raise DomainError(_("Only an item in the store can be lent."), field="asset")
    if asset.handovers.filter(returned_at__isnull=True).exists():
        raise DomainError(_("This item is on a Teslim Belgesi."), field="asset")
    lent_at = timezone.now()
    year = timezone.localtime(lent_at).year
    loan = AssetLoan.objects.create(
        year=year,
        number=next_number(DocumentCounter, kind=DocumentKind.LOAN, year=year),
        asset=asset,
        borrower=borrower,
        borrower_contact=_text(borrower_contact),
        coordinating_unit=coordinating_unit,
        purpose=purpose,
        lent_at=lent_at,
        due_on=due_on,
        lent_by=actor,
    )
    asset.status = AssetStatus.LENT
    asset.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="assets.loan.lend",
        obj=loan,
        acting_for=acting_for(post),
        changes={
            "number": f"{loan.year}/{loan.number}",
            "asset": asset.sicil_no,
            "borrower": borrower,
            "coordinating_unit": coordinating_unit.pk,
            "due_on": due_on.isoformat() if due_on else None,
        },
    )
    audit_record(
        actor=actor,
        action="assets.asset.lend",
        obj=asset,
        acting_for=acting_for(post),
        changes={"status": [AssetStatus.IN_STORE, AssetStatus.LENT], "borrower": borrower},
    )
    return loan


@atomic_service
def loan_return(*, actor, loan: AssetLoan, condition: str) -> AssetLoan:
    """The item comes back to the store; its condition is written on the tutanak."""
    post = require_registrar(actor)
    condition = _text(condition)
    if not condition:
        raise DomainError(_("Note the condition of the item."), field="return_note")
    loan = AssetLoan.objects.select_for_update().get(pk=loan.pk)
    if loan.returned_at is not None:
        raise DomainError(_("The item has already been returned."), field="state")
    loan.returned_at = timezone.now()
    loan.return_received_by = actor
    loan.return_note = condition
    loan.save(update_fields=["returned_at", "return_received_by", "return_note"])
    asset = Asset.objects.select_for_update(of=("self",)).get(pk=loan.asset_id)
    before = asset.status
    asset.status = AssetStatus.IN_STORE
    asset.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="assets.loan.return",
        obj=loan,
        acting_for=acting_for(post),
        changes={"returned": True, "condition": condition},
    )
    audit_record(
        actor=actor,
        action="assets.asset.loan_return",
        obj=asset,
        acting_for=acting_for(post),
        changes={"status": [before, AssetStatus.IN_STORE], "condition": condition},
    )
    return loan


def loan_filter(queryset, state: str):
    """``open``, ``overdue`` or ``returned``; anything else: every loan."""
    if state == "open":
        return queryset.filter(returned_at__isnull=True)
    if state == "overdue":
        return queryset.filter(returned_at__isnull=True, due_on__lt=timezone.localdate())
    if state == "returned":
        return queryset.filter(~Q(returned_at=None))
    return queryset
