"""Consumables (tüketim malzemeleri, account 150): entries, first-in first-out issues, minimum
levels (Taşınır Mal Yönetmeliği 2024 art. 22).

Every entry rests on a purchase VİF whose lines each become one ``StockLot`` at its price;
every issue takes the oldest lots of the store first, at their entry prices, and records the
exit on a consumption VİF ("no consumable leaves without a VİF", art. 22). Parts used in a
service-desk repair are issued against that request (``ticket``), an item asked for on a
Taşınır İstek Belgesi against the request.

Who: the taşınır kayıt yetkilisi receives and issues; the Director (harcama yetkilisi) and
the kayıt yetkilisi keep the list of consumables and their minimum levels; anyone posted in
Bilgi İşlem reads the stock.
"""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import DecimalField, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from bilgiislem.audit.services import audit_record
from bilgiislem.core.errors import DomainError, PermissionDeniedError

from .. import permissions
from ..choices import RequestState, VifKind
from ..models import AssetRequest, StockIssue, StockItem, StockLot, Store, TasinirCode, Vif

ZERO = Decimal("0")
QTY_PLACES = Decimal("0.001")


# ---------------------------------------------------------------- who


def may_view_stock(person) -> bool:
    """Anyone posted in Bilgi İşlem or one of its units."""
    return permissions.is_asset_staff(person)


def may_issue_stock(person) -> bool:
    return permissions.kayit_post(person) is not None


def may_manage_items(person) -> bool:
    return bool(permissions.kayit_post(person) or permissions.harcama_post(person))


def require_stock_keeper(person):
    post = permissions.kayit_post(person)
    if post is None:
        raise PermissionDeniedError(
            _("Only the movable property officer receives and issues consumables.")
        )
    return post


def _acting_for(post):
    return post.position if post is not None and post.acting is not None else None


# ---------------------------------------------------------------- input


def _quantity(value, *, field: str = "quantity") -> Decimal:
    try:
        quantity = Decimal(str(value)).quantize(QTY_PLACES)
    except (InvalidOperation, ValueError, TypeError):
        raise DomainError(_("Enter a quantity."), field=field) from None
    if quantity <= 0:
        raise DomainError(_("The quantity must be more than zero."), field=field)
    return quantity


def _money(value, *, field: str = "unit_price") -> Decimal:
    try:
        price = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        raise DomainError(_("Enter a price."), field=field) from None
    if price < 0:
        raise DomainError(_("A price cannot be negative."), field=field)
    return price


# ---------------------------------------------------------------- consumables


@transaction.atomic
def stock_item_create(
    *,
    actor,
    code: TasinirCode,
    name: str,
    unit_of_measure: str = "adet",
    minimum_level=0,
) -> StockItem:
    """Add a consumable to the list (Tüketim Malzemeleri Defteri) with its minimum level."""
    if not may_manage_items(actor):
        raise PermissionDeniedError(
            _("Only the Director or the taşınır kayıt yetkilisi keeps the list of consumables.")
        )
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Enter the name."), field="name")
    if code is None or not code.is_consumable:
        raise DomainError(
            _("A consumable takes a code of account 150 (İlk Madde ve Malzemeler)."), field="code"
        )
    if StockItem.objects.filter(name__iexact=name).exists():
        raise DomainError(_("A consumable with this name exists."), field="name")
    minimum = ZERO if minimum_level in (None, "") else Decimal(str(minimum_level))
    if minimum < 0:
        raise DomainError(_("The minimum level cannot be negative."), field="minimum_level")
    item = StockItem.objects.create(
        code=code,
        name=name,
        unit_of_measure=(unit_of_measure or "adet").strip()[:20],
        minimum_level=minimum,
    )
    audit_record(
        actor=actor,
        action="assets.stock_item.create",
        obj=item,
        changes={"code": code.code, "name": name, "minimum_level": str(minimum)},
    )
    return item


