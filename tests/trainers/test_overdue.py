"""When a trainer's yearly portfolio review is due and overdue (standard 3.5.I): 12 months on,
the last day of the month when it is shorter (29 February -> 28 February), overdue from the day
after; due soon within 30 days; only a satisfactory review (or one with actions agreed)
completes it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from rrp.trainers import selectors
from rrp.trainers import standing as sd
from rrp.trainers.standing import Review, review_standing

D = dt.date


@pytest.mark.parametrize(("done", "due"), [
    (D(2024, 2, 29), D(2025, 2, 28)),  # a leap day: no 29 February the next year
    (D(2027, 2, 28), D(2028, 2, 28)),  # the next year is a leap year: still the 28th
    (D(2026, 1, 31), D(2027, 1, 31)),
    (D(2025, 8, 31), D(2026, 8, 31)),
    (D(2025, 12, 31), D(2026, 12, 31)),
])
def test_next_review_is_due_twelve_months_on(done: dt.date, due: dt.date) -> None:
    assert sd.next_due(done) == due


@pytest.mark.parametrize(("day", "status"), [
    (D(2025, 1, 28), "in_date"),  # 31 days before
    (D(2025, 1, 29), "due_soon"),  # 30 days before
    (D(2025, 2, 28), "due_soon"),  # the last day
    (D(2025, 3, 1), "overdue"),  # the day after
    (D(2024, 2, 29), "in_date"),  # the day of the review
])
def test_a_leap_day_review_is_overdue_from_1_march(day: dt.date, status: str) -> None:
    assert sd.status_on(D(2024, 2, 29), day) == status


def test_never_reviewed() -> None:
    found = review_standing([], D(2026, 3, 10))
    assert (found.status, found.due_on, found.needs_review) == ("never", None, True)


def test_only_a_passing_review_counts_and_not_to_teach_stops_teaching() -> None:
    reviews = [Review(D(2025, 1, 15), True), Review(D(2026, 1, 20), False, D(2026, 4, 30))]
    found = review_standing(reviews, D(2026, 3, 10))
    assert found.last_passed_on == D(2025, 1, 15)
    assert found.status == "overdue"  # due 15 January 2026; the later review did not pass
    assert found.not_to_teach_until == D(2026, 4, 30)
    # After the date, they may teach again, but still need a satisfactory review.
    later = review_standing(reviews, D(2026, 5, 1))
    assert later.not_to_teach_until is None and later.status == "overdue"


def test_a_review_dated_after_the_day_is_not_counted_yet() -> None:
    found = review_standing([Review(D(2026, 3, 11), True)], D(2026, 3, 10))
    assert found.status == "never"


def test_overdue_on_the_pages_figures_at_several_dates(
    make_trainer: Any, review: Any, clock: Any
) -> None:
    """The same rule through the selectors, which the list, home page and summary read."""
    leap = make_trainer("Leap Day")
    review(leap, on=D(2024, 2, 29))
    month_end = make_trainer("Month End")
    review(month_end, on=D(2025, 3, 31))
    for day, leap_status, month_end_status in [
        (D(2025, 1, 28), "in_date", "never"),  # Month End is reviewed on 31 March 2025
        (D(2025, 2, 28), "due_soon", "never"),
        (D(2025, 3, 1), "overdue", "never"),
        (D(2025, 3, 31), "overdue", "in_date"),
        (D(2026, 3, 1), "overdue", "due_soon"),
        (D(2026, 3, 31), "overdue", "due_soon"),
        (D(2026, 4, 1), "overdue", "overdue"),
    ]:
        found = {s.trainer.name: s.review.status for s in selectors.standings(
            leap.organisation, day)}
        assert found == {"Leap Day": leap_status, "Month End": month_end_status}, day
    due = selectors.reviews_needed(leap.organisation, D(2026, 3, 10))
    assert [s.trainer.name for s in due] == ["Leap Day", "Month End"]


def test_a_review_entered_in_error_stops_counting(
    make_trainer: Any, review: Any, lead_actor: Any, clock: Any
) -> None:
    from rrp.trainers import services

    ada = make_trainer("Ada")
    first = review(ada, on=D(2025, 11, 3))
    assert selectors.trainer_standing(ada, D(2026, 3, 10)).review.status == "in_date"
    services.portfolio_review_mark_entered_in_error(actor=lead_actor, review=first,
                                                   reason="Wrong trainer")
    assert selectors.trainer_standing(ada, D(2026, 3, 10)).review.status == "never"
