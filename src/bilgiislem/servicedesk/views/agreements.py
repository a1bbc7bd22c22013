"""Service agreement and partner organisation pages (hizmet protokolleri; issue 6 point 2),
and accepting a request that has no valid agreement.

Anyone posted in Bilgi İşlem reads them; the Director and the Chief change them (403 for the
other readers with the reason); everyone else gets 404 — the pages do not exist for them.
"""

from __future__ import annotations

import re

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.organization.models import Person
from bilgiislem.registry.models import Document

from ..choices import OPEN_STATES, Category, PartnerKind, Priority
from ..models import PartnerMember, PartnerOrganization, ServiceAgreement
from ..querysets import ticket_get_for_user
from ..services import agreements as services
from ..services.sla import ticket_accept
from ._pages import Forbidden, page, posted, run_service

PER_PAGE = 50
_LABEL = re.compile(r"^\s*(?:(\d{4})\s*/\s*)?(\d{1,9})\s*$")


def _readable(request) -> None:
    if not services.may_view_agreements(request.user):
        raise Http404(_("No such page."))


def _manager(request) -> None:
    _readable(request)
    if not services.may_manage_agreements(request.user):
        raise Forbidden(_("Only the Director or the Chief of the directorate keeps these records."))


# ---------------------------------------------------------------- forms


class AgreementForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300, required=False)
    organization = forms.ModelChoiceField(
        label=gettext_lazy("Partner organisation"),
        queryset=PartnerOrganization.objects.none(),
        required=False,
    )
    is_internal_default = forms.BooleanField(
        label=gettext_lazy("Default agreement for municipal units"),
        required=False,
        help_text=gettext_lazy("Serves the municipality's own units; no partner organisation."),
    )
    protocol = forms.CharField(
        label=gettext_lazy("Registered protocol"),
        max_length=30,
        required=False,
        help_text=gettext_lazy("Registry number of the signed protocol, e.g. 2026/145."),
    )
    categories = forms.MultipleChoiceField(
        label=gettext_lazy("Services covered"),
        choices=Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("None ticked: every category."),
    )
    valid_from = forms.DateField(
        label=gettext_lazy("Valid from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    valid_until = forms.DateField(
        label=gettext_lazy("Valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("Empty: until it is ended."),
    )
    work_start = forms.TimeField(
        label=gettext_lazy("Working hours start"),
        initial="08:30",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    work_end = forms.TimeField(
        label=gettext_lazy("Working hours end"),
        initial="17:30",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=gettext_lazy("On a half-day eve (arife) work ends at 13:00 at the latest."),
    )
    contacts = forms.CharField(
        label=gettext_lazy("Contacts"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = PartnerOrganization.objects.filter(active=True)
        for value, label in Priority.choices:
            self.fields[f"response_minutes_{value}"] = forms.IntegerField(
                label=_("%(priority)s: respond within (working minutes)") % {"priority": label},
                required=False,
            )
            self.fields[f"resolution_minutes_{value}"] = forms.IntegerField(
                label=_("%(priority)s: resolve within (working minutes)") % {"priority": label},
                required=False,
                help_text=_("A working day of 08:30–17:30 is 540 minutes."),
            )

    def target_pairs(self):
        """``{priority: (response, resolution)}``; a priority with both empty has none."""
        data = self.cleaned_data
        targets = {}
        for value in Priority.values:
            response = data.get(f"response_minutes_{value}")
            resolution = data.get(f"resolution_minutes_{value}")
            if response is None and resolution is None:
                continue
            if response is None or resolution is None:
                missing = "response" if response is None else "resolution"
                self.add_error(f"{missing}_minutes_{value}", _("Give both targets, or neither."))
                continue
            targets[value] = (response, resolution)
        return targets


def protocol_lookup(user, text: str):
    """The registered document a person means by "2026/145" (among those they may see)."""
    text = (text or "").strip()
    if not text:
        return None
    match = _LABEL.match(text)
    if not match:
        raise DomainError(_("Give the registry number as year/number."), field="protocol")
    year, number = match.groups()
    documents = Document.objects.visible_to(user).filter(registry_number=int(number))
    if year:
        documents = documents.filter(registry_year=int(year))
    found = list(documents[:2])
    if len(found) != 1:
        raise DomainError(
            _("Choose a registered document you may see.")
            if not found
            else _("Several registries have this number; give the year too."),
            field="protocol",
        )
    return found[0]


class PartnerOrgForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=300, required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=PartnerKind.choices)
    identifier = forms.CharField(label=gettext_lazy("DETSİS / VKN"), max_length=16, required=False)
    email_domain = forms.CharField(
        label=gettext_lazy("E-mail domain"),
        max_length=100,
        required=False,
        help_text=gettext_lazy(
            "Public-form requests from this domain are matched to the organisation."
        ),
    )
    address = forms.CharField(label=gettext_lazy("Address"), max_length=500, required=False)
    phone = forms.CharField(label=gettext_lazy("Telephone"), max_length=50, required=False)
    active = forms.BooleanField(label=gettext_lazy("Active"), required=False, initial=True)


class MemberForm(forms.Form):
    username = forms.CharField(
        label=gettext_lazy("User name"),
        max_length=150,
        required=False,
        help_text=gettext_lazy("The person's account, created by the people administrator."),
    )


# ---------------------------------------------------------------- agreements


@page
def agreement_list(request):
    _readable(request)
    today = timezone.localdate()
    show = request.GET.get("show", "current")
    agreements = ServiceAgreement.objects.select_related("organization", "protocol").annotate(
        open_count=Count("tickets", filter=Q(tickets__state__in=[str(s) for s in OPEN_STATES]))
    )
    if show != "all":
        agreements = agreements.filter(valid_from__lte=today).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=today)
        )
    paged = Paginator(
        agreements.order_by("-is_internal_default", "organization__name", "-valid_from", "pk"),
        PER_PAGE,
    ).get_page(request.GET.get("page"))
    context = {
        "agreements": paged,
        "show": show,
        "today": today,
        "may_manage": services.may_manage_agreements(request.user),
    }
    return render(request, "servicedesk/agreements/list.html", context)


def _agreement_initial(agreement: ServiceAgreement) -> dict:
    initial = {
        name: getattr(agreement, name)
        for name in (
            "title",
            "is_internal_default",
            "categories",
            "valid_from",
            "valid_until",
            "work_start",
            "work_end",
            "contacts",
        )
    }
    initial["organization"] = agreement.organization_id
    initial["protocol"] = agreement.protocol.number_label if agreement.protocol_id else ""
    for target in agreement.targets.all():
        initial[f"response_minutes_{target.priority}"] = target.response_minutes
        initial[f"resolution_minutes_{target.priority}"] = target.resolution_minutes
    return initial


def _save_agreement(request, form, agreement=None):
    targets = form.target_pairs()
    if form.errors:
        return None
    data = {
        name: form.cleaned_data[name]
        for name in (
            "title",
            "organization",
            "is_internal_default",
            "categories",
            "valid_from",
            "valid_until",
            "work_start",
            "work_end",
            "contacts",
        )
    }

    def call():
        data["protocol"] = protocol_lookup(request.user, form.cleaned_data["protocol"])
        if agreement is None:
            return services.agreement_create(actor=request.user, targets=targets, **data)
        return services.agreement_update(
            actor=request.user, agreement=agreement, targets=targets, **data
        )

    return run_service(form, call)


@page
def agreement_new(request):
    _manager(request)
    initial = {}
    if request.GET.get("organization", "").isdigit():
        initial["organization"] = int(request.GET["organization"])
    form = AgreementForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        agreement = _save_agreement(request, form)
        if agreement is not None:
            messages.success(request, _("The agreement is recorded."))
            return redirect("servicedesk:agreement-detail", agreement.pk)
    return render(request, "servicedesk/agreements/form.html", {"form": form})


@page
def agreement_detail(request, pk):
    _readable(request)
    agreement = get_object_or_404(
        ServiceAgreement.objects.select_related("organization", "protocol", "created_by"), pk=pk
    )
    targets = {t.priority: t for t in agreement.targets.all()}
    rows = [(label, targets.get(value)) for value, label in Priority.choices]
    tickets = agreement.tickets.aggregate(
        open=Count("id", filter=Q(state__in=[str(s) for s in OPEN_STATES])),
        total=Count("id"),
        breached=Count("id", filter=Q(resolution_breached=True)),
    )
    context = {
        "agreement": agreement,
        "rows": rows,
        "tickets": tickets,
        "in_force": services.agreement_in_force(agreement, timezone.localdate()),
        "categories": [Category(c).label for c in agreement.categories],
        "may_manage": services.may_manage_agreements(request.user),
        "protocol_visible": agreement.protocol_id is not None
        and Document.objects.visible_to(request.user).filter(pk=agreement.protocol_id).exists(),
    }
    return render(request, "servicedesk/agreements/detail.html", context)


@page
def agreement_edit(request, pk):
    _manager(request)
    agreement = get_object_or_404(ServiceAgreement.objects.select_related("protocol"), pk=pk)
    form = AgreementForm(posted(request), initial=_agreement_initial(agreement))
    if request.method == "POST" and form.is_valid():
        saved = _save_agreement(request, form, agreement)
        if saved is not None:
            messages.success(request, _("The agreement is saved."))
            return redirect("servicedesk:agreement-detail", agreement.pk)
    return render(
        request, "servicedesk/agreements/form.html", {"form": form, "agreement": agreement}
    )


# ---------------------------------------------------------------- partner organisations


@page
def partner_org_list(request):
    _readable(request)
    organizations = PartnerOrganization.objects.annotate(
        member_count=Count("members", filter=Q(members__active=True), distinct=True),
        agreement_count=Count("agreements", distinct=True),
    ).order_by("-active", "name")
    kind = request.GET.get("kind", "")
    if kind in PartnerKind.values:
        organizations = organizations.filter(kind=kind)
    paged = Paginator(organizations, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "organizations": paged,
        "kind": kind,
        "kinds": PartnerKind.choices,
        "may_manage": services.may_manage_agreements(request.user),
    }
    return render(request, "servicedesk/agreements/partner_list.html", context)


@page
def partner_org_new(request):
    _manager(request)
    form = PartnerOrgForm(posted(request))
    if request.method == "POST" and form.is_valid():
        organization = run_service(
            form, lambda: services.partner_org_create(actor=request.user, **form.cleaned_data)
        )
        if organization is not None:
            messages.success(request, _("The organisation is recorded."))
            return redirect("servicedesk:partner-org-detail", organization.pk)
    return render(request, "servicedesk/agreements/partner_form.html", {"form": form})


@page
def partner_org_edit(request, pk):
    _manager(request)
    organization = get_object_or_404(PartnerOrganization, pk=pk)
    initial = {name: getattr(organization, name) for name in services.ORG_FIELDS}
    form = PartnerOrgForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            lambda: services.partner_org_update(
                actor=request.user, organization=organization, **form.cleaned_data
            ),
        )
        if saved is not None:
            messages.success(request, _("The organisation is saved."))
            return redirect("servicedesk:partner-org-detail", organization.pk)
    return render(
        request,
        "servicedesk/agreements/partner_form.html",
        {"form": form, "organization": organization},
    )


@page
def partner_org_detail(request, pk):
    _readable(request)
    organization = get_object_or_404(PartnerOrganization, pk=pk)
    may_manage = services.may_manage_agreements(request.user)
    form = MemberForm(posted(request)) if may_manage else None
    if request.method == "POST":
        if not may_manage:
            raise Forbidden(_("Only the Director or the Chief gives partner accounts."))
        if form.is_valid():
            username = form.cleaned_data["username"].strip()
            person = Person.objects.filter(username=username).first() if username else None

            def add():
                if person is None:
                    raise DomainError(_("No account has this user name."), field="username")
                return services.partner_member_add(
                    actor=request.user, organization=organization, person=person
                )

            member = run_service(form, add)
            if member is not None:
                messages.success(request, _("The partner account is added."))
                return redirect("servicedesk:partner-org-detail", organization.pk)
    context = {
        "organization": organization,
        "members": organization.members.select_related("person").order_by("-active", "pk"),
        "agreements": organization.agreements.order_by("-valid_from"),
        "today": timezone.localdate(),
        "may_manage": may_manage,
        "form": form,
    }
    return render(request, "servicedesk/agreements/partner_detail.html", context)


@page
@require_POST
def partner_member_toggle(request, pk):
    _readable(request)
    member = get_object_or_404(PartnerMember.objects.select_related("person"), pk=pk)
    try:
        services.partner_member_set_active(
            actor=request.user, member=member, active=not member.active
        )
    except PermissionDeniedError as exc:
        raise Forbidden(" ".join(m for ms in exc.errors.values() for m in ms)) from exc
    if member.active:
        messages.success(request, _("The partner account is suspended."))
    else:
        messages.success(request, _("The partner account is restored."))
    return redirect("servicedesk:partner-org-detail", member.organization_id)


# ---------------------------------------------------------------- acceptance


@page
@require_POST
def ticket_accept_view(request, pk):
    """The Director or the Chief accepts a request that has no valid agreement."""
    ticket = ticket_get_for_user(request.user, pk)
    try:
        ticket_accept(actor=request.user, ticket=ticket)
    except PermissionDeniedError as exc:
        raise Forbidden(" ".join(m for ms in exc.errors.values() for m in ms)) from exc
    except DomainError as exc:
        messages.error(request, " ".join(m for ms in exc.errors.values() for m in ms))
    else:
        messages.success(request, _("The request is accepted; its clock has started."))
    return redirect("servicedesk:ticket-detail", ticket.pk)
