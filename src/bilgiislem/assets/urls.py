"""Asset pages under /tasinir/ (issue 7). Each part appends its own block below."""

from django.urls import path

from .views import assets as asset_views

app_name = "assets"

# Assets: list, detail with history, register, edit, move, labels; needs (H-REGISTER).
urlpatterns = [
    path("", asset_views.asset_list, name="home"),
    path("kayit/", asset_views.asset_new, name="asset-new"),
    path("<int:pk>/", asset_views.asset_detail, name="asset-detail"),
    path("<int:pk>/duzenle/", asset_views.asset_edit, name="asset-edit"),
    path("<int:pk>/tasi/", asset_views.asset_move_page, name="asset-move"),
    path("<int:pk>/etiket/", asset_views.asset_label, name="asset-label"),
]

# Stock (consumables, FIFO issues, reorder, parts used in a repair) and write-offs (H-STOCK).
from .views import stock as stock_views  # noqa: E402
from .views import writeoff as writeoff_views  # noqa: E402

urlpatterns += [
    path("stok/", stock_views.stock_list, name="stock"),
    path("stok/siparis/", stock_views.stock_reorder, name="stock-reorder"),
    path("stok/yeni/", stock_views.stock_item_new, name="stock-item-new"),
    path("stok/<int:pk>/", stock_views.stock_item_detail, name="stock-item"),
    path("stok/giris/", stock_views.stock_receive, name="stock-receive"),
    path("stok/cikis/", stock_views.stock_issue, name="stock-issue"),
    path("stok/parcalar/", stock_views.parts_used, name="stock-parts"),
    path("kayittan-dusme/", writeoff_views.writeoff_list, name="writeoffs"),
    path("kayittan-dusme/yeni/", writeoff_views.writeoff_new, name="writeoff-new"),
    path(
        "kayittan-dusme/komisyon/",
        writeoff_views.commission_new,
        name="writeoff-commission-new",
    ),
    path("kayittan-dusme/veri-imha/", writeoff_views.wipe_new, name="wipe-new"),
    path("kayittan-dusme/<int:pk>/", writeoff_views.writeoff_detail, name="writeoff-detail"),
    path(
        "kayittan-dusme/<int:pk>/tutanak/",
        writeoff_views.writeoff_minute,
        name="writeoff-minute",
    ),
    # On a report documenting the loss; the yearly consolidated report (H-BOARDS).
    path(
        "kayittan-dusme/rapora-gore/",
        writeoff_views.writeoff_on_report_new,
        name="writeoff-on-report",
    ),
    path(
        "kayittan-dusme/yillik/", writeoff_views.writeoff_year_report, name="writeoff-year-reports"
    ),
    path(
        "kayittan-dusme/yillik/<int:year>/",
        writeoff_views.writeoff_year_report,
        name="writeoff-year-report",
    ),
    path(
        "kayittan-dusme/yillik/<int:year>.<str:fmt>",
        writeoff_views.writeoff_year_report_file,
        name="writeoff-year-report-file",
    ),
]

# Needs: units submit, the directorate assesses, the yearly list as CSV (H-REGISTER).
from .views import needs as need_views  # noqa: E402

urlpatterns += [
    path("ihtiyac/", need_views.need_list, name="need-list"),
    path("ihtiyac/yeni/", need_views.need_new, name="need-new"),
    path("ihtiyac/<int:pk>/", need_views.need_detail, name="need-detail"),
    path("ihtiyac/liste/<int:year>.csv", need_views.need_list_csv, name="need-list-csv"),
]

# Licences, leased data lines, public sites and monitored devices (H-DEVICES).
from .views import devices as device_views  # noqa: E402

urlpatterns += [
    path("yerler/", device_views.sites_overview, name="sites-overview"),
    path("cihaz/<int:pk>/anahtar/", device_views.device_token, name="device-token"),
    path("lisanslar/", device_views.license_list, name="licenses"),
    path("lisanslar/<int:pk>/", device_views.license_detail, name="license-detail"),
    path("lisanslar/<int:pk>/anahtar/", device_views.license_key, name="license-key"),
    path(
        "lisanslar/<int:pk>/atama/<int:assignment>/bitir/",
        device_views.license_unassign,
        name="license-unassign",
    ),
    path("sozlesmeler/", device_views.contracts, name="contracts"),
    path("hatlar/", device_views.data_lines, name="data-lines"),
    path("hatlar/<int:pk>/ariza/", device_views.data_line_outage, name="data-line-outage"),
]

# VİF, İstek Belgesi, Teslim Belgesi, my items, ilişik kesme, shared-room lists (H-VIF).
from .views import custody as custody_views  # noqa: E402
from .views import vif as vif_views  # noqa: E402

