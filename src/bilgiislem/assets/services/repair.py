"""An item sent away for repair and back (status "in repair").

It stays on the register and with its holder's Teslim Belgesi (no VİF: nothing leaves the
institution's records). The service-desk request it concerns, when given, is linked to the
item (``TicketAsset``). The vendor's note and the request are kept in the audit trail, which
is the item's history.
"""

from django.utils.translation import gettext as _

from bilgiislem.audit.models import AuditEvent
from bilgiislem.audit.services import audit_record
from bilgiislem.core.errors import DomainError
from bilgiislem.registry.services._common import atomic_service

from ..choices import AssetStatus
from ..models import Asset, TicketAsset
from ._common import acting_for, require_registrar

SEND_ACTION = "assets.asset.repair_send"
BACK_ACTION = "assets.asset.repair_back"
REPAIRABLE = (AssetStatus.IN_STORE, AssetStatus.IN_USE)


def _link_ticket(ticket, asset: Asset) -> None:
    link = TicketAsset.objects.filter(ticket=ticket).first()
    if link is None:
        TicketAsset.objects.create(ticket=ticket, asset=asset)
    elif link.asset_id != asset.pk:
        raise DomainError(_("This service request concerns another item."), field="ticket")


@atomic_service
def asset_send_for_repair(*, actor, asset: Asset, ticket=None, vendor_note: str = "") -> Asset:
    """The kayıt yetkilisi records that an item in the store or in use went for repair."""
    post = require_registrar(actor)
    asset = Asset.objects.select_for_update(of=("self",)).get(pk=asset.pk)
    if asset.status not in REPAIRABLE:
        raise DomainError(
            _("Only an item in the store or in use can be sent for repair."), field="asset"
        )
    if ticket is not None:
        _link_ticket(ticket, asset)
    before = asset.status
    asset.status = AssetStatus.IN_REPAIR
    asset.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action=SEND_ACTION,
        obj=asset,
        acting_for=acting_for(post),
        changes={
            "status": [before, AssetStatus.IN_REPAIR],
            "ticket": ticket.number_label if ticket is not None else None,
            "vendor_note": (vendor_note or "").strip(),
        },
    )
    return asset


@atomic_service
def asset_back_from_repair(*, actor, asset: Asset, note: str = "") -> Asset:
    """The item is back: in use when a person holds it on an open Teslim Belgesi or it has a
    place (a room or a public site), else in the store."""
    post = require_registrar(actor)
    asset = Asset.objects.select_for_update(of=("self",)).get(pk=asset.pk)
    if asset.status != AssetStatus.IN_REPAIR:
        raise DomainError(_("This item is not in repair."), field="asset")
    in_use = (
        asset.room_id is not None
        or asset.site_id is not None
        or asset.handovers.filter(returned_at__isnull=True).exists()
    )
    asset.status = AssetStatus.IN_USE if in_use else AssetStatus.IN_STORE
    asset.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action=BACK_ACTION,
        obj=asset,
        acting_for=acting_for(post),
        changes={"status": [AssetStatus.IN_REPAIR, asset.status], "note": (note or "").strip()},
    )
    return asset


def repair_info(asset: Asset) -> dict | None:
    """The request and vendor's note of the item's current repair, for its page."""
    if asset.status != AssetStatus.IN_REPAIR:
        return None
    event = (
        AuditEvent.objects.filter(
            object_type=Asset._meta.label_lower, object_id=str(asset.pk), action=SEND_ACTION
        )
        .order_by("-seq")
        .first()
    )
    if event is None:
        return {"since": None, "ticket": None, "vendor_note": ""}
    changes = event.changes or {}
    return {
        "since": event.occurred_at,
        "ticket": changes.get("ticket"),
        "vendor_note": changes.get("vendor_note", ""),
    }
