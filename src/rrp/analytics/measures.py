"""The MHSDS national restrictive intervention measures (and the local rates RRP adds), by
month, for the organisation, a site, a service type or a ward.

Definitions are NHS England's (NHSDigital/mental-health-monthly-statistics, Restraints; see
facts.py for how each is counted); the denominators of the rates are the occupied bed days the
organisation holds (organisations.OccupiedBedDays), read at request time so that a corrected
month of bed days shows at once. Outside the treating team every figure is published with
`rrp.analytics.disclosure` (the MHSDS rule unless the setting RRP_DISCLOSURE_RULE says
otherwise), as NHS England suppresses its own publication (Restraints_Suppression/
Published_CSV_Suppression.py): counts and rates and percentages are suppressed, averages and
maxima of durations are not, and MHS137 is hidden when MHS136 or MHS77 is small.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any, Final, Literal

from django.conf import settings

from rrp.analytics import disclosure
from rrp.analytics.models import (
    SCOPE_ORG,
    MonthlyMeasure,
    MonthlyPopulation,
    scope_service,
    scope_site,
    scope_ward,
)
from rrp.organisations.models import OccupiedBedDays, ServiceType, Site, Ward

Unit = Literal["count", "rate", "percent", "minutes", "days", "ratio"]
Level = Literal["organisation", "site", "service_type", "ward"]
LEVELS: Final[tuple[Level, ...]] = ("organisation", "site", "service_type", "ward")


@dataclass
class Parts:
    """Everything the measures of one scope in one month are made from."""

    interventions: int = 0
    incidents: int = 0
    people: int = 0
    people_without_stay: int = 0
    people_in_hospital: int = 0
    minutes_sum: float = 0.0
    minutes_n: int = 0
    minutes_max: float | None = None
    incident_minutes_sum: float = 0.0
    incident_minutes_n: int = 0
    incident_minutes_max: float | None = None
    seclusion_days_sum: float = 0.0
    seclusion_days_n: int = 0
    segregation_days_sum: float = 0.0
    segregation_days_n: int = 0
    prone: int = 0
    prone_minutes_max: float | None = None  # the longest prone restraint that ended this month
    physical: int = 0
    mechanical: int = 0
    chemical: int = 0
    rapid_tranquillisation: int = 0
    seclusion: int = 0
    segregation: int = 0
    people_prone: int = 0
    people_physical: int = 0
    people_mechanical: int = 0
    people_chemical: int = 0
    people_rapid_tranquillisation: int = 0
    people_seclusion: int = 0
    people_segregation: int = 0
    bed_days: int = 0
    has_bed_days: bool = False


PART_FIELDS: Final = tuple(
    f.name for f in fields(Parts) if f.name not in {"bed_days", "has_bed_days"}
)
# The parts kept in MonthlyMeasure (people in hospital come from MonthlyPopulation).
MEASURE_FIELDS: Final = tuple(f for f in PART_FIELDS if f != "people_in_hospital")


def _div(numerator: float, denominator: float, scale: float = 1.0) -> float | None:
    return None if not denominator else numerator * scale / denominator


def _rate(numerator: str) -> Callable[[Parts], tuple[float, float, float | None]]:
    def compute(p: Parts) -> tuple[float, float, float | None]:
        count = getattr(p, numerator)
        return count, p.bed_days, _div(count, p.bed_days, 1000.0) if p.has_bed_days else None

    return compute


def _count(name: str) -> Callable[[Parts], tuple[float, float, float | None]]:
    def compute(p: Parts) -> tuple[float, float, float | None]:
        return getattr(p, name), 1, getattr(p, name)

    return compute


def _average(total: str, n: str) -> Callable[[Parts], tuple[float, float, float | None]]:
    def compute(p: Parts) -> tuple[float, float, float | None]:
        return getattr(p, total), getattr(p, n), _div(getattr(p, total), getattr(p, n))

    return compute


def _maximum(name: str, n: str) -> Callable[[Parts], tuple[float, float, float | None]]:
    def compute(p: Parts) -> tuple[float, float, float | None]:
        value = getattr(p, name)
        return value or 0, getattr(p, n), value

    return compute


def _share(
    numerator: str, denominator: str
) -> Callable[[Parts], tuple[float, float, float | None]]:
    def compute(p: Parts) -> tuple[float, float, float | None]:
        top, bottom = getattr(p, numerator), getattr(p, denominator)
        return top, bottom, _div(top, bottom, 100.0)

    return compute


def _people_in_hospital_share(p: Parts) -> tuple[float, float, float | None]:
    """MHS97: people restrained over people in hospital in the month. Someone restrained on a
    ward was in hospital even if their stay is missing, so the denominator is everyone with a
    stay plus anyone restrained without one (the two sets' union)."""
    in_hospital = p.people_in_hospital + p.people_without_stay
    return p.people, in_hospital, _div(p.people, in_hospital, 100.0)


@dataclass(frozen=True)
class Measure:
    id: str
    title: str
    unit: Unit
    improvement: Literal["increase", "decrease", "neutral"]
    compute: Callable[[Parts], tuple[float, float, float | None]] = field(repr=False)
    national: bool = True
    # How the figure is published outside the treating team.
    publish: Literal["count", "rate", "percentage", "average", "per_incident"] = "count"
    people: str = "people"  # the people count behind a rate, for suppression
    decimals: int = 1

    def value(self, parts: Parts) -> float | None:
        return self.compute(parts)[2]


MEASURES: Final[tuple[Measure, ...]] = (
    Measure("MHS96", "Restrictive interventions per 1,000 occupied bed days", "rate", "decrease",
            _rate("interventions"), publish="rate"),
    Measure("MHS77", "Restrictive interventions", "count", "decrease", _count("interventions"),
            decimals=0),
    Measure("MHS76", "People subject to restrictive interventions", "count", "decrease",
            _count("people"), decimals=0),
    Measure("MHS97", "People in hospital subject to a restrictive intervention (%)", "percent",
            "decrease", _people_in_hospital_share, publish="percentage"),
    Measure("MHS136", "Restrictive intervention incidents", "count", "decrease",
            _count("incidents"), decimals=0),
    Measure("MHS137", "Restrictive interventions per incident", "ratio", "decrease",
            _average("interventions", "incidents"), publish="per_incident"),
    Measure("MHS98", "Average minutes of restrictive intervention", "minutes", "decrease",
            _average("minutes_sum", "minutes_n"), publish="average", decimals=0),
    Measure("MHS99", "Longest restrictive intervention (minutes)", "minutes", "decrease",
            _maximum("minutes_max", "minutes_n"), publish="average", decimals=0),
    Measure("MHS138", "Average minutes of restrictive intervention incident", "minutes",
            "decrease", _average("incident_minutes_sum", "incident_minutes_n"),
            publish="average", decimals=0),
    Measure("MHS139", "Longest restrictive intervention incident (minutes)", "minutes",
            "decrease", _maximum("incident_minutes_max", "incident_minutes_n"),
            publish="average", decimals=0),
    Measure("MHS146", "Average days of active seclusion", "days", "decrease",
            _average("seclusion_days_sum", "seclusion_days_n"), publish="average"),
    Measure("MHS147", "Average days of active segregation", "days", "decrease",
            _average("segregation_days_sum", "segregation_days_n"), publish="average"),
    Measure("incidents_rate", "Incidents per 1,000 occupied bed days", "rate", "decrease",
            _rate("incidents"), national=False, publish="rate"),
    Measure("prone_rate", "Prone restraints per 1,000 occupied bed days", "rate", "decrease",
            _rate("prone"), national=False, publish="rate", people="people_prone"),
    Measure("prone_share", "Physical restraints that were prone (%)", "percent", "decrease",
            _share("prone", "physical"), national=False, publish="percentage"),
    Measure("physical_rate", "Physical restraints per 1,000 occupied bed days", "rate",
            "decrease", _rate("physical"), national=False, publish="rate",
            people="people_physical"),
    Measure("mechanical_rate", "Mechanical restraints per 1,000 occupied bed days", "rate",
            "decrease", _rate("mechanical"), national=False, publish="rate",
            people="people_mechanical"),
    Measure("chemical_rate", "Chemical restraints per 1,000 occupied bed days", "rate",
            "decrease", _rate("chemical"), national=False, publish="rate",
            people="people_chemical"),
    Measure("rapid_tranquillisation_rate",
            "Rapid tranquillisation per 1,000 occupied bed days", "rate", "decrease",
            _rate("rapid_tranquillisation"), national=False, publish="rate",
            people="people_rapid_tranquillisation"),
    Measure("seclusion_rate", "Seclusions per 1,000 occupied bed days", "rate", "decrease",
            _rate("seclusion"), national=False, publish="rate", people="people_seclusion"),
    Measure("segregation_rate", "Segregations per 1,000 occupied bed days", "rate", "decrease",
            _rate("segregation"), national=False, publish="rate", people="people_segregation"),
)
MEASURE_BY_ID: Final[Mapping[str, Measure]] = {m.id: m for m in MEASURES}
# A rate's count, when the rate is hidden by type: which Parts field the type filter picks.
CATEGORY_RATE: Final[Mapping[str, str]] = {
    "physical": "physical_rate",
    "prone": "prone_rate",
    "mechanical": "mechanical_rate",
    "chemical": "chemical_rate",
    "rapid_tranquillisation": "rapid_tranquillisation_rate",
    "seclusion": "seclusion_rate",
    "segregation": "segregation_rate",
}


def disclosure_rule() -> disclosure.SuppressionRule:
    return disclosure.rule_by_name(getattr(settings, "RRP_DISCLOSURE_RULE", "MHSDS"))


def _round(value: float, decimals: int) -> float | int:
    """Half up, as published figures are; a whole number when no decimals are shown."""
    if decimals == 0:
        return disclosure.half_up(Decimal(repr(value)))
    return float(disclosure.half_up(Decimal(repr(value)) * 10**decimals)) / 10**decimals


def published(
    measure: Measure, parts: Parts, rule: disclosure.SuppressionRule | None
) -> float | int | str | None:
    """The value as it may be shown: exact (rounded for reading) to the treating team; under
    `rule` for anyone else. None when there is nothing to show (no bed days, no events)."""
    numerator, denominator, value = measure.compute(parts)
    if rule is None:
        return None if value is None else _round(value, measure.decimals)
    if measure.publish == "count":
        return disclosure.suppress_count(int(numerator), rule)
    if measure.publish == "rate":
        if not parts.has_bed_days:
            return None
        return disclosure.suppress_rate(
            int(numerator), int(getattr(parts, measure.people)), parts.bed_days, rule=rule
        )
    if measure.publish == "percentage":
        if not denominator:
            return None
        return disclosure.suppress_percentage(int(numerator), int(denominator), rule)
    if measure.publish == "per_incident":
        if rule.is_small(parts.incidents) or rule.is_small(parts.interventions):
            return rule.symbol
        return None if value is None else _round(value, 1)
    # Averages and maxima of durations are not suppressed by NHS England.
    return None if value is None else _round(value, measure.decimals)


# ---------------------------------------------------------------------------------------------
# Reading the monthly summaries
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    key: str
    label: str
    level: Level


def scopes_for(organisation: Any, level: Level) -> list[Scope]:
    """Every scope of one level in the organisation, in reading order."""
    if level == "organisation":
        return [Scope(SCOPE_ORG, organisation.name, "organisation")]
    if level == "site":
        return [
            Scope(scope_site(s.pk), s.name, "site")
            for s in Site.objects.filter(organisation=organisation).order_by("name")
        ]
    if level == "ward":
        return [
            Scope(scope_ward(w.pk), f"{w.name} ({w.code})", "ward")
            for w in Ward.objects.filter(organisation=organisation).order_by("name")
        ]
    labels = dict(ServiceType.choices)
    present = sorted(
        set(Ward.objects.filter(organisation=organisation).values_list("service_type", flat=True))
    )
    return [Scope(scope_service(s), labels.get(s, s), "service_type") for s in present]


def ward_ids_of(organisation: Any, scope: str) -> list[int]:
    wards = Ward.objects.filter(organisation=organisation)
    if scope == SCOPE_ORG:
        return list(wards.values_list("pk", flat=True))
    kind, _, value = scope.partition(":")
    if kind == "site":
        return list(wards.filter(site_id=int(value)).values_list("pk", flat=True))
    if kind == "service":
        return list(wards.filter(service_type=value).values_list("pk", flat=True))
    return list(wards.filter(pk=int(value)).values_list("pk", flat=True))


def monthly_parts(
    organisation: Any, scopes: Sequence[str], months: Sequence[dt.date]
) -> dict[str, dict[dt.date, Parts]]:
    """scope -> month -> Parts for every month asked for (zeros where nothing happened)."""
    first, last = min(months), max(months)
    out: dict[str, dict[dt.date, Parts]] = {s: {m: Parts() for m in months} for s in scopes}
    rows = MonthlyMeasure.objects.filter(
        organisation=organisation, scope__in=scopes, month__gte=first, month__lte=last
    ).values("scope", "month", *MEASURE_FIELDS)
    for row in rows:
        parts = out[row["scope"]].get(row["month"])
        if parts is not None:
            for name in MEASURE_FIELDS:
                setattr(parts, name, row[name] if row[name] is not None else getattr(parts, name))
    for scope, month, people in MonthlyPopulation.objects.filter(
        organisation=organisation, scope__in=scopes, month__gte=first, month__lte=last
    ).values_list("scope", "month", "people_in_hospital"):
        parts = out[scope].get(month)
        if parts is not None:
            parts.people_in_hospital = people
    # Bed days, summed from the wards of each scope.
    members: dict[str, list[int]] = {s: ward_ids_of(organisation, s) for s in scopes}
    by_ward: dict[tuple[int, dt.date], int] = {
        (w, m): n
        for w, m, n in OccupiedBedDays.objects.filter(
            organisation=organisation, month__gte=first, month__lte=last
        ).values_list("ward_id", "month", "bed_days")
    }
    for scope, ward_ids in members.items():
        for month, parts in out[scope].items():
            values = [by_ward[(w, month)] for w in ward_ids if (w, month) in by_ward]
            parts.bed_days = sum(values)
            parts.has_bed_days = bool(values) and parts.bed_days > 0
    return out


@dataclass(frozen=True)
class MeasurePoint:
    month: dt.date
    numerator: float
    denominator: float
    value: float | None  # exact
    shown: float | int | str | None  # as published to this reader


def series(
    measure: Measure,
    parts_by_month: Mapping[dt.date, Parts],
    rule: disclosure.SuppressionRule | None,
) -> list[MeasurePoint]:
    points = []
    for month in sorted(parts_by_month):
        parts = parts_by_month[month]
        numerator, denominator, value = measure.compute(parts)
        points.append(
            MeasurePoint(month, numerator, denominator, value, published(measure, parts, rule))
        )
    return points


def by_level(
    organisation: Any,
    measure: Measure,
    level: Level,
    months: Sequence[dt.date],
    rule: disclosure.SuppressionRule | None,
) -> list[tuple[Scope, list[MeasurePoint]]]:
    scopes = scopes_for(organisation, level)
    parts = monthly_parts(organisation, [s.key for s in scopes], months)
    return [(scope, series(measure, parts[scope.key], rule)) for scope in scopes]
