"""VİF numbers stay unique and gapless when several officers sign off at once.

Real threads with their own database connections sign drafts through ``vif_sign`` in a
separate process on a database of its own (a SQLite file, or a throwaway PostgreSQL database
when the suite runs on PostgreSQL), as the registry's numbering test does; some signings are
refused inside their transaction and must give their number back.
"""

from tests.own_process import own_database, run_script

WORKERS = 6
PER_WORKER = 10

SCRIPT = r"""
import datetime, json, sys, threading
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0, interactive=False)
call_command("load_organization", verbosity=0)
call_command("load_demo", verbosity=0)
from django.db import OperationalError, close_old_connections, connections
from bilgiislem.assets.choices import VifKind
from bilgiislem.assets.models import Asset, Site, Store, TasinirCode, Vif, VifCounter
from bilgiislem.assets.services.vif import vif_create, vif_sign
from bilgiislem.core.errors import DomainError
from bilgiislem.organization.models import OrgUnit, Person, Position, PositionHolding

workers, per_worker = int(sys.argv[1]), int(sys.argv[2])
kalem = Person.objects.get(username="kalem")
PositionHolding.objects.create(
    person=kalem, start_date=datetime.date(2020, 1, 1),
    position=Position.objects.get(kind="tasinir_kayit_yetkilisi"),
)
unit = OrgUnit.objects.get(code="bilgi-islem")
store = Store.objects.create(unit=unit, code="01", name="Ambar")
code = TasinirCode.objects.create(code="255.02.02.02", title="Dizüstü bilgisayar")
day = datetime.date(2026, 5, 4)
drafts = [
    vif_create(actor=kalem, kind=VifKind.PURCHASE, store=store, date=day,
               supporting_reference=f"Fatura {i}", supporting_date=day,
               lines=[{"code": code, "unit_price": 100}])
    for i in range(workers * per_worker)
]
# Every fifth sign-off is refused after it took its number (the caller's transaction
# rolls back): its number must go to the next signing, leaving no gap.
refused = set()
for i, draft in enumerate(drafts):
    if i % 5 == 4:
        refused.add(draft.pk)
numbers, errors, refusals = [], [], []
start = threading.Barrier(workers)

def work(share):
    try:
        actor = Person.objects.get(pk=kalem.pk)
        start.wait(timeout=60)
        for draft in share:
            for attempt in range(30):
                try:
                    if draft.pk in refused:
                        from django.db import transaction
                        try:
                            with transaction.atomic():
                                vif_sign(actor=actor, vif=draft)
                                raise DomainError("refused after numbering", field="lines")
                        except DomainError:
                            refusals.append(draft.pk)
                    else:
                        vif = vif_sign(actor=actor, vif=draft)
                        numbers.append(vif.number)
                    break
                except OperationalError:
                    close_old_connections()
    except Exception as exc:
        errors.append(repr(exc))
    finally:
        connections.close_all()

threads = [threading.Thread(target=work, args=(drafts[i::workers],)) for i in range(workers)]
for t in threads: t.start()
for t in threads: t.join()
print(json.dumps({
    "errors": errors, "numbers": sorted(numbers), "refusals": len(refusals),
    "stored": sorted(n for n in Vif.objects.values_list("number", flat=True) if n),
    "counter": list(VifCounter.objects.values_list("last_number", flat=True)),
    "assets": Asset.objects.count(),
}))
"""


def test_concurrent_sign_offs_get_unique_consecutive_numbers(tmp_path):
    with own_database(tmp_path, "vif") as database_url:
        report = run_script(
            SCRIPT, WORKERS, PER_WORKER, database_url=database_url, tmp_path=tmp_path
        )
    signed = WORKERS * PER_WORKER - WORKERS * PER_WORKER // 5
    assert report["errors"] == []
    assert report["refusals"] == WORKERS * PER_WORKER // 5
    assert report["numbers"] == list(range(1, signed + 1))
    assert report["stored"] == report["numbers"]
    assert report["counter"] == [signed]
    assert report["assets"] == signed
