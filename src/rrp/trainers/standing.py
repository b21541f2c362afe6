"""Whether a trainer's yearly portfolio review, annual update and competency monitoring are in
date: plain functions, no Django queries.

Standard 3.5.I asks for the portfolio to be reviewed annually, 3.5.V for an annual update and
3.5.XIII for annual competency monitoring. Each is in date up to and including the same day 12
months later (the last day of that month when it is shorter: a review on 29 February 2028 is
next due on 28 February 2029; one on 31 August is due on 31 August), and overdue from the day
after. Only a review found satisfactory, or satisfactory with actions agreed, completes the
review: "not to teach until ..." does not, and stops the trainer teaching until that day.

    in_date    in date for more than DUE_SOON_DAYS more days
    due_soon   in date, due within DUE_SOON_DAYS (book the review)
    overdue    was in date, no longer is
    never      never done
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final, Literal

from rrp.workforce.status import add_months

Status = Literal["in_date", "due_soon", "overdue", "never"]
STATUS_LABELS: Final[dict[str, str]] = {
    "in_date": "In date",
    "due_soon": "Due soon",
    "overdue": "Overdue",
    "never": "Never done",
}

# 3.5.I, V and XIII: annually.
MONTHS: Final = 12
# Issue 13: the lead sees reviews due within 30 days, time to arrange one.
DUE_SOON_DAYS: Final = 30


def next_due(done_on: dt.date) -> dt.date:
    """The last day something done on `done_on` yearly is in date."""
    return add_months(done_on, MONTHS)


def status_on(last_done_on: dt.date | None, day: dt.date) -> Status:
    if last_done_on is None:
        return "never"
    due = next_due(last_done_on)
    if day > due:
        return "overdue"
    if (due - day).days <= DUE_SOON_DAYS:
        return "due_soon"
    return "in_date"


def is_current(status: Status) -> bool:
    """In date on the day (including due soon): what the indicators count."""
    return status in ("in_date", "due_soon")


@dataclass(frozen=True)
class Review:
    """One review not entered in error."""

    reviewed_on: dt.date
    passes: bool
    not_to_teach_until: dt.date | None = None


@dataclass(frozen=True)
class ReviewStanding:
    status: Status
    last_passed_on: dt.date | None  # the latest satisfactory (or actions agreed) review
    due_on: dt.date | None  # the last day that review is in date; None if never reviewed
    not_to_teach_until: dt.date | None  # set when the latest review stops them teaching

    @property
    def needs_review(self) -> bool:
        """Overdue, never reviewed, or due within DUE_SOON_DAYS: for the home page."""
        return self.status != "in_date"


def review_standing(reviews: Iterable[Review], day: dt.date) -> ReviewStanding:
    """Where a trainer's yearly review stands on `day`, from every review recorded. Reviews
    dated after `day` are not counted yet."""
    past = sorted((r for r in reviews if r.reviewed_on <= day), key=lambda r: r.reviewed_on)
    passed = [r for r in past if r.passes]
    last = passed[-1].reviewed_on if passed else None
    stopped = None
    if past and not past[-1].passes:
        until = past[-1].not_to_teach_until
        if until is None or until >= day:
            stopped = until or day
    return ReviewStanding(status_on(last, day), last, next_due(last) if last else None, stopped)


def latest_on_or_before(days: Iterable[dt.date], day: dt.date) -> dt.date | None:
    return max((d for d in days if d <= day), default=None)