@transaction.atomic
def stock_item_set_minimum(*, actor, item: StockItem, minimum_level) -> StockItem:
    """Change the level under which the item is reordered."""
    if not may_manage_items(actor):
        raise PermissionDeniedError(
            _("Only the Director or the taşınır kayıt yetkilisi keeps the list of consumables.")
        )
    try:
        minimum = Decimal(str(minimum_level))
    except (InvalidOperation, ValueError, TypeError):
        raise DomainError(_("Enter the minimum level."), field="minimum_level") from None
    if minimum < 0:
        raise DomainError(_("The minimum level cannot be negative."), field="minimum_level")
    before = item.minimum_level
    item.minimum_level = minimum
    item.save(update_fields=["minimum_level"])
    audit_record(
        actor=actor,
        action="assets.stock_item.set_minimum",
        obj=item,
        changes={"minimum_level": [str(before), str(minimum)]},
    )
    return item


# ---------------------------------------------------------------- entries


@transaction.atomic
def stock_receive(
    *,
    actor,
    store: Store,
    date: datetime.date,
    supporting_reference: str,
    supporting_date: datetime.date,
    lines: list[dict],
    counterparty: str = "",
    supporting_document=None,
) -> Vif:
    """Receive consumables into a store on a purchase VİF, signed off at once by the kayıt
    yetkilisi; each line ({item, quantity, unit_price}) becomes a lot at its price."""
    from .vif import vif_create, vif_sign

    post = require_stock_keeper(actor)
    if not lines:
        raise DomainError(_("Add at least one line."), field="lines")
    vif_lines = []
    for line in lines:
        item = line.get("item")
        if not isinstance(item, StockItem):
            raise DomainError(_("Choose the consumable."), field="lines")
        vif_lines.append(
            {
                "code": item.code,
                "item": item,
                "quantity": _quantity(line.get("quantity")),
                "unit_price": _money(line.get("unit_price")),
                "description": item.name,
            }
        )
    vif = vif_create(
        actor=actor,
        kind=VifKind.PURCHASE,
        store=store,
        date=date,
        supporting_reference=supporting_reference,
        supporting_date=supporting_date,
        lines=vif_lines,
        counterparty=counterparty,
        supporting_document=supporting_document,
    )
    # Signing opens one lot per line at its price (services/vif.py, entry effects).
    vif = vif_sign(actor=actor, vif=vif)
    audit_record(
        actor=actor,
        action="assets.stock.receive",
        obj=vif,
        changes={"lots": [lot.pk for lot in StockLot.objects.filter(vif_line__vif=vif)]},
        acting_for=_acting_for(post),
    )
    return vif


# ---------------------------------------------------------------- issues


def _support(request: AssetRequest | None, ticket) -> tuple[str, datetime.date]:
    """The document an issue rests on (VİF "dayanağı") and its date."""
    if request is not None:
        when = timezone.localdate(request.decided_at or request.requested_at)
        return _("Taşınır İstek Belgesi no. %(n)s") % {"n": request.pk}, when
    if ticket is not None:
        when = timezone.localdate(ticket.created_at)
        return _("Support request %(n)s") % {"n": ticket.number_label}, when
    today = timezone.localdate()
    return _("Taşınır İstek Belgesi"), today


