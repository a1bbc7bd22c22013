"""The public request form (no login) and the page its e-mailed link opens.

The form is CSRF-protected, rate-limited per address (a cache counter) and has a honeypot
field that people never see: a filled one is answered as if sent, and nothing is recorded.
The link's page confirms on a button (POST), not on opening: mail scanners open links.
Afterwards the same link follows the request: its state, the messages to the sender, an
answer, and the satisfaction question once closed.
"""

from django import forms
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from bilgiislem.core.errors import DomainError
from bilgiislem.core.forms import apply_domain_error

from ..choices import Category, EntryKind, TicketState
from ..models import PartnerOrganization
from ..services import intake, satisfaction
from ._pages import MultipleFileField, posted

HONEYPOT = "website"


class PublicRequestForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Your name"), max_length=200)
    email = forms.EmailField(
        label=gettext_lazy("Your e-mail address"),
        help_text=gettext_lazy("We send a link to confirm it; the request counts from then."),
    )
    phone = forms.CharField(label=gettext_lazy("Telephone"), max_length=50, required=False)
    organization = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"),
        queryset=PartnerOrganization.objects.none(),
        required=False,
        empty_label=gettext_lazy("— matched by my e-mail address / not listed —"),
        help_text=gettext_lazy(
            "Schools, muhtarlıks, associations and public bodies we support under an agreement."
        ),
    )
    category = forms.ChoiceField(label=gettext_lazy("Category"), choices=Category.choices)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    description = forms.CharField(
        label=gettext_lazy("Description"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("Plain text: what happens, since when, where."),
    )
    attachments = MultipleFileField(
        label=gettext_lazy("Attachments"),
        help_text=gettext_lazy("Up to 5 files: PDF, images, office documents."),
    )
    # The honeypot: hidden from people (CSS and aria), filled in by form-filling robots.
    website = forms.CharField(
        label=gettext_lazy("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = PartnerOrganization.objects.filter(active=True)


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Your message"), widget=forms.Textarea(attrs={"rows": 4})
    )


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=gettext_lazy("How satisfied are you with the solution?"),
        choices=[(i, str(i)) for i in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
        help_text=gettext_lazy("5: very satisfied, 1: not satisfied at all."),
    )
    comment = forms.CharField(
        label=gettext_lazy("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def too_many(request):
    return render(request, "servicedesk/public/too_many.html", status=429)


def _private(response):
    """The link's page carries a secret in its address: never cached, never sent onwards."""
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def public_form(request):
    """Anyone asks for help; the request waits for the e-mail confirmation."""
    data = posted(request)
    if data is not None and intake.over_limit(client_address(request)):
        return too_many(request)
    form = PublicRequestForm(data, request.FILES or None)
    if data is not None and form.is_valid():
        d = form.cleaned_data
        if d[HONEYPOT]:
            return redirect("servicedesk:public-sent")
        try:
            intake.public_request_submit(
                name=d["name"],
                email=d["email"],
                phone=d["phone"],
                organization=d["organization"],
                category=d["category"],
                title=d["title"],
                description=d["description"],
                attachments=d["attachments"],
                site_url=request.build_absolute_uri("/"),
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            return redirect("servicedesk:public-sent")
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "servicedesk/public/form.html", {"form": form}, status=status)


def public_sent(request):
    return render(request, "servicedesk/public/sent.html")


@require_http_methods(["GET", "POST"])
def public_confirm(request, token):
    """The e-mailed link: confirm (a button), then follow the request."""
    ticket = intake.public_request_for_token(token)
    if ticket is None:
        if intake.over_limit(client_address(request), scope="token"):
            return too_many(request)
        return _private(render(request, "servicedesk/public/unknown.html", status=404))
    action = request.POST.get("action") if request.method == "POST" else None
    reply_form = ReplyForm(request.POST if action == "reply" else None, prefix="reply")
    rating_form = RatingForm(request.POST if action == "rate" else None, prefix="rate")
    error, status = "", 200
    try:
        if action == "confirm":
            intake.public_request_confirm(token=token)
            return _private(redirect("servicedesk:public-confirm", token=token))
        if action == "reply" and reply_form.is_valid():
            intake.public_reply_add(token=token, text=reply_form.cleaned_data["text"])
            return _private(redirect("servicedesk:public-confirm", token=token))
        if action == "rate" and rating_form.is_valid():
            d = rating_form.cleaned_data
            satisfaction.satisfaction_give_by_token(
                token=token, score=d["score"], comment=d["comment"]
            )
            return _private(redirect("servicedesk:public-confirm", token=token))
    except DomainError as exc:
        form = reply_form if action == "reply" else rating_form
        if action == "confirm":
            error = " ".join(m for ms in exc.errors.values() for m in ms)
        else:
            apply_domain_error(form, exc)
        status = 400
    if action and (reply_form.errors or rating_form.errors):
        status = 400
    ticket.refresh_from_db()
    unconfirmed = ticket.state == TicketState.UNCONFIRMED
    context = {
        "ticket": ticket,
        "token": token,
        "unconfirmed": unconfirmed,
        "expired": intake.link_expired(ticket),
        "error": error,
        "entries": []
        if unconfirmed
        else ticket.entries.filter(kind__in=[EntryKind.MESSAGE, EntryKind.REPLY]).select_related(
            "author"
        ),
        "may_reply": ticket.state
        not in (
            TicketState.UNCONFIRMED,
            TicketState.CLOSED,
            TicketState.CANCELLED,
            TicketState.MERGED,
        ),
        "may_rate": ticket.state == TicketState.CLOSED and ticket.satisfaction is None,
        "reply_form": reply_form,
        "rating_form": rating_form,
    }
    return _private(render(request, "servicedesk/public/follow.html", context, status=status))
