"""Registry numbering under 8 concurrent clerks on PostgreSQL (issue 3's figures).

Run by `make bench` through scripts/with-postgres.sh, which sets DATABASE_URL to a throwaway
cluster; prints the same `name: value unit` lines as benchmarks/run.py.
"""

import io
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ.setdefault("BILGIISLEM_VAR_DIR", tempfile.mkdtemp(prefix="bilgiislem-bench-pg-"))


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bilgiislem.registry.concurrency import concurrent_registration_check

    quiet = io.StringIO()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_organization", stdout=quiet)
    call_command("load_demo", stdout=quiet)
    print(f"# database: {connection.vendor} {connection.settings_dict['NAME']}")
    duplicates, gaps = concurrent_registration_check(total=1000, workers=8)
    print(f"registry.number_duplicates.{connection.vendor}: {duplicates} numbers")
    print(f"registry.number_gaps.{connection.vendor}: {gaps} numbers")


if __name__ == "__main__":
    main()
