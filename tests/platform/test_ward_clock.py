"""Times typed as the ward clock showed them, at the clock changes of several years, on
29 February and at month ends (issue 11: a skipped spring time was once a 500)."""

from __future__ import annotations

import datetime as dt

import pytest

from rrp.core.ward_clock import SkippedTime, ward_time

# The last Sunday of March in each year: 01:00 GMT becomes 02:00 BST.
SPRING = [dt.date(2024, 3, 31), dt.date(2025, 3, 30), dt.date(2026, 3, 29), dt.date(2027, 3, 28),
          dt.date(2028, 3, 26)]
# The last Sunday of October: 02:00 BST becomes 01:00 GMT.
AUTUMN = [dt.date(2024, 10, 27), dt.date(2025, 10, 26), dt.date(2026, 10, 25),
          dt.date(2027, 10, 31)]


@pytest.mark.parametrize("day", SPRING)
@pytest.mark.parametrize("minute", [0, 30, 59])
def test_the_skipped_hour_is_refused_with_a_sentence(day: dt.date, minute: int) -> None:
    with pytest.raises(SkippedTime, match="did not happen in the UK: the clocks went forward"):
        ward_time(dt.datetime.combine(day, dt.time(1, minute)))


@pytest.mark.parametrize("day", SPRING)
def test_either_side_of_the_skipped_hour_is_read_as_typed(day: dt.date) -> None:
    before = ward_time(dt.datetime.combine(day, dt.time(0, 59)))
    after = ward_time(dt.datetime.combine(day, dt.time(2, 0)))
    assert before.utcoffset() == dt.timedelta(0)
    assert after.utcoffset() == dt.timedelta(hours=1)
    # In UTC (subtracting two times in one zone would give the wall-clock 61 minutes).
    assert after.astimezone(dt.UTC) - before.astimezone(dt.UTC) == dt.timedelta(minutes=1)


@pytest.mark.parametrize("day", AUTUMN)
def test_the_repeated_hour_is_the_first_of_the_two(day: dt.date) -> None:
    first = ward_time(dt.datetime.combine(day, dt.time(1, 30)))
    assert first.utcoffset() == dt.timedelta(hours=1)


@pytest.mark.parametrize("moment", [
    dt.datetime(2028, 2, 29, 23, 59), dt.datetime(2026, 1, 31, 0, 0),
    dt.datetime(2026, 12, 31, 23, 59), dt.datetime(2026, 4, 30, 12),
])
def test_ordinary_days_are_read_as_typed(moment: dt.datetime) -> None:
    assert ward_time(moment).replace(tzinfo=None) == moment
