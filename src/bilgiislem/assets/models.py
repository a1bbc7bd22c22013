"""Assets and stock under the Taşınır Mal Yönetmeliği (2024) (RYY art. 6(b), (d), (g), (ğ),
(ı), (i), (r), (u); art. 8(j); standards.md section 5).

Every entry, exit and transfer rests on a numbered ``Vif`` (Varlık İşlem Fişi, numbered from
1 each fiscal year); a durable item given to a person is on a ``HandoverDocument`` (Taşınır
Teslim Belgesi, no VİF on return); consumables are ``StockLot`` rows issued first-in
first-out; counts, write-offs, licences, data lines and monitored devices hang off ``Asset``.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from bilgiislem.organization.models import OrgUnit
from bilgiislem.registry.models import Document
from bilgiislem.servicedesk.models import Ticket, VendorContract

from .choices import (
    AssetKind,
    AssetStatus,
    CountState,
    NeedKind,
    NeedState,
    RequestState,
    ScanResult,
    SiteKind,
    VifKind,
    VifState,
    WriteOffReason,
    WriteOffState,
)

PERSON = settings.AUTH_USER_MODEL
MONEY = {"max_digits": 14, "decimal_places": 2}
QTY = {"max_digits": 12, "decimal_places": 3}


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
            models.Index(fields=["status", "room"], name="asset_status_room"),
            models.Index(fields=["room", "status"], name="asset_room_status"),
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


class VifCounter(models.Model):
    """The last VİF number of a fiscal year: restarts at 1 every year, never reused."""

    year = models.PositiveIntegerField(unique=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last_number}"


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

    commission = models.ForeignKey(
        Board, verbose_name=_("commission"), on_delete=models.PROTECT, related_name="write_offs"
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
