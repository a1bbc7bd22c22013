"""Registry numbers stay unique and gapless with 8 clerks registering at once (issue 3).

The workers are real threads with their own database connections, registering through the
service, in a separate process on a database of its own: a SQLite file (threads cannot share
the suite's in-memory test database) or, when the suite runs on PostgreSQL, a throwaway
database on the same server. The suite's own test database (and its append-only audit table)
is never flushed.
"""

import pytest

from tests.own_process import own_database, run_script

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


@pytest.mark.parametrize("yearly", ["true", "false"])
def test_concurrent_registrations_get_unique_consecutive_numbers(tmp_path, yearly):
    total = WORKERS * PER_WORKER
    with own_database(tmp_path, "numbering") as database_url:
        report = run_script(
            SCRIPT,
            total,
            WORKERS,
            database_url=database_url,
            tmp_path=tmp_path,
            env={"BILGIISLEM_REGISTRY_YEARLY": yearly},
        )
    assert report["duplicates"] == 0
    assert report["gaps"] == 0
    assert report["numbers"] == list(range(1, total + 1))
    assert report["counter"] == [total]
