from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("", views.AuditEventListView.as_view(), name="list"),
    path("disa-aktar/", views.AuditEventExportView.as_view(), name="export"),
]
