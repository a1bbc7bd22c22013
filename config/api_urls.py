"""The REST API under /api/ (schema at /api/schema/, interactive docs at /api/docs/)."""

from django.urls import include, path

urlpatterns = [
    path("", include("bilgiislem.accounts.api.urls")),
    path("org/", include("bilgiislem.organization.api.urls")),
    path("audit/", include("bilgiislem.audit.api.urls")),
    path("registry/", include("bilgiislem.registry.api.urls")),
    path("archive/", include("bilgiislem.archive.api.urls")),
    path("correspondence/", include("bilgiislem.correspondence.api.urls")),
    path("servicedesk/", include("bilgiislem.servicedesk.api.urls")),
    path("assets/", include("bilgiislem.assets.api.urls")),
]
