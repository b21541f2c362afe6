"""Occupied bed days from ward stays, and reading bed days from CSV. Plain functions.

A bed day is counted for each night a patient occupies a bed (the midnight census NHS England
uses for KH03 and the MHSDS): a stay from 3 to 5 March counts 2, a stay that has not ended
counts up to the end of the period.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    months, current = [], month_start(first)
    while current <= month_start(last):
        months.append(current)
        current = next_month(current)
    return months


def parse_month(text: str) -> dt.date:
    """'2026-10' -> 1 October 2026. Raises ValueError with a readable message."""
    try:
        year, month = text.strip().split("-")
        return dt.date(int(year), int(month), 1)
    except (ValueError, TypeError):
        raise ValueError(f"'{text}' is not a month: write it as YYYY-MM, like 2026-10") from None


@dataclass(frozen=True)
class Stay:
    ward_id: int
    admitted_on: dt.date
    discharged_on: dt.date | None


def occupied_bed_days(
    stays: Iterable[Stay],
    first_month: dt.date,
    last_month: dt.date,
    until: dt.date | None = None,
) -> dict[tuple[int, dt.date], int]:
    """Nights occupied per (ward, month) for every month from first_month to last_month.

    `until` (exclusive) stops the count at today, so the current month holds only the nights
    that have passed, not the rest of the month for patients still on the ward.
    """
    period_start = month_start(first_month)
    period_end = next_month(month_start(last_month))  # exclusive
    if until is not None:
        period_end = min(period_end, until)
    totals: dict[tuple[int, dt.date], int] = defaultdict(int)
    for stay in stays:
        start = max(stay.admitted_on, period_start)
        end = min(stay.discharged_on or period_end, period_end)
        current = start
        while current < end:
            boundary = min(next_month(month_start(current)), end)
            totals[(stay.ward_id, month_start(current))] += (boundary - current).days
            current = boundary
    return dict(totals)


@dataclass(frozen=True)
class BedDaysRow:
    line: int
    ward_code: str
    month: dt.date
    bed_days: int


@dataclass(frozen=True)
class BedDaysProblem:
    line: int
    message: str


def read_bed_days_csv(text: str) -> tuple[list[BedDaysRow], list[BedDaysProblem]]:
    """Read `ward,month,bed_days` rows. Every problem is reported with its line number."""
    rows: list[BedDaysRow] = []
    problems: list[BedDaysProblem] = []
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    expected = {"ward", "month", "bed_days"}
    header = {h.strip().lower() for h in (reader.fieldnames or [])}
    if not expected <= header:
        missing = ", ".join(sorted(expected - header))
        return [], [BedDaysProblem(1, f"The first line must name the columns: missing {missing}")]
    for number, raw in enumerate(reader, start=2):
        record = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        try:
            month = parse_month(record["month"])
        except ValueError as error:
            problems.append(BedDaysProblem(number, str(error)))
            continue
        try:
            value = int(record["bed_days"])
            if value < 0:
                raise ValueError
        except ValueError:
            problems.append(
                BedDaysProblem(
                    number, f"bed_days must be a whole number, not '{record['bed_days']}'"
                )
            )
            continue
        if not record["ward"]:
            problems.append(BedDaysProblem(number, "ward is empty"))
            continue
        rows.append(BedDaysRow(number, record["ward"].upper(), month, value))
    return rows, problems
