"""Licences, contract coverage, leased data lines."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from bilgiislem.servicedesk.models import Ticket, VendorContract

from ._common import MONEY, PERSON
from .places import Site
from .register import Asset


class License(models.Model):
    """A software licence: seats, the key (kept secret), expiry, the contract it came with."""

    product = models.CharField(_("product"), max_length=200)
    vendor = models.CharField(_("vendor"), max_length=200, blank=True)
    seats = models.PositiveIntegerField(_("seats"))
    key_encrypted = models.TextField(editable=False, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    contract = models.ForeignKey(
        VendorContract,
        verbose_name=_("contract"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="licenses",
    )

    class Meta:
        verbose_name = _("software licence")
        verbose_name_plural = _("software licences")
        ordering = ["product"]

    def __str__(self):
        return self.product


class LicenseAssignment(models.Model):
    license = models.ForeignKey(
        License, verbose_name=_("licence"), on_delete=models.PROTECT, related_name="assignments"
    )
    asset = models.ForeignKey(
        Asset,
        verbose_name=_("asset"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="licenses",
    )
    person = models.ForeignKey(
        PERSON,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("licence assignment")
        verbose_name_plural = _("licence assignments")
        constraints = [
            models.CheckConstraint(
                condition=Q(asset__isnull=False) | Q(person__isnull=False),
                name="license_assignment_has_target",
            )
        ]

    def __str__(self):
        return f"{self.license} → {self.asset or self.person}"


class ContractCoverage(models.Model):
    """An asset covered by a maintenance or support contract (6(ğ))."""

    contract = models.ForeignKey(
        VendorContract,
        verbose_name=_("contract"),
        on_delete=models.PROTECT,
        related_name="covered_assets",
    )
    asset = models.ForeignKey(
        Asset, verbose_name=_("asset"), on_delete=models.PROTECT, related_name="contracts"
    )

    class Meta:
        verbose_name = _("contract coverage")
        verbose_name_plural = _("contract coverages")
        constraints = [
            models.UniqueConstraint(fields=["contract", "asset"], name="contract_coverage_once")
        ]

    def __str__(self):
        return f"{self.contract} — {self.asset}"


class DataLine(models.Model):
    """A leased data line between two sites (6(d))."""

    provider = models.CharField(_("provider"), max_length=200)
    circuit_id = models.CharField(_("circuit id"), max_length=100, unique=True)
    site_a = models.ForeignKey(
        Site, verbose_name=_("from site"), on_delete=models.PROTECT, related_name="+"
    )
    site_b = models.ForeignKey(
        Site, verbose_name=_("to site"), on_delete=models.PROTECT, related_name="+"
    )
    speed_mbps = models.PositiveIntegerField(_("speed (Mbit/s)"))
    contract_number = models.CharField(_("contract number"), max_length=100, blank=True)
    monthly_cost = models.DecimalField(_("monthly cost"), **MONEY, default=0)
    installed_on = models.DateField(_("installed on"), null=True, blank=True)
    ends_on = models.DateField(_("contract ends on"), null=True, blank=True)

    class Meta:
        verbose_name = _("leased data line")
        verbose_name_plural = _("leased data lines")
        ordering = ["provider", "circuit_id"]
        constraints = [
            models.CheckConstraint(condition=~Q(site_a=F("site_b")), name="data_line_two_sites")
        ]

    def __str__(self):
        return f"{self.provider} {self.circuit_id}"


class DataLineOutage(models.Model):
    line = models.ForeignKey(
        DataLine, verbose_name=_("data line"), on_delete=models.PROTECT, related_name="outages"
    )
    ticket = models.ForeignKey(
        Ticket, verbose_name=_("service request"), on_delete=models.PROTECT, related_name="+"
    )
    provider_ticket = models.CharField(_("provider's ticket number"), max_length=100, blank=True)
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("data line outage")
        verbose_name_plural = _("data line outages")
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.line} {self.started_at:%Y-%m-%d %H:%M}"
