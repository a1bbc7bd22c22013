"""Business-day calendar, checked against the real 2026 Turkish holidays by hand.

2026: Ramazan Bayramı arife Thu 19.03 (half day), bayram Fri 20 – Sun 22.03; 23 Nisan Thu;
1 Mayıs Fri; 19 Mayıs Tue; Kurban Bayramı arife Tue 26.05 (half day), bayram Wed 27 – Sat
30.05; 15 Temmuz Wed; 30 Ağustos Sun; Cumhuriyet Bayramı eve Wed 28.10 (half day), 29.10 Thu.
"""

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import ImproperlyConfigured

from bilgiislem.core.calendar import (
    add_business_days,
    business_days_between,
    holiday_name,
    is_business_day,
    is_half_day,
    next_business_day,
    previous_business_day,
)

D = dt.date


@pytest.fixture(autouse=True)
def _no_extra_holidays(settings):
    settings.BILGIISLEM_EXTRA_HOLIDAYS = []


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2026, 3, 16), True),  # ordinary Monday
        (D(2026, 3, 19), True),  # Ramazan arife: half day, still a business day
        (D(2026, 3, 20), False),  # Ramazan Bayramı
        (D(2026, 3, 21), False),  # Saturday (and bayram)
        (D(2026, 3, 23), True),
        (D(2026, 1, 1), False),  # Yılbaşı
        (D(2026, 4, 23), False),
        (D(2026, 5, 1), False),
        (D(2026, 5, 19), False),
        (D(2026, 5, 26), True),  # Kurban arife: half day
        (D(2026, 5, 27), False),
        (D(2026, 5, 29), False),
        (D(2026, 7, 15), False),
        (D(2026, 10, 28), True),  # eve of Cumhuriyet Bayramı: half day
        (D(2026, 10, 29), False),
        (D(2026, 10, 30), True),
        (D(2026, 6, 6), False),  # Saturday
        (D(2026, 6, 7), False),  # Sunday
    ],
)
def test_is_business_day(day, expected):
    assert is_business_day(day) is expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2026, 3, 19), True),
        (D(2026, 5, 26), True),
        (D(2026, 10, 28), True),
        (D(2026, 3, 20), False),  # the bayram itself is a full holiday
        (D(2026, 3, 18), False),
        (D(2026, 6, 6), False),
    ],
)
def test_is_half_day(day, expected):
    assert is_half_day(day) is expected


def test_holiday_name():
    assert holiday_name(D(2026, 10, 29))
    assert holiday_name(D(2026, 3, 19))  # half days are named too
    assert holiday_name(D(2026, 3, 18)) is None


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # The brief's examples.
        (D(2026, 3, 18), 1, D(2026, 3, 19)),  # onto the arife: it stays there
        (D(2026, 3, 19), 1, D(2026, 3, 23)),  # over bayram and the weekend
        # Fri 22.05 + 5: Mon 25 (1), arife Tue 26 (2), 27-29 bayram, 30-31 weekend,
        # Mon 01.06 (3), Tue 02.06 (4), Wed 03.06 (5).
        (D(2026, 5, 22), 5, D(2026, 6, 3)),
        # Mon 16.03 + 15: 17, 18, 19 (3); 20 bayram; 23-27 (8); 30, 31, 1, 2, 3 (13);
        # 6, 7 (15).
        (D(2026, 3, 16), 15, D(2026, 4, 7)),
        (D(2026, 10, 27), 1, D(2026, 10, 28)),  # onto the Cumhuriyet eve
        (D(2026, 10, 28), 1, D(2026, 10, 30)),
        (D(2026, 4, 22), 1, D(2026, 4, 24)),  # over 23 Nisan
        (D(2026, 4, 30), 1, D(2026, 5, 4)),  # over 1 Mayıs and the weekend
        (D(2026, 5, 18), 1, D(2026, 5, 20)),  # over 19 Mayıs
        (D(2025, 12, 31), 1, D(2026, 1, 2)),  # across the year and Yılbaşı
        (D(2026, 3, 20), 1, D(2026, 3, 23)),  # start on a holiday: it never counts
        (D(2026, 3, 21), 1, D(2026, 3, 23)),  # start on a weekend
        (D(2026, 6, 5), 1, D(2026, 6, 8)),  # Friday → Monday
    ],
)
def test_add_business_days(start, n, expected):
    assert add_business_days(start, n) == expected


