"""The archive API under /api/archive/. Each concern registers its viewsets here."""

from rest_framework.routers import SimpleRouter

from . import views

app_name = "archive-api"

router = SimpleRouter()
router.register("file-plan/versions", views.FilePlanVersionViewSet, basename="plan-version")
router.register("file-plan/codes", views.FilePlanCodeViewSet, basename="plan-code")
router.register("folders", views.FolderViewSet, basename="folder")
router.register("documents", views.DocumentFilingViewSet, basename="document")
router.register("records", views.ArchivedRecordViewSet, basename="record")

urlpatterns = router.urls

# Fixity and export (issue 5 points 7 and 8).
from django.urls import path  # noqa: E402

from . import export as export_api  # noqa: E402
from . import fixity as fixity_api  # noqa: E402

router.register("fixity/runs", fixity_api.FixityRunViewSet, basename="fixity-run")
router.register("fixity/issues", fixity_api.FixityIssueViewSet, basename="fixity-issue")
urlpatterns = [
    path("fixity/", fixity_api.FixityOverviewView.as_view(), name="fixity"),
    path("export/", export_api.ArchiveExportView.as_view(), name="export"),
    *router.urls,
]

# Retrieval, storage locations and the yearly cycle (issue 5 points 4 and 5).
from . import cycle as cycle_api  # noqa: E402
from . import loans as loans_api  # noqa: E402

urlpatterns += [*loans_api.urlpatterns, *cycle_api.urlpatterns]

# Disposal and legal holds (issue 5 point 6).
from . import disposal as disposal_api  # noqa: E402
from . import holds as holds_api  # noqa: E402

disposal_router = SimpleRouter()
disposal_router.register(
    "disposal/candidates", disposal_api.DisposalCandidateViewSet, basename="disposal-candidate"
)
disposal_router.register(
    "disposal/commissions", disposal_api.CommissionViewSet, basename="disposal-commission"
)
disposal_router.register(
    "disposal/lists", disposal_api.DisposalListViewSet, basename="disposal-list"
)
disposal_router.register("holds", holds_api.LegalHoldViewSet, basename="hold")
urlpatterns += disposal_router.urls
