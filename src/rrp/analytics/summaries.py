"""Keeping the analytics facts and monthly summaries in step with the records.

* `on_audit_event` (connected in apps.py) turns every audited change to a use of force record,
  its follow-up records, a patient, a ward stay or a ward into a `SummaryDirty` row, in the
  same transaction as the change. It does nothing else, so recording a use of force never
  waits for, or fails because of, the analytics.
* `bring_up_to_date(organisation)` is called at the start of every dashboard and API read: it
  rebuilds the facts of dirty incidents, then the monthly summaries of the months they touch.
  When nothing changed it costs two small queries.
* `rebuild(organisation)` recomputes everything (first use, `rrp analytics rebuild`, the demo).

The monthly summaries are computed with GROUP BY queries over the facts of the months being
refreshed, so the work of one new incident is bounded by one month of one organisation.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Max, Min, Model, Q, Sum
from django.utils import timezone

from rrp.analytics import categories as cat
from rrp.analytics.facts import DutyIn, IncidentIn, InterventionIn, incident_facts, local_month
from rrp.analytics.models import (
    SCOPE_ORG,
    DutyFact,
    InterventionFact,
    MonthlyBreakdown,
    MonthlyMeasure,
    PatientMonth,
    SummaryDirty,
    SummaryState,
    scope_service,
    scope_site,
    scope_ward,
)

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
        return SummaryDirty(organisation_id=org, kind=SummaryDirty.INCIDENT, object_id=incident_id)
    if object_type == "patients.patient" and object_id:
        return SummaryDirty(organisation_id=org, kind=SummaryDirty.PATIENT, object_id=int(object_id))
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


def _incident_inputs(organisation_id: int, ids: Sequence[int]) -> list[IncidentIn]:
    Incident = apps.get_model("incidents.Incident")
    Intervention = apps.get_model("incidents.Intervention")
    Injury = apps.get_model("incidents.Injury")
    StaffInvolvement = apps.get_model("incidents.StaffInvolvement")
    OtherPersonInvolved = apps.get_model("incidents.OtherPersonInvolved")
    Duty = apps.get_model("incidents.Duty")
    Patient = apps.get_model("patients.Patient")

    incidents = list(
        _counted(Incident.objects.filter(organisation_id=organisation_id, pk__in=ids)).values_list(
            "id", "ward_id", "patient_id", "started_at", "ended_at", "reason", "harm",
            "death_or_serious_injury",
        )
    )
    if not incidents:
        return []
    kept = [row[0] for row in incidents]
    interventions: dict[int, list[InterventionIn]] = defaultdict(list)
    for incident_id, pk, type_code, started, ended in Intervention.objects.filter(
        incident_id__in=kept
    ).values_list("incident_id", "id", "type_code", "started_at", "ended_at"):
        interventions[incident_id].append(InterventionIn(pk, type_code, started, ended))
    injuries: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for incident_id, person, severity in Injury.objects.filter(incident_id__in=kept).values_list(
        "incident_id", "person", "severity"
    ):
        injuries[incident_id].append((person, severity))
    staff: dict[int, list[tuple[str, bool]]] = defaultdict(list)
    for incident_id, role, injured in StaffInvolvement.objects.filter(
        incident_id__in=kept
    ).values_list("incident_id", "role", "injured"):
        staff[incident_id].append((role, injured))
    others: dict[int, list[str]] = defaultdict(list)
    for incident_id, kind in OtherPersonInvolved.objects.filter(incident_id__in=kept).values_list(
        "incident_id", "kind"
    ):
        others[incident_id].append(kind)
    duties: dict[int, list[DutyIn]] = defaultdict(list)
    for incident_id, kind, due, completed, late, not_required in Duty.objects.filter(
        incident_id__in=kept
    ).values_list("incident_id", "kind", "due_at", "completed_at", "late_reason",
                  "not_required_reason"):
        duties[incident_id].append(DutyIn(kind, due, completed, late, not_required))
    patient_ids = {row[2] for row in incidents}
    patients = {
        p["id"]: p
        for p in Patient.objects.filter(pk__in=patient_ids).values(
            "id", "date_of_birth", "ethnic_category", *cat.PATIENT_FIELDS
        )
    }
    return [
        IncidentIn(
            id=pk, organisation_id=organisation_id, ward_id=ward_id, patient_id=patient_id,
            started_at=started, ended_at=ended, reason=reason, harm=harm,
            death_or_serious_injury=dsi, interventions=interventions.get(pk, []),
            patient=patients.get(patient_id, {}), injuries=injuries.get(pk, []),
            staff=staff.get(pk, []), other_kinds=others.get(pk, []), duties=duties.get(pk, []),
        )
        for pk, ward_id, patient_id, started, ended, reason, harm, dsi in incidents
    ]


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
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            raw = cursor.cursor
            statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
            with raw.copy(statement) as copy:
                for row in rows:
                    copy.write_row([row.get(name, defaults[name]) for name in names])
        return
    adapt = connection.ops.adapt_datetimefield_value
    values = [
        [
            adapt(row.get(name)) if name in datetime_names else row.get(name, defaults[name])
            for name in names
        ]
        for row in rows
    ]
    placeholders = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})",  # noqa: S608
            values,
        )


def _default(model: type[Model], attname: str) -> Any:
    for field in model._meta.concrete_fields:
        if field.attname == attname:
            return field.get_default() if field.has_default() else None
    raise KeyError(attname)


def rebuild_incident_facts(
    organisation_id: int, incident_ids: Iterable[int], now: dt.datetime
) -> set[tuple[dt.date, int]]:
    """Replace the facts of these incidents; returns the (month, ward) pairs whose summaries
    they touched before or after."""
    ids = sorted(set(incident_ids))
    touched: set[tuple[dt.date, int]] = set()
    tz = local_zone()
    for chunk in _chunks(ids):
        old = InterventionFact.objects.filter(organisation_id=organisation_id, incident_id__in=chunk)
        touched.update(old.values_list("month", "ward_id").distinct())
        touched.update(
            DutyFact.objects.filter(organisation_id=organisation_id, incident_id__in=chunk)
            .values_list("month", "ward_id").distinct()
        )
        old.delete()
        DutyFact.objects.filter(organisation_id=organisation_id, incident_id__in=chunk).delete()
        fact_rows: list[dict[str, Any]] = []
        duty_rows: list[dict[str, Any]] = []
        for incident in _incident_inputs(organisation_id, chunk):
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
_SCOPE_GROUPS: tuple[tuple[str, Any], ...] = (
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
        if scopes is not None and group == "ward_id":
            ward_ids = [int(s.split(":")[1]) for s in scopes if s.startswith("ward:")]
            query = facts.filter(ward_id__in=ward_ids)
        else:
            query = facts
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


# (dimension, filter, group fields, aggregates) over the facts, counted at ward grain.
_FIRST = Q(first_month=True)
_INCIDENT_FIRST = Q(incident_first=True)
_INTERVENTION_COUNTS: dict[str, Any] = {
    "interventions": Count("id"),
    "incidents": Count("id", filter=_INCIDENT_FIRST),
}
_BY_TYPE_COUNTS: dict[str, Any] = {
    "interventions": Count("id"),
    "incidents": Count("incident_id", distinct=True),
}
_DIMENSIONS: tuple[tuple[str, Q, tuple[str, ...], dict[str, Any]], ...] = (
    ("total", _FIRST, (), _INTERVENTION_COUNTS),
    ("type", _FIRST, ("type_code",), _BY_TYPE_COUNTS),
    ("category", _FIRST, ("category",), _BY_TYPE_COUNTS),
    ("reason", _FIRST, ("reason",), _INTERVENTION_COUNTS),
    ("hour_weekday", _FIRST, ("weekday", "hour"), _BY_TYPE_COUNTS),
    ("duration", _FIRST, ("duration_band",), _BY_TYPE_COUNTS),
    ("harm", _INCIDENT_FIRST, ("harm",), {"incidents": Count("id")}),
    ("worst_injury", _INCIDENT_FIRST, ("worst_injury",), {"incidents": Count("id")}),
    ("staff_force", _INCIDENT_FIRST, ("staff_force",),
     {"incidents": Count("id"), "count": Sum("staff_force")}),
    *(
        (ch.dimension, _FIRST, (ch.field,), _INTERVENTION_COUNTS)
        for ch in cat.CHARACTERISTICS
    ),
)
# Several keys from one query: key -> (incidents aggregate, count aggregate).
_FLAG_DIMENSIONS: dict[str, dict[str, tuple[Any, Any]]] = {
    "injured": {
        "patient": (Count("id", filter=Q(injuries_patient__gt=0)), Sum("injuries_patient")),
        "staff": (Count("id", filter=Q(injuries_staff__gt=0)), Sum("injuries_staff")),
        "other": (Count("id", filter=Q(injuries_other__gt=0)), Sum("injuries_other")),
    },
    "flags": {
        "police": (Count("id", filter=Q(police=True)), Count("id", filter=Q(police=True))),
        "death_or_serious_injury": (
            Count("id", filter=Q(death_or_serious_injury=True)),
            Count("id", filter=Q(death_or_serious_injury=True)),
        ),
        "staff_injured": (Count("id", filter=Q(staff_injured__gt=0)), Sum("staff_injured")),
    },
}


def _key(dimension: str, values: Sequence[Any]) -> str:
    if dimension == "total":
        return "all"
    if dimension == "hour_weekday":
        return f"{values[0]}:{values[1]:02d}"
    if dimension == "staff_force":
        return cat.staff_force_bucket(int(values[0]))
    return str(values[0])


def count_cells(
    interventions: Any,
    incidents: Any,
    duties: Any,
    group: tuple[str, ...],
    *,
    distinct_incidents: bool = False,
) -> dict[tuple[Any, ...], list[int]]:
    """Breakdown cells: (*group values, dimension, key) -> [interventions, incidents, count,
    bed_days].

    `interventions` are fact rows of interventions in the months counted (each counted once,
    on its first month's row: the caller filters first_month); `incidents` are the rows that
    stand for an incident once (incident_first); `duties` are DutyFact rows. With
    `distinct_incidents` incidents are counted as distinct ids among the intervention rows,
    which is right when the rows are filtered by intervention type.
    """
    cells: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for dimension, where, fields, aggregates in _DIMENSIONS:
        if distinct_incidents and "incidents" in aggregates and where is _FIRST:
            aggregates = {**aggregates, "incidents": Count("incident_id", distinct=True)}
        source = interventions if where is _FIRST else incidents
        rows = source.values(*group, *fields).annotate(**aggregates) if (group or fields) else [
            source.aggregate(**aggregates)
        ]
        for row in rows.order_by() if hasattr(rows, "order_by") else rows:
            cell = cells[(*(row[g] for g in group), dimension,
                          _key(dimension, [row[f] for f in fields]))]
            cell[0] += row.get("interventions", 0) or 0
            cell[1] += row.get("incidents", 0) or 0
            cell[2] += row.get("count", 0) or 0
    for dimension, keys in _FLAG_DIMENSIONS.items():
        aggregates = {}
        for key, (incident_count, count) in keys.items():
            aggregates[f"{key}__i"] = incident_count
            aggregates[f"{key}__c"] = count
        flag_rows = (
            incidents.values(*group).annotate(**aggregates).order_by()
            if group
            else [incidents.aggregate(**aggregates)]
        )
        for row in flag_rows:
            for key in keys:
                if row[f"{key}__i"]:
                    cell = cells[(*(row[g] for g in group), dimension, key)]
                    cell[1] += row[f"{key}__i"]
                    cell[2] += row[f"{key}__c"] or 0
    for row in duties.values(*group, "kind", "status").annotate(n=Count("id")).order_by():
        cells[(*(row[g] for g in group), "duty", f"{row['kind']}:{row['status']}")][2] += row["n"]
    return cells


def _breakdown_rows(
    organisation_id: int, months: Sequence[dt.date], ward_ids: set[int] | None
) -> dict[tuple[Any, ...], list[int]]:
    """Ward-level breakdown cells: (ward, month, dimension, key) -> [interventions, incidents,
    count, bed_days]."""
    facts = InterventionFact.objects.filter(_month_filter(months), organisation_id=organisation_id)
    duties = DutyFact.objects.filter(_month_filter(months), organisation_id=organisation_id)
    if ward_ids is not None:
        facts = facts.filter(ward_id__in=ward_ids)
        duties = duties.filter(ward_id__in=ward_ids)
    return count_cells(
        facts.filter(_FIRST), facts.filter(_INCIDENT_FIRST), duties, ("ward_id", "month")
    )


def _stays(
    organisation_id: int, first: dt.date, last_exclusive: dt.date, ward_ids: set[int] | None
) -> list[dict[str, Any]]:
    Admission = apps.get_model("patients.Admission")
    stays = Admission.objects.filter(
        organisation_id=organisation_id, entered_in_error_reason="", admitted_on__lt=last_exclusive
    ).filter(Q(discharged_on__isnull=True) | Q(discharged_on__gte=first))
    if ward_ids is not None:
        stays = stays.filter(ward_id__in=ward_ids)
    return list(
        stays.values(
            "ward_id", "patient_id", "admitted_on", "discharged_on", "patient__date_of_birth",
            "patient__ethnic_category", *(f"patient__{f}" for f in cat.PATIENT_FIELDS),
        )
    )


def _hospital_rows(
    organisation_id: int,
    months: Sequence[dt.date],
    ward_ids: set[int] | None,
    today: dt.date,
) -> tuple[dict[tuple[int, dt.date], set[int]], dict[tuple[int, dt.date, str, str], int]]:
    """From ward stays: who was in hospital in each (ward, month), and each characteristic
    group's occupied bed days (nights, midnight census) per (ward, month, dimension, key)."""
    month_set = set(months)
    first = min(months)
    last_exclusive = cat.next_month(max(months))
    people: dict[tuple[int, dt.date], set[int]] = defaultdict(set)
    nights: dict[tuple[int, dt.date, str, str], int] = defaultdict(int)
    for stay in _stays(organisation_id, first, last_exclusive, ward_ids):
        admitted, discharged = stay["admitted_on"], stay["discharged_on"]
        # A stay still open counts the nights that have passed; its last day in hospital, for
        # counting people, is today.
        night_end = discharged if discharged is not None else today
        last_day = discharged if discharged is not None else today
        if last_day < first:
            continue
        patient = {
            "date_of_birth": stay["patient__date_of_birth"],
            "ethnic_category": stay["patient__ethnic_category"],
            **{f: stay[f"patient__{f}"] for f in cat.PATIENT_FIELDS},
        }
        for month in cat.months_between(max(admitted, first), min(last_day, last_exclusive)):
            if month not in month_set:
                continue
            month_end = cat.next_month(month)
            if admitted >= month_end or last_day < month:
                continue
            people[(stay["ward_id"], month)].add(stay["patient_id"])
            count = (min(night_end, month_end) - max(admitted, month)).days
            if count <= 0:
                continue
            groups = cat.characteristics_of(patient, month)
            for field, key in groups.items():
                nights[(stay["ward_id"], month, f"eq:{field}", key)] += count
    return people, nights


def _replace_month_rows(
    organisation_id: int, months: Sequence[dt.date], scopes: set[str] | None
) -> None:
    for model in (MonthlyMeasure, MonthlyBreakdown):
        rows = model.objects.filter(_month_filter(months), organisation_id=organisation_id)
        if scopes is not None:
            rows = rows.filter(scope__in=scopes)
        rows.delete()


def refresh_months(
    organisation_id: int,
    months: Iterable[dt.date],
    *,
    now: dt.datetime,
    ward_ids: set[int] | None = None,
) -> None:
    """Recompute the monthly summaries of these months from the facts and ward stays: every
    scope, or only the scopes of `ward_ids` (the wards, their sites and service types, and the
    organisation) when only those wards changed."""
    wanted = sorted(set(months))
    today = timezone.localtime(now).date()
    wards = _wards(organisation_id)
    for start in range(0, len(wanted), MONTHS_PER_REFRESH):
        _refresh_chunk(organisation_id, wanted[start : start + MONTHS_PER_REFRESH], wards,
                       ward_ids, today)


def _refresh_chunk(
    organisation_id: int,
    months: Sequence[dt.date],
    wards: dict[int, tuple[int | None, str]],
    ward_ids: set[int] | None,
    today: dt.date,
) -> None:
    scopes: set[str] | None = None
    members: set[int] | None = None  # the wards whose rows feed the scopes refreshed
    if ward_ids is not None:
        scopes = set()
        for ward_id in ward_ids:
            scopes.update(scopes_of_ward(ward_id, wards))
        members = set()
        for ward_id in wards:
            if set(scopes_of_ward(ward_id, wards)) & scopes:
                members.add(ward_id)
    _replace_month_rows(organisation_id, months, scopes)
    PatientMonth.objects.filter(_month_filter(months), organisation_id=organisation_id).filter(
        **({"ward_id__in": ward_ids} if ward_ids is not None else {})
    ).delete()

    measures = _measure_rows(organisation_id, months, scopes)
    in_hospital, group_nights = _hospital_rows(organisation_id, months, members, today)
    ward_cells = _breakdown_rows(organisation_id, months, members)
    for (ward_id, month, dimension, key), nights in group_nights.items():
        ward_cells[(ward_id, month, dimension, key)][3] += nights

    # People in hospital per scope: a person on two wards in a month counts once above them.
    people_by_scope: dict[tuple[str, dt.date], set[int]] = defaultdict(set)
    for (ward_id, month), patients in in_hospital.items():
        for scope in scopes_of_ward(ward_id, wards):
            people_by_scope[(scope, month)].update(patients)
    measure_rows: list[dict[str, Any]] = []
    for key in set(measures) | set(people_by_scope):
        scope, month = key
        if scopes is not None and scope not in scopes:
            continue
        values = measures.get(key, {})
        measure_rows.append(
            {
                "organisation_id": organisation_id, "scope": scope, "month": month,
                **{k: v for k, v in values.items() if v is not None or k.endswith("_max")},
                "people_in_hospital": len(people_by_scope.get(key, ())),
            }
        )
    _insert(MonthlyMeasure, measure_rows)

    scope_cells: dict[tuple[str, dt.date, str, str], list[int]] = defaultdict(
        lambda: [0, 0, 0, 0]
    )
    for (ward_id, month, dimension, key), values in ward_cells.items():
        for scope in scopes_of_ward(ward_id, wards):
            if scopes is not None and scope not in scopes:
                continue
            cell = scope_cells[(scope, month, dimension, key)]
            for index in range(4):
                cell[index] += values[index]
    _insert(
        MonthlyBreakdown,
        [
            {
                "organisation_id": organisation_id, "scope": scope, "month": month,
                "dimension": dimension, "key": key, "interventions": v[0], "incidents": v[1],
                "count": v[2], "bed_days": v[3],
            }
            for (scope, month, dimension, key), v in scope_cells.items()
        ],
    )

    patient_months = InterventionFact.objects.filter(
        _month_filter(months), organisation_id=organisation_id
    )
    if ward_ids is not None:
        patient_months = patient_months.filter(ward_id__in=ward_ids)
    _insert(
        PatientMonth,
        [
            {"organisation_id": organisation_id, **row}
            for row in patient_months.values("ward_id", "month", "patient_id").annotate(
                interventions=Count("id", filter=_FIRST)
            ).order_by()
        ],
    )


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
        SummaryDirty.objects.filter(organisation_id=organisation_id).delete()
        for model in (InterventionFact, DutyFact, PatientMonth, MonthlyMeasure, MonthlyBreakdown):
            model.objects.filter(organisation_id=organisation_id).delete()
        last = 0
        while True:
            ids = list(
                _counted(Incident.objects.filter(organisation_id=organisation_id, pk__gt=last))
                .order_by("pk").values_list("pk", flat=True)[:BATCH]
            )
            if not ids:
                break
            rebuild_incident_facts(organisation_id, ids, now)
            last = ids[-1]
        first = _first_month(organisation_id)
        current = local_month(now, local_zone())
        if first is not None:
            refresh_months(organisation_id, cat.months_between(first, current), now=now)
        SummaryState.objects.update_or_create(
            organisation_id=organisation_id,
            defaults={"open_through": current, "rebuilt_at": now, "refreshed_at": now},
        )


def bring_up_to_date(organisation: Any, *, now: dt.datetime | None = None) -> None:
    """Apply every change made since the last read, then return. Safe to call on every read."""
    now = now or timezone.now()
    organisation_id = organisation.pk
    current = local_month(now, local_zone())
    state = SummaryState.objects.filter(organisation_id=organisation_id).first()
    if state is None:
        rebuild(organisation, now=now)
        return
    pending = SummaryDirty.objects.filter(organisation_id=organisation_id).exists()
    if not pending and state.open_through >= current:
        return
    with transaction.atomic():
        # One refresher per organisation at a time (PostgreSQL row lock; SQLite transactions
        # already take the write lock up front).
        state = SummaryState.objects.select_for_update().get(organisation_id=organisation_id)
        dirty = list(SummaryDirty.objects.filter(organisation_id=organisation_id).order_by("id"))
        if any(d.kind == SummaryDirty.EVERYTHING for d in dirty):
            rebuild(organisation, now=now)
            return
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
    whole_months: set[dt.date] = set()
    patient_ids = {d.object_id for d in dirty if d.kind == SummaryDirty.PATIENT and d.object_id}
    if patient_ids:
        incident_ids.update(
            Incident.objects.filter(organisation_id=organisation_id, patient_id__in=patient_ids)
            .values_list("pk", flat=True)
        )
        for admitted, discharged in Admission.objects.filter(
            organisation_id=organisation_id, patient_id__in=patient_ids
        ).values_list("admitted_on", "discharged_on"):
            whole_months.update(cat.months_between(admitted, discharged or now.date()))
    for d in dirty:
        if d.kind == SummaryDirty.MONTHS and d.first_month and d.last_month:
            whole_months.update(cat.months_between(d.first_month, d.last_month))
    if current > state.open_through:
        # A month ended: interventions still in progress get the new month's row and their
        # active days at the end of the month that ended; ward stays still open add nights.
        incident_ids.update(
            InterventionFact.objects.filter(organisation_id=organisation_id, is_open=True)
            .values_list("incident_id", flat=True).distinct()
        )
        whole_months.update(cat.months_between(state.open_through, current))
    touched = rebuild_incident_facts(organisation_id, incident_ids, now) if incident_ids else set()
    if whole_months:
        refresh_months(organisation_id, whole_months, now=now)
    by_ward_months: dict[int, set[dt.date]] = defaultdict(set)
    for month, ward_id in touched:
        if month not in whole_months:
            by_ward_months[ward_id].add(month)
    # Group the wards that changed the same months, so each month is refreshed once.
    months_to_wards: dict[tuple[dt.date, ...], set[int]] = defaultdict(set)
    for ward_id, months in by_ward_months.items():
        months_to_wards[tuple(sorted(months))].add(ward_id)
    for months, ward_ids in months_to_wards.items():
        refresh_months(organisation_id, months, now=now, ward_ids=ward_ids)
