"""What the organisation and ward dashboards, their CSV downloads and the analytics API show:
filters, SPC series of the key rates with their icons, the summary table a board reads first,
and the breakdowns. Views and API endpoints are thin wrappers around this module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Final
from urllib.parse import urlencode

from django.utils import timezone

from rrp.analytics import breakdowns as bd
from rrp.analytics import categories as cat
from rrp.analytics import charts, disclosure, icons, measures, spc
from rrp.analytics.models import (
    SCOPE_ORG,
    ChangePoint,
    InterventionFact,
    MeasureTarget,
    MonthlyBreakdown,
    MonthlyMeasure,
    scope_service,
    scope_site,
    scope_ward,
)
from rrp.analytics.summaries import bring_up_to_date, local_zone
from rrp.organisations.models import OccupiedBedDays, ServiceType, Site, Ward
from rrp.organisations.roles import CLINICAL

DEFAULT_MONTHS: Final = 24
MAX_MONTHS: Final = 60
# The treating team sees exact figures; everyone else (board, auditor, administrators) sees
# them under the disclosure rule, as do all exports.
TREATING_TEAM: Final = CLINICAL

SUMMARY_MEASURES: Final = (
    "MHS96", "incidents_rate", "MHS76", "MHS97", "prone_rate", "prone_share",
    "rapid_tranquillisation_rate", "mechanical_rate", "seclusion_rate", "segregation_rate",
    "MHS98", "MHS137", "MHS146", "MHS147",
)
SPC_MEASURES: Final = ("MHS96", "incidents_rate", "prone_rate")
# With a type of intervention chosen, the summary and the SPC charts are about that type only
# (the other measures count every type).
TYPE_MEASURES: Final[Mapping[str, tuple[str, ...]]] = {
    "physical": ("physical_rate", "prone_rate", "prone_share"),
    "prone": ("prone_rate", "prone_share"),
    "mechanical": ("mechanical_rate",),
    "chemical": ("chemical_rate", "rapid_tranquillisation_rate"),
    "rapid_tranquillisation": ("rapid_tranquillisation_rate",),
    "seclusion": ("seclusion_rate", "MHS146"),
    "segregation": ("segregation_rate", "MHS147"),
}
# The characteristics drawn as charts (the others are tables under "other characteristics").
CHARTED_CHARACTERISTICS: Final = frozenset({"eth_group", "age_band", "sex", "religion",
                                            "disability"})


def disclosure_rule_for(roles: frozenset[str] | set[str]) -> disclosure.SuppressionRule | None:
    """None (exact figures) for the treating team; the disclosure rule for anyone else."""
    if set(roles) & TREATING_TEAM:
        return None
    return measures.disclosure_rule()


# ---------------------------------------------------------------------------------------------
# Filters
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    first: dt.date
    last: dt.date
    scope: str
    scope_label: str
    ward: Ward | None
    type_filter: str | None

    @property
    def months(self) -> list[dt.date]:
        return cat.months_between(self.first, self.last)

    def query(self) -> dict[str, str]:
        """The filters as query parameters (for links and CSV downloads)."""
        out = {"from": f"{self.first:%Y-%m}", "to": f"{self.last:%Y-%m}"}
        if self.ward is None and self.scope != SCOPE_ORG:
            out["area"] = self.scope
        if self.type_filter:
            out["type"] = self.type_filter
        return out


@dataclass(frozen=True)
class AreaChoice:
    value: str
    label: str
    group: str


def area_choices(organisation: Any) -> list[AreaChoice]:
    """Where a dashboard can look: the organisation, a site, a service type or a ward."""
    choices = [AreaChoice(SCOPE_ORG, f"The whole organisation ({organisation.name})", "")]
    for site in Site.objects.filter(organisation=organisation).order_by("name"):
        choices.append(AreaChoice(scope_site(site.pk), site.name, "Sites"))
    labels = dict(ServiceType.choices)
    wards = list(Ward.objects.filter(organisation=organisation).order_by("name"))
    for service in sorted({w.service_type for w in wards}):
        choices.append(AreaChoice(scope_service(service), labels.get(service, service),
                                  "Service types"))
    for ward in wards:
        choices.append(AreaChoice(f"ward:{ward.code}", f"{ward.name} ({ward.code})", "Wards"))
    return choices


def last_complete_month(now: dt.datetime) -> dt.date:
    return cat.add_months(timezone.localtime(now, local_zone()).date().replace(day=1), -1)


def month_options(now: dt.datetime, count: int = MAX_MONTHS) -> list[dt.date]:
    last = cat.add_months(last_complete_month(now), 1)  # the current month may be chosen too
    return [cat.add_months(last, -n) for n in range(count)]


def _parse_month(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        year, month = text.split("-")
        return dt.date(int(year), int(month), 1)
    except ValueError:
        return None


def parse_filters(
    params: Mapping[str, str], organisation: Any, now: dt.datetime, ward: Ward | None = None
) -> tuple[Filters, list[dict[str, str]]]:
    """Filters from query parameters, with a plain-English problem for each one that is wrong
    (the dashboard then uses the default for it)."""
    problems: list[dict[str, str]] = []
    default_last = last_complete_month(now)
    latest_allowed = cat.add_months(default_last, 1)
    last = _parse_month(params.get("to")) if params.get("to") else default_last
    if last is None or last > latest_allowed:
        problems.append({"text": "The end month must be a month up to this one", "href": "#to"})
        last = default_last
    first = (
        _parse_month(params.get("from"))
        if params.get("from")
        else cat.add_months(last, -(DEFAULT_MONTHS - 1))
    )
    if first is None:
        problems.append({"text": "Choose a start month from the list", "href": "#from"})
        first = cat.add_months(last, -(DEFAULT_MONTHS - 1))
    if first > last:
        problems.append({"text": "The start month must be before the end month", "href": "#from"})
        first = cat.add_months(last, -(DEFAULT_MONTHS - 1))
    if len(cat.months_between(first, last)) > MAX_MONTHS:
        problems.append({"text": f"Choose a period of {MAX_MONTHS} months or less",
                         "href": "#from"})
        first = cat.add_months(last, -(MAX_MONTHS - 1))
    type_filter = params.get("type") or None
    if type_filter is not None and type_filter not in bd.TYPE_FILTERS:
        problems.append({"text": "Choose a type of intervention from the list", "href": "#type"})
        type_filter = None
    if ward is not None:
        return Filters(first, last, scope_ward(ward.pk), f"{ward.name} ({ward.code})", ward,
                       type_filter), problems
    area = params.get("area") or SCOPE_ORG
    choices = {c.value: c for c in area_choices(organisation)}
    if area not in choices:
        problems.append({"text": "Choose an area from the list", "href": "#area"})
        area = SCOPE_ORG
    label = choices[area].label if area != SCOPE_ORG else organisation.name
    return Filters(first, last, area, label, None, type_filter), problems


# ---------------------------------------------------------------------------------------------
# SPC
# ---------------------------------------------------------------------------------------------


@dataclass
class SpcSeries:
    """One measure's monthly XmR chart. `chart` is always judged on the exact figures, so the
    verdict (variation and assurance) is the same for every reader; `drawn` is what this
    reader's chart plots: the exact values for the treating team, the published ones (hidden
    months as gaps) for everyone else, who are not shown the mean or the limits
    (`limits_shown`): see spc_series."""

    measure: measures.Measure
    scope: str
    months: list[dt.date]
    points: list[measures.MeasurePoint]
    drawn: list[float | None]
    chart: spc.XmRChart
    rebase_months: list[dt.date]
    change_labels: list[str]
    target: float | None
    improvement: str
    limits_shown: bool = True

    @property
    def variation(self) -> icons.Icon:
        latest = self.latest
        if latest is None or latest.value is None:
            # The package's icon is the last point's type; with no figure for the last month
            # there is nothing to say, rather than "no significant change".
            return icons.no_figure_icon("No figure for the latest month")
        return icons.variation_icon(self.chart.variation, self.improvement)

    @property
    def assurance(self) -> icons.Icon:
        return icons.assurance_icon(self.chart.assurance, self.target is not None)

    @property
    def latest(self) -> measures.MeasurePoint | None:
        return self.points[-1] if self.points else None


def change_points_for(organisation: Any, scope: str) -> list[ChangePoint]:
    """Known changes that start a new baseline: organisation-wide ones everywhere, a ward's own
    on that ward's charts. Never found automatically (Making Data Count)."""
    points = ChangePoint.objects.filter(organisation=organisation, ward__isnull=True)
    if scope.startswith("ward:"):
        points = ChangePoint.objects.filter(organisation=organisation).filter(
            ward_id__in=[int(scope.split(":")[1])]
        ) | points
    return list(points.order_by("month"))


