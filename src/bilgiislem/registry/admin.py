"""The registry in the Django admin: read only, like every domain app (core.admin).

Documents, routings and custody change only through the services, which number, check and
audit; the admin is for a superuser looking at rows.
"""

from django.contrib import admin

from bilgiislem.core.admin import ReadOnlyAdmin

from . import models


@admin.register(models.Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = (
        "number_label",
        "registry",
        "direction",
        "medium",
        "secrecy",
        "status",
        "registered_at",
    )
    list_filter = ("direction", "medium", "secrecy", "status")
    search_fields = ("registry_number", "sayi")
    exclude = ("search_text",)


@admin.register(models.Routing)
class RoutingAdmin(ReadOnlyAdmin):
    list_display = ("document", "to_person", "to_unit", "purpose", "status", "due_date")
    list_filter = ("purpose", "status")


for model in (
    models.RegistryCounter,
    models.RegistryClerk,
    models.DocumentFile,
    models.Annex,
    models.Reference,
    models.Custody,
    models.Note,
):
    admin.site.register(model, ReadOnlyAdmin)
