"""The asset register: a durable item gets its sicil number (code + last two digits of the
entry year + a 5-digit entry sequence, Taşınır Mal Yönetmeliği art. 36), then its
non-capture fields may be corrected and it may move between rooms. Its history is its audit
events (selectors.asset_history)."""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bilgiislem.audit.services import audit_record
from bilgiislem.core.counters import next_number
from bilgiislem.core.errors import DomainError

from ..choices import AssetKind, AssetStatus
from ..models import Asset, AssetSequence, Room, Site, Store, TasinirCode
from ._common import acting_for, require_registrar

# Fields fixed when the item is captured (they come from the VİF and the sicil); everything
# else may be corrected on the record.
EDITABLE_FIELDS = (
    "kind",
    "serial_number",
    "make",
    "model",
    "ikn",
    "invoice",
    "acceptance_date",
    "warranty_until",
    "is_storage_medium",
    "site",
    "note",
)


# Kinds that hold data unless said otherwise: a write-off waits for their wipe record.
DATA_BEARING_KINDS = frozenset(
    {AssetKind.COMPUTER, AssetKind.LAPTOP, AssetKind.SERVER, AssetKind.STORAGE, AssetKind.PRINTER}
)


def sicil_of(code: str, year: int, sequence: int) -> str:
    return f"{code}-{year % 100:02d}-{sequence:05d}"


_SICIL = re.compile(r"^(?P<code>[0-9.]+)-(?P<yy>\d{2})-(?P<seq>\d{5})$")


def next_sequence(code: TasinirCode, year: int) -> int:
    """Take the next entry sequence of a code in a year. Call inside the registering
    transaction: the counter row stays locked until it ends, so concurrent registrations
    queue and a rolled-back one gives its number back."""
    return next_number(AssetSequence, code_id=code.pk, year=year)


def _raise_counter(code: TasinirCode, year: int, sequence: int) -> None:
    """An item entered with its existing sicil: later numbers must not reuse its sequence."""
    counter, _created = AssetSequence.objects.select_for_update().get_or_create(
        code=code, year=year, defaults={"last_number": 0}
    )
    if counter.last_number < sequence:
        counter.last_number = sequence
        counter.save(update_fields=["last_number"])


def _money(value, field) -> Decimal:
    try:
        amount = Decimal(str(value if value not in (None, "") else 0))
    except InvalidOperation as exc:
        raise DomainError(_("Enter an amount."), field=field) from exc
    if amount < 0 or not amount.is_finite():
        raise DomainError(_("The amount cannot be negative."), field=field)
    return amount.quantize(Decimal("0.01"))


def _check_existing_sicil(sicil_no: str, code: TasinirCode) -> tuple[int, int]:
    match = _SICIL.match(sicil_no)
    if match is None or match["code"] != code.code:
        raise DomainError(
            _("A sicil number is the code, the entry year's two digits and five digits: %(x)s")
            % {"x": sicil_of(code.code, timezone.localdate().year, 1)},
            field="sicil_no",
        )
    yy, sequence = int(match["yy"]), int(match["seq"])
    if sequence == 0:
        raise DomainError(_("The entry sequence starts at 1."), field="sicil_no")
    # Two digits of the year: the entry year within the last century up to now.
    this_year = timezone.localdate().year
    year = this_year - ((this_year % 100 - yy) % 100)
    return year, sequence