def target_for(organisation: Any, measure_id: str, scope: str) -> float | None:
    found = MeasureTarget.objects.filter(organisation=organisation, measure=measure_id)
    exact = found.filter(scope=scope).first()
    if exact is not None:
        return exact.value
    return None


def spc_series(
    measure: measures.Measure,
    scope: str,
    parts_by_month: Mapping[dt.date, measures.Parts],
    rule: disclosure.SuppressionRule | None,
    change_points: Sequence[ChangePoint],
    *,
    improvement: str | None = None,
    target: float | None = None,
) -> SpcSeries:
    """The measure's monthly series as an XmR chart, judged on the exact figures whoever reads
    it (issue 10: one verdict for everyone; ADR 8). Outside the treating team the chart plots
    the published figures, hidden months left as gaps, and shows the verdict (each month's
    variation and the icons: categories, not numbers) but not the mean or the process limits:
    those are worked out from the exact figures, and a mean over 24 months beside one over 23
    would give the exact figure of the month between them, however small."""
    points = measures.series(measure, parts_by_month, rule)
    months = [p.month for p in points]
    drawn: list[float | None] = []
    for p in points:
        if rule is None:
            drawn.append(p.value)  # the treating team's chart: exact values
        else:
            shown = p.shown
            drawn.append(float(shown) if isinstance(shown, int | float) else None)
    rebase_at, rebase_months, labels = _rebases(months, change_points)
    direction = improvement or measure.improvement
    chart = spc.xmr([p.value for p in points], improvement=direction, target=target,
                    rebase_at=rebase_at)
    return SpcSeries(measure, scope, months, points, drawn, chart, rebase_months, labels, target,
                     direction, limits_shown=rule is None)


