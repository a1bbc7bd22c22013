"""The archive in the Django admin: read only, like every domain app (core.admin).

Filing, archiving, disposal and the rest change only through the services, which check and
audit; archived records are frozen by database triggers besides (archive/db_records.py).
"""

from django.contrib import admin

from bilgiislem.core.admin import ReadOnlyAdmin

from . import models


@admin.register(models.FilePlanCode)
class FilePlanCodeAdmin(ReadOnlyAdmin):
    list_display = (
        "code",
        "title",
        "version",
        "unit_years",
        "institution_years",
        "disposition",
        "is_header",
        "secondary_only",
        "is_sample",
    )
    list_filter = ("version", "disposition", "is_header", "is_sample")
    search_fields = ("code", "title")


@admin.register(models.Folder)
class FolderAdmin(ReadOnlyAdmin):
    list_display = ("code", "title", "unit", "year", "stage", "retention_until", "document_count")
    list_filter = ("stage", "year", "disposition")


@admin.register(models.ArchivedRecord)
class ArchivedRecordAdmin(ReadOnlyAdmin):
    list_display = ("document", "folder", "archived_at", "disposal_state")
    list_filter = ("disposal_state",)


for model in (
    models.FilePlanVersion,
    models.StorageLocation,
    models.Filing,
    models.RecordCorrection,
    models.LegalHold,
    models.AnnualReview,
    models.TransferList,
    models.RetrievalRequest,
    models.DisposalCommission,
    models.CommissionMember,
    models.DisposalList,
    models.DisposalItem,
    models.DisposalApproval,
    models.FixityState,
    models.FixityRun,
    models.FixityIssue,
):
    admin.site.register(model, ReadOnlyAdmin)
