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
