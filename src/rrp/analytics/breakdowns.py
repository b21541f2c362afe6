"""Breakdowns of restrictive interventions over a period, for one scope: what was used (type,
prone called out), why, when (time of day and day of week), for how long, with what harm,
whether the duties that follow were met on time, who was restrained most, how many staff were
involved, equality by protected characteristic, and wards that may be under-reporting.

Each breakdown is a `Table`: the rows a chart draws and the same rows as the data table and
the CSV, so the three always agree. For a reader outside the treating team every count goes
through `rrp.analytics.disclosure` first (one-way tables with secondary suppression, so a
hidden cell cannot be worked out from the total), and anything derived from a hidden count
(a percentage, a rate, a rate ratio) is hidden with it.

Counts over a period count each intervention and incident once, in the month it started;
the monthly MHSDS measures (measures.py) count an intervention in every month it was in
progress, as NHS England does.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from django.db import connection
from django.db.models import Count, Q, Subquery, Sum

from rrp.analytics import categories as cat
from rrp.analytics import disclosure, equality
from rrp.analytics.models import (
    DutyFact,
    GroupBedDays,
    MonthlyBreakdown,
    PatientMonth,
)
from rrp.analytics.summaries import (
    BREAKDOWN_DIMENSIONS,
    PRONE_DIMENSION,
    UNTYPED_DIMENSIONS,
    incidents_with_type,
)
from rrp.patients.models import Patient

Rule = disclosure.SuppressionRule | None
# Ward ids of the scope being read; None means every ward of the organisation (no filter, so
# the organisation's month index is used).
WardIds = Sequence[int] | None


def in_wards(ward_ids: WardIds) -> Q:
    return Q() if ward_ids is None else Q(ward_id__in=list(ward_ids))

# The intervention type filter (kept in categories: the summaries are counted by it too).
TYPE_FILTERS: Final = cat.TYPE_FILTERS


@dataclass
class Cell:
    interventions: int = 0
    incidents: int = 0
    count: int = 0
    bed_days: int = 0


Cells = dict[str, dict[str, Cell]]


def period_cells(
    organisation: Any,
    scope: str,
    months: Sequence[dt.date],
    type_filter: str | None = None,
) -> Cells:
    """dimension -> key -> Cell over the months, for the scope, from the monthly summaries.
    With an intervention type chosen, the interventions are those of the type and the
    incident-level breakdowns cover the incidents that included one."""
    first, last = min(months), max(months)
    cells: Cells = defaultdict(lambda: defaultdict(Cell))
    # Each group's bed days come from ward stays and do not depend on the type of force.
    for row in GroupBedDays.objects.filter(
        organisation=organisation, scope=scope, month__gte=first, month__lte=last
    ).values("dimension", "key").annotate(b=Sum("bed_days")).order_by():
        cells[row["dimension"]][row["key"]].bed_days = row["b"]
    stored = {
        cat.typed_dimension(type_filter, d): d
        for d in BREAKDOWN_DIMENSIONS if d not in UNTYPED_DIMENSIONS
    }
    # Kept once, without a filter: the same cells whenever the filter keeps prone restraint,
    # and nothing to read when it does not.
    if cat.includes_prone(type_filter):
        stored.update({d: d for d in UNTYPED_DIMENSIONS})
    rows = MonthlyBreakdown.objects.filter(
        organisation=organisation, scope=scope, dimension__in=list(stored), month__gte=first,
        month__lte=last,
    ).values("dimension", "key").annotate(
        i=Sum("interventions"), n=Sum("incidents"), c=Sum("count")
    )
    for row in rows.order_by():
        cell = cells[stored[row["dimension"]]][row["key"]]
        cell.interventions, cell.incidents, cell.count = row["i"], row["n"], row["c"]
    return cells


# ---------------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------------


@dataclass
class Row:
    key: str
    label: str
    values: dict[str, float | None]  # what a chart draws (None: hidden or not applicable)
    shown: dict[str, str]  # what the table and the CSV show


@dataclass
class Table:
    id: str
    title: str
    columns: list[tuple[str, str]]  # (key, heading), the row label column excluded
    rows: list[Row]
    label_heading: str = "Category"
    notes: list[str] = field(default_factory=list)
    total: Row | None = None

    @property
    def is_empty(self) -> bool:
        return not any(v for row in self.rows for v in row.values.values() if v)


def thousands(text: object) -> str:
    """1316 -> 1,316 (for sentences; tables format their own cells)."""
    value = str(text)
    return f"{int(value):,}" if value.isdigit() else value


def _fmt(value: float | None, decimals: int = 0) -> str:
    if value is None:
        return ""
    if decimals == 0:
        return str(int(round(value)))
    return f"{value:.{decimals}f}"


def _count_column(
    counts: Mapping[str, int], rule: Rule, *, exact_total_known: bool = False
) -> tuple[dict[str, tuple[float | None, str]], tuple[float | None, str]]:
    """A column of counts as published: exact for the treating team, else suppressed with
    secondary suppression against the total."""
    total = sum(counts.values())
    if rule is None:
        return {k: (float(v), str(v)) for k, v in counts.items()}, (float(total), str(total))
    table = disclosure.suppress_table(dict(counts), rule=rule, exact_total_known=exact_total_known)
    out = {}
    for key, shown in table.cells.items():
        out[key] = (None if shown == rule.symbol else float(shown), str(shown))
    total_shown = table.total
    return out, (None if total_shown == rule.symbol else float(total_shown), str(total_shown))


def _percent(
    part: float | None, whole: float | None, decimals: int = 0
) -> tuple[float | None, str]:
    if part is None or whole is None or not whole:
        return None, "" if whole else "0"
    value = part * 100.0 / whole
    return value, _fmt(value, decimals)


def count_table(
    table_id: str,
    title: str,
    label_heading: str,
    cells: Mapping[str, Cell],
    order: Sequence[str],
    labels: Mapping[str, str],
    rule: Rule,
    *,
    measure: str = "interventions",
    measure_label: str = "Interventions",
    share: bool = True,
    keep_zero: Sequence[str] = (),
) -> Table:
    """One count per category with its share of the total."""
    keys = [k for k in order if k in cells or k in keep_zero] + sorted(
        k for k in cells if k not in order
    )
    counts = {k: getattr(cells[k], measure) if k in cells else 0 for k in keys}
    keys = [k for k in keys if counts[k] or k in keep_zero]
    counts = {k: counts[k] for k in keys}
    column, total = _count_column(counts, rule)
    columns = [(measure, measure_label)]
    if share:
        columns.append(("share", "Share (%)"))
    rows = []
    for key in keys:
        value, shown = column[key]
        row = Row(key, labels.get(key, key), {measure: value}, {measure: shown})
        if share:
            row.values["share"], row.shown["share"] = _percent(value, total[0])
        rows.append(row)
    total_row = Row("total", "Total", {measure: total[0]}, {measure: total[1]})
    if share:
        total_row.values["share"], total_row.shown["share"] = (100.0, "100") if total[0] else (
            None, "")
    return Table(table_id, title, columns, rows, label_heading, total=total_row)


def types_table(cells: Cells, rule: Rule) -> Table:
    table = count_table(
        "types", "Restrictive interventions by type and position", "Type of intervention",
        cells["type"], list(cat.TYPE_ORDER), cat.TYPE_LABELS, rule,
    )
    return table


@dataclass(frozen=True)
class ProneCallout:
    prone: str
    physical: str
    share: str
    hidden: bool


def prone_callout(cells: Cells, rule: Rule) -> ProneCallout:
    """Prone restraint on its own: how many, and what share of all physical restraint."""
    prone = cells["type"].get(cat.PRONE, Cell()).interventions
    physical = cells["category"].get("physical", Cell()).interventions
    if rule is None:
        share = _percent(prone, physical, 0)[1] if physical else "0"
        return ProneCallout(str(prone), str(physical), share, False)
    shown_share = disclosure.suppress_percentage(prone, physical, rule) if physical else "0"
    return ProneCallout(
        str(disclosure.suppress_count(prone, rule)),
        str(disclosure.suppress_count(physical, rule)),
        str(shown_share),
        shown_share == rule.symbol,
    )


# -- prone restraint: how long and why ------------------------------------------------------


@dataclass(frozen=True)
class ProneDetail:
    """Prone restraints in the period: how many, how long they lasted and whether the reason
    was recorded, as this reader may see them. `count` is the exact number (for the sentence
    saying how many recent ones are not listed, which only the treating team reads)."""

    count: int
    total: str
    longest: str  # whole minutes as shown; "" when none has ended
    recorded_share: str  # % with the reason recorded, as shown; "" with no prone restraint
    durations: Table
    reasons: Table

    @property
    def none(self) -> bool:
        return self.count == 0


def prone_detail(cells: Cells, longest_minutes: float | None, rule: Rule) -> ProneDetail:
    """From the prone cells (one per duration band and reason recorded or not) and the longest
    prone restraint that ended in the period.

    Outside the treating team each partition is its own one-way table, suppressed against the
    same total as the prone call-out. The longest is hidden with fewer than the rule's
    threshold of ended prone restraints: NHS England publishes maxima unsuppressed, but the
    longest of one or two restraints on a ward is one person's restraint."""
    by_band: dict[str, Cell] = defaultdict(Cell)
    by_reason: dict[str, Cell] = defaultdict(Cell)
    for key, cell in cells.get(PRONE_DIMENSION, {}).items():
        band, _, reason = key.partition(":")
        by_band[band].interventions += cell.interventions
        by_reason[reason].interventions += cell.interventions
    count = sum(c.interventions for c in by_band.values())
    ended = count - by_band.get("open", Cell()).interventions
    durations = count_table(
        "prone_duration", "How long prone restraints lasted", "Time held prone", by_band,
        list(cat.PRONE_BANDS), cat.PRONE_BAND_LABELS, rule, measure_label="Prone restraints",
        keep_zero=[b for b in cat.PRONE_BANDS if b != "open"],
    )
    reasons = count_table(
        "prone_reason", "Was the reason for prone restraint recorded?", "Reason",
        by_reason, list(cat.PRONE_REASON_LABELS), cat.PRONE_REASON_LABELS, rule,
        measure_label="Prone restraints", keep_zero=list(cat.PRONE_REASON_LABELS),
    )
    for table in (durations, reasons):
        if table.total is not None:
            table.total.label = "All prone restraints"
    longest = ""
    if longest_minutes is not None and ended:
        if rule is not None and rule.is_small(ended):
            longest = rule.symbol
            durations.notes.append("The longest prone restraint is hidden: too few to show.")
        else:
            longest = str(disclosure.half_up(longest_minutes))
            unit = "minute" if longest == "1" else "minutes"
            durations.notes.append(f"The longest prone restraint lasted {longest} {unit}.")
    # The headline share is the table's, so the two never disagree (outside the treating team
    # both come from the published counts). When the recorded count is hidden so is its share:
    # it is also the share not recorded (100 less it), and would give a hidden count away.
    # The headline count is the table's total too (which the table may hide to protect a
    # cell).
    assert durations.total is not None and reasons.total is not None
    total = durations.total.shown["interventions"]
    recorded_row = next(r for r in reasons.rows if r.key == "recorded")
    share = ""
    if count:
        share = recorded_row.shown["share"]
        hidden = (recorded_row.values["interventions"] is None
                  or reasons.total.values["interventions"] is None)
        if rule is not None and hidden:
            share = rule.symbol
    return ProneDetail(count, total, longest, share, durations, reasons)


