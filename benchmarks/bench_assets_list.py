"""Figures for the asset list page (issue 7, "Performance").

- ``assets.list_p95_ms``: /tasinir/ filtered by location (the main building) and status (in
  use) — 50 rows, the filters, the menu, the full template — through the test Client, logged
  in as a Bilgi İşlem technician (sees every asset), with BENCH_ASSETS (default 200,000)
  assets in the database. p95 of LIST_REQUESTS requests.
- ``assets.list_ratio``: the page's median time divided by a bare Django view of the same
  50 rows (same filter, columns and order, a plain template, no menu), through the same
  middleware. ``assets.list_unfiltered_ratio``: the same for the list with no filter.
- ``assets.list_queries``: the page's database queries (constant: no N+1).

Environment: BENCH_ASSETS, BENCH_SEED.
"""

import os
import random
import statistics
import time

LIST_REQUESTS = 60
WARMUP = 5
VIEWER = "memur"

BARE_TEMPLATE = """<!doctype html><html><head><title>Taşınırlar</title></head><body><table>
<thead><tr><th>Sicil</th><th>Taşınır</th><th>Tür</th><th>Yer</th><th>Zimmet</th><th>Durum</th>
</tr></thead><tbody>
{% for a in rows %}<tr><td>{{ a.sicil_no }}</td>
<td>{{ a.code.title }} {{ a.make }} {{ a.model }}</td>
<td>{{ a.get_kind_display }}</td>
<td>{% if a.room %}{{ a.room }}{% elif a.site %}{{ a.site.name }}
{% else %}{{ a.store.name }}{% endif %}</td>
<td>{% if a.holder %}{{ a.holder.get_full_name }}{% endif %}</td>
<td>{{ a.get_status_display }}</td></tr>{% endfor %}
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


def ensure_assets(total: int) -> dict:
    """The demo organisation and places, then ``total`` assets written in bulk."""
    from django.conf import settings
    from django.db import transaction

    from bilgiislem.assets.choices import AssetKind, AssetStatus
    from bilgiislem.assets.models import Asset, AssetSequence, Room, Store, TasinirCode
    from bilgiislem.assets.services.demo import BUILDING, assets_demo_set_up
    from bilgiislem.organization.loading import demo_load, organization_load
    from bilgiislem.organization.models import Person

    have = Asset.objects.count()
    if have >= total:
        return {"loaded": 0, "seconds": 0.0}
    t0 = time.perf_counter()
    if not Person.objects.filter(username="mudur").exists():
        organization_load(settings.BILGIISLEM_ORGANIZATION_FILE)
        demo_load(settings.BILGIISLEM_ORGANIZATION_FILE)
    # The demo's building, rooms and store (idempotent), whatever other benchmarks made.
    assets_demo_set_up(actor=Person.objects.get(username="mudur"))
    rng = random.Random(int(os.environ.get("BENCH_SEED", "7")))
    codes = [c for c in TasinirCode.objects.all() if c.code.count(".") >= 2 and c.account != "150"]
    rooms = list(Room.objects.filter(site__name=BUILDING)) + [None] * 3
    store = Store.objects.first()
    people = list(Person.objects.all()[:10])
    kinds = [k for k in AssetKind.values]
    statuses = [AssetStatus.IN_USE] * 6 + [AssetStatus.IN_STORE, AssetStatus.WRITTEN_OFF]
    counters = {(s.code_id, s.year): s.last_number for s in AssetSequence.objects.all()}
    # Other benchmarks of the same run may have written assets in bulk without the counter.
    from django.db.models import Max

    for row in Asset.objects.values("code_id", "entry_year").annotate(last=Max("sequence")):
        key = (row["code_id"], row["entry_year"])
        counters[key] = max(counters.get(key, 0), row["last"])
    batch = []
    with transaction.atomic():
        for _i in range(have, total):
            code = rng.choice(codes)
            year = rng.randint(2015, 2026)
            number = counters.get((code.pk, year), 0) + 1
            counters[(code.pk, year)] = number
            room = rng.choice(rooms)
            batch.append(
                Asset(
                    code=code,
                    kind=rng.choice(kinds),
                    sicil_no=f"{code.code}-{year % 100:02d}-{number:05d}",
                    entry_year=year,
                    sequence=number,
                    serial_number=f"SN{rng.randrange(10**9):09d}",
                    make=rng.choice(["Lenovo", "HP", "Dell", "Cisco", "Brother"]),
                    model="M" + str(rng.randrange(1000)),
                    store=store,
                    room=room,
                    status=rng.choice(statuses) if room else AssetStatus.IN_STORE,
                    holder=rng.choice(people) if rng.random() < 0.2 else None,
                    value=rng.randrange(1000, 50000),
                )
            )
            if len(batch) >= 5000:
                Asset.objects.bulk_create(batch)
                batch = []
        Asset.objects.bulk_create(batch)
        for (code_id, year), last in counters.items():
            AssetSequence.objects.update_or_create(
                code_id=code_id, year=year, defaults={"last_number": last}
            )
    return {"loaded": total - have, "seconds": time.perf_counter() - t0}


def _bare_urlconf():
    """The project's URLs plus the bare view, so both pages pass the same middleware."""
    import types

    from django.contrib.auth.decorators import login_required
    from django.db.models import Q
    from django.http import HttpResponse
    from django.template import engines
    from django.urls import path

    from bilgiislem.assets.choices import AssetStatus
    from bilgiislem.assets.models import Asset, Room
    from config import urls

    template = engines["django"].from_string(BARE_TEMPLATE)

    @login_required
    def bare_list(request):
        rows = Asset.objects.exclude(status=AssetStatus.WRITTEN_OFF)
        if "site" in request.GET:
            site = int(request.GET["site"])
            rows = rows.filter(
                Q(room_id__in=Room.objects.filter(site_id=site).values("id")) | Q(site_id=site)
            )
        if "status" in request.GET:
            rows = rows.filter(status=request.GET["status"])
        rows = rows.select_related("code", "room__site", "site", "store", "holder")
        return HttpResponse(template.render({"rows": list(rows.order_by("-id")[:50])}))

    module = types.ModuleType("bench_assets_urls")
    module.urlpatterns = [path("bench/bare-assets/", bare_list), *urls.urlpatterns]
    return module


