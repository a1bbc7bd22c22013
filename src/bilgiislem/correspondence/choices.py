from django.db import models
from django.utils.translation import gettext_lazy as _


class LetterStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_APPROVAL = "in_approval", _("Awaiting approval")
    RETURNED = "returned", _("Returned to the preparer")
    SIGNED = "signed", _("Signed")


class RecipientKind(models.TextChoices):
    """Who a letter is addressed to; decides its approval chain (RYY art. 11)."""

    INTERNAL = "internal", _("Directorate of this municipality")
    PUBLIC_BODY = "public_body", _("Public institution (DETSİS)")
    GOVERNORSHIP = "governorship", _("Governorship or district governorship (DETSİS)")
    METROPOLITAN = "metropolitan", _("Metropolitan municipality (DETSİS)")
    COMPANY = "company", _("Company (VKN / MERSİS)")
    CITIZEN = "citizen", _("Citizen (TCKN)")


# Kinds addressed by DETSİS number (a public body of some sort).
DETSIS_KINDS = {
    RecipientKind.PUBLIC_BODY,
    RecipientKind.GOVERNORSHIP,
    RecipientKind.METROPOLITAN,
}


class StepKind(models.TextChoices):
    PARAF = "paraf", _("Initials (paraf)")
    COORDINATION = "coordination", _("Coordination (koordinasyon)")
    SIGNATURE = "signature", _("Signature (imza)")


class StepStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")
    VOIDED = "voided", _("Voided by a later change")
