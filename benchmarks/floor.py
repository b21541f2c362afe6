"""The floor: the same figures computed by DuckDB straight from the raw rows (the CSV files the
databases loaded), with no summaries. An in-memory columnar engine scanning everything is about
as fast as answering these questions gets, so RRP's times are reported as a ratio to it.

The SQL follows the same rules as rrp.analytics (facts.py, measures.py, breakdowns.py): local
(Europe/London) months, an intervention in every month it was in progress, period breakdowns
counting each intervention once in the month it started, drafts, records entered in error and
negligible force left out.
"""

# ruff: noqa: S608 - the SQL is built from this module's own constants, never from input
from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

TABLES = {
    "incident": "incidents_incident", "intervention": "incidents_intervention",
    "staff": "incidents_staffinvolvement", "injury": "incidents_injury",
    "other": "incidents_otherpersoninvolved", "duty": "incidents_duty",
    "patient": "patients_patient", "admission": "patients_admission",
    "bed_days": "organisations_occupiedbeddays", "ward": "organisations_ward",
}
PERIOD = ("2024-10-01", "2026-09-01")
YEAR = ("2025-10-01", "2026-09-01")
SETUP = """
CREATE OR REPLACE VIEW counted AS
  SELECT * FROM incident
  WHERE status <> 'draft' AND entered_in_error_at IS NULL AND NOT negligible;
CREATE OR REPLACE VIEW iv AS
  SELECT v.id, v.incident_id, v.type_code, i.ward_id, i.patient_id, i.reason, i.harm,
         timezone('Europe/London', v.started_at) AS start_local,
         timezone('Europe/London', v.ended_at) AS end_local,
         v.started_at, v.ended_at,
         CASE WHEN v.type_code IN ('01','07','08','09','10','11','12','13') THEN 'physical'
              WHEN v.type_code = '04' THEN 'mechanical' WHEN v.type_code = '05' THEN 'seclusion'
              WHEN v.type_code = '06' THEN 'segregation' ELSE 'chemical' END AS category
  FROM intervention v JOIN counted i ON i.id = v.incident_id;
CREATE OR REPLACE TABLE months AS
  SELECT m::DATE AS month, (m + INTERVAL 1 MONTH)::DATE AS month_end
  FROM range(DATE '2021-10-01', DATE '2026-11-01', INTERVAL 1 MONTH) t(m);
"""


def connect(directory: Path) -> tuple[duckdb.DuckDBPyConnection, float]:
    started = time.perf_counter()
    con = duckdb.connect()
    for name, table in TABLES.items():
        con.execute(
            f"CREATE TABLE {name} AS SELECT * FROM read_csv('{directory / (table + '.csv')}', "
            "header=true, nullstr='\\N', auto_detect=true, sample_size=-1)"
        )
    con.execute(SETUP)
    return con, time.perf_counter() - started


