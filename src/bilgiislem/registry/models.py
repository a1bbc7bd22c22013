"""The document registry: incoming and outgoing documents, routing, custody (RYY art. 12).

A registered document is never edited in place (DESIGN.md invariant 2): its capture metadata
is fixed at registration; what happens to it afterwards is routings, custody, notes and files.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bilgiislem.organization.models import OrgUnit

from .choices import (
    AnnexKind,
    CustodyKind,
    DeadlineBasis,
    Direction,
    DocumentStatus,
    FileRole,
    Medium,
    PartyKind,
    Purpose,
    RoutingStatus,
    Secrecy,
    Urgency,
)
from .querysets import DocumentQuerySet, RegistryClerkQuerySet, RoutingQuerySet

PERSON = settings.AUTH_USER_MODEL


class RegistryCounter(models.Model):
    """The last registry number of one registry (a directorate) in one numbering period.

    Locked with select_for_update inside the registering transaction, so numbers are unique
    and gapless however many clerks register at once (DESIGN.md invariant 3).
    """

    registry = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField(help_text=_("0 when numbers never restart"))
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("registry counter")
        verbose_name_plural = _("registry counters")
        constraints = [
            models.UniqueConstraint(fields=["registry", "year"], name="registry_counter_unique")
        ]

    def __str__(self):
        return f"{self.registry} {self.year}: {self.last_number}"


class RegistryClerk(models.Model):
    """Someone the Director allows to register documents in the directorate's registry."""

    registry = models.ForeignKey(
        OrgUnit, verbose_name=_("registry"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        PERSON, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    granted_by = models.ForeignKey(
        PERSON, verbose_name=_("granted by"), on_delete=models.PROTECT, related_name="+"
    )

    objects = RegistryClerkQuerySet.as_manager()

    class Meta:
        verbose_name = _("registry clerk")
        verbose_name_plural = _("registry clerks")

    def __str__(self):
        return f"{self.person} — {self.registry}"


class Document(models.Model):
    """A registered document (evrak): incoming or outgoing, electronic or paper."""

    registry = models.ForeignKey(
        OrgUnit,
        verbose_name=_("registry"),
        on_delete=models.PROTECT,
        related_name="registered_documents",
        help_text=_("The directorate whose registry holds this record."),
    )
    registry_year = models.PositiveIntegerField(_("numbering year"))
    registry_number = models.PositiveIntegerField(_("registry number"))
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    medium = models.CharField(_("medium"), max_length=10, choices=Medium.choices)
    registered_at = models.DateTimeField(_("registered at"), db_index=True)
    registered_by = models.ForeignKey(
        PERSON, verbose_name=_("registered by"), on_delete=models.PROTECT, related_name="+"
    )
    # The other side: the sender of an incoming document, the recipient of an outgoing one.
    party_kind = models.CharField(
        _("sender / recipient kind"), max_length=20, choices=PartyKind.choices
    )
    party_name = models.CharField(_("sender / recipient"), max_length=300)
    party_identifier = models.CharField(
        _("DETSİS / VKN / MERSİS / TCKN"), max_length=16, blank=True
    )
    party_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("directorate"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sayi = models.CharField(_("number (Sayı)"), max_length=100, blank=True, db_index=True)
    document_date = models.DateField(_("document date"), null=True, blank=True)
    subject = models.CharField(_("subject"), max_length=500)
    sdp_code = models.CharField(_("file plan code"), max_length=30, blank=True, db_index=True)
    secrecy = models.CharField(
        _("secrecy"), max_length=20, choices=Secrecy.choices, default=Secrecy.NONE
    )
    urgency = models.CharField(
        _("urgency"), max_length=20, choices=Urgency.choices, default=Urgency.NORMAL
    )
    urgency_date = models.DateField(_("GÜNLÜDÜR date"), null=True, blank=True)
    paper_location = models.CharField(
        _("where the paper original is kept"), max_length=300, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.OPEN
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    source = models.ForeignKey(
        "self",
        verbose_name=_("sent from"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="internal_copies",
        help_text=_("The other directorate's record this internal document came from."),
    )
    eyp_belge_id = models.CharField(_("e-Yazışma document id"), max_length=64, blank=True)
    search_text = models.TextField(editable=False, default="")

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-registered_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["registry", "registry_year", "registry_number"],
                name="document_registry_number_unique",
            ),
            models.CheckConstraint(
                condition=~Q(urgency="gunludur") | Q(urgency_date__isnull=False),
                name="document_gunludur_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["registry", "-registered_at"], name="document_registry_recent"),
            models.Index(fields=["status", "registry"], name="document_status_registry"),
        ]

    def __str__(self):
        return f"{self.number_label} {self.subject}"

    @property
    def number_label(self) -> str:
        if self.registry_year:
            return f"{self.registry_year}/{self.registry_number}"
        return str(self.registry_number)


class DocumentFile(models.Model):
    """A file of a document, stored by its SHA-256 (core.storage); the bytes never change."""

    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.PROTECT, related_name="files"
    )
    role = models.CharField(_("role"), max_length=20, choices=FileRole.choices)
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    extracted_text = models.TextField(editable=False, default="")
    uploaded_by = models.ForeignKey(
        PERSON, verbose_name=_("added by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document file")
        verbose_name_plural = _("document files")
        ordering = ["document", "id"]

    def __str__(self):
        return self.filename


class Annex(models.Model):
    """An annex (ek): an electronic file, an external reference, or a physical object."""

    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.PROTECT, related_name="annexes"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=AnnexKind.choices)
    description = models.CharField(_("description"), max_length=500)
    file = models.ForeignKey(
        DocumentFile,
        verbose_name=_("file"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("annex")
        verbose_name_plural = _("annexes")
        ordering = ["document", "id"]

    def __str__(self):
        return self.description


class Reference(models.Model):
    """A reference (ilgi) to an earlier document, registered here or not."""

    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.PROTECT, related_name="references"
    )
    referenced = models.ForeignKey(
        Document,
        verbose_name=_("registered document"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referenced_by",
    )
    sayi = models.CharField(_("number (Sayı)"), max_length=100, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("reference")
        verbose_name_plural = _("references")
        ordering = ["document", "id"]

    def __str__(self):
        return self.sayi or self.description


class Routing(models.Model):
    """Havale: sending a document to a person or a unit, for action or for information.

    Electronic routing is itself custody (RYY art. 12(b)); a unit's head can route it on
    (``parent``), the person can return it (iade) with a reason, and closes it with an outcome.
    """

    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.PROTECT, related_name="routings"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("routed on from"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    routed_by = models.ForeignKey(
        PERSON, verbose_name=_("routed by"), on_delete=models.PROTECT, related_name="+"
    )
    routed_as = models.CharField(_("routed as"), max_length=300, blank=True)
    to_person = models.ForeignKey(
        PERSON,
        verbose_name=_("to person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="routings",
    )
    to_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("to unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="routings",
    )
    purpose = models.CharField(_("purpose"), max_length=12, choices=Purpose.choices)
    instruction = models.TextField(_("instruction"), blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    deadline_basis = models.CharField(
        _("deadline rule"), max_length=12, choices=DeadlineBasis.choices, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RoutingStatus.choices, default=RoutingStatus.OPEN
    )
    created_at = models.DateTimeField(_("routed at"), auto_now_add=True)
    read_at = models.DateTimeField(_("first opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        PERSON,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    outcome = models.TextField(_("outcome"), blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    # The days the reminder (due tomorrow) and the escalation (overdue) were recorded, so the
    # daily task records each at most once a day (RYY art. 9(ç)).
    reminded_on = models.DateField(_("reminded on"), null=True, blank=True, editable=False)
    escalated_on = models.DateField(_("escalated on"), null=True, blank=True, editable=False)
    reply = models.ForeignKey(
        Document,
        verbose_name=_("reply"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="answered_routings",
    )

    objects = RoutingQuerySet.as_manager()

    class Meta:
        verbose_name = _("routing")
        verbose_name_plural = _("routings")
        ordering = ["document", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_person__isnull=False) | Q(to_unit__isnull=False),
                name="routing_has_recipient",
            )
        ]
        indexes = [
            models.Index(fields=["to_person", "status"], name="routing_person_status"),
            models.Index(fields=["to_unit", "status"], name="routing_unit_status"),
            models.Index(fields=["status", "due_date"], name="routing_status_due"),
        ]

    def __str__(self):
        return f"{self.document.number_label} → {self.to_person or self.to_unit}"


class Custody(models.Model):
    """Zimmet: who holds a document (or its paper original), against acknowledgement."""

    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.PROTECT, related_name="custody"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=CustodyKind.choices)
    holder = models.ForeignKey(
        PERSON,
        verbose_name=_("holder"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="custody",
    )
    holder_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("holding unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    given_by = models.ForeignKey(
        PERSON, verbose_name=_("handed over by"), on_delete=models.PROTECT, related_name="+"
    )
    given_at = models.DateTimeField(_("handed over at"), auto_now_add=True)
    routing = models.ForeignKey(
        Routing,
        verbose_name=_("routing"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="custody",
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        PERSON,
        verbose_name=_("acknowledged by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    proof = models.ForeignKey(
        DocumentFile,
        verbose_name=_("signed custody list"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    released_at = models.DateTimeField(_("passed on at"), null=True, blank=True)

    class Meta:
        verbose_name = _("custody")
        verbose_name_plural = _("custody")
        ordering = ["document", "given_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(holder__isnull=False) | Q(holder_unit__isnull=False),
                name="custody_has_holder",
            )
        ]

    def __str__(self):
        return f"{self.document.number_label}: {self.holder or self.holder_unit}"


class Note(models.Model):
    """A working note on a document by someone it was routed to."""

    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.PROTECT, related_name="notes"
    )
    author = models.ForeignKey(
        PERSON, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("note"))
    file = models.ForeignKey(
        DocumentFile,
        verbose_name=_("file"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["document", "created_at", "id"]

    def __str__(self):
        return self.text[:60]
