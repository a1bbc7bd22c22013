from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("yonetim/", admin.site.urls),
    path("", include("bilgiislem.accounts.urls")),
    path("kurum/", include("bilgiislem.organization.urls")),
    path("denetim/", include("bilgiislem.audit.urls")),
    path("evrak/", include("bilgiislem.registry.urls")),
    path("dogrula/", include("bilgiislem.correspondence.urls_verify")),
    path("yazisma/", include("bilgiislem.correspondence.urls")),
    path("arsiv/", include("bilgiislem.archive.urls")),
    path("destek/", include("bilgiislem.servicedesk.urls")),
    path("tasinir/", include("bilgiislem.assets.urls")),
    path("api/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
urlpatterns += static(settings.STATIC_URL, document_root=settings.STATIC_ROOT)