def reasons_table(cells: Cells, rule: Rule) -> Table:
    return count_table(
        "reasons", "Why force was used", "Reason", cells["reason"], list(cat.REASON_LABELS),
        cat.REASON_LABELS, rule, measure="incidents", measure_label="Incidents",
    )


def durations_table(cells: Cells, rule: Rule) -> Table:
    return count_table(
        "durations", "How long interventions lasted", "Duration", cells["duration"],
        list(cat.DURATION_ORDER), cat.DURATION_LABELS, rule,
    )


def harm_table(cells: Cells, rule: Rule) -> Table:
    return count_table(
        "harm", "Harm to the patient", "Degree of harm", cells["harm"], list(cat.HARM_ORDER),
        cat.HARM_LABELS, rule, measure="incidents", measure_label="Incidents",
    )


def injuries_table(cells: Cells, rule: Rule) -> Table:
    """Injuries recorded, by who was injured (MHSDS RestraintInjury*), with the incidents in
    which anyone of that group was injured."""
    injured = cells["injured"]
    keys = [k for k in cat.INJURED_PERSON_LABELS if k in injured]
    injuries, total_injuries = _count_column({k: injured[k].count for k in keys}, rule)
    incidents, _ = _count_column({k: injured[k].incidents for k in keys}, rule)
    rows = [
        Row(
            k, cat.INJURED_PERSON_LABELS[k],
            {"count": injuries[k][0], "incidents": incidents[k][0]},
            {"count": injuries[k][1], "incidents": incidents[k][1]},
        )
        for k in keys
    ]
    return Table(
        "injuries", "Injuries during restrictive interventions",
        [("count", "Injuries"), ("incidents", "Incidents with an injury")], rows,
        "Person injured",
        total=Row("total", "Total", {"count": total_injuries[0]}, {"count": total_injuries[1],
                                                                   "incidents": ""}),
    )


