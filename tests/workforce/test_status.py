"""When training runs out and how a person stands in a course: the plain rules in
rrp.workforce.status, at month ends, on 29 February and at each status boundary."""

from __future__ import annotations

import datetime as dt

import pytest

from rrp.workforce.status import EXPIRING_DAYS, Completion, add_months, expiry, standing, status_on

D = dt.date


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2026, 1, 10), 12, D(2027, 1, 10)),
        (D(2028, 2, 29), 12, D(2029, 2, 28)),  # no 29 February in 2029
        (D(2028, 2, 29), 48, D(2032, 2, 29)),  # a leap year again
        (D(2027, 2, 28), 12, D(2028, 2, 28)),  # not moved to the 29th
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2028, 1, 31), 1, D(2028, 2, 29)),
        (D(2026, 8, 31), 6, D(2027, 2, 28)),
        (D(2026, 3, 31), 6, D(2026, 9, 30)),
        (D(2026, 12, 31), 12, D(2027, 12, 31)),
        (D(2026, 11, 30), 3, D(2027, 2, 28)),
        (D(2026, 12, 15), 1, D(2027, 1, 15)),  # across the turn of the year
        (D(2026, 5, 31), 36, D(2029, 5, 31)),  # three-year certification
    ],
)
def test_the_refresher_falls_due_on_the_same_day_or_the_months_last(
    start: dt.date, months: int, expected: dt.date
) -> None:
    assert add_months(start, months) == expected
    assert expiry(start, months) == expected


def test_training_is_in_date_up_to_and_including_its_last_day() -> None:
    last = D(2027, 2, 28)
    assert status_on(last, D(2027, 2, 28)) == "expiring"
    assert status_on(last, D(2027, 3, 1)) == "expired"


def test_expiring_starts_sixty_days_before_the_last_day() -> None:
    last = D(2027, 1, 10)
    assert status_on(last, last - dt.timedelta(days=EXPIRING_DAYS + 1)) == "in_date"
    assert status_on(last, last - dt.timedelta(days=EXPIRING_DAYS)) == "expiring"
    assert EXPIRING_DAYS == 60


def test_no_competent_outcome_is_never_trained() -> None:
    assert status_on(None, D(2026, 3, 10)) == "never"
    assert standing([], 12, D(2026, 3, 10)).status == "never"
    only_failed = standing([Completion(D(2026, 1, 5), "not_yet_competent")], 12, D(2026, 3, 10))
    assert only_failed.status == "never"
    assert only_failed.latest_outcome == "not_yet_competent"


def test_the_latest_competent_outcome_counts() -> None:
    result = standing(
        [Completion(D(2024, 2, 29), "competent"), Completion(D(2025, 2, 27), "competent")],
        12, D(2026, 2, 20),
    )
    assert result.last_completed_on == D(2025, 2, 27)
    assert result.expires_on == D(2026, 2, 27)
    assert result.status == "expiring"


def test_a_leap_day_course_expires_on_28_february_the_next_year() -> None:
    result = standing([Completion(D(2028, 2, 29), "competent")], 12, D(2029, 2, 28))
    assert (result.expires_on, result.status) == (D(2029, 2, 28), "expiring")
    assert standing([Completion(D(2028, 2, 29), "competent")], 12, D(2029, 3, 1)).status == (
        "expired"
    )


def test_a_later_not_yet_competent_outcome_ends_the_earlier_competence() -> None:
    result = standing(
        [Completion(D(2025, 12, 1), "competent"), Completion(D(2026, 3, 1), "not_yet_competent")],
        12, D(2026, 3, 10),
    )
    assert result.status == "expired"
    assert result.expires_on == D(2026, 2, 28)
    assert result.latest_outcome == "not_yet_competent"


def test_competent_again_after_not_yet_competent_is_in_date() -> None:
    result = standing(
        [Completion(D(2026, 1, 5), "not_yet_competent"), Completion(D(2026, 2, 2), "competent")],
        12, D(2026, 3, 10),
    )
    assert (result.status, result.expires_on) == ("in_date", D(2027, 2, 2))


def test_an_outcome_dated_after_today_does_not_count_yet() -> None:
    result = standing([Completion(D(2026, 4, 1), "competent")], 12, D(2026, 3, 10))
    assert result.status == "never"
