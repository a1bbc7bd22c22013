"""Needs: a unit submits; Bilgi İşlem's Director or Chief assesses; the yearly list as CSV."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bilgiislem.organization.models import OrgUnit

from .. import permissions
from ..choices import NeedKind, NeedState
from ..services import needs as services
from ._pages import Forbidden, page, posted, run_service


class NeedForm(forms.Form):
    unit = forms.ModelChoiceField(label=gettext_lazy("Unit"), queryset=OrgUnit.objects.none())
    year = forms.IntegerField(label=gettext_lazy("Budget year"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=NeedKind.choices)
    description = forms.CharField(label=gettext_lazy("Description"), max_length=500)
    quantity = forms.IntegerField(label=gettext_lazy("Quantity"), min_value=1, initial=1)
    justification = forms.CharField(
        label=gettext_lazy("Justification"), widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.filter(pk__in=services.units_for_needs(user))


class AssessForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            ("accept", gettext_lazy("Accept into the needs list")),
            ("reject", gettext_lazy("Do not accept")),
        ],
    )
    estimated_unit_cost = forms.DecimalField(
        label=gettext_lazy("Estimated unit cost (TL)"),
        min_value=0,
        decimal_places=2,
        required=False,
    )
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


def _year(request) -> int:
    try:
        return int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year + 1


@page
def need_list(request):
    year = _year(request)
    rows = services.needs_visible(request.user).filter(year=year)
    return render(
        request,
        "assets/need_list.html",
        {
            "year": year,
            "rows": rows.order_by("state", "unit__name", "-submitted_at"),
            "may_assess": permissions.can_assess_needs(request.user),
            "may_submit": services.may_submit_needs(request.user),
            "may_export": permissions.is_asset_staff(request.user),
        },
    )


@page
def need_new(request):
    if not services.may_submit_needs(request.user):
        raise Forbidden()
    initial = {"year": timezone.localdate().year + 1}
    form = NeedForm(posted(request), user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        need = run_service(
            form, lambda: services.need_submit(actor=request.user, **form.cleaned_data)
        )
        if need is not None:
            messages.success(request, _("The need was submitted."))
            return redirect("assets:need-detail", pk=need.pk)
    return render(request, "assets/need_form.html", {"form": form})


@page
def need_detail(request, pk):
    need = services.needs_visible(request.user).filter(pk=pk).first()
    if need is None:
        raise Http404
    may_assess = permissions.can_assess_needs(request.user) and need.state == NeedState.SUBMITTED
    form = AssessForm(posted(request)) if may_assess else None
    if request.method == "POST":
        if not may_assess:
            raise Forbidden()
        if form.is_valid():
            data = form.cleaned_data
            done = run_service(
                form,
                lambda: services.need_assess(
                    actor=request.user,
                    need=need,
                    accept=data["decision"] == "accept",
                    estimated_unit_cost=data["estimated_unit_cost"],
                    note=data["note"],
                ),
            )
            if done is not None:
                messages.success(request, _("The need was assessed."))
                return redirect("assets:need-detail", pk=need.pk)
    return render(request, "assets/need_detail.html", {"need": need, "form": form})


@page
def need_list_csv(request, year):
    if not permissions.is_asset_staff(request.user):
        raise Http404
    response = HttpResponse(
        "\ufeff" + services.needs_list_csv(year), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="ihtiyac-listesi-{year}.csv"'
    return response
