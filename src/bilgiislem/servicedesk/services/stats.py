"""The daily figures per queue (DailyQueueStat) the dashboard reads instead of the requests.

``stats_record`` is called by the other services inside their transactions, at the moment
something happens (a request opened, resolved, closed, a target missed). It is one
``INSERT … ON CONFLICT DO UPDATE`` statement: atomic on PostgreSQL and SQLite alike, so two
technicians resolving at the same moment both count and neither gets a unique-key error.
``open_at_end`` cannot be kept by increments (cancel, merge and reopen do not report here),
so ``stats_fix_open_at_end`` recounts it from the requests every night.
"""

import datetime

from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from ..choices import OPEN_STATES
from ..models import DailyQueueStat, Queue, Ticket

_COUNTERS = ("opened", "resolved", "closed", "breached")


def _local_date(day) -> datetime.date:
    if isinstance(day, datetime.datetime):
        return timezone.localdate(day) if timezone.is_aware(day) else day.date()
    return day


def stats_record(queue, date, opened=0, resolved=0, closed=0, breached=0) -> None:
    """Add to a queue's figures of a day (a date, or an aware datetime → its local day)."""
    values = {"opened": opened, "resolved": resolved, "closed": closed, "breached": breached}
    for name, value in values.items():
        # A programming error, not bad input: the figures only ever count events.
        if not isinstance(value, int) or value < 0:
            raise ValueError(f"stats_record: {name} must be a non-negative integer")
    if not any(values.values()):
        return
    queue_id = queue.pk if isinstance(queue, Queue) else int(queue)
    qn = connection.ops.quote_name
    table = qn(DailyQueueStat._meta.db_table)
    counters = [qn(c) for c in _COUNTERS]
    columns = ", ".join([qn("queue_id"), qn("date"), *counters, qn("open_at_end")])
    updates = ", ".join(f"{c} = {table}.{c} + EXCLUDED.{c}" for c in counters)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s, 0) "  # noqa: S608 (no user input)
            f"ON CONFLICT ({qn('queue_id')}, {qn('date')}) DO UPDATE SET {updates}",
            [queue_id, _local_date(date), opened, resolved, closed, breached],
        )


def _day_end(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    )


def open_counts_at(moment: datetime.datetime) -> dict[int, int]:
    """Requests per queue open at ``moment``, recounted from the requests.

    Open at a moment: opened before it and either still open, or left the open states after
    it (resolved, closed, or — cancelled and merged have no timestamp of their own — last
    changed after it). A nightly job, so a pass over the requests is acceptable here.
    """
    open_states = [str(s) for s in OPEN_STATES]
    still_open = (
        Ticket.objects.filter(state__in=open_states, created_at__lt=moment)
        .values("queue_id")
        .annotate(n=Count("id"))
    )
    counts = {row["queue_id"]: row["n"] for row in still_open}
    left_later = (
        Ticket.objects.filter(created_at__lt=moment)
        .exclude(state__in=open_states)
        .exclude(state="unconfirmed")
        .filter(
            Q(resolved_at__gte=moment)
            | Q(resolved_at__isnull=True, closed_at__gte=moment)
            | Q(resolved_at__isnull=True, closed_at__isnull=True, updated_at__gte=moment)
        )
        .values("queue_id")
        .annotate(n=Count("id"))
    )
    for row in left_later:
        counts[row["queue_id"]] = counts.get(row["queue_id"], 0) + row["n"]
    return counts


def stats_fix_open_at_end(day: datetime.date) -> int:
    """Set every active queue's ``open_at_end`` of ``day``; returns the rows written."""
    counts = open_counts_at(_day_end(day))
    queue_ids = set(Queue.objects.filter(active=True).values_list("pk", flat=True)) | set(counts)
    with transaction.atomic():
        DailyQueueStat.objects.bulk_create(
            [DailyQueueStat(queue_id=q, date=day, open_at_end=counts.get(q, 0)) for q in queue_ids],
            update_conflicts=True,
            unique_fields=["queue", "date"],
            update_fields=["open_at_end"],
        )
    return len(queue_ids)
