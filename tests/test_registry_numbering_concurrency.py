"""Registry numbers stay unique and gapless with 8 clerks registering at once (issue 3).

The workers are real threads with their own database connections, registering through the
service, in a separate process on a database of its own: a SQLite file (threads cannot share
the suite's in-memory test database) or, when the suite runs on PostgreSQL, a throwaway
database on the same server. The suite's own test database (and its append-only audit table)
is never flushed.
"""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 8
PER_WORKER = 25

SCRIPT = """
import json, sys
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0, interactive=False)
call_command("load_organization", verbosity=0)
call_command("load_demo", verbosity=0)
from bilgiislem.registry.concurrency import concurrent_registration_check
from bilgiislem.registry.models import Document, RegistryCounter
duplicates, gaps = concurrent_registration_check(total=int(sys.argv[1]), workers=int(sys.argv[2]))
numbers = sorted(Document.objects.values_list("registry_number", flat=True))
print(json.dumps({
    "duplicates": duplicates, "gaps": gaps, "numbers": numbers,
    "counter": list(RegistryCounter.objects.values_list("last_number", flat=True)),
}))
"""


def _postgres_database(url: str):
    """Create a throwaway database beside the suite's; returns (its URL, drop function)."""
    import psycopg

    parts = urlsplit(url)
    name = f"bilgiislem_conc_{uuid.uuid4().hex[:10]}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlunsplit(parts._replace(path=f"/{name}")), drop


@pytest.fixture
def database_url(tmp_path):
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        own, drop = _postgres_database(url)
        yield own
        drop()
    else:
        yield f"sqlite:///{tmp_path / 'numbering.sqlite3'}"


@pytest.mark.parametrize("yearly", ["true", "false"])
def test_concurrent_registrations_get_unique_consecutive_numbers(tmp_path, database_url, yearly):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url,
        "BILGIISLEM_VAR_DIR": str(tmp_path / "var"),
        "BILGIISLEM_REGISTRY_YEARLY": yearly,
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")]),
    }
    total = WORKERS * PER_WORKER
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(total), str(WORKERS)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["duplicates"] == 0
    assert report["gaps"] == 0
    assert report["numbers"] == list(range(1, total + 1))
    assert report["counter"] == [total]
