"""Working-minute arithmetic for the SLA clock (issue 6 point 5). Pure functions, no queries.

A target such as "resolve within 960 working minutes" counts only the agreement's working
hours (``work_start``–``work_end``, default 08:30–17:30) on business days of
``core.calendar``: Monday–Friday that are not public holidays (national days, Ramazan and
Kurban bayramı) nor extra days off (``BILGIISLEM_EXTRA_HOLIDAYS``). On a half-day eve (arife,
the afternoon before a bayram and 28 Ekim) the office closes at 13:00, so the working day ends
at the earlier of 13:00 and ``work_end``.

Speed matters (bench ``servicedesk.sla_per_s``: the escalation task and every queue page
compute deadlines): each calendar year is turned once into a table of cumulative working
seconds at the start of each day, so a computation is a bisection instead of a walk over the
days. Internally the clock counts seconds; the public functions speak minutes.

Datetimes are taken in local time (Europe/Istanbul): working hours are wall-clock hours.
Naive datetimes are read as local time; results are aware, in the local time zone.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from functools import lru_cache
from typing import NamedTuple

from django.utils import timezone

from bilgiislem.core import calendar

__all__ = [
    "DEFAULT_HOURS",
    "HALF_DAY_END",
    "WorkingHours",
    "add_working_minutes",
    "hours_of",
    "working_minutes_between",
    "working_seconds_between",
]

# "Arife günü saat 13.00'ten itibaren" (Law 2429): the eve's afternoon is off.
HALF_DAY_END = dt.time(13, 0)
# Guard against a runaway target (a misconfigured agreement): ten years of work at most.
_MAX_YEARS = 10


class WorkingHours(NamedTuple):
    """An agreement's working day, wall-clock local time; ``end`` after ``start``."""

    start: dt.time
    end: dt.time


DEFAULT_HOURS = WorkingHours(dt.time(8, 30), dt.time(17, 30))


def hours_of(agreement) -> WorkingHours:
    """The working hours of an agreement (the default ones for none)."""
    if agreement is None:
        return DEFAULT_HOURS
    return WorkingHours(_as_time(agreement.work_start), _as_time(agreement.work_end))


def _as_time(value) -> dt.time:
    # An unsaved model keeps the field default, a string such as "08:30".
    return value if isinstance(value, dt.time) else dt.time.fromisoformat(str(value))


def _seconds(t: dt.time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


class _Year(NamedTuple):
    first: int  # ordinal of 1 January
    opens: tuple[int, ...]  # per day: second of the day work starts
    lengths: tuple[int, ...]  # per day: working seconds (0 on closed days)
    cum: tuple[int, ...]  # cumulative working seconds at the start of each day (+ the total)


@lru_cache(maxsize=256)
def _year(year: int, start: int, end: int, extra: tuple) -> _Year:
    """The table of one year for working hours ``start``..``end`` (seconds of the day).

    ``extra`` (the configured extra holidays) is only part of the key: a changed setting
    builds a new table instead of reading a stale one.
    """
    half_end = min(end, _seconds(HALF_DAY_END))
    first = dt.date(year, 1, 1)
    days = (dt.date(year + 1, 1, 1) - first).days
    opens, lengths, cum = [], [], [0]
    for i in range(days):
        day = first + dt.timedelta(days=i)
        if not calendar.is_business_day(day):
            length = 0
        elif calendar.is_half_day(day):
            length = max(0, half_end - start)
        else:
            length = end - start
        opens.append(start)
        lengths.append(length)
        cum.append(cum[-1] + length)
    return _Year(first.toordinal(), tuple(opens), tuple(lengths), tuple(cum))


def _table(year: int, hours: WorkingHours, extra: tuple) -> _Year:
    return _year(year, _seconds(hours[0]), _seconds(hours[1]), extra)


def _local(value: dt.datetime) -> dt.datetime:
    """Naive wall-clock time of the site's time zone (never the one a request activated:
    working hours are the office's)."""
    if value.tzinfo is not None:
        return value.astimezone(timezone.get_default_timezone()).replace(tzinfo=None)
    return value


def _position(local: dt.datetime, hours: WorkingHours, extra: tuple) -> tuple[int, int]:
    """(year, working seconds of that year elapsed at ``local``)."""
    table = _table(local.year, hours, extra)
    i = local.toordinal() - table.first
    into = local.hour * 3600 + local.minute * 60 + local.second - table.opens[i]
    length = table.lengths[i]
    into = 0 if into < 0 else (length if into > length else into)
    return local.year, table.cum[i] + into


def working_seconds_between(a: dt.datetime, b: dt.datetime, hours=DEFAULT_HOURS) -> int:
    """Working seconds from ``a`` to ``b`` (negative when ``b`` is before ``a``)."""
    extra = calendar._extra_days()
    ya, pa = _position(_local(a), hours, extra)
    yb, pb = _position(_local(b), hours, extra)
    if ya == yb:
        return pb - pa
    sign = 1
    if yb < ya:
        (ya, pa), (yb, pb), sign = (yb, pb), (ya, pa), -1
    total = _table(ya, hours, extra).cum[-1] - pa + pb
    for year in range(ya + 1, yb):
        total += _table(year, hours, extra).cum[-1]
    return sign * total


def working_minutes_between(a: dt.datetime, b: dt.datetime, hours=DEFAULT_HOURS) -> int:
    """Whole working minutes from ``a`` to ``b`` (rounded toward zero; negative if b < a)."""
    seconds = working_seconds_between(a, b, hours)
    return seconds // 60 if seconds >= 0 else -(-seconds // 60)


def add_working_minutes(start: dt.datetime, minutes: float, hours=DEFAULT_HOURS) -> dt.datetime:
    """The moment ``minutes`` working minutes after ``start``.

    A deadline that uses up a day's last minute is that day's closing time (17:30), not the
    next working day's opening. ``start`` outside working hours counts from the next opening.
    ``minutes <= 0`` gives ``start`` back unchanged (the clock never runs backwards).
    """
    if minutes <= 0:
        return start
    extra = calendar._extra_days()
    year, position = _position(_local(start), hours, extra)
    target = position + round(minutes * 60)
    for _ in range(_MAX_YEARS + 1):
        table = _table(year, hours, extra)
        if target <= table.cum[-1]:
            # The day whose working span contains the target: cum[i] < target <= cum[i+1].
            i = bisect_left(table.cum, target) - 1
            second = table.opens[i] + target - table.cum[i]
            day = dt.date.fromordinal(table.first + i)
            naive = dt.datetime.combine(day, dt.time()) + dt.timedelta(seconds=second)
            # zoneinfo resolves the offset of that wall-clock moment (fold 0 in a DST gap).
            return naive.replace(tzinfo=timezone.get_default_timezone())
        target -= table.cum[-1]
        year += 1
    raise ValueError(f"{minutes} working minutes is more than {_MAX_YEARS} years of work.")
