from rest_framework.routers import SimpleRouter

from . import views

app_name = "registry-api"

router = SimpleRouter()
router.register("documents", views.DocumentViewSet, basename="document")
router.register("routings", views.RoutingViewSet, basename="routing")
router.register("custody", views.CustodyViewSet, basename="custody")

urlpatterns = router.urls
