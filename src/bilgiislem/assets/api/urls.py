"""The assets API under /api/assets/. Each part registers its viewsets here, above the final
``urlpatterns`` line."""

from rest_framework.routers import SimpleRouter

from . import places, views

app_name = "assets-api"

router = SimpleRouter()
# Assets (H-REGISTER); places and codes (H-PLACES, api/places.py).
router.register("assets", views.AssetViewSet, basename="asset")
router.register("sites", places.SiteViewSet, basename="site")
router.register("rooms", places.RoomViewSet, basename="room")
router.register("stores", places.StoreViewSet, basename="store")
router.register("codes", places.CodeViewSet, basename="code")

# Hardware and software needs (H-REGISTER).
from . import needs  # noqa: E402

router.register("needs", needs.NeedViewSet, basename="need")

# Licences, contract coverage, data lines, monitored devices, expiry warnings (H-DEVICES).
from . import devices  # noqa: E402

router.register("licenses", devices.LicenseViewSet, basename="license")
router.register("contract-coverage", devices.CoverageViewSet, basename="contract-coverage")
router.register("data-lines", devices.DataLineViewSet, basename="data-line")
router.register("devices", devices.DeviceViewSet, basename="device")
router.register("expiring", devices.ExpiringViewSet, basename="expiring")

# Consumables (stock) and write-offs (H-STOCK).
from . import stock  # noqa: E402

router.register("stock-items", stock.StockItemViewSet, basename="stock-item")
router.register("stock-lots", stock.StockLotViewSet, basename="stock-lot")
router.register("stock-issues", stock.StockIssueViewSet, basename="stock-issue")
router.register("stock-receipts", stock.StockReceiptViewSet, basename="stock-receipt")

# Write-offs: commissions, proposals, on a report, wipes, the yearly report (H-BOARDS).
from . import writeoff  # noqa: E402

router.register(
    "writeoff-commissions", writeoff.WriteOffCommissionViewSet, basename="writeoff-commission"
)
router.register("writeoffs", writeoff.WriteOffViewSet, basename="writeoff")
router.register("wipes", writeoff.WipeViewSet, basename="wipe")
router.register(
    "reports/write-offs", writeoff.WriteOffYearReportViewSet, basename="writeoff-report"
)

# VİFs, İstek Belgesi, Teslim Belgesi (H-VIF).
from . import custody  # noqa: E402

router.register("vifs", custody.VifViewSet, basename="vif")
router.register("requests", custody.AssetRequestViewSet, basename="request")
router.register("handovers", custody.HandoverViewSet, basename="handover")

# Counts: list, differences, scans (H-COUNT).
from .count_manage import CountManageViewSet  # noqa: E402

# CountViewSet (list, detail, differences, scan) with the state changes of api/count_manage.py.
router.register("counts", CountManageViewSet, basename="count")

# Count boards; shared-room lists (DTL); the ilişik kesme check (issue 7 API gaps).
from . import holdings  # noqa: E402
from .count_manage import CountBoardViewSet  # noqa: E402

router.register("count-boards", CountBoardViewSet, basename="count-board")
router.register("shared-lists", holdings.SharedListViewSet, basename="shared-list")
router.register("clearance", holdings.ClearanceViewSet, basename="clearance")

# Loans (emanet) to borrowers who are not staff; items in repair (H-LOANS).
from . import loans  # noqa: E402

router.register("loans", loans.LoanViewSet, basename="loan")
router.register("repairs", loans.RepairViewSet, basename="repair")

# Reports: yönetim hesabı cetveli, consumables issued, last VİF, durables book (H-REPORTS).
from . import reports  # noqa: E402

router.register("reports", reports.ReportViewSet, basename="report")

# Taşınır Geçici Alındısı and Ambar Devir ve Teslim Tutanağı (H-DOCS).
from . import store_documents  # noqa: E402

router.register(
    "temporary-receipts", store_documents.TemporaryReceiptViewSet, basename="temporary-receipt"
)
router.register("store-handovers", store_documents.StoreHandoverViewSet, basename="store-handover")

urlpatterns = router.urls

# The device heartbeat: the device's own token, not a person (H-DEVICES).
from django.urls import path  # noqa: E402

from .heartbeat import HeartbeatView  # noqa: E402

# First in the list: devices call it every minute, so it should be found first.
urlpatterns.insert(0, path("heartbeat/", HeartbeatView.as_view(), name="heartbeat"))
