"""The archive (RYY art. 13; standards.md sections 3 and 4).

- The **file plan** (Standart Dosya Planı) is versioned: each ``FilePlanCode`` belongs to a
  ``FilePlanVersion``. A folder copies its retention from the plan when it is closed, so a
  later plan change alters nothing already computed until an audited re-evaluation.
- **Folders** are per unit, SDP code and year; a document is filed in exactly one folder as
  its main filing and may be filed as a copy in other subject folders (art. 13(a)).
- An **archived record** (``ArchivedRecord``) freezes its registry document: database
  triggers refuse changes to its capture metadata and files (``archive/db.py``); only an
  approved disposal moves it to ``disposing`` and ``disposed``, which keeps the metadata.
- The **yearly cycle**: January review, February transfer lists, March disposal commission.
- **Retrieval** (art. 13(c)): paper originals are lent, electronic records granted for a time.
- **Fixity**: every stored file is re-hashed on a cycle; problems are listed until resolved.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bilgiislem.organization.models import OrgUnit
from bilgiislem.registry.models import Document

from .choices import (
    CommissionRole,
    DisposalListState,
    DisposalState,
    Disposition,
    FixityProblem,
    FixityRunKind,
    FolderStage,
    LocationKind,
    RetrievalKind,
    RetrievalState,
    TransferKind,
    TransferState,
)

PERSON = settings.AUTH_USER_MODEL


# --- File plan ------------------------------------------------------------------------------


class FilePlanVersion(models.Model):
    """One edition of the file plan, e.g. SSDP V.4 with this municipality's 100–599 codes."""

    name = models.CharField(_("name"), max_length=200)
    effective_from = models.DateField(_("in force from"))
    source = models.CharField(_("source"), max_length=300, blank=True)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)
    loaded_by = models.ForeignKey(
        PERSON,
        verbose_name=_("loaded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("file plan version")
        verbose_name_plural = _("file plan versions")
        ordering = ["-effective_from", "-id"]

    def __str__(self):
        return self.name


class FilePlanCode(models.Model):
    """An SDP code with its retention: years in the unit archive, years in the institutional
    archive, and what happens at the end (tasfiye). Section headers ("600–699") and codes
    usable only as a secondary code are marked so that nothing is filed under them wrongly."""

    version = models.ForeignKey(
        FilePlanVersion,
        verbose_name=_("plan version"),
        on_delete=models.PROTECT,
        related_name="codes",
    )
    code = models.CharField(_("code"), max_length=30)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    title = models.CharField(_("title"), max_length=300)
    is_header = models.BooleanField(
        _("section header"), default=False, help_text=_("A range heading; nothing is filed here.")
    )
    secondary_only = models.BooleanField(
        _("secondary code only"),
        default=False,
        help_text=_("May be used only as an additional subject folder (e.g. 020, 030)."),
    )
    unit_years = models.PositiveSmallIntegerField(
        _("years in the unit archive"), null=True, blank=True
    )
    institution_years = models.PositiveSmallIntegerField(
        _("years in the institutional archive"), null=True, blank=True
    )
    disposition = models.CharField(
        _("disposition"), max_length=10, choices=Disposition.choices, blank=True
    )
    is_sample = models.BooleanField(
        _("sample value"),
        default=False,
        help_text=_("The official retention is not known; this value is a sample to confirm."),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("file plan code")
        verbose_name_plural = _("file plan codes")
        ordering = ["version", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="file_plan_code_unique"),
            models.CheckConstraint(
                condition=Q(is_header=True)
                | (
                    Q(unit_years__isnull=False)
                    & Q(institution_years__isnull=False)
                    & ~Q(disposition="")
                ),
                name="file_plan_code_retention_complete",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"


# --- Locations of paper ---------------------------------------------------------------------


class StorageLocation(models.Model):
    """Where paper lies: building › room › cabinet › shelf › box (art. 13(c))."""

    parent = models.ForeignKey(
        "self",
        verbose_name=_("inside"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=LocationKind.choices)
    label = models.CharField(_("label"), max_length=100)
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("archive of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for the institutional archive."),
    )
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("storage location")
        verbose_name_plural = _("storage locations")
        ordering = ["parent_id", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "label"], name="storage_location_unique_label"
            )
        ]

    def __str__(self):
        return self.label


# --- Folders and filing ---------------------------------------------------------------------


class Folder(models.Model):
    """A subject folder (dosya): one unit, one SDP code, one year (art. 13(a))."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="folders"
    )
    code = models.ForeignKey(
        FilePlanCode,
        verbose_name=_("file plan code"),
        on_delete=models.PROTECT,
        related_name="folders",
    )
    year = models.PositiveIntegerField(_("year"))
    title = models.CharField(_("subject"), max_length=300)
    stage = models.CharField(
        _("stage"), max_length=20, choices=FolderStage.choices, default=FolderStage.ACTIVE
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Retention copied from the plan when the folder is closed (re-evaluation is audited).
    unit_years = models.PositiveSmallIntegerField(
        _("years in the unit archive"), null=True, blank=True
    )
    institution_years = models.PositiveSmallIntegerField(
        _("years in the institutional archive"), null=True, blank=True
    )
    disposition = models.CharField(
        _("disposition"), max_length=10, choices=Disposition.choices, blank=True
    )
    unit_archive_until = models.PositiveIntegerField(
        _("in the unit archive until the end of"), null=True, blank=True
    )
    retention_until = models.PositiveIntegerField(
        _("retention ends at the end of"), null=True, blank=True, db_index=True
    )
    location = models.ForeignKey(
        StorageLocation,
        verbose_name=_("location"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="folders",
    )
    document_count = models.PositiveIntegerField(_("documents"), default=0)

    class Meta:
        verbose_name = _("folder")
        verbose_name_plural = _("folders")
        ordering = ["unit", "-year", "code__code"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "code", "year"], name="folder_unit_code_year")
        ]
        indexes = [
            models.Index(fields=["stage", "retention_until"], name="folder_stage_retention"),
        ]

    def __str__(self):
        return f"{self.code.code} {self.title} ({self.year})"


class Filing(models.Model):
    """A document in a folder: its main filing, or a copy in another subject folder."""

    folder = models.ForeignKey(
        Folder, verbose_name=_("folder"), on_delete=models.PROTECT, related_name="filings"
    )
    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.PROTECT, related_name="filings"
    )
    is_main = models.BooleanField(_("main filing"), default=True)
    filed_by = models.ForeignKey(
        PERSON, verbose_name=_("filed by"), on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(_("filed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("filing")
        verbose_name_plural = _("filings")
        ordering = ["folder", "filed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["folder", "document"], name="filing_once_per_folder"),
            models.UniqueConstraint(
                fields=["document"], condition=Q(is_main=True), name="filing_one_main"
            ),
        ]

    def __str__(self):
        return f"{self.document.number_label} → {self.folder}"


class ArchivedRecord(models.Model):
    """A finished document declared a record in the unit archive (art. 13(b)).

    From then on its capture metadata and files cannot change (archive/db.py triggers); a
    correction is a new registered document linked by ``RecordCorrection``.
    """

    document = models.OneToOneField(
        Document,
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        related_name="archived_record",
    )
    folder = models.ForeignKey(
        Folder, verbose_name=_("folder"), on_delete=models.PROTECT, related_name="records"
    )
    archived_at = models.DateTimeField(_("archived at"), db_index=True)
    archived_by = models.ForeignKey(
        PERSON,
        verbose_name=_("archived by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when archived automatically."),
    )
    # SHA-256 over the capture metadata and file hashes at archiving (a fixity reference).
    manifest_sha256 = models.CharField(_("manifest SHA-256"), max_length=64)
    disposal_state = models.CharField(
        _("content"), max_length=10, choices=DisposalState.choices, default=DisposalState.KEPT
    )
    disposed_at = models.DateTimeField(_("disposed of at"), null=True, blank=True)

    class Meta:
        verbose_name = _("archived record")
        verbose_name_plural = _("archived records")
        ordering = ["-archived_at", "-id"]

    def __str__(self):
        return str(self.document)


class RecordCorrection(models.Model):
    """A correction of an archived record: a new registered document, linked and explained."""

    original = models.ForeignKey(
        ArchivedRecord,
        verbose_name=_("corrected record"),
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    correction = models.OneToOneField(
        Document,
        verbose_name=_("correcting document"),
        on_delete=models.PROTECT,
        related_name="corrects",
    )
    reason = models.TextField(_("reason"))
    recorded_by = models.ForeignKey(
        PERSON, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("record correction")
        verbose_name_plural = _("record corrections")

    def __str__(self):
        return f"{self.original} ← {self.correction}"


class LegalHold(models.Model):
    """Hukuki bloke: while active, nothing in the folder (or the document) can be disposed of."""

    folder = models.ForeignKey(
        Folder,
        verbose_name=_("folder"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="holds",
    )
    document = models.ForeignKey(
        Document,
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="legal_holds",
    )
    reason = models.TextField(_("reason"))
    placed_by = models.ForeignKey(
        PERSON, verbose_name=_("placed by"), on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField(_("placed at"), auto_now_add=True)
    lifted_by = models.ForeignKey(
        PERSON,
        verbose_name=_("lifted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lift_reason = models.TextField(_("reason for lifting"), blank=True)

    class Meta:
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        ordering = ["-placed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(folder__isnull=False) | Q(document__isnull=False),
                name="legal_hold_has_object",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="legal_hold_has_reason"),
        ]

    def __str__(self):
        return str(self.folder or self.document)


# --- Yearly cycle ---------------------------------------------------------------------------


class AnnualReview(models.Model):
    """January: a unit checks the list of its folders closed last year (standards.md 4)."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveIntegerField(_("year of the folders"))
    checked_by = models.ForeignKey(
        PERSON,
        verbose_name=_("checked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("annual review")
        verbose_name_plural = _("annual reviews")
        ordering = ["-year", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="annual_review_unit_year")
        ]

    def __str__(self):
        return f"{self.unit} {self.year}"


class TransferList(models.Model):
    """A devir-teslim list: folders a unit hands to the institutional archive (February), or
    the institution hands to the State Archives; both sides sign off."""

    kind = models.CharField(_("kind"), max_length=20, choices=TransferKind.choices)
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("handing unit"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveIntegerField(_("transfer year"))
    state = models.CharField(
        _("state"), max_length=12, choices=TransferState.choices, default=TransferState.DRAFT
    )
    created_by = models.ForeignKey(
        PERSON, verbose_name=_("prepared by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("prepared at"), auto_now_add=True)
    handed_by = models.ForeignKey(
        PERSON,
        verbose_name=_("handed over by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    handed_at = models.DateTimeField(_("handed over at"), null=True, blank=True)
    received_by = models.ForeignKey(
        PERSON,
        verbose_name=_("received by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    folders = models.ManyToManyField(Folder, verbose_name=_("folders"), related_name="transfers")

    class Meta:
        verbose_name = _("transfer list")
        verbose_name_plural = _("transfer lists")
        ordering = ["-year", "-created_at"]

    def __str__(self):
        return f"{self.unit} {self.year} ({self.get_kind_display()})"


# --- Retrieval (art. 13(c)) -----------------------------------------------------------------


class RetrievalRequest(models.Model):
    """A request to see an archived record: approved by the archive officer's superior, then
    the paper is lent against a due date (and returned and acknowledged), or the electronic
    record is granted until a date."""

    requester = models.ForeignKey(
        PERSON,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="retrieval_requests",
    )
    document = models.ForeignKey(
        Document,
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="retrieval_requests",
    )
    folder = models.ForeignKey(
        Folder,
        verbose_name=_("folder"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="retrieval_requests",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=RetrievalKind.choices)
    reason = models.TextField(_("reason"))
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=RetrievalState.choices,
        default=RetrievalState.REQUESTED,
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
    lent_by = models.ForeignKey(
        PERSON,
        verbose_name=_("lent by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    lent_at = models.DateTimeField(_("lent at"), null=True, blank=True)
    due_date = models.DateField(_("due back / access until"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    received_by = models.ForeignKey(
        PERSON,
        verbose_name=_("received back by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    received_at = models.DateTimeField(_("received back at"), null=True, blank=True)
    reminded_on = models.DateField(_("reminded on"), null=True, blank=True, editable=False)
    escalated_on = models.DateField(_("escalated on"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("retrieval request")
        verbose_name_plural = _("retrieval requests")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(document__isnull=False) | Q(folder__isnull=False),
                name="retrieval_request_has_object",
            )
        ]
        indexes = [models.Index(fields=["state", "due_date"], name="retrieval_state_due")]

    def __str__(self):
        return f"{self.requester} — {self.document or self.folder}"


# --- Disposal (art. 13(ç)) ------------------------------------------------------------------


class DisposalCommission(models.Model):
    """The ayıklama ve imha komisyonu: a chair and at least two members, appointed here."""

    name = models.CharField(_("name"), max_length=200)
    appointed_by = models.ForeignKey(
        PERSON, verbose_name=_("appointed by"), on_delete=models.PROTECT, related_name="+"
    )
    appointed_at = models.DateTimeField(_("appointed at"), auto_now_add=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("disposal commission")
        verbose_name_plural = _("disposal commissions")
        ordering = ["-valid_from", "-id"]

    def __str__(self):
        return self.name


class CommissionMember(models.Model):
    commission = models.ForeignKey(
        DisposalCommission,
        verbose_name=_("commission"),
        on_delete=models.PROTECT,
        related_name="members",
    )
    person = models.ForeignKey(
        PERSON, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("role"), max_length=10, choices=CommissionRole.choices)

    class Meta:
        verbose_name = _("commission member")
        verbose_name_plural = _("commission members")
        ordering = ["commission", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["commission", "person"], name="commission_member_once"),
            models.UniqueConstraint(
                fields=["commission"], condition=Q(role="chair"), name="commission_one_chair"
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_role_display()})"


class DisposalList(models.Model):
    """An imha listesi for one year's candidates: reviewed and approved by every member of the
    commission, approved by the authorised superior, then executed with a minute (tutanak).
    The list, its approvals and the minute are kept at least ``keep_until`` (10 years)."""

    commission = models.ForeignKey(
        DisposalCommission,
        verbose_name=_("commission"),
        on_delete=models.PROTECT,
        related_name="lists",
    )
    year = models.PositiveIntegerField(_("disposal year"))
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=DisposalListState.choices,
        default=DisposalListState.DRAFT,
    )
    created_by = models.ForeignKey(
        PERSON, verbose_name=_("prepared by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("prepared at"), auto_now_add=True)
    approved_by = models.ForeignKey(
        PERSON,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_as = models.CharField(_("approved as"), max_length=300, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    executed_by = models.ForeignKey(
        PERSON,
        verbose_name=_("carried out by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    executed_at = models.DateTimeField(_("carried out at"), null=True, blank=True)
    minute_sha256 = models.CharField(_("minute (PDF) SHA-256"), max_length=64, blank=True)
    list_sha256 = models.CharField(_("list (PDF) SHA-256"), max_length=64, blank=True)
    keep_until = models.DateField(_("kept until"), null=True, blank=True)

    class Meta:
        verbose_name = _("disposal list")
        verbose_name_plural = _("disposal lists")
        ordering = ["-year", "-created_at"]

    def __str__(self):
        return f"{self.commission} {self.year}"


class DisposalItem(models.Model):
    """A folder on a disposal list, with what it was when listed (kept after disposal)."""

    disposal_list = models.ForeignKey(
        DisposalList,
        verbose_name=_("disposal list"),
        on_delete=models.PROTECT,
        related_name="items",
    )
    folder = models.ForeignKey(
        Folder, verbose_name=_("folder"), on_delete=models.PROTECT, related_name="disposal_items"
    )
    code = models.CharField(_("file plan code"), max_length=30)
    title = models.CharField(_("subject"), max_length=300)
    unit_name = models.CharField(_("unit"), max_length=300)
    folder_year = models.PositiveIntegerField(_("year"))
    document_count = models.PositiveIntegerField(_("documents"))
    removed = models.BooleanField(_("taken off the list"), default=False)
    removed_reason = models.TextField(_("reason for taking off"), blank=True)
    removed_by = models.ForeignKey(
        PERSON,
        verbose_name=_("taken off by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("disposal list item")
        verbose_name_plural = _("disposal list items")
        ordering = ["disposal_list", "code", "folder_year", "id"]
        constraints = [
            models.UniqueConstraint(fields=["disposal_list", "folder"], name="disposal_item_once")
        ]

    def __str__(self):
        return f"{self.code} {self.title} ({self.folder_year})"


class DisposalApproval(models.Model):
    """One commission member's approval of a disposal list (once each)."""

    disposal_list = models.ForeignKey(
        DisposalList,
        verbose_name=_("disposal list"),
        on_delete=models.PROTECT,
        related_name="approvals",
    )
    member = models.ForeignKey(
        CommissionMember, verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), auto_now_add=True)

    class Meta:
        verbose_name = _("disposal approval")
        verbose_name_plural = _("disposal approvals")
        constraints = [
            models.UniqueConstraint(
                fields=["disposal_list", "member"], name="disposal_approval_once"
            )
        ]

    def __str__(self):
        return f"{self.disposal_list}: {self.member}"


# --- Fixity ---------------------------------------------------------------------------------


class FixityState(models.Model):
    """The last check of one stored file (by its SHA-256), so that every file is re-hashed
    at least once every 90 days: the cycle takes the longest-unchecked first."""

    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    size = models.PositiveBigIntegerField(_("size"))
    last_checked_at = models.DateTimeField(
        _("last checked at"), null=True, blank=True, db_index=True
    )
    last_ok = models.BooleanField(_("last check passed"), null=True)

    class Meta:
        verbose_name = _("fixity state")
        verbose_name_plural = _("fixity states")

    def __str__(self):
        return self.sha256


class FixityRun(models.Model):
    kind = models.CharField(_("kind"), max_length=10, choices=FixityRunKind.choices)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    files_checked = models.PositiveIntegerField(_("files checked"), default=0)
    bytes_checked = models.PositiveBigIntegerField(_("bytes checked"), default=0)
    problems = models.PositiveIntegerField(_("problems found"), default=0)

    class Meta:
        verbose_name = _("fixity run")
        verbose_name_plural = _("fixity runs")
        ordering = ["-started_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.started_at:%Y-%m-%d %H:%M}"


class FixityIssue(models.Model):
    """A stored file found missing or changed; listed and alerted until resolved."""

    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    problem = models.CharField(_("problem"), max_length=10, choices=FixityProblem.choices)
    found_in = models.ForeignKey(
        FixityRun, verbose_name=_("found in run"), on_delete=models.PROTECT, related_name="issues"
    )
    found_at = models.DateTimeField(_("found at"))
    resolved_by = models.ForeignKey(
        PERSON,
        verbose_name=_("resolved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)

    class Meta:
        verbose_name = _("fixity issue")
        verbose_name_plural = _("fixity issues")
        ordering = ["-found_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["sha256"],
                condition=Q(resolved_at__isnull=True),
                name="fixity_issue_one_open_per_file",
            )
        ]

    def __str__(self):
        return f"{self.sha256[:12]} {self.get_problem_display()}"
