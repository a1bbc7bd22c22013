from django.db import models
from django.utils.translation import gettext_lazy as _


class Disposition(models.TextChoices):
    """Tasfiye kodu of a file plan code (standards.md 3.3; the letters are a setting [U])."""

    TRANSFER = "transfer", _("Transfer to the State Archives (A)")
    KEEP = "keep", _("Keep permanently in the institution (B)")
    EVALUATE = "evaluate", _("Evaluation by the disposal commission (C)")
    DESTROY = "destroy", _("Destroy (D)")


# What the disposal commission may propose to destroy (article 13(ç)).
DISPOSABLE = {Disposition.EVALUATE, Disposition.DESTROY}


class FolderStage(models.TextChoices):
    """Where a subject folder is in its life (standards.md section 4)."""

    ACTIVE = "active", _("In use in the unit")
    UNIT_ARCHIVE = "unit_archive", _("Unit archive")
    INSTITUTION_ARCHIVE = "institution_archive", _("Institutional archive")
    STATE_ARCHIVES = "state_archives", _("Transferred to the State Archives")
    DISPOSED = "disposed", _("Disposed of")


class DisposalState(models.TextChoices):
    """The content of an archived record; only an approved disposal moves it on."""

    KEPT = "kept", _("Kept")
    DISPOSING = "disposing", _("Being disposed of")
    DISPOSED = "disposed", _("Disposed of")


class TransferKind(models.TextChoices):
    TO_INSTITUTION = "to_institution", _("Unit archive → institutional archive")
    TO_STATE_ARCHIVES = "to_state_archives", _("Institutional archive → State Archives")


class TransferState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    HANDED_OVER = "handed_over", _("Handed over by the unit")
    RECEIVED = "received", _("Received by the archive")
    CANCELLED = "cancelled", _("Cancelled")


class LocationKind(models.TextChoices):
    BUILDING = "building", _("Building")
    ROOM = "room", _("Room")
    CABINET = "cabinet", _("Cabinet / shelf unit")
    SHELF = "shelf", _("Shelf")
    BOX = "box", _("Box")


class RetrievalKind(models.TextChoices):
    PAPER = "paper", _("Lend the paper original")
    ELECTRONIC = "electronic", _("Grant access to the electronic record")


class RetrievalState(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    LENT = "lent", _("Lent")
    GRANTED = "granted", _("Access granted")
    RETURNED = "returned", _("Returned, awaiting acknowledgement")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class CommissionRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    MEMBER = "member", _("Member")


class DisposalListState(models.TextChoices):
    DRAFT = "draft", _("Being reviewed by the commission")
    COMMISSION_APPROVED = "commission_approved", _("Approved by every member")
    APPROVED = "approved", _("Approved by the authorised superior")
    EXECUTED = "executed", _("Disposal carried out")
    CANCELLED = "cancelled", _("Cancelled")


class FixityProblem(models.TextChoices):
    MISSING = "missing", _("File missing")
    MISMATCH = "mismatch", _("Content does not match its hash")


class FixityRunKind(models.TextChoices):
    CYCLE = "cycle", _("Scheduled cycle (every file within 90 days)")
    SAMPLE = "sample", _("Daily random sample")
    FULL = "full", _("Full check on request")
