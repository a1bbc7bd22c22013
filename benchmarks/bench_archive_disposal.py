"""Figure for supervised disposal (issue 5, "Performance"):

- ``archive.disposal_candidates_s``: ``disposal_candidates(year)`` evaluated in full (every
  folder row with its unit and code, as the commission's list is made from them) over
  BENCH_ARCHIVE_DOCS archived documents (default 1,000,000). Goal: ≤ 5 s on SQLite.

The corpus: 20 units × 100 file plan codes × 10 years = 20,000 closed folders of 50 archived
documents each (a main filing per document, 1 % also filed as a copy elsewhere), dispositions
spread over destroy / evaluate / keep / transfer, retention ending over 12 years, 300 holds
on documents and 60 on folders (some lifted), and a few folders already on lists. Rows are
made in SQL (``INSERT … SELECT`` over a counter), not through the services.

It is built in its own SQLite file next to the run's database and thrown away afterwards, so
the million rows do not change what the other benchmark modules measure (the registry's
search and list pages run over their own corpus).

Environment: BENCH_ARCHIVE_DOCS.
"""

import os
import statistics
import time
from pathlib import Path

from django.db import connection, connections, transaction

UNITS = 20
CODES = 100
YEARS = 10
FIRST_YEAR = 2010
DISPOSAL_YEAR = 2026
ROUNDS = 3
DISPOSITIONS = ("destroy", "evaluate", "keep", "transfer")
COUNTER = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %s) "


def _ensure_org():
    from django.conf import settings

    from bilgiislem.organization.loading import demo_load, organization_load
    from bilgiislem.organization.models import Person

    if not Person.objects.filter(username="mudur").exists():
        organization_load(settings.BILGIISLEM_ORGANIZATION_FILE)
        demo_load(settings.BILGIISLEM_ORGANIZATION_FILE)


