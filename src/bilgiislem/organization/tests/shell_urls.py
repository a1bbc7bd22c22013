"""The project's URLs plus an empty page: what every page costs before its own reads."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import include, path


@login_required
def shell(request):
    return render(request, "base.html", {})


urlpatterns = [
    path("__shell__/", shell, name="test-shell"),
    path("", include("config.urls")),
]
