"""The letter page's Ekler (annexes) and Gönderim (dispatch) sections and their actions.

A draft's preparer adds, removes and reorders annexes and marks recipients "Ek konulmadı";
on a signed letter anyone who sees it downloads the annexes, makes and downloads the .eyp of
an outside recipient, prints the letter and records a paper dispatch.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bilgiislem.core.downloads import attachment_response
from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.core.forms import apply_domain_error
from bilgiislem.core.storage import StorageCorruptionError

from ..choices import LetterStatus, RecipientKind
from ..dispatch_forms import AnnexForm, PaperDispatchForm
from ..eyp_export.from_letter import signed_pdf_of
from ..models import Dispatch
from ..services import annexes as annex_services
from ..services import dispatch as dispatch_services
from ..signers import configured_signer
from .common import Forbidden, letter_for, page, refusal

EDITABLE = {LetterStatus.DRAFT, LetterStatus.RETURNED}


def sections_context(request, letter, forms: dict) -> dict:
    """What the Ekler and Gönderim sections show (merged into the letter page's context)."""
    annexes = list(letter.annexes.all())
    can_manage = letter.prepared_by_id == request.user.pk and letter.status in EDITABLE
    context = {
        "annexes": annexes,
        "can_manage_annexes": can_manage,
        "annex_form": forms.get("annex_form")
        or (AnnexForm(prefix="annex") if can_manage else None),
        "annex_errors": forms.get("annex_errors", []),
        "annexes_omitted_anywhere": bool(annexes)
        and letter.recipients.filter(annexes_omitted=True).exists(),
    }
    if letter.status == LetterStatus.SIGNED and letter.document_id:
        outside = [r for r in letter.recipients.all() if r.kind != RecipientKind.INTERNAL]
        dispatches = list(
            letter.dispatches.select_related("recipient", "courier", "dispatched_by").order_by(
                "dispatched_at", "id"
            )
        )
        packaged = {d.recipient_id for d in dispatches if d.method == Dispatch.Method.EYP}
        context.update(
            {
                "show_dispatch": True,
                "dispatch_rows": [(r, r.pk in packaged) for r in outside],
                "dispatches": dispatches,
                "paper_form": forms.get("paper_form")
                or (PaperDispatchForm(prefix="paper", letter=letter) if outside else None),
                "dispatch_errors": forms.get("dispatch_errors", []),
            }
        )
    return context


def _page_with(request, letter, status=400, **forms):
    from .detail import _context

    context = _context(request, letter, **forms)
    return render(request, "correspondence/letter_detail.html", context, status=status)


def _act(request, letter, call, message, *, errors_key, **forms):
    """Run one service; a refusal of the rules shows on the letter page, with the input."""
    try:
        call()
    except PermissionDeniedError as exc:
        raise Forbidden(refusal(exc)) from exc
    except DomainError as exc:
        for form in forms.values():
            apply_domain_error(form, exc)
        shown = {} if forms else {errors_key: [refusal(exc)]}
        return _page_with(request, letter, **forms, **shown)
    messages.success(request, message)
    return redirect("correspondence:letter-detail", pk=letter.pk)


# -- annexes -----------------------------------------------------------------------------


@page
@require_POST
def annex_add(request, pk):
    letter = letter_for(request.user, pk)
    form = AnnexForm(request.POST, request.FILES, prefix="annex")
    if not form.is_valid():
        return _page_with(request, letter, annex_form=form)
    data = form.cleaned_data
    return _act(
        request,
        letter,
        lambda: annex_services.letter_annex_add(
            actor=request.user,
            letter=letter,
            kind=data["kind"],
            description=data["description"],
            upload=data["file"],
            url=data["url"],
            sayi=data["sayi"],
        ),
        _("The annex is added; the letter has a new version."),
        errors_key="annex_errors",
        annex_form=form,
    )


@page
@require_POST
def annex_remove(request, pk, annex_pk):
    letter = letter_for(request.user, pk)
    annex = get_object_or_404(letter.annexes, pk=annex_pk)
    return _act(
        request,
        letter,
        lambda: annex_services.letter_annex_remove(actor=request.user, letter=letter, annex=annex),
        _("The annex is removed; the letter has a new version."),
        errors_key="annex_errors",
    )


@page
@require_POST
def annex_move(request, pk, annex_pk):
    letter = letter_for(request.user, pk)
    annex = get_object_or_404(letter.annexes, pk=annex_pk)
    ordered = [a.pk for a in letter.annexes.all()]
    step = -1 if request.POST.get("direction") == "up" else 1
    position = max(0, min(len(ordered) - 1, ordered.index(annex.pk) + step))
    return _act(
        request,
        letter,
        lambda: annex_services.letter_annex_move(
            actor=request.user, letter=letter, annex=annex, position=position
        ),
        _("The order of the annexes is changed; the letter has a new version."),
        errors_key="annex_errors",
    )


@page
@require_POST
def annex_mark(request, pk, recipient_pk):
    letter = letter_for(request.user, pk)
    recipient = get_object_or_404(letter.recipients, pk=recipient_pk)
    omitted = request.POST.get("omitted") == "1"
    return _act(
        request,
        letter,
        lambda: annex_services.letter_recipient_mark_annexes(
            actor=request.user, letter=letter, recipient=recipient, omitted=omitted
        ),
        _("“Ek konulmadı” is marked; the letter has a new version.")
        if omitted
        else _("The annexes are sent to this recipient again; the letter has a new version."),
        errors_key="annex_errors",
    )


def _stored_file(sha256, filename, content_type):
    try:
        return attachment_response(sha256, filename, content_type)
    except StorageCorruptionError:
        return HttpResponse(
            _("The stored file is damaged or missing; tell the system administrators."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )


@page
@require_GET
def annex_file(request, pk, annex_pk):
    """A file annex of a visible letter, as an attachment."""
    letter = letter_for(request.user, pk)
    annex = get_object_or_404(letter.annexes.exclude(sha256=""), pk=annex_pk)
    return _stored_file(annex.sha256, annex.filename, annex.content_type)


# -- dispatch ---------------------------------------------------------------------------


@page
@require_http_methods(["GET", "POST"])
def letter_eyp(request, pk, recipient_pk):
    """GET: download the .eyp made for the recipient. POST: make it (once) with the server's
    signing key, then download it from the letter page."""
    letter = letter_for(request.user, pk)
    recipient = get_object_or_404(letter.recipients, pk=recipient_pk)
    if request.method == "POST":

        def export():
            with configured_signer() as signer:
                dispatch_services.letter_export_eyp(
                    actor=request.user, letter=letter, recipient=recipient, signer=signer
                )

        return _act(
            request,
            letter,
            export,
            _("The e-Yazışma package is ready to download and send by KEP."),
            errors_key="dispatch_errors",
        )
    dispatch = dispatch_services.eyp_dispatch(
        actor=request.user, letter=letter, recipient=recipient
    )
    if dispatch is None:
        raise Http404
    return _stored_file(
        dispatch.package_sha256, f"{letter.sayi}.eyp", dispatch_services.EYP_CONTENT_TYPE
    )


@page
@require_POST
def letter_paper(request, pk):
    letter = letter_for(request.user, pk)
    if letter.status != LetterStatus.SIGNED:
        raise Forbidden(_("Only a signed letter is sent."))
    form = PaperDispatchForm(request.POST, prefix="paper", letter=letter)
    if not form.is_valid():
        return _page_with(request, letter, paper_form=form)
    data = form.cleaned_data
    return _act(
        request,
        letter,
        lambda: dispatch_services.letter_dispatch_paper(
            actor=request.user,
            letter=letter,
            recipient=data["recipient"],
            courier=data["courier"],
            courier_name=data["courier_name"],
            tracking_number=data["tracking_number"],
        ),
        _("The paper dispatch is recorded."),
        errors_key="dispatch_errors",
        paper_form=form,
    )


@page
@require_GET
def letter_print(request, pk):
    """The signed letter as PDF, inline, to print for a paper dispatch (with its
    verification code and QR code, a printout is verifiable; RYY art. 29)."""
    letter = letter_for(request.user, pk)
    if letter.status != LetterStatus.SIGNED:
        raise Http404
    try:
        pdf = signed_pdf_of(letter)
    except (DomainError, StorageCorruptionError) as exc:
        raise Http404 from exc
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{letter.sayi}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
