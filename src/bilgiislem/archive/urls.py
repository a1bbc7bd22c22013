from django.urls import path

from . import views

app_name = "archive"
urlpatterns = [
    path("", views.plan_browser, name="plan"),
    path("klasorler/", views.folder_list, name="folder-list"),
    path("klasorler/etiketler.pdf", views.folder_labels, name="folder-labels"),
    path("klasorler/<int:pk>/", views.folder_detail, name="folder-detail"),
    path("klasorler/<int:pk>/etiket.pdf", views.folder_label, name="folder-label"),
    path(
        "klasorler/<int:pk>/yeniden-degerlendir/", views.folder_reevaluate, name="folder-reevaluate"
    ),
    path("evrak/<int:pk>/", views.document_archive, name="document"),
    path("kayitlar/<int:pk>/", views.record_detail, name="record-detail"),
    path("kayitlar/<int:pk>/duzeltme/", views.record_correct_view, name="record-correct"),
]

# Fixity and export (issue 5 points 7 and 8).
from .views import export as export_views  # noqa: E402
from .views import fixity as fixity_views  # noqa: E402

urlpatterns += [
    path("butunluk/", fixity_views.fixity_overview, name="fixity"),
    path(
        "butunluk/sorunlar/<int:pk>/coz/",
        fixity_views.fixity_issue_resolve,
        name="fixity-issue-resolve",
    ),
    path("disa-aktar/", export_views.export_page, name="export"),
]

# Retrieval, storage locations and the yearly cycle (issue 5 points 4 and 5).
from .urls_cycle_loans import urlpatterns as cycle_loans_urls  # noqa: E402

urlpatterns += cycle_loans_urls

# Disposal and legal holds (issue 5 point 6).
from .urls_disposal import urlpatterns as disposal_urls  # noqa: E402

urlpatterns += disposal_urls