@transaction.atomic
def stock_issue(
    *,
    actor,
    item: StockItem,
    store: Store,
    quantity,
    request: AssetRequest | None = None,
    ticket=None,
) -> list[StockIssue]:
    """Issue a consumable from a store, oldest lots first at their entry prices (FIFO, art.
    22), against an approved İstek Belgesi or a service-desk request; the exit goes on a
    consumption VİF signed by the kayıt yetkilisi, one line per lot taken."""
    from .vif import vif_create, vif_sign

    post = require_stock_keeper(actor)
    quantity = _quantity(quantity)
    if request is not None:
        if request.state != RequestState.APPROVED:
            raise DomainError(_("Only an approved request can be issued against."), field="request")
        if request.code_id != item.code_id:
            raise DomainError(
                _("The request asks for another item (code %(code)s).")
                % {"code": request.code.code},
                field="item",
            )
    # The lots are locked until the issue commits: two clerks issuing the last toner queue
    # here, and the second finds it gone instead of driving a lot below zero.
    lots = list(
        StockLot.objects.select_for_update()
        .filter(item=item, store=store, remaining__gt=0)
        .order_by("received_at", "id")
    )
    available = sum((lot.remaining for lot in lots), ZERO)
    if available < quantity:
        raise DomainError(
            _("Only %(left)s %(unit)s of %(item)s left in %(store)s.")
            % {
                "left": format(available.normalize(), "f"),
                "unit": item.unit_of_measure,
                "item": item.name,
                "store": store.name,
            },
            field="quantity",
        )
    taken: list[tuple[StockLot, Decimal]] = []
    wanted = quantity
    for lot in lots:
        if wanted <= 0:
            break
        part = min(lot.remaining, wanted)
        taken.append((lot, part))
        wanted -= part
    reference, support_date = _support(request, ticket)
    today = timezone.localdate()
    vif = vif_create(
        actor=actor,
        kind=VifKind.CONSUMPTION,
        store=store,
        date=max(today, support_date),
        supporting_reference=reference,
        supporting_date=support_date,
        lines=[
            {
                "code": item.code,
                "asset": None,
                "quantity": part,
                "unit_price": lot.unit_price,
                "description": item.name,
            }
            for lot, part in taken
        ],
    )
    vif = vif_sign(actor=actor, vif=vif)
    vif_lines = list(vif.lines.order_by("id"))
    issues = []
    for (lot, part), line in zip(taken, vif_lines, strict=True):
        StockLot.objects.filter(pk=lot.pk).update(remaining=F("remaining") - part)
        issues.append(
            StockIssue.objects.create(
                lot=lot,
                quantity=part,
                request=request,
                ticket=ticket,
                vif_line=line,
                issued_by=actor,
            )
        )
    if request is not None:
        request.state = RequestState.ISSUED
        request.save(update_fields=["state"])
    audit_record(
        actor=actor,
        action="assets.stock.issue",
        obj=item,
        changes={
            "store": store.pk,
            "quantity": str(quantity),
            "lots": {str(lot.pk): str(part) for lot, part in taken},
            "vif": vif.pk,
            "request": request.pk if request else None,
            "ticket": ticket.pk if ticket else None,
        },
        acting_for=_acting_for(post),
    )
    return issues


# ---------------------------------------------------------------- reads


def on_hand_by_item(store: Store | None = None):
    """Consumables annotated with ``on_hand`` (what the lots hold) and ``value_on_hand``."""
    lots = StockLot.objects.filter(item=OuterRef("pk"), remaining__gt=0)
    if store is not None:
        lots = lots.filter(store=store)
    qty = DecimalField(max_digits=12, decimal_places=3)
    money = DecimalField(max_digits=18, decimal_places=2)
    on_hand = lots.order_by().values("item").annotate(s=Sum("remaining")).values("s")
    value = (
        lots.order_by()
        .values("item")
        .annotate(s=Sum(F("remaining") * F("unit_price"), output_field=money))
        .values("s")
    )
    return StockItem.objects.select_related("code").annotate(
        on_hand=Coalesce(Subquery(on_hand, output_field=qty), Value(ZERO), output_field=qty),
        value_on_hand=Coalesce(
            Subquery(value, output_field=money), Value(ZERO), output_field=money
        ),
    )


def items_to_reorder(store: Store | None = None):
    """Consumables at or under their minimum level (a level of zero never warns)."""
    return on_hand_by_item(store).filter(minimum_level__gt=0, on_hand__lte=F("minimum_level"))


def tickets_for_parts(person):
    """Service-desk requests whose parts the person may see or issue: those the desk lets
    them see, and every request for the kayıt yetkilisi, who issues the parts of any repair."""
    from bilgiislem.servicedesk.models import Ticket
    from bilgiislem.servicedesk.querysets import tickets

    if may_issue_stock(person):
        return Ticket.objects.all()
    return tickets().visible_to(person)


def issues_for_ticket(ticket):
    """The parts issued against a service-desk request, oldest first, with their VİF."""
    return (
        StockIssue.objects.filter(ticket=ticket)
        .select_related("lot__item", "lot__store", "vif_line__vif", "issued_by")
        .order_by("issued_at", "id")
    )


@dataclasses.dataclass(frozen=True)
class Valued:
    quantity: Decimal
    value: Decimal


def issued_total(issues) -> Valued:
    """Quantity and value (at the lots' entry prices) of some issues."""
    quantity = ZERO
    value = ZERO
    for issue in issues:
        quantity += issue.quantity
        value += issue.quantity * issue.lot.unit_price
    return Valued(quantity, value.quantize(Decimal("0.01")))
