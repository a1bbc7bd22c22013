"""The Chief's and Director's dashboard (Destek panosu): figures, SVG charts and CSV exports.
Everyone else gets 404 (selectors.dashboard.dashboard_check)."""

import csv
import io

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import dateformat, formats
from django.utils.translation import gettext as _

from ..charts import Bar, Series, bar_chart, line_chart
from ..selectors.dashboard import Dashboard, SlaMonth, dashboard_get

PEOPLE_IN_CHART = 12


def _percent(value) -> str:
    return "" if value is None else formats.number_format(value, decimal_pos=1)


def _overall(data: Dashboard) -> list[SlaMonth]:
    """Every agreement together, per month."""
    months = [SlaMonth(m) for m in data.months]
    for agreement in data.sla:
        for i, m in enumerate(agreement.months):
            months[i].total += m.total
            months[i].met += m.met
            months[i].missed += m.missed
            months[i].response_met += m.response_met
            months[i].response_missed += m.response_missed
    return months


def _charts(data: Dashboard, overall: list[SlaMonth]) -> dict:
    past = _("past target")
    figures = data.open

    def bars(rows):
        return [Bar(r.label, r.count, r.breached) for r in rows]

    month_labels = [dateformat.format(m, "M Y") for m in data.months]
    return {
        "queue": bar_chart(
            chart_id="chart-queue",
            title=_("Open requests by unit"),
            desc=_("Open requests in each unit's queue; the darker part is past its target."),
            bars=bars(figures.by_queue),
            part_label=past,
        ),
        "person": bar_chart(
            chart_id="chart-person",
            title=_("Open requests by person"),
            desc=_("Open requests assigned to each person (the most loaded first)."),
            bars=bars(figures.by_person[:PEOPLE_IN_CHART]),
            part_label=past,
        ),
        "category": bar_chart(
            chart_id="chart-category",
            title=_("Open requests by category"),
            desc=_("Open requests per category."),
            bars=bars(figures.by_category),
            part_label=past,
        ),
        "age": bar_chart(
            chart_id="chart-age",
            title=_("Open requests by age"),
            desc=_("How long the open requests have been waiting since they were opened."),
            bars=bars(figures.by_age),
            part_label=past,
        ),
        "sla": line_chart(
            chart_id="chart-sla",
            title=_("SLA compliance per month"),
            desc=_(
                "Per cent of the requests opened each month whose target was met, of those "
                "already decided, for every agreement together."
            ),
            labels=month_labels,
            series=[
                Series(_("Resolution target met (%)"), [m.compliance for m in overall]),
                Series(_("Response target met (%)"), [m.response_compliance for m in overall]),
            ],
        ),
        "backlog": line_chart(
            chart_id="chart-backlog",
            title=_("Backlog trend"),
            desc=_("Requests open at the end of each day over the last 90 days."),
            labels=[dateformat.format(f.date, "d.m") for f in data.trend],
            series=[Series(_("Open at the end of the day"), [f.open_at_end for f in data.trend])],
        ),
        "monthly": line_chart(
            chart_id="chart-monthly",
            title=_("Requests opened and resolved per month"),
            desc=_("Requests opened and resolved in each of the last twelve months."),
            labels=month_labels,
            series=[
                Series(_("Requests opened"), [f.opened for f in data.monthly]),
                Series(_("Requests resolved"), [f.resolved for f in data.monthly]),
            ],
        ),
    }


def _sla_cell(m: SlaMonth) -> dict:
    """A cell of the compliance table, formatted once here rather than by a template include
    per cell (a dozen months times a few dozen agreements)."""
    percent = "—" if m.compliance is None else f"{_percent(m.compliance)} %"
    detail = (
        _("%(met)s met, %(missed)s missed") % {"met": m.met, "missed": m.missed} if m.total else ""
    )
    return {"percent": percent, "detail": detail}


def _sla_table(data: Dashboard) -> list[dict]:
    return [
        {
            "title": a.title,
            "cells": [_sla_cell(m) for m in a.months],
            "total": _sla_cell(a.total),
        }
        for a in data.sla
    ]


# --- CSV -------------------------------------------------------------------------------------


def _open_rows(data: Dashboard):
    yield [_("Breakdown"), _("Item"), _("Open"), _("Past target")]
    for name, rows in (
        (_("Unit"), data.open.by_queue),
        (_("Person"), data.open.by_person),
        (_("Category"), data.open.by_category),
        (_("Age"), data.open.by_age),
    ):
        for row in rows:
            yield [name, row.label, row.count, row.breached]


def _sla_rows(data: Dashboard):
    yield [
        _("Agreement"),
        _("Month"),
        _("Requests opened"),
        _("Target met"),
        _("Target missed"),
        _("Still running"),
        _("Resolution compliance (%)"),
        _("Response met"),
        _("Response missed"),
        _("Response compliance (%)"),
    ]
    for agreement in data.sla:
        for m in agreement.months:
            yield [
                agreement.title,
                m.month.strftime("%Y-%m"),
                m.total,
                m.met,
                m.missed,
                m.running,
                _percent(m.compliance),
                m.response_met,
                m.response_missed,
                _percent(m.response_compliance),
            ]


def _trend_rows(data: Dashboard):
    yield [
        _("Date"),
        _("Requests opened"),
        _("Requests resolved"),
        _("Requests closed"),
        _("Targets missed"),
        _("Open at the end of the day"),
    ]
    for f in data.trend:
        yield [
            f.date.strftime("%d.%m.%Y"),
            f.opened,
            f.resolved,
            f.closed,
            f.breached,
            "" if f.open_at_end is None else f.open_at_end,
        ]


def _monthly_rows(data: Dashboard):
    yield [
        _("Month"),
        _("Requests opened"),
        _("Requests resolved"),
        _("Requests closed"),
        _("Targets missed"),
    ]
    for f in data.monthly:
        yield [f.date.strftime("%Y-%m"), f.opened, f.resolved, f.closed, f.breached]


EXPORTS = {"open": _open_rows, "sla": _sla_rows, "trend": _trend_rows, "monthly": _monthly_rows}


def _csv(data: Dashboard, export: str) -> HttpResponse:
    """One table of the dashboard for spreadsheets: UTF-8 with a BOM (Excel), ``;``."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerows(EXPORTS[export](data))
    response = HttpResponse(("\ufeff" + out.getvalue()).encode(), content_type="text/csv")
    name = f"destek-panosu-{export}-{data.today:%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def dashboard(request):
    """Destek panosu: open requests by unit, person, category and age; SLA compliance per
    agreement per month; the backlog trend; each table also as CSV (``?export=``)."""
    export = request.GET.get("export")
    if export is not None and export not in EXPORTS:
        raise Http404
    data = dashboard_get(request.user, queue_id=request.GET.get("queue") or None)
    if export:
        return _csv(data, export)
    overall = _overall(data)
    query = f"queue={data.queue.pk}&" if data.queue else ""
    charts = _charts(data, overall)
    open_sections = [
        ("queue", _("By unit"), data.open.by_queue, charts["queue"]),
        ("person", _("By person"), data.open.by_person, charts["person"]),
        ("category", _("By category"), data.open.by_category, charts["category"]),
        ("age", _("By age"), data.open.by_age, charts["age"]),
    ]
    context = {
        "data": data,
        "overall": overall,
        "charts": charts,
        "open_sections": open_sections,
        "sla_table": _sla_table(data),
        "export_query": query,
    }
    return render(request, "servicedesk/dashboard/dashboard.html", context)
