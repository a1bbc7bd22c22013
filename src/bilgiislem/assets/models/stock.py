"""Consumables (account 150): lots issued first-in first-out."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from bilgiislem.servicedesk.models import Ticket

from ._common import MONEY, PERSON, QTY
from .custody import AssetRequest
from .places import Store, TasinirCode
from .vif import VifLine


class StockItem(models.Model):
    """A consumable (account 150): toner, cables, parts, with a minimum level."""

    code = models.ForeignKey(
        TasinirCode,
        verbose_name=_("movable property code"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=200, unique=True)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=20, default="adet")
    minimum_level = models.DecimalField(_("minimum level"), **QTY, default=0)

    class Meta:
        verbose_name = _("consumable")
        verbose_name_plural = _("consumables")
        ordering = ["name"]

    def __str__(self):
        return self.name


class StockLot(models.Model):
    """Quantity received in one entry at one price; issues take the oldest lots first."""

    item = models.ForeignKey(
        StockItem, verbose_name=_("consumable"), on_delete=models.PROTECT, related_name="lots"
    )
    store = models.ForeignKey(
        Store, verbose_name=_("store"), on_delete=models.PROTECT, related_name="lots"
    )
    received_at = models.DateTimeField(_("received at"))
    quantity = models.DecimalField(_("quantity received"), **QTY)
    remaining = models.DecimalField(_("quantity left"), **QTY)
    unit_price = models.DecimalField(_("unit price"), **MONEY)
    vif_line = models.ForeignKey(
        VifLine,
        verbose_name=_("entry VİF line"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("stock lot")
        verbose_name_plural = _("stock lots")
        ordering = ["item", "received_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(remaining__gte=0) & Q(remaining__lte=F("quantity")),
                name="stock_lot_remaining_range",
            ),
        ]
        indexes = [models.Index(fields=["item", "store", "received_at"], name="stock_lot_fifo")]

    def __str__(self):
        return f"{self.item} {self.remaining}/{self.quantity}"


class StockIssue(models.Model):
    """A quantity taken from a lot against a request or a service-desk repair."""

    lot = models.ForeignKey(
        StockLot, verbose_name=_("lot"), on_delete=models.PROTECT, related_name="issues"
    )
    quantity = models.DecimalField(_("quantity"), **QTY)
    request = models.ForeignKey(
        AssetRequest,
        verbose_name=_("request"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stock_issues",
    )
    ticket = models.ForeignKey(
        Ticket,
        verbose_name=_("service request"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    vif_line = models.ForeignKey(
        VifLine,
        verbose_name=_("exit VİF line"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    issued_by = models.ForeignKey(
        PERSON, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("stock issue")
        verbose_name_plural = _("stock issues")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="stock_issue_quantity_positive"
            )
        ]

    def __str__(self):
        return f"{self.lot.item} × {self.quantity}"
