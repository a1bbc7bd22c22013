from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("hesap/giris/", views.LoginView.as_view(), name="login"),
    path("hesap/giris/kod/", views.LoginCodeView.as_view(), name="login-code"),
    path("hesap/cikis/", views.LogoutView.as_view(), name="logout"),
    path("hesap/iki-adim/", views.TwoFactorView.as_view(), name="two-factor"),
    path("hesap/iki-adim/kur/", views.TwoFactorSetupView.as_view(), name="two-factor-setup"),
    path("hesap/iki-adim/kaldir/", views.TwoFactorRemoveView.as_view(), name="two-factor-remove"),
    path(
        "hesap/iki-adim/sifirla/<int:pk>/",
        views.TwoFactorResetView.as_view(),
        name="two-factor-reset",
    ),
]