def _rebases(
    months: Sequence[dt.date], change_points: Sequence[ChangePoint]
) -> tuple[list[int], list[dt.date], list[str]]:
    """Where the known changes start new baselines: indexes, months and labels."""
    rebase_at: list[int] = []
    rebase_months: list[dt.date] = []
    labels: list[str] = []
    for change in change_points:
        index = next((i for i, m in enumerate(months) if m >= change.month), None)
        if index is not None and index > 0 and index not in rebase_at:
            rebase_at.append(index)
            rebase_months.append(months[index])
            labels.append(f"{change.label} ({change.month:%B %Y})")
    return rebase_at, rebase_months, labels


def change_effect_series(
    measure: measures.Measure,
    scope: str,
    parts_by_month: Mapping[dt.date, measures.Parts],
    rule: disclosure.SuppressionRule | None,
    change_points: Sequence[ChangePoint],
) -> SpcSeries | None:
    """Did a known change work? The months after the latest change judged against limits fixed
    on the months before it (at least 12, as Making Data Count asks of a baseline), so a
    sustained fall shows as special-cause improvement. None without such a change."""
    plain = spc_series(measure, scope, parts_by_month, rule, ())
    for change in reversed(list(change_points)):
        index = next((i for i, m in enumerate(plain.months) if m >= change.month), None)
        if index is None or index < spc.MIN_GROUP_POINTS or index >= len(plain.months):
            continue
        chart = spc.xmr([p.value for p in plain.points], improvement=plain.improvement,
                        fix_after_n_points=index)
        return SpcSeries(
            measure, scope, plain.months, plain.points, plain.drawn, chart, [plain.months[index]],
            [f"{change.label} ({change.month:%B %Y})"], None, plain.improvement,
            limits_shown=plain.limits_shown,
        )
    return None


def spc_rows(series: SpcSeries) -> list[charts.SpcRow]:
    """The chart's rows as this reader may see them: no mean or limits unless they are shown."""
    shown = series.limits_shown
    return [
        charts.SpcRow(
            month=f"{month:%Y-%m}",
            value=series.drawn[i],
            shown="" if point.shown is None else str(point.shown),
            mean=series.chart.points[i].mean if shown else None,
            lpl=series.chart.points[i].lpl if shown else None,
            upl=series.chart.points[i].upl if shown else None,
            point_type=series.chart.points[i].point_type,
            group=series.chart.points[i].group,
        )
        for i, (month, point) in enumerate(zip(series.months, series.points, strict=True))
    ]


