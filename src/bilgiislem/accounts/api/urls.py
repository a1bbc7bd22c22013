from django.urls import path

from . import views

app_name = "accounts-api"

urlpatterns = [
    path("auth/token/", views.TokenObtainView.as_view(), name="token-obtain"),
    path("me/", views.MeView.as_view(), name="me"),
    path(
        "people/<int:pk>/two-factor-reset/",
        views.TwoFactorResetView.as_view(),
        name="two-factor-reset",
    ),
]
