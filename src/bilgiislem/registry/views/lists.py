"""The registry lists: incoming/outgoing documents, and the Chief's and Director's oversight."""

import csv
import datetime

from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bilgiislem.core.paginator import CappedPaginator
from bilgiislem.organization import permissions as org
from bilgiislem.organization.choices import PositionKind
from bilgiislem.organization.models import OrgUnit

from .. import permissions, selectors
from ..choices import Direction
from .common import Forbidden, page

PER_PAGE = 50
# Counting stops here: past it the list says "more than …" (a million-row registry would
# otherwise pay a full COUNT on every page).
COUNT_CAP = 1000
CSV_LIMIT = 100_000
# Column headers: the DocumentFilter's sort key, or None for a column that does not sort.
COLUMNS = [
    ("number", gettext_lazy("Registry no.")),
    ("registered", gettext_lazy("Registered")),
    ("party", gettext_lazy("Sender / recipient")),
    (None, gettext_lazy("Number (Sayı)")),
    ("date", gettext_lazy("Document date")),
    ("subject", gettext_lazy("Subject")),
    (None, gettext_lazy("Secrecy")),
    (None, gettext_lazy("Status")),
]


class _Echo:
    def write(self, value):
        return value


def _csv(documents):
    """Every row the filter matches (not just the page), for Excel: UTF-8 with a BOM, ';'."""
    writer = csv.writer(_Echo(), delimiter=";")

    def rows():
        yield "\ufeff"
        yield writer.writerow(
            [
                _("Registry no."),
                _("Direction"),
                _("Registered"),
                _("Sender / recipient"),
                _("Number (Sayı)"),
                _("Document date"),
                _("Subject"),
                _("File plan code"),
                _("Secrecy"),
                _("Urgency"),
                _("Status"),
            ]
        )
        for d in documents[:CSV_LIMIT].iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    d.number_label,
                    d.get_direction_display(),
                    formats.date_format(
                        timezone.localtime(d.registered_at), "SHORT_DATETIME_FORMAT"
                    ),
                    d.party_name,
                    d.sayi,
                    formats.date_format(d.document_date, "SHORT_DATE_FORMAT")
                    if d.document_date
                    else "",
                    d.subject,
                    d.sdp_code,
                    d.get_secrecy_display(),
                    d.get_urgency_display(),
                    d.get_status_display(),
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="evrak.csv"'
    return response


@page
def document_list(request):
    """Gelen / Giden evrak: tabs by direction, sticky filters in the URL, 50 a page, CSV."""
    params = request.GET.copy()
    if "direction" not in params:
        params["direction"] = Direction.INCOMING
    params.pop("page", None)
    want_csv = params.pop("format", [""])[-1] == "csv"
    filterset, documents = selectors.document_list(request.user, params, request=request)
    if want_csv:
        return _csv(documents)
    page_obj, rows = _page(documents, request.GET.get("page"))
    sort = params.get("sort", "")
    unsorted = params.copy()
    unsorted.pop("sort", None)
    tabs = []
    for value, label in ((Direction.INCOMING, _("Incoming")), (Direction.OUTGOING, _("Outgoing"))):
        tab_query = unsorted.copy()
        tab_query["direction"] = value
        tabs.append(
            {
                "label": label,
                "query": tab_query.urlencode(),
                "current": value == params["direction"],
            }
        )
    context = {
        "filter": filterset,
        "page_obj": page_obj,
        "documents": rows,
        "query": params.urlencode(),
        "unsorted": unsorted.urlencode(),
        "sort": sort,
        "columns": COLUMNS,
        "tabs": tabs,
        "direction": params["direction"],
        # The menu's test (cached unit table), not the list of registries: same answer.
        "can_register": permissions.may_register_somewhere(request.user),
        "can_oversee": bool(_overseen_directorates(request.user)),
    }
    template = "registry/document_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


def _page(documents, number):
    """The page and its rows, with the visibility filter compiled and run once.

    The ids of the first ``COUNT_CAP + 1`` matches (in the list's order) are both the capped
    count and every page one can reach; the page's rows are then fetched by primary key. The
    permission-scoped query is costly to compile (three EXISTS subqueries) and a COUNT over
    its slice compiled it a second time.
    """
    ids = list(documents.values_list("pk", flat=True)[: COUNT_CAP + 1])
    page_obj = CappedPaginator(ids, PER_PAGE, cap=COUNT_CAP).get_page(number)
    return page_obj, selectors.document_rows(page_obj.object_list)


def _overseen_directorates(user) -> set[int]:
    """Directorates whose Director or Chief the person is (held or acting)."""
    kinds = {PositionKind.MUDUR, PositionKind.SEF}
    posts = [p for p in org.effective_posts(user) if p.kind in kinds]
    if not posts:
        return set()
    found = permissions.directorate_ids_of(user)
    units = {p.unit_id for p in posts}
    parents = org.unit_parents()
    return {d for d in found if any(d in org.ancestors_or_self(u, parents) for u in units)}


@page
def oversight(request):
    """Takip: every open routing of the directorate per person, overdue first (RYY art. 9(ç))."""
    directorates = _overseen_directorates(request.user)
    if not directorates:
        raise Forbidden(_("This view is for the Director and the Chief of a directorate."))
    today = timezone.localdate()
    groups: dict[tuple, dict] = {}
    for directorate in OrgUnit.objects.filter(pk__in=directorates):
        for r in selectors.open_routings_for_directorate(request.user, directorate):
            r.age_days = (today - timezone.localdate(r.created_at)).days
            r.is_overdue = bool(r.due_date and r.due_date < today)
            key = ("p", r.to_person_id) if r.to_person_id else ("u", r.to_unit_id)
            name = (
                (r.to_person.get_full_name() or r.to_person.username)
                if r.to_person_id
                else r.to_unit.name
            )
            group = groups.setdefault(key, {"name": name, "routings": [], "overdue": 0})
            group["routings"].append(r)
            group["overdue"] += r.is_overdue
    for group in groups.values():
        group["routings"].sort(
            key=lambda r: (not r.is_overdue, r.due_date or datetime.date.max, r.created_at)
        )
    ordered = sorted(groups.values(), key=lambda g: (-g["overdue"], -len(g["routings"]), g["name"]))
    return render(request, "registry/oversight.html", {"groups": ordered, "today": today})
