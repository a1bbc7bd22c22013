"""Custody: İstek Belgesi, Teslim Belgesi (zimmet), shared-room lists."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bilgiislem.organization.models import OrgUnit
from bilgiislem.servicedesk.models import Ticket

from ..choices import (
    RequestState,
)
from ._common import PERSON, QTY
from .places import Room, TasinirCode
from .register import Asset


class AssetRequest(models.Model):
    """A Taşınır İstek Belgesi: a unit asks for an item; the Director (harcama yetkilisi)
    approves; the kayıt yetkilisi issues it."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("requesting unit"), on_delete=models.PROTECT, related_name="+"
    )
    requested_by = models.ForeignKey(
        PERSON,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="asset_requests",
    )
    for_person = models.ForeignKey(
        PERSON,
        verbose_name=_("for"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    code = models.ForeignKey(
        TasinirCode,
        verbose_name=_("movable property code"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    quantity = models.DecimalField(_("quantity"), **QTY, default=1)
    purpose = models.TextField(_("purpose"))
    ticket = models.ForeignKey(
        Ticket,
        verbose_name=_("service request"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=RequestState.choices, default=RequestState.REQUESTED
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
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
        verbose_name = _("request for an item (İstek Belgesi)")
        verbose_name_plural = _("requests for items (İstek Belgesi)")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="asset_request_quantity_positive"
            )
        ]

    def __str__(self):
        return f"{self.unit} — {self.code}"


class HandoverDocument(models.Model):
    """A Taşınır Teslim Belgesi: a durable item given to a person (zimmet); its return is
    recorded on the same document, without a VİF (art. 18/3, 23)."""

    year = models.PositiveIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    asset = models.ForeignKey(
        Asset, verbose_name=_("asset"), on_delete=models.PROTECT, related_name="handovers"
    )
    receiver = models.ForeignKey(
        PERSON, verbose_name=_("receiver"), on_delete=models.PROTECT, related_name="handovers"
    )
    request = models.ForeignKey(
        AssetRequest,
        verbose_name=_("request"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handovers",
    )
    issued_by = models.ForeignKey(
        PERSON, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    signed_scan_sha256 = models.CharField(
        _("signed copy (scan) SHA-256"), max_length=64, blank=True
    )
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    return_received_by = models.ForeignKey(
        PERSON,
        verbose_name=_("return received by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    return_note = models.TextField(_("condition on return"), blank=True)

    class Meta:
        verbose_name = _("handover document (Teslim Belgesi)")
        verbose_name_plural = _("handover documents (Teslim Belgesi)")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="handover_number_unique"),
            models.UniqueConstraint(
                fields=["asset"],
                condition=Q(returned_at__isnull=True),
                name="handover_one_open_per_asset",
            ),
        ]

    def __str__(self):
        return f"{self.year}/{self.number} {self.asset} → {self.receiver}"


class SharedListSignOff(models.Model):
    """A room's Dayanıklı Taşınırlar Listesi signed by the unit head or the area's responsible."""

    room = models.ForeignKey(
        Room, verbose_name=_("room"), on_delete=models.PROTECT, related_name="list_signoffs"
    )
    signed_by = models.ForeignKey(
        PERSON, verbose_name=_("signed by"), on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(_("signed at"), auto_now_add=True)
    items = models.JSONField(_("items listed"), default=list)

    class Meta:
        verbose_name = _("shared-room list sign-off")
        verbose_name_plural = _("shared-room list sign-offs")
        ordering = ["-signed_at"]

    def __str__(self):
        return f"{self.room} {self.signed_at:%Y-%m-%d}"


class AssetLoan(models.Model):
    """An item lent to someone who is not staff (a school, a muhtarlık, another body) through
    the coordinating unit, handed over and taken back by tutanak (art. 23/7). The asset is
    "lent" meanwhile; no VİF, since it stays on our register."""

    year = models.PositiveIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    asset = models.ForeignKey(
        Asset, verbose_name=_("asset"), on_delete=models.PROTECT, related_name="loans"
    )
    borrower = models.CharField(_("borrower (body or person)"), max_length=300)
    borrower_contact = models.CharField(_("borrower's contact"), max_length=300, blank=True)
    coordinating_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("coordinating unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    purpose = models.TextField(_("purpose"))
    lent_at = models.DateTimeField(_("lent at"))
    due_on = models.DateField(_("due back on"), null=True, blank=True)
    lent_by = models.ForeignKey(
        PERSON, verbose_name=_("lent by"), on_delete=models.PROTECT, related_name="+"
    )
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    return_received_by = models.ForeignKey(
        PERSON,
        verbose_name=_("return received by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    return_note = models.TextField(_("condition on return"), blank=True)

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        ordering = ["-lent_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="asset_loan_number_unique"),
            models.UniqueConstraint(
                fields=["asset"],
                condition=Q(returned_at__isnull=True),
                name="asset_loan_one_open_per_asset",
            ),
        ]

    def __str__(self):
        return f"{self.year}/{self.number} {self.asset} → {self.borrower}"