urlpatterns += [
    path("vif/", vif_views.vif_list, name="vif-list"),
    path("vif/yeni/", vif_views.vif_new, name="vif-new"),
    path("vif/<int:pk>/", vif_views.vif_detail, name="vif-detail"),
    path("vif/<int:pk>/pdf/", vif_views.vif_print, name="vif-pdf"),
    path(
        "vif/<int:pk>/<str:action>/",
        vif_views.vif_action,
        name="vif-action",
    ),
    path("istek/", custody_views.request_list, name="request-list"),
    path("istek/yeni/", custody_views.request_new, name="request-new"),
    path("istek/<int:pk>/", custody_views.request_detail, name="request-detail"),
    path("istek/<int:pk>/pdf/", custody_views.request_print, name="request-pdf"),
    path("teslim/<int:pk>/", custody_views.handover_detail, name="handover-detail"),
    path("teslim/<int:pk>/pdf/", custody_views.handover_print, name="handover-pdf"),
    path("zimmetim/", custody_views.my_items, name="my-items"),
    path("ilisik/", custody_views.clearance, name="clearance"),
    path("oda/<int:pk>/liste/", custody_views.shared_list, name="shared-list"),
    path("oda/<int:pk>/liste/imza/", custody_views.shared_list_sign, name="shared-list-sign"),
    path("oda/<int:pk>/liste/pdf/", custody_views.shared_list_print, name="shared-list-pdf"),
]

# Counts: board, count, scan page per room, second round, close, PDFs (H-COUNT).
from .views import count as count_views  # noqa: E402

urlpatterns += [
    path("sayim/", count_views.count_list, name="count-list"),
    path("sayim/kurul/yeni/", count_views.board_new, name="count-board-new"),
    path("sayim/yeni/", count_views.count_new, name="count-new"),
    path("sayim/<int:pk>/", count_views.count_detail, name="count-detail"),
    path("sayim/<int:pk>/oda/<int:room>/", count_views.count_scan, name="count-scan"),
    path("sayim/<int:pk>/<str:which>.pdf", count_views.count_print, name="count-pdf"),
    path("sayim/<int:pk>/<str:action>/", count_views.count_action, name="count-action"),
]

# Loans (emanet) to borrowers who are not staff; an item sent for repair and back (H-LOANS).
from .views import loans as loan_views  # noqa: E402

urlpatterns += [
    path("emanet/", loan_views.loan_list, name="loan-list"),
    path("emanet/yeni/", loan_views.loan_new, name="loan-new"),
    path("emanet/<int:pk>/", loan_views.loan_detail, name="loan-detail"),
    path("emanet/<int:pk>/pdf/", loan_views.loan_print, name="loan-pdf"),
    path("<int:pk>/onarim/", loan_views.asset_repair, name="asset-repair"),
    path("<int:pk>/onarim/donus/", loan_views.asset_repair_back, name="asset-repair-back"),
]

# Sites and their rooms, stores with their content, the code list (H-PLACES).
from .views import places as place_views  # noqa: E402

urlpatterns += [
    path("mekanlar/", place_views.site_list, name="sites"),
    path("mekanlar/yeni/", place_views.site_new, name="site-new"),
    path("mekanlar/<int:pk>/", place_views.site_detail, name="site-detail"),
    path("mekanlar/<int:pk>/duzenle/", place_views.site_edit, name="site-edit"),
    path("mekanlar/<int:pk>/oda/yeni/", place_views.room_new, name="room-new"),
    path("oda/<int:pk>/duzenle/", place_views.room_edit, name="room-edit"),
    path("ambarlar/", place_views.store_list, name="stores"),
    path("ambarlar/yeni/", place_views.store_new, name="store-new"),
    path("ambarlar/<int:pk>/", place_views.store_detail, name="store-detail"),
    path("ambarlar/<int:pk>/duzenle/", place_views.store_edit, name="store-edit"),
    path("kodlar/", place_views.code_list, name="codes"),
    path("kodlar/yeni/", place_views.code_new, name="code-new"),
    path("kodlar/<int:pk>/duzenle/", place_views.code_edit, name="code-edit"),
]

# Reports: yönetim hesabı cetveli, consumables issued, last VİF tutanak, durables book (H-REPORTS).
from .views import reports as report_views  # noqa: E402

urlpatterns += [
    path("raporlar/", report_views.report_index, name="reports"),
    path(
        "raporlar/yonetim-hesabi/",
        report_views.management_account,
        name="report-management-account",
    ),
    path("raporlar/tuketim/", report_views.consumables_issued, name="report-consumables"),
    path("raporlar/son-vif/", report_views.last_vif, name="report-last-vif"),
    path(
        "raporlar/dayanikli-defter/",
        report_views.durables_book,
        name="report-durables-book",
    ),
]

# Store documents: Taşınır Geçici Alındısı and Ambar Devir ve Teslim Tutanağı (H-DOCS).
from .views import store_documents as store_document_views  # noqa: E402

urlpatterns += [
    path("gecici-alindi/", store_document_views.receipt_list, name="receipt-list"),
    path("gecici-alindi/yeni/", store_document_views.receipt_new, name="receipt-new"),
    path("gecici-alindi/<int:pk>/", store_document_views.receipt_detail, name="receipt-detail"),
    path("gecici-alindi/<int:pk>/pdf/", store_document_views.receipt_print, name="receipt-pdf"),
    path("ambar-devir/", store_document_views.store_handover_list, name="store-handover-list"),
    path("ambar-devir/yeni/", store_document_views.store_handover_new, name="store-handover-new"),
    path(
        "ambar-devir/<int:pk>/",
        store_document_views.store_handover_detail,
        name="store-handover-detail",
    ),
    path(
        "ambar-devir/<int:pk>/pdf/",
        store_document_views.store_handover_print,
        name="store-handover-pdf",
    ),
]