def test_zero_days_rolls_a_closed_day_forward():
    assert add_business_days(D(2026, 3, 18), 0) == D(2026, 3, 18)
    assert add_business_days(D(2026, 3, 20), 0) == D(2026, 3, 23)
    assert add_business_days(D(2026, 3, 19), 0) == D(2026, 3, 19)  # half day is open


def test_negative_days_count_backwards():
    assert add_business_days(D(2026, 3, 23), -1) == D(2026, 3, 19)
    # Back from Wed 03.06: 02.06, 01.06, 26.05, 25.05, 22.05.
    assert add_business_days(D(2026, 6, 3), -5) == D(2026, 5, 22)


def test_next_and_previous_business_day():
    assert next_business_day(D(2026, 3, 19)) == D(2026, 3, 23)
    assert next_business_day(D(2026, 3, 18)) == D(2026, 3, 19)
    assert previous_business_day(D(2026, 3, 23)) == D(2026, 3, 19)
    assert previous_business_day(D(2026, 6, 1)) == D(2026, 5, 26)


def test_business_days_between():
    assert business_days_between(D(2026, 5, 22), D(2026, 6, 3)) == 5
    assert business_days_between(D(2026, 3, 19), D(2026, 3, 23)) == 1
    assert business_days_between(D(2026, 3, 19), D(2026, 3, 22)) == 0
    assert business_days_between(D(2026, 3, 16), D(2026, 3, 16)) == 0
    assert business_days_between(D(2026, 6, 3), D(2026, 5, 22)) == -5


@pytest.mark.parametrize("start", [D(2026, 1, 1), D(2026, 3, 13), D(2026, 5, 22), D(2026, 10, 24)])
def test_between_is_the_inverse_of_add(start):
    for n in range(1, 41):
        end = add_business_days(start, n)
        assert is_business_day(end)
        assert business_days_between(start, end) == n


def test_extra_holidays_setting_is_read_at_call_time(settings):
    assert add_business_days(D(2026, 3, 17), 1) == D(2026, 3, 18)
    settings.BILGIISLEM_EXTRA_HOLIDAYS = ["2026-03-18"]  # idari izin by circular
    assert not is_business_day(D(2026, 3, 18))
    assert add_business_days(D(2026, 3, 17), 1) == D(2026, 3, 19)
    settings.BILGIISLEM_EXTRA_HOLIDAYS = []
    assert is_business_day(D(2026, 3, 18))  # no stale cache entry


def test_extra_holiday_on_a_half_day_closes_it(settings):
    settings.BILGIISLEM_EXTRA_HOLIDAYS = ["2026-03-19", dt.date(2026, 5, 26)]
    assert not is_business_day(D(2026, 3, 19))
    assert not is_half_day(D(2026, 3, 19))
    assert add_business_days(D(2026, 3, 18), 1) == D(2026, 3, 23)
    assert next_business_day(D(2026, 5, 25)) == D(2026, 6, 1)


def test_bad_extra_holiday_is_a_configuration_error(settings):
    settings.BILGIISLEM_EXTRA_HOLIDAYS = ["19.03.2026"]
    with pytest.raises(ImproperlyConfigured, match=r"19\.03\.2026"):
        is_business_day(D(2026, 3, 18))


def test_datetimes_are_taken_in_local_time():
    istanbul = zoneinfo.ZoneInfo("Europe/Istanbul")
    # 22:30 UTC on the arife is 01:30 on the first day of bayram in Istanbul.
    late = dt.datetime(2026, 3, 19, 22, 30, tzinfo=dt.UTC)
    assert not is_business_day(late)
    assert add_business_days(late, 1) == D(2026, 3, 23)  # counted from Friday 20.03
    assert is_business_day(dt.datetime(2026, 3, 19, 10, 0, tzinfo=istanbul))
    assert is_half_day(dt.datetime(2026, 3, 19, 10, 0))  # naive: its own date