def _hidden_note(series: SpcSeries) -> str:
    hidden = sum(1 for p in series.points if p.shown == "*")
    if hidden * 2 < len(series.points):
        return ""
    return (
        f" {hidden} of {len(series.points)} months have too few people or interventions to "
        "show outside the treating team, so this chart says little here: the organisation's "
        "and the service type's charts have the numbers to show."
    )


def _describe(series: SpcSeries) -> str:
    latest = series.latest
    if latest is None:
        return "No data."
    shown = latest.shown if latest.shown is not None else "no figure"
    if shown == disclosure.SUPPRESSED:
        shown = "too few to show"
    text = f"{latest.month:%B %Y}: {shown}. {series.variation.label}."
    if series.rebase_months:
        text += " New baseline from " + ", ".join(series.change_labels) + "."
    if series.chart.short_group_warning:
        what = "limits" if series.limits_shown else "variation"
        text += f" Fewer than 12 points since the last baseline: read the {what} with care."
    return text + _hidden_note(series)


def change_effect_chart(chart_id: str, series: SpcSeries) -> charts.Chart:
    after = series.months.index(series.rebase_months[0])
    improved = sum(
        1 for p in series.chart.points[after:] if p.point_type == "special_cause_improvement"
    )
    concern = sum(
        1 for p in series.chart.points[after:] if p.point_type == "special_cause_concern"
    )
    months_after = len(series.months) - after
    text = (
        f"Limits fixed on the {after} months before {series.change_labels[0]}. After it, "
        f"{improved} of {months_after} months show special-cause improvement"
        + (f" and {concern} special-cause concern" if concern else "")
        + " against that baseline."
        + _hidden_note(series)
    )
    chart = charts.spc_chart(
        chart_id,
        f"{series.measure.title}: since {series.change_labels[0]}",
        _unit(series.measure),
        spc_rows(series),
        description=text,
        rebase_months=[f"{m:%Y-%m}" for m in series.rebase_months],
        decimals=series.measure.decimals,
        show_limits=series.limits_shown,
        subtitle=measure_reference(series.measure),
    )
    return chart


def measure_reference(measure: measures.Measure) -> str:
    """Where a measure comes from, in words (its MHSDS id kept, to match NHS England's
    publication)."""
    if measure.national:
        return f"NHS England measure {measure.id}"
    return "Measure added by RRP"


def _unit(measure: measures.Measure) -> str:
    return {"rate": "per 1,000 occupied bed days", "percent": "%", "minutes": "minutes",
            "days": "days", "count": "", "ratio": "per incident"}[measure.unit] or measure.title


def spc_chart(chart_id: str, series: SpcSeries) -> charts.Chart:
    return charts.spc_chart(
        chart_id,
        series.measure.title,
        _unit(series.measure),
        spc_rows(series),
        description=_describe(series),
        target=series.target,
        rebase_months=[f"{m:%Y-%m}" for m in series.rebase_months],
        decimals=series.measure.decimals,
        show_limits=series.limits_shown,
        subtitle=measure_reference(series.measure),
    )


# ---------------------------------------------------------------------------------------------
# The dashboard
# ---------------------------------------------------------------------------------------------


@dataclass
class SummaryRow:
    measure: measures.Measure
    series: SpcSeries

    @property
    def latest_shown(self) -> str:
        latest = self.series.latest
        return "" if latest is None or latest.shown is None else str(latest.shown)

    @property
    def mean(self) -> str:
        """The latest mean, for the treating team only (outside it the mean is not shown:
        see spc_series)."""
        last = self.series.chart.points[-1] if self.series.chart.points else None
        if last is None or last.mean is None or not self.series.limits_shown:
            return ""
        return f"{last.mean:.{self.measure.decimals}f}"


@dataclass
class MonthToDate:
    month: dt.date
    interventions: str
    incidents: str
    prone: str
    overdue_duties: str
    refreshed_at: dt.datetime
    chosen: str = ""  # interventions of the chosen type, with a type filter


