"""The letter page's e-imza path: the signer signs with their own e-imza outside the server.

Step 1 prepares the letter (its Sayı and date are taken now, as they are printed on what is
signed) and downloads the unsigned PDF; pressing again downloads the same file. Step 2
uploads the PDF signed with the signer's e-imza software; ``letter_sign_external`` checks it
and a refusal shows its reason on the upload field. Only the person whose signature turn it
is may do either (403 otherwise; a letter out of sight is 404), as with ``letter_sign``.
"""

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from bilgiislem.core.downloads import content_disposition
from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.core.forms import apply_domain_error

from ..choices import StepKind
from ..models import SigningPreparation
from ..services import external as external_services
from .common import Forbidden, letter_for, page, refusal
from .detail import _context, _my_turn

PREFIX = "external"


class SignedPdfForm(forms.Form):
    """The upload of step 2; the field is named as the service names it, so a refusal of
    the service lands on it (``apply_domain_error``)."""

    signed_pdf = forms.FileField(
        label=gettext_lazy("Signed PDF"),
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", PREFIX)
        super().__init__(*args, **kwargs)
        self.fields["signed_pdf"].help_text = _(
            "The PDF downloaded in step 1, signed with your e-imza (PAdES); at most %(size)s."
        ) % {"size": filesizeformat(external_services.max_upload_bytes())}

    def clean_signed_pdf(self):
        upload = self.cleaned_data["signed_pdf"]
        # Refused before the bytes are read into memory.
        if upload.size > external_services.max_upload_bytes():
            raise forms.ValidationError(_("The file is too large for a signed letter."))
        return upload


def open_preparation(letter):
    """The letter's preparation waiting for the signed file, with its registration."""
    return (
        SigningPreparation.objects.filter(letter=letter, state=SigningPreparation.State.OPEN)
        .select_related("document")
        .first()
    )


def _ensure_signature_turn(user, letter) -> None:
    step, label = _my_turn(user, letter)
    if label is None or step.kind != StepKind.SIGNATURE:
        raise Forbidden(_("It is not your turn to sign this letter."))


def _page(request, letter, **extra):
    form = extra.pop("external_form", None)
    context = _context(request, letter, **extra)
    if form is not None:
        context["external_form"] = form
    return render(request, "correspondence/letter_detail.html", context, status=400)


@page
@require_POST
def letter_prepare_external(request, pk):
    """Step 1: fix the Sayı and date and download the PDF to sign, named ``<Sayı>.pdf``."""
    letter = letter_for(request.user, pk)
    _ensure_signature_turn(request.user, letter)
    try:
        pdf = external_services.letter_prepare_external(actor=request.user, letter=letter)
    except PermissionDeniedError as exc:
        raise Forbidden(refusal(exc)) from exc
    except DomainError as exc:
        return _page(request, letter, errors=[refusal(exc)])
    preparation = open_preparation(letter)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(f"{preparation.document.sayi}.pdf")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@page
@require_POST
def letter_sign_external(request, pk):
    """Step 2: upload the signed PDF; the letter is signed if every check passes."""
    letter = letter_for(request.user, pk)
    _ensure_signature_turn(request.user, letter)
    form = SignedPdfForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            external_services.letter_sign_external(
                actor=request.user,
                letter=letter,
                signed_pdf=form.cleaned_data["signed_pdf"].read(),
                trust_roots=external_services.configured_trust_roots(),
            )
        except PermissionDeniedError as exc:
            raise Forbidden(refusal(exc)) from exc
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(
                request, _("The letter is signed with your e-imza and registered as outgoing.")
            )
            return redirect("correspondence:letter-detail", pk=letter.pk)
    return _page(request, letter, external_form=form)
