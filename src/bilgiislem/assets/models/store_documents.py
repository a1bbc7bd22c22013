"""Store documents: the Taşınır Geçici Alındısı given when goods arrive before their
acceptance inspection, and the Ambar Devir ve Teslim Tutanağı between kayıt yetkilileri."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ..choices import ReceiptState, StoreHandoverState
from ._common import MONEY, PERSON, QTY
from .places import Store, TasinirCode
from .vif import Vif


class TemporaryReceipt(models.Model):
    """Taşınır Geçici Alındısı (two copies): goods received when the acceptance inspection
    cannot be done at once. Accepted goods are entered on a VİF that refers to it; refused
    goods go back to the supplier."""

    year = models.PositiveIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    store = models.ForeignKey(
        Store, verbose_name=_("store"), on_delete=models.PROTECT, related_name="receipts"
    )
    supplier = models.CharField(_("supplier"), max_length=300)
    ikn = models.CharField(_("tender number (İKN)"), max_length=30, blank=True)
    delivery_note = models.CharField(_("delivery note or invoice"), max_length=100, blank=True)
    received_on = models.DateField(_("received on"))
    received_by = models.ForeignKey(
        PERSON, verbose_name=_("received by"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=ReceiptState.choices, default=ReceiptState.OPEN
    )
    vif = models.ForeignKey(
        Vif,
        verbose_name=_("entry VİF"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="receipts",
    )
    decided_by = models.ForeignKey(
        PERSON,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        verbose_name = _("temporary receipt (Geçici Alındı)")
        verbose_name_plural = _("temporary receipts (Geçici Alındı)")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="receipt_number_unique")
        ]

    def __str__(self):
        return f"{self.year}/{self.number} {self.supplier}"


class TemporaryReceiptLine(models.Model):
    receipt = models.ForeignKey(
        TemporaryReceipt, verbose_name=_("receipt"), on_delete=models.CASCADE, related_name="lines"
    )
    code = models.ForeignKey(
        TasinirCode,
        verbose_name=_("movable property code"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.CharField(_("description"), max_length=300)
    quantity = models.DecimalField(_("quantity"), **QTY)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=20, default="adet")
    unit_price = models.DecimalField(_("unit price"), **MONEY, default=0)

    class Meta:
        verbose_name = _("receipt line")
        verbose_name_plural = _("receipt lines")
        ordering = ["receipt", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="receipt_line_quantity_positive"
            )
        ]

    def __str__(self):
        return f"{self.description} × {self.quantity}"


class StoreHandover(models.Model):
    """Ambar Devir ve Teslim Tutanağı (three copies): a kayıt yetkilisi leaving hands the store
    over to the next (art. 6/4). ``items`` is the store's content when the tutanak was made."""

    year = models.PositiveIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    store = models.ForeignKey(
        Store, verbose_name=_("store"), on_delete=models.PROTECT, related_name="handovers"
    )
    handed_by = models.ForeignKey(
        PERSON, verbose_name=_("handed over by"), on_delete=models.PROTECT, related_name="+"
    )
    received_by = models.ForeignKey(
        PERSON, verbose_name=_("taken over by"), on_delete=models.PROTECT, related_name="+"
    )
    prepared_at = models.DateTimeField(_("prepared at"))
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=StoreHandoverState.choices,
        default=StoreHandoverState.PREPARED,
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    items = models.JSONField(_("store content"), default=dict)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("store handover (Ambar Devir ve Teslim Tutanağı)")
        verbose_name_plural = _("store handovers (Ambar Devir ve Teslim Tutanağı)")
        ordering = ["-prepared_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="store_handover_number_unique"),
            models.CheckConstraint(
                condition=~Q(handed_by=F("received_by")), name="store_handover_two_people"
            ),
        ]

    def __str__(self):
        return f"{self.year}/{self.number} {self.store}"
