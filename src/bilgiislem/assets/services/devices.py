"""Monitored devices: access points, information screens and network gear report a
heartbeat (issue 7 point 9; RYY art. 6(r), 6(u)).

- Bilgi İşlem staff issue (or rotate) a device's token: a random secret shown once, stored
  as its SHA-256 only, valid for BILGIISLEM_DEVICE_TOKEN_DAYS days (default 365).
- The device POSTs /api/assets/heartbeat/ with ``Authorization: Device <token>``; a good
  token sets ``last_seen_at`` with one UPDATE (the hot path: no audit row per heartbeat).
  An unknown token is refused (401), an expired one too (403); each refusal is written to
  the audit trail at most once a minute per address and reason, so a device stuck in a loop
  cannot flood the trail.
- ``devices_mark_offline`` (every five minutes) finds devices silent for longer than
  BILGIISLEM_DEVICE_OFFLINE_MINUTES (default 15) and opens one service-desk request per
  outage (``Asset.offline_ticket``). A device that comes back clears the link and notes it on
  the request; nothing is closed automatically — a person confirms the fix. A device never
  heard from is not an outage (it may not be installed yet).
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bilgiislem.audit.services import audit_record
from bilgiislem.core.errors import DomainError
from bilgiislem.servicedesk.choices import Category, Channel, Priority, TicketState
from bilgiislem.servicedesk.services.tickets import event, open_ticket, ticket_opened

from ..choices import MONITORED_KINDS, AssetKind, AssetStatus
from ..models import Asset, TicketAsset
from ._heads import require_it_staff

REFUSAL_LOG_SECONDS = 60


def offline_minutes() -> int:
    return getattr(settings, "BILGIISLEM_DEVICE_OFFLINE_MINUTES", 15)


def token_days() -> int:
    return getattr(settings, "BILGIISLEM_DEVICE_TOKEN_DAYS", 365)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def is_online(asset: Asset, now: datetime.datetime | None = None) -> bool:
    if asset.last_seen_at is None:
        return False
    now = now or timezone.now()
    return now - asset.last_seen_at <= datetime.timedelta(minutes=offline_minutes())


# ---------------------------------------------------------------- tokens


def device_token_issue(*, actor, asset: Asset) -> str:
    """A new token for a monitored device (the old one stops working). Returns the token in
    clear: shown once, to be put into the device's configuration."""
    require_it_staff(actor)
    if asset.kind not in MONITORED_KINDS:
        raise DomainError(
            _("Only access points, screens, network devices and servers report a heartbeat."),
            field="kind",
        )
    if asset.status == AssetStatus.WRITTEN_OFF:
        raise DomainError(_("This asset has been written off."), field="asset")
    token = secrets.token_urlsafe(32)
    expires = timezone.now() + datetime.timedelta(days=token_days())
    with transaction.atomic():
        rotated = bool(
            Asset.objects.filter(pk=asset.pk).values_list("device_token_hash", flat=True)[0]
        )
        Asset.objects.filter(pk=asset.pk).update(
            device_token_hash=token_hash(token), device_token_expires=expires
        )
        audit_record(
            actor=actor,
            action="assets.device.token_rotated" if rotated else "assets.device.token_issued",
            obj=asset,
            changes={"expires": expires.isoformat()},
        )
    asset.device_token_hash, asset.device_token_expires = token_hash(token), expires
    return token


def device_token_revoke(*, actor, asset: Asset) -> None:
    require_it_staff(actor)
    with transaction.atomic():
        Asset.objects.filter(pk=asset.pk).update(device_token_hash="", device_token_expires=None)
        audit_record(actor=actor, action="assets.device.token_revoked", obj=asset)
    asset.device_token_hash, asset.device_token_expires = "", None


# ---------------------------------------------------------------- heartbeat


class HeartbeatRefused(Exception):
    """A heartbeat with a wrong (status 401) or expired (403) token."""

    def __init__(self, reason: str, status: int):
        super().__init__(reason)
        self.reason, self.status = reason, status


@dataclasses.dataclass(frozen=True)
class Heartbeat:
    asset_id: int
    sicil_no: str
    seen_at: datetime.datetime


def _log_refusal(reason: str, address: str, asset: Asset | None) -> None:
    # cache.add is atomic: only the first refusal of the window writes an audit row.
    if not cache.add(f"assets:hb-refused:{reason}:{address}", 1, REFUSAL_LOG_SECONDS):
        return
    with transaction.atomic():
        audit_record(
            actor=None,
            action="assets.device.heartbeat_refused",
            obj=asset,
            reason=f"{reason} token from {address or 'unknown address'}",
        )


