from rest_framework.routers import SimpleRouter

from . import views

app_name = "audit-api"

router = SimpleRouter()
router.register("events", views.AuditEventViewSet, basename="event")

urlpatterns = router.urls
