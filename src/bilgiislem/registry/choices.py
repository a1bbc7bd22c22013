from django.db import models
from django.utils.translation import gettext_lazy as _


class Direction(models.TextChoices):
    INCOMING = "incoming", _("Incoming")
    OUTGOING = "outgoing", _("Outgoing")


class Medium(models.TextChoices):
    ELECTRONIC = "electronic", _("Electronic")
    PAPER = "paper", _("Paper")


class PartyKind(models.TextChoices):
    """Who a document comes from or goes to (RYY art. 11; standards.md 1.6)."""

    PUBLIC_BODY = "public_body", _("Public body (DETSİS)")
    COMPANY = "company", _("Company (VKN / MERSİS)")
    PERSON = "person", _("Citizen (TCKN)")
    INTERNAL = "internal", _("Directorate of this municipality")


class Secrecy(models.TextChoices):
    """Gizlilik derecesi (standards.md 1.5)."""

    NONE = "none", _("None")
    HIZMETE_OZEL = "hizmete_ozel", _("Hizmete Özel")
    GIZLI = "gizli", _("Gizli")
    COK_GIZLI = "cok_gizli", _("Çok Gizli")


RESTRICTED_SECRECY = {Secrecy.GIZLI, Secrecy.COK_GIZLI}


class Urgency(models.TextChoices):
    """İvedilik (standards.md 1.5): only ACELE and GÜNLÜDÜR are written on a letter."""

    NORMAL = "normal", _("Normal")
    ACELE = "acele", _("ACELE")
    GUNLUDUR = "gunludur", _("GÜNLÜDÜR")


class DocumentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class FileRole(models.TextChoices):
    MAIN = "main", _("Main document")
    ANNEX = "annex", _("Annex")
    SCAN = "scan", _("Scan of the paper original")
    EYP_PACKAGE = "eyp_package", _("e-Yazışma package")
    EYP_PART = "eyp_part", _("e-Yazışma package part")
    NOTE = "note", _("Attached to a note")
    CUSTODY_PROOF = "custody_proof", _("Signed custody list")


class AnnexKind(models.TextChoices):
    FILE = "file", _("Electronic file")
    EXTERNAL = "external", _("External reference")
    PHYSICAL = "physical", _("Physical object")


class Purpose(models.TextChoices):
    """A routing is for action (gereği) or for information (bilgi)."""

    ACTION = "action", _("For action (gereği)")
    INFORMATION = "information", _("For information (bilgi)")


class DeadlineBasis(models.TextChoices):
    """How a routing's due date was set (standards.md 1.6: 5 and 15 business days)."""

    ACELE = "acele", _("ACELE: next business day")
    GUNLUDUR = "gunludur", _("GÜNLÜDÜR: the date it carries")
    DOCUMENTS = "documents", _("Request for documents: 5 business days")
    OPINION = "opinion", _("Request for an opinion: 15 business days")
    CUSTOM = "custom", _("Date chosen by the person routing")


class RoutingStatus(models.TextChoices):
    OPEN = "open", _("Open")
    FORWARDED = "forwarded", _("Routed on")
    RETURNED = "returned", _("Returned")
    CLOSED = "closed", _("Closed")


class CustodyKind(models.TextChoices):
    ELECTRONIC = "electronic", _("Electronic routing")
    PAPER = "paper", _("Paper original handed over")
