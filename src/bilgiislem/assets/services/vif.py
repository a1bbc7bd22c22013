"""Varlık İşlem Fişi: prepare, sign off, check and cancel (Taşınır Mal Yönetmeliği 2024).

A VİF is prepared as a draft without a number. The kayıt yetkilisi signs it off: only then,
inside that transaction, it takes the next number of its fiscal year from the locked
``VifCounter`` (so numbers restart at 1 each year, are never reused and have no gaps: a
cancelled draft never had one) and its effects are applied to assets and stock lots. The
kontrol yetkilisi, another person, then checks it.

Effects at sign-off, by kind:
- entries (purchase, transfer_in, count_surplus): a durable line without an asset registers
  a new asset in the store (one line per asset: a line of quantity n is split into n lines
  when prepared); a durable line with an asset updates its store and value; a consumable line
  (account 150) opens a ``StockLot`` at the line's price;
- exits of durable assets (transfer_out, write_off, count_shortage): the asset is written
  off the records (there is no separate "transferred" status: it has left the institution);
- store_transfer: durable assets move to ``to_store``;
- consumable exits (consumption …) change no lots here: services/stock.py takes the lots
  first-in first-out and records the exit on the VİF;
- correction: no automatic effect.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from bilgiislem.audit.services import audit_record
from bilgiislem.core.counters import next_number
from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.registry.services._common import acting_for, atomic_service

from ..choices import ENTRY_KINDS, AssetStatus, VifKind, VifState
from ..models import (
    Asset,
    HandoverDocument,
    StockItem,
    StockLot,
    TasinirCode,
    Vif,
    VifCounter,
    VifLine,
)
from ..roles import harcama_post, is_control_officer, kayit_post
from .codes import asset_kind_of
from .register import DATA_BEARING_KINDS, next_sequence, sicil_of

# Exits that take a durable asset off the records.
LEAVING_KINDS = {VifKind.TRANSFER_OUT, VifKind.WRITE_OFF, VifKind.COUNT_SHORTAGE}
# Kinds whose durable lines must name an existing asset.
ASSET_REQUIRED_KINDS = LEAVING_KINDS | {VifKind.STORE_TRANSFER}
COUNTERPARTY_KINDS = {VifKind.TRANSFER_IN, VifKind.TRANSFER_OUT}
# A single entry line registers at most this many assets (one line each): a typo guard.
MAX_ASSETS_PER_LINE = 500


def _decimal(value, *, field: str, default: str) -> Decimal:
    try:
        return Decimal(str(value if value not in (None, "") else default))
    except (InvalidOperation, ValueError):
        raise DomainError(_("Enter a number."), field=field) from None


def _code_of(value) -> TasinirCode:
    if isinstance(value, TasinirCode):
        return value
    code = TasinirCode.objects.filter(code=str(value or "").strip()).first()
    if code is None:
        raise DomainError(_("Unknown movable property code."), field="lines")
    return code


def _stock_item_for(line: VifLine) -> StockItem:
    """The consumable an entry line adds to: the one named by the description, else the
    code's only one; otherwise a new one named by the description (or the code's title)."""
    items = list(StockItem.objects.filter(code=line.code_id))
    for item in items:
        if item.name == line.description:
            return item
    if len(items) == 1:
        return items[0]
    name = line.description or line.code.title
    item, _created = StockItem.objects.get_or_create(name=name, defaults={"code": line.code})
    if item.code_id != line.code_id:
        raise DomainError(
            _("The consumable %(name)s has another code.") % {"name": name}, field="lines"
        )
    return item


def _clean_lines(kind: str, store, lines) -> list[dict]:
    """Validated line values; durable entry lines without an asset are split one per asset."""
    if not lines:
        raise DomainError(_("Add at least one line."), field="lines")
    cleaned: list[dict] = []
    for raw in lines:
        asset = raw.get("asset")
        code = _code_of(raw.get("code") or (asset.code if asset is not None else None))
        quantity = _decimal(raw.get("quantity"), field="lines", default="1")
        unit_price = _decimal(raw.get("unit_price"), field="lines", default="0")
        item = raw.get("item")
        description = (raw.get("description") or "").strip()
        if item is not None:
            if item.code_id != code.pk:
                raise DomainError(_("The consumable has another code."), field="lines")
            description = item.name
        if quantity <= 0:
            raise DomainError(_("Quantities must be greater than zero."), field="lines")
        if unit_price < 0:
            raise DomainError(_("Prices cannot be negative."), field="lines")
        if asset is not None:
            if asset.code_id != code.pk:
                raise DomainError(
                    _("The asset %(sicil)s has another code.") % {"sicil": asset.sicil_no},
                    field="lines",
                )
            if quantity != 1:
                raise DomainError(_("An asset line is for one item."), field="lines")
            if asset.status == AssetStatus.WRITTEN_OFF and kind not in ENTRY_KINDS:
                raise DomainError(
                    _("The asset %(sicil)s is no longer on the records.")
                    % {"sicil": asset.sicil_no},
                    field="lines",
                )
            if kind in ASSET_REQUIRED_KINDS and asset.store_id != store.pk:
                raise DomainError(
                    _("The asset %(sicil)s is not in this store.") % {"sicil": asset.sicil_no},
                    field="lines",
                )
        values = {
            "code": code,
            "asset": asset,
            "quantity": quantity,
            "unit_price": unit_price,
            "description": description[:300],
        }
        if code.is_consumable:
            if asset is not None:
                raise DomainError(_("Consumables have no registered asset."), field="lines")
            cleaned.append(values)
            continue
        if kind == VifKind.CONSUMPTION:
            raise DomainError(_("Only consumables are consumed."), field="lines")
        if kind in ASSET_REQUIRED_KINDS and asset is None:
            raise DomainError(_("Name the asset of every durable line."), field="lines")
        if asset is None and kind in ENTRY_KINDS:
            if quantity != quantity.to_integral_value() or quantity > MAX_ASSETS_PER_LINE:
                raise DomainError(
                    _("Durable items are counted in whole numbers (at most %(n)s a line).")
                    % {"n": MAX_ASSETS_PER_LINE},
                    field="lines",
                )
            cleaned.extend({**values, "quantity": Decimal(1)} for _n in range(int(quantity)))
            continue
        cleaned.append(values)
    return cleaned


@atomic_service
def vif_create(
    *,
    actor,
    kind: str,
    store,
    date: datetime.date,
    supporting_reference: str,
    supporting_date: datetime.date,
    lines: list[dict],
    counterparty: str = "",
    to_store=None,
    supporting_document=None,
) -> Vif:
    """Prepare a draft VİF (no number yet). The kayıt yetkilisi or the Director prepares it.

    ``lines``: dicts with ``code`` (TasinirCode or its code), optional ``asset``, ``quantity``
    (default 1), ``unit_price`` (default 0), ``description`` and, for consumables, optional
    ``item`` (a StockItem; its name becomes the description).
    """
    post = kayit_post(actor) or harcama_post(actor)
    if post is None:
        raise PermissionDeniedError(
            _("Only the movable property officer or the Director prepares a VİF.")
        )
    if kind not in VifKind.values:
        raise DomainError(_("Choose the kind of the VİF."), field="kind")
    supporting_reference = (supporting_reference or "").strip()
    if not supporting_reference:
        raise DomainError(_("Name the supporting document."), field="supporting_reference")
    if date is None:
        raise DomainError(_("Enter the date."), field="date")
    if supporting_date is None:
        raise DomainError(_("Enter the supporting document's date."), field="supporting_date")
    if date < supporting_date:
        raise DomainError(
            _("The VİF cannot be dated before its supporting document."), field="date"
        )
    counterparty = (counterparty or "").strip()
    if kind in COUNTERPARTY_KINDS and not counterparty:
        raise DomainError(_("Name the other public body."), field="counterparty")
    if kind == VifKind.STORE_TRANSFER:
        if to_store is None or to_store.pk == store.pk:
            raise DomainError(_("Choose another store to transfer to."), field="to_store")
    else:
        to_store = None
    cleaned = _clean_lines(kind, store, lines)
    vif = Vif.objects.create(
        year=date.year,
        kind=kind,
        date=date,
        store=store,
        to_store=to_store,
        counterparty=counterparty,
        supporting_reference=supporting_reference[:200],
        supporting_date=supporting_date,
        supporting_document=supporting_document,
        prepared_by=actor,
    )
    VifLine.objects.bulk_create(VifLine(vif=vif, **values) for values in cleaned)
    audit_record(
        actor=actor,
        action="assets.vif.create",
        obj=vif,
        acting_for=acting_for(post),
        changes={
            "kind": kind,
            "date": date.isoformat(),
            "store": store.pk,
            "supporting_reference": vif.supporting_reference,
            "lines": len(cleaned),
        },
    )
    return vif


def _locked_draft(vif: Vif) -> Vif:
    locked = Vif.objects.select_for_update().get(pk=vif.pk)
    if locked.state != VifState.DRAFT:
        raise DomainError(_("Only a draft VİF can be changed."), field="state")
    return locked


def next_vif_number(year: int) -> int:
    """The next VİF number of a fiscal year; call inside the signing transaction."""
    return next_number(VifCounter, year=year)


def _purchase_papers(vif: Vif) -> dict:
    """The tender number and the delivery note of the Geçici Alındı a purchase VİF was made
    from (services/receipts.py), for the assets it registers."""
    receipt = vif.receipts.first() if vif.kind == VifKind.PURCHASE else None
    if receipt is None:
        return {}
    return {"ikn": receipt.ikn, "invoice": receipt.delivery_note}


def _register_from_line(vif: Vif, line: VifLine, kinds: dict, papers: dict) -> Asset:
    """Register the asset of a durable entry line; ``kinds`` caches each code's asset kind
    (the code list says it, see services/codes.asset_kind_of)."""
    year = vif.date.year
    # The register's numbering (services/register.py): one sicil format, one counter.
    sequence = next_sequence(line.code, year)
    if line.code_id not in kinds:
        kinds[line.code_id] = asset_kind_of(line.code)
    kind = kinds[line.code_id]
    asset = Asset.objects.create(
        code=line.code,
        kind=kind,
        is_storage_medium=kind in DATA_BEARING_KINDS,
        sicil_no=sicil_of(line.code.code, year, sequence),
        entry_year=year,
        sequence=sequence,
        value=line.unit_price,
        store=vif.store,
        status=AssetStatus.IN_STORE,
        note=line.description,
        acceptance_date=vif.supporting_date if vif.kind == VifKind.PURCHASE else None,
        **papers,
    )
    line.asset = asset
    line.save(update_fields=["asset"])
    return asset


def _apply(vif: Vif, now) -> dict:
    """Apply a signed VİF to assets and stock lots; returns a summary for the audit event."""
    created, changed, lots = [], [], []
    kinds: dict[int, str] = {}
    papers = _purchase_papers(vif)
    lines = list(vif.lines.select_related("code", "asset"))
    held = set(
        HandoverDocument.objects.filter(
            asset__in=[ln.asset_id for ln in lines if ln.asset_id], returned_at__isnull=True
        ).values_list("asset_id", flat=True)
    )
    for line in lines:
        if line.code.is_consumable:
            if vif.kind in ENTRY_KINDS:
                lot = StockLot.objects.create(
                    item=_stock_item_for(line),
                    store=vif.store,
                    received_at=now,
                    quantity=line.quantity,
                    remaining=line.quantity,
                    unit_price=line.unit_price,
                    vif_line=line,
                )
                lots.append(lot.pk)
            continue
        asset = line.asset
        if asset is None:
            if vif.kind in ENTRY_KINDS:
                created.append(_register_from_line(vif, line, kinds, papers).sicil_no)
            continue
        asset = Asset.objects.select_for_update().get(pk=asset.pk)
        if vif.kind in ENTRY_KINDS:
            asset.store = vif.store
            if line.unit_price:
                asset.value = line.unit_price
            if asset.status == AssetStatus.WRITTEN_OFF:
                asset.status = AssetStatus.IN_STORE
            asset.save(update_fields=["store", "value", "status"])
        elif vif.kind in LEAVING_KINDS:
            if asset.pk in held:
                raise DomainError(
                    _("The asset %(sicil)s is still handed over to someone: take it back first.")
                    % {"sicil": asset.sicil_no},
                    field="lines",
                )
            if asset.status == AssetStatus.WRITTEN_OFF:
                raise DomainError(
                    _("The asset %(sicil)s is no longer on the records.")
                    % {"sicil": asset.sicil_no},
                    field="lines",
                )
            asset.status = AssetStatus.WRITTEN_OFF
            asset.room = None
            asset.save(update_fields=["status", "room"])
        elif vif.kind == VifKind.STORE_TRANSFER:
            asset.store = vif.to_store
            asset.save(update_fields=["store"])
        else:
            continue
        changed.append(asset.sicil_no)
    return {"assets_registered": created, "assets_changed": changed, "stock_lots": lots}


@atomic_service
def vif_sign(*, actor, vif: Vif) -> Vif:
    """The kayıt yetkilisi signs off a draft: it gets its number and takes effect."""
    post = kayit_post(actor)
    if post is None:
        raise PermissionDeniedError(_("Only the movable property officer signs off a VİF."))
    vif = _locked_draft(vif)
    now = timezone.now()
    vif.number = next_vif_number(vif.year)
    vif.state = VifState.SIGNED
    vif.signed_by = actor
    vif.signed_at = now
    vif.save(update_fields=["number", "state", "signed_by", "signed_at"])
    effects = _apply(vif, now)
    audit_record(
        actor=actor,
        action="assets.vif.sign",
        obj=vif,
        acting_for=acting_for(post),
        changes={"number": f"{vif.year}/{vif.number}", **effects},
    )
    return vif


@atomic_service
def vif_control(*, actor, vif: Vif) -> Vif:
    """The kontrol yetkilisi checks a signed VİF; never the person who signed it off."""
    if not is_control_officer(actor):
        raise PermissionDeniedError(_("Only the movable property controller checks a VİF."))
    vif = Vif.objects.select_for_update().get(pk=vif.pk)
    if vif.state != VifState.SIGNED:
        raise DomainError(_("Only a signed-off VİF can be checked."), field="state")
    if vif.controlled_by_id is not None:
        raise DomainError(_("This VİF has already been checked."), field="controlled_by")
    if vif.signed_by_id == actor.pk:
        raise DomainError(
            _("The controller must be another person than the one who signed it off."),
            field="controlled_by",
        )
    vif.controlled_by = actor
    vif.controlled_at = timezone.now()
    vif.save(update_fields=["controlled_by", "controlled_at"])
    audit_record(actor=actor, action="assets.vif.control", obj=vif, changes={"checked": True})
    return vif


@atomic_service
def vif_cancel(*, actor, vif: Vif, reason: str = "") -> Vif:
    """Cancel a draft (it never had a number, so no number is lost)."""
    post = kayit_post(actor) or harcama_post(actor)
    if post is None and vif.prepared_by_id != actor.pk:
        raise PermissionDeniedError(_("Only the movable property officer cancels a VİF."))
    vif = _locked_draft(vif)
    vif.state = VifState.CANCELLED
    vif.save(update_fields=["state"])
    audit_record(
        actor=actor,
        action="assets.vif.cancel",
        obj=vif,
        acting_for=acting_for(post),
        changes={"state": [VifState.DRAFT, VifState.CANCELLED]},
        reason=(reason or "").strip(),
    )
    return vif
