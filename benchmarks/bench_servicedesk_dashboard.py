"""Figures for the service desk dashboard (issue 6, "Performance").

- ``servicedesk.dashboard_ms``: the Director's dashboard page (/destek/pano/, every figure,
  seven SVG charts, the full template) through the test Client, logged in as ``mudur``, at
  BENCH_SD_REQUESTS requests (default 500,000; servicedesk_data.py loads them). The median
  of DASHBOARD_REQUESTS requests after a warm-up; goal ≤ 300 ms. Also its p95; the first
  visit of the day (``dashboard_cold_ms``: the eleven past months of SLA compliance are
  counted then and cached until midnight); one queue's view (``?queue=``); and the
  database part alone (the selector).

Environment: BENCH_SD_REQUESTS, BENCH_SEED.
"""

import os
import statistics
import time

DASHBOARD_REQUESTS = 15
WARMUP = 3


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def _time(call, n: int) -> list[float]:
    samples = []
    for _ in range(n):
        t0 = time.perf_counter()
        call()
        samples.append(time.perf_counter() - t0)
    return samples


def _p95(samples):
    return statistics.quantiles(samples, n=20)[18] if len(samples) >= 20 else max(samples)


def run():
    from django.core.cache import cache
    from django.test import Client
    from servicedesk_data import ensure_requests

    from bilgiislem.organization.models import Person
    from bilgiislem.servicedesk.models import Queue, Ticket
    from bilgiislem.servicedesk.selectors.dashboard import dashboard_get

    total = int(os.environ.get("BENCH_SD_REQUESTS", "500000"))
    info = ensure_requests(total)
    yield "servicedesk.dashboard_requests", Ticket.objects.count(), "requests"
    if info["loaded"]:
        yield "servicedesk.data_load_s", info["seconds"], "s"

    mudur = Person.objects.get(username="mudur")
    client = Client(HTTP_HOST="localhost")
    client.force_login(mudur)
    url = "/destek/pano/"
    response = client.get(url)
    if response.status_code != 200:
        yield "servicedesk.dashboard_status", response.status_code, "http"
        return
    fresh = Person.objects.get(pk=mudur.pk)
    yield "servicedesk.dashboard_open", dashboard_get(fresh).open.total, "requests"
    # Cold: the first visit of the day counts the eleven past months of SLA figures too
    # (then cached until midnight, selectors/dashboard.py); every later visit is warm.
    cache.clear()
    cold = _time(lambda: client.get(url), 1)[0]
    for _ in range(WARMUP):
        client.get(url)
    page = _time(lambda: client.get(url), DASHBOARD_REQUESTS)
    yield "servicedesk.dashboard_ms", _ms(statistics.median(page)), "ms"
    yield "servicedesk.dashboard_p95_ms", _ms(_p95(page)), "ms"
    yield "servicedesk.dashboard_cold_ms", _ms(cold), "ms"

    queue = Queue.objects.order_by("name").first()
    one = _time(lambda: client.get(url, {"queue": queue.pk}), DASHBOARD_REQUESTS)
    yield "servicedesk.dashboard_queue_ms", _ms(statistics.median(one)), "ms"

    # The database part alone: the selector with the Director's access check.
    reads = _time(lambda: dashboard_get(fresh), DASHBOARD_REQUESTS)
    yield "servicedesk.dashboard_select_ms", _ms(statistics.median(reads)), "ms"
