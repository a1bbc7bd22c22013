"""Official correspondence: drafts, their versions and approval chains (RYY art. 11).

A letter is drafted and versioned; its approval chain is computed from its recipients
(``chain.py``), never typed; signing fixes its number and date and registers it as outgoing.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bilgiislem.organization.models import OrgUnit, Position, SignatureDelegation
from bilgiislem.registry.choices import AnnexKind, Purpose, Secrecy, Urgency
from bilgiislem.registry.models import Document

from .choices import LetterStatus, RecipientKind, StepKind, StepStatus
from .querysets import LetterQuerySet

PERSON = settings.AUTH_USER_MODEL


class Letter(models.Model):
    """An outgoing letter (giden yazı), from its first draft to its signature."""

    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("directorate"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The directorate the letter is written from."),
    )
    prepared_by = models.ForeignKey(
        PERSON, verbose_name=_("prepared by"), on_delete=models.PROTECT, related_name="letters"
    )
    subject = models.CharField(_("subject"), max_length=500)
    body = models.TextField(
        _("text"),
        help_text=_("Paragraphs separated by an empty line; lines starting “a)” form a list."),
    )
    sdp_code = models.CharField(_("file plan code"), max_length=30)
    secrecy = models.CharField(
        _("secrecy"), max_length=20, choices=Secrecy.choices, default=Secrecy.NONE
    )
    urgency = models.CharField(
        _("urgency"), max_length=20, choices=Urgency.choices, default=Urgency.NORMAL
    )
    urgency_date = models.DateField(_("GÜNLÜDÜR date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=LetterStatus.choices, default=LetterStatus.DRAFT
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    reply_to = models.ForeignKey(
        Document,
        verbose_name=_("reply to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replies",
    )
    sayi = models.CharField(_("number (Sayı)"), max_length=100, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    document = models.OneToOneField(
        Document,
        verbose_name=_("outgoing registration"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="letter",
    )
    verification_code = models.CharField(
        _("verification code"), max_length=32, null=True, blank=True, unique=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = LetterQuerySet.as_manager()

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.sayi or self.subject

    @property
    def is_internal(self) -> bool:
        """Every recipient is a directorate of this municipality (signed by the Director)."""
        kinds = {r.kind for r in self.recipients.all()}
        return bool(kinds) and kinds == {RecipientKind.INTERNAL}


class LetterRecipient(models.Model):
    """A muhatap: for action (gereği) or for information (bilgi)."""

    letter = models.ForeignKey(
        Letter, verbose_name=_("letter"), on_delete=models.CASCADE, related_name="recipients"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=RecipientKind.choices)
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("directorate"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=300)
    identifier = models.CharField(_("DETSİS / VKN / MERSİS / TCKN"), max_length=16, blank=True)
    address = models.CharField(_("address"), max_length=500, blank=True)
    purpose = models.CharField(
        _("purpose"), max_length=12, choices=Purpose.choices, default=Purpose.ACTION
    )
    annexes_omitted = models.BooleanField(_("annexes not sent (Ek konulmadı)"), default=False)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        ordering = ["letter", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="internal") | Q(unit__isnull=False),
                name="letter_recipient_internal_has_unit",
            )
        ]

    def __str__(self):
        return self.name


class LetterReference(models.Model):
    """An ilgi: a registered document the letter refers to."""

    letter = models.ForeignKey(
        Letter, verbose_name=_("letter"), on_delete=models.CASCADE, related_name="references"
    )
    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("reference")
        verbose_name_plural = _("references")
        ordering = ["letter", "id"]

    def __str__(self):
        return str(self.document)


class LetterVersion(models.Model):
    """The text of a letter as it stood at each save (taslak sürümleri)."""

    letter = models.ForeignKey(
        Letter, verbose_name=_("letter"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    content = models.JSONField(_("content"))
    created_by = models.ForeignKey(
        PERSON, verbose_name=_("saved by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)

    class Meta:
        verbose_name = _("letter version")
        verbose_name_plural = _("letter versions")
        ordering = ["letter", "number"]
        constraints = [
            models.UniqueConstraint(fields=["letter", "number"], name="letter_version_unique")
        ]

    def __str__(self):
        return f"{self.letter} v{self.number}"


class ApprovalStep(models.Model):
    """One step of the computed chain: a paraf, a coordination or the signature.

    ``position`` is the post whose holder (or acting holder) acts; the preparer's own paraf
    names ``person`` instead; a signature under a delegation names it ("Başkan a.").
    """

    letter = models.ForeignKey(
        Letter, verbose_name=_("letter"), on_delete=models.CASCADE, related_name="steps"
    )
    order = models.PositiveIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=20, choices=StepKind.choices)
    position = models.ForeignKey(
        Position,
        verbose_name=_("post"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    person = models.ForeignKey(
        PERSON,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    delegation = models.ForeignKey(
        SignatureDelegation,
        verbose_name=_("signature delegation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=StepStatus.choices, default=StepStatus.WAITING
    )
    acted_by = models.ForeignKey(
        PERSON,
        verbose_name=_("acted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    acted_as = models.CharField(_("acted as"), max_length=300, blank=True)
    acted_at = models.DateTimeField(_("acted at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version approved"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    # When the step became the current one; reminders and escalation count from here.
    waiting_since = models.DateTimeField(_("waiting since"), null=True, blank=True)
    reminded_on = models.DateField(_("reminded on"), null=True, blank=True, editable=False)
    escalated_on = models.DateField(_("escalated on"), null=True, blank=True, editable=False)
    # A paraf given as an e-signature (optional): a detached CMS signature over the SHA-256
    # of the approved version's content, stored in core.storage.
    signature_sha256 = models.CharField(_("e-signature (CMS) SHA-256"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")
        ordering = ["letter", "order"]
        constraints = [
            models.CheckConstraint(
                condition=Q(position__isnull=False) | Q(person__isnull=False),
                name="approval_step_has_actor",
            )
        ]

    def __str__(self):
        return f"{self.letter} #{self.order} {self.kind}"


class LetterAnnex(models.Model):
    """An ek of a letter: a file, an external reference (a link or a registered document's
    Sayı), or a physical object sent separately. Listed under "Ek:" and sent with the letter
    except to recipients marked "Ek konulmadı"."""

    letter = models.ForeignKey(
        Letter, verbose_name=_("letter"), on_delete=models.CASCADE, related_name="annexes"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=AnnexKind.choices)
    description = models.CharField(_("description"), max_length=500)
    # A file annex: the bytes are in the content-addressed store (core.storage).
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    # An external reference: a URL, or the Sayı of the document meant.
    url = models.URLField(_("address (URL)"), max_length=500, blank=True)
    sayi = models.CharField(_("number (Sayı)"), max_length=100, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("letter annex")
        verbose_name_plural = _("letter annexes")
        ordering = ["letter", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="file") | ~Q(sha256=""), name="letter_annex_file_has_bytes"
            )
        ]

    def __str__(self):
        return self.description


class SigningPreparation(models.Model):
    """A letter prepared for signing with the signer's own e-imza outside the server.

    Preparing takes the registry number and date (they are printed on what is signed) and
    stores the unsigned PDF. If the letter is returned or changed instead of signed, the
    preparation is *abandoned*: the outgoing registration it took is kept (numbers are never
    reused, DESIGN.md invariant 3) and marked cancelled, never left pointing at nothing.
    """

    class State(models.TextChoices):
        OPEN = "open", _("Waiting for the signed file")
        SIGNED = "signed", _("Signed")
        ABANDONED = "abandoned", _("Abandoned (letter returned or changed)")

    letter = models.ForeignKey(
        Letter, verbose_name=_("letter"), on_delete=models.CASCADE, related_name="preparations"
    )
    step = models.ForeignKey(
        ApprovalStep, verbose_name=_("signature step"), on_delete=models.CASCADE, related_name="+"
    )
    version = models.PositiveIntegerField(_("text version"))
    document = models.OneToOneField(
        Document,
        verbose_name=_("outgoing registration"),
        on_delete=models.PROTECT,
        related_name="signing_preparation",
    )
    signer_as = models.CharField(_("signs as"), max_length=300)
    verification_code = models.CharField(_("verification code"), max_length=32)
    sha256 = models.CharField(_("SHA-256 of the unsigned PDF"), max_length=64)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    prepared_by = models.ForeignKey(
        PERSON, verbose_name=_("prepared by"), on_delete=models.PROTECT, related_name="+"
    )
    prepared_at = models.DateTimeField(_("prepared at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("signing preparation")
        verbose_name_plural = _("signing preparations")
        ordering = ["letter", "-prepared_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["letter"],
                condition=Q(state="open"),
                name="signing_preparation_one_open",
            )
        ]

    def __str__(self):
        return f"{self.letter} — {self.document.sayi}"


class Dispatch(models.Model):
    """How a signed letter left for one outside recipient (gönderim): an e-Yazışma package
    for KEP, or paper handed to a courier (kurye) against custody."""

    class Method(models.TextChoices):
        EYP = "eyp", _("e-Yazışma package (KEP)")
        PAPER = "paper", _("Paper, by courier or post")

    letter = models.ForeignKey(
        Letter, verbose_name=_("letter"), on_delete=models.PROTECT, related_name="dispatches"
    )
    recipient = models.ForeignKey(
        LetterRecipient,
        verbose_name=_("recipient"),
        on_delete=models.PROTECT,
        related_name="dispatches",
    )
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    # The .eyp package: bytes in core.storage, also filed on the outgoing registration.
    package_sha256 = models.CharField(_("package SHA-256"), max_length=64, blank=True)
    package_size = models.PositiveBigIntegerField(_("package size"), null=True, blank=True)
    # Paper: who carried it (a colleague acknowledges custody, or a named outside courier).
    courier = models.ForeignKey(
        PERSON,
        verbose_name=_("courier"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    courier_name = models.CharField(_("courier (name)"), max_length=200, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=100, blank=True)
    dispatched_by = models.ForeignKey(
        PERSON, verbose_name=_("dispatched by"), on_delete=models.PROTECT, related_name="+"
    )
    dispatched_at = models.DateTimeField(_("dispatched at"), auto_now_add=True)

    class Meta:
        verbose_name = _("dispatch")
        verbose_name_plural = _("dispatches")
        ordering = ["letter", "dispatched_at", "id"]

    def __str__(self):
        return f"{self.letter} → {self.recipient} ({self.method})"