def _sql(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _build(total_docs: int) -> dict:
    """The corpus; returns a few numbers about it."""
    import datetime

    from bilgiislem.archive.models import (
        DisposalCommission,
        FilePlanCode,
        FilePlanVersion,
        Folder,
    )
    from bilgiislem.organization.models import OrgUnit, Person
    from bilgiislem.registry.search import suspend_index

    per_folder = max(1, total_docs // (UNITS * CODES * YEARS))
    kalem = Person.objects.get(username="kalem")
    units = list(OrgUnit.objects.order_by("pk")[:UNITS])
    version = FilePlanVersion.objects.create(
        name="bench", effective_from=datetime.date(2000, 1, 1), source="bench"
    )
    codes = FilePlanCode.objects.bulk_create(
        FilePlanCode(
            version=version,
            code=f"9{c // 10:01d}{c % 10:01d}.01",
            title=f"Örnek konu {c}",
            unit_years=2,
            institution_years=c % 12,
            disposition=DISPOSITIONS[c % len(DISPOSITIONS)],
        )
        for c in range(CODES)
    )
    folders = []
    for unit in units:
        for code in codes:
            for y in range(YEARS):
                year = FIRST_YEAR + y
                until = year + code.unit_years + code.institution_years
                folders.append(
                    Folder(
                        unit=unit,
                        code=code,
                        year=year,
                        title=code.title,
                        stage="institution_archive" if until - 2 < 2024 else "unit_archive",
                        unit_years=code.unit_years,
                        institution_years=code.institution_years,
                        disposition=code.disposition,
                        unit_archive_until=year + code.unit_years,
                        retention_until=until,
                        document_count=per_folder,
                    )
                )
    with transaction.atomic():
        Folder.objects.bulk_create(folders, batch_size=5000)
    first_folder = Folder.objects.order_by("pk").values_list("pk", flat=True).first()
    folder_count = len(folders)
    docs = folder_count * per_folder

    suspend_index(connection)  # the search index is not part of this figure
    registry = units[0].pk
    now = "2026-01-02 10:00:00"
    with transaction.atomic():
        # One registry, numbered 1..N in numbering year 2000: unique and cheap.
        _sql(
            COUNTER + "INSERT INTO registry_document (registry_id, registry_year, "
            "registry_number, direction, medium, registered_at, registered_by_id, party_kind, "
            "party_name, party_identifier, sayi, subject, sdp_code, secrecy, urgency, "
            "paper_location, status, done_at, eyp_belge_id, search_text) "
            "SELECT %s, 2000, i, 'incoming', 'electronic', %s, %s, 'company', 'Örnek A.Ş.', "
            "'', '', 'Örnek konu ' || i, '900.01', 'none', 'normal', '', 'done', %s, '', '' "
            "FROM n",
            [docs, registry, now, kalem.pk, now],
        )
    with connection.cursor() as cursor:
        cursor.execute("SELECT MIN(id) FROM registry_document WHERE registry_year = 2000")
        first_doc = cursor.fetchone()[0]
    with transaction.atomic():
        _sql(
            "INSERT INTO archive_archivedrecord (document_id, folder_id, archived_at, "
            "archived_by_id, manifest_sha256, disposal_state) "
            "SELECT id, %s + (id - %s) / %s, %s, %s, '', 'kept' "
            "FROM registry_document WHERE registry_year = 2000",
            [first_folder, first_doc, per_folder, now, kalem.pk],
        )
        _sql(
            "INSERT INTO archive_filing (folder_id, document_id, is_main, filed_by_id, filed_at) "
            "SELECT folder_id, document_id, %s, %s, %s FROM archive_archivedrecord",
            [True, kalem.pk, now],
        )
        # 1 % of the documents are also filed as a copy in another folder of the same unit.
        _sql(
            "INSERT INTO archive_filing (folder_id, document_id, is_main, filed_by_id, filed_at) "
            "SELECT CASE WHEN (folder_id - %s) %% %s = 0 THEN folder_id + 1 ELSE folder_id - 1 "
            "END, document_id, %s, %s, %s FROM archive_archivedrecord WHERE document_id %% 100 = 7",
            [first_folder, YEARS, False, kalem.pk, now],
        )
        # Holds: 300 documents, 60 folders, every fifth lifted.
        _sql(
            COUNTER + "INSERT INTO archive_legalhold (document_id, reason, placed_by_id, "
            "placed_at, lift_reason, lifted_at, lifted_by_id) "
            "SELECT %s + (i * 3331) %% %s, 'Dava', %s, %s, '', "
            "CASE WHEN i %% 5 = 0 THEN %s END, CASE WHEN i %% 5 = 0 THEN %s END FROM n",
            [300, first_doc, docs, kalem.pk, now, now, kalem.pk],
        )
        _sql(
            COUNTER + "INSERT INTO archive_legalhold (folder_id, reason, placed_by_id, "
            "placed_at, lift_reason, lifted_at, lifted_by_id) "
            "SELECT %s + (i * 331) %% %s, 'Soruşturma', %s, %s, '', "
            "CASE WHEN i %% 5 = 0 THEN %s END, CASE WHEN i %% 5 = 0 THEN %s END FROM n",
            [60, first_folder, folder_count, kalem.pk, now, now, kalem.pk],
        )
        # A few folders already on a draft list of an earlier year.
        commission = DisposalCommission.objects.create(
            name="bench", appointed_by=kalem, valid_from=datetime.date(2020, 1, 1)
        )
        _sql(
            "INSERT INTO archive_disposallist (commission_id, year, state, created_by_id, "
            "created_at, approved_as, minute_sha256, list_sha256) "
            "VALUES (%s, 2025, 'draft', %s, %s, '', '', '')",
            [commission.pk, kalem.pk, now],
        )
        _sql(
            "INSERT INTO archive_disposalitem (disposal_list_id, folder_id, code, title, "
            "unit_name, folder_year, document_count, removed, removed_reason) "
            "SELECT (SELECT MAX(id) FROM archive_disposallist), id, '', '', '', year, 0, %s, '' "
            "FROM archive_folder WHERE id %% 97 = 0",
            [False],
        )
    _sql("ANALYZE")
    return {"folders": folder_count, "documents": docs}


def _time_candidates():
    from bilgiislem.archive.services.disposal import disposal_candidates

    samples, rows = [], 0
    for _ in range(ROUNDS):
        t0 = time.perf_counter()
        rows = len(list(disposal_candidates(DISPOSAL_YEAR).select_related("unit", "code")))
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples), rows


def _forget_process_caches():
    """Answers cached for the process came from the other database: drop them."""
    from bilgiislem.organization import permissions
    from bilgiislem.registry import permissions as registry_permissions

    registry_permissions._UNIT_FACTS = {}
    permissions.clear_cache()


def run():
    from django.core.management import call_command

    total = int(os.environ.get("BENCH_ARCHIVE_DOCS", "1000000"))
    default = connections["default"]
    original = default.settings_dict["NAME"]
    path = Path(original).with_name("bench-archive-disposal.sqlite3")
    default.close()
    default.settings_dict["NAME"] = str(path)
    try:
        t0 = time.perf_counter()
        call_command("migrate", interactive=False, verbosity=0)
        _ensure_org()
        built = _build(total)
        build_s = time.perf_counter() - t0
        print(
            f"# built {built['documents']:,} archived documents in {built['folders']:,} "
            f"folders in {build_s:.1f} s ({connection.vendor}, {path.name})",
            flush=True,
        )
        seconds, rows = _time_candidates()
        yield "archive.disposal_candidates_s", round(seconds, 3), "s"
        yield "archive.disposal_candidates_folders", rows, "folders"
    finally:
        default.close()
        default.settings_dict["NAME"] = original
        _forget_process_caches()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
