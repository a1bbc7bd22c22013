from django.contrib import admin

from bilgiislem.core.admin import ReadOnlyAdmin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("seq", "occurred_at", "actor_repr", "acting_for", "action", "object_repr")
    list_filter = ("action",)
    search_fields = ("action", "object_repr", "actor_repr", "request_id")
