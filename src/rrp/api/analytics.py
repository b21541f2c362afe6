"""The numbers behind the dashboards' charts: the MHSDS measures by month and level, and the SPC
series of one measure for one area.

Read-only and aggregate. The same disclosure rule as the pages applies: exact figures for a
token of someone in the treating team, published figures (small numbers hidden, counts rounded)
for anyone else, and the response says which (`disclosure.applied`).

    GET /api/v1/measures?measure=MHS96&level=ward&from=2025-01&to=2026-10
    GET /api/v1/spc?measure=MHS96&ward=OAK&improvement=decrease
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.errors import ValidationError as SchemaValidationError

from rrp.analytics import categories as cat
from rrp.analytics import dashboard, measures
from rrp.analytics.models import SCOPE_ORG, scope_service, scope_site, scope_ward
from rrp.analytics.summaries import bring_up_to_date
from rrp.api.permissions import require
from rrp.core.scoping import get_in_organisation
from rrp.organisations.models import ServiceType, Site, Ward

router = Router(tags=["analytics"])
VIEW = "analytics.view_dashboard"
Value = float | str | None


class MeasureOut(Schema):
    id: str
    title: str
    unit: str
    improvement: str
    national: bool


class ScopeOut(Schema):
    level: str
    code: str  # ward code, site id, service type, or the ODS code for the organisation
    name: str


class DisclosureOut(Schema):
    applied: bool
    rule: str | None
    symbol: str | None


class MeasurePointOut(Schema):
    month: str
    value: Value  # a number, the rule's symbol ("*") when suppressed, or null when undefined
    numerator: float | None  # null when disclosure applies
    denominator: float | None


class MeasureSeriesOut(Schema):
    scope: ScopeOut
    points: list[MeasurePointOut]


class MeasuresOut(Schema):
    measure: MeasureOut
    level: str
    first_month: str
    last_month: str
    disclosure: DisclosureOut
    series: list[MeasureSeriesOut]


class SpcPointOut(Schema):
    month: str
    value: float | None  # the value charted (null: suppressed or undefined)
    shown: Value
    # The mean and limits are worked out from the exact figures: null when disclosure applies
    # (with them, two periods a month apart would give a hidden month's exact figure).
    mean: float | None
    lower_limit: float | None
    upper_limit: float | None
    near_lower_limit: float | None
    near_upper_limit: float | None
    point_type: str
    rule: str | None
    group: int


class ChangePointOut(Schema):
    month: str
    label: str


class SpcOut(Schema):
    measure: MeasureOut
    scope: ScopeOut
    improvement: str
    target: float | None
    disclosure: DisclosureOut
    rebase_at: list[str]
    change_points: list[ChangePointOut]
    variation: str | None
    variation_label: str
    assurance: str | None
    assurance_label: str
    short_group_warning: bool
    points: list[SpcPointOut]


def _problem(field: str, message: str) -> SchemaValidationError:
    return SchemaValidationError([{"loc": ["query", field], "msg": message}])


def _measure(measure_id: str) -> measures.Measure:
    found = measures.MEASURE_BY_ID.get(measure_id)
    if found is None:
        raise _problem(
            "measure", f"'{measure_id}' is not a measure: use one of "
            + ", ".join(m.id for m in measures.MEASURES),
        )
    return found


def _months(first: str | None, last: str | None, now: dt.datetime) -> list[dt.date]:
    default_last = dashboard.last_complete_month(now)
    try:
        end = dashboard._parse_month(last) if last else default_last
    except ValueError:
        end = None
    if end is None:
        raise _problem("to", "The end month must be written YYYY-MM, like 2026-10")
    start = dashboard._parse_month(first) if first else cat.add_months(end, -23)
    if start is None:
        raise _problem("from", "The start month must be written YYYY-MM, like 2025-01")
    if start > end:
        raise _problem("from", "The start month must not be after the end month")
    months = cat.months_between(start, end)
    if len(months) > dashboard.MAX_MONTHS:
        raise _problem("from", f"Ask for {dashboard.MAX_MONTHS} months or fewer")
    return months


def _disclosure(rule: Any) -> DisclosureOut:
    if rule is None:
        return DisclosureOut(applied=False, rule=None, symbol=None)
    return DisclosureOut(applied=True, rule=rule.name, symbol=rule.symbol)


def _measure_out(measure: measures.Measure) -> MeasureOut:
    return MeasureOut(id=measure.id, title=measure.title, unit=measure.unit,
                      improvement=measure.improvement, national=measure.national)


def _scope_out(organisation: Any, scope: str, label: str) -> ScopeOut:
    if scope == SCOPE_ORG:
        return ScopeOut(level="organisation", code=organisation.ods_code, name=organisation.name)
    kind, _, value = scope.partition(":")
    if kind == "ward":
        ward = Ward.objects.get(pk=int(value))
        return ScopeOut(level="ward", code=ward.code, name=ward.name)
    if kind == "site":
        return ScopeOut(level="site", code=value, name=label)
    return ScopeOut(level="service_type", code=value, name=label)


@router.get("/measures", response=MeasuresOut)
def measures_by_month(
    request: HttpRequest,
    measure: str,
    level: Literal["organisation", "site", "service_type", "ward"] = "organisation",
    first: str | None = Query(None, alias="from"),  # type: ignore[assignment]
    last: str | None = Query(None, alias="to"),  # type: ignore[assignment]
) -> MeasuresOut:
    """One MHSDS (or local) measure by month for every area of one level."""
    require(request, VIEW)
    organisation = request.organisation  # type: ignore[attr-defined]
    now = timezone.now()
    found = _measure(measure)
    months = _months(first, last, now)
    bring_up_to_date(organisation, now=now)
    rule = dashboard.disclosure_rule_for(request.roles)  # type: ignore[attr-defined]
    series = []
    for scope, points in measures.by_level(organisation, found, level, months, rule):
        series.append(
            MeasureSeriesOut(
                scope=_scope_out(organisation, scope.key, scope.label),
                points=[
                    MeasurePointOut(
                        month=f"{p.month:%Y-%m}",
                        value=p.shown,
                        numerator=p.numerator if rule is None else None,
                        denominator=p.denominator if rule is None else None,
                    )
                    for p in points
                ],
            )
        )
    return MeasuresOut(
        measure=_measure_out(found), level=level, first_month=f"{months[0]:%Y-%m}",
        last_month=f"{months[-1]:%Y-%m}", disclosure=_disclosure(rule), series=series,
    )


@router.get("/spc", response=SpcOut)
def spc_series(
    request: HttpRequest,
    measure: str,
    ward: str | None = None,
    site: int | None = None,
    service_type: str | None = None,
    improvement: Literal["increase", "decrease", "neutral"] | None = None,
    target: float | None = None,
    first: str | None = Query(None, alias="from"),  # type: ignore[assignment]
    last: str | None = Query(None, alias="to"),  # type: ignore[assignment]
) -> SpcOut:
    """The XmR chart of one measure for the organisation, a site, a service type or a ward,
    exactly as the dashboard draws it (Making Data Count rules, rebased at known changes).
    The verdict (variation, assurance, each point's type) is judged on the exact figures for
    every reader; when disclosure applies the values are the published ones and the mean and
    limits are null."""
    require(request, VIEW)
    organisation = request.organisation  # type: ignore[attr-defined]
    now = timezone.now()
    found = _measure(measure)
    months = _months(first, last, now)
    chosen = [name for name, v in (("ward", ward), ("site", site),
                                   ("service_type", service_type)) if v is not None]
    if len(chosen) > 1:
        raise _problem(chosen[1], "Choose one of ward, site or service_type")
    scope, label = SCOPE_ORG, organisation.name
    if ward is not None:
        found_ward = get_in_organisation(Ward.objects.all(), organisation, code=ward)
        scope, label = scope_ward(found_ward.pk), found_ward.name
    elif site is not None:
        found_site = get_in_organisation(Site.objects.all(), organisation, pk=site)
        scope, label = scope_site(found_site.pk), found_site.name
    elif service_type is not None:
        if service_type not in ServiceType.values:
            raise _problem("service_type", "Use one of " + ", ".join(ServiceType.values))
        scope, label = scope_service(service_type), ServiceType(service_type).label
    bring_up_to_date(organisation, now=now)
    rule = dashboard.disclosure_rule_for(request.roles)  # type: ignore[attr-defined]
    parts = measures.monthly_parts(organisation, [scope], months)[scope]
    changes = dashboard.change_points_for(organisation, scope)
    series = dashboard.spc_series(
        found, scope, parts, rule, changes, improvement=improvement,
        target=target if target is not None else dashboard.target_for(organisation, found.id,
                                                                       scope),
    )
    chart = series.chart
    limits = series.limits_shown
    return SpcOut(
        measure=_measure_out(found),
        scope=_scope_out(organisation, scope, label),
        improvement=series.improvement,
        target=series.target,
        disclosure=_disclosure(rule),
        rebase_at=[f"{m:%Y-%m}" for m in series.rebase_months],
        change_points=[ChangePointOut(month=f"{c.month:%Y-%m}", label=c.label) for c in changes],
        variation=chart.variation,
        variation_label=series.variation.label,
        assurance=chart.assurance,
        assurance_label=series.assurance.label,
        short_group_warning=chart.short_group_warning,
        points=[
            SpcPointOut(
                month=f"{month:%Y-%m}",
                value=drawn,
                shown=shown.shown,
                mean=point.mean if limits else None,
                lower_limit=point.lpl if limits else None,
                upper_limit=point.upl if limits else None,
                near_lower_limit=point.near_lpl if limits else None,
                near_upper_limit=point.near_upl if limits else None,
                point_type=point.point_type,
                rule=point.rule,
                group=point.group,
            )
            for month, point, shown, drawn in zip(series.months, chart.points, series.points,
                                                  series.drawn, strict=True)
        ],
    )
