"""Drafting pages: a new letter and a change to a draft (a new version)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.core.forms import apply_domain_error

from .. import services
from ..choices import LetterStatus
from ..forms import LetterForm, RecipientFormSet, recipients_of
from .common import Forbidden, letter_for, page, refusal


def _initial(letter) -> tuple[dict, list[dict]]:
    refs = [r.document for r in letter.references.select_related("document")]
    form = {
        "subject": letter.subject,
        "sdp_code": letter.sdp_code,
        "secrecy": letter.secrecy,
        "urgency": letter.urgency,
        "urgency_date": letter.urgency_date,
        "body": letter.body,
        "references": "\n".join(d.sayi or d.number_label for d in refs),
        "reply_to": (letter.reply_to.sayi or letter.reply_to.number_label)
        if letter.reply_to_id
        else "",
    }
    rows = [
        {
            "kind": r.kind,
            "unit": r.unit_id,
            "name": r.name,
            "identifier": r.identifier,
            "purpose": r.purpose,
        }
        for r in letter.recipients.all()
    ]
    return form, rows


def _save(request, form, formset, call):
    """Run the service; bad input lands on the form (recipients above their rows)."""
    if not (form.is_valid() and formset.is_valid()):
        return None, []
    try:
        return call(form.cleaned_data, recipients_of(formset)), []
    except PermissionDeniedError as exc:
        raise Forbidden(refusal(exc)) from exc
    except DomainError as exc:
        recipient_errors = exc.errors.pop("recipients", [])
        apply_domain_error(form, exc)
        return None, recipient_errors


def _page(request, form, formset, recipient_errors, letter=None, status=200):
    return render(
        request,
        "correspondence/letter_form.html",
        {
            "form": form,
            "formset": formset,
            "recipient_errors": recipient_errors,
            "letter": letter,
        },
        status=status,
    )


@page
def letter_create(request):
    data = request.POST if request.method == "POST" else None
    form = LetterForm(data, user=request.user)
    formset = RecipientFormSet(data, prefix="recipients")
    if data is None:
        return _page(request, form, formset, [])
    letter, recipient_errors = _save(
        request,
        form,
        formset,
        lambda d, recipients: services.letter_create(
            actor=request.user,
            subject=d["subject"],
            body=d["body"],
            sdp_code=d["sdp_code"],
            recipients=recipients,
            references=d["references"],
            secrecy=d["secrecy"],
            urgency=d["urgency"],
            urgency_date=d["urgency_date"],
            reply_to=d["reply_to"],
        ),
    )
    if letter is not None:
        messages.success(request, _("The draft is saved."))
        return redirect("correspondence:letter-detail", pk=letter.pk)
    return _page(request, form, formset, recipient_errors, status=400)


@page
def letter_edit(request, pk):
    letter = letter_for(request.user, pk)
    if letter.prepared_by_id != request.user.pk or letter.status not in {
        LetterStatus.DRAFT,
        LetterStatus.RETURNED,
    }:
        raise Forbidden(_("Only the preparer changes a draft, and not while it is in approval."))
    if request.method != "POST":
        initial, rows = _initial(letter)
        form = LetterForm(initial=initial, user=request.user)
        formset = RecipientFormSet(initial=rows, prefix="recipients")
        return _page(request, form, formset, [], letter)
    form = LetterForm(request.POST, user=request.user)
    formset = RecipientFormSet(request.POST, prefix="recipients")
    saved, recipient_errors = _save(
        request,
        form,
        formset,
        lambda d, recipients: services.letter_update(
            actor=request.user,
            letter=letter,
            subject=d["subject"],
            body=d["body"],
            sdp_code=d["sdp_code"],
            recipients=recipients,
            references=d["references"],
            secrecy=d["secrecy"],
            urgency=d["urgency"],
            urgency_date=d["urgency_date"],
        ),
    )
    if saved is not None:
        messages.success(request, _("A new version of the draft is saved."))
        return redirect("correspondence:letter-detail", pk=letter.pk)
    return _page(request, form, formset, recipient_errors, letter, status=400)