@dataclass
class Dashboard:
    organisation: Any
    filters: Filters
    rule: disclosure.SuppressionRule | None
    now: dt.datetime
    ward_ids: list[int] | None  # None: every ward of the organisation
    parts: dict[dt.date, measures.Parts]
    cells: bd.Cells
    change_points: list[ChangePoint]
    _series: dict[str, SpcSeries] = field(default_factory=dict)

    @property
    def exact(self) -> bool:
        return self.rule is None

    @property
    def summary_measures(self) -> tuple[str, ...]:
        """The measures the summary lists: every one, or those of the chosen type."""
        if self.filters.type_filter:
            return TYPE_MEASURES[self.filters.type_filter]
        return SUMMARY_MEASURES

    @cached_property
    def summary(self) -> list[SummaryRow]:
        out = []
        for measure_id in self.summary_measures:
            measure = measures.MEASURE_BY_ID[measure_id]
            out.append(SummaryRow(measure, self.series(measure)))
        return out

    @cached_property
    def targets(self) -> dict[str, float]:
        return {
            t.measure: t.value
            for t in MeasureTarget.objects.filter(organisation=self.organisation,
                                                  scope=self.filters.scope)
        }

    def series(self, measure: measures.Measure) -> SpcSeries:
        """The measure's SPC series (built once: the summary table and the charts share it)."""
        found = self._series.get(measure.id)
        if found is None:
            found = spc_series(
                measure, self.filters.scope, self.parts, self.rule, self.change_points,
                target=self.targets.get(measure.id),
            )
            self._series[measure.id] = found
        return found

    @cached_property
    def spc_charts(self) -> list[charts.Chart]:
        ids: list[str] = list(SPC_MEASURES)
        if self.filters.type_filter:
            ids = [m for m in self.summary_measures
                   if measures.MEASURE_BY_ID[m].unit == "rate"]
        out = []
        effect = change_effect_series(
            measures.MEASURE_BY_ID[ids[0]], self.filters.scope, self.parts, self.rule,
            self.change_points,
        )
        if effect is not None:
            out.append(change_effect_chart(f"change_{ids[0]}", effect))
        out.extend(
            spc_chart(f"spc_{measure_id}", self.series(measures.MEASURE_BY_ID[measure_id]))
            for measure_id in ids
        )
        return out

    # -- breakdowns ---------------------------------------------------------------------

    @cached_property
    def types(self) -> charts.Chart:
        table = bd.types_table(self.cells, self.rule)
        return charts.bar_chart(
            table, "interventions", "Interventions", highlight=[cat.PRONE],
            description="Interventions by type; prone restraint is highlighted in blue.",
        )

    @cached_property
    def prone(self) -> bd.ProneCallout:
        return bd.prone_callout(self.cells, self.rule)

    @cached_property
    def prone_shown(self) -> bool:
        """Whether the page has the prone restraint part: not when the type filter leaves
        prone restraint out (seclusion only, say)."""
        return cat.includes_prone(self.filters.type_filter)

    @cached_property
    def prone_detail(self) -> bd.ProneDetail:
        longest = max(
            (p.prone_minutes_max for p in self.parts.values() if p.prone_minutes_max is not None),
            default=None,
        )
        return bd.prone_detail(self.cells, longest, self.rule)

    @cached_property
    def recent_prone(self) -> RecentProne | None:
        """The latest prone restraints with why each was used, for the treating team only:
        the reason is free text from the record, which is never published, and a list of
        single restraints is the opposite of a disclosure-controlled figure. None for
        everyone else."""
        if not self.exact or not self.prone_shown:
            return None
        return recent_prone(self.organisation, self.filters.scope, self.ward_ids,
                            self.filters.months, self.prone_detail.count, limit=RECENT_PRONE)

    @cached_property
    def reasons(self) -> charts.Chart:
        return charts.bar_chart(
            bd.reasons_table(self.cells, self.rule), "incidents", "Incidents",
            description="Incidents by the reason force was used.",
        )

    @cached_property
    def time_of_day(self) -> charts.Chart:
        return charts.heatmap(
            bd.hour_weekday_table(self.cells, self.rule),
            description="Darker squares are hours when more interventions started.",
        )

    @cached_property
    def durations(self) -> charts.Chart:
        return charts.bar_chart(
            bd.durations_table(self.cells, self.rule), "interventions", "Interventions",
            description="Interventions by how long they lasted.",
        )

    @cached_property
    def harm(self) -> charts.Chart:
        return charts.bar_chart(
            bd.harm_table(self.cells, self.rule), "incidents", "Incidents",
            description="Incidents by the degree of harm to the patient.",
        )

    @cached_property
    def injuries(self) -> bd.Table:
        return bd.injuries_table(self.cells, self.rule)

    @cached_property
    def staff(self) -> charts.Chart:
        return charts.bar_chart(
            bd.staff_table(self.cells, self.rule), "incidents", "Incidents",
            description="Incidents by how many staff used force.",
        )

    @cached_property
    def training(self) -> bd.Table:
        """Restraints by the training of the staff who held (issue 13; standard 1.5.V)."""
        return bd.training_table(self.cells, self.rule)

    @cached_property
    def duty_statuses(self) -> dict[str, dict[str, int]]:
        return bd.duty_status_counts(
            self.organisation, self.ward_ids, self.filters.months, self.cells, self.now,
            self.filters.type_filter,
        )

    @cached_property
    def duties(self) -> bd.Table:
        return bd.duties_table(self.duty_statuses, self.rule)

    @cached_property
    def medical_review(self) -> bd.MedicalReviewHeadline | None:
        return bd.medical_review_headline(self.duty_statuses, self.rule)

    @cached_property
    def repeat_data(self) -> bd.RepeatIndividuals:
        return bd.repeat_individuals(
            bd.per_person(self.organisation, self.ward_ids, self.filters.months)
        )

    @cached_property
    def repeat(self) -> charts.Chart:
        return charts.bar_chart(
            bd.repeat_table(self.repeat_data, self.rule), "people", "People",
            description="People by how many times they were restrained in the period.",
        )

    @cached_property
    def people_by_group(self) -> dict[str, dict[str, int]]:
        return bd.people_by_group(self.organisation, self.ward_ids, self.filters.months)

    @cached_property
    def equality(self) -> list[bd.EqualityTable]:
        people = self.people_by_group
        return [
            bd.equality_table(ch, self.cells.get(ch.dimension, {}), people.get(ch.field, {}),
                              self.rule)
            for ch in cat.CHARACTERISTICS
        ]

    @cached_property
    def equality_higher(self) -> list[tuple[str, bd.EqualityGroup]]:
        """Groups of the charted characteristics with a clearly higher rate: what a board
        reads first."""
        return [
            (e.characteristic.label, g)
            for e in self.equality
            if e.characteristic.field in CHARTED_CHARACTERISTICS
            for g in e.flagged
            if g.flag == "higher"
        ]

    @cached_property
    def equality_other_flags(self) -> int:
        return sum(len(e.flagged) for e in self.equality) - len(self.equality_higher)

    @cached_property
    def equality_charts(self) -> list[charts.Chart]:
        charted = CHARTED_CHARACTERISTICS
        return [
            charts.forest_plot(
                e.table,
                description="Rate ratio of each group with its 95% confidence interval; the "
                "dashed line at 1 is everyone's rate.",
            )
            for e in self.equality
            if e.characteristic.field in charted and e.groups
        ]

    @cached_property
    def under_reporting(self) -> list[bd.UnderReporting]:
        return under_reporting(self.organisation, self.filters, self.ward_ids)

    @cached_property
    def month_to_date(self) -> MonthToDate | None:
        return month_to_date(self.organisation, self.ward_ids, self.filters.scope, self.rule,
                             self.now, self.filters.type_filter)

    def charts(self) -> list[charts.Chart]:
        """Every chart the page draws, in page order (what drawing ahead draws)."""
        return [*self.spc_charts, self.types, self.reasons, self.time_of_day, self.durations,
                self.harm, self.repeat, self.staff, *self.equality_charts]

    def name_places(self) -> None:
        """Give each chart its place (organisation, area, period, filters, audience), under
        which its latest drawing is kept for readers who come before the next one."""
        place = "|".join([
            str(self.organisation.pk), self.filters.scope,
            urlencode(sorted(self.filters.query().items())),
            "exact" if self.exact else "small numbers hidden",
        ])
        for chart in self.charts():
            chart.slot = f"{place}|{chart.id}"

    def charts_updating(self) -> bool:
        """Some chart on the page is not yet drawn from the current figures."""
        return any(not chart.picture.current for chart in self.charts())

    def tables(self) -> dict[str, bd.Table]:
        """Every table on the page by id: what the CSV download serves."""
        out: dict[str, bd.Table] = {}
        for chart in self.charts():
            out[chart.id] = chart.table
        out[self.injuries.id] = self.injuries
        out[self.training.id] = self.training
        out[self.duties.id] = self.duties
        if self.prone_shown:
            out[self.prone_detail.durations.id] = self.prone_detail.durations
            out[self.prone_detail.reasons.id] = self.prone_detail.reasons
        for e in self.equality:
            out[e.table.id] = e.table
        for row in self.summary:
            out.setdefault(f"spc_{row.measure.id}", spc_chart(f"spc_{row.measure.id}",
                                                              row.series).table)
        out["summary"] = summary_table(self.summary, with_mean=self.exact)
        return out


