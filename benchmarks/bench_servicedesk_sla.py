"""Figures for the SLA clock (issue 6, "Performance").

- ``servicedesk.sla_per_s``: SLA deadlines computed per second (goal ≥ 20,000). One
  computation is what the clock does for a request whose wait has ended: the working
  minutes of its pause (``working_minutes_between``) and its resolution deadline from the
  start, target plus pause (``add_working_minutes``). Starts, pauses and targets are spread
  over 2025–2027, so the deadlines cross weekends, the Ramazan and Kurban bayramları, their
  half-day eves, 28/29 Ekim and year ends; working hours vary between three agreements.
- ``servicedesk.sla_status_per_s``: the clock's status for display (``sla_status``, what a
  queue page shows per row), on requests held in memory (no queries, by design).

Environment: BENCH_SLA_N (default 200,000 computations), BENCH_SEED. The best of ROUNDS.
"""

import datetime as dt
import os
import random
import time

ROUNDS = 3


def _cases(n: int, rng: random.Random):
    from django.utils import timezone

    from bilgiislem.servicedesk import sla

    tz = timezone.get_default_timezone()
    hours = [
        sla.DEFAULT_HOURS,
        sla.WorkingHours(dt.time(9, 0), dt.time(16, 0)),
        sla.WorkingHours(dt.time(8, 0), dt.time(17, 0)),
    ]
    base = dt.datetime(2025, 1, 1, tzinfo=tz)
    span = 3 * 365 * 24 * 60 - 30 * 24 * 60
    cases = []
    for _ in range(n):
        start = base + dt.timedelta(minutes=rng.randrange(span))
        pause_from = start + dt.timedelta(minutes=rng.randrange(0, 3 * 24 * 60))
        pause_to = pause_from + dt.timedelta(minutes=rng.randrange(0, 6 * 24 * 60))
        target = rng.choice((240, 540, 1620, 2700, 5400))
        cases.append((start, pause_from, pause_to, target, rng.choice(hours)))
    return cases


def _deadlines(cases) -> float:
    from bilgiislem.servicedesk.sla import add_working_minutes, working_minutes_between

    t0 = time.perf_counter()
    for start, pause_from, pause_to, target, hours in cases:
        paused = working_minutes_between(pause_from, pause_to, hours)
        add_working_minutes(start, target + paused, hours)
    return len(cases) / (time.perf_counter() - t0)


def _tickets(cases):
    from bilgiislem.servicedesk.models import Ticket
    from bilgiislem.servicedesk.sla import add_working_minutes

    tickets = []
    for start, pause_from, _pause_to, target, hours in cases:
        tickets.append(
            Ticket(
                state="in_progress",
                created_at=start,
                response_due_at=add_working_minutes(start, target // 4, hours),
                resolution_due_at=add_working_minutes(start, target, hours),
                paused_since=pause_from if target == 540 else None,
            )
        )
    return tickets


def _statuses(tickets, cases) -> float:
    from bilgiislem.servicedesk.services.sla import sla_status

    t0 = time.perf_counter()
    for ticket, case in zip(tickets, cases, strict=True):
        sla_status(ticket, case[2])
    return len(tickets) / (time.perf_counter() - t0)


def run():
    n = int(os.environ.get("BENCH_SLA_N", "200000"))
    rng = random.Random(int(os.environ.get("BENCH_SEED", "6")))
    cases = _cases(n, rng)
    # Warm the per-year tables (built once per process and working hours, as in service).
    _deadlines(cases[:5000])
    yield "servicedesk.sla_per_s", round(max(_deadlines(cases) for _ in range(ROUNDS))), "/s"
    tickets = _tickets(cases[: n // 4])
    best = max(_statuses(tickets, cases[: n // 4]) for _ in range(ROUNDS))
    yield "servicedesk.sla_status_per_s", round(best), "/s"