def _monthly_parts(first: str, last: str, group: str, where: str = "") -> str:
    """MHSDS measure parts per month (and `group`) with an intervention in every month it was in
    progress."""
    return f"""
    WITH occ AS (
      SELECT m.month, m.month_end, iv.*, w.site_id, w.service_type,
             row_number() OVER (PARTITION BY iv.incident_id, m.month
                                ORDER BY iv.start_local, iv.id) = 1 AS incident_row
      FROM iv JOIN months m
        ON iv.start_local < m.month_end AND (iv.end_local IS NULL OR iv.end_local >= m.month)
      JOIN ward w ON w.id = iv.ward_id
      WHERE m.month BETWEEN DATE '{first}' AND DATE '{last}' {where}
    )
    SELECT {group} AS scope, month, count(*) AS interventions,
      count(*) FILTER (WHERE incident_row) AS incidents,
      count(DISTINCT patient_id) AS people,
      avg(date_diff('second', started_at, ended_at) / 60.0)
        FILTER (WHERE ended_at IS NOT NULL AND end_local < month_end
                AND ended_at > started_at) AS mhs98,
      max(date_diff('second', started_at, ended_at) / 60.0)
        FILTER (WHERE ended_at IS NOT NULL AND end_local < month_end) AS mhs99,
      avg(date_diff('second', started_at, timezone('Europe/London', month_end::TIMESTAMP))
          / 86400.0) FILTER (WHERE type_code = '05' AND (end_local IS NULL
                                                        OR end_local >= month_end)) AS mhs146,
      avg(date_diff('second', started_at, timezone('Europe/London', month_end::TIMESTAMP))
          / 86400.0) FILTER (WHERE type_code = '06' AND (end_local IS NULL
                                                        OR end_local >= month_end)) AS mhs147,
      count(*) FILTER (WHERE type_code = '01') AS prone,
      count(DISTINCT patient_id) FILTER (WHERE type_code = '01') AS people_prone,
      count(*) FILTER (WHERE category = 'physical') AS physical,
      count(*) FILTER (WHERE type_code = '14') AS rapid_tranquillisation,
      count(*) FILTER (WHERE category = 'seclusion') AS seclusion,
      count(*) FILTER (WHERE category = 'segregation') AS segregation
    FROM occ GROUP BY ALL ORDER BY ALL
    """


def _bed_days(first: str, last: str, group: str, where: str = "") -> str:
    return f"""
    SELECT {group} AS scope, b.month, sum(b.bed_days) AS bed_days
    FROM bed_days b JOIN ward w ON w.id = b.ward_id
    WHERE b.month BETWEEN DATE '{first}' AND DATE '{last}' {where} GROUP BY ALL
    """


def _people_in_hospital(first: str, last: str, group: str, where: str = "") -> str:
    return f"""
    SELECT {group} AS scope, m.month, count(DISTINCT a.patient_id) AS people_in_hospital
    FROM admission a JOIN months m
      ON a.admitted_on < m.month_end AND coalesce(a.discharged_on, DATE '2026-10-20') >= m.month
    JOIN ward w ON w.id = a.ward_id
    WHERE m.month BETWEEN DATE '{first}' AND DATE '{last}' {where} GROUP BY ALL
    """


FIRST = "date_trunc('month', iv.start_local) BETWEEN DATE '{0}' AND DATE '{1}'"
CHARACTERISTICS = (
    "sex", "religion", "disability", "sexual_orientation", "pregnancy", "marital_status",
    "learning_disability_autism", "mental_disorder", "legal_status", "gender_same_as_birth",
    "eth", "date_part('year', age(DATE '2026-09-30', date_of_birth)) // 10",
)


