"""Figures for a technician's queue page (issue 6, "Performance").

- ``servicedesk.queue_p95_ms``: /destek/kuyruk/ (50 rows with their SLA state, the menu, the
  full template) through the test Client, logged in as a Teknik Destek technician, with
  BENCH_SD_REQUESTS requests in the database (default 500,000; servicedesk_data.py loads
  them, shared with the dashboard benchmark). p95 of QUEUE_REQUESTS requests after a warm-up.
- ``servicedesk.queue_ratio``: the page's median time divided by a bare Django view of the
  same 50 rows (same query and columns, a plain template, no menu, no SLA), served through
  the same middleware. Goal ≤ 2.5.
- ``servicedesk.queue_queries``: the page's database queries (constant: no N+1).

Environment: BENCH_SD_REQUESTS, BENCH_SEED.
"""

import os
import statistics
import time

QUEUE_REQUESTS = 60
WARMUP = 5
TECHNICIAN = "bench.teknikdestek.tech1"

BARE_TEMPLATE = """<!doctype html><html><head><title>Kuyruk</title></head><body><table>
<thead><tr><th>No</th><th>Başlık</th><th>İsteyen</th><th>Kategori</th><th>Öncelik</th>
<th>Durum</th><th>Atanan</th><th>Açılış</th></tr></thead><tbody>
{% for t in rows %}<tr><td>{{ t.number_label }}</td><td>{{ t.title }}</td>
<td>{% if t.requester %}{{ t.requester.get_full_name }}{% else %}{{ t.contact_name }}{% endif %}
{% if t.requester_unit %}{{ t.requester_unit.name }}
{% elif t.organization %}{{ t.organization.name }}{% endif %}</td>
<td>{{ t.get_category_display }}</td><td>{{ t.get_priority_display }}</td>
<td>{{ t.get_state_display }}</td>
<td>{% if t.assignee %}{{ t.assignee.get_full_name }}{% endif %}</td>
<td>{{ t.created_at|date:"SHORT_DATETIME_FORMAT" }}</td></tr>{% endfor %}
</tbody></table></body></html>"""


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def _time(call, n: int) -> list[float]:
    samples = []
    for _ in range(n):
        t0 = time.perf_counter()
        response = call()
        samples.append(time.perf_counter() - t0)
        if response.status_code != 200:
            raise RuntimeError(f"status {response.status_code}")
    return samples


def _p95(samples):
    return statistics.quantiles(samples, n=20)[18] if len(samples) >= 20 else max(samples)


def _bare_urlconf():
    """The project's URLs plus the bare view, so both pages pass the same middleware."""
    import types

    from django.contrib.auth.decorators import login_required
    from django.http import HttpResponse
    from django.template import engines
    from django.urls import path

    from bilgiislem.servicedesk import workflows
    from bilgiislem.servicedesk.models import Ticket
    from bilgiislem.servicedesk.permissions import worked_queue_ids
    from config import urls

    template = engines["django"].from_string(BARE_TEMPLATE)

    @login_required
    def bare_queue(request):
        rows = (
            Ticket.objects.filter(
                queue_id__in=worked_queue_ids(request.user),
                state__in=[str(s) for s in workflows.OPEN],
            )
            .select_related("queue", "requester", "requester_unit", "organization", "assignee")
            .order_by("-created_at", "-id")[:50]
        )
        # No request: no context processors, so no menu (that is what "bare" means here).
        return HttpResponse(template.render({"rows": list(rows)}))

    module = types.ModuleType("bench_queue_urls")
    module.urlpatterns = [path("bench/bare-queue/", bare_queue), *urls.urlpatterns]
    return module


def run():
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from servicedesk_data import ensure_requests

    from bilgiislem.organization.models import Person
    from bilgiislem.servicedesk.models import Ticket

    total = int(os.environ.get("BENCH_SD_REQUESTS", "500000"))
    info = ensure_requests(total)
    yield "servicedesk.queue_requests", Ticket.objects.count(), "requests"
    if info["loaded"]:
        yield "servicedesk.data_load_s", info["seconds"], "s"

    client = Client(HTTP_HOST="localhost")
    client.force_login(Person.objects.get(username=TECHNICIAN))
    url, bare = "/destek/kuyruk/", "/bench/bare-queue/"
    with override_settings(ROOT_URLCONF=_bare_urlconf()):
        first = client.get(url)
        if first.status_code != 200:
            yield "servicedesk.queue_status", first.status_code, "http"
            return
        rows = first.content.decode().count("data-ticket=")
        yield "servicedesk.queue_rows", rows, "rows"
        _time(lambda: client.get(url), WARMUP)
        _time(lambda: client.get(bare), WARMUP)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        yield "servicedesk.queue_queries", len(queries), "queries"
        # Interleaved, so a slow moment of the machine hits both alike.
        ours, plain = [], []
        for _ in range(QUEUE_REQUESTS):
            ours += _time(lambda: client.get(url), 1)
            plain += _time(lambda: client.get(bare), 1)
        due = _time(lambda: client.get(url, {"sort": "due"}), QUEUE_REQUESTS // 3)
    yield "servicedesk.queue_ms", _ms(statistics.median(ours)), "ms"
    yield "servicedesk.queue_p95_ms", _ms(_p95(ours)), "ms"
    yield "servicedesk.queue_bare_ms", _ms(statistics.median(plain)), "ms"
    ratio = statistics.median(ours) / statistics.median(plain)
    yield "servicedesk.queue_ratio", round(ratio, 2), ""
    yield "servicedesk.queue_due_sort_ms", _ms(statistics.median(due)), "ms"