def summary_table(rows: Sequence[SummaryRow], *, with_mean: bool = True) -> bd.Table:
    columns = [("latest", "Latest month"), ("mean", "Mean"), ("variation", "Variation"),
               ("assurance", "Assurance")]
    return bd.Table(
        "summary",
        "Summary of measures",
        [c for c in columns if with_mean or c[0] != "mean"],
        [
            bd.Row(
                r.measure.id, r.measure.title, {},
                {"latest": r.latest_shown, "mean": r.mean, "variation": r.series.variation.label,
                 "assurance": r.series.assurance.label},
            )
            for r in rows
        ],
        "Measure",
    )


def build(
    organisation: Any,
    filters: Filters,
    roles: frozenset[str] | set[str],
    *,
    now: dt.datetime | None = None,
) -> Dashboard:
    """Catch up with every change, then read the summaries the dashboard is drawn from."""
    now = now or timezone.now()
    bring_up_to_date(organisation, now=now)
    ward_ids = None if filters.scope == SCOPE_ORG else measures.ward_ids_of(
        organisation, filters.scope)
    parts = measures.monthly_parts(organisation, [filters.scope], filters.months)[filters.scope]
    cells = bd.period_cells(organisation, filters.scope, filters.months, filters.type_filter)
    board = Dashboard(
        organisation, filters, disclosure_rule_for(roles), now, ward_ids, parts, cells,
        change_points_for(organisation, filters.scope),
    )
    board.name_places()
    return board