def run():
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from bilgiislem.assets.models import Asset, Site
    from bilgiislem.organization.models import Person

    total = int(os.environ.get("BENCH_ASSETS", "200000"))
    info = ensure_assets(total)
    yield "assets.list_assets", Asset.objects.count(), "assets"
    if info["loaded"]:
        yield "assets.data_load_s", round(info["seconds"], 1), "s"

    client = Client(HTTP_HOST="localhost")
    client.force_login(Person.objects.get(username=VIEWER))
    from bilgiislem.assets.services.demo import BUILDING

    building = Site.objects.get(name=BUILDING).pk
    filtered = f"?site={building}&status=in_use"
    with override_settings(ROOT_URLCONF=_bare_urlconf()):
        url, bare = f"/tasinir/{filtered}", f"/bench/bare-assets/{filtered}"
        first = client.get(url)
        if first.status_code != 200:
            yield "assets.list_status", first.status_code, "http"
            return
        yield "assets.list_rows", first.content.decode().count("data-asset="), "rows"
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        yield "assets.list_queries", len(queries), "queries"
        ours, plain = _pair(client, url, bare)
        yield "assets.list_ms", _ms(statistics.median(ours)), "ms"
        yield "assets.list_p95_ms", _ms(_p95(ours)), "ms"
        yield "assets.list_bare_ms", _ms(statistics.median(plain)), "ms"
        yield "assets.list_ratio", round(statistics.median(ours) / statistics.median(plain), 2), ""
        ours, plain = _pair(client, "/tasinir/", "/bench/bare-assets/")
        ratio = round(statistics.median(ours) / statistics.median(plain), 2)
        yield "assets.list_unfiltered_ratio", ratio, ""


def _pair(client, url: str, bare: str) -> tuple[list[float], list[float]]:
    """Alternate the two pages so both see the same machine load."""
    _time(lambda: client.get(url), WARMUP)
    _time(lambda: client.get(bare), WARMUP)
    ours, plain = [], []
    for _ in range(LIST_REQUESTS):
        ours += _time(lambda: client.get(url), 1)
        plain += _time(lambda: client.get(bare), 1)
    return ours, plain
