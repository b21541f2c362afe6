"""What every API request body is made of: the rules a value must meet, declared once on the
schema so pydantic checks them before any service runs and the OpenAPI documents them
(issue 11). The error handler in rrp.api.errors turns each failure into a sentence.

- A body is a JSON object holding only the names its schema lists (`extra="forbid"`): a
  misspelt field is refused, not dropped from a clinical record.
- Strict scalars: `true` is not patient 1, 1700000000 is not a date, "3" is not a number.
- Every text has a maximum length and refuses NUL bytes and lone surrogates (rrp.core.limits);
  every list has a maximum number of items.
- Times are ISO 8601 strings. One without an offset is UK local time (Europe/London), the ward
  clock; a local time that did not exist (the hour the clocks go forward) is refused rather than
  guessed, and nothing before 1990 or after 2100 is a time RRP holds.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict, StrictBool, StrictInt
from pydantic_core import PydanticCustomError

from rrp.core import limits
from rrp.core.ward_clock import SkippedTime, ward_time

LARGEST_ID = 2**63 - 1  # the databases' bigint: a larger id is not one RRP gave out


class Body(Schema):
    """A request body: only the names it lists."""

    model_config = ConfigDict(extra="forbid")


def storable(value: str) -> str:
    """Refuse text no database should hold (rrp.core.limits.text_problem)."""
    problem = limits.text_problem(value)
    if problem is not None:
        raise PydanticCustomError("rrp_text_unreadable", problem)
    return value


# Each text type: its maximum (in the OpenAPI as maxLength) and storable characters. Written
# out, not made by a function, so that type checkers see each as a type.
# Text with a limit of its own (set with Field(max_length=...) where it is used).
Text = Annotated[str, AfterValidator(storable)]
Name = Annotated[str, Field(max_length=limits.NAME), AfterValidator(storable)]
JobTitle = Annotated[str, Field(max_length=limits.JOB_TITLE), AfterValidator(storable)]
Code = Annotated[str, Field(max_length=limits.CODE), AfterValidator(storable)]
Note = Annotated[str, Field(max_length=limits.NOTE), AfterValidator(storable)]
Narrative = Annotated[str, Field(max_length=limits.NARRATIVE), AfterValidator(storable)]
Flag = StrictBool
Id = Annotated[StrictInt, Field(ge=1, le=LARGEST_ID)]


def _refuse_a_year_rrp_does_not_hold(year: int) -> None:
    if not limits.EARLIEST_YEAR <= year <= limits.LATEST_YEAR:
        raise PydanticCustomError(
            "rrp_year_out_of_range", "{year} is not a year RRP holds records for: check the year",
            {"year": year},
        )


def _iso_text(value: Any) -> Any:
    # pydantic would read 1700000000 as seconds since 1970: a ward system sending a number has
    # a bug, and a record must not take a date nobody wrote.
    if isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str):
        raise PydanticCustomError("rrp_datetime_type", "Send a date and time as text in ISO 8601")
    try:
        parsed = parse_datetime(value.strip())
    except ValueError:  # well formed but impossible: 31 February, 25:00
        parsed = None
    if parsed is None:
        raise PydanticCustomError(
            "rrp_datetime_unreadable",
            "'{value}' is not a date and time: use ISO 8601, like 2026-10-05T14:30:00+01:00",
            {"value": value[:40]},
        )
    return parsed


def _on_the_ward_clock(value: dt.datetime) -> dt.datetime:
    # The year first: converting year 0001 or 9999 between zones overflows (issue 11).
    _refuse_a_year_rrp_does_not_hold(value.year)
    if timezone.is_naive(value):
        try:
            value = ward_time(value)
        except SkippedTime as skipped:
            raise PydanticCustomError(
                "rrp_datetime_nonexistent",
                "{skipped}, or give the time with its offset, like 2027-03-28T02:30:00+01:00",
                {"skipped": str(skipped)},
            ) from None
    return value


When = Annotated[dt.datetime, BeforeValidator(_iso_text), AfterValidator(_on_the_ward_clock)]


def _iso_day(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise PydanticCustomError("rrp_date_type",
                                  "Send a date as text in ISO 8601, like 2026-10-05")
    try:
        parsed = parse_date(value.strip())
    except ValueError:  # 2026-02-30
        parsed = None
    if parsed is None:
        raise PydanticCustomError(
            "rrp_date_unreadable", "'{value}' is not a date: use ISO 8601, like 2026-10-05",
            {"value": value[:40]},
        )
    return parsed


def _a_year_rrp_holds(value: dt.date) -> dt.date:
    _refuse_a_year_rrp_does_not_hold(value.year)
    return value


def _a_birth_year(value: dt.date) -> dt.date:
    if value.year < limits.EARLIEST_BIRTH_YEAR:
        raise PydanticCustomError(
            "rrp_year_out_of_range", "{year} is not a year of birth: check the year",
            {"year": value.year},
        )
    return value


Day = Annotated[dt.date, BeforeValidator(_iso_day), AfterValidator(_a_year_rrp_holds)]
# A date of birth goes back further; a future one is the patients service's to refuse.
DateOfBirth = Annotated[dt.date, BeforeValidator(_iso_day), AfterValidator(_a_birth_year)]


def items(limit: int = limits.LIST) -> Any:
    """A list field's constraint: `list[X] = items()` holds at most `limit` items."""
    return Field(default_factory=list, max_length=limit)
