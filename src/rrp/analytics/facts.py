"""From one use of force record to its analytics facts. Pure Python (no database), so each rule
of the MHSDS measures can be tested on a record written out by hand.

The rules follow NHS England's publication code (NHSDigital/mental-health-monthly-statistics,
folder Restraints), translated from a monthly submission to a record read at any time:

* A submission for month M holds an intervention (MHS515 row) when it started in M, ended in
  M, or had not ended by the end of M (`Restraints_Prep.py`, RI_RESTRAINT_TYPE_v2). Read
  afterwards, "not ended by the end of M" is "ended after M" or "not ended yet", so an
  intervention is in every month it was in progress: one fact row per month.
* MHS77 counts distinct (incident, intervention record) pairs: one per row.
* MHS98/MHS99 (average / maximum minutes) take interventions whose start and end are both
  known and whose end falls in the month (`avg_min_flag_type`: end not after the period end),
  with a positive duration, and measure the whole duration: `minutes` on the end month's row.
  The publication also drops interventions outside the hospital spell's dates; RRP does not
  link an intervention to a spell, so that check is not made.
* MHS138/MHS139 do the same with the incident's start and end, on its end month's row.
* MHS146/MHS147 (average days of active seclusion / segregation) take those still in progress
  at the end of the month (end date null in the submission) and count days from the start to
  the end of the month (`days_of_restraint` with the end taken as the period end + 1 day).
* Prone restraint (type 01) also gets its own band of the whole duration (`prone_band`, finer
  than NHS England's) and whether its reason was recorded, on every row (read from the first
  month's); the longest is MHS99's `minutes`, kept for prone alone.
* MHS136 counts incidents with at least one intervention in the month (`person_id` comes from
  the type table, and rows without one are left out): one `incident_row` per incident-month.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from rrp.analytics import categories as cat
from rrp.incidents import codes as incident_codes

SECLUSION = "05"
SEGREGATION = "06"
POLICE = "police"


@dataclass(frozen=True)
class InterventionIn:
    id: int
    type_code: str
    started_at: dt.datetime
    ended_at: dt.datetime | None
    # Prone restraint only: whether "why was prone restraint used?" was answered (records made
    # before the question existed were not). The text itself never leaves the record.
    prone_reason_recorded: bool = False


@dataclass(frozen=True)
class DutyIn:
    kind: str
    due_at: dt.datetime
    completed_at: dt.datetime | None
    late_reason: str = ""
    not_required_reason: str = ""


@dataclass(frozen=True)
class IncidentIn:
    """What the facts of one incident are made from (read from the incident tables)."""

    id: int
    organisation_id: int
    ward_id: int
    patient_id: int
    started_at: dt.datetime
    ended_at: dt.datetime | None
    reason: str
    harm: str
    death_or_serious_injury: bool
    interventions: Sequence[InterventionIn]
    patient: Mapping[str, Any]  # Patient field values: date_of_birth, sex, ethnic_category...
    injuries: Sequence[tuple[str, str]] = ()  # (person, severity)
    staff: Sequence[tuple[str, bool]] = ()  # (role, injured)
    # For each person who held or led the hold: in date in physical skills on the day, or None
    # when not on the staff register (from StaffInvolvement.training_on_the_day).
    holders_in_date: Sequence[bool | None] = ()
    other_kinds: Sequence[str] = ()  # kinds of other people involved (police...)
    duties: Sequence[DutyIn] = field(default_factory=tuple)
    # The characteristic keys (categories.characteristics_of) when already worked out; else
    # they come from `patient` on the day the incident started.
    characteristics: Mapping[str, str] | None = None


def local_month(moment: dt.datetime, tz: ZoneInfo) -> dt.date:
    return moment.astimezone(tz).date().replace(day=1)


@functools.lru_cache(maxsize=4096)
def month_bounds(month: dt.date, tz: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """The aware start and (exclusive) end of a local calendar month."""
    start = dt.datetime.combine(month, dt.time(), tzinfo=tz)
    end = dt.datetime.combine(cat.next_month(month), dt.time(), tzinfo=tz)
    return start, end


# The kind of force of each code, looked up once per intervention on a full rebuild.
_CATEGORY: dict[str, str] = {code: cat.category_of(code) for code in cat.TYPE_LABELS}


def _minutes(start: dt.datetime, end: dt.datetime) -> float:
    return (end - start).total_seconds() / 60.0


def duty_status(duty: DutyIn) -> str:
    """How a duty was met, as recorded (an open duty's overdue state is worked out when read)."""
    if duty.completed_at is None:
        return "not_required" if duty.not_required_reason else "open"
    if duty.completed_at <= duty.due_at:
        return "on_time"
    return "late_with_reason" if duty.late_reason.strip() else "late_no_reason"


def _worst_injury(injuries: Sequence[tuple[str, str]]) -> str:
    worst = ""
    for _person, severity in injuries:
        if cat.INJURY_SEVERITY_ORDER.index(severity) > cat.INJURY_SEVERITY_ORDER.index(worst):
            worst = severity
    return worst


def incident_facts(
    incident: IncidentIn, *, tz: ZoneInfo, now: dt.datetime
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The InterventionFact and DutyFact rows (as field dicts) of one counted incident.

    Interventions still in progress get a row for every month up to the month of `now`.
    """
    if not incident.interventions:
        return [], []
    current_month = local_month(now, tz)
    ordered = sorted(incident.interventions, key=lambda i: (i.started_at, i.id))
    first_month = local_month(ordered[0].started_at, tz)
    incident_end_month = (
        local_month(incident.ended_at, tz) if incident.ended_at is not None else None
    )
    incident_minutes = (
        _minutes(incident.started_at, incident.ended_at)
        if incident.ended_at is not None
        else None
    )
    staff_force = sum(1 for role, _ in incident.staff if role not in incident_codes.NO_FORCE_ROLES)
    incident_types = cat.type_filter_bits(i.type_code for i in incident.interventions)
    common: dict[str, Any] = {
        "organisation_id": incident.organisation_id,
        "ward_id": incident.ward_id,
        "incident_id": incident.id,
        "patient_id": incident.patient_id,
        "reason": incident.reason,
        "harm": incident.harm,
        "injuries_patient": sum(1 for p, _ in incident.injuries if p == "patient"),
        "injuries_staff": sum(1 for p, _ in incident.injuries if p == "staff"),
        "injuries_other": sum(1 for p, _ in incident.injuries if p == "other"),
        "worst_injury": _worst_injury(incident.injuries),
        "staff_force": staff_force,
        "staff_injured": sum(1 for _, injured in incident.staff if injured),
        "police": POLICE in incident.other_kinds,
        "death_or_serious_injury": incident.death_or_serious_injury,
        "incident_types": incident_types,
        "hold_training": cat.hold_training(
            incident.holders_in_date,
            restraint=any(_CATEGORY.get(i.type_code) == "physical"
                          for i in incident.interventions),
        ),
        **(
            incident.characteristics
            if incident.characteristics is not None
            else cat.characteristics_of(incident.patient, incident.started_at.astimezone(tz).date())
        ),
    }

    rows: list[dict[str, Any]] = []
    months_with_incident_row: set[dt.date] = set()
    for intervention in ordered:
        category = _CATEGORY.get(intervention.type_code) or cat.category_of(intervention.type_code)
        start_local = intervention.started_at.astimezone(tz)
        start_month = start_local.date().replace(day=1)
        if intervention.ended_at is None:
            end_month = current_month
        elif intervention.ended_at < month_bounds(start_month, tz)[1]:
            end_month = start_month  # the usual case: over within the month it started
        else:
            end_month = local_month(intervention.ended_at, tz)
        duration = (
            _minutes(intervention.started_at, intervention.ended_at)
            if intervention.ended_at is not None
            else None
        )
        band = cat.duration_band(category, duration)
        prone = intervention.type_code == cat.PRONE
        prone_band = cat.prone_band(duration) if prone else ""
        prone_reason_recorded = prone and intervention.prone_reason_recorded
        spanned = (
            (start_month,)
            if end_month <= start_month
            else cat.months_between(start_month, end_month)
        )
        for month in spanned:
            _, month_end = month_bounds(month, tz)
            ends_here = intervention.ended_at is not None and month == end_month
            still_active = intervention.ended_at is None or intervention.ended_at >= month_end
            active_days = None
            if (
                intervention.type_code in (SECLUSION, SEGREGATION)
                and still_active
                and month_end <= now
            ):
                active_days = (month_end - intervention.started_at).total_seconds() / 86400.0
            incident_row = month not in months_with_incident_row
            months_with_incident_row.add(month)
            rows.append(
                {
                    **common,
                    "month": month,
                    "intervention_id": intervention.id,
                    "type_code": intervention.type_code,
                    "category": category,
                    "first_month": month == start_month,
                    "ends_in_month": ends_here,
                    "is_open": intervention.ended_at is None,
                    "minutes": duration if ends_here and duration and duration > 0 else None,
                    "active_days": active_days,
                    "hour": start_local.hour,
                    "weekday": start_local.weekday(),
                    "duration_band": band,
                    "prone_band": prone_band,
                    "prone_reason_recorded": prone_reason_recorded,
                    "incident_row": incident_row,
                    "incident_first": incident_row and month == first_month,
                    "incident_minutes": (
                        incident_minutes
                        if incident_row
                        and month == incident_end_month
                        and incident_minutes is not None
                        and incident_minutes > 0
                        else None
                    ),
                }
            )
    duty_rows = [
        {
            "organisation_id": incident.organisation_id,
            "ward_id": incident.ward_id,
            "month": first_month,
            "incident_id": incident.id,
            "kind": duty.kind,
            "status": duty_status(duty),
            "due_at": duty.due_at,
            "completed_at": duty.completed_at,
            "incident_types": incident_types,
        }
        for duty in incident.duties
    ]
    return rows, duty_rows
