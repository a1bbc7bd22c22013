"""Figures for the taşınır reports (issue 7, H-REPORTS: "fast at 200,000 assets").

The register of bench_assets_list (BENCH_ASSETS, default 200,000 assets) gets its signed
VİFs, written in bulk: every asset entered on a purchase VİF of its entry year (100 lines a
VİF), every written-off asset taken out on a write-off VİF the year after, and
BENCH_REPORT_CONSUMABLE_LINES (default 20,000) consumption lines of toner spread over the
years. Then, as the Director, through the test Client (the whole page, median of ROUNDS):

- ``assets.report_account_ms``: the Harcama Birimi Taşınır Mal Yönetim Hesabı Cetveli of
  REPORT_YEAR; ``assets.report_account_queries`` its queries (constant);
- ``assets.report_consumables_ms``: the consumables issued in a month;
- ``assets.report_last_vif_ms``: the last-VİF tutanak page;
- ``assets.report_book_ms``: the first page of the Dayanıklı Taşınırlar Defteri of the year;
- ``assets.report_book_csv_s``: the whole year's book streamed as CSV
  (``assets.report_book_lines`` lines).
"""

import datetime as dt
import os
import random
import statistics
import time

ROUNDS = 7
REPORT_YEAR = 2025
LINES_PER_VIF = 100


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def ensure_vifs(consumable_lines: int) -> int:
    """Signed VİFs for every asset that has none yet; returns the VİF lines written."""
    from django.db import transaction
    from django.db.models import Max

    from bilgiislem.assets.choices import AssetStatus, VifKind, VifState
    from bilgiislem.assets.models import Asset, Store, TasinirCode, Vif, VifCounter, VifLine
    from bilgiislem.organization.models import Person

    if VifLine.objects.filter(asset__isnull=False).exists():
        return 0
    rng = random.Random(int(os.environ.get("BENCH_SEED", "7")))
    store = Store.objects.first()
    actor = Person.objects.get(username="mudur")
    numbers = {r["year"]: r["top"] for r in Vif.objects.values("year").annotate(top=Max("number"))}
    written = 0

    def vif(year, kind, reference):
        numbers[year] = (numbers.get(year) or 0) + 1
        day = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
        return Vif(
            year=year,
            number=numbers[year],
            kind=kind,
            date=day,
            store=store,
            supporting_reference=reference,
            supporting_date=day,
            state=VifState.SIGNED,
            prepared_by=actor,
            signed_by=actor,
        )

    with transaction.atomic():
        assets = list(
            Asset.objects.order_by("entry_year", "pk").values_list(
                "pk", "code_id", "entry_year", "value", "status"
            )
        )
        by_year: dict[int, list] = {}
        for row in assets:
            by_year.setdefault(row[2], []).append(row)
        leaving = []
        for year, rows in sorted(by_year.items()):
            for start in range(0, len(rows), LINES_PER_VIF):
                chunk = rows[start : start + LINES_PER_VIF]
                header = vif(year, VifKind.PURCHASE, f"Fatura {year}-{start}")
                header.save()
                VifLine.objects.bulk_create(
                    VifLine(vif=header, code_id=c, asset_id=pk, quantity=1, unit_price=value)
                    for pk, c, _y, value, _s in chunk
                )
                written += len(chunk)
                leaving += [r for r in chunk if r[4] == AssetStatus.WRITTEN_OFF]
        for start in range(0, len(leaving), LINES_PER_VIF):
            chunk = leaving[start : start + LINES_PER_VIF]
            year = min(chunk[0][2] + 1, REPORT_YEAR + 1)
            header = vif(year, VifKind.WRITE_OFF, f"Kayıttan düşme {start}")
            header.save()
            VifLine.objects.bulk_create(
                VifLine(vif=header, code_id=c, asset_id=pk, quantity=1, unit_price=value)
                for pk, c, _y, value, _s in chunk
            )
            written += len(chunk)
        toner = TasinirCode.objects.filter(code__startswith="150.").order_by("code").last()
        if toner is None:
            # Another benchmark of the run made the places without the code list.
            from bilgiislem.assets.services.codes import tasinir_codes_load_file

            tasinir_codes_load_file()
            toner = TasinirCode.objects.filter(code__startswith="150.").order_by("code").last()
        years = sorted(by_year) or [REPORT_YEAR]
        for start in range(0, consumable_lines, LINES_PER_VIF):
            header = vif(rng.choice(years), VifKind.CONSUMPTION, f"İstek {start}")
            header.save()
            VifLine.objects.bulk_create(
                VifLine(
                    vif=header,
                    code=toner,
                    quantity=rng.randint(1, 5),
                    unit_price=rng.randint(100, 900),
                    description="Toner",
                )
                for _n in range(min(LINES_PER_VIF, consumable_lines - start))
            )
            written += min(LINES_PER_VIF, consumable_lines - start)
        for year, last in numbers.items():
            VifCounter.objects.update_or_create(year=year, defaults={"last_number": last})
    return written


def _median(client, url: str) -> float:
    samples = []
    for _ in range(ROUNDS):
        t0 = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - t0)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: status {response.status_code}")
    return statistics.median(samples)


def run():
    from bench_assets_list import ensure_assets
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bilgiislem.organization.models import Person

    total = int(os.environ.get("BENCH_ASSETS", "200000"))
    ensure_assets(total)
    t0 = time.perf_counter()
    written = ensure_vifs(int(os.environ.get("BENCH_REPORT_CONSUMABLE_LINES", "20000")))
    if written:
        yield "assets.report_data_load_s", round(time.perf_counter() - t0, 1), "s"
    client = Client(HTTP_HOST="localhost")
    client.force_login(Person.objects.get(username="mudur"))
    account = f"/tasinir/raporlar/yonetim-hesabi/?year={REPORT_YEAR}"
    client.get(account)
    with CaptureQueriesContext(connection) as queries:
        client.get(account)
    yield "assets.report_account_queries", len(queries), "queries"
    yield "assets.report_account_ms", _ms(_median(client, account)), "ms"
    consumables = f"/tasinir/raporlar/tuketim/?month={REPORT_YEAR}-03"
    yield "assets.report_consumables_ms", _ms(_median(client, consumables)), "ms"
    last = f"/tasinir/raporlar/son-vif/?year={REPORT_YEAR}"
    yield "assets.report_last_vif_ms", _ms(_median(client, last)), "ms"
    book = f"/tasinir/raporlar/dayanikli-defter/?year={REPORT_YEAR}"
    yield "assets.report_book_ms", _ms(_median(client, book)), "ms"
    t0 = time.perf_counter()
    response = client.get(book + "&format=csv")
    lines = sum(chunk.count(b"\n") for chunk in response.streaming_content) - 1
    yield "assets.report_book_csv_s", round(time.perf_counter() - t0, 2), "s"
    yield "assets.report_book_lines", lines, "lines"