def training_table(cells: Cells, rule: Rule) -> Table:
    """Restraints by the training of the staff who held (issue 13; standard 1.5.V): each use
    of force with a physical restraint once, in the month it started, from the training kept
    with the record when it was saved (so a period's figures never change when training is
    recorded later)."""
    order = list(cat.HOLD_TRAINING_LABELS)
    table = count_table(
        "training", "Restraints by the training of the staff who held", "Staff who held",
        cells["hold_training"], order, cat.HOLD_TRAINING_LABELS, rule, measure="incidents",
        measure_label="Restraints", keep_zero=order[:3],
    )
    if table.total is not None:
        table.total.label = "All restraints"
    table.notes.append(
        "Uses of force with a physical restraint, by whether everyone recorded as holding the "
        "patient or leading the hold was in date in physical skills training on the day "
        "(standard 1.5.V), as kept with each record when it was saved."
    )
    return table


def staff_table(cells: Cells, rule: Rule) -> Table:
    table = count_table(
        "staff", "Staff who used force in each incident", "Staff who used force",
        cells["staff_force"], list(cat.STAFF_FORCE_LABELS), cat.STAFF_FORCE_LABELS, rule,
        measure="incidents", measure_label="Incidents",
    )
    flags = cells["flags"]
    injured = flags.get("staff_injured", Cell())
    if rule is None:
        table.notes.append(
            f"{thousands(injured.count)} members of staff were recorded as injured, in "
            f"{thousands(injured.incidents)} incidents."
        )
    else:
        table.notes.append(
            f"{disclosure.suppress_count(injured.count, rule)} members of staff were recorded as "
            f"injured, in {disclosure.suppress_count(injured.incidents, rule)} incidents."
        )
    return table


