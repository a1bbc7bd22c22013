from django.urls import path

from . import views, views_book

app_name = "registry"
urlpatterns = [
    path("", views.document_list, name="document-list"),
    path("kaydet/", views.document_register, name="document-register"),
    path("giden/kaydet/", views.outgoing_register, name="outgoing-register"),
    path("eyp/", views.eyp_import, name="eyp-import"),
    path("dogrula/", views.identifier_check, name="identifier-check"),
    path("takip/", views.oversight, name="oversight"),
    path("defter/", views_book.register_book, name="register-book"),
    path("<int:pk>/", views.document_detail, name="document-detail"),
    path("<int:pk>/dosya/<int:file_pk>/", views.file_download, name="file-download"),
    path("<int:pk>/havale/", views.document_route, name="document-route"),
    path("<int:pk>/not/", views.note_add, name="note-add"),
    path("<int:pk>/zimmet/", views.custody_hand_over, name="custody-hand-over"),
    path("<int:pk>/gonder/", views.document_send, name="document-send"),
    path("havale/<int:pk>/ilet/", views.routing_forward, name="routing-forward"),
    path("havale/<int:pk>/iade/", views.routing_return, name="routing-return"),
    path("havale/<int:pk>/kapat/", views.routing_close, name="routing-close"),
    path("zimmet/<int:pk>/onay/", views.custody_acknowledge, name="custody-acknowledge"),
]
