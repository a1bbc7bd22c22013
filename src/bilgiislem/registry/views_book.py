"""The register book page (Kayıt Defteri): pick a registry and a period, read it, print it.

Wired as ``registry:register-book``; ``?format=pdf`` and ``?format=csv`` download the same
rows. The page is a GET form, so the period is in the URL and a printed link can be shared.
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bilgiislem.core.errors import DomainError
from bilgiislem.core.forms import apply_domain_error
from bilgiislem.organization.choices import UnitKind
from bilgiislem.organization.models import OrgUnit

from .book import (
    COLUMNS,
    may_read_book,
    register_book_csv,
    register_book_pdf,
    register_book_rows,
)
from .choices import Direction
from .filters import DATE_INPUT_FORMATS


def book_registries(user) -> list[OrgUnit]:
    """The registries (directorates) whose book the person may read."""
    candidates = OrgUnit.objects.filter(kind=UnitKind.MUDURLUK, valid_to__isnull=True)
    return [r for r in candidates.prefetch_related("children") if may_read_book(user, r)]


class RegisterBookForm(forms.Form):
    registry = forms.ModelChoiceField(
        label=gettext_lazy("Registry"), queryset=OrgUnit.objects.none(), empty_label=None
    )
    date_from = forms.DateField(label=gettext_lazy("From"), input_formats=DATE_INPUT_FORMATS)
    date_to = forms.DateField(label=gettext_lazy("Until"), input_formats=DATE_INPUT_FORMATS)
    direction = forms.ChoiceField(
        label=gettext_lazy("Direction"),
        choices=[("", gettext_lazy("Incoming and outgoing")), *Direction.choices],
        required=False,
    )

    def __init__(self, *args, registries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registry"].queryset = OrgUnit.objects.filter(pk__in=[r.pk for r in registries])


def _filename(data, extension: str) -> str:
    return "kayit-defteri-{}-{}-{}.{}".format(
        data["registry"].code, data["date_from"].isoformat(), data["date_to"].isoformat(), extension
    )


@login_required
def register_book(request):
    """The register book of a registry for a period, with PDF and CSV downloads."""
    registries = book_registries(request.user)
    if not registries:
        raise Http404(_("You may not read any registry's book."))
    today = timezone.localdate()
    params = request.GET.copy()
    if "registry" not in params:
        params.setdefault("registry", str(registries[0].pk))
        params.setdefault("date_from", today.replace(day=1).strftime("%d.%m.%Y"))
        params.setdefault("date_to", today.strftime("%d.%m.%Y"))
    form = RegisterBookForm(params, registries=registries)
    rows = None
    if form.is_valid():
        data = form.cleaned_data
        args = (request.user, data["registry"], data["date_from"], data["date_to"])
        direction = data["direction"] or None
        export = request.GET.get("format")
        try:
            if export == "pdf":
                response = HttpResponse(
                    register_book_pdf(*args, direction), content_type="application/pdf"
                )
                response["Content-Disposition"] = f'attachment; filename="{_filename(data, "pdf")}"'
                return response
            if export == "csv":
                response = HttpResponse(
                    register_book_csv(*args, direction), content_type="text/csv; charset=utf-8"
                )
                response["Content-Disposition"] = f'attachment; filename="{_filename(data, "csv")}"'
                return response
            rows = register_book_rows(*args, direction)
        except DomainError as error:
            apply_domain_error(form, error)
            rows = None
    query = form.data.copy()
    query.pop("format", None)
    return render(
        request,
        "registry/book.html",
        {
            "form": form,
            "rows": rows,
            "columns": [label for _key, label in COLUMNS],
            "query": query.urlencode(),
            "nav_current": "registry-book",
        },
    )
