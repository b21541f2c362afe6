"""A synthetic provider of any size, written once as CSV files that every database in the run
loads: SQLite, PostgreSQL and DuckDB all read exactly the same raw rows.

One organisation (ODS code BEN01) with 40 wards on 4 sites across every service type, five years
of ward stays (one synthetic patient per stay), occupied bed days from those stays, and uses of
force with their interventions, staff, injuries, police involvement and the two duties that
follow nearly every restraint (the medical review within the hour and the learning review).
Two wards start a reduction initiative a year before the end, as in the demo. Nothing is real.

The CSV files hold every column of each table, in the database's own column order, with `\\N`
for NULL, so PostgreSQL's COPY can take them as they are. Generation is seeded: the same size
gives the same rows.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import itertools
import random
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

NULL = "\\N"
TODAY = dt.date(2026, 10, 20)
FIRST_MONTH = dt.date(2021, 10, 1)
UTC = dt.UTC
ORGANISATION_ID = 1
INITIATIVE_WARDS = ("W01", "W02")
INITIATIVE_START = dt.date(2025, 10, 1)
SERVICE_TYPES = ("adult_acute", "picu", "older_adult", "ld_autism", "forensic", "camhs",
                 "rehabilitation", "eating_disorders")
MEAN_STAY = {"adult_acute": 35, "picu": 25, "older_adult": 60, "ld_autism": 200,
             "forensic": 300, "camhs": 55, "rehabilitation": 150, "eating_disorders": 90}
AGES = {"older_adult": (65, 92), "camhs": (12, 17)}
ETHNICITY = ("A",) * 62 + ("B", "B", "C", "C", "C", "C", "C", "C", "D", "D", "E", "F", "G", "H",
             "H", "H", "J", "J", "J", "K", "L", "M", "M", "M", "M", "N", "N", "N", "N", "N", "P",
             "P", "R", "S", "S", "Z", "Z", "99")
RELIGION = ("christian",) * 40 + ("none",) * 35 + ("muslim",) * 8 + (
    "hindu", "hindu", "sikh", "jewish", "buddhist", "other") + ("not_known",) * 8 + (
    "prefers_not_to_say",) * 3
PHYSICAL = ("01", "07", "07", "07", "08", "08", "09", "09", "10", "11", "11", "12", "13")
REASONS = ("10",) * 5 + ("11",) * 3 + ("13", "13", "14", "15", "16", "17", "17", "18", "19", "98")


def fmt_time(moment: dt.datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S+00:00")


@dataclass
class Stay:
    id: int
    ward_id: int
    patient_id: int
    admitted: dt.date
    discharged: dt.date | None
    weight: float


class Table:
    """One CSV file with every column of a model, defaults filled in."""

    def __init__(self, model: Any, directory: Path) -> None:
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.names = [f.attname for f in self.fields]
        self.defaults: dict[str, Any] = {}
        for field in self.fields:
            if field.has_default():
                self.defaults[field.attname] = field.get_default()
            elif field.null:
                self.defaults[field.attname] = None
            elif field.get_internal_type() in ("CharField", "TextField"):
                self.defaults[field.attname] = ""
            elif field.get_internal_type() == "DateTimeField":
                self.defaults[field.attname] = dt.datetime(2026, 10, 20, tzinfo=UTC)
        self.path = directory / f"{model._meta.db_table}.csv"
        self.handle = self.path.open("w", newline="")
        self.writer = csv.writer(self.handle)
        self.writer.writerow([f.column for f in self.fields])
        self.count = 0

    def write(self, **values: Any) -> None:
        row = []
        for name in self.names:
            value = values[name] if name in values else self.defaults[name]
            if value is None:
                row.append(NULL)
            elif value is True:
                row.append("true")
            elif value is False:
                row.append("false")
            elif isinstance(value, dt.datetime):
                row.append(fmt_time(value))
            elif isinstance(value, dict | list):
                row.append("{}" if isinstance(value, dict) else "[]")
            else:
                row.append(value)
        self.writer.writerow(row)
        self.count += 1

    def close(self) -> None:
        self.handle.close()


def months(first: dt.date, last: dt.date) -> list[dt.date]:
    out, current = [], first
    while current <= last:
        out.append(current)
        current = (current.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return out


def generate(interventions: int, directory: Path, seed: int = 20261020) -> dict[str, int]:
    """Write the provider's CSV files into `directory`; returns rows per table."""
    from django.apps import apps

    rng = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)
    model = apps.get_model
    tables = {
        name: Table(model(label), directory)
        for name, label in (
            ("organisation", "organisations.Organisation"), ("site", "organisations.Site"),
            ("ward", "organisations.Ward"), ("bed_days", "organisations.OccupiedBedDays"),
            ("patient", "patients.Patient"), ("admission", "patients.Admission"),
            ("incident", "incidents.Incident"), ("intervention", "incidents.Intervention"),
            ("staff", "incidents.StaffInvolvement"), ("injury", "incidents.Injury"),
            ("other", "incidents.OtherPersonInvolved"), ("duty", "incidents.Duty"),
        )
    }
    created = dt.datetime(2021, 9, 1, tzinfo=UTC)
    tables["organisation"].write(id=ORGANISATION_ID, name="Benchmark Health NHS Trust",
                                 ods_code="BEN01", sector="nhs", created_at=created)
    for site in range(1, 5):
        tables["site"].write(id=site, organisation_id=ORGANISATION_ID, name=f"Site {site}",
                             code=f"S{site}")
    wards: list[tuple[int, str, str, int]] = []
    for number in range(1, 41):
        service = SERVICE_TYPES[(number - 1) % len(SERVICE_TYPES)]
        beds = 10 + (number * 7) % 11
        code = f"W{number:02d}"
        wards.append((number, code, service, beds))
        tables["ward"].write(
            id=number, organisation_id=ORGANISATION_ID, site_id=(number - 1) // 10 + 1,
            code=code, name=f"Ward {code}", service_type=service, beds=beds, is_open=True,
        )

    # Ward stays: each bed filled back to back, one synthetic patient per stay.
    history_start = FIRST_MONTH
    stays: list[Stay] = []
    nights: dict[tuple[int, dt.date], int] = defaultdict(int)
    patient_id = 0
    for ward_id, _code, service, beds in wards:
        low, high = AGES.get(service, (18, 70))
        for _bed in range(beds):
            day = history_start - dt.timedelta(days=rng.randrange(MEAN_STAY[service]))
            while day <= TODAY:
                length = max(2, int(rng.expovariate(1 / MEAN_STAY[service])))
                end: dt.date | None = day + dt.timedelta(days=length)
                if end is not None and end > TODAY:
                    end = None
                patient_id += 1
                sex = "male" if rng.random() < 0.6 else "female"
                born = TODAY - dt.timedelta(days=rng.randint(low, high) * 365 + rng.randrange(365))
                tables["patient"].write(
                    id=patient_id, organisation_id=ORGANISATION_ID, local_id=f"B{patient_id:06d}",
                    date_of_birth=born, sex=sex, religion=rng.choice(RELIGION),
                    ethnic_category=rng.choice(ETHNICITY),
                    disability=rng.choice(("yes", "no", "no", "not_known")),
                    created_at=created, updated_at=created,
                )
                # How prone this person is to being restrained: a few people account for much
                # of the restraint, as in real services.
                weight = rng.lognormvariate(0, 1.2)
                stays.append(Stay(len(stays) + 1, ward_id, patient_id, day, end, weight))
                tables["admission"].write(
                    id=len(stays), organisation_id=ORGANISATION_ID, patient_id=patient_id,
                    ward_id=ward_id, admitted_on=day, discharged_on=end,
                    spell_id=f"SP{patient_id}",
                )
                stop = end or TODAY
                current = max(day, history_start)
                while current < stop:
                    nights[(ward_id, current.replace(day=1))] += 1
                    current += dt.timedelta(days=1)
                if end is None:
                    break
                day = end + dt.timedelta(days=rng.choice((0, 0, 1, 2)))
    bed_days_id = itertools.count(1)
    for ward_id, _code, _service, _beds in wards:
        for month in months(FIRST_MONTH, TODAY.replace(day=1)):
            tables["bed_days"].write(
                id=next(bed_days_id), organisation_id=ORGANISATION_ID, ward_id=ward_id,
                month=month, bed_days=nights.get((ward_id, month), 0), source="computed",
                updated_at=created,
            )

    # Uses of force: a stay is picked in proportion to its days in the history and the
    # person's propensity, then a moment in it, more in the afternoon and evening.
    spans = []
    weights = []
    for stay in stays:
        start = max(stay.admitted, history_start)
        end = stay.discharged or TODAY
        days = (end - start).days
        if days <= 0:
            continue
        spans.append((stay, start, days))
        weights.append(days * stay.weight)
    cumulative = list(itertools.accumulate(weights))
    total_weight = cumulative[-1]
    codes = {ward_id: code for ward_id, code, _, _ in wards}
    hour_weights = [1, 1, 1, 1, 1, 1, 2, 4, 5, 5, 5, 5, 6, 6, 6, 7, 8, 9, 9, 8, 7, 5, 3, 2]
    hours = list(itertools.accumulate(hour_weights))
    written = 0
    incident_id = intervention_id = staff_id = injury_id = other_id = duty_id = 0
    now = dt.datetime.combine(TODAY, dt.time(), tzinfo=UTC)
    while written < interventions:
        stay, start, days = spans[bisect.bisect(cumulative, rng.random() * total_weight)]
        day = start + dt.timedelta(days=rng.randrange(days))
        initiative = codes[stay.ward_id] in INITIATIVE_WARDS and day >= INITIATIVE_START
        if initiative and rng.random() > 0.6:
            continue
        hour = bisect.bisect(hours, rng.random() * hours[-1])
        begin = dt.datetime.combine(day, dt.time(hour, rng.randrange(60)), tzinfo=UTC)
        if begin >= now:
            continue
        count = min(interventions - written, rng.choices((1, 2, 3), (60, 30, 10))[0])
        incident_id += 1
        steps: list[tuple[str, int]] = []
        first = rng.choice(PHYSICAL)
        roll = rng.random()
        if roll < 0.04:
            first = "05"
        elif roll < 0.043:
            first = "06"
        elif roll < 0.045:
            first = "04"
        steps.append((first, 0))
        for _ in range(count - 1):
            follow = rng.random()
            then = "14" if follow < 0.4 else "05" if follow < 0.5 else rng.choice(PHYSICAL)
            steps.append((then, 0))
        moment = begin
        rows = []
        for type_code, _ in steps:
            if type_code == "05":
                minutes = rng.randint(60, 2880)
            elif type_code == "06":
                minutes = rng.randint(3, 60) * 1440
            elif type_code == "04":
                minutes = rng.randint(10, 120)
            elif type_code == "14":
                minutes = 1
            else:
                minutes = rng.randint(1, 25)
            end_moment = moment + dt.timedelta(minutes=minutes)
            rows.append((type_code, moment, end_moment))
            moment = end_moment
        ended: dt.datetime | None = rows[-1][2]
        if ended is not None and ended > now:
            ended = None
        status_roll = rng.random()
        status = "draft" if status_roll < 0.02 else "closed" if status_roll < 0.5 else "submitted"
        physical = [r for r in rows if r[0] in PHYSICAL]
        tables["incident"].write(
            id=incident_id, organisation_id=ORGANISATION_ID, ward_id=stay.ward_id,
            patient_id=stay.patient_id, status=status, started_at=begin, ended_at=ended,
            reason=rng.choice(REASONS), description="Synthetic", efforts_to_avoid="Synthetic",
            outcome="Synthetic", notification="not_applicable",
            negligible=bool(physical) and len(rows) == 1 and rng.random() < 0.01,
            harm="low" if rng.random() < 0.04 else "none", created_at=begin,
            submitted_at=None if status == "draft" else begin,
            entered_in_error_at=begin if 0.02 <= status_roll < 0.03 else None,
            entered_in_error_reason="Duplicate" if 0.02 <= status_roll < 0.03 else "",
        )
        for type_code, started, finished in rows:
            intervention_id += 1
            written += 1
            tables["intervention"].write(
                id=intervention_id, incident_id=incident_id, type_code=type_code,
                started_at=started, ended_at=None if finished > now else finished,
                drug="Lorazepam" if type_code == "14" else "",
                dose="2 mg" if type_code == "14" else "", route="im" if type_code == "14" else "",
            )
        extra = ("upper_limbs",) if rng.random() < 0.3 else ()
        for role in ("lead", "monitoring_wellbeing", *extra):
            staff_id += 1
            tables["staff"].write(
                id=staff_id, incident_id=incident_id, name=f"Staff {staff_id % 500}",
                job_title="Nurse", role=role, injured=rng.random() < 0.02,
            )
        if rng.random() < 0.05:
            injury_id += 1
            tables["injury"].write(id=injury_id, incident_id=incident_id,
                                   person=rng.choice(("patient", "patient", "staff")),
                                   severity=rng.choice(("minor", "minor", "moderate")),
                                   description="Bruise")
        if rng.random() < 0.01:
            other_id += 1
            tables["other"].write(id=other_id, incident_id=incident_id, kind="police",
                                  reason="Called to help")
        if status == "draft":
            continue
        if physical:
            duty_id += 1
            due = physical[0][1] + dt.timedelta(minutes=60)
            roll = rng.random()
            done = due - dt.timedelta(minutes=rng.randint(1, 40)) if roll < 0.85 else (
                due + dt.timedelta(minutes=rng.randint(5, 120)) if roll < 0.97 else None)
            tables["duty"].write(
                id=duty_id, organisation_id=ORGANISATION_ID, incident_id=incident_id,
                kind="medical_review", sequence=1, key="medical_review:0:1",
                label="Medical review within 1 hour of restraint", source="standard 2.5.2.XI",
                owner_role="doctor", due_at=due, completed_at=done if done and done < now else None,
                late_reason="Doctor at another emergency" if done and done > due else "",
            )
        if ended is not None:
            duty_id += 1
            due = ended + dt.timedelta(hours=72)
            done = due - dt.timedelta(hours=rng.randint(1, 60)) if rng.random() < 0.9 else (
                due + dt.timedelta(hours=rng.randint(1, 48)))
            tables["duty"].write(
                id=duty_id, organisation_id=ORGANISATION_ID, incident_id=incident_id,
                kind="post_incident_review", sequence=1, key="post_incident_review:-:1",
                label="Reflection and learning review", source="standard 1.6",
                owner_role="ward_manager", due_at=due,
                completed_at=done if done < now else None,
                late_reason="Staff on leave" if done > due else "",
            )
    counts = {}
    for name, table in tables.items():
        table.close()
        counts[name] = table.count
    return counts


def table_files(directory: Path) -> list[Path]:
    """The CSV files in load order (parents before children)."""
    order = ("organisations_organisation", "organisations_site", "organisations_ward",
             "organisations_occupiedbeddays", "patients_patient", "patients_admission",
             "incidents_incident", "incidents_intervention", "incidents_staffinvolvement",
             "incidents_injury", "incidents_otherpersoninvolved", "incidents_duty")
    return [directory / f"{name}.csv" for name in order]


