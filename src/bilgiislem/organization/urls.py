from django.urls import path

from . import views

app_name = "organization"
urlpatterns = [
    path("", views.chart, name="chart"),
    path("birim/<int:pk>/", views.unit_detail, name="unit-detail"),
    path("personel/", views.person_list, name="person-list"),
    path("personel/yeni/", views.person_create, name="person-create"),
    path("personel/<int:pk>/", views.person_detail, name="person-detail"),
    path("personel/<int:pk>/gorev/yeni/", views.holding_create, name="holding-create"),
    path("gorev/<int:pk>/sonlandir/", views.holding_end, name="holding-end"),
    path("personel/<int:pk>/devre-disi/", views.person_disable, name="person-disable"),
    path("personel/<int:pk>/etkinlestir/", views.person_enable, name="person-enable"),
    path("vekalet/", views.acting_list, name="acting-list"),
    path("vekalet/yeni/", views.acting_create, name="acting-create"),
    path("vekalet/<int:pk>/sonlandir/", views.acting_end, name="acting-end"),
    path("yetki-devri/", views.delegation_list, name="delegation-list"),
    path("yetki-devri/yeni/", views.delegation_create, name="delegation-create"),
    path("yetki-devri/<int:pk>/geri-al/", views.delegation_revoke, name="delegation-revoke"),
    path("atama/", views.appointment_list, name="appointment-list"),
    path("atama/yeni/", views.appointment_create, name="appointment-create"),
    path("atama/<int:pk>/", views.appointment_detail, name="appointment-detail"),
    path("atama/<int:pk>/onayla/", views.appointment_approve, name="appointment-approve"),
    path("atama/<int:pk>/reddet/", views.appointment_reject, name="appointment-reject"),
    path("teskilat-degisikligi/", views.unit_change_list, name="unit-change-list"),
    path("teskilat-degisikligi/yeni/", views.unit_change_create, name="unit-change-create"),
    path("teskilat-degisikligi/<int:pk>/", views.unit_change_detail, name="unit-change-detail"),
    path(
        "teskilat-degisikligi/<int:pk>/onayla/",
        views.unit_change_approve,
        name="unit-change-approve",
    ),
    path(
        "teskilat-degisikligi/<int:pk>/reddet/",
        views.unit_change_reject,
        name="unit-change-reject",
    ),
]