def hour_weekday_table(cells: Cells, rule: Rule) -> Table:
    """Interventions by local hour of the day (rows) and day of the week (columns)."""
    source = cells["hour_weekday"]
    counts = {
        f"{day}:{hour:02d}": source.get(f"{day}:{hour:02d}", Cell()).interventions
        for day in range(7)
        for hour in range(24)
    }
    column, total = _count_column(counts, rule)
    rows = []
    for hour in range(24):
        values: dict[str, float | None] = {}
        shown: dict[str, str] = {}
        for day, name in enumerate(cat.WEEKDAYS):
            values[name], shown[name] = column[f"{day}:{hour:02d}"]
        rows.append(Row(f"{hour:02d}", f"{hour:02d}:00 to {hour:02d}:59", values, shown))
    return Table(
        "time_of_day", "When interventions started: time of day and day of the week",
        [(name, name) for name in cat.WEEKDAYS], rows, "Time started",
        notes=[f"{thousands(total[1])} interventions in total. Times are UK local time."],
    )


# -- post-incident duties -------------------------------------------------------------------

DUTY_STATUSES: Final = ("on_time", "late_with_reason", "late_no_reason", "overdue", "due",
                        "not_required")


def duty_status_counts(
    organisation: Any, ward_ids: WardIds, months: Sequence[dt.date], cells: Cells,
    now: dt.datetime, type_filter: str | None = None,
) -> dict[str, dict[str, int]]:
    """kind -> status -> duties. Open duties are split into overdue and not yet due now. With a
    type filter, the duties of incidents that included that type."""
    out: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(DUTY_STATUSES, 0))
    for key, cell in cells["duty"].items():
        kind, _, status = key.partition(":")
        if status != "open":
            out[kind][status] += cell.count
    open_duties = DutyFact.objects.filter(
        in_wards(ward_ids), organisation=organisation, status=DutyFact.OPEN,
        month__gte=min(months), month__lte=max(months),
    )
    if type_filter is not None:
        open_duties = incidents_with_type(open_duties, type_filter)
    for row in open_duties.values("kind").annotate(
        overdue=Count("id", filter=_overdue(now)), n=Count("id")
    ).order_by():
        out[row["kind"]]["overdue"] += row["overdue"]
        out[row["kind"]]["due"] += row["n"] - row["overdue"]
    return out


