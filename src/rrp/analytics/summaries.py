"""Keeping the analytics facts and monthly summaries in step with the records.

* `on_audit_event` (connected in apps.py) turns every audited change to a use of force record,
  its follow-up records, a patient, a ward stay or a ward into a `SummaryDirty` row, in the
  same transaction as the change. It does nothing else, so recording a use of force never
  waits for, or fails because of, the analytics.
* `bring_up_to_date(organisation)` is called at the start of every dashboard and API read: it
  rebuilds the facts of dirty incidents, then the monthly summaries of the months they touch.
  When nothing changed it costs two small queries.
* `rebuild(organisation)` recomputes everything in one transaction (first use, the demo);
  `rrp analytics rebuild` does it in committed steps that can be resumed
  (rrp.analytics.bulk_rebuild).

The monthly summaries are computed with GROUP BY queries over the facts of the months being
refreshed, so the work of one new incident is bounded by one month of one organisation.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from operator import itemgetter
from typing import Any
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F, Max, Min, Model, Q, Sum
from django.utils import timezone

from rrp.analytics import breakdown_cells
from rrp.analytics import categories as cat
from rrp.analytics.breakdown_cells import (  # noqa: F401 - the breakdowns read them from here
    BREAKDOWN_DIMENSIONS,
    PRONE_DIMENSION,
    UNTYPED_DIMENSIONS,
)
from rrp.analytics.facts import DutyIn, IncidentIn, InterventionIn, incident_facts, local_month
from rrp.analytics.models import (
    SCOPE_ORG,
    DutyFact,
    GroupBedDays,
    InterventionFact,
    MonthlyBreakdown,
    MonthlyMeasure,
    MonthlyPopulation,
    PatientMonth,
    SummaryDirty,
    SummaryRebuild,
    SummaryState,
    scope_service,
    scope_site,
    scope_ward,
)
from rrp.analytics.signals import new_month_reached, summaries_marked_dirty
from rrp.incidents import codes as incident_codes
from rrp.incidents.training_notes import in_date_for_holds

logger = logging.getLogger(__name__)

BATCH = 2000  # incidents per query when building facts
MONTHS_PER_REFRESH = 6  # months per summary pass, so memory stays bounded on a full rebuild
MUTATING_ACTIONS = frozenset({"create", "change", "entered_in_error", "import"})


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


# ---------------------------------------------------------------------------------------------
# Marking what changed (in the writer's transaction)
# ---------------------------------------------------------------------------------------------


def _incident_of(object_type: str, object_id: str) -> int | None:
    if object_type == "incidents.incident":
        return int(object_id)
    model: type[Model] = apps.get_model(object_type)
    if not any(f.name == "incident" for f in model._meta.get_fields()):
        return None
    found = model._default_manager.filter(pk=object_id).values_list("incident_id", flat=True)
    value = found.first()
    return int(value) if value is not None else None


def _admission_months(event: Any) -> tuple[dt.date, dt.date] | None:
    dates: list[dt.date] = []
    for record in (event.before or {}, event.after or {}):
        for key in ("admitted_on", "discharged_on"):
            value = record.get(key)
            if value:
                dates.append(dt.date.fromisoformat(str(value)[:10]))
    if not dates:
        Admission = apps.get_model("patients.Admission")
        stay = Admission.objects.filter(pk=event.object_id).values(
            "admitted_on", "discharged_on"
        ).first()
        if stay is None:
            return None
        dates = [d for d in (stay["admitted_on"], stay["discharged_on"]) if d]
    today = timezone.localdate()
    return cat.month_start(min(dates)), cat.month_start(max([*dates, today]))


def dirty_for_event(event: Any) -> SummaryDirty | None:
    """The dirty marker an audit event calls for, or None when it changes nothing counted."""
    if event.organisation_id is None or event.action not in MUTATING_ACTIONS:
        return None
    object_type, object_id = event.object_type, event.object_id
    org = event.organisation_id
    if object_type.startswith("incidents.") and object_id:
        incident_id = _incident_of(object_type, object_id)
        if incident_id is None:
            return None
        return SummaryDirty(
            organisation_id=org, kind=SummaryDirty.INCIDENT, object_id=incident_id
        )
    if object_type == "patients.patient" and object_id:
        return SummaryDirty(
            organisation_id=org, kind=SummaryDirty.PATIENT, object_id=int(object_id)
        )
    if object_type == "patients.admission" and object_id:
        months = _admission_months(event)
        if months is None:
            return None
        return SummaryDirty(
            organisation_id=org, kind=SummaryDirty.MONTHS, first_month=months[0],
            last_month=months[1],
        )
    if object_type in {"organisations.ward", "organisations.site"}:
        # A ward moved to another site or service type changes every summary above it.
        return SummaryDirty(organisation_id=org, kind=SummaryDirty.EVERYTHING)
    return None


def on_audit_event(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """post_save of audit.AuditEvent: note what the summaries must catch up with."""
    if not created:
        return
    try:
        with transaction.atomic():
            marker = dirty_for_event(instance)
            if marker is not None:
                marker.save()
                summaries_marked_dirty.send(sender=SummaryDirty, marker=marker)
    except Exception:  # noqa: BLE001 - the clinical write must go ahead whatever happens here
        logger.exception("could not mark analytics summaries dirty for %s", instance.object_type)
        if instance.organisation_id is not None:
            SummaryDirty.objects.create(
                organisation_id=instance.organisation_id, kind=SummaryDirty.EVERYTHING
            )


# ---------------------------------------------------------------------------------------------
# Facts
# ---------------------------------------------------------------------------------------------


def _counted(queryset: Any) -> Any:
    """Drafts, records entered in error and negligible force are never counted."""
    return queryset.exclude(status="draft").filter(
        entered_in_error_at__isnull=True, negligible=False
    )


def _chunks(ids: Sequence[int], size: int = BATCH) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _as_datetime(value: Any) -> dt.datetime | None:
    """A timestamp from a raw row: aware on PostgreSQL; on SQLite the UTC time Django stores,
    without its zone (naive, or text)."""
    if value is None:
        return None
    if not isinstance(value, dt.datetime):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def _rows(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Raw rows: the bulk paths skip the ORM's per-value converters, which cost more than the
    query on a full rebuild."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


class PatientCache:
    """Each patient's characteristics, read once per refresh (ward stays and incidents of the
    same person share them)."""

    def __init__(self, organisation_id: int) -> None:
        self.organisation_id = organisation_id
        self.known: dict[int, tuple[dt.date | None, dict[str, str]]] = {}

    def load(self, patient_ids: Iterable[int]) -> None:
        Patient = apps.get_model("patients.Patient")
        missing = sorted({p for p in patient_ids if p not in self.known})
        for chunk in _chunks(missing):
            for row in Patient.objects.filter(pk__in=chunk).values(
                "id", "date_of_birth", "ethnic_category", *cat.PATIENT_FIELDS
            ):
                static = cat.characteristics_of(row, dt.date(2000, 1, 1))
                del static["age_band"]
                self.known[row["id"]] = (row["date_of_birth"], static)

    def load_all(self) -> None:
        Patient = apps.get_model("patients.Patient")
        for row in Patient.objects.filter(organisation_id=self.organisation_id).values(
            "id", "date_of_birth", "ethnic_category", *cat.PATIENT_FIELDS
        ).iterator(chunk_size=5000):
            static = cat.characteristics_of(row, dt.date(2000, 1, 1))
            del static["age_band"]
            self.known[row["id"]] = (row["date_of_birth"], static)

    def on(self, patient_id: int, day: dt.date) -> dict[str, str]:
        born, static = self.known.get(patient_id, (None, {}))
        return {**static, "age_band": cat.age_band(born, day)} if static else (
            cat.characteristics_of({}, day))


def _incident_inputs(
    organisation_id: int, ids: Sequence[int], patients: PatientCache
) -> list[IncidentIn]:
    table = {name: apps.get_model(label)._meta.db_table for name, label in (
        ("incident", "incidents.Incident"), ("intervention", "incidents.Intervention"),
        ("injury", "incidents.Injury"), ("staff", "incidents.StaffInvolvement"),
        ("other", "incidents.OtherPersonInvolved"), ("duty", "incidents.Duty"),
    )}
    marks = ", ".join(["%s"] * len(ids))
    where = f"incident_id IN ({marks})"

    def ts(column: str) -> str:
        # SQLite's registered converter parses each timestamp slowly; as text, fromisoformat
        # does it in C. PostgreSQL's driver already returns datetimes quickly.
        return f"CAST({column} AS TEXT)" if connection.vendor == "sqlite" else column

    incidents = _rows(
        f"SELECT id, ward_id, patient_id, {ts('started_at')}, {ts('ended_at')}, reason, harm, "  # noqa: S608
        f"death_or_serious_injury FROM {table['incident']} WHERE organisation_id = %s "
        f"AND id IN ({marks}) AND status <> 'draft' AND entered_in_error_at IS NULL "
        f"AND negligible = %s",
        [organisation_id, *ids, False],
    )
    if not incidents:
        return []
    interventions: dict[int, list[InterventionIn]] = defaultdict(list)
    # Whether a prone restraint's reason was recorded, worked out in the database: the facts
    # need only yes or no, and reading every reason's text would slow a full rebuild.
    for incident_id, pk, type_code, started, ended, reason_recorded in _rows(
        f"SELECT incident_id, id, type_code, {ts('started_at')}, {ts('ended_at')}, "  # noqa: S608
        "CASE WHEN TRIM(prone_reason) <> '' THEN 1 ELSE 0 END "
        f"FROM {table['intervention']} "
        f"WHERE {where}", ids,
    ):
        interventions[incident_id].append(
            InterventionIn(pk, type_code, _as_datetime(started), _as_datetime(ended),  # type: ignore[arg-type]
                           bool(reason_recorded))
        )
    injuries: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for incident_id, person, severity in _rows(
        f"SELECT incident_id, person, severity FROM {table['injury']} WHERE {where}", ids  # noqa: S608
    ):
        injuries[incident_id].append((person, severity))
    staff: dict[int, list[tuple[str, bool]]] = defaultdict(list)
    holders: dict[int, list[bool | None]] = defaultdict(list)
    for incident_id, role, injured, training in _rows(
        f"SELECT incident_id, role, injured, training_on_the_day FROM {table['staff']} "  # noqa: S608
        f"WHERE {where}", ids
    ):
        staff[incident_id].append((role, bool(injured)))
        if role in incident_codes.PHYSICAL_HOLD_ROLES:
            # JSON text on SQLite; PostgreSQL's driver has already decoded it.
            decoded = json.loads(training) if isinstance(training, str) else training
            holders[incident_id].append(in_date_for_holds(decoded))
    others: dict[int, list[str]] = defaultdict(list)
    for incident_id, kind in _rows(
        f"SELECT incident_id, kind FROM {table['other']} WHERE {where}", ids  # noqa: S608
    ):
        others[incident_id].append(kind)
    duties: dict[int, list[DutyIn]] = defaultdict(list)
    for incident_id, kind, due, completed, late, not_required in _rows(
        f"SELECT incident_id, kind, {ts('due_at')}, {ts('completed_at')}, late_reason, "  # noqa: S608
        "not_required_reason "
        f"FROM {table['duty']} WHERE {where}", ids,
    ):
        duties[incident_id].append(
            DutyIn(kind, _as_datetime(due), _as_datetime(completed), late, not_required)  # type: ignore[arg-type]
        )
    patients.load(row[2] for row in incidents)
    tz = local_zone()
    out = []
    for pk, ward_id, patient_id, started, ended, reason, harm, dsi in incidents:
        started_at = _as_datetime(started)
        assert started_at is not None
        out.append(
            IncidentIn(
                id=pk, organisation_id=organisation_id, ward_id=ward_id, patient_id=patient_id,
                started_at=started_at, ended_at=_as_datetime(ended), reason=reason, harm=harm,
                death_or_serious_injury=bool(dsi), interventions=interventions.get(pk, []),
                patient={}, injuries=injuries.get(pk, []), staff=staff.get(pk, []),
                holders_in_date=holders.get(pk, []),
                other_kinds=others.get(pk, []), duties=duties.get(pk, []),
                characteristics=patients.on(patient_id, started_at.astimezone(tz).date()),
            )
        )
    return out


def _insert(model: type[Model], rows: list[dict[str, Any]]) -> None:
    """Insert many rows fast: COPY on PostgreSQL, one prepared INSERT run many times on SQLite
    (Django's bulk_create is held to 999 parameters per statement on SQLite)."""
    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = [f.column for f in fields]
    names = [f.attname for f in fields]
    datetime_names = {f.attname for f in fields if f.get_internal_type() == "DateTimeField"}
    table = model._meta.db_table
    defaults = {name: _default(model, name) for name in names}
    wanted = set(names)
    if all(wanted.issubset(row) for row in rows):
        getter = itemgetter(*names)
        values: Iterable[Sequence[Any]] = (getter(row) for row in rows)
    else:
        values = ([row.get(name, defaults[name]) for name in names] for row in rows)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
            with cursor.cursor.copy(statement) as copy:
                for row in values:
                    copy.write_row(row)
        return
    if datetime_names:
        adapt = connection.ops.adapt_datetimefield_value
        positions = [i for i, name in enumerate(names) if name in datetime_names]
        converted = []
        for row in values:
            row = list(row)
            for i in positions:
                row[i] = adapt(row[i])
            converted.append(row)
        values = converted
    import sqlite3

    with connection.cursor() as cursor:
        sqlite3.Cursor.executemany(
            cursor.cursor,
            f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608
            f"VALUES ({', '.join(['?'] * len(columns))})",
            values,
        )


def _default(model: type[Model], attname: str) -> Any:
    for field in model._meta.concrete_fields:
        if field.attname == attname:
            return field.get_default() if field.has_default() else None
    raise KeyError(attname)


def rebuild_incident_facts(
    organisation_id: int,
    incident_ids: Iterable[int],
    now: dt.datetime,
    patients: PatientCache | None = None,
) -> set[tuple[dt.date, int]]:
    """Replace the facts of these incidents; returns the (month, ward) pairs whose summaries
    they touched before or after."""
    ids = sorted(set(incident_ids))
    touched: set[tuple[dt.date, int]] = set()
    tz = local_zone()
    patients = patients or PatientCache(organisation_id)
    for chunk in _chunks(ids):
        # Incident ids are unique across organisations, and their own index is the one to use.
        old = InterventionFact.objects.filter(incident_id__in=chunk)
        old_duties = DutyFact.objects.filter(incident_id__in=chunk)
        touched.update(old.values_list("month", "ward_id").distinct())
        touched.update(old_duties.values_list("month", "ward_id").distinct())
        old.delete()
        old_duties.delete()
        fact_rows: list[dict[str, Any]] = []
        duty_rows: list[dict[str, Any]] = []
        for incident in _incident_inputs(organisation_id, chunk, patients):
            rows, duty_facts = incident_facts(incident, tz=tz, now=now)
            fact_rows.extend(rows)
            duty_rows.extend(duty_facts)
        touched.update((r["month"], r["ward_id"]) for r in fact_rows)
        touched.update((r["month"], r["ward_id"]) for r in duty_rows)
        _insert(InterventionFact, fact_rows)
        _insert(DutyFact, duty_rows)
    return touched


# ---------------------------------------------------------------------------------------------
# Monthly summaries
# ---------------------------------------------------------------------------------------------


def _wards(organisation_id: int) -> dict[int, tuple[int | None, str]]:
    Ward = apps.get_model("organisations.Ward")
    return {
        pk: (site_id, service)
        for pk, site_id, service in Ward.objects.filter(organisation_id=organisation_id)
        .values_list("id", "site_id", "service_type")
    }


def scopes_of_ward(ward_id: int, wards: dict[int, tuple[int | None, str]]) -> list[str]:
    """The scopes a ward's figures count in: itself, its site, its service type, the
    organisation."""
    site_id, service = wards.get(ward_id, (None, ""))
    scopes = [scope_ward(ward_id), SCOPE_ORG]
    if site_id is not None:
        scopes.append(scope_site(site_id))
    if service:
        scopes.append(scope_service(service))
    return scopes


_MEASURE_AGGREGATES: dict[str, Any] = {
    "interventions": Count("id"),
    "incidents": Count("id", filter=Q(incident_row=True)),
    "people": Count("patient_id", distinct=True),
    "minutes_sum": Sum("minutes"),
    "minutes_n": Count("minutes"),
    "minutes_max": Max("minutes"),
    "incident_minutes_sum": Sum("incident_minutes"),
    "incident_minutes_n": Count("incident_minutes"),
    "incident_minutes_max": Max("incident_minutes"),
    "seclusion_days_sum": Sum("active_days", filter=Q(type_code="05")),
    "seclusion_days_n": Count("active_days", filter=Q(type_code="05")),
    "segregation_days_sum": Sum("active_days", filter=Q(type_code="06")),
    "segregation_days_n": Count("active_days", filter=Q(type_code="06")),
    "prone": Count("id", filter=Q(type_code=cat.PRONE)),
    "prone_minutes_max": Max("minutes", filter=Q(type_code=cat.PRONE)),
    "physical": Count("id", filter=Q(category="physical")),
    "mechanical": Count("id", filter=Q(category="mechanical")),
    "chemical": Count("id", filter=Q(category="chemical")),
    "rapid_tranquillisation": Count("id", filter=Q(type_code=cat.RAPID_TRANQUILLISATION)),
    "seclusion": Count("id", filter=Q(category="seclusion")),
    "segregation": Count("id", filter=Q(category="segregation")),
    "people_prone": Count("patient_id", distinct=True, filter=Q(type_code=cat.PRONE)),
    "people_rapid_tranquillisation": Count(
        "patient_id", distinct=True, filter=Q(type_code=cat.RAPID_TRANQUILLISATION)
    ),
    **{
        f"people_{category}": Count("patient_id", distinct=True, filter=Q(category=category))
        for category in cat.CATEGORY_LABELS
    },
}

# Scope kinds: how to group the facts, and the scope name of a group.
_SCOPE_GROUPS: tuple[tuple[str | None, Any], ...] = (
    ("ward_id", lambda v: scope_ward(v)),
    ("ward__site_id", lambda v: scope_site(v) if v is not None else None),
    ("ward__service_type", lambda v: scope_service(v)),
    (None, lambda v: SCOPE_ORG),
)


def _month_filter(months: Sequence[dt.date]) -> Q:
    ordered = sorted(months)
    if cat.months_between(ordered[0], ordered[-1]) == ordered:
        return Q(month__gte=ordered[0], month__lte=ordered[-1])
    return Q(month__in=ordered)


def _measure_rows(
    organisation_id: int, months: Sequence[dt.date], scopes: set[str] | None
) -> dict[tuple[str, dt.date], dict[str, Any]]:
    facts = InterventionFact.objects.filter(_month_filter(months), organisation_id=organisation_id)
    out: dict[tuple[str, dt.date], dict[str, Any]] = {}
    for group, name in _SCOPE_GROUPS:
        fields = ["month", group] if group else ["month"]
        query = facts
        if scopes is not None and group == "ward_id":
            ward_ids = [int(s.split(":")[1]) for s in scopes if s.startswith("ward:")]
            query = facts.filter(ward_id__in=ward_ids)
        elif scopes is not None and group == "ward__site_id":
            sites = [int(s.split(":")[1]) for s in scopes if s.startswith("site:")]
            if not sites:
                continue
            query = facts.filter(ward__site_id__in=sites)
        elif scopes is not None and group == "ward__service_type":
            services = [s.split(":")[1] for s in scopes if s.startswith("service:")]
            if not services:
                continue
            query = facts.filter(ward__service_type__in=services)
        for row in query.values(*fields).annotate(**_MEASURE_AGGREGATES).order_by():
            scope = name(row[group]) if group else SCOPE_ORG
            if scope is None or (scopes is not None and scope not in scopes):
                continue
            values = {k: row[k] for k in _MEASURE_AGGREGATES}
            for key in ("minutes_sum", "incident_minutes_sum", "seclusion_days_sum",
                        "segregation_days_sum"):
                values[key] = values[key] or 0.0
            out[(scope, row["month"])] = values
    return out


_FIRST = Q(first_month=True)
_INCIDENT_FIRST = Q(incident_first=True)


def incidents_with_type(rows: Any, type_filter: str) -> Any:
    """Fact rows (interventions or duties) of incidents that included an intervention the
    dashboards' type filter selects: a bit on the row, no subquery."""
    bit = cat.TYPE_FILTER_BIT[type_filter]
    return rows.alias(type_bit=F("incident_types").bitand(bit)).filter(type_bit__gt=0)


def _breakdown_rows(
    organisation_id: int, months: Sequence[dt.date], ward_ids: set[int] | None
) -> dict[tuple[Any, ...], list[int]]:
    """Ward-level breakdown cells: (ward, month, dimension, key) -> [interventions, incidents,
    count, unused]."""
    facts = InterventionFact.objects.filter(_month_filter(months), organisation_id=organisation_id)
    duties = DutyFact.objects.filter(_month_filter(months), organisation_id=organisation_id)
    if ward_ids is not None:
        facts = facts.filter(ward_id__in=ward_ids)
        duties = duties.filter(ward_id__in=ward_ids)
    # Only the rows that count: an intervention's first month, an incident's first row.
    rows = facts.filter(_FIRST | _INCIDENT_FIRST).values(*breakdown_cells.FACT_FIELDS)
    return breakdown_cells.count_cells(
        rows.order_by().iterator(chunk_size=5000),
        duties.values(*breakdown_cells.DUTY_FIELDS).order_by().iterator(chunk_size=5000),
    )


def _stays(
    organisation_id: int, first: dt.date, last_exclusive: dt.date
) -> list[tuple[int, int, dt.date, dt.date | None]]:
    """(ward, patient, admitted on, discharged on) of every stay overlapping the months."""
    Admission = apps.get_model("patients.Admission")
    stays = Admission.objects.filter(
        organisation_id=organisation_id, entered_in_error_reason="", admitted_on__lt=last_exclusive
    ).filter(Q(discharged_on__isnull=True) | Q(discharged_on__gte=first))
    return list(stays.values_list("ward_id", "patient_id", "admitted_on", "discharged_on"))


def _hospital_rows(
    organisation_id: int,
    months: Sequence[dt.date],
    today: dt.date,
    patients: PatientCache,
) -> tuple[dict[tuple[int, dt.date], set[int]], dict[tuple[int, dt.date, str, str], int]]:
    """From ward stays: who was in hospital in each (ward, month), and each characteristic
    group's occupied bed days (nights, midnight census) per (ward, month, dimension, key)."""
    month_set = set(months)
    first = min(months)
    last_exclusive = cat.next_month(max(months))
    people: dict[tuple[int, dt.date], set[int]] = defaultdict(set)
    nights: dict[tuple[int, dt.date, str, str], int] = defaultdict(int)
    stays = _stays(organisation_id, first, last_exclusive)
    patients.load(patient for _, patient, _, _ in stays)
    for ward_id, patient_id, admitted, discharged in stays:
        # A stay still open counts the nights that have passed; its last day in hospital, for
        # counting people, is today.
        night_end = discharged if discharged is not None else today
        last_day = night_end
        if last_day < first:
            continue
        born, static = patients.known.get(patient_id, (None, {}))
        for month in cat.months_between(max(admitted, first), min(last_day, last_exclusive)):
            if month not in month_set:
                continue
            month_end = cat.next_month(month)
            if admitted >= month_end or last_day < month:
                continue
            people[(ward_id, month)].add(patient_id)
            count = (min(night_end, month_end) - max(admitted, month)).days
            if count <= 0:
                continue
            for field, key in static.items():
                nights[(ward_id, month, f"eq:{field}", key)] += count
            nights[(ward_id, month, "eq:age_band", cat.age_band(born, month))] += count
    return people, nights


def _present(
    organisation_id: int, months: Sequence[dt.date], today: dt.date
) -> dict[tuple[int, dt.date], set[int]]:
    """Who had a stay on each ward in each month (any day of it)."""
    month_set = set(months)
    first = min(months)
    last_exclusive = cat.next_month(max(months))
    present: dict[tuple[int, dt.date], set[int]] = defaultdict(set)
    for ward_id, patient_id, admitted, discharged in _stays(organisation_id, first,
                                                            last_exclusive):
        last_day = discharged if discharged is not None else today
        if last_day < first:
            continue
        for month in cat.months_between(max(admitted, first), min(last_day, last_exclusive)):
            if month in month_set and admitted < cat.next_month(month) and last_day >= month:
                present[(ward_id, month)].add(patient_id)
    return present


def _sum_into_parents(
    model: type[Model],
    organisation_id: int,
    months: Sequence[dt.date],
    parents: dict[str, list[str]],
    columns: Sequence[str],
) -> None:
    """Each parent scope's rows as the sum of its wards' rows, in the database."""
    table = model._meta.db_table
    month_marks = ", ".join(["%s"] * len(months))
    sums = ", ".join(f"SUM({c})" for c in columns)
    with connection.cursor() as cursor:
        for parent, ward_scopes in parents.items():
            if not ward_scopes:
                continue
            scope_marks = ", ".join(["%s"] * len(ward_scopes))
            cursor.execute(
                f"INSERT INTO {table} (organisation_id, scope, month, dimension, key, "  # noqa: S608
                f"{', '.join(columns)}) SELECT organisation_id, %s, month, dimension, key, {sums} "
                f"FROM {table} WHERE organisation_id = %s AND month IN ({month_marks}) "
                f"AND scope IN ({scope_marks}) GROUP BY organisation_id, month, dimension, key",
                [parent, organisation_id, *months, *ward_scopes],
            )


def _parents(
    wards: dict[int, tuple[int | None, str]], changed: set[int] | None
) -> dict[str, list[str]]:
    """Parent scope -> its wards' scopes, for the parents of the changed wards (all parents
    when `changed` is None)."""
    out: dict[str, list[str]] = defaultdict(list)
    for ward_id in wards:
        for scope in scopes_of_ward(ward_id, wards)[1:]:
            out[scope].append(scope_ward(ward_id))
    if changed is None:
        return dict(out)
    wanted: set[str] = set()
    for ward_id in changed:
        wanted.update(scopes_of_ward(ward_id, wards)[1:])
    return {scope: members for scope, members in out.items() if scope in wanted}


def refresh_facts_months(
    organisation_id: int,
    months: Iterable[dt.date],
    *,
    now: dt.datetime,
    ward_ids: set[int] | None = None,
) -> None:
    """Recompute the summaries made from the facts (measures, breakdowns, people per month) for
    these months: for every ward, or for `ward_ids` and the site, service type and organisation
    above them."""
    wanted = sorted(set(months))
    wards = _wards(organisation_id)
    today = timezone.localtime(now, local_zone()).date()
    for start in range(0, len(wanted), MONTHS_PER_REFRESH):
        chunk = wanted[start : start + MONTHS_PER_REFRESH]
        parents = _parents(wards, ward_ids)
        scopes: set[str] | None = None
        if ward_ids is not None:
            scopes = {scope_ward(w) for w in ward_ids} | set(parents)
        month_q = _month_filter(chunk)
        for model in (MonthlyMeasure, MonthlyBreakdown):
            rows = model.objects.filter(month_q, organisation_id=organisation_id)
            if scopes is not None:
                rows = rows.filter(scope__in=scopes)
            rows.delete()
        patient_months = PatientMonth.objects.filter(month_q, organisation_id=organisation_id)
        if ward_ids is not None:
            patient_months = patient_months.filter(ward_id__in=ward_ids)
        patient_months.delete()

        measures = _measure_rows(organisation_id, chunk, scopes)
        facts = InterventionFact.objects.filter(month_q, organisation_id=organisation_id)
        if ward_ids is not None:
            facts = facts.filter(ward_id__in=ward_ids)
        patient_rows = list(
            facts.values("ward_id", "month", "patient_id").annotate(
                interventions=Count("id", filter=_FIRST)
            ).order_by()
        )
        for key, n in _people_without_stay(
            organisation_id, chunk, wards, scopes, patient_rows, ward_ids, today
        ).items():
            if key in measures:
                measures[key]["people_without_stay"] = n
        _insert(
            MonthlyMeasure,
            [
                {"organisation_id": organisation_id, "scope": scope, "month": month,
                 "people_without_stay": 0, **values}
                for (scope, month), values in measures.items()
            ],
        )
        cells = _breakdown_rows(organisation_id, chunk, ward_ids)
        _insert(
            MonthlyBreakdown,
            [
                {
                    "organisation_id": organisation_id, "scope": scope_ward(ward_id),
                    "month": month, "dimension": dimension, "key": key,
                    "interventions": v[0], "incidents": v[1], "count": v[2],
                }
                for (ward_id, month, dimension, key), v in cells.items()
            ],
        )
        _sum_into_parents(MonthlyBreakdown, organisation_id, chunk, parents,
                          ("interventions", "incidents", "count"))
        _insert(PatientMonth, [{"organisation_id": organisation_id, **r} for r in patient_rows])


def _people_without_stay(
    organisation_id: int,
    months: Sequence[dt.date],
    wards: dict[int, tuple[int | None, str]],
    scopes: set[str] | None,
    changed_rows: list[dict[str, Any]],
    ward_ids: set[int] | None,
    today: dt.date,
) -> dict[tuple[str, dt.date], int]:
    """(scope, month) -> people restrained in the scope that month with no stay in it."""
    rows = [(r["ward_id"], r["month"], r["patient_id"]) for r in changed_rows]
    if ward_ids is not None:
        # The parents above the changed wards count the other wards' people too.
        rows += list(
            PatientMonth.objects.filter(
                _month_filter(months), organisation_id=organisation_id
            ).exclude(ward_id__in=ward_ids).values_list("ward_id", "month", "patient_id")
        )
    present = _present(organisation_id, months, today)
    ward_scopes = {ward_id: scopes_of_ward(ward_id, wards) for ward_id in wards}
    restrained: dict[tuple[str, dt.date], set[int]] = defaultdict(set)
    stayed: dict[tuple[str, dt.date], set[int]] = defaultdict(set)
    for (ward_id, month), patients in present.items():
        for scope in ward_scopes.get(ward_id, ()):
            stayed[(scope, month)].update(patients)
    for ward_id, month, patient_id in rows:
        for scope in ward_scopes.get(ward_id, ()):
            if scopes is None or scope in scopes:
                restrained[(scope, month)].add(patient_id)
    return {key: len(people - stayed.get(key, set())) for key, people in restrained.items()}


def refresh_population_months(
    organisation_id: int,
    months: Iterable[dt.date],
    *,
    now: dt.datetime,
    patients: PatientCache | None = None,
) -> None:
    """Recompute who was in hospital and each group's occupied bed days (from ward stays) for
    these months, for every scope."""
    wanted = sorted(set(months))
    today = timezone.localtime(now, local_zone()).date()
    wards = _wards(organisation_id)
    ward_scopes = {ward_id: scopes_of_ward(ward_id, wards) for ward_id in wards}
    patients = patients or PatientCache(organisation_id)
    parents = _parents(wards, None)
    for start in range(0, len(wanted), MONTHS_PER_REFRESH):
        chunk = wanted[start : start + MONTHS_PER_REFRESH]
        month_q = _month_filter(chunk)
        for model in (MonthlyPopulation, GroupBedDays):
            model.objects.filter(month_q, organisation_id=organisation_id).delete()
        in_hospital, nights = _hospital_rows(organisation_id, chunk, today, patients)
        # A person on two wards in a month counts once above them.
        people: dict[tuple[str, dt.date], set[int]] = defaultdict(set)
        for (ward_id, month), present in in_hospital.items():
            for scope in ward_scopes.get(ward_id, ()):
                people[(scope, month)].update(present)
        _insert(
            MonthlyPopulation,
            [
                {"organisation_id": organisation_id, "scope": scope, "month": month,
                 "people_in_hospital": len(present)}
                for (scope, month), present in people.items()
            ],
        )
        _insert(
            GroupBedDays,
            [
                {"organisation_id": organisation_id, "scope": scope_ward(ward_id),
                 "month": month, "dimension": dimension, "key": key, "bed_days": n}
                for (ward_id, month, dimension, key), n in nights.items()
            ],
        )
        _sum_into_parents(GroupBedDays, organisation_id, chunk, parents, ("bed_days",))


# ---------------------------------------------------------------------------------------------
# Catching up
# ---------------------------------------------------------------------------------------------


def _first_month(organisation_id: int) -> dt.date | None:
    """The earliest month with anything to summarise: a fact or a month of bed days."""
    OccupiedBedDays = apps.get_model("organisations.OccupiedBedDays")
    candidates = [
        InterventionFact.objects.filter(organisation_id=organisation_id).aggregate(m=Min("month"))["m"],
        DutyFact.objects.filter(organisation_id=organisation_id).aggregate(m=Min("month"))["m"],
        OccupiedBedDays.objects.filter(organisation_id=organisation_id).aggregate(m=Min("month"))["m"],
    ]
    found = [m for m in candidates if m is not None]
    return min(found) if found else None


def rebuild(organisation: Any, *, now: dt.datetime | None = None) -> None:
    """Recompute every fact and summary of one organisation from the records."""
    now = now or timezone.now()
    Incident = apps.get_model("incidents.Incident")
    organisation_id = organisation.pk if hasattr(organisation, "pk") else int(organisation)
    with transaction.atomic():
        _lock(organisation_id)
        SummaryDirty.objects.filter(organisation_id=organisation_id).delete()
        for model in (InterventionFact, DutyFact, PatientMonth, MonthlyMeasure, MonthlyBreakdown,
                      MonthlyPopulation, GroupBedDays):
            model.objects.filter(organisation_id=organisation_id).delete()
        patients = PatientCache(organisation_id)
        patients.load_all()
        last = 0
        while True:
            ids = list(
                _counted(Incident.objects.filter(organisation_id=organisation_id, pk__gt=last))
                .order_by("pk").values_list("pk", flat=True)[:BATCH]
            )
            if not ids:
                break
            rebuild_incident_facts(organisation_id, ids, now, patients)
            last = ids[-1]
        _refresh_statistics((InterventionFact, DutyFact))
        first = _first_month(organisation_id)
        current = local_month(now, local_zone())
        if first is not None:
            every_month = cat.months_between(first, current)
            refresh_facts_months(organisation_id, every_month, now=now)
            refresh_population_months(organisation_id, every_month, now=now, patients=patients)
        _refresh_statistics((PatientMonth, MonthlyMeasure, MonthlyBreakdown, MonthlyPopulation,
                             GroupBedDays))
        SummaryState.objects.update_or_create(
            organisation_id=organisation_id,
            defaults={"open_through": current, "rebuilt_at": now, "refreshed_at": now},
        )


def _refresh_statistics(models: Sequence[type[Model]]) -> None:
    """After a rebuild has replaced a table's rows, PostgreSQL's planner still has the old
    row counts until autovacuum comes round, and picks plans that take seconds instead of
    milliseconds (seen in `make bench`). ANALYZE is cheap beside the rebuild."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _lock(organisation_id: int) -> None:
    """One refresher per organisation at a time: a row lock on PostgreSQL (a second reader
    waits, then finds nothing left to do); SQLite's transactions take the write lock at
    their start already."""
    Organisation = apps.get_model("organisations.Organisation")
    # NO KEY UPDATE: it still queues refreshers behind each other, but unlike FOR UPDATE it does
    # not block the writers, whose inserts referring to the organisation take KEY SHARE on
    # this row (`make bench`: every use of force waited for the worker's catch-up).
    list(Organisation.objects.select_for_update(no_key=True).filter(pk=organisation_id)
         .values_list("pk"))


def bring_up_to_date(organisation: Any, *, now: dt.datetime | None = None) -> None:
    """Apply every change made since the last read, then return. Safe to call on every read."""
    now = now or timezone.now()
    organisation_id = organisation.pk
    current = local_month(now, local_zone())
    state = SummaryState.objects.filter(organisation_id=organisation_id).first()
    if state is not None:
        pending = SummaryDirty.objects.filter(organisation_id=organisation_id).exists()
        if not pending and state.open_through >= current:
            return
    if SummaryRebuild.objects.filter(organisation_id=organisation_id).exists():
        # `rrp analytics rebuild` is under way (rrp.analytics.bulk_rebuild): catching up from
        # its half-rebuilt facts would count wrong; it applies these changes when it ends.
        return
    with transaction.atomic():
        _lock(organisation_id)
        state = SummaryState.objects.filter(organisation_id=organisation_id).first()
        if state is None:
            rebuild(organisation, now=now)
            return
        dirty = list(SummaryDirty.objects.filter(organisation_id=organisation_id).order_by("id"))
        if any(d.kind == SummaryDirty.EVERYTHING for d in dirty):
            rebuild(organisation, now=now)
            return
        if current > state.open_through:
            new_month_reached.send(sender=SummaryDirty, organisation_id=organisation_id)
        _apply(organisation_id, state, dirty, now, current)
        if dirty:
            SummaryDirty.objects.filter(
                organisation_id=organisation_id, id__lte=dirty[-1].id
            ).delete()
        state.open_through = max(state.open_through, current)
        state.refreshed_at = now
        state.save(update_fields=["open_through", "refreshed_at"])


def _apply(
    organisation_id: int,
    state: SummaryState,
    dirty: list[SummaryDirty],
    now: dt.datetime,
    current: dt.date,
) -> None:
    Incident = apps.get_model("incidents.Incident")
    Admission = apps.get_model("patients.Admission")
    incident_ids = {d.object_id for d in dirty if d.kind == SummaryDirty.INCIDENT and d.object_id}
    population_months: set[dt.date] = set()
    patient_ids = {d.object_id for d in dirty if d.kind == SummaryDirty.PATIENT and d.object_id}
    if patient_ids:
        # A patient's characteristics are on their facts and in each group's bed days.
        incident_ids.update(
            Incident.objects.filter(organisation_id=organisation_id, patient_id__in=patient_ids)
            .values_list("pk", flat=True)
        )
        for admitted, discharged in Admission.objects.filter(
            organisation_id=organisation_id, patient_id__in=patient_ids
        ).values_list("admitted_on", "discharged_on"):
            population_months.update(cat.months_between(admitted, discharged or now.date()))
    for d in dirty:
        if d.kind == SummaryDirty.MONTHS and d.first_month and d.last_month:
            population_months.update(cat.months_between(d.first_month, d.last_month))
    rolled_over: list[dt.date] = []
    if current > state.open_through:
        # A month ended: interventions still in progress get the new month's row and their
        # active days at the end of the month that ended; ward stays still open add nights.
        incident_ids.update(
            InterventionFact.objects.filter(organisation_id=organisation_id, is_open=True)
            .values_list("incident_id", flat=True).distinct()
        )
        rolled_over = cat.months_between(state.open_through, current)
        population_months.update(rolled_over)
    if population_months:
        first = _first_month(organisation_id)
        if first is not None:
            population_months = {m for m in population_months if first <= m <= current}
    touched = rebuild_incident_facts(organisation_id, incident_ids, now) if incident_ids else set()
    if rolled_over:
        refresh_facts_months(organisation_id, rolled_over, now=now)
    if population_months:
        refresh_population_months(organisation_id, population_months, now=now)
        # Who was restrained without a stay depends on the stays too.
        refresh_facts_months(organisation_id, population_months - set(rolled_over), now=now)
    by_ward_months: dict[int, set[dt.date]] = defaultdict(set)
    for month, ward_id in touched:
        if month not in rolled_over and month not in population_months:
            by_ward_months[ward_id].add(month)
    # Wards that changed the same months are refreshed together, each month once.
    months_to_wards: dict[tuple[dt.date, ...], set[int]] = defaultdict(set)
    for ward_id, ward_months in by_ward_months.items():
        months_to_wards[tuple(sorted(ward_months))].add(ward_id)
    for months_changed, ward_ids in months_to_wards.items():
        refresh_facts_months(organisation_id, months_changed, now=now, ward_ids=ward_ids)
