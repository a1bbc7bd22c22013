from django.contrib import admin

from bilgiislem.core.admin import ReadOnlyAdmin

from . import models


@admin.register(models.Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ("username", "first_name", "last_name", "is_active", "is_superuser")
    search_fields = ("username", "first_name", "last_name")
    exclude = ("password",)


@admin.register(models.OrgUnit)
class OrgUnitAdmin(ReadOnlyAdmin):
    list_display = ("name", "code", "kind", "parent", "valid_from", "valid_to")
    list_filter = ("kind",)


for model in (
    models.Institution,
    models.OrgUnitVersion,
    models.Position,
    models.PositionHolding,
    models.ActingAssignment,
    models.SignatureDelegation,
    models.AppointmentRequest,
    models.UnitChangeRequest,
):
    admin.site.register(model, ReadOnlyAdmin)
