"""When plans, assessments and physical health checks are due: pure date rules."""

from __future__ import annotations

import datetime as dt

from rrp.careplans.due_rules import (
    examination_due_on,
    examination_state,
    medication_review_due_on,
    review_state,
    stomp_applies,
)

REVIEW = dt.date(2026, 4, 6)


def test_a_review_date_is_in_date_then_due_soon_then_overdue() -> None:
    assert review_state(REVIEW, dt.date(2026, 3, 29)) == "in_date"
    assert review_state(REVIEW, dt.date(2026, 3, 30)) == "due_soon"  # a week before
    assert review_state(REVIEW, REVIEW) == "due_soon"  # the stated day is still on time
    assert review_state(REVIEW, dt.date(2026, 4, 7)) == "overdue"
    assert review_state(None, REVIEW) == "missing"


def test_the_examination_on_admission_is_due_by_the_end_of_the_next_day() -> None:
    admitted = dt.date(2026, 3, 2)
    assert examination_due_on(admitted) == dt.date(2026, 3, 3)
    assert examination_state(admitted, dt.date(2026, 3, 2), dt.date(2026, 3, 10)) == "done"
    assert examination_state(admitted, dt.date(2026, 3, 3), dt.date(2026, 3, 10)) == "done"
    assert examination_state(admitted, dt.date(2026, 3, 4), dt.date(2026, 3, 10)) == "done_late"
    assert examination_state(admitted, None, dt.date(2026, 3, 3)) == "due"
    assert examination_state(admitted, None, dt.date(2026, 3, 4)) == "overdue"
    assert examination_state(admitted, None, dt.date(2026, 3, 4), declined=True) == "declined"


def test_medication_is_first_reviewed_within_a_week_then_on_the_date_each_review_sets() -> None:
    admitted = dt.date(2026, 3, 2)
    assert medication_review_due_on(admitted, None) == dt.date(2026, 3, 9)
    assert medication_review_due_on(admitted, dt.date(2026, 3, 20)) == dt.date(2026, 3, 20)


def test_stomp_applies_to_people_with_a_learning_disability_autism_or_both() -> None:
    assert stomp_applies("learning_disability")
    assert stomp_applies("autism")
    assert stomp_applies("both")
    assert not stomp_applies("neither")
    assert not stomp_applies("not_known")
