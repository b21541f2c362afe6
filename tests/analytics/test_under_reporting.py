"""The under-reporting signal: a ward with bed days but far fewer records than its peers of the
same service type (or, with no peers reporting, its own previous year) would lead to expect."""

from __future__ import annotations

import datetime as dt

import pytest

from rrp.analytics.breakdowns import poisson_at_most, under_reporting

MARCH = dt.date(2026, 3, 1)
WARDS = [(1, "Oak", "adult_acute"), (2, "Birch", "adult_acute"), (3, "Ash", "picu")]


def test_a_silent_ward_beside_reporting_peers_is_flagged() -> None:
    # Birch records 20 per 1,000 bed days; Oak, with 500 bed days, would expect 10 and has 0.
    found = under_reporting(WARDS, {(1, MARCH): (0, 500), (2, MARCH): (10, 500)}, [MARCH], {})
    [signal] = found
    assert (signal.ward, signal.recorded, signal.expected) == ("Oak", 0, 10)
    assert signal.basis == "the other 1 ward of the same service type"
    assert signal.probability == pytest.approx(poisson_at_most(0, 10))


def test_a_ward_recording_about_what_was_expected_is_not() -> None:
    assert under_reporting(WARDS, {(1, MARCH): (8, 500), (2, MARCH): (10, 500)}, [MARCH], {}) == []


def test_too_little_expected_is_no_signal() -> None:
    # 2 expected: recording none is not unusual.
    assert under_reporting(WARDS, {(1, MARCH): (0, 100), (2, MARCH): (10, 500)}, [MARCH], {}) == []


def test_without_reporting_peers_the_wards_own_year_is_the_yardstick() -> None:
    found = under_reporting(WARDS, {(3, MARCH): (1, 300)}, [MARCH], {3: (360, 3600)})
    [signal] = found
    assert signal.ward == "Ash" and signal.expected == pytest.approx(30)
    assert signal.basis == "the ward's own previous 12 months"


def test_no_bed_days_no_signal() -> None:
    assert under_reporting(WARDS, {(2, MARCH): (10, 500)}, [MARCH], {1: (100, 1000)}) == []


def test_poisson_lower_tail() -> None:
    assert poisson_at_most(0, 10) == pytest.approx(4.539992976e-05)
    assert poisson_at_most(3, 2) == pytest.approx(0.8571234605)