def _overdue(now: dt.datetime) -> Q:
    return Q(due_at__lt=now)


def duties_table(statuses: Mapping[str, Mapping[str, int]], rule: Rule) -> Table:
    """Per duty: how many were met on time, late with and without a reason, are overdue..."""
    kinds = [k for k in cat.DUTY_LABELS if k in statuses]
    rows = []
    for kind in kinds:
        counts = {s: statuses[kind].get(s, 0) for s in DUTY_STATUSES}
        column, _ = _count_column(counts, rule)
        values = {s: column[s][0] for s in DUTY_STATUSES}
        shown = {s: column[s][1] for s in DUTY_STATUSES}
        decided = sum(counts[s] for s in ("on_time", "late_with_reason", "late_no_reason",
                                          "overdue"))
        values["on_time_pct"], shown["on_time_pct"] = _published_percentage(
            counts["on_time"], decided, rule
        )
        rows.append(Row(kind, cat.DUTY_LABELS[kind], values, shown))
    return Table(
        "duties", "Post-incident duties: met on time?",
        [*((s, cat.DUTY_STATUS_LABELS[s]) for s in DUTY_STATUSES), ("on_time_pct", "On time (%)")],
        rows, "Duty",
        notes=["On time (%) counts duties that fell due: met on time out of met, late or overdue."],
    )


def _published_percentage(part: int, whole: int, rule: Rule) -> tuple[float | None, str]:
    if not whole:
        return None, ""
    if rule is None:
        return _percent(part, whole)
    shown = disclosure.suppress_percentage(part, whole, rule)
    return (None, str(shown)) if shown == rule.symbol else (float(shown), str(shown))


@dataclass(frozen=True)
class MedicalReviewHeadline:
    """standard 2.5.2.XI: a medical review within an hour of restraint, or the reason why not."""

    within_hour: str
    within_hour_or_reason: str
    restraint_incidents: str
    no_review_or_reason: str


def medical_review_headline(
    statuses: Mapping[str, Mapping[str, int]], rule: Rule
) -> MedicalReviewHeadline | None:
    counts = statuses.get("medical_review")
    if not counts:
        return None
    due = sum(counts[s] for s in ("on_time", "late_with_reason", "late_no_reason", "overdue"))
    within = _published_percentage(counts["on_time"], due, rule)[1]
    with_reason = _published_percentage(counts["on_time"] + counts["late_with_reason"], due,
                                        rule)[1]
    missing = counts["late_no_reason"] + counts["overdue"]
    if rule is None:
        return MedicalReviewHeadline(within, with_reason, str(due), str(missing))
    return MedicalReviewHeadline(
        within, with_reason, str(disclosure.suppress_count(due, rule)),
        str(disclosure.suppress_count(missing, rule)),
    )


# -- repeat individuals -----------------------------------------------------------------------


@dataclass(frozen=True)
class RepeatIndividuals:
    people: int
    interventions: int
    top_people: int  # the most-restrained 10% of people (rounded up)
    top_interventions: int
    bands: dict[str, int]  # people by how many interventions they had

    @property
    def top_share(self) -> float | None:
        return self.top_interventions * 100.0 / self.interventions if self.interventions else None


REPEAT_BANDS: Final = (("1", 1, 1), ("2-4", 2, 4), ("5-9", 5, 9), ("10-19", 10, 19),
                       ("20+", 20, 10**9))
REPEAT_LABELS: Final = {
    "1": "Once", "2-4": "2 to 4 times", "5-9": "5 to 9 times", "10-19": "10 to 19 times",
    "20+": "20 times or more",
}


def per_person(
    organisation: Any, ward_ids: WardIds, months: Sequence[dt.date]
) -> dict[int, int]:
    """patient id -> interventions started in the period (PatientMonth, so no fact is read)."""
    rows = (
        PatientMonth.objects.filter(
            in_wards(ward_ids), organisation=organisation, month__gte=min(months),
            month__lte=max(months),
        )
        .values("patient_id")
        .annotate(n=Sum("interventions"))
        .order_by()
    )
    return {row["patient_id"]: row["n"] for row in rows}


