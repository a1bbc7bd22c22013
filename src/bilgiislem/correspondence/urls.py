from django.urls import path

from . import views
from .views import dispatch as dispatch_views

app_name = "correspondence"
urlpatterns = [
    path("", views.letter_list, name="letter-list"),
    path("yeni/", views.letter_create, name="letter-create"),
    path("<int:pk>/", views.letter_detail, name="letter-detail"),
    path("<int:pk>/duzenle/", views.letter_edit, name="letter-edit"),
    path("<int:pk>/onizleme/", views.letter_preview, name="letter-preview"),
    path("<int:pk>/gonder/", views.letter_submit, name="letter-submit"),
    path("<int:pk>/paraf/", views.letter_approve, name="letter-approve"),
    path("<int:pk>/iade/", views.letter_return, name="letter-return"),
    path("<int:pk>/imza/", views.letter_sign, name="letter-sign"),
    # Annexes (ekler) and dispatch (gönderim): views/dispatch.py
    path("<int:pk>/ekler/", dispatch_views.annex_add, name="annex-add"),
    path("<int:pk>/ekler/<int:annex_pk>/sil/", dispatch_views.annex_remove, name="annex-remove"),
    path("<int:pk>/ekler/<int:annex_pk>/sira/", dispatch_views.annex_move, name="annex-move"),
    path("<int:pk>/ekler/<int:annex_pk>/dosya/", dispatch_views.annex_file, name="annex-file"),
    path(
        "<int:pk>/ekler/konulmadi/<int:recipient_pk>/",
        dispatch_views.annex_mark,
        name="annex-mark",
    ),
    path("<int:pk>/gonderim/<int:recipient_pk>/eyp/", dispatch_views.letter_eyp, name="letter-eyp"),
    path("<int:pk>/gonderim/kagit/", dispatch_views.letter_paper, name="letter-paper"),
    path("<int:pk>/yazdir/", dispatch_views.letter_print, name="letter-print"),
    # Signing with the signer's own e-imza outside the server: views/external.py
    path(
        "<int:pk>/imza/e-imza/hazirla/",
        views.letter_prepare_external,
        name="letter-prepare-external",
    ),
    path("<int:pk>/imza/e-imza/yukle/", views.letter_sign_external, name="letter-sign-external"),
]
