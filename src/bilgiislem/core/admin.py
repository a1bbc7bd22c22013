"""The Django admin: superusers only, and read-only for domain data.

Every change of state must go through a service that writes its audit event, so the admin
only shows; people change things through the pages, the API or management commands.
"""

from django.contrib import admin


def _superusers_only(request) -> bool:
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _superusers_only


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
