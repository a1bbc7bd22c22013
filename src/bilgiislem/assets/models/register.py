"""The durable-item register: assets with their sicil numbers, and their service-desk links."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from bilgiislem.servicedesk.models import Ticket

from ..choices import (
    AssetKind,
    AssetStatus,
)
from ._common import MONEY, PERSON
from .places import Room, Site, Store, TasinirCode


class Asset(models.Model):
    """A durable item (dayanıklı taşınır) with its sicil number and its whole history."""

    code = models.ForeignKey(
        TasinirCode,
        verbose_name=_("movable property code"),
        on_delete=models.PROTECT,
        related_name="assets",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AssetKind.choices)
    # Sicil: code + last two digits of the entry year + entry sequence (art. 36).
    sicil_no = models.CharField(_("registration number (sicil)"), max_length=60, unique=True)
    entry_year = models.PositiveIntegerField(_("entry year"))
    sequence = models.PositiveIntegerField(_("entry sequence"))
    serial_number = models.CharField(_("serial number"), max_length=100, blank=True, db_index=True)
    make = models.CharField(_("make"), max_length=100, blank=True)
    model = models.CharField(_("model"), max_length=100, blank=True)
    ikn = models.CharField(_("tender number (İKN)"), max_length=30, blank=True)
    invoice = models.CharField(_("invoice"), max_length=100, blank=True)
    acceptance_date = models.DateField(_("acceptance report date"), null=True, blank=True)
    value = models.DecimalField(_("value"), **MONEY, default=0)
    warranty_until = models.DateField(_("warranty until"), null=True, blank=True)
    store = models.ForeignKey(
        Store, verbose_name=_("store"), on_delete=models.PROTECT, related_name="assets"
    )
    room = models.ForeignKey(
        Room,
        verbose_name=_("room"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assets",
    )
    site = models.ForeignKey(
        Site,
        verbose_name=_("public site"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="devices",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=AssetStatus.choices, default=AssetStatus.IN_STORE
    )
    holder = models.ForeignKey(
        PERSON,
        verbose_name=_("held by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="held_assets",
        help_text=_("Set only by a Taşınır Teslim Belgesi."),
    )
    is_storage_medium = models.BooleanField(_("holds data"), default=False)
    # Monitored devices (access points, screens …): heartbeat with a secret device token.
    device_token_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    device_token_expires = models.DateTimeField(_("device token expires"), null=True, blank=True)
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)
    offline_ticket = models.ForeignKey(
        Ticket,
        verbose_name=_("offline request"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        ordering = ["-entry_year", "-sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "entry_year", "sequence"], name="asset_sequence_unique"
            ),
        ]
        indexes = [
            # Lists filter by status and location and show the newest first: each index ends
            # with the id, so a page of fifty is read in order with no sort (issue 7).
            models.Index(fields=["status", "id"], name="asset_status_newest"),
            models.Index(fields=["room", "status", "id"], name="asset_room_status_newest"),
            models.Index(fields=["site", "status", "id"], name="asset_site_status_newest"),
            models.Index(fields=["holder", "status"], name="asset_holder_status"),
        ]

    def __str__(self):
        return f"{self.sicil_no} {self.make} {self.model}".strip()


class AssetSequence(models.Model):
    """The last entry sequence of a code in a year (locked when a sicil number is given)."""

    code = models.ForeignKey(TasinirCode, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["code", "year"], name="asset_sequence_counter")
        ]

    def __str__(self):
        return f"{self.code_id} {self.year}: {self.last_number}"


class TicketAsset(models.Model):
    """The asset a service-desk request concerns (the desk cannot import assets: layers)."""

    ticket = models.OneToOneField(
        Ticket,
        verbose_name=_("service request"),
        on_delete=models.PROTECT,
        related_name="asset_link",
    )
    asset = models.ForeignKey(
        Asset, verbose_name=_("asset"), on_delete=models.PROTECT, related_name="ticket_links"
    )

    class Meta:
        verbose_name = _("request's asset")
        verbose_name_plural = _("requests' assets")

    def __str__(self):
        return f"{self.ticket} — {self.asset}"
