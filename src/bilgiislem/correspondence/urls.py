from django.urls import path

from . import views

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
]
