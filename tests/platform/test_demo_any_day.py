"""`make demo` works on the day a new user tries it, whatever that day is.

The demo's history is laid out back from today, so a date that lines up badly (a month end, a
clock change, 29 February, the first days of April when the compliance year turns) once made
the generator write a record its own services refused. Here the whole demo, every capability's
step, is built on 50+ "todays" across a year with the clock moved there too, with several seeds.
A smaller demo keeps it quick (one month of history, a third of the beds): the same code runs.
Every follow-up of that last month goes through the services, which validate it.

The demo builds run in the SQLite run only (marker `sqlite_only`): the generator's dates are the
same on either database, and the PostgreSQL run is for what the database does.
"""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

import pytest
import time_machine

from rrp.demo.generator import seed_demo
from rrp.incidents.demo import _Writer
from rrp.incidents.models import Duty, Incident

LONDON = ZoneInfo("Europe/London")


def days_to_try() -> list[dt.date]:
    """Month ends and month starts for a year, 28/29 February and 1 March in a leap year,
    every clock change of 2026-2028 with the day after, the turn of the year and of the
    compliance year (1 April), and a seeded scatter of other days."""
    days: set[dt.date] = set()
    for month in range(1, 13):
        first = dt.date(2027, month, 1)
        days.add(first)
        days.add(first - dt.timedelta(days=1))  # the last day of the month before
    days |= {dt.date(2028, 2, 28), dt.date(2028, 2, 29), dt.date(2028, 3, 1), dt.date(2027, 2, 28)}
    clock_changes = [dt.date(2026, 3, 29), dt.date(2026, 10, 25), dt.date(2027, 3, 28),
                     dt.date(2027, 10, 31), dt.date(2028, 3, 26), dt.date(2028, 10, 29)]
    for change in clock_changes:
        days |= {change, change + dt.timedelta(days=1)}
    days |= {dt.date(2026, 12, 6), dt.date(2026, 12, 7), dt.date(2027, 1, 1),
             dt.date(2027, 4, 2), dt.date(2027, 4, 6), dt.date(2027, 5, 10)}
    scatter = random.Random(50)
    while len(days) < 56:
        days.add(dt.date(2026, 6, 1) + dt.timedelta(days=scatter.randrange(730)))
    return sorted(days)


DAYS = days_to_try()
SEEDS = (2026, 1, 7, 2027, 42, 99)
# Loaded at these local times of day, in turn: just after midnight, the small hours (inside
# the spring clock change's missing hour on that day), a working morning, late evening.
TIMES = (dt.time(0, 5), dt.time(1, 30), dt.time(9, 40), dt.time(23, 50))


def _moment(day: dt.date, time: dt.time) -> dt.datetime:
    """The real instant for a local time; a time the spring change skips is taken an hour on."""
    naive = dt.datetime.combine(day, time)
    moment = naive.replace(tzinfo=LONDON)
    round_trip = moment.astimezone(dt.UTC).astimezone(LONDON).replace(tzinfo=None)
    return moment if round_trip == naive else (naive + dt.timedelta(hours=1)).replace(
        tzinfo=LONDON)


def test_the_days_cover_a_year_with_its_awkward_dates() -> None:
    assert len(DAYS) >= 50
    assert dt.date(2028, 2, 29) in DAYS and dt.date(2027, 3, 28) in DAYS
    assert len({(d.year, d.month) for d in DAYS}) >= 12


@pytest.mark.sqlite_only
@pytest.mark.parametrize("day", DAYS, ids=str)
def test_the_demo_loads_on(day: dt.date, db: None) -> None:
    number = DAYS.index(day)
    seed = SEEDS[number % len(SEEDS)]
    with time_machine.travel(_moment(day, TIMES[number % len(TIMES)]), tick=True):
        organisation = seed_demo(seed=seed, today=day, history_months=1, bed_share=0.3)
    recorded = Incident.objects.filter(organisation=organisation)
    assert recorded.exists(), f"no uses of force in the demo of {day} (seed {seed})"
    # Nothing is recorded in the future of the day it was loaded.
    latest = max(i.started_at for i in recorded)
    assert latest.astimezone(LONDON).date() < day


def test_a_follow_up_is_never_timed_before_the_use_of_force_started() -> None:
    """A seclusion that reaches 12 hours in 48 across earlier incidents calls its MDT review the
    moment it starts; "done a little before it was due" must still be after the start (on
    7 December 2026 the default seed's demo stopped here)."""
    started = dt.datetime(2026, 10, 8, 19, 33, 20, tzinfo=dt.UTC)
    incident = Incident(started_at=started)
    duty = Duty(incident=incident, kind="seclusion_mdt_review", sequence=1,
                due_at=started + dt.timedelta(minutes=14))
    rng = random.Random(0)
    for outcome in ("on_time", "late"):
        for _ in range(200):
            moment = _Writer.when_done(rng, duty, outcome)
            assert moment >= started
            assert moment.second == 0


@pytest.mark.sqlite_only
def test_the_full_demo_loads_with_the_default_seed_on_the_day_it_once_failed(db: None) -> None:
    day = dt.date(2026, 12, 7)
    with time_machine.travel(_moment(day, dt.time(1, 4)), tick=True):
        organisation = seed_demo(today=day)
    assert Incident.objects.filter(organisation=organisation).count() > 500
