"""Times typed as the ward clock showed them (UK local time, Europe/London).

When the clocks go forward (the last Sunday of March, 01:00 becomes 02:00) the times 01:00 to
01:59 never happen: "01:30" cannot be what a clock showed, so it is refused with a sentence
rather than guessed (issue 11). When they go back (the last Sunday of October) 01:00 to 01:59
happen twice; a time without an offset is the first of the two (still BST), as a ward clock
read before the change showed it.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


class SkippedTime(ValueError):
    """A local time that did not happen because the clocks went forward."""


def ward_time(value: dt.datetime) -> dt.datetime:
    """The aware moment a naive local `value` names. Raises SkippedTime for a skipped time."""
    aware = timezone.make_aware(value)
    # Through UTC and back: astimezone() to the same zone would return it unchanged.
    if timezone.localtime(aware.astimezone(dt.UTC)).replace(tzinfo=None) != value:
        raise SkippedTime(
            f"{value:%H:%M} on {value:%d/%m/%Y} did not happen in the UK: the clocks went "
            f"forward. Check the time (it was {_hour_after(value)} on the clock)"
        )
    return aware


def _hour_after(value: dt.datetime) -> str:
    return f"{value + dt.timedelta(hours=1):%H:%M}"
