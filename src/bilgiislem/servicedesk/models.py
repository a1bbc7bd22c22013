"""The service desk (RYY art. 6(b), (c), (g), (ğ), (o), (ö), (s); art. 9(c)).

Requests (``Ticket``) come from staff, from partner bodies (schools, muhtarlıks, NGOs,
Kaymakamlık, Tapu) under a ``ServiceAgreement``, from the call centre, or from an official
letter routed to the directorate. They land in a unit's ``Queue``, the Chief assigns them,
technicians work them, and the SLA clock runs on Turkish working hours (core.calendar),
pausing while waiting. Every change is a service call with its audit event; the
conversation is ``TicketEntry`` rows, internal notes never shown to requesters.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from bilgiislem.correspondence.models import Letter
from bilgiislem.organization.models import OrgUnit
from bilgiislem.registry.models import Document

from .choices import Category, Channel, EntryKind, PartnerKind, Priority, TicketState

PERSON = settings.AUTH_USER_MODEL


class PartnerOrganization(models.Model):
    """A body outside the municipality the directorate supports."""

    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=PartnerKind.choices)
    identifier = models.CharField(_("DETSİS / VKN"), max_length=16, blank=True)
    email_domain = models.CharField(
        _("e-mail domain"),
        max_length=100,
        blank=True,
        help_text=_("Public-form requests from this domain are matched to the organisation."),
    )
    address = models.CharField(_("address"), max_length=500, blank=True)
    phone = models.CharField(_("telephone"), max_length=50, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name


class PartnerMember(models.Model):
    """A partner account: a person who asks for help on behalf of a partner organisation."""

    organization = models.ForeignKey(
        PartnerOrganization,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="members",
    )
    person = models.OneToOneField(
        PERSON,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="partner_membership",
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("partner account")
        verbose_name_plural = _("partner accounts")

    def __str__(self):
        return f"{self.person} — {self.organization}"


class ServiceAgreement(models.Model):
    """A hizmet protokolü: what is supported for a partner, with targets per priority.

    The municipality's own units are served under the default internal agreement
    (``organization`` empty, ``is_internal_default``).
    """

    organization = models.ForeignKey(
        PartnerOrganization,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
    )
    is_internal_default = models.BooleanField(
        _("default agreement for municipal units"), default=False
    )
    title = models.CharField(_("title"), max_length=300)
    protocol = models.ForeignKey(
        Document,
        verbose_name=_("registered protocol"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    categories = models.JSONField(
        _("services covered"),
        default=list,
        blank=True,
        help_text=_("Request categories covered; empty means all."),
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    work_start = models.TimeField(_("working hours start"), default="08:30")
    work_end = models.TimeField(_("working hours end"), default="17:30")
    contacts = models.TextField(_("contacts"), blank=True)
    created_by = models.ForeignKey(
        PERSON, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("service agreement")
        verbose_name_plural = _("service agreements")
        ordering = ["organization__name", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="agreement_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(work_end__gt=F("work_start")), name="agreement_hours_ordered"
            ),
            models.CheckConstraint(
                condition=Q(is_internal_default=True) | Q(organization__isnull=False),
                name="agreement_has_party",
            ),
        ]

    def __str__(self):
        return self.title


class AgreementTarget(models.Model):
    """Response and resolution targets of an agreement for one priority, in working minutes."""

    agreement = models.ForeignKey(
        ServiceAgreement,
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="targets",
    )
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices)
    response_minutes = models.PositiveIntegerField(_("response within (working minutes)"))
    resolution_minutes = models.PositiveIntegerField(_("resolution within (working minutes)"))

    class Meta:
        verbose_name = _("agreement target")
        verbose_name_plural = _("agreement targets")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "priority"], name="agreement_target_once"),
            models.CheckConstraint(
                condition=Q(resolution_minutes__gte=F("response_minutes")),
                name="agreement_target_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.agreement}: {self.priority}"


class Queue(models.Model):
    """A unit's work queue (Teknik Destek, Sistem, Yazılım)."""

    unit = models.OneToOneField(
        OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="service_queue"
    )
    name = models.CharField(_("name"), max_length=200)
    categories = models.JSONField(
        _("categories routed here"),
        default=list,
        blank=True,
        help_text=_("New requests of these categories land in this queue."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("queue")
        verbose_name_plural = _("queues")
        ordering = ["name"]

    def __str__(self):
        return self.name


class VendorContract(models.Model):
    """A maintenance or repair contract with a vendor (RYY art. 6(ğ))."""

    vendor = models.CharField(_("vendor"), max_length=300)
    number = models.CharField(_("contract number"), max_length=100)
    subject = models.CharField(_("subject"), max_length=500)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    pauses_sla = models.BooleanField(
        _("our clock pauses while the vendor works"),
        default=True,
        help_text=_(
            "As the contract's terms say: the vendor's own time does not count against us."
        ),
    )
    contact = models.CharField(_("contact"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("vendor contract")
        verbose_name_plural = _("vendor contracts")
        ordering = ["vendor", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="vendor_contract_ends_after_start",
            )
        ]

    def __str__(self):
        return f"{self.vendor} {self.number}"


class TicketCounter(models.Model):
    """The last request number of a year (locked in the creating transaction)."""

    year = models.PositiveIntegerField(unique=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("request counter")
        verbose_name_plural = _("request counters")

    def __str__(self):
        return f"{self.year}: {self.last_number}"


class Ticket(models.Model):
    """A support request (arıza / destek talebi)."""

    year = models.PositiveIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    state = models.CharField(
        _("state"), max_length=20, choices=TicketState.choices, default=TicketState.NEW
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    # Who asked: a staff member (with their unit), a partner account, or a public-form sender.
    requester = models.ForeignKey(
        PERSON,
        verbose_name=_("requester"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_requests",
    )
    requester_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("requesting unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    organization = models.ForeignKey(
        PartnerOrganization,
        verbose_name=_("partner organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
    )
    contact_name = models.CharField(_("contact name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact telephone"), max_length=50, blank=True)
    confirmation_token_hash = models.CharField(max_length=64, blank=True, editable=False)
    confirmed_at = models.DateTimeField(_("e-mail confirmed at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        PERSON,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The agent who recorded it on someone's behalf."),
    )
    queue = models.ForeignKey(
        Queue, verbose_name=_("queue"), on_delete=models.PROTECT, related_name="tickets"
    )
    assignee = models.ForeignKey(
        PERSON,
        verbose_name=_("assigned to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_tickets",
    )
    agreement = models.ForeignKey(
        ServiceAgreement,
        verbose_name=_("agreement"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
    )
    needs_acceptance = models.BooleanField(_("no valid agreement: needs acceptance"), default=False)
    accepted_by = models.ForeignKey(
        PERSON,
        verbose_name=_("accepted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent request"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged",
    )
    source_document = models.ForeignKey(
        Document,
        verbose_name=_("official letter"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_requests",
    )
    reply_letter = models.ForeignKey(
        Letter,
        verbose_name=_("reply letter"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_requests",
    )
    due_date = models.DateField(
        _("due date"), null=True, blank=True, help_text=_("From a GÜNLÜDÜR letter.")
    )
    created_at = models.DateTimeField(_("opened at"), db_index=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)
    # SLA clock (servicedesk/sla.py): deadlines in real time, moved on when a pause ends.
    response_due_at = models.DateTimeField(_("respond by"), null=True, blank=True)
    resolution_due_at = models.DateTimeField(_("resolve by"), null=True, blank=True)
    first_response_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    paused_since = models.DateTimeField(_("clock paused since"), null=True, blank=True)
    paused_minutes = models.PositiveIntegerField(_("working minutes paused"), default=0)
    warned_at = models.DateTimeField(_("warned at"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(
        _("escalated to"),
        default=0,
        help_text=_("0: not escalated, 1: the Chief, 2: the Director."),
    )
    response_breached = models.BooleanField(_("response target missed"), default=False)
    resolution_breached = models.BooleanField(_("resolution target missed"), default=False)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolution = models.TextField(_("resolution note"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction (1–5)"), null=True, blank=True)
    satisfaction_comment = models.TextField(_("satisfaction comment"), blank=True)
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="ticket_number_unique"),
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True)
                | (Q(satisfaction__gte=1) & Q(satisfaction__lte=5)),
                name="ticket_satisfaction_range",
            ),
        ]
        indexes = [
            models.Index(fields=["queue", "state", "-created_at"], name="ticket_queue_state"),
            models.Index(fields=["assignee", "state"], name="ticket_assignee_state"),
            models.Index(fields=["requester", "-created_at"], name="ticket_requester"),
            models.Index(fields=["requester_unit", "state"], name="ticket_unit_state"),
            models.Index(fields=["organization", "-created_at"], name="ticket_organization"),
            models.Index(fields=["state", "resolution_due_at"], name="ticket_state_due"),
        ]

    def __str__(self):
        return f"{self.number_label} {self.title}"

    @property
    def number_label(self) -> str:
        return f"{self.year}-{self.number:06d}"


class TicketEntry(models.Model):
    """The request's conversation and history: messages, internal notes, changes, time spent."""

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("request"), on_delete=models.PROTECT, related_name="entries"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=EntryKind.choices)
    author = models.ForeignKey(
        PERSON,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    text = models.TextField(_("text"), blank=True)
    minutes_spent = models.PositiveIntegerField(_("time spent (minutes)"), default=0)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("request entry")
        verbose_name_plural = _("request entries")
        ordering = ["ticket", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes_spent__lte=24 * 60), name="ticket_entry_minutes_sane"
            )
        ]

    def __str__(self):
        return f"{self.ticket.number_label} {self.kind}"


class TicketAttachment(models.Model):
    """A file of a request, stored by SHA-256 in core.storage."""

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("request"), on_delete=models.PROTECT, related_name="attachments"
    )
    entry = models.ForeignKey(
        TicketEntry,
        verbose_name=_("entry"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attachments",
    )
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    internal = models.BooleanField(_("internal"), default=False)
    uploaded_by = models.ForeignKey(
        PERSON,
        verbose_name=_("added by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("request attachment")
        verbose_name_plural = _("request attachments")
        ordering = ["ticket", "id"]

    def __str__(self):
        return self.filename


class VendorHandoff(models.Model):
    """A request handed to a vendor under a contract, with the vendor's own ticket number."""

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("request"), on_delete=models.PROTECT, related_name="handoffs"
    )
    contract = models.ForeignKey(
        VendorContract,
        verbose_name=_("contract"),
        on_delete=models.PROTECT,
        related_name="handoffs",
    )
    vendor_reference = models.CharField(_("vendor's ticket number"), max_length=100, blank=True)
    sent_by = models.ForeignKey(
        PERSON, verbose_name=_("sent by"), on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"))
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("vendor handoff")
        verbose_name_plural = _("vendor handoffs")
        ordering = ["ticket", "sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket"],
                condition=Q(returned_at__isnull=True),
                name="vendor_handoff_one_open",
            )
        ]

    def __str__(self):
        return f"{self.ticket.number_label} → {self.contract}"


class KnowledgeArticle(models.Model):
    """A solution written down, often from a resolved request in one step."""

    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("solution"))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    source_ticket = models.ForeignKey(
        Ticket,
        verbose_name=_("from request"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
    )
    for_partners = models.BooleanField(_("visible to partners"), default=False)
    published = models.BooleanField(_("published"), default=True)
    search_text = models.TextField(editable=False, default="")
    created_by = models.ForeignKey(
        PERSON, verbose_name=_("written by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("knowledge article")
        verbose_name_plural = _("knowledge articles")
        ordering = ["-updated_at", "-id"]

    def __str__(self):
        return self.title


class Notification(models.Model):
    """An in-app notice (also e-mailed when mail is configured) at the moments that matter."""

    person = models.ForeignKey(
        PERSON, verbose_name=_("person"), on_delete=models.CASCADE, related_name="notifications"
    )
    ticket = models.ForeignKey(
        Ticket,
        verbose_name=_("request"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    text = models.CharField(_("text"), max_length=500)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["person", "read_at"], name="notification_unread")]

    def __str__(self):
        return self.text


class DailyQueueStat(models.Model):
    """Per queue per day: opened, resolved, still open at the end of the day, breaches.
    Kept incrementally by the services so the dashboard never scans every request."""

    queue = models.ForeignKey(Queue, on_delete=models.CASCADE, related_name="daily_stats")
    date = models.DateField()
    opened = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    breached = models.PositiveIntegerField(default=0)
    open_at_end = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("daily queue figures")
        verbose_name_plural = _("daily queue figures")
        constraints = [
            models.UniqueConstraint(fields=["queue", "date"], name="daily_queue_stat_once")
        ]

    def __str__(self):
        return f"{self.queue} {self.date}"
