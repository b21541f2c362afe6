"""Reads for what the courses teach and how their sessions went: the learning outcomes matrix
(standard 3.1, Use of Force Act s.5(2)), the training manual's techniques (3.4.2.XXIV-XXIX)
and the injuries and incidents in training for the lead's audit (3.4.2.XXXVII, XLI). Every
query is scoped to one organisation."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from rrp.workforce.models import Course, PhysicalTechnique, TrainingEvent
from rrp.workforce.outcomes import OUTCOME_LISTS, LearningOutcome


def courses_in_use(organisation: Any, day: dt.date) -> list[Course]:
    """Courses still taught on `day`: a withdrawn course teaches nobody, so it fills no gap."""
    return [c for c in Course.objects.for_organisation(organisation).order_by("code")
            if c.is_taught_on(day)]


@dataclass(frozen=True)
class MatrixRow:
    outcome: LearningOutcome
    taught: list[bool]  # one per course, in the matrix's column order

    @property
    def is_gap(self) -> bool:
        return not any(self.taught)


@dataclass(frozen=True)
class Matrix:
    courses: list[Course]
    groups: list[tuple[str, str, list[MatrixRow]]]  # (key, heading, rows)

    @property
    def gaps(self) -> list[LearningOutcome]:
        return [row.outcome for _k, _h, rows in self.groups for row in rows if row.is_gap]


def outcome_matrix(organisation: Any, day: dt.date) -> Matrix:
    courses = courses_in_use(organisation, day)
    taught = [set(c.outcomes) for c in courses]
    groups = [
        (key, heading, [MatrixRow(o, [o.code in codes for codes in taught]) for o in outcomes])
        for key, heading, outcomes in OUTCOME_LISTS
    ]
    return Matrix(courses, groups)


def techniques_of(course: Course) -> QuerySet[PhysicalTechnique]:
    return course.techniques.select_related("signed_off_by").order_by("withdrawn_on", "name")


def techniques_for_the_lead(organisation: Any, day: dt.date) -> tuple[
    list[PhysicalTechnique], list[PhysicalTechnique]
]:
    """Techniques taught now awaiting the lead's sign-off (3.4.2.XXV), and those whose yearly
    review is overdue (XXIX)."""
    taught = [
        t for t in PhysicalTechnique.objects.for_organisation(organisation)
        .filter(withdrawn_on__isnull=True).select_related("course")
        if t.course.is_taught_on(day)
    ]
    awaiting = [t for t in taught if not t.is_signed_off]
    overdue = [t for t in taught if t.is_signed_off and t.review_overdue(day)]
    return awaiting, overdue


def training_events_since(organisation: Any, since: dt.date) -> list[TrainingEvent]:
    return list(
        TrainingEvent.objects.for_organisation(organisation)
        .filter(occurred_on__gte=since, entered_in_error_at__isnull=True)
        .select_related("session__course", "staff", "reviewed_by")
        .order_by("-occurred_on", "-pk")
    )


def events_by_course(events: list[TrainingEvent]) -> list[tuple[Course, Counter[str]]]:
    """For each course with any: how many of each kind, and how many await review."""
    found: dict[int, tuple[Course, Counter[str]]] = {}
    for event in events:
        course = event.session.course
        _c, counts = found.setdefault(course.pk, (course, Counter()))
        counts[event.kind] += 1
        counts["total"] += 1
        if event.reviewed_at is None:
            counts["awaiting_review"] += 1
    return sorted(found.values(), key=lambda pair: pair[0].code)


def unreviewed_events(organisation: Any) -> QuerySet[TrainingEvent]:
    return TrainingEvent.objects.for_organisation(organisation).filter(
        reviewed_at__isnull=True, entered_in_error_at__isnull=True)
