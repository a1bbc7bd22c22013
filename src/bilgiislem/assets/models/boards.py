"""Boards and what they do: counts (sayım), write-offs (kayıttan düşme), wipes."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from bilgiislem.registry.models import Document

from ..choices import (
    CountState,
    ScanResult,
    WriteOffReason,
    WriteOffState,
)
from ._common import PERSON
from .places import Room
from .register import Asset
from .vif import Vif


class Board(models.Model):
    """A count board (sayım kurulu) or a write-off commission: at least three people."""

    class Purpose(models.TextChoices):
        COUNT = "count", _("Count board")
        WRITE_OFF = "write_off", _("Write-off commission")

    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices)
    name = models.CharField(_("name"), max_length=200)
    appointed_by = models.ForeignKey(
        PERSON, verbose_name=_("appointed by"), on_delete=models.PROTECT, related_name="+"
    )
    appointed_at = models.DateTimeField(_("appointed at"), auto_now_add=True)
    members = models.ManyToManyField(PERSON, verbose_name=_("members"), related_name="asset_boards")
    chair = models.ForeignKey(
        PERSON, verbose_name=_("chair"), on_delete=models.PROTECT, related_name="+"
    )
    # A scrapping commission needs one member who is an expert on the items (art. 28/1).
    expert = models.ForeignKey(
        PERSON,
        verbose_name=_("expert member"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("board")
        verbose_name_plural = _("boards")
        ordering = ["-appointed_at"]

    def __str__(self):
        return self.name


class Count(models.Model):
    """A count (sayım) of a store and its rooms by a board, with a second count of differences."""

    board = models.ForeignKey(
        Board, verbose_name=_("count board"), on_delete=models.PROTECT, related_name="counts"
    )
    year = models.PositiveIntegerField(_("year"))
    state = models.CharField(
        _("state"), max_length=10, choices=CountState.choices, default=CountState.OPEN
    )
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    rooms = models.ManyToManyField(Room, verbose_name=_("rooms counted"), related_name="+")
    closed_by = models.ForeignKey(
        PERSON,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The reconciliation at closing: counts per result, surplus/shortage and the VİFs made.
    result = models.JSONField(_("result"), default=dict, blank=True)

    class Meta:
        verbose_name = _("count")
        verbose_name_plural = _("counts")
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.board} {self.year}"


class CountScan(models.Model):
    """One label scanned in a room during a count round (1: first count, 2: the second)."""

    count = models.ForeignKey(
        Count, verbose_name=_("count"), on_delete=models.CASCADE, related_name="scans"
    )
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    room = models.ForeignKey(
        Room, verbose_name=_("room"), on_delete=models.PROTECT, related_name="+"
    )
    asset = models.ForeignKey(
        Asset,
        verbose_name=_("asset"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    label = models.CharField(_("label read"), max_length=100)
    result = models.CharField(_("result"), max_length=20, choices=ScanResult.choices)
    scanned_by = models.ForeignKey(
        PERSON, verbose_name=_("scanned by"), on_delete=models.PROTECT, related_name="+"
    )
    scanned_at = models.DateTimeField(_("scanned at"), auto_now_add=True)

    class Meta:
        verbose_name = _("count scan")
        verbose_name_plural = _("count scans")
        constraints = [
            models.UniqueConstraint(
                fields=["count", "round", "asset"],
                condition=Q(asset__isnull=False),
                name="count_scan_once_per_round",
            ),
        ]

    def __str__(self):
        return self.label


class WriteOff(models.Model):
    """Kayıttan düşme: proposed by a commission of at least three, approved by the Director;
    the tutanak goes with the exit VİF. A storage medium needs its wipe recorded first."""

    # No commission when a report already documents the loss (theft, fire …): the Director
    # approves on that report alone (Taşınır Mal Yönetmeliği, Kayıttan Düşme Tutanağı).
    commission = models.ForeignKey(
        Board,
        verbose_name=_("commission"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="write_offs",
    )
    loss_report = models.CharField(_("report documenting the loss"), max_length=300, blank=True)
    loss_report_date = models.DateField(_("date of the report"), null=True, blank=True)
    loss_report_document = models.ForeignKey(
        Document,
        verbose_name=_("registered report"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=20, choices=WriteOffReason.choices)
    explanation = models.TextField(_("explanation"))
    assets = models.ManyToManyField(Asset, verbose_name=_("assets"), related_name="write_offs")
    state = models.CharField(
        _("state"), max_length=10, choices=WriteOffState.choices, default=WriteOffState.PROPOSED
    )
    proposed_by = models.ForeignKey(
        PERSON, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        PERSON,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    minute_sha256 = models.CharField(_("minute (PDF) SHA-256"), max_length=64, blank=True)
    vif = models.ForeignKey(
        Vif,
        verbose_name=_("exit VİF"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("write-off")
        verbose_name_plural = _("write-offs")
        ordering = ["-proposed_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(commission__isnull=False) | ~Q(loss_report=""),
                name="write_off_commission_or_report",
            )
        ]

    def __str__(self):
        return f"{self.get_reason_display()} ({self.proposed_at:%Y-%m-%d})"


class WipeRecord(models.Model):
    """The secure wipe or destruction of a storage medium, witnessed."""

    asset = models.ForeignKey(
        Asset, verbose_name=_("asset"), on_delete=models.PROTECT, related_name="wipes"
    )
    method = models.CharField(_("method"), max_length=200)
    performed_by = models.ForeignKey(
        PERSON, verbose_name=_("performed by"), on_delete=models.PROTECT, related_name="+"
    )
    witnessed_by = models.ForeignKey(
        PERSON, verbose_name=_("witnessed by"), on_delete=models.PROTECT, related_name="+"
    )
    performed_at = models.DateTimeField(_("performed at"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("wipe record")
        verbose_name_plural = _("wipe records")
        constraints = [
            models.CheckConstraint(
                condition=~Q(performed_by=F("witnessed_by")), name="wipe_witness_differs"
            )
        ]

    def __str__(self):
        return f"{self.asset} {self.method}"
