"""Turkish business-day calendar (iş günü) for deadlines.

A business day is a Monday–Friday that is neither a public holiday (resmî tatil, from the
``holidays`` package: national days and the Ramazan and Kurban bayramları) nor an extra local
non-working day (idari izin declared by circular, setting ``BILGIISLEM_EXTRA_HOLIDAYS``, a
list of ISO dates read at call time).

Half-day eves (arife, "saat 13.00'ten itibaren" — the afternoons before Ramazan and Kurban
bayramı and before 29 Ekim) are business days: offices work the morning. A deadline that falls
on a half-day eve therefore stays on that date; ``is_half_day`` lets the interface mark it
("yarım gün — öğleden önce"), because in practice the work is due before the office closes at
13:00. Counting never moves a deadline off an eve on its own.

Periods are counted from the next business day (the day of receipt does not count), so
``add_business_days(received, 5)`` is the fifth business day after receipt.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

__all__ = [
    "add_business_days",
    "business_days_between",
    "holiday_name",
    "is_business_day",
    "is_half_day",
    "next_business_day",
    "previous_business_day",
]

# Guard against runaway loops (a misconfigured year of extra holidays, a huge n).
_MAX_SCAN_DAYS = 3660


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    """A plain date; an aware datetime is taken in the local (Europe/Istanbul) time zone."""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            return timezone.localtime(value).date()
        return value.date()
    return value


def _extra_days() -> tuple[dt.date, ...]:
    """The configured extra non-working days, parsed; part of the cache key below."""
    raw = getattr(settings, "BILGIISLEM_EXTRA_HOLIDAYS", None) or []
    days = []
    for item in raw:
        if isinstance(item, dt.date):
            days.append(_as_date(item))
            continue
        try:
            days.append(dt.date.fromisoformat(str(item).strip()))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"BILGIISLEM_EXTRA_HOLIDAYS: {item!r} is not an ISO date (YYYY-MM-DD)."
            ) from exc
    return tuple(sorted(set(days)))


@lru_cache(maxsize=64)
def _year(year: int, extra: tuple[dt.date, ...]) -> tuple[frozenset, frozenset, dict]:
    """(closed days, half days, names) for one year.

    ``extra`` is in the key so that changing the setting (or overriding it in a test) is
    seen at once instead of being hidden behind a stale cache entry.
    """
    public = holidays.Turkey(years=year, categories=("public",))
    half = holidays.Turkey(years=year, categories=("half_day",))
    own_extra = {d for d in extra if d.year == year}
    closed = frozenset(public) | frozenset(own_extra)
    names = {**dict(half.items()), **dict(public.items())}
    # An eve that is also declared a full day off is closed, not half.
    return closed, frozenset(half) - closed, names


def _info(day: dt.date) -> tuple[frozenset, frozenset, dict]:
    return _year(day.year, _extra_days())


def is_business_day(day: dt.date | dt.datetime) -> bool:
    """True for a Monday–Friday that is not a public holiday or an extra day off.

    Half-day eves count as business days.
    """
    day = _as_date(day)
    if day.weekday() >= 5:
        return False
    closed, _half, _names = _info(day)
    return day not in closed


def is_half_day(day: dt.date | dt.datetime) -> bool:
    """True for a half-day eve (arife, work stops at 13:00) that is otherwise a business day."""
    day = _as_date(day)
    if day.weekday() >= 5:
        return False
    _closed, half, _names = _info(day)
    return day in half


def holiday_name(day: dt.date | dt.datetime) -> str | None:
    """The holiday's name from the ``holidays`` package (public or half day), if any.

    Extra local days have no name here; the circular that declared them is the record.
    """
    day = _as_date(day)
    return _info(day)[2].get(day)


def _step(day: dt.date, direction: int) -> dt.date:
    for _ in range(_MAX_SCAN_DAYS):
        day += dt.timedelta(days=direction)
        if is_business_day(day):
            return day
    raise ValueError("No business day found within ten years; check BILGIISLEM_EXTRA_HOLIDAYS.")


def next_business_day(day: dt.date | dt.datetime) -> dt.date:
    """The first business day strictly after ``day``."""
    return _step(_as_date(day), +1)


def previous_business_day(day: dt.date | dt.datetime) -> dt.date:
    """The last business day strictly before ``day``."""
    return _step(_as_date(day), -1)


def add_business_days(start: dt.date | dt.datetime, n: int) -> dt.date:
    """The ``n``-th business day after ``start``, counting from the next business day.

    ``start`` itself never counts, whether or not it is a business day:
    ``add_business_days(friday, 1)`` is the following Monday (if that is a business day).
    ``n == 0`` gives ``start`` if it is a business day, otherwise the next one (a deadline
    "today" that falls on a closed day moves to the next business day). A negative ``n``
    counts backwards (for reminders "two business days before the due date").
    """
    day = _as_date(start)
    if n == 0:
        return day if is_business_day(day) else next_business_day(day)
    direction = 1 if n > 0 else -1
    for _ in range(abs(n)):
        day = _step(day, direction)
    return day


def business_days_between(a: dt.date | dt.datetime, b: dt.date | dt.datetime) -> int:
    """How many business days lie after ``a`` up to and including ``b``.

    The inverse of ``add_business_days``: ``business_days_between(a, add_business_days(a, n))
    == n`` for ``n >= 0``. Negative when ``b`` is before ``a`` (an overdue item's lateness
    is ``business_days_between(due, today)``); zero when they are equal.
    """
    a, b = _as_date(a), _as_date(b)
    if b < a:
        return -business_days_between(b, a)
    count = 0
    day = a
    while day < b:
        day += dt.timedelta(days=1)
        if is_business_day(day):
            count += 1
    return count