def _touch(digest: str, now) -> tuple[int, str] | None:
    """The hot path in one statement: a valid token of a device with no open outage request
    sets ``last_seen_at`` and returns (id, sicil); None sends the caller the slow way."""
    table = connection.ops.quote_name(Asset._meta.db_table)
    # Stored the way the ORM stores it (SQLite compares datetimes as text).
    now = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last_seen_at = %s "  # noqa: S608 (no user input in the SQL)
            "WHERE device_token_hash = %s AND device_token_expires > %s "
            "AND offline_ticket_id IS NULL RETURNING id, sicil_no",
            [now, digest, now],
        )
        row = cursor.fetchone()
    return (row[0], row[1]) if row else None


def heartbeat_accept(token: str, *, address: str = "", now=None) -> Heartbeat:
    """Record that the device holding ``token`` is alive. Refusals raise HeartbeatRefused."""
    now = now or timezone.now()
    digest = token_hash(token) if token else ""
    touched = _touch(digest, now) if token else None
    if touched is not None:
        return Heartbeat(asset_id=touched[0], sicil_no=touched[1], seen_at=now)
    asset = (
        Asset.objects.filter(device_token_hash=digest).exclude(device_token_hash="").first()
        if token
        else None
    )
    if asset is None:
        _log_refusal("unknown", address, None)
        raise HeartbeatRefused("unknown", 401)
    if asset.device_token_expires is None or asset.device_token_expires <= now:
        _log_refusal("expired", address, asset)
        raise HeartbeatRefused("expired", 403)
    _back_online(asset.pk, now)
    return Heartbeat(asset_id=asset.pk, sicil_no=asset.sicil_no, seen_at=now)


def _back_online(pk: int, now) -> None:
    with transaction.atomic():
        asset = (
            Asset.objects.select_for_update(of=("self",))
            .select_related("offline_ticket")
            .get(pk=pk)
        )
        ticket = asset.offline_ticket
        asset.last_seen_at = now
        asset.offline_ticket = None
        asset.save(update_fields=["last_seen_at", "offline_ticket"])
        if ticket is not None:
            event(
                ticket,
                None,
                _("The device reported again at %(time)s.")
                % {"time": timezone.localtime(now).strftime("%d.%m.%Y %H:%M")},
            )
        audit_record(
            actor=None,
            action="assets.device.online",
            obj=asset,
            changes={"ticket": ticket.pk if ticket else None},
        )


# ---------------------------------------------------------------- offline sweep


CATEGORY_OF = {
    AssetKind.ACCESS_POINT: Category.WIFI,
    AssetKind.SCREEN: Category.SCREENS,
}


def offline_devices(now=None):
    """Devices with a token, heard from once, silent for longer than the threshold."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(minutes=offline_minutes())
    return (
        Asset.objects.exclude(device_token_hash="")
        .exclude(status=AssetStatus.WRITTEN_OFF)
        .filter(last_seen_at__lt=cutoff)
    )


def devices_mark_offline(now=None) -> list:
    """Open one service-desk request for each device newly gone silent; returns them."""
    now = now or timezone.now()
    opened = []
    for pk in list(
        offline_devices(now).filter(offline_ticket__isnull=True).values_list("pk", flat=True)[:500]
    ):
        with transaction.atomic():
            asset = (
                Asset.objects.select_for_update(of=("self",))
                .select_related("site", "room", "store")
                .get(pk=pk)
            )
            if asset.offline_ticket_id is not None or is_online(asset, now):
                continue  # a heartbeat or another sweep came first
            place = asset.site or asset.room or asset.store
            seen = timezone.localtime(asset.last_seen_at).strftime("%d.%m.%Y %H:%M")
            ticket = open_ticket(
                actor=None,
                now=now,
                state=TicketState.NEW,
                channel=Channel.API,
                title=_("Device offline: %(asset)s at %(place)s")
                % {"asset": f"{asset.get_kind_display()} {asset.sicil_no}", "place": place},
                description=_(
                    "%(asset)s (%(make)s %(model)s, serial %(serial)s) at %(place)s has not "
                    "reported since %(seen)s (more than %(minutes)d minutes)."
                )
                % {
                    "asset": asset.sicil_no,
                    "make": asset.make,
                    "model": asset.model,
                    "serial": asset.serial_number or "-",
                    "place": place,
                    "seen": seen,
                    "minutes": offline_minutes(),
                },
                category=CATEGORY_OF.get(asset.kind, Category.NETWORK),
                priority=Priority.HIGH,
                requester_unit=asset.store.unit,
            )
            TicketAsset.objects.create(ticket=ticket, asset=asset)
            asset.offline_ticket = ticket
            asset.save(update_fields=["offline_ticket"])
            audit_record(
                actor=None,
                action="assets.device.offline",
                obj=asset,
                changes={"last_seen_at": asset.last_seen_at.isoformat(), "ticket": ticket.pk},
            )
            ticket_opened(ticket, now=now, changed=[])
        opened.append(ticket)
    return opened