def repeat_individuals(counts: Mapping[int, int]) -> RepeatIndividuals:
    """The share of interventions on the most-restrained 10% of people (at least one person)."""
    ordered = sorted((n for n in counts.values() if n > 0), reverse=True)
    top = math.ceil(len(ordered) / 10) if ordered else 0
    bands = {key: sum(1 for n in ordered if low <= n <= high) for key, low, high in REPEAT_BANDS}
    return RepeatIndividuals(
        people=len(ordered), interventions=sum(ordered), top_people=top,
        top_interventions=sum(ordered[:top]), bands=bands,
    )


def repeat_table(repeat: RepeatIndividuals, rule: Rule) -> Table:
    column, _ = _count_column(repeat.bands, rule)
    rows = [
        Row(key, REPEAT_LABELS[key], {"people": column[key][0]}, {"people": column[key][1]})
        for key, _, _ in REPEAT_BANDS
    ]
    if repeat.interventions:
        share = _fmt(repeat.top_share, 0)
        hidden = rule is not None and (
            rule.is_small(repeat.top_people) or rule.is_small(repeat.top_interventions)
        )
        note = (
            "The share on the most-restrained 10% of people is hidden: too few people."
            if hidden
            else f"The most-restrained 10% of people ({_people(repeat.top_people, rule)}) had "
            f"{share}% of all interventions."
        )
    else:
        note = "No one was restrained in this period."
    return Table(
        "repeat", "How often each person was restrained", [("people", "People")], rows,
        "Restrained", notes=[note],
    )


def _people(n: int, rule: Rule) -> str:
    shown = n if rule is None else disclosure.suppress_count(n, rule)
    return f"{shown} {'person' if shown == 1 else 'people'}"


# -- equality ---------------------------------------------------------------------------------


# Groups that say the characteristic was not recorded: a data quality finding, never an
# equality one, so they are not marked as different.
UNRECORDED_GROUPS: Final = frozenset(
    {"not_known", "prefers_not_to_say", "not_applicable", "Not known", "Not stated"}
)
# A group's rate is marked as different only with at least this many people behind it: with
# fewer, one person restrained many times can make the whole difference (see repeat
# individuals), and the rate would be hidden outside the treating team anyway.
FLAG_MIN_PEOPLE: Final = 5


@dataclass
class EqualityGroup:
    key: str
    label: str
    interventions: str
    people: str
    bed_days: str
    rate: str
    ratio: str
    ci: str
    ratio_value: float | None
    lower: float | None
    upper: float | None
    flag: str  # "higher", "lower" or ""


@dataclass
class EqualityTable:
    characteristic: cat.Characteristic
    groups: list[EqualityGroup]
    population_rate: str
    table: Table

    @property
    def flagged(self) -> list[EqualityGroup]:
        return [g for g in self.groups if g.flag]


def people_by_group(
    organisation: Any, ward_ids: WardIds, months: Sequence[dt.date]
) -> dict[str, dict[str, int]]:
    """characteristic field -> group key -> people restrained in the period (for the rule
    that a rate needs 5 people behind it, and before a difference is marked). Age is taken at
    the end of the period."""
    ids = PatientMonth.objects.filter(
        in_wards(ward_ids), organisation=organisation, month__gte=min(months),
        month__lte=max(months),
    ).values("patient_id")
    day = cat.next_month(max(months)) - dt.timedelta(days=1)
    query = Patient.objects.filter(pk__in=Subquery(ids)).values_list(
        "date_of_birth", "ethnic_category", *cat.PATIENT_FIELDS
    )
    # Counted from raw rows: a few thousand people, and the ORM's per-value conversion would
    # cost more than the query.
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    out: dict[str, dict[str, int]] = {}
    for index, field_name in enumerate(cat.PATIENT_FIELDS, start=2):
        out[field_name] = dict(Counter(row[index] for row in rows))
    groups: dict[str, int] = defaultdict(int)
    for category, n in Counter(row[1] for row in rows).items():
        groups[cat.ethnic_group(category)] += n
    out["eth_group"] = dict(groups)
    # Age bands by comparing birth dates with each band's limits on `day` (ISO text compares
    # like the dates).
    out["age_band"] = dict(Counter(_age_band_of(row[0], day) for row in rows))
    return out


