"""When plans, assessments and physical health checks are due. Pure: dates in, states out.

States (careplans.codes.ReviewState values):
- "missing": nothing recorded, or no review date stated (standard 2.3.XXI asks for one);
- "overdue": today is after the review date;
- "due_soon": the review date is today or within DUE_SOON_DAYS;
- "in_date": otherwise.
A review on its stated date is on time: the date is the last day it can happen.
"""

from __future__ import annotations

import datetime as dt
from typing import Final, Literal

ReviewState = Literal["in_date", "due_soon", "overdue", "missing"]
CheckState = Literal["done", "done_late", "due", "overdue", "declined"]

# A week's notice lets the team book the person, their carer and the MDT for the review.
DUE_SOON_DAYS: Final = 7

# standard 2.5.1.I: "On admission, within 24 hours, individuals have a basic physical
# examination". Admissions are recorded as a date, so 24 hours is read as: by the end of the
# day after the day of admission (never less than 24 hours, at most 48).
EXAMINATION_WITHIN_DAYS: Final = 1

# standard 2.3.XVI: medication "subject to regular review in a structured way, for example as
# part of weekly multidisciplinary meetings". The first review falls due a week after
# admission; after that, on the date each review sets. Default chosen locally from the
# standard's example; a stricter local policy can shorten it.
MEDICATION_REVIEW_FIRST_DAYS: Final = 7

# A plan or assessment without a stated date gets this default in forms (not in the rules):
# four weeks, a common interval for MDT care plan reviews on inpatient wards.
DEFAULT_REVIEW_WEEKS: Final = 4


def review_state(review_on: dt.date | None, today: dt.date) -> ReviewState:
    if review_on is None:
        return "missing"
    if today > review_on:
        return "overdue"
    if (review_on - today).days <= DUE_SOON_DAYS:
        return "due_soon"
    return "in_date"


def examination_due_on(admitted_on: dt.date) -> dt.date:
    return admitted_on + dt.timedelta(days=EXAMINATION_WITHIN_DAYS)


def examination_state(
    admitted_on: dt.date, examined_on: dt.date | None, today: dt.date, *, declined: bool = False
) -> CheckState:
    """The physical examination of one admission (standard 2.5.1.I).

    An examination on or before the due day is done on time; after it, done late. A person who
    declined is neither: they are offered it again, so the state says "declined".
    """
    due = examination_due_on(admitted_on)
    if examined_on is not None:
        return "done" if examined_on <= due else "done_late"
    if declined:
        return "declined"
    return "due" if today <= due else "overdue"


def medication_review_due_on(admitted_on: dt.date, next_review_on: dt.date | None) -> dt.date:
    """The date the next medication review falls due (standard 2.3.XVI)."""
    if next_review_on is not None:
        return next_review_on
    return admitted_on + dt.timedelta(days=MEDICATION_REVIEW_FIRST_DAYS)


def stomp_applies(learning_disability_autism: str) -> bool:
    """standard 2.5.1.IV: medication for people with a learning disability is reviewed in
    keeping with STOMP (stopping over-medication of people with a learning disability, autism
    or both)."""
    return learning_disability_autism in {"learning_disability", "autism", "both"}
