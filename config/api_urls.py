from django.urls import include, path

urlpatterns = [
    path("", include("bilgiislem.accounts.api.urls")),
    path("org/", include("bilgiislem.organization.api.urls")),
    path("audit/", include("bilgiislem.audit.api.urls")),
]
