"""Times on the recording form are typed the quick way, in one box, on the 24-hour clock, and
land on the right day even when a restraint runs past midnight."""

from __future__ import annotations

import datetime as dt

import pytest

from rrp.incidents.forms import parse_clock_time, parse_day, place_end, place_start


@pytest.mark.parametrize("typed", ["1405", "14:05", "14.05", " 14:05 ", "14 05"])
def test_a_time_can_be_typed_with_or_without_a_separator(typed: str) -> None:
    assert parse_clock_time(typed) == dt.time(14, 5)


@pytest.mark.parametrize("typed, expected", [("905", dt.time(9, 5)), ("9:05", dt.time(9, 5)),
                                             ("0000", dt.time(0, 0)), ("23:59", dt.time(23, 59))])
def test_early_times_need_no_leading_zero(typed: str, expected: dt.time) -> None:
    assert parse_clock_time(typed) == expected


@pytest.mark.parametrize("typed", ["24:00", "14:60", "2pm", "14", "", "1:2", "14:055"])
def test_anything_that_is_not_a_24_hour_time_is_refused(typed: str) -> None:
    with pytest.raises(ValueError):
        parse_clock_time(typed)


@pytest.mark.parametrize("typed", ["14/3/2026", "14 3 2026", "14-03-26", "2026-03-14", "14.3.2026"])
def test_a_date_can_be_typed_in_one_box(typed: str) -> None:
    assert parse_day(typed) == dt.date(2026, 3, 14)


@pytest.mark.parametrize("typed", ["31/2/2026", "March 14", "14/3"])
def test_a_date_that_is_not_real_is_refused(typed: str) -> None:
    with pytest.raises(ValueError):
        parse_day(typed)


DAY = dt.date(2026, 3, 14)


def test_later_times_on_the_same_day_stay_on_that_day() -> None:
    anchor = place_start(DAY, dt.time(14, 5), None)
    second = place_start(DAY, dt.time(14, 9), anchor)
    assert (anchor, second) == (dt.datetime(2026, 3, 14, 14, 5), dt.datetime(2026, 3, 14, 14, 9))
    assert place_end(second, dt.time(14, 15)) == dt.datetime(2026, 3, 14, 14, 15)


def test_a_restraint_that_runs_past_midnight_ends_the_next_day() -> None:
    anchor = place_start(DAY, dt.time(23, 58), None)
    after_midnight = place_start(DAY, dt.time(0, 2), anchor)
    assert after_midnight == dt.datetime(2026, 3, 15, 0, 2)
    assert place_end(anchor, dt.time(0, 2)) == dt.datetime(2026, 3, 15, 0, 2)


def test_an_end_a_little_before_its_start_stays_before_it_to_be_corrected() -> None:
    start = place_start(DAY, dt.time(14, 5), None)
    assert place_end(start, dt.time(14, 1)) == dt.datetime(2026, 3, 14, 14, 1)


def test_an_end_on_a_later_day_is_taken_from_the_date_given() -> None:
    start = place_start(DAY, dt.time(10, 0), None)
    assert place_end(start, dt.time(6, 0), dt.date(2026, 3, 16)) == dt.datetime(2026, 3, 16, 6, 0)
