"""Registry numbers under concurrency: many clerks registering at once (issue 3 point 1).

``concurrent_registration_check`` registers documents from several threads, each with its
own database connection, through the real service (counter row locked with
``select_for_update``, audit event, search text) and counts what went wrong: numbers handed
out twice and numbers skipped. Used by the numbering test (tests/) and by ``make bench``
(``registry.number_duplicates``, ``registry.number_gaps``); it needs a configured Django
process on a database that several connections share (a SQLite file or PostgreSQL, not
SQLite in memory).
"""

import collections
import threading

from django.db import OperationalError, close_old_connections, connections

# A transient refusal of the database (SQLite busy past its timeout, a PostgreSQL deadlock or
# serialization failure) is retried; the failed attempt rolled back and took no number.
RETRIES = 20


def _default_registry_and_clerk():
    from bilgiislem.organization.choices import UnitKind
    from bilgiislem.organization.models import OrgUnit, Person

    from .permissions import clerk_post

    for registry in OrgUnit.objects.filter(kind=UnitKind.MUDURLUK, valid_to__isnull=True):
        for person in Person.objects.filter(is_active=True).order_by("pk"):
            if person.is_superuser or clerk_post(person, registry):
                return registry, person
    raise RuntimeError("No directorate with someone who may register documents in it.")


def _worker(count, registry_id, actor_id, numbers, errors, start, index):
    from bilgiislem.organization.models import OrgUnit, Person

    from .choices import Medium, PartyKind
    from .services import document_register

    try:
        registry = OrgUnit.objects.get(pk=registry_id)
        actor = Person.objects.get(pk=actor_id)
        start.wait(timeout=60)
        for n in range(count):
            for attempt in range(RETRIES + 1):
                try:
                    document = document_register(
                        actor=actor,
                        registry=registry,
                        medium=Medium.PAPER,
                        party_kind=PartyKind.COMPANY,
                        party_name="Eşzamanlılık Deneme A.Ş.",
                        subject=f"Eşzamanlı kayıt {index}-{n}",
                    )
                except OperationalError:
                    close_old_connections()
                    if attempt == RETRIES:
                        raise
                    continue
                numbers.append((document.registry_year, document.registry_number))
                break
    except Exception as exc:  # reported to the caller, which raises
        errors.append(exc)
    finally:
        connections.close_all()


def concurrent_registration_check(
    total: int = 1000, workers: int = 8, *, registry=None, actor=None
) -> tuple[int, int]:
    """Register ``total`` documents from ``workers`` threads; return (duplicates, gaps).

    Duplicates: numbers handed out more than once (the unique constraint would also refuse
    them). Gaps: numbers missing from the registry's sequence 1…highest in each numbering
    year touched, counted over every document of the registry, not only this run's.
    """
    from .models import Document

    if registry is None or actor is None:
        default_registry, default_actor = _default_registry_and_clerk()
        registry, actor = registry or default_registry, actor or default_actor
    numbers: list[tuple[int, int]] = []
    errors: list[Exception] = []
    start = threading.Barrier(workers)
    shares = [total // workers + (1 if i < total % workers else 0) for i in range(workers)]
    threads = [
        threading.Thread(
            target=_worker,
            args=(share, registry.pk, actor.pk, numbers, errors, start, i),
            name=f"registry-clerk-{i}",
        )
        for i, share in enumerate(shares)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    seen = collections.Counter(numbers)
    duplicates = sum(times - 1 for times in seen.values() if times > 1)
    gaps = 0
    for year in {year for year, _number in numbers}:
        stored = set(
            Document.objects.filter(registry=registry, registry_year=year).values_list(
                "registry_number", flat=True
            )
        )
        gaps += (max(stored) - len(stored)) if stored else 0
    return duplicates, gaps