def _age_band_of(born: Any, day: dt.date) -> str:
    if born is None:
        return cat.age_band(None, day)
    if not isinstance(born, dt.date):
        born = dt.date.fromisoformat(str(born)[:10])
    return cat.age_band(born, day)


def equality_table(
    characteristic: cat.Characteristic,
    cells: Mapping[str, Cell],
    people: Mapping[str, int],
    rule: Rule,
) -> EqualityTable:
    """Interventions per 1,000 of each group's own occupied bed days, and the ratio of each
    group's rate to the whole population's with its 95% interval
    (equality.ratio_to_population: the group's share of the interventions over its share of
    the bed days, Wilson interval). The rates' own exact intervals are not shown, so they are
    not computed: for large counts they are the slowest part of the page."""
    keys = [k for k in characteristic.order if k in cells] + sorted(
        k for k in cells if k not in characteristic.order
    )
    keys = [k for k in keys if cells[k].bed_days > 0 or cells[k].interventions > 0]
    total_count = sum(cells[k].interventions for k in keys)
    total_days = float(sum(cells[k].bed_days for k in keys))
    counts_column, _ = _count_column({k: cells[k].interventions for k in keys}, rule)
    groups: list[EqualityGroup] = []
    rows: list[Row] = []
    for key in keys:
        cell = cells[key]
        shown_count = counts_column[key][1]
        hidden = rule is not None and counts_column[key][0] is None
        rate_shown = ""
        ratio: equality.RateRatio | None = None
        if cell.bed_days > 0:
            ratio = equality.ratio_to_population(
                cell.interventions, float(cell.bed_days), total_count, total_days
            )
            rate = cell.interventions * 1000.0 / cell.bed_days
            if rule is None:
                rate_shown = f"{rate:.1f}"
            else:
                people_n = people.get(key, 0)
                published = disclosure.suppress_rate(
                    cell.interventions, people_n, cell.bed_days, rule=rule
                )
                rate_shown = str(published)
                hidden = hidden or published == rule.symbol
        ratio_value = lower = upper = None
        ratio_shown = ci_shown = flag = ""
        if ratio is not None and not hidden and ratio.method != "not-calculable":
            ratio_value, lower, upper = ratio.ratio, ratio.lower, ratio.upper
            ratio_shown = f"{ratio.ratio:.2f}" if ratio.ratio is not None else "Not calculable"
            if ratio.lower is not None or ratio.upper is not None:
                low = f"{ratio.lower:.2f}" if ratio.lower is not None else "0"
                high = f"{ratio.upper:.2f}" if ratio.upper is not None else "no upper limit"
                ci_shown = f"{low} to {high}"
            if key not in UNRECORDED_GROUPS and people.get(key, 0) >= FLAG_MIN_PEOPLE:
                flag = "higher" if ratio.significantly_higher else (
                    "lower" if ratio.significantly_lower else "")
        elif hidden:
            ratio_shown = ci_shown = rule.symbol if rule else ""
        bed_days_shown = _bed_days(cell.bed_days, rule)
        n = people.get(key, 0)
        people_shown = str(n) if rule is None else str(disclosure.suppress_count(n, rule))
        group = EqualityGroup(
            key, characteristic.label_of(key), shown_count, people_shown, bed_days_shown,
            rate_shown, ratio_shown, ci_shown, ratio_value, lower, upper, flag,
        )
        groups.append(group)
        rows.append(
            Row(
                key, group.label,
                {"interventions": counts_column[key][0], "bed_days": float(cell.bed_days)
                 if rule is None else None, "ratio": ratio_value, "lower": lower,
                 "upper": upper},
                {"interventions": shown_count, "people": people_shown,
                 "bed_days": bed_days_shown, "rate": rate_shown,
                 "ratio": ratio_shown, "ci": ci_shown,
                 "flag": {"higher": "Higher than everyone", "lower": "Lower than everyone"}.get(
                     flag, "")},
            )
        )
    population_rate = ""
    if total_days > 0:
        population_rate = f"{total_count * 1000.0 / total_days:.1f}"
        if rule is not None:
            population_rate = str(
                disclosure.suppress_rate(
                    total_count, sum(people.values()), total_days, rule=rule,
                )
            )
    table = Table(
        f"equality_{characteristic.field}",
        f"Restrictive interventions by {characteristic.label.lower()}: rate ratios",
        [("interventions", "Interventions"), ("people", "People restrained"),
         ("bed_days", "Occupied bed days"),
         ("rate", "Rate per 1,000 bed days"), ("ratio", "Rate ratio"),
         ("ci", "95% confidence interval"), ("flag", "Difference")],
        rows, characteristic.label,
        notes=[
            "Each group's rate uses that group's own occupied bed days (from ward stays). The "
            "rate ratio compares it with everyone's rate: above 1 means more use of force than "
            "expected. A difference is marked only when the whole 95% interval is above or "
            f"below 1 and at least {FLAG_MIN_PEOPLE} people in the group were restrained; groups "
            "whose characteristic was not recorded are never marked."
        ],
    )
    return EqualityTable(characteristic, groups, population_rate, table)


