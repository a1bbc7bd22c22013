from django.urls import re_path

from . import views_verify

app_name = "verify"
urlpatterns = [
    # The printed address has no trailing slash; accept both.
    re_path(r"^(?P<code>[0-9A-Za-z-]{1,40})/?$", views_verify.letter_verify, name="letter-verify"),
]
