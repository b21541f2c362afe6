"""Whether a person's training in one course is in date: plain functions, no Django.

A competent outcome on `completed_on` stays in date up to and including `expires_on`, which is
the same day of the month `refresher_months` later (the last day of that month when it is
shorter: 31 January + 1 month is 28 or 29 February; 29 February 2028 + 12 months is
28 February 2029). From the day after, it has expired.

Only a competent outcome puts a person in date. A later assessment that found them not yet
competent, or excluded them on health grounds, ends the earlier competence that day: the
standard asks for a plan and an interim management plan for them (3.4.2.XXXIX), not for the
old certificate to carry on counting.

    in_date    in date for more than EXPIRING_DAYS more days
    expiring   in date, running out within EXPIRING_DAYS (the refresher should be booked)
    expired    was in date, no longer is
    never      no competent outcome recorded
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final, Literal

Status = Literal["in_date", "expiring", "expired", "never"]
STATUSES: Final[tuple[Status, ...]] = ("in_date", "expiring", "expired", "never")
STATUS_LABELS: Final[dict[str, str]] = {
    "in_date": "In date",
    "expiring": "Expiring",
    "expired": "Expired",
    "never": "Never trained",
}

# Issue 13: "expiring in 60 days" - long enough to book a place on the next course.
EXPIRING_DAYS: Final = 60

COMPETENT: Final = "competent"


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the last day of that month when it is shorter."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def expiry(completed_on: dt.date, refresher_months: int) -> dt.date:
    """The last day training completed on `completed_on` is in date."""
    return add_months(completed_on, refresher_months)


def status_on(expires_on: dt.date | None, today: dt.date) -> Status:
    if expires_on is None:
        return "never"
    if today > expires_on:
        return "expired"
    if (expires_on - today).days <= EXPIRING_DAYS:
        return "expiring"
    return "in_date"


@dataclass(frozen=True)
class Completion:
    """One outcome of one course for one person (a training record not entered in error)."""

    completed_on: dt.date
    outcome: str


@dataclass(frozen=True)
class Standing:
    """Where a person stands in one course on one day."""

    status: Status
    expires_on: dt.date | None  # the last day in date (or the day it ended); None if never
    last_completed_on: dt.date | None  # the latest competent outcome
    latest_outcome: str  # of the latest assessment, whatever it was ("" if none)
    latest_on: dt.date | None


def standing(
    completions: Iterable[Completion], refresher_months: int, today: dt.date
) -> Standing:
    """The person's status in a course from every outcome recorded, on `today`. Outcomes after
    `today` (recorded ahead by mistake) are not counted yet."""
    past = sorted(
        (c for c in completions if c.completed_on <= today), key=lambda c: c.completed_on
    )
    competent = [c for c in past if c.outcome == COMPETENT]
    latest = past[-1] if past else None
    if not competent:
        return Standing(
            "never", None, None, latest.outcome if latest else "",
            latest.completed_on if latest else None,
        )
    last = competent[-1]
    expires_on = expiry(last.completed_on, refresher_months)
    assert latest is not None
    ended = [c for c in past if c.outcome != COMPETENT and c.completed_on > last.completed_on]
    if ended:
        # A later assessment found them not competent: the competence ended that day.
        expires_on = min(expires_on, ended[0].completed_on - dt.timedelta(days=1))
    return Standing(
        status_on(expires_on, today), expires_on, last.completed_on, latest.outcome,
        latest.completed_on,
    )
