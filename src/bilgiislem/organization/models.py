"""Institution, units, posts, people, acting and delegation (RYY art. 4, 7, 8, 9, 11)."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from bilgiislem.core.text import fold

from .choices import (
    HEAD_OF,
    PositionKind,
    RecipientClass,
    RequestStatus,
    UnitChangeKind,
    UnitKind,
)
from .querysets import (
    ActingAssignmentQuerySet,
    OrgUnitQuerySet,
    PositionHoldingQuerySet,
    RequestQuerySet,
    SignatureDelegationQuerySet,
)


class Institution(models.Model):
    """The municipality (Belediye) this installation serves; one row."""

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    letterhead = models.CharField(
        _("letterhead"), max_length=200, help_text=_("e.g. KARASU BELEDİYE BAŞKANLIĞI")
    )
    detsis_no = models.CharField(_("DETSİS number"), max_length=8, blank=True)
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    kep_address = models.CharField(_("KEP address"), max_length=200, blank=True)
    website = models.URLField(_("web site"), blank=True)
    sample_fields = models.JSONField(
        _("sample values"),
        default=list,
        blank=True,
        help_text=_("Fields whose values are placeholders, not the real ones."),
    )

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")

    def __str__(self):
        return self.name

    def is_sample(self, field: str) -> bool:
        return field in self.sample_fields


class OrgUnit(models.Model):
    """A unit of the organisation (Başkanlık, Başkan Yardımcılığı, Müdürlük, Birim): a tree.

    A directorate's parent is the deputy mayorship that oversees it. Units are never deleted:
    a closed unit keeps its dates, and ``OrgUnitVersion`` keeps every earlier shape.
    """

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    detsis_no = models.CharField(_("DETSİS number"), max_length=8, blank=True)
    detsis_is_sample = models.BooleanField(_("DETSİS number is a sample"), default=False)
    is_system_owner = models.BooleanField(
        _("runs this system"),
        default=False,
        help_text=_("The directorate (Bilgi İşlem) that administers the system."),
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    search_key = models.CharField(max_length=200, editable=False, db_index=True)

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["sort_order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="orgunit_valid_range",
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_key = fold(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_key"}
        super().save(*args, **kwargs)

    @property
    def head_kind(self) -> str:
        return HEAD_OF[self.kind]


class OrgUnitVersion(models.Model):
    """One shape of a unit over a period: the unit tree as it stood on any date."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="versions"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=UnitKind.choices)
    parent = models.ForeignKey(
        OrgUnit,
        verbose_name=_("parent unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    change_request = models.ForeignKey(
        "UnitChangeRequest",
        verbose_name=_("approved change"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("unit version")
        verbose_name_plural = _("unit versions")
        ordering = ["unit", "valid_from"]

    def __str__(self):
        return f"{self.name} ({self.valid_from:%d.%m.%Y})"


class Person(AbstractUser):
    """A person who uses the system: staff of the municipality (personel)."""

    title = models.CharField(_("title"), max_length=100, blank=True, help_text=_("e.g. Mühendis"))
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    tckn = models.CharField(_("T.C. identity number"), max_length=11, blank=True)
    search_key = models.CharField(max_length=300, editable=False, db_index=True, default="")

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["first_name", "last_name"]

    def __str__(self):
        return self.get_full_name() or self.username

    def save(self, *args, **kwargs):
        self.search_key = fold(f"{self.first_name} {self.last_name} {self.username}")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"first_name", "last_name", "username"} & set(
            update_fields
        ):
            kwargs["update_fields"] = {*update_fields, "search_key"}
        super().save(*args, **kwargs)


class Position(models.Model):
    """A post (kadro/görev) in a unit: 'Bilgi İşlem Müdürü', 'Teknik Destek Birimi Memuru'."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="positions"
    )
    kind = models.CharField(_("kind"), max_length=40, choices=PositionKind.choices)
    title = models.CharField(_("title"), max_length=200)
    created_on = models.DateField(
        _("created on"),
        null=True,
        blank=True,
        help_text=_("The day the post was set up; empty means as old as its unit."),
    )

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["unit__sort_order", "unit__name", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind"], name="position_unique_kind_per_unit")
        ]

    def __str__(self):
        return self.title

    @property
    def is_head(self) -> bool:
        return HEAD_OF.get(self.unit.kind) == self.kind


class PositionHolding(models.Model):
    """Who holds a post, from a date to a date (görevlendirme)."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="holdings"
    )
    position = models.ForeignKey(
        Position, verbose_name=_("position"), on_delete=models.PROTECT, related_name="holdings"
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    objects = PositionHoldingQuerySet.as_manager()

    class Meta:
        verbose_name = _("position holding")
        verbose_name_plural = _("position holdings")
        ordering = ["position", "-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="holding_valid_range",
            )
        ]

    def __str__(self):
        return f"{self.person} — {self.position}"


class ActingAssignment(models.Model):
    """Vekalet: a person acts for a post while its holder is away (RYY art. 9(b)).

    While it runs, the acting person has everything the post allows; actions record both the
    person and the post, and signatures read "Müdür V.". It ends by itself on ``end_date``.
    """

    position = models.ForeignKey(
        Position, verbose_name=_("post acted for"), on_delete=models.PROTECT, related_name="acting"
    )
    acting_person = models.ForeignKey(
        Person, verbose_name=_("acting person"), on_delete=models.PROTECT, related_name="acting"
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        Person, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("ended early at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        Person,
        verbose_name=_("ended early by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ActingAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("acting assignment")
        verbose_name_plural = _("acting assignments")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="acting_valid_range"
            )
        ]

    def __str__(self):
        return f"{self.acting_person} → {self.position} V."


class SignatureDelegation(models.Model):
    """İmza yetkisi devri: the Mayor authorises a Deputy Mayor to sign a class of letters.

    RYY art. 11(b); such signatures read "Başkan a.".
    """

    delegator = models.ForeignKey(
        Person, verbose_name=_("delegated by"), on_delete=models.PROTECT, related_name="+"
    )
    delegator_position = models.ForeignKey(
        Position, verbose_name=_("delegating post"), on_delete=models.PROTECT, related_name="+"
    )
    delegate = models.ForeignKey(
        Person,
        verbose_name=_("delegate"),
        on_delete=models.PROTECT,
        related_name="signature_delegations",
    )
    delegate_position = models.ForeignKey(
        Position, verbose_name=_("delegate's post"), on_delete=models.PROTECT, related_name="+"
    )
    recipient_classes = models.JSONField(
        _("recipient classes"),
        default=list,
        help_text=_("Which classes of recipients the letters may be addressed to."),
    )
    units = models.ManyToManyField(
        OrgUnit,
        verbose_name=_("directorates"),
        blank=True,
        related_name="+",
        help_text=_("Letters of these directorates; none selected means every directorate."),
    )
    description = models.CharField(_("description"), max_length=500, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        Person,
        verbose_name=_("revoked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = SignatureDelegationQuerySet.as_manager()

    class Meta:
        verbose_name = _("signature delegation")
        verbose_name_plural = _("signature delegations")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="delegation_valid_range"
            )
        ]

    def __str__(self):
        return f"{self.delegator} → {self.delegate} (Başkan a.)"

    def recipient_class_labels(self) -> list[str]:
        labels = dict(RecipientClass.choices)
        return [str(labels.get(c, c)) for c in self.recipient_classes]


class Proposal(models.Model):
    """What the Director proposes and the Mayor decides (RYY art. 7(2) and 7(3))."""

    justification = models.TextField(_("justification"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    proposed_by = models.ForeignKey(
        Person, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        Person,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)

    objects = RequestQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-proposed_at"]


class AppointmentRequest(Proposal):
    """Birim Sorumlusu appointment: the Director proposes, the Mayor decides (RYY art. 7(2))."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("proposed person"), on_delete=models.PROTECT, related_name="+"
    )
    holding = models.ForeignKey(
        PositionHolding,
        verbose_name=_("resulting holding"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta(Proposal.Meta):
        verbose_name = _("appointment request")
        verbose_name_plural = _("appointment requests")
        ordering = ["-proposed_at"]

    def __str__(self):
        return f"{self.unit} — {self.person}"


class UnitChangeRequest(Proposal):
    """A change to the internal organisation: Director proposes, Mayor approves (RYY art. 7(3)).

    The unit tree changes only on approval; the old shape stays in ``OrgUnitVersion``.
    """

    kind = models.CharField(_("change"), max_length=20, choices=UnitChangeKind.choices)
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The unit to rename, move or close."),
    )
    name = models.CharField(_("new name"), max_length=200, blank=True)
    unit_kind = models.CharField(
        _("kind of the new unit"), max_length=30, choices=UnitKind.choices, blank=True
    )
    parent = models.ForeignKey(
        OrgUnit,
        verbose_name=_("parent unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    resulting_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("resulting unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta(Proposal.Meta):
        verbose_name = _("organisation change request")
        verbose_name_plural = _("organisation change requests")
        ordering = ["-proposed_at"]

    def __str__(self):
        target = self.name or (self.unit.name if self.unit_id else "")
        return f"{self.get_kind_display()}: {target}"

    @property
    def scope_unit(self) -> OrgUnit | None:
        """The unit whose management is concerned: the parent for a new unit, else the unit."""
        return self.parent if self.kind == UnitChangeKind.CREATE else self.unit