# ---------------------------------------------------------------------------------------------
# The latest prone restraints (treating team only)
# ---------------------------------------------------------------------------------------------

RECENT_PRONE: Final = 20


@dataclass(frozen=True)
class ProneRestraint:
    """One prone restraint as the treating team's list shows it: no patient is named."""

    incident_id: int
    reference: str
    started_at: dt.datetime
    ward: str
    minutes: float | None
    reason: str  # as typed; empty on records made before the question was asked


@dataclass(frozen=True)
class RecentProne:
    restraints: list[ProneRestraint]
    total: int  # every prone restraint in the period

    @property
    def more(self) -> int:
        return max(0, self.total - len(self.restraints))


def recent_prone(
    organisation: Any,
    scope: str,
    ward_ids: Sequence[int] | None,
    months: Sequence[dt.date],
    total: int,
    limit: int = RECENT_PRONE,
) -> RecentProne:
    """The `limit` most recent prone restraints that started in the period, latest first,
    read from the records (why prone was used is free text, never copied into the derived
    tables). Bounded at any size: the scope's monthly prone counts (summaries) say how many of
    the period's last months hold them, and only those months' facts are read for their ids."""
    from django.db.models import Subquery

    from rrp.incidents.models import Intervention

    if total <= 0:
        return RecentProne([], 0)
    first, last = min(months), max(months)
    per_month = dict(
        MonthlyBreakdown.objects.filter(
            organisation=organisation, scope=scope, dimension="type", key=cat.PRONE,
            month__gte=first, month__lte=last,
        ).values_list("month", "interventions")
    )
    since, found = last, 0
    for month in sorted(months, reverse=True):
        since, found = month, found + per_month.get(month, 0)
        if found >= limit:
            break
    ids = InterventionFact.objects.filter(
        bd.in_wards(ward_ids), organisation=organisation, month__gte=since, month__lte=last,
        type_code=cat.PRONE, first_month=True,
    ).values("intervention_id")
    rows = (
        Intervention.objects.filter(pk__in=Subquery(ids))
        .select_related("incident__ward")
        .order_by("-started_at", "-pk")[:limit]
    )
    # A submitted record always has its start (only a draft may lack one, and drafts have no
    # facts), hence the ignore on started_at.
    restraints = [
        ProneRestraint(
            incident_id=i.incident_id, reference=i.incident.reference,
            started_at=i.started_at, ward=i.incident.ward.name,  # type: ignore[arg-type]
            minutes=i.duration_minutes, reason=i.prone_reason.strip(),
        )
        for i in rows
    ]
    return RecentProne(restraints, total)


