"""Running a Django script in a process of its own, on a database of its own.

The numbering tests (registry, VİF, sicil) need real threads with their own connections:
they cannot share the suite's in-memory SQLite test database, and the suite's own database
(with its append-only audit table) must never be flushed. So the script runs in a separate
process on a SQLite file or, when the suite runs on PostgreSQL, on a throwaway database of
the same server. The script prints one JSON line last; that is what comes back.
"""

import contextlib
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def own_database(tmp_path, name: str):
    """The URL of a fresh database for one test, dropped afterwards on PostgreSQL."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp_path / f'{name}.sqlite3'}"
        return
    import psycopg

    parts = urlsplit(url)
    database = f"bilgiislem_conc_{uuid.uuid4().hex[:10]}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{database}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{database}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def run_script(script: str, *args, database_url: str, tmp_path, env: dict | None = None) -> dict:
    """Run ``script`` (``python -c``) with the test settings on ``database_url``; its last
    output line, as JSON. A failing script fails the test with its stderr."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url,
        "BILGIISLEM_VAR_DIR": str(tmp_path / "var"),
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")]),
        **(env or {}),
    }
    result = subprocess.run(
        [sys.executable, "-c", script, *map(str, args)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return json.loads(result.stdout.strip().splitlines()[-1])
