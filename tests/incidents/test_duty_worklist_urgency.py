"""The duty worklist puts what a clinician must act on now at the top: overdue safety checks
(medical reviews, post-restraint observations, rapid tranquillisation checks, seclusion and
segregation reviews) still inside their harm window, most recently due first; then the safety
checks coming up; then every other overdue duty, most recently due first; then the rest.

The patient restrained 70 minutes ago needs the doctor now; a three-week-old overdue debrief
does not, and the list once showed the oldest first, so today's review was not on page 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from rrp.incidents.duty_rules import (
    DUTY_KINDS,
    HARM_WINDOW,
    SAFETY_CRITICAL_KINDS,
    DutyState,
    sort_for_worklist,
)

NOW = datetime(2026, 10, 5, 14, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Entry:
    name: str
    kind: str
    due_at: datetime
    state: DutyState


def ago(**kwargs: float) -> datetime:
    return NOW - timedelta(**kwargs)


def from_now(**kwargs: float) -> datetime:
    return NOW + timedelta(**kwargs)


def names(entries: list[Entry]) -> list[str]:
    return [entry.name for entry in sort_for_worklist(entries, now=NOW)]


def test_todays_medical_review_comes_before_a_three_week_old_debrief() -> None:
    debrief = Entry("debrief", "post_incident_review", ago(days=21), "overdue")
    review = Entry("medical review", "medical_review", ago(minutes=10), "overdue")
    assert names([debrief, review]) == ["medical review", "debrief"]


def test_among_overdue_safety_checks_the_most_recently_due_comes_first() -> None:
    # Restrained 70 minutes ago (review due 10 minutes ago) and 20 hours ago.
    yesterday = Entry("restrained last night", "medical_review", ago(hours=19), "overdue")
    just_now = Entry("restrained 70 minutes ago", "medical_review", ago(minutes=10), "overdue")
    checks = Entry("rapid tranquillisation check", "rapid_tranquillisation_monitoring",
                   ago(minutes=30), "overdue")
    assert names([yesterday, checks, just_now]) == [
        "restrained 70 minutes ago", "rapid tranquillisation check", "restrained last night",
    ]


def test_a_safety_check_past_its_harm_window_no_longer_outranks_todays_work() -> None:
    stale = Entry("review missed two days ago", "medical_review", ago(days=2), "overdue")
    coming = Entry("seclusion review in 20 minutes", "seclusion_nursing_review",
                   from_now(minutes=20), "due")
    support = Entry("support 2 hours late", "post_incident_support_patient", ago(hours=2),
                    "overdue")
    # The stale review joins the other overdue duties, by how recently each fell due.
    assert names([stale, support, coming]) == [
        "seclusion review in 20 minutes", "support 2 hours late", "review missed two days ago",
    ]


def test_the_harm_window_edge() -> None:
    inside = Entry("inside", "physical_observations", NOW - HARM_WINDOW, "overdue")
    outside = Entry("outside", "physical_observations",
                    NOW - HARM_WINDOW - timedelta(seconds=1), "overdue")
    coming = Entry("coming", "medical_review", from_now(hours=1), "due")
    assert names([outside, coming, inside]) == ["inside", "coming", "outside"]


def test_the_whole_order() -> None:
    entries = [
        Entry("done", "medical_review", ago(hours=3), "done"),
        Entry("account offer due in 2 days", "patient_account_offer", from_now(days=2), "due"),
        Entry("care plan review due in 5 hours", "care_plan_review", from_now(hours=5), "due"),
        Entry("observations due in an hour", "physical_observations", from_now(hours=1), "due"),
        Entry("medical review due in 10 minutes", "medical_review", from_now(minutes=10), "due"),
        Entry("debrief 3 weeks late", "post_incident_review", ago(days=21), "overdue"),
        Entry("staff support a day late", "post_incident_support_staff", ago(days=1), "overdue"),
        Entry("seclusion review 3 hours late", "seclusion_medical_review", ago(hours=3),
              "overdue"),
        Entry("medical review 10 minutes late", "medical_review", ago(minutes=10), "overdue"),
        Entry("not required", "seclusion_medical_review", ago(hours=5), "not_required"),
    ]
    assert names(entries) == [
        "medical review 10 minutes late",
        "seclusion review 3 hours late",
        "medical review due in 10 minutes",
        "observations due in an hour",
        "staff support a day late",
        "debrief 3 weeks late",
        "care plan review due in 5 hours",
        "account offer due in 2 days",
        "not required",
        "done",
    ]


def test_ties_keep_the_order_given() -> None:
    first = Entry("first", "medical_review", ago(minutes=5), "overdue")
    second = Entry("second", "medical_review", ago(minutes=5), "overdue")
    assert names([first, second]) == ["first", "second"]
    assert names([second, first]) == ["second", "first"]


def test_the_safety_checks_are_kinds_of_duty_rrp_knows() -> None:
    assert SAFETY_CRITICAL_KINDS.issubset(DUTY_KINDS)
    # The support, learning and planning duties are not among them.
    assert not SAFETY_CRITICAL_KINDS & {
        "post_incident_support_patient", "post_incident_support_staff", "post_incident_review",
        "patient_account_offer", "care_plan_review", "seclusion_mdt_review",
        "segregation_mdt_review",
    }


def test_now_must_carry_a_time_zone() -> None:
    with pytest.raises(ValueError):
        sort_for_worklist([], now=datetime(2026, 10, 5, 14, 0))  # noqa: DTZ001
