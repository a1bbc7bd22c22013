"""Hardware and software needs submitted by units (art. 6(ı))."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from bilgiislem.organization.models import OrgUnit

from ..choices import (
    NeedKind,
    NeedState,
)
from ._common import MONEY, PERSON


class Need(models.Model):
    """A unit's hardware or software need, assessed into the yearly needs list (6(ı))."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveIntegerField(_("budget year"))
    kind = models.CharField(_("kind"), max_length=10, choices=NeedKind.choices)
    description = models.CharField(_("description"), max_length=500)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    justification = models.TextField(_("justification"))
    submitted_by = models.ForeignKey(
        PERSON, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    state = models.CharField(
        _("state"), max_length=10, choices=NeedState.choices, default=NeedState.SUBMITTED
    )
    estimated_unit_cost = models.DecimalField(
        _("estimated unit cost"), **MONEY, null=True, blank=True
    )
    assessed_by = models.ForeignKey(
        PERSON,
        verbose_name=_("assessed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    assessment_note = models.TextField(_("assessment note"), blank=True)

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["-year", "unit", "-submitted_at"]

    def __str__(self):
        return self.description
