"""Varlık İşlem Fişi: numbered from 1 each fiscal year, never reused (art. 10)."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from bilgiislem.registry.models import Document

from ..choices import (
    DocumentKind,
    VifKind,
    VifState,
)
from ._common import MONEY, PERSON, QTY
from .places import Store, TasinirCode
from .register import Asset


class VifCounter(models.Model):
    """The last VİF number of a fiscal year: restarts at 1 every year, never reused."""

    year = models.PositiveIntegerField(unique=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last_number}"


class DocumentCounter(models.Model):
    """The last number of another yearly-numbered asset document (``DocumentKind``)."""

    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    year = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "year"], name="asset_document_counter_unique")
        ]

    def __str__(self):
        return f"{self.kind} {self.year}: {self.last_number}"


class Vif(models.Model):
    """A Varlık İşlem Fişi: the document of every entry, exit and transfer."""

    year = models.PositiveIntegerField(_("fiscal year"))
    number = models.PositiveIntegerField(
        _("number"), null=True, blank=True, help_text=_("Given when signed off.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=VifKind.choices)
    date = models.DateField(_("date"))
    store = models.ForeignKey(
        Store, verbose_name=_("store"), on_delete=models.PROTECT, related_name="vifs"
    )
    to_store = models.ForeignKey(
        Store,
        verbose_name=_("to store"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    counterparty = models.CharField(_("other public body"), max_length=300, blank=True)
    supporting_reference = models.CharField(_("supporting document"), max_length=200)
    supporting_date = models.DateField(_("supporting document date"))
    supporting_document = models.ForeignKey(
        Document,
        verbose_name=_("registered document"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=VifState.choices, default=VifState.DRAFT
    )
    prepared_by = models.ForeignKey(
        PERSON, verbose_name=_("prepared by"), on_delete=models.PROTECT, related_name="+"
    )
    prepared_at = models.DateTimeField(_("prepared at"), auto_now_add=True)
    signed_by = models.ForeignKey(
        PERSON,
        verbose_name=_("signed off by (kayıt yetkilisi)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    controlled_by = models.ForeignKey(
        PERSON,
        verbose_name=_("checked by (kontrol yetkilisi)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    controlled_at = models.DateTimeField(_("checked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("asset transaction voucher (VİF)")
        verbose_name_plural = _("asset transaction vouchers (VİF)")
        ordering = ["-year", "-number", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="vif_number_unique"),
            models.CheckConstraint(
                condition=Q(date__gte=F("supporting_date")), name="vif_not_before_support"
            ),
            models.CheckConstraint(
                condition=Q(controlled_by__isnull=True) | ~Q(controlled_by=F("signed_by")),
                name="vif_control_not_record",
            ),
        ]

    def __str__(self):
        return f"VİF {self.year}/{self.number or '—'}"


class VifLine(models.Model):
    vif = models.ForeignKey(
        Vif, verbose_name=_("VİF"), on_delete=models.CASCADE, related_name="lines"
    )
    code = models.ForeignKey(
        TasinirCode,
        verbose_name=_("movable property code"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    asset = models.ForeignKey(
        Asset,
        verbose_name=_("asset"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vif_lines",
    )
    quantity = models.DecimalField(_("quantity"), **QTY, default=1)
    unit_price = models.DecimalField(_("unit price"), **MONEY, default=0)
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("VİF line")
        verbose_name_plural = _("VİF lines")
        ordering = ["vif", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="vif_line_quantity_positive")
        ]

    def __str__(self):
        return f"{self.vif} {self.code_id} × {self.quantity}"
