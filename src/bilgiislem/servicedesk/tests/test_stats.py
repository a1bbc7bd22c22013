"""The daily queue figures: increments, local days, the nightly open count, and eight writers
adding to the same row at once."""

import datetime
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from ..choices import TicketState
from ..models import DailyQueueStat
from ..services.stats import stats_fix_open_at_end, stats_record
from ._reports import at, ensure_queues, make_ticket

DAY = datetime.date(2025, 3, 3)


@pytest.fixture
def queues(units):
    return ensure_queues(units)


def _row(queue, day=DAY):
    return DailyQueueStat.objects.get(queue=queue, date=day)


def test_record_creates_then_adds(queues):
    queue = queues["bilgi-islem-teknik-destek"]
    stats_record(queue, DAY, opened=1)
    stats_record(queue, DAY, opened=2, resolved=1)
    stats_record(queue.pk, DAY, closed=1, breached=3)
    row = _row(queue)
    assert (row.opened, row.resolved, row.closed, row.breached) == (3, 1, 1, 3)
    assert DailyQueueStat.objects.filter(queue=queue).count() == 1


def test_record_keeps_queues_and_days_apart(queues):
    td, sistem = queues["bilgi-islem-teknik-destek"], queues["bilgi-islem-sistem"]
    stats_record(td, DAY, opened=1)
    stats_record(td, DAY + datetime.timedelta(days=1), opened=5)
    stats_record(sistem, DAY, opened=7)
    assert _row(td).opened == 1
    assert _row(td, DAY + datetime.timedelta(days=1)).opened == 5
    assert _row(sistem).opened == 7


def test_record_counts_a_datetime_on_its_local_day(queues):
    queue = queues["bilgi-islem-teknik-destek"]
    # 22:30 UTC on the 2nd is 01:30 on the 3rd in Istanbul.
    stats_record(queue, datetime.datetime(2025, 3, 2, 22, 30, tzinfo=datetime.UTC), opened=1)
    assert _row(queue, DAY).opened == 1
    assert not DailyQueueStat.objects.filter(date=datetime.date(2025, 3, 2)).exists()


def test_record_refuses_negative_and_skips_nothing(queues):
    queue = queues["bilgi-islem-teknik-destek"]
    with pytest.raises(ValueError, match="resolved"):
        stats_record(queue, DAY, resolved=-1)
    stats_record(queue, DAY)
    assert not DailyQueueStat.objects.filter(queue=queue).exists()


def test_fix_open_at_end_recounts_from_requests(queues):
    td, sistem = queues["bilgi-islem-teknik-destek"], queues["bilgi-islem-sistem"]
    before = DAY - datetime.timedelta(days=3)
    after = DAY + datetime.timedelta(days=1)
    make_ticket(td, created_at=at(before), state=TicketState.IN_PROGRESS)  # open
    make_ticket(td, created_at=at(DAY, 16), state=TicketState.WAITING_PART)  # open
    make_ticket(td, created_at=at(after), state=TicketState.NEW)  # opened later
    make_ticket(  # resolved the next day: was open at the end of DAY
        td,
        created_at=at(before),
        state=TicketState.CLOSED,
        resolved_at=at(after),
        closed_at=at(after),
    )
    make_ticket(  # resolved on DAY: no longer open
        td, created_at=at(before), state=TicketState.RESOLVED, resolved_at=at(DAY, 11)
    )
    make_ticket(sistem, created_at=at(before), state=TicketState.ASSIGNED)
    make_ticket(sistem, created_at=at(before), state=TicketState.UNCONFIRMED)  # not accepted yet
    stats_record(td, DAY, opened=1)

    written = stats_fix_open_at_end(DAY)

    assert written >= 3  # every active queue gets its row, even with nothing that day
    assert _row(td).open_at_end == 3
    assert _row(td).opened == 1  # the counters are left alone
    assert _row(sistem).open_at_end == 1
    assert _row(queues["bilgi-islem-yazilim"]).open_at_end == 0
    # Running it again sets, never adds.
    stats_fix_open_at_end(DAY)
    assert _row(td).open_at_end == 3


def test_nightly_task_fixes_yesterday_and_the_day_before(queues):
    from django.utils import timezone

    from ..tasks import fix_open_at_end

    today = timezone.localdate()
    td = queues["bilgi-islem-teknik-destek"]
    make_ticket(td, created_at=at(today - datetime.timedelta(days=5)), state=TicketState.NEW)
    result = fix_open_at_end.call_local()
    assert sorted(result) == [
        (today - datetime.timedelta(days=2)).isoformat(),
        (today - datetime.timedelta(days=1)).isoformat(),
    ]
    assert _row(td, today - datetime.timedelta(days=1)).open_at_end == 1
    assert _row(td, today - datetime.timedelta(days=2)).open_at_end == 1
    assert not DailyQueueStat.objects.filter(date=today).exists()


# --- Concurrency: real threads on a database of their own ------------------------------------

ROOT = Path(__file__).resolve().parents[4]
WORKERS, PER_WORKER = 8, 40

SCRIPT = """
import json, sys, threading, datetime
import django
django.setup()
from django.db import connection, connections, transaction
from bilgiislem.organization.models import OrgUnit
from bilgiislem.servicedesk.models import DailyQueueStat, Queue
from bilgiislem.servicedesk.services.stats import stats_record
with connection.schema_editor() as editor:
    for model in (OrgUnit, Queue, DailyQueueStat):
        editor.create_model(model)
unit = OrgUnit.objects.create(code="td", name="TD", kind="birim", valid_from="2025-01-01")
queue = Queue.objects.create(unit=unit, name="TD")
workers, per_worker = int(sys.argv[1]), int(sys.argv[2])
start, errors = threading.Barrier(workers), []
def work():
    try:
        start.wait()
        for _ in range(per_worker):
            with transaction.atomic():
                stats_record(queue.pk, datetime.date(2025, 3, 3), opened=1, resolved=1)
    except Exception as exc:  # reported to the test
        errors.append(repr(exc))
    finally:
        connections.close_all()
threads = [threading.Thread(target=work) for _ in range(workers)]
for t in threads: t.start()
for t in threads: t.join()
rows = list(DailyQueueStat.objects.values("opened", "resolved"))
print(json.dumps({"errors": errors, "rows": rows}))
"""


@pytest.fixture
def database_url(tmp_path):
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp_path / 'stats.sqlite3'}"
        return
    import psycopg

    parts = urlsplit(url)
    name = f"bilgiislem_stats_{uuid.uuid4().hex[:10]}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_concurrent_records_all_count(tmp_path, database_url):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url,
        "BILGIISLEM_VAR_DIR": str(tmp_path / "var"),
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")]),
    }
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(WORKERS), str(PER_WORKER)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["errors"] == []
    assert result["rows"] == [{"opened": WORKERS * PER_WORKER, "resolved": WORKERS * PER_WORKER}]
