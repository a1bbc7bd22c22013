"""Where assets are: the taşınır code list, public sites, rooms and stores (ambar)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from bilgiislem.organization.models import OrgUnit

from ..choices import AssetKind, SiteKind


class TasinirCode(models.Model):
    """A code of the Taşınır Kod Listesi: account (150, 253, 255 …) and detail levels."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=300)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    is_sample = models.BooleanField(_("sample value"), default=False)
    # What an item of this code is, so a VİF entry registers it as the right kind of asset.
    asset_kind = models.CharField(
        _("asset kind"), max_length=20, choices=AssetKind.choices, blank=True
    )

    class Meta:
        verbose_name = _("movable property code")
        verbose_name_plural = _("movable property codes")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def account(self) -> str:
        return self.code.split(".")[0]

    @property
    def is_consumable(self) -> bool:
        return self.account == "150"


class Site(models.Model):
    """A building or a public place (park, hospital, square …) with rooms and devices."""

    kind = models.CharField(_("kind"), max_length=20, choices=SiteKind.choices)
    name = models.CharField(_("name"), max_length=200, unique=True)
    address = models.CharField(_("address"), max_length=500, blank=True)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Room(models.Model):
    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="rooms"
    )
    floor = models.CharField(_("floor"), max_length=20, blank=True)
    name = models.CharField(_("room"), max_length=100)
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    shared = models.BooleanField(
        _("shared area"),
        default=False,
        help_text=_("Items here are on the room's Dayanıklı Taşınırlar Listesi, not on a person."),
    )

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["site", "floor", "name"]
        constraints = [
            models.UniqueConstraint(fields=["site", "floor", "name"], name="room_unique")
        ]

    def __str__(self):
        return f"{self.site} {self.floor} {self.name}".strip()


class Store(models.Model):
    """An ambar of a spending unit (harcama birimi), with its two-character code."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("spending unit"), on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField(_("store code"), max_length=2)
    name = models.CharField(_("name"), max_length=200)
    room = models.ForeignKey(
        Room,
        verbose_name=_("room"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("store")
        verbose_name_plural = _("stores")
        ordering = ["unit", "code"]
        constraints = [models.UniqueConstraint(fields=["unit", "code"], name="store_code_unique")]

    def __str__(self):
        return self.name
