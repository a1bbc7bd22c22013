"""Pages of disposal (İmha, RYY art. 13(ç)) and legal holds (Hukuki bloke), included by
``archive/urls.py`` into the ``archive`` namespace."""

from django.urls import path

from .views import disposal, holds

urlpatterns = [
    path("imha/", disposal.disposal_home, name="disposal"),
    path("imha/devlet-arsivi/", disposal.state_archives_prepare, name="disposal-state-archives"),
    path("imha/komisyon/yeni/", disposal.commission_create, name="disposal-commission-create"),
    path("imha/listeler/yeni/", disposal.list_create, name="disposal-list-create"),
    path("imha/listeler/<int:pk>/", disposal.list_detail, name="disposal-list-detail"),
    path("imha/listeler/<int:pk>/onayla/", disposal.list_approve, name="disposal-list-approve"),
    path(
        "imha/listeler/<int:pk>/amir-onayi/",
        disposal.list_superior_approve,
        name="disposal-list-superior-approve",
    ),
    path(
        "imha/listeler/<int:pk>/cikar/<int:item>/",
        disposal.item_remove,
        name="disposal-item-remove",
    ),
    path("imha/listeler/<int:pk>/imha-et/", disposal.list_execute, name="disposal-list-execute"),
    path("imha/listeler/<int:pk>/iptal/", disposal.list_cancel, name="disposal-list-cancel"),
    path("imha/listeler/<int:pk>/imha-listesi.pdf", disposal.list_pdf, name="disposal-list-pdf"),
    path(
        "imha/listeler/<int:pk>/imha-tutanagi.pdf",
        disposal.minute_pdf,
        name="disposal-minute-pdf",
    ),
    path("bloke/", holds.hold_list, name="hold-list"),
    path("bloke/yeni/", holds.hold_create, name="hold-create"),
    path("bloke/<int:pk>/kaldir/", holds.hold_lift, name="hold-lift"),
]