def prone_list_query(filters: Filters) -> dict[str, str]:
    """The uses of force list's filters for the prone restraints of the period (its own
    parameters: type, first and last day, and the ward on a ward's dashboard; the list has no
    site or service type filter)."""
    last_day = cat.next_month(filters.last) - dt.timedelta(days=1)
    query = {"type": cat.PRONE, "start": filters.first.isoformat(), "end": last_day.isoformat()}
    if filters.ward is not None:
        query["ward"] = filters.ward.code
    return query


# ---------------------------------------------------------------------------------------------
# Under-reporting and the month so far
# ---------------------------------------------------------------------------------------------


def under_reporting(
    organisation: Any, filters: Filters, ward_ids: Sequence[int] | None
) -> list[bd.UnderReporting]:
    wards = list(
        Ward.objects.filter(organisation=organisation).values_list("id", "name", "service_type")
    )
    first_history = cat.add_months(filters.first, -12)
    counts = {
        (int(scope.split(":")[1]), month): interventions
        for scope, month, interventions in MonthlyMeasure.objects.filter(
            organisation=organisation, scope__startswith="ward:", month__gte=first_history,
            month__lte=filters.last,
        ).values_list("scope", "month", "interventions")
    }
    bed_days = {
        (w, m): n
        for w, m, n in OccupiedBedDays.objects.filter(
            organisation=organisation, month__gte=first_history, month__lte=filters.last
        ).values_list("ward_id", "month", "bed_days")
    }
    ward_months = {
        key: (counts.get(key, 0), days) for key, days in bed_days.items()
    }
    history: dict[int, tuple[int, int]] = {}
    for ward_id, _, _ in wards:
        before = [
            ward_months.get((ward_id, m), (0, 0))
            for m in cat.months_between(first_history, cat.add_months(filters.first, -1))
        ]
        history[ward_id] = (sum(e for e, _ in before), sum(d for _, d in before))
    return bd.under_reporting(wards, ward_months, filters.months, history, only=ward_ids)


def month_to_date(
    organisation: Any,
    ward_ids: Sequence[int] | None,
    scope: str,
    rule: disclosure.SuppressionRule | None,
    now: dt.datetime,
    type_filter: str | None = None,
) -> MonthToDate:
    """This month so far: updated by every submitted record (near real time, 1.4.IV). With a
    type chosen, its interventions too (the monthly summary counts each type filter under
    the filter's own name)."""
    from django.db.models import Count, Q

    from rrp.analytics.models import DutyFact

    month = timezone.localtime(now, local_zone()).date().replace(day=1)
    row = MonthlyMeasure.objects.filter(organisation=organisation, scope=scope, month=month).first()
    interventions = incidents = prone = chosen = 0
    if row is not None:
        interventions, incidents, prone = row.interventions, row.incidents, row.prone
        chosen = getattr(row, type_filter) if type_filter else 0
    overdue = DutyFact.objects.filter(
        bd.in_wards(ward_ids), organisation=organisation, status=DutyFact.OPEN
    ).aggregate(n=Count("id", filter=Q(due_at__lt=now)))["n"]
    from rrp.analytics.models import SummaryState

    state = SummaryState.objects.filter(organisation=organisation).first()

    def show(n: int) -> str:
        return str(n) if rule is None else str(disclosure.suppress_count(n, rule))

    return MonthToDate(
        month, show(interventions), show(incidents), show(prone), show(overdue or 0),
        state.refreshed_at if state else now, show(chosen) if type_filter else "",
    )
