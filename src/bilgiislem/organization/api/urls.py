from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

app_name = "organization-api"

router = SimpleRouter()
router.register("units", views.OrgUnitViewSet, basename="unit")
router.register("positions", views.PositionViewSet, basename="position")
router.register("people", views.PersonViewSet, basename="person")
router.register("holdings", views.PositionHoldingViewSet, basename="holding")
router.register("acting", views.ActingAssignmentViewSet, basename="acting")
router.register("delegations", views.SignatureDelegationViewSet, basename="delegation")
router.register("appointments", views.AppointmentRequestViewSet, basename="appointment")
router.register("unit-changes", views.UnitChangeRequestViewSet, basename="unit-change")

urlpatterns = [
    path("institution/", views.InstitutionView.as_view(), name="institution-detail"),
    *router.urls,
]
