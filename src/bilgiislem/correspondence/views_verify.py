"""The public verification page ``/dogrula/<code>/`` (no login)."""

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from . import verify


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("PDF file to check"),
        help_text=gettext_lazy("The electronic copy you received."),
    )


@require_http_methods(["GET", "POST"])
def letter_verify(request, code):
    """Show what a verification code stands for; check an uploaded copy against it."""
    if verify.over_limit(request.META.get("REMOTE_ADDR", "")):
        return HttpResponse(
            _("Too many verification requests; try again in a few minutes."),
            status=429,
            content_type="text/plain; charset=utf-8",
        )
    facts = verify.facts_for_code(code)
    if facts is None:
        return render(
            request,
            "correspondence/verify_unknown.html",
            {"code": verify.normalise(code)},
            status=404,
        )
    form, check = UploadForm(), None
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > verify.max_upload_bytes():
                form.add_error("file", _("The file is too large."))
            else:
                check = verify.check_upload(facts, upload.read())
    return render(
        request,
        "correspondence/verify.html",
        {"facts": facts, "form": form, "check": check, "code": verify.normalise(code)},
    )
