"""Sicil numbers (code + entry year + sequence, Taşınır Mal Yönetmeliği art. 36) stay unique
and gapless when several officers register assets of the same code and year at once.

Real threads with their own database connections register through ``asset_register`` in a
separate process on a database of its own (a SQLite file, or a throwaway PostgreSQL database
when the suite runs on PostgreSQL), as the VİF and registry numbering tests do. Some
registrations are refused inside their transaction after they took a number, which must go
to the next one; a second code and a second year run alongside and keep their own sequences.
"""

from tests.own_process import own_database, run_script

WORKERS = 6
PER_WORKER = 12

SCRIPT = r"""
import datetime, json, sys, threading
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0, interactive=False)
call_command("load_organization", verbosity=0)
call_command("load_demo", verbosity=0)
from django.db import OperationalError, close_old_connections, connections, transaction
from bilgiislem.assets.models import Asset, AssetSequence, Store, TasinirCode
from bilgiislem.assets.services.register import asset_register
from bilgiislem.core.errors import DomainError
from bilgiislem.organization.models import OrgUnit, Person, Position, PositionHolding

workers, per_worker = int(sys.argv[1]), int(sys.argv[2])
kalem = Person.objects.get(username="kalem")
PositionHolding.objects.create(
    person=kalem, start_date=datetime.date(2020, 1, 1),
    position=Position.objects.get(kind="tasinir_kayit_yetkilisi"),
)
store = Store.objects.create(unit=OrgUnit.objects.get(code="bilgi-islem"), code="01", name="Ambar")
laptop = TasinirCode.objects.create(code="255.02.02.02", title="Dizüstü bilgisayar")
monitor = TasinirCode.objects.create(code="255.02.02.03", title="Monitör")
this_year, last_year = datetime.date(2026, 5, 4), datetime.date(2025, 12, 30)
# Job i: the laptop code this year, except every fourth (a monitor) and every sixth (a laptop
# entered last year); every fifth is refused after it took its number.
jobs = []
for i in range(workers * per_worker):
    code = monitor if i % 4 == 3 else laptop
    day = last_year if i % 6 == 5 else this_year
    jobs.append((i, code, day, i % 5 == 4))
taken, errors, refusals = [], [], []
start = threading.Barrier(workers)

def work(share):
    try:
        actor = Person.objects.get(pk=kalem.pk)
        start.wait(timeout=60)
        for i, code, day, refuse in share:
            for attempt in range(30):
                try:
                    if refuse:
                        try:
                            with transaction.atomic():
                                asset_register(actor=actor, code=code, kind="laptop",
                                               store=store, entry_date=day)
                                raise DomainError("refused after numbering", field="code")
                        except DomainError:
                            refusals.append(i)
                    else:
                        asset = asset_register(actor=actor, code=code, kind="laptop",
                                               store=store, entry_date=day)
                        taken.append(asset.sicil_no)
                    break
                except OperationalError:
                    close_old_connections()
    except Exception as exc:
        errors.append(repr(exc))
    finally:
        connections.close_all()

threads = [threading.Thread(target=work, args=(jobs[i::workers],)) for i in range(workers)]
for t in threads: t.start()
for t in threads: t.join()
expected = {}
for i, code, day, refuse in jobs:
    if not refuse:
        key = f"{code.code}/{day.year}"
        expected[key] = expected.get(key, 0) + 1
sequences = {}
for code, year, seq in Asset.objects.values_list("code__code", "entry_year", "sequence"):
    sequences.setdefault(f"{code}/{year}", []).append(seq)
print(json.dumps({
    "errors": errors, "refusals": len(refusals), "taken": taken,
    "stored": list(Asset.objects.values_list("sicil_no", flat=True)),
    "expected": expected,
    "sequences": {k: sorted(v) for k, v in sequences.items()},
    "counters": {f"{c}/{y}": n for c, y, n in
                 AssetSequence.objects.values_list("code__code", "year", "last_number")},
}))
"""


def test_concurrent_registrations_get_unique_gapless_sicil_numbers(tmp_path):
    with own_database(tmp_path, "sicil") as database_url:
        report = run_script(
            SCRIPT, WORKERS, PER_WORKER, database_url=database_url, tmp_path=tmp_path
        )
    total = WORKERS * PER_WORKER
    assert report["errors"] == []
    assert report["refusals"] == total // 5
    # No duplicate: every sicil number given once, and exactly those are stored.
    assert len(report["taken"]) == len(set(report["taken"])) == total - total // 5
    assert sorted(report["stored"]) == sorted(report["taken"])
    # No gap: each code and year counts 1, 2, 3 … on its own, the refused numbers reused.
    assert set(report["sequences"]) == set(report["expected"])
    assert {"255.02.02.02/2026", "255.02.02.03/2026", "255.02.02.02/2025"} <= set(
        report["expected"]
    )
    for key, count in report["expected"].items():
        assert report["sequences"][key] == list(range(1, count + 1)), key
        assert report["counters"][key] == count, key
    assert "255.02.02.02-25-00001" in report["taken"]
