"""The letter page, its actions (send, paraf, return, sign) and the draft preview."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bilgiislem.core.errors import DomainError, PermissionDeniedError

from .. import letter_pdf, rules, services
from ..choices import LetterStatus, StepKind, StepStatus
from ..forms import ApproveForm, ReturnForm, SubmitForm
from ..services.paraf import step_paraf
from ..services.signing import letter_content
from ..signers import configured_signer
from .common import Forbidden, letter_for, page, refusal
from .dispatch import sections_context

EDITABLE = {LetterStatus.DRAFT, LetterStatus.RETURNED}


def _my_turn(user, letter):
    """(current step, the label the person acts under) or (step, None)."""
    if letter.status != LetterStatus.IN_APPROVAL:
        return None, None
    step = services.current_step(letter)
    return step, (services.can_act(user, step) if step else None)


def _context(request, letter, **forms):
    step, label = _my_turn(request.user, letter)
    preparer = letter.prepared_by_id == request.user.pk
    steps = list(
        letter.steps.select_related("position", "person", "acted_by", "delegation").order_by(
            "order"
        )
    )
    context = {
        "letter": letter,
        "recipients": list(letter.recipients.select_related("unit")),
        "references": list(letter.references.select_related("document")),
        "steps": steps,
        "current": step,
        "comments": [s for s in steps if s.comment],
        "versions": list(letter.versions.select_related("created_by").order_by("-number")),
        "can_edit": preparer and letter.status in EDITABLE,
        "can_submit": preparer and letter.status in EDITABLE,
        "acting_as": label,
        "StepStatus": StepStatus,
        # The rule check is shown until the letter is signed (it blocks signing).
        "rule_violations": rules.check_letter(letter)
        if letter.status != LetterStatus.SIGNED
        else [],
    }
    if context["can_submit"]:
        context["submit_form"] = forms.get("submit_form") or SubmitForm(
            letter=letter, prefix="submit"
        )
    if label is not None:
        if step.kind == StepKind.SIGNATURE:
            context["can_sign"] = True
        else:
            context["approve_form"] = forms.get("approve_form") or ApproveForm(prefix="approve")
        context["return_form"] = forms.get("return_form") or ReturnForm(prefix="return")
    context["action_errors"] = forms.get("errors", [])
    context.update(sections_context(request, letter, forms))
    return context


@page
def letter_detail(request, pk):
    letter = letter_for(request.user, pk)
    return render(request, "correspondence/letter_detail.html", _context(request, letter))


def _run(request, letter, call, message, **forms):
    try:
        call()
    except PermissionDeniedError as exc:
        raise Forbidden(refusal(exc)) from exc
    except DomainError as exc:
        context = _context(request, letter, errors=[refusal(exc)], **forms)
        return render(request, "correspondence/letter_detail.html", context, status=400)
    messages.success(request, message)
    return redirect("correspondence:letter-detail", pk=letter.pk)


@page
@require_POST
def letter_submit(request, pk):
    letter = letter_for(request.user, pk)
    form = SubmitForm(request.POST, letter=letter, prefix="submit")
    if not form.is_valid():
        context = _context(request, letter, submit_form=form)
        return render(request, "correspondence/letter_detail.html", context, status=400)
    return _run(
        request,
        letter,
        lambda: services.letter_submit(
            actor=request.user, letter=letter, coordination=form.cleaned_data["coordination"]
        ),
        _("The letter is sent for approval."),
        submit_form=form,
    )


@page
@require_POST
def letter_approve(request, pk):
    letter = letter_for(request.user, pk)
    form = ApproveForm(request.POST, prefix="approve")
    if not form.is_valid():
        raise Forbidden()
    return _run(
        request,
        letter,
        lambda: step_paraf(actor=request.user, letter=letter, comment=form.cleaned_data["comment"]),
        _("Your paraf is recorded."),
    )


@page
@require_POST
def letter_return(request, pk):
    letter = letter_for(request.user, pk)
    _step, label = _my_turn(request.user, letter)
    if label is None:
        raise Forbidden(_("It is not your turn on this letter."))
    form = ReturnForm(request.POST, prefix="return")
    if not form.is_valid():
        context = _context(request, letter, return_form=form)
        return render(request, "correspondence/letter_detail.html", context, status=400)
    return _run(
        request,
        letter,
        lambda: services.step_return(
            actor=request.user, letter=letter, comment=form.cleaned_data["comment"]
        ),
        _("The letter is returned to the preparer."),
    )


@page
@require_POST
def letter_sign(request, pk):
    letter = letter_for(request.user, pk)
    step, label = _my_turn(request.user, letter)
    if label is None or step.kind != StepKind.SIGNATURE:
        # Checked before the key is opened: someone else's signature is a refusal (403),
        # never a question of whether a key is configured.
        raise Forbidden(_("It is not your turn to sign this letter."))

    def sign():
        with configured_signer() as signer:
            services.letter_sign(actor=request.user, letter=letter, signer=signer)

    return _run(request, letter, sign, _("The letter is signed and registered as outgoing."))


@page
def letter_preview(request, pk):
    """The draft as PDF (no Sayı, no signature), inline."""
    letter = letter_for(request.user, pk)
    pdf = letter_pdf.render_letter(letter_content(letter, signed=False))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="taslak-{letter.pk}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
