"""Taşınır Geçici Alındısı: goods received before their acceptance inspection (Taşınır Mal
Yönetmeliği 2024 art. 10/1; standards.md 5.2).

- The kayıt yetkilisi records what arrived (supplier, İKN, delivery note, lines with code,
  description, quantity, unit and price). The receipt takes the next number of its year from
  the ``DocumentCounter`` (kind RECEIPT) inside the recording transaction: gapless.
- When the muayene ve kabul komisyonu has accepted the goods, the kayıt yetkilisi (or the
  Director) records the acceptance: a draft purchase VİF is prepared from the receipt's lines,
  its supporting document being the acceptance report (dated on or after the day the goods
  arrived), and linked to the receipt. Signing that VİF off registers the items
  (services/vif.py).
- Refused goods go back to the supplier: the refusal says why.
- The receipt prints in two copies (one for the supplier, one kept).
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from bilgiislem.audit.services import audit_record
from bilgiislem.core.counters import next_number
from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.registry.services._common import acting_for, atomic_service

from .. import permissions
from ..choices import DocumentKind, ReceiptState, VifKind
from ..models import DocumentCounter, TasinirCode, TemporaryReceipt, TemporaryReceiptLine
from ._common import require_registrar
from .vif import MAX_ASSETS_PER_LINE, vif_create

# The receipt is printed in two copies (art. 10/1): one to the supplier, one kept.
RECEIPT_COPIES = ("1", "2")
QTY_PLACES = Decimal("0.001")
MONEY_PLACES = Decimal("0.01")


def may_view_receipts(person) -> bool:
    """Bilgi İşlem staff read the receipts; anyone else gets 404."""
    return permissions.is_asset_staff(person)


def may_record_receipts(person) -> bool:
    return permissions.kayit_post(person) is not None


def may_decide_receipts(person) -> bool:
    return permissions.can_register(person)


def _require_kayit(actor):
    post = permissions.kayit_post(actor)
    if post is None:
        raise PermissionDeniedError(_("Only the movable property officer records goods received."))
    return post


def _code(value) -> TasinirCode:
    if isinstance(value, TasinirCode):
        return value
    code = TasinirCode.objects.filter(code=str(value or "").strip()).first()
    if code is None:
        raise DomainError(_("Unknown movable property code."), field="lines")
    return code


def _number(value, *, places: Decimal, default: str | None = None) -> Decimal:
    if value in (None, "") and default is not None:
        value = default
    try:
        return Decimal(str(value)).quantize(places)
    except (InvalidOperation, ValueError, TypeError):
        raise DomainError(_("Enter a number."), field="lines") from None


def _clean_lines(lines) -> list[dict]:
    if not lines:
        raise DomainError(_("Add at least one line."), field="lines")
    cleaned = []
    for raw in lines:
        code = _code(raw.get("code"))
        quantity = _number(raw.get("quantity"), places=QTY_PLACES)
        unit_price = _number(raw.get("unit_price"), places=MONEY_PLACES, default="0")
        if quantity <= 0:
            raise DomainError(_("Quantities must be greater than zero."), field="lines")
        if unit_price < 0:
            raise DomainError(_("Prices cannot be negative."), field="lines")
        # Durable items become one asset each on the VİF: refuse now what it would refuse.
        if not code.is_consumable and (
            quantity != quantity.to_integral_value() or quantity > MAX_ASSETS_PER_LINE
        ):
            raise DomainError(
                _("Durable items are counted in whole numbers (at most %(n)s a line).")
                % {"n": MAX_ASSETS_PER_LINE},
                field="lines",
            )
        description = (raw.get("description") or "").strip() or code.title
        unit = (raw.get("unit_of_measure") or "").strip() or "adet"
        cleaned.append(
            {
                "code": code,
                "description": description[:300],
                "quantity": quantity,
                "unit_of_measure": unit[:20],
                "unit_price": unit_price,
            }
        )
    return cleaned


@atomic_service
def receipt_create(
    *,
    actor,
    store,
    supplier: str,
    received_on: datetime.date | None,
    lines: list[dict],
    ikn: str = "",
    delivery_note: str = "",
) -> TemporaryReceipt:
    """The kayıt yetkilisi records goods received before their acceptance inspection.

    ``lines``: dicts with ``code`` (TasinirCode or its code), ``description``, ``quantity``,
    ``unit_of_measure`` (default "adet") and ``unit_price`` (default 0).
    """
    post = _require_kayit(actor)
    if store is None:
        raise DomainError(_("Choose the store."), field="store")
    supplier = (supplier or "").strip()
    if not supplier:
        raise DomainError(_("Name the supplier."), field="supplier")
    if received_on is None:
        raise DomainError(_("Enter the day the goods arrived."), field="received_on")
    if received_on > timezone.localdate():
        raise DomainError(_("Goods cannot be received in the future."), field="received_on")
    cleaned = _clean_lines(lines)
    year = received_on.year
    receipt = TemporaryReceipt.objects.create(
        year=year,
        number=next_number(DocumentCounter, kind=DocumentKind.RECEIPT, year=year),
        store=store,
        supplier=supplier[:300],
        ikn=(ikn or "").strip()[:30],
        delivery_note=(delivery_note or "").strip()[:100],
        received_on=received_on,
        received_by=actor,
    )
    TemporaryReceiptLine.objects.bulk_create(
        TemporaryReceiptLine(receipt=receipt, **values) for values in cleaned
    )
    audit_record(
        actor=actor,
        action="assets.receipt.create",
        obj=receipt,
        acting_for=acting_for(post),
        changes={
            "number": f"{receipt.year}/{receipt.number}",
            "store": store.pk,
            "supplier": receipt.supplier,
            "received_on": received_on.isoformat(),
            "lines": len(cleaned),
        },
    )
    return receipt


def _locked_open(receipt: TemporaryReceipt) -> TemporaryReceipt:
    locked = TemporaryReceipt.objects.select_for_update().get(pk=receipt.pk)
    if locked.state != ReceiptState.OPEN:
        raise DomainError(_("This receipt has already been decided."), field="state")
    return locked


@atomic_service
def receipt_accept(
    *,
    actor,
    receipt: TemporaryReceipt,
    acceptance_reference: str,
    acceptance_date: datetime.date | None,
    date: datetime.date | None = None,
    note: str = "",
) -> TemporaryReceipt:
    """The goods passed the acceptance inspection: a draft purchase VİF is prepared from the
    receipt's lines, resting on the acceptance report, and linked to the receipt."""
    post = require_registrar(actor)
    receipt = _locked_open(receipt)
    acceptance_reference = (acceptance_reference or "").strip()
    if not acceptance_reference:
        raise DomainError(
            _("Name the acceptance report (muayene ve kabul tutanağı)."),
            field="acceptance_reference",
        )
    if acceptance_date is None:
        raise DomainError(_("Enter the acceptance report's date."), field="acceptance_date")
    if acceptance_date < receipt.received_on:
        raise DomainError(
            _("The acceptance report cannot be dated before the goods arrived."),
            field="acceptance_date",
        )
    today = timezone.localdate()
    if acceptance_date > today:
        raise DomainError(
            _("The acceptance report cannot be dated in the future."), field="acceptance_date"
        )
    vif = vif_create(
        actor=actor,
        kind=VifKind.PURCHASE,
        store=receipt.store,
        date=date or today,
        supporting_reference=acceptance_reference,
        supporting_date=acceptance_date,
        lines=[
            {
                "code": line.code,
                "quantity": line.quantity,
                "unit_price": line.unit_price,
                "description": line.description,
            }
            for line in receipt.lines.select_related("code")
        ],
    )
    receipt.state = ReceiptState.ACCEPTED
    receipt.vif = vif
    receipt.decided_by = actor
    receipt.decided_at = timezone.now()
    receipt.decision_note = (note or "").strip()
    receipt.save(update_fields=["state", "vif", "decided_by", "decided_at", "decision_note"])
    audit_record(
        actor=actor,
        action="assets.receipt.accept",
        obj=receipt,
        acting_for=acting_for(post),
        changes={
            "state": [ReceiptState.OPEN, ReceiptState.ACCEPTED],
            "acceptance_reference": acceptance_reference,
            "acceptance_date": acceptance_date.isoformat(),
            "vif": vif.pk,
        },
    )
    return receipt


