"""Pages of licences, leased data lines and monitored devices (issue 7 points 7–9).

Bilgi İşlem staff see them; everyone else gets 404. Recording licences and lines is the
Director's and the Chief's (403 for other staff); the key is shown to them only, after a
POST (so it never sits in a URL or a cached GET), and each showing is audited.
"""

from django import forms
from django.contrib import messages
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bilgiislem.organization.models import Person
from bilgiislem.servicedesk.models import VendorContract

from ..choices import MONITORED_KINDS, AssetStatus, SiteKind
from ..models import Asset, ContractCoverage, DataLine, License, Site
from ..services import datalines as line_services
from ..services import devices as device_services
from ..services import licenses as license_services
from ..services._heads import is_head, is_it_staff
from ..services.expiry import expiring
from ._pages import page, posted, run_service


def _staff_only(request):
    if not is_it_staff(request.user):
        raise Http404


# ---------------------------------------------------------------- public sites overview


@page
def sites_overview(request):
    """The public sites (parks, hospitals, squares …) with their access points and screens:
    online or offline, last seen, the open request of a silent device. No map."""
    _staff_only(request)
    now = timezone.now()
    devices = list(
        Asset.objects.filter(kind__in=[str(k) for k in MONITORED_KINDS], site__isnull=False)
        .exclude(status=AssetStatus.WRITTEN_OFF)
        .select_related("site", "offline_ticket")
        .order_by("site__name", "kind", "sicil_no")
    )
    by_site: dict[int, list] = {}
    for device in devices:
        device.online = device_services.is_online(device, now)
        by_site.setdefault(device.site_id, []).append(device)
    sites = []
    for site in Site.objects.filter(Q(pk__in=by_site) | ~Q(kind=SiteKind.BUILDING)).filter(
        active=True
    ):
        rows = by_site.get(site.pk, [])
        sites.append(
            {
                "site": site,
                "devices": rows,
                "online": sum(1 for d in rows if d.online),
                "offline": sum(1 for d in rows if not d.online),
            }
        )
    return render(
        request,
        "assets/devices/sites.html",
        {
            "sites": sites,
            "threshold": device_services.offline_minutes(),
            "may_issue": is_it_staff(request.user),
        },
    )


@page
def device_token(request, pk):
    """Issue (or rotate) a device's heartbeat token; the token is shown once, here."""
    _staff_only(request)
    asset = get_object_or_404(Asset, pk=pk, kind__in=[str(k) for k in MONITORED_KINDS])
    token = None
    if request.method == "POST":
        form = forms.Form(request.POST)
        token = run_service(
            form, lambda: device_services.device_token_issue(actor=request.user, asset=asset)
        )
        if token is None:
            messages.error(request, " ".join(form.non_field_errors()))
            return redirect("assets:sites-overview")
    return render(request, "assets/devices/token.html", {"asset": asset, "token": token})


# ---------------------------------------------------------------- licences