def organisation_dashboard(
    con: duckdb.DuckDBPyConnection, ward: str | None = None, type_code: str | None = None,
    period: tuple[str, str] = PERIOD,
) -> list[Any]:
    """Everything the organisation dashboard shows, for 24 months (or a ward's dashboard; or
    with the breakdowns filtered to one type of intervention)."""
    first, last = period
    in_period = FIRST.format(first, last)
    if type_code is not None:
        in_period += f" AND iv.type_code = '{type_code}'"
    ward_filter = stay_filter = incident_filter = ""
    if ward is not None:
        found = con.execute("SELECT id FROM ward WHERE code = ?", [ward]).fetchone()
        assert found is not None, ward
        ward_id = found[0]
        ward_filter = f" AND w.id = {int(ward_id)}"
        stay_filter = f" AND a.ward_id = {int(ward_id)}"
        incident_filter = f" AND i.ward_id = {int(ward_id)}"
        in_period += f" AND iv.ward_id = {int(ward_id)}"
    results = [
        con.execute(_monthly_parts(first, last, "'org'", ward_filter)).fetchall(),
        con.execute(_bed_days(first, last, "'org'", ward_filter)).fetchall(),
        con.execute(_people_in_hospital(first, last, "'org'", stay_filter)).fetchall(),
    ]
    for column in ("type_code", "category", "reason",
                   "dayofweek(start_local), hour(start_local)"):
        results.append(con.execute(
            f"SELECT {column}, count(*), count(DISTINCT incident_id) FROM iv "
            f"WHERE {in_period} GROUP BY ALL").fetchall())
    minutes = "date_diff('minute', started_at, ended_at)"
    results.append(con.execute(f"""
        SELECT CASE WHEN end_local IS NULL THEN 'open'
          WHEN category = 'seclusion' THEN 's:' || ({minutes} // 1440)
          WHEN category = 'segregation' THEN 'g:' || ({minutes} // 43200)
          ELSE 'r:' || least({minutes} // 10, 6) END AS band,
          count(*) FROM iv WHERE {in_period} GROUP BY ALL""").fetchall())
    # Incidents counted once, in the month their first intervention started.
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE period_incidents AS
        SELECT i.* FROM counted i JOIN (
          SELECT incident_id, min(start_local) AS first_start FROM iv GROUP BY ALL
        ) f ON f.incident_id = i.id
        WHERE date_trunc('month', f.first_start) BETWEEN DATE '{first}' AND DATE '{last}'
        {incident_filter}""")
    results.append(con.execute(
        "SELECT harm, count(*) FROM period_incidents GROUP BY ALL").fetchall())
    results.append(con.execute("""
        SELECT j.person, j.severity, count(*), count(DISTINCT j.incident_id)
        FROM injury j JOIN period_incidents i ON i.id = j.incident_id
        GROUP BY ALL""").fetchall())
    results.append(con.execute("""
        SELECT n, count(*), sum(hurt) FROM (
          SELECT i.id,
            count(s.id) FILTER (WHERE s.role NOT IN ('observer', 'monitoring_wellbeing')) AS n,
            count(s.id) FILTER (WHERE s.injured) AS hurt
          FROM period_incidents i LEFT JOIN staff s ON s.incident_id = i.id GROUP BY ALL
        ) GROUP BY ALL""").fetchall())
    results.append(con.execute("""
        SELECT count(*) FROM other o JOIN period_incidents i ON i.id = o.incident_id
        WHERE o.kind = 'police'""").fetchall())
    results.append(con.execute("""
        SELECT d.kind,
          CASE WHEN d.completed_at IS NULL AND d.not_required_reason <> '' THEN 'not_required'
               WHEN d.completed_at IS NULL
                AND d.due_at < TIMESTAMPTZ '2026-10-20 12:00:00+00' THEN 'overdue'
               WHEN d.completed_at IS NULL THEN 'due'
               WHEN d.completed_at <= d.due_at THEN 'on_time'
               WHEN d.late_reason <> '' THEN 'late_with_reason'
               ELSE 'late_no_reason' END,
          count(*)
        FROM duty d JOIN period_incidents i ON i.id = d.incident_id GROUP BY ALL""").fetchall())
    # Equality: interventions and people per group, and each group's occupied bed days, for
    # every characteristic at once (grouping sets).
    groups = """
        SELECT p.id, p.sex, p.religion, p.disability, p.sexual_orientation, p.pregnancy,
          p.marital_status, p.learning_disability_autism, p.mental_disorder, p.legal_status,
          p.gender_same_as_birth, p.date_of_birth,
          CASE WHEN p.ethnic_category IN ('A','B','C') THEN 'White'
               WHEN p.ethnic_category IN ('D','E','F','G') THEN 'Mixed'
               WHEN p.ethnic_category IN ('H','J','K','L') THEN 'Asian'
               WHEN p.ethnic_category IN ('M','N','P') THEN 'Black'
               WHEN p.ethnic_category IN ('R','S') THEN 'Other'
               ELSE p.ethnic_category END AS eth
        FROM patient p"""
    con.execute(f"CREATE OR REPLACE TEMP VIEW groups AS {groups}")
    sets = ", ".join(f"({c})" for c in CHARACTERISTICS)
    results.append(con.execute(f"""
        SELECT {", ".join(CHARACTERISTICS)}, count(*), count(DISTINCT iv.incident_id),
               count(DISTINCT iv.patient_id)
        FROM iv JOIN groups g ON g.id = iv.patient_id WHERE {in_period}
        GROUP BY GROUPING SETS ({sets})""").fetchall())
    results.append(con.execute(f"""
        SELECT {", ".join(CHARACTERISTICS)},
          sum(date_diff('day', greatest(a.admitted_on, m.month),
                        least(coalesce(a.discharged_on, DATE '2026-10-20'), m.month_end)))
        FROM admission a JOIN months m
          ON a.admitted_on < m.month_end
         AND coalesce(a.discharged_on, DATE '2026-10-20') > m.month
        JOIN groups g ON g.id = a.patient_id
        WHERE m.month BETWEEN DATE '{first}' AND DATE '{last}' {stay_filter}
        GROUP BY GROUPING SETS ({sets})""").fetchall())
    results.append(con.execute(f"""
        SELECT n FROM (SELECT patient_id, count(*) AS n FROM iv WHERE {in_period} GROUP BY ALL)
        ORDER BY n DESC""").fetchall())
    # Under-reporting: every ward's months, with bed days.
    results.append(con.execute(_monthly_parts("2023-10-01", last, "ward_id")).fetchall())
    results.append(con.execute(_bed_days("2023-10-01", last, "w.id")).fetchall())
    return results


def ward_spc(con: duckdb.DuckDBPyConnection) -> list[Any]:
    first, last = PERIOD
    return [
        con.execute(_monthly_parts(first, last, "'W01'", "AND w.code = 'W01'")).fetchall(),
        con.execute(_bed_days(first, last, "'W01'", "AND w.code = 'W01'")).fetchall(),
    ]


def measures_year(con: duckdb.DuckDBPyConnection) -> list[Any]:
    first, last = YEAR
    out = []
    for group, ward_group in (("'org'", "'org'"), ("site_id", "w.site_id"),
                              ("service_type", "w.service_type"), ("ward_id", "w.id")):
        out.append(con.execute(_monthly_parts(first, last, group)).fetchall())
        out.append(con.execute(_bed_days(first, last, ward_group)).fetchall())
        out.append(con.execute(_people_in_hospital(first, last, ward_group)).fetchall())
    return out


def org_months(con: duckdb.DuckDBPyConnection) -> dict[str, list[int]]:
    """month -> [interventions, incidents, people] for the organisation: checked against RRP."""
    rows = con.execute(_monthly_parts(*PERIOD, "'org'")).fetchall()
    return {f"{r[1]:%Y-%m}": [r[2], r[3], r[4]] for r in rows}


# Every month the synthetic provider has records in, and the dashboards' type filters.
EVERY_MONTH = ("2021-10-01", "2026-10-01")
TYPE_FILTERS = (None, "01", "14", "05", "06", "04")


def every_summary(con: duckdb.DuckDBPyConnection) -> list[Any]:
    """What a summary rebuild computes: the dashboard's figures for every month, for each
    type filter (the floor of `rrp analytics rebuild`)."""
    return [organisation_dashboard(con, type_code=code, period=EVERY_MONTH)
            for code in TYPE_FILTERS]


def timed(action: Callable[[], Any], repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run(directory: Path) -> dict[str, Any]:
    con, load_seconds = connect(directory)
    return {
        "load": load_seconds,
        "org_dashboard": timed(lambda: organisation_dashboard(con)),
        "ward_spc": timed(lambda: ward_spc(con)),
        "ward_dashboard": timed(lambda: organisation_dashboard(con, ward="W01")),
        "org_dashboard_prone": timed(lambda: organisation_dashboard(con, type_code="01")),
        "measures_year": timed(lambda: measures_year(con), repeats=3),
        "every_summary": timed(lambda: every_summary(con), repeats=1),
        "org_months": org_months(con),
    }
