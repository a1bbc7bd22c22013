"""The service desk API under /api/servicedesk/. Each part registers its viewsets here,
above the final ``urlpatterns`` line."""

from rest_framework.routers import SimpleRouter

from . import tickets

app_name = "servicedesk-api"

router = SimpleRouter()
router.register("tickets", tickets.TicketViewSet, basename="ticket")

# The dashboard and the monthly partner reports (H-REPORTS).
from . import dashboard  # noqa: E402

router.register("dashboard", dashboard.DashboardViewSet, basename="dashboard")
router.register("reports", dashboard.PartnerReportViewSet, basename="partner-report")

# Intake (public form, partner accounts, letters, satisfaction) and knowledge (H-PARTNERS).
from . import intake, knowledge  # noqa: E402

router.register("intake", intake.IntakeViewSet, basename="intake")
router.register("articles", knowledge.ArticleViewSet, basename="article")

# Agreements, partner organisations and accounts, vendor contracts and handoffs (H-SLA).
from . import agreements, vendors  # noqa: E402

router.register("agreements", agreements.ServiceAgreementViewSet, basename="agreement")
router.register(
    "partner-organizations", agreements.PartnerOrganizationViewSet, basename="partner-organization"
)
router.register("partner-members", agreements.PartnerMemberViewSet, basename="partner-member")
router.register("vendor-contracts", vendors.VendorContractViewSet, basename="vendor-contract")
router.register("vendor-handoffs", vendors.VendorHandoffViewSet, basename="vendor-handoff")

urlpatterns = [*router.urls]

# Accepting a request without a valid agreement (H-SLA).
from django.urls import path  # noqa: E402

urlpatterns += [
    path("tickets/<int:pk>/accept/", agreements.TicketAcceptView.as_view(), name="ticket-accept"),
]

# The person's notices (Bildirimler).
from . import notifications  # noqa: E402

_notices = SimpleRouter()
_notices.register("notifications", notifications.NotificationViewSet, basename="notification")
urlpatterns += _notices.urls
