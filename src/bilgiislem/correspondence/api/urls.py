from rest_framework.routers import SimpleRouter

from . import views

app_name = "correspondence-api"

router = SimpleRouter()
router.register("letters", views.LetterViewSet, basename="letter")

urlpatterns = router.urls