@transaction.atomic
def asset_register(
    *,
    actor,
    code: TasinirCode,
    kind: str,
    store: Store,
    entry_date: datetime.date | None = None,
    sicil_no: str = "",
    room: Room | None = None,
    site: Site | None = None,
    value=0,
    serial_number: str = "",
    make: str = "",
    model: str = "",
    ikn: str = "",
    invoice: str = "",
    acceptance_date: datetime.date | None = None,
    warranty_until: datetime.date | None = None,
    is_storage_medium: bool | None = None,
    note: str = "",
    check_actor: bool = True,
) -> Asset:
    """Register a durable item and give it its sicil number.

    ``sicil_no`` is given only for an item that already has one (taken over from another
    body or from the earlier paper register); an existing number is refused. The VİF
    services call this with ``check_actor=False`` after their own checks.
    """
    post = require_registrar(actor) if check_actor else None
    if code is None:
        raise DomainError(_("Choose a movable property code."), field="code")
    if code.is_consumable:
        raise DomainError(
            _("Consumables (150) are kept as stock, not as registered assets."), field="code"
        )
    if kind not in AssetKind.values:
        raise DomainError(_("Choose a kind of asset."), field="kind")
    if store is None:
        raise DomainError(_("Choose a store."), field="store")
    if room is not None and not room.site.active:
        raise DomainError(_("This site is no longer in use."), field="room")
    amount = _money(value, "value")
    entry_date = entry_date or timezone.localdate()
    sicil_no = (sicil_no or "").strip()
    if sicil_no:
        if Asset.objects.filter(sicil_no=sicil_no).exists():
            raise DomainError(_("This sicil number exists."), field="sicil_no")
        year, sequence = _check_existing_sicil(sicil_no, code)
        if Asset.objects.filter(code=code, entry_year=year, sequence=sequence).exists():
            raise DomainError(_("This sicil number exists."), field="sicil_no")
        _raise_counter(code, year, sequence)
    else:
        year = entry_date.year
        sequence = next_sequence(code, year)
        sicil_no = sicil_of(code.code, year, sequence)
    if is_storage_medium is None:
        is_storage_medium = kind in DATA_BEARING_KINDS
    asset = Asset.objects.create(
        code=code,
        kind=kind,
        sicil_no=sicil_no,
        entry_year=year,
        sequence=sequence,
        store=store,
        room=room,
        site=site,
        status=AssetStatus.IN_USE if room is not None or site is not None else AssetStatus.IN_STORE,
        value=amount,
        serial_number=(serial_number or "").strip(),
        make=(make or "").strip(),
        model=(model or "").strip(),
        ikn=(ikn or "").strip(),
        invoice=(invoice or "").strip(),
        acceptance_date=acceptance_date,
        warranty_until=warranty_until,
        is_storage_medium=bool(is_storage_medium),
        note=note or "",
    )
    audit_record(
        actor=actor,
        action="assets.asset.registered",
        obj=asset,
        changes={
            "sicil_no": sicil_no,
            "code": code.code,
            "kind": kind,
            "store": str(store),
            "room": str(room or ""),
            "site": str(site or ""),
            "value": amount,
            "serial_number": asset.serial_number,
        },
        acting_for=acting_for(post),
    )
    return asset


def _display(value) -> str:
    return "" if value is None else str(value)


@transaction.atomic
def asset_update(*, actor, asset: Asset, **fields) -> Asset:
    """Correct the fields not fixed at capture; a capture field is refused by name."""
    post = require_registrar(actor)
    for field in fields:
        if field not in EDITABLE_FIELDS:
            raise DomainError(_("This field is fixed when the item is registered."), field=field)
    asset = Asset.objects.select_for_update().get(pk=asset.pk)
    if asset.status == AssetStatus.WRITTEN_OFF:
        raise DomainError(_("This asset has been written off."), field="__all__")
    changes = {}
    for field, value in fields.items():
        if field == "kind" and value not in AssetKind.values:
            raise DomainError(_("Choose a kind of asset."), field="kind")
        if isinstance(value, str):
            value = value.strip() if field != "note" else value
        if field == "is_storage_medium":
            value = bool(value)
        if getattr(asset, field) != value:
            changes[field] = [_display(getattr(asset, field)), _display(value)]
            setattr(asset, field, value)
    if changes:
        asset.save(update_fields=list(changes))
        audit_record(
            actor=actor,
            action="assets.asset.updated",
            obj=asset,
            changes=changes,
            acting_for=acting_for(post),
        )
    return asset


@transaction.atomic
def asset_move(*, actor, asset: Asset, room: Room | None, reason: str = "") -> Asset:
    """Move an item to another room (``None``: back to the store)."""
    post = require_registrar(actor)
    asset = Asset.objects.select_for_update(of=("self",)).select_related("room").get(pk=asset.pk)
    if asset.status == AssetStatus.WRITTEN_OFF:
        raise DomainError(_("This asset has been written off."), field="room")
    if asset.status in (AssetStatus.LENT, AssetStatus.IN_REPAIR):
        # Its place is the borrower or the repairer until it comes back (services/loans.py,
        # services/repair.py); a move now would leave the record contradicting itself.
        raise DomainError(
            _("This asset is lent or in repair: record its return first."), field="room"
        )
    if room is not None and not room.site.active:
        raise DomainError(_("This site is no longer in use."), field="room")
    if room == asset.room:
        raise DomainError(_("The asset is already in this room."), field="room")
    if room is None and asset.holder_id is not None:
        raise DomainError(
            _("A person holds this asset: it comes back to the store on its Teslim Belgesi."),
            field="room",
        )
    before = str(asset.room or "")
    asset.room = room
    fields = ["room"]
    if room is None and asset.status == AssetStatus.IN_USE:
        asset.status = AssetStatus.IN_STORE
        fields.append("status")
    elif room is not None and asset.status == AssetStatus.IN_STORE:
        asset.status = AssetStatus.IN_USE
        fields.append("status")
    asset.save(update_fields=fields)
    audit_record(
        actor=actor,
        action="assets.asset.moved",
        obj=asset,
        changes={"room": [before, str(room or "")]},
        reason=reason or "",
        acting_for=acting_for(post),
    )
    return asset