class LicenseForm(forms.Form):
    product = forms.CharField(label=gettext_lazy("Product"), max_length=200)
    vendor = forms.CharField(label=gettext_lazy("Vendor"), max_length=200, required=False)
    seats = forms.IntegerField(label=gettext_lazy("Seats"), min_value=1)
    key = forms.CharField(
        label=gettext_lazy("Licence key"),
        max_length=2000,
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=gettext_lazy("Kept encrypted; shown only to the Director and the Chief."),
    )
    valid_until = forms.DateField(
        label=gettext_lazy("Valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    contract = forms.ModelChoiceField(
        label=gettext_lazy("Contract"), queryset=VendorContract.objects.all(), required=False
    )


class AssignForm(forms.Form):
    asset = forms.CharField(
        label=gettext_lazy("Asset's sicil number"), max_length=60, required=False
    )
    person = forms.CharField(
        label=gettext_lazy("Person's user name"), max_length=150, required=False
    )

    def targets(self):
        data = self.cleaned_data
        asset = person = None
        if data.get("asset"):
            asset = Asset.objects.filter(sicil_no=data["asset"].strip()).first()
            if asset is None:
                self.add_error("asset", _("No asset has this sicil number."))
        if data.get("person"):
            person = Person.objects.filter(username=data["person"].strip(), is_active=True).first()
            if person is None:
                self.add_error("person", _("No active person has this user name."))
        return asset, person


@page
def license_list(request):
    _staff_only(request)
    form = LicenseForm(posted(request))
    if request.method == "POST" and form.is_valid():
        made = run_service(
            form,
            lambda: license_services.license_create(actor=request.user, **form.cleaned_data),
        )
        if made is not None:
            messages.success(request, _("The licence is recorded."))
            return redirect("assets:license-detail", made.pk)
    licences = License.objects.select_related("contract").annotate(
        used=Count("assignments", filter=Q(assignments__ended_at__isnull=True))
    )
    return render(
        request,
        "assets/devices/licenses.html",
        {
            "licences": licences,
            "form": form,
            "may_record": is_head(request.user),
            "ending": expiring(),
        },
    )


@page
def license_detail(request, pk):
    _staff_only(request)
    licence = get_object_or_404(License.objects.select_related("contract"), pk=pk)
    form = AssignForm(posted(request))
    if request.method == "POST" and form.is_valid():
        asset, person = form.targets()
        if form.is_valid():
            done = run_service(
                form,
                lambda: license_services.license_assign(
                    actor=request.user, license=licence, asset=asset, person=person
                ),
            )
            if done is not None:
                messages.success(request, _("The seat is assigned."))
                return redirect("assets:license-detail", licence.pk)
    return render(
        request,
        "assets/devices/license_detail.html",
        {
            "licence": licence,
            "assignments": licence.assignments.filter(ended_at__isnull=True).select_related(
                "asset", "person"
            ),
            "used": license_services.seats_used(licence),
            "form": form,
            "may_read_key": is_head(request.user),
        },
    )


@page
def license_key(request, pk):
    """POST only: the key in clear for the Director or the Chief (audited)."""
    _staff_only(request)
    licence = get_object_or_404(License, pk=pk)
    if request.method != "POST":
        return redirect("assets:license-detail", licence.pk)
    form = forms.Form(request.POST)
    key = run_service(
        form, lambda: license_services.license_key(actor=request.user, license=licence)
    )
    return render(
        request,
        "assets/devices/license_key.html",
        {"licence": licence, "key": key, "errors": form.non_field_errors()},
    )


@page
def license_unassign(request, pk, assignment):
    _staff_only(request)
    licence = get_object_or_404(License, pk=pk)
    row = get_object_or_404(licence.assignments, pk=assignment, ended_at__isnull=True)
    if request.method == "POST":
        form = forms.Form(request.POST)
        if run_service(
            form, lambda: license_services.license_unassign(actor=request.user, assignment=row)
        ):
            messages.success(request, _("The seat is free again."))
    return redirect("assets:license-detail", licence.pk)


# ---------------------------------------------------------------- data lines


class DataLineForm(forms.Form):
    provider = forms.CharField(label=gettext_lazy("Provider"), max_length=200)
    circuit_id = forms.CharField(label=gettext_lazy("Circuit id"), max_length=100)
    site_a = forms.ModelChoiceField(label=gettext_lazy("From site"), queryset=Site.objects.all())
    site_b = forms.ModelChoiceField(label=gettext_lazy("To site"), queryset=Site.objects.all())
    speed_mbps = forms.IntegerField(label=gettext_lazy("Speed (Mbit/s)"), min_value=1)
    contract_number = forms.CharField(
        label=gettext_lazy("Contract number"), max_length=100, required=False
    )
    monthly_cost = forms.DecimalField(
        label=gettext_lazy("Monthly cost"),
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
    )
    installed_on = forms.DateField(
        label=gettext_lazy("Installed on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    ends_on = forms.DateField(
        label=gettext_lazy("Contract ends on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class OutageForm(forms.Form):
    provider_ticket = forms.CharField(
        label=gettext_lazy("Provider's ticket number"), max_length=100, required=False
    )
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


@page
def data_lines(request):
    _staff_only(request)
    form = DataLineForm(posted(request))
    if request.method == "POST" and form.is_valid():
        made = run_service(
            form, lambda: line_services.dataline_create(actor=request.user, **form.cleaned_data)
        )
        if made is not None:
            messages.success(request, _("The line is recorded."))
            return redirect("assets:data-lines")
    lines = list(DataLine.objects.select_related("site_a", "site_b"))
    for line in lines:
        line.current_outage = line_services.open_outage(line)
    return render(
        request,
        "assets/devices/data_lines.html",
        {"lines": lines, "form": form, "may_record": is_head(request.user)},
    )


@page
def data_line_outage(request, pk):
    """Report an outage (opens a service-desk request) or, with ``end``, close it."""
    _staff_only(request)
    line = get_object_or_404(DataLine.objects.select_related("site_a", "site_b"), pk=pk)
    form = OutageForm(posted(request))
    if request.method == "POST" and "end" in request.POST:
        outage = line_services.open_outage(line)
        if outage is not None and run_service(
            form, lambda: line_services.dataline_outage_end(actor=request.user, outage=outage)
        ):
            messages.success(request, _("The outage is over."))
        return redirect("assets:data-lines")
    if request.method == "POST" and form.is_valid():
        outage = run_service(
            form,
            lambda: line_services.dataline_outage_report(
                actor=request.user, line=line, **form.cleaned_data
            ),
        )
        if outage is not None:
            messages.success(
                request,
                _("Service request %(number)s is opened.") % {"number": outage.ticket.number_label},
            )
            return redirect("assets:data-lines")
    return render(request, "assets/devices/outage.html", {"line": line, "form": form})


# ---------------------------------------------------------------- contract coverage


class CoverageForm(forms.Form):
    contract = forms.ModelChoiceField(
        label=gettext_lazy("Contract"), queryset=VendorContract.objects.all()
    )
    asset = forms.CharField(label=gettext_lazy("Asset's sicil number"), max_length=60)


@page
def contracts(request):
    """Maintenance and support contracts with the assets they cover (6(ğ))."""
    _staff_only(request)
    form = CoverageForm(posted(request))
    if request.method == "POST" and "remove" in request.POST:
        coverage = get_object_or_404(ContractCoverage, pk=request.POST.get("remove"))
        if run_service(
            form,
            lambda: (
                license_services.contract_uncover(actor=request.user, coverage=coverage) or True
            ),
        ):
            messages.success(request, _("The coverage is removed."))
        return redirect("assets:contracts")
    if request.method == "POST" and form.is_valid():
        asset = Asset.objects.filter(sicil_no=form.cleaned_data["asset"].strip()).first()
        if asset is None:
            form.add_error("asset", _("No asset has this sicil number."))
        elif run_service(
            form,
            lambda: license_services.contract_cover(
                actor=request.user, contract=form.cleaned_data["contract"], asset=asset
            ),
        ):
            messages.success(request, _("The contract covers the asset."))
            return redirect("assets:contracts")
    rows = VendorContract.objects.prefetch_related(
        Prefetch(
            "covered_assets",
            queryset=ContractCoverage.objects.select_related("asset").order_by("asset__sicil_no"),
        )
    ).order_by("vendor", "-valid_from")
    return render(
        request,
        "assets/devices/contracts.html",
        {"contracts": rows, "form": form, "may_record": is_head(request.user)},
    )
