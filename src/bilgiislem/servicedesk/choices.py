from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """What a request is about (issue 6 point 1)."""

    HARDWARE = "hardware", _("Hardware")
    SOFTWARE = "software", _("Software")
    NETWORK = "network", _("Network")
    ACCOUNTS = "accounts", _("Accounts and access")
    ESIGNATURE = "esignature", _("E-signature")
    WEBSITE = "website", _("Web site")
    WIFI = "wifi", _("Public Wi-Fi")
    SCREENS = "screens", _("Information screens")
    TELEPHONE = "telephone", _("Telephone / call centre")
    OTHER = "other", _("Other")


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class TicketState(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("Awaiting e-mail confirmation")
    NEW = "new", _("New")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING_REQUESTER = "waiting_requester", _("Waiting for the requester")
    WAITING_VENDOR = "waiting_vendor", _("Waiting for the vendor")
    WAITING_PART = "waiting_part", _("Waiting for a part")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")
    MERGED = "merged", _("Merged into another request")


# States in which the SLA clock does not run (issue 6 point 5); waiting for a vendor pauses
# only when the maintenance contract says so (decided per vendor handoff).
PAUSED_STATES = {TicketState.WAITING_REQUESTER, TicketState.WAITING_PART}
OPEN_STATES = {
    TicketState.NEW,
    TicketState.ASSIGNED,
    TicketState.IN_PROGRESS,
    TicketState.WAITING_REQUESTER,
    TicketState.WAITING_VENDOR,
    TicketState.WAITING_PART,
}


class Channel(models.TextChoices):
    WEB = "web", _("Staff page")
    PUBLIC_FORM = "public_form", _("Public form")
    PARTNER = "partner", _("Partner account")
    PHONE = "phone", _("Telephone / call centre")
    DESK = "desk", _("In person at the desk")
    LETTER = "letter", _("Official letter")
    API = "api", _("API")


class PartnerKind(models.TextChoices):
    """Bodies the directorate supports outside the municipality (RYY art. 6(o), 6(ö))."""

    SCHOOL = "school", _("School")
    MUHTARLIK = "muhtarlik", _("Muhtarlık")
    NGO = "ngo", _("Non-governmental organisation")
    KAYMAKAMLIK = "kaymakamlik", _("District Governorship (Kaymakamlık)")
    TAPU = "tapu", _("Land Registry (Tapu Kadastro)")
    PUBLIC_BODY = "public_body", _("Other public body")


class EntryKind(models.TextChoices):
    MESSAGE = "message", _("Message to the requester")
    REPLY = "reply", _("Message from the requester")
    NOTE = "note", _("Internal note")
    EVENT = "event", _("Change")


class SlaStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    PAUSED = "paused", _("Paused")
    WARNING = "warning", _("Close to the target")
    BREACHED = "breached", _("Target missed")
    MET = "met", _("Target met")
