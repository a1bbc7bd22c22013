"""Service desk pages under /destek/ (issue 6). Each part appends its own block below."""

from django.urls import path

from .views import tickets

app_name = "servicedesk"

# Requests: my requests, a new request, the queue, a request and its actions (H-TICKETS).
urlpatterns = [
    path("", tickets.my_requests, name="home"),
    path("yeni/", tickets.ticket_new, name="ticket-new"),
    path("kuyruk/", tickets.queue_page, name="queue"),
    path("talepler/<int:pk>/", tickets.ticket_detail, name="ticket-detail"),
    path("talepler/<int:pk>/islem/<slug:action>/", tickets.ticket_action, name="ticket-action"),
    path(
        "talepler/<int:pk>/ekler/<int:attachment_pk>/",
        tickets.attachment_download,
        name="attachment",
    ),
]

# Intake, partner accounts, letters and the knowledge base (H-PARTNERS).
from .views import knowledge as knowledge_views  # noqa: E402
from .views import letters as letter_views  # noqa: E402
from .views import partner as partner_views  # noqa: E402
from .views import public as public_views  # noqa: E402

urlpatterns += [
    path("basvuru/", public_views.public_form, name="public-form"),
    path("basvuru/gonderildi/", public_views.public_sent, name="public-sent"),
    path("basvuru/takip/<str:token>/", public_views.public_confirm, name="public-confirm"),
    path("kurum/", partner_views.partner_home, name="partner-home"),
    path("kurum/yeni/", partner_views.partner_new, name="partner-new"),
    path("talepler/<int:pk>/memnuniyet/", partner_views.satisfaction_page, name="satisfaction"),
    path(
        "evrak/<int:document_pk>/talep/",
        letter_views.ticket_from_document,
        name="ticket-from-document",
    ),
    path(
        "talepler/<int:pk>/cevap-yazisi/",
        letter_views.ticket_start_reply,
        name="ticket-start-reply",
    ),
    path("bilgi/", knowledge_views.article_list, name="knowledge"),
    path("bilgi/yeni/", knowledge_views.article_new, name="knowledge-new"),
    path("bilgi/<int:pk>/", knowledge_views.article_detail, name="knowledge-detail"),
    path("bilgi/<int:pk>/duzenle/", knowledge_views.article_edit, name="knowledge-edit"),
    path(
        "talepler/<int:pk>/bilgi-makalesi/",
        knowledge_views.article_from_ticket,
        name="knowledge-from-ticket",
    ),
]

# The Chief's and Director's dashboard and the monthly partner reports (H-REPORTS).
from .views import dashboard as dashboard_views  # noqa: E402
from .views import reports as report_views  # noqa: E402

urlpatterns += [
    path("pano/", dashboard_views.dashboard, name="dashboard"),
    path("raporlar/", report_views.report_index, name="reports"),
    path(
        "raporlar/<int:organization>/<str:month>/",
        report_views.report_detail,
        name="report",
    ),
    path(
        "raporlar/<int:organization>/<str:month>/pdf/",
        report_views.report_pdf,
        name="report-pdf",
    ),
]

# Service agreements, partner organisations, vendor contracts, acceptance, vendor handoff
# (H-SLA).
from .views import agreements as agreement_views  # noqa: E402
from .views import vendors as vendor_views  # noqa: E402

urlpatterns += [
    path("sozlesmeler/", agreement_views.agreement_list, name="agreement-list"),
    path("sozlesmeler/yeni/", agreement_views.agreement_new, name="agreement-new"),
    path("sozlesmeler/<int:pk>/", agreement_views.agreement_detail, name="agreement-detail"),
    path("sozlesmeler/<int:pk>/duzenle/", agreement_views.agreement_edit, name="agreement-edit"),
    path("kurumlar/", agreement_views.partner_org_list, name="partner-org-list"),
    path("kurumlar/yeni/", agreement_views.partner_org_new, name="partner-org-new"),
    path("kurumlar/<int:pk>/", agreement_views.partner_org_detail, name="partner-org-detail"),
    path("kurumlar/<int:pk>/duzenle/", agreement_views.partner_org_edit, name="partner-org-edit"),
    path(
        "kurum-hesaplari/<int:pk>/durum/",
        agreement_views.partner_member_toggle,
        name="partner-member-toggle",
    ),
    path("talepler/<int:pk>/kabul/", agreement_views.ticket_accept_view, name="ticket-accept"),
    path("tedarikciler/", vendor_views.contract_list, name="vendor-contract-list"),
    path("tedarikciler/yeni/", vendor_views.contract_new, name="vendor-contract-new"),
    path("tedarikciler/<int:pk>/", vendor_views.contract_detail, name="vendor-contract-detail"),
    path(
        "tedarikciler/<int:pk>/duzenle/",
        vendor_views.contract_edit,
        name="vendor-contract-edit",
    ),
    path("talepler/<int:pk>/tedarikci/", vendor_views.ticket_vendor, name="ticket-vendor"),
    path(
        "talepler/<int:pk>/tedarikci/donus/",
        vendor_views.ticket_vendor_return,
        name="ticket-vendor-return",
    ),
]

# The person's notices (Bildirimler).
from .views import notifications as notification_views  # noqa: E402

urlpatterns += [
    path("bildirimler/", notification_views.notification_list, name="notifications"),
    path(
        "bildirimler/hepsi-okundu/",
        notification_views.notification_read_all,
        name="notifications-read-all",
    ),
    path(
        "bildirimler/<int:pk>/okundu/",
        notification_views.notification_read,
        name="notification-read",
    ),
]
