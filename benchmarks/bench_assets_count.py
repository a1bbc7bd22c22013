"""Figures for counts (issue 7, sayım).

- ``assets.count_reconcile_s``: ``count_reconcile`` of a count with BENCH_COUNT_SCANS scans
  (default 20,000; goal ≤ 2 s) over 100 rooms holding 21,000 assets: most found where
  recorded, some found in another room, some written-off items found (surplus), the rest
  missing; a few on open Teslim Belgeleri. The best of ROUNDS.
- ``assets.count_scan_ms``: one scan through ``count_scan`` (the service the phone page
  calls: checks, lookup, scan row, audit event), median of SCAN_SAMPLES.

Rows are written straight into the tables (bulk_create), not through the services: the
point is a realistic count, fast. Environment: BENCH_COUNT_SCANS, BENCH_SEED.
"""

import datetime as dt
import os
import random
import statistics
import time

ROUNDS = 3
ROOMS = 100
SCAN_SAMPLES = 100


def _setup(n_scans: int, rng: random.Random):
    from django.conf import settings
    from django.db import transaction
    from django.utils import timezone

    from bilgiislem.assets.choices import AssetKind, AssetStatus, ScanResult, SiteKind
    from bilgiislem.assets.models import (
        Asset,
        Board,
        Count,
        CountScan,
        HandoverDocument,
        Room,
        Site,
        Store,
        TasinirCode,
    )
    from bilgiislem.organization.loading import demo_load, organization_load
    from bilgiislem.organization.models import OrgUnit, Person

    if not Person.objects.filter(username="mudur").exists():
        organization_load(settings.BILGIISLEM_ORGANIZATION_FILE)
        demo_load(settings.BILGIISLEM_ORGANIZATION_FILE)
    mudur, sef, memur, kalem = (
        Person.objects.get(username=u) for u in ("mudur", "sef", "memur", "kalem")
    )
    unit = OrgUnit.objects.get(code="bilgi-islem")
    n_assets = n_scans + n_scans // 20
    with transaction.atomic():
        code, _c = TasinirCode.objects.get_or_create(
            code="255.99.99.99", defaults={"title": "Bench cihazı"}
        )
        site = Site.objects.create(kind=SiteKind.BUILDING, name=f"Bench Sayım {time.time()}")
        rooms = Room.objects.bulk_create(
            Room(site=site, floor=str(i // 10), name=f"{i:03d}", unit=unit) for i in range(ROOMS)
        )
        store = Store.objects.create(unit=unit, code="B9", name="Bench Ambarı")
        year = 2000 + rng.randrange(0, 99)
        assets = Asset.objects.bulk_create(
            (
                Asset(
                    code=code,
                    kind=AssetKind.COMPUTER,
                    sicil_no=f"B{site.pk}-{code.code}-{year}-{i:06d}",
                    entry_year=year,
                    sequence=i + 1,
                    store=store,
                    room=rooms[i % ROOMS],
                    status=AssetStatus.WRITTEN_OFF if i % 100 == 0 else AssetStatus.IN_USE,
                    value=1000,
                )
                for i in range(n_assets)
            ),
            batch_size=2000,
        )
        board = Board.objects.create(
            purpose=Board.Purpose.COUNT, name="Bench kurulu", appointed_by=mudur, chair=sef
        )
        board.members.set([sef, memur, kalem])
        count = Count.objects.create(board=board, year=year)
        count.rooms.set(rooms)
        scanned = rng.sample(assets, n_scans)
        scans = []
        for asset in scanned:
            room = asset.room if rng.random() < 0.97 else rng.choice(rooms)
            result = (
                ScanResult.UNEXPECTED
                if asset.status == AssetStatus.WRITTEN_OFF
                else ScanResult.FOUND_HERE
                if room == asset.room
                else ScanResult.FOUND_ELSEWHERE
            )
            scans.append(
                CountScan(
                    count=count,
                    room=room,
                    asset=asset,
                    label=asset.sicil_no,
                    result=result,
                    scanned_by=memur,
                )
            )
        CountScan.objects.bulk_create(scans, batch_size=2000)
        now = timezone.now()
        HandoverDocument.objects.bulk_create(
            HandoverDocument(
                year=year,
                number=i + 1,
                asset=asset,
                receiver=memur,
                issued_by=kalem,
                issued_at=now - dt.timedelta(days=i),
            )
            for i, asset in enumerate(rng.sample(assets, 50))
            if asset.status != AssetStatus.WRITTEN_OFF
        )
    seen = {a.pk for a in scanned}
    return count, memur, [a for a in assets if a.pk not in seen]


def run():
    from bilgiislem.assets.models import CountScan
    from bilgiislem.assets.services.count import count_reconcile, count_scan

    n_scans = int(os.environ.get("BENCH_COUNT_SCANS", "20000"))
    rng = random.Random(int(os.environ.get("BENCH_SEED", "7")))
    count, memur, unscanned = _setup(n_scans, rng)
    yield "assets.count_scans", CountScan.objects.filter(count=count).count(), "scans"
    best = None
    for _ in range(ROUNDS):
        t0 = time.perf_counter()
        rec = count_reconcile(count)
        took = time.perf_counter() - t0
        best = took if best is None else min(best, took)
    yield "assets.count_reconcile_s", round(best, 3), "s"
    yield "assets.count_differences", rec.differences, "items"

    samples = []
    for asset in unscanned[:SCAN_SAMPLES]:
        t0 = time.perf_counter()
        count_scan(actor=memur, count=count, room=asset.room, label=asset.sicil_no)
        samples.append(time.perf_counter() - t0)
    if samples:
        yield "assets.count_scan_ms", round(statistics.median(samples) * 1000, 2), "ms"
