"""Gapless official numbers from a counter row (DESIGN.md invariant 3, ADR 0008).

A counter model has a ``last_number`` field and is unique on its key fields (a registry and
a year, a year, a code and a year …). ``next_number`` is called inside the transaction that
commits the numbered thing: the counter row stays locked until that transaction ends, so
concurrent callers queue, and a rollback gives the number back — no duplicates, no gaps.
"""

from django.db import IntegrityError, connection, transaction


def next_number(counter_model, **key) -> int:
    """Increment the counter identified by ``key`` (field=value) and return the new number,
    creating the counter at 1 when it does not exist yet."""
    number = _bump(counter_model, key)
    if number is not None:
        return number
    try:
        with transaction.atomic():
            counter_model.objects.create(**key, last_number=1)
            return 1
    except IntegrityError:
        pass  # a concurrent transaction created it first: take the next number from theirs
    return _bump(counter_model, key)


def _bump(counter_model, key: dict) -> int | None:
    """One statement takes the row lock and returns the number (UPDATE … RETURNING on
    PostgreSQL and SQLite ≥ 3.35); None when the counter row does not exist."""
    quote = connection.ops.quote_name
    meta = counter_model._meta
    columns = [meta.get_field(name).column for name in key]
    where = " AND ".join(f"{quote(column)} = %s" for column in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            # Table and column names come from the model, never from input.
            f"UPDATE {quote(meta.db_table)} SET last_number = last_number + 1 "  # noqa: S608
            f"WHERE {where} RETURNING last_number",
            list(key.values()),
        )
        row = cursor.fetchone()
    return row[0] if row is not None else None
