"""Browse, filter and export the audit trail (Denetim İzi).

Who may read it is decided by ``access.can_view``; everyone else gets 404, as if the pages
did not exist (issue 2, "Access rules").
"""

import csv
import datetime
import json

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from . import access
from .filters import AuditEventFilter
from .selectors import events_visible_to
from .services import audit_export_record

PAGE_SIZE = 50
CHANGES_PREVIEW = 160
# Spreadsheet programs run cells that start like a formula; such text is exported quoted.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def compact_changes(changes, limit: int = CHANGES_PREVIEW) -> str:
    """``{"a": [1, 2], "b": "x"}`` → ``a: 1 → 2; b: x`` — one line for a table cell."""
    if not changes:
        return ""
    if not isinstance(changes, dict):
        text = json.dumps(changes, ensure_ascii=False)
    else:
        parts = []
        for key, value in changes.items():
            if isinstance(value, list) and len(value) == 2:
                shown = f"{_plain(value[0])} → {_plain(value[1])}"
            else:
                shown = _plain(value)
            parts.append(f"{key}: {shown}")
        text = "; ".join(parts)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _plain(value) -> str:
    if isinstance(value, str):
        return value
    if value is None:
        return "—"
    return json.dumps(value, ensure_ascii=False)


class AuditAccessMixin(LoginRequiredMixin):
    """Anonymous → login page; signed in without the right → 404."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not access.can_view(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_filter(self):
        return AuditEventFilter(
            self.request.GET,
            queryset=events_visible_to(self.request.user),
            request=self.request,
        )


class AuditEventListView(AuditAccessMixin, TemplateView):
    template_name = "audit/event_list.html"

    def get_context_data(self, **kwargs):
        event_filter = self.get_filter()
        events = event_filter.qs
        page = Paginator(events, PAGE_SIZE).get_page(self.request.GET.get("page"))
        rows = [(event, compact_changes(event.changes)) for event in page.object_list]
        params = self.request.GET.copy()
        params.pop("page", None)
        sort_params = params.copy()
        current_sort = params.get("sort", "-time")
        sort_params["sort"] = "time" if current_sort == "-time" else "-time"
        return super().get_context_data(
            filter=event_filter,
            page=page,
            rows=rows,
            query=params.urlencode(),
            sort_query=sort_params.urlencode(),
            sort_descending=current_sort != "time",
            **kwargs,
        )


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%d.%m.%Y %H:%M")


class _Echo:
    def write(self, value):
        return value


class AuditEventExportView(AuditAccessMixin, View):
    """The filtered trail as CSV for Excel (UTF-8 with BOM, ';'); the export is itself audited."""

    def get(self, request):
        event_filter = self.get_filter()
        if not event_filter.is_valid():
            # An invalid filter must not silently export more than was asked for: show the
            # list with the field errors instead.
            return redirect(f"{reverse('audit:list')}?{request.GET.urlencode()}")
        events = event_filter.qs
        count = events.count()
        filters = {k: v for k, v in request.GET.items() if v and k != "page"}
        audit_export_record(actor=request.user, filters=filters, count=count)
        header = [
            _("Time"),
            _("Person"),
            _("Post acted for"),
            _("Action"),
            _("Object type"),
            _("Object id"),
            _("Object"),
            _("Changes"),
            _("Reason"),
            _("Request id"),
            _("Address"),
            _("Sequence"),
        ]
        writer = csv.writer(_Echo(), delimiter=";")

        def rows():
            yield "\ufeff" + writer.writerow(header)
            for event in events.iterator(chunk_size=500):
                person = event.actor.get_full_name() if event.actor else ""
                yield writer.writerow(
                    [
                        _local(event.occurred_at),
                        _cell(f"{person} ({event.actor_repr})" if person else event.actor_repr),
                        _cell(event.acting_for),
                        _cell(event.action),
                        _cell(event.object_type),
                        _cell(event.object_id),
                        _cell(event.object_repr),
                        _cell(json.dumps(event.changes, ensure_ascii=False)),
                        _cell(event.reason),
                        _cell(event.request_id),
                        _cell(event.ip_address),
                        event.seq,
                    ]
                )

        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="denetim-izi-{stamp}.csv"'
        return response