def _bed_days(days: int, rule: Rule) -> str:
    if rule is None:
        return str(days)
    if days < rule.rate_min_bed_days:
        return rule.symbol
    return str(disclosure.half_up(days, 10))


# -- under-reporting --------------------------------------------------------------------------


@dataclass(frozen=True)
class UnderReporting:
    ward_id: int
    ward: str
    month: dt.date
    bed_days: int
    recorded: int
    expected: float
    basis: str
    probability: float


def poisson_at_most(k: int, mean: float) -> float:
    """P(X <= k) for X ~ Poisson(mean): the regularised upper incomplete gamma Q(k + 1, mean)."""
    if mean <= 0:
        return 1.0
    return equality.regularised_gamma_q(k + 1, mean)


SIGNAL_PROBABILITY: Final = 0.01
SIGNAL_MIN_EXPECTED: Final = 5.0


def under_reporting(
    wards: Sequence[tuple[int, str, str]],
    ward_months: Mapping[tuple[int, dt.date], tuple[int, int]],
    months: Sequence[dt.date],
    history: Mapping[int, tuple[int, int]],
    only: Iterable[int] | None = None,
) -> list[UnderReporting]:
    """Ward-months with bed days but far fewer records than expected.

    `wards`: (id, name, service type). `ward_months`: (ward, month) -> (interventions,
    bed days). Expected is the pooled rate of the other wards of the same service type in the
    same month times the ward's bed days; with no such peers reporting, the ward's own rate
    over `history` ((interventions, bed days) in the months before). A month is flagged when
    at least 5 were expected and recording so few or fewer had a chance under 1 in 100.
    """
    found: list[UnderReporting] = []
    checked = None if only is None else set(only)
    for ward_id, name, service in wards:
        if checked is not None and ward_id not in checked:
            continue
        peers = [w for w, _, s in wards if s == service and w != ward_id]
        for month in months:
            recorded, bed_days = ward_months.get((ward_id, month), (0, 0))
            if bed_days <= 0:
                continue
            peer_events = sum(ward_months.get((w, month), (0, 0))[0] for w in peers)
            peer_days = sum(ward_months.get((w, month), (0, 0))[1] for w in peers)
            if peer_days > 0 and peer_events > 0:
                rate = peer_events / peer_days
                basis = (
                    f"the other {len(peers)} "
                    f"{'ward' if len(peers) == 1 else 'wards'} of the same service type"
                )
            else:
                own_events, own_days = history.get(ward_id, (0, 0))
                if own_days <= 0 or own_events <= 0:
                    continue
                rate = own_events / own_days
                basis = "the ward's own previous 12 months"
            expected = rate * bed_days
            # No exact test is needed where the count is near or above what was expected: a
            # chance under 1 in 100 needs a count well below it (more than 1.5 standard
            # deviations of a Poisson count, whose lower tail is lighter than the normal's).
            if expected < SIGNAL_MIN_EXPECTED or recorded > expected - 1.5 * math.sqrt(expected):
                continue
            probability = poisson_at_most(recorded, expected)
            if expected >= SIGNAL_MIN_EXPECTED and probability < SIGNAL_PROBABILITY:
                found.append(
                    UnderReporting(ward_id, name, month, bed_days, recorded, expected, basis,
                                   probability)
                )
    return found