@atomic_service
def receipt_refuse(*, actor, receipt: TemporaryReceipt, note: str) -> TemporaryReceipt:
    """The goods failed the acceptance inspection and go back to the supplier."""
    post = require_registrar(actor)
    receipt = _locked_open(receipt)
    note = (note or "").strip()
    if not note:
        raise DomainError(_("Say why the goods are refused."), field="note")
    receipt.state = ReceiptState.REFUSED
    receipt.decided_by = actor
    receipt.decided_at = timezone.now()
    receipt.decision_note = note
    receipt.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    audit_record(
        actor=actor,
        action="assets.receipt.refuse",
        obj=receipt,
        acting_for=acting_for(post),
        changes={"state": [ReceiptState.OPEN, ReceiptState.REFUSED]},
        reason=note,
    )
    return receipt


def receipt_lines(receipt: TemporaryReceipt) -> tuple[list[TemporaryReceiptLine], Decimal]:
    """The lines with their ``amount``, and the total."""
    lines = list(receipt.lines.select_related("code"))
    for line in lines:
        line.amount = (line.quantity * line.unit_price).quantize(MONEY_PLACES)
    return lines, sum((line.amount for line in lines), start=Decimal("0.00"))


def receipt_pdf(receipt: TemporaryReceipt) -> bytes:
    """The Taşınır Geçici Alındısı in two copies, with Teslim Eden / Teslim Alan blocks."""
    from ..pdf import _render

    lines, total = receipt_lines(receipt)
    return _render(
        "assets/store_documents/receipt_pdf.html",
        {"receipt": receipt, "lines": lines, "total": total, "copies": RECEIPT_COPIES},
    )
