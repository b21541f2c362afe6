"""Charts: one Vega-Lite spec each, rendered to SVG on the server with vl-convert and inlined in
the page (no script, nothing fetched by the browser), always beside a data table and a CSV of
exactly the rows the chart draws.

Rendering costs tens of milliseconds a chart, so the SVG is kept in the "charts" cache (files
beside the database, shared by every process) under a hash of the spec: a chart is drawn again
only when its numbers (or design) change. After a change, rrp.analytics.drawing_ahead draws the
dashboards' new charts in the background, so readers seldom wait for one.

The strict Content Security Policy allows no inline `style` attributes, so any that vl-convert
writes are turned into SVG presentation attributes (`style="fill: red"` -> `fill="red"`), and
the SVG is given `role="img"` and a name: the table beside it carries the numbers.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Final

from django.core.cache import caches

from rrp.analytics.breakdowns import Row, Table

FONT: Final = "Arial, Helvetica, sans-serif"
NHS_BLUE: Final = "#005EB8"
NHS_DARK_GREY: Final = "#425563"
NHS_MID_GREY: Final = "#768692"
NHS_PALE_GREY: Final = "#E8EDEE"
TEXT: Final = "#212B32"
# Making Data Count colours: improvement blue, concern orange, neutral purple, common grey.
POINT_COLOURS: Final = {
    "common_cause": "#768692",
    "special_cause_improvement": "#41B6E6",
    "special_cause_concern": "#ED8B00",
    "special_cause_neutral_high": "#330072",
    "special_cause_neutral_low": "#330072",
}
POINT_LABELS: Final = {
    "common_cause": "Common cause",
    "special_cause_improvement": "Special cause: improvement",
    "special_cause_concern": "Special cause: concern",
    "special_cause_neutral_high": "Special cause: higher",
    "special_cause_neutral_low": "Special cause: lower",
}
POINT_SHAPES: Final = {
    "common_cause": "circle",
    "special_cause_improvement": "diamond",
    "special_cause_concern": "square",
    "special_cause_neutral_high": "triangle-up",
    "special_cause_neutral_low": "triangle-down",
}
WIDTH: Final = 640

_BASE_CONFIG: Final[dict[str, Any]] = {
    # The chart is one image with a name; its numbers are in the table beside it. Vega's own
    # ARIA roles on every mark would make each a separate, unnamed image to a screen reader.
    "aria": False,
    "font": FONT,
    "background": "white",
    "view": {"stroke": None},
    "axis": {
        "labelColor": TEXT, "titleColor": TEXT, "labelFontSize": 12, "titleFontSize": 12,
        "gridColor": NHS_PALE_GREY, "domainColor": NHS_MID_GREY, "tickColor": NHS_MID_GREY,
        "titleFontWeight": "normal",
    },
    "legend": {"labelColor": TEXT, "titleColor": TEXT, "labelFontSize": 12, "titleFontSize": 12,
               "orient": "bottom", "titleFontWeight": "normal"},
    "title": {"color": TEXT, "fontSize": 14, "anchor": "start", "fontWeight": "normal"},
}


@dataclass
class Chart:
    """A chart, its table and its CSV: `table.rows` are what `spec` draws."""

    id: str
    title: str
    description: str
    spec: dict[str, Any]
    table: Table
    extra_csv_columns: Sequence[tuple[str, str]] = field(default_factory=tuple)

    @cached_property
    def svg(self) -> str:
        return render_svg(self.spec, self.title, self.description)

    def csv_text(self) -> str:
        return table_csv(self.table)


def table_csv(table: Table) -> str:
    """The table as CSV: the category column and every column, as shown (suppressed cells
    as the rule's symbol)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([table.label_heading, *(heading for _, heading in table.columns)])
    for row in [*table.rows, *([table.total] if table.total else [])]:
        writer.writerow([row.label, *(row.shown.get(key, "") for key, _ in table.columns)])
    return out.getvalue()


# -- rendering ------------------------------------------------------------------------------

_STYLE_ATTRIBUTE = re.compile(r'\sstyle="([^"]*)"')


def _style_to_attributes(match: re.Match[str]) -> str:
    parts = []
    for declaration in html.unescape(match.group(1)).split(";"):
        name, _, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        if name and value and re.fullmatch(r"[a-z-]+", name):
            parts.append(f' {name}="{html.escape(value, quote=True)}"')
    return "".join(parts)


_ARIA_ATTRIBUTE = re.compile(r'\s(?:role|aria-[a-z]+)="[^"]*"')


def make_csp_safe(svg: str) -> str:
    """SVG with every `style` attribute turned into presentation attributes, and no ARIA
    attributes inside it (the whole SVG gets one role and name, see _accessible)."""
    return _ARIA_ATTRIBUTE.sub("", _STYLE_ATTRIBUTE.sub(_style_to_attributes, svg))


def _accessible(svg: str, title: str, description: str) -> str:
    label = html.escape(f"{title}. {description}", quote=True)
    return svg.replace(
        "<svg ", f'<svg role="img" aria-label="{label}" focusable="false" class="rrp-chart__svg" ',
        1,
    )


def render_svg(spec: dict[str, Any], title: str, description: str) -> str:
    body = json.dumps(spec, sort_keys=True, default=str)
    key = "rrp-chart:" + hashlib.sha256(body.encode()).hexdigest()
    store = caches["charts"]
    svg = store.get(key)
    if svg is None:
        import vl_convert

        svg = make_csp_safe(vl_convert.vegalite_to_svg(json.loads(body)))
        store.set(key, svg)
    return _accessible(svg, title, description)


def _spec(title: str, height: int, **rest: Any) -> dict[str, Any]:
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": title,
        "width": WIDTH,
        "height": height,
        "config": _BASE_CONFIG,
        "padding": 8,
        **rest,
    }


def _data(rows: Sequence[Row], columns: Sequence[str]) -> list[dict[str, Any]]:
    return [
        {"key": r.key, "label": r.label, **{c: r.values.get(c) for c in columns}} for r in rows
    ]


# -- chart builders -------------------------------------------------------------------------


def bar_chart(
    table: Table,
    measure: str,
    measure_label: str,
    *,
    description: str,
    highlight: Sequence[str] = (),
    chart_id: str | None = None,
) -> Chart:
    """Horizontal bars, one per row, in the table's order. `highlight` rows are drawn in NHS
    blue and the rest in grey (e.g. prone restraint called out among the types)."""
    rows = list(table.rows)
    data = _data(rows, [measure])
    for item in data:
        item["highlight"] = item["key"] in highlight
    colour: dict[str, Any] = {"value": NHS_BLUE}
    if highlight:
        colour = {
            "field": "highlight", "type": "nominal", "legend": None,
            "scale": {"domain": [True, False], "range": [NHS_BLUE, NHS_MID_GREY]},
        }
    height = max(60, 26 * len(rows))
    spec = _spec(
        table.title,
        height,
        data={"values": data},
        layer=[
            {
                "mark": {"type": "bar", "height": 18},
                "encoding": {
                    "y": {"field": "label", "type": "nominal", "sort": None, "title": None,
                          "axis": {"labelLimit": 340}},
                    "x": {"field": measure, "type": "quantitative", "title": measure_label,
                          "axis": {"tickCount": 6, "format": ",d"}},
                    "color": colour,
                },
            },
            {
                "mark": {"type": "text", "align": "left", "dx": 4, "color": TEXT, "fontSize": 12},
                "encoding": {
                    "y": {"field": "label", "type": "nominal", "sort": None},
                    "x": {"field": measure, "type": "quantitative"},
                    "text": {"field": measure, "type": "quantitative", "format": ",.0f"},
                },
            },
        ],
    )
    return Chart(chart_id or table.id, table.title, description, spec, table)


def heatmap(table: Table, *, description: str) -> Chart:
    """Hours (rows) by weekdays (columns), darker where more interventions started."""
    data = []
    for row in table.rows:
        for key, heading in table.columns:
            data.append({"hour": row.label[:5], "day": heading, "value": row.values.get(key)})
    spec = _spec(
        table.title,
        24 * 16,
        data={"values": data},
        mark={"type": "rect", "stroke": "white", "strokeWidth": 1},
        encoding={
            "x": {"field": "day", "type": "ordinal", "sort": [h for _, h in table.columns],
                  "title": None, "axis": {"orient": "top", "labelAngle": 0}},
            "y": {"field": "hour", "type": "ordinal", "title": "Time started", "sort": None},
            "color": {
                "field": "value", "type": "quantitative", "title": "Interventions",
                "scale": {"scheme": "blues"},
                "legend": {"orient": "bottom", "direction": "horizontal", "gradientLength": 240},
            },
        },
    )
    spec["width"] = 420
    return Chart(table.id, table.title, description, spec, table)


def forest_plot(table: Table, *, description: str) -> Chart:
    """Rate ratios with their 95% intervals, a line at 1 (the whole population's rate)."""
    data: list[dict[str, Any]] = [
        {
            "label": r.label,
            "ratio": r.values.get("ratio"),
            "lower": r.values.get("lower"),
            "upper": r.values.get("upper"),
            "flag": r.shown.get("flag") or "No clear difference",
        }
        for r in table.rows
    ]
    finite = [d["upper"] for d in data if d["upper"] is not None]
    top = max([2.0, *[min(u, 10.0) for u in finite], *[d["ratio"] or 0 for d in data]])
    for item in data:
        if item["upper"] is not None and item["upper"] > top:
            item["upper"] = top
        if item["ratio"] is not None and item["upper"] is None:
            item["upper"] = top
    height = max(60, 28 * len(data))
    y = {"field": "label", "type": "nominal", "sort": None, "title": None,
         "axis": {"labelLimit": 280}}
    colour = {
        "field": "flag", "type": "nominal", "title": "Compared with everyone",
        "scale": {
            "domain": ["Higher than everyone", "Lower than everyone", "No clear difference"],
            "range": ["#ED8B00", "#41B6E6", NHS_DARK_GREY],
        },
    }
    spec = _spec(
        table.title,
        height,
        data={"values": data},
        layer=[
            {"mark": {"type": "rule", "color": NHS_MID_GREY, "strokeDash": [4, 3]},
             "encoding": {"x": {"datum": 1}}},
            {"mark": {"type": "rule", "strokeWidth": 2},
             "encoding": {"y": y, "x": {"field": "lower", "type": "quantitative",
                                        "title": "Rate ratio (1 = the whole population's rate)",
                                        "scale": {"domain": [0, top]},
                                        "axis": {"tickCount": 8}},
                          "x2": {"field": "upper"}, "color": colour}},
            {"mark": {"type": "point", "filled": True, "size": 70, "shape": "diamond"},
             "encoding": {"y": y, "x": {"field": "ratio", "type": "quantitative"},
                          "color": colour}},
        ],
    )
    return Chart(table.id, table.title, description, spec, table)


@dataclass(frozen=True)
class SpcRow:
    month: str  # YYYY-MM
    value: float | None
    shown: str
    mean: float | None
    lpl: float | None
    upl: float | None
    point_type: str
    group: int


def spc_chart(
    chart_id: str,
    title: str,
    y_title: str,
    rows: Sequence[SpcRow],
    *,
    description: str,
    target: float | None = None,
    rebase_months: Sequence[str] = (),
    decimals: int = 1,
) -> Chart:
    """An XmR chart as Making Data Count draws it: the values joined by a line, each point
    coloured by its variation, the mean solid and the process limits dashed, recalculated
    from each rebase (shown by a vertical line), and the target, if any, in red."""
    data = [
        {
            "month": f"{r.month}-01",
            "value": r.value,
            "mean": r.mean,
            "lpl": r.lpl,
            "upl": r.upl,
            "variation": POINT_LABELS[r.point_type],
            "group": r.group,
        }
        for r in rows
    ]
    x = {"field": "month", "type": "temporal", "title": None,
         "axis": {"format": "%b %y", "labelAngle": -40, "tickCount": {"interval": "month",
                                                                     "step": 2}}}
    layers: list[dict[str, Any]] = [
        {"mark": {"type": "line", "color": NHS_DARK_GREY, "strokeWidth": 1.5},
         "encoding": {"x": x, "y": {"field": "value", "type": "quantitative",
                                    "title": y_title}}},
        {"mark": {"type": "line", "color": TEXT, "strokeWidth": 1.5, "interpolate": "step-after"},
         "encoding": {"x": x, "y": {"field": "mean", "type": "quantitative"},
                      "detail": {"field": "group"}}},
        {"mark": {"type": "line", "color": NHS_MID_GREY, "strokeDash": [6, 4],
                  "interpolate": "step-after"},
         "encoding": {"x": x, "y": {"field": "upl", "type": "quantitative"},
                      "detail": {"field": "group"}}},
        {"mark": {"type": "line", "color": NHS_MID_GREY, "strokeDash": [6, 4],
                  "interpolate": "step-after"},
         "encoding": {"x": x, "y": {"field": "lpl", "type": "quantitative"},
                      "detail": {"field": "group"}}},
        {"mark": {"type": "point", "filled": True, "size": 60, "opacity": 1},
         "encoding": {
             "x": x, "y": {"field": "value", "type": "quantitative"},
             "color": {"field": "variation", "type": "nominal", "title": "Variation",
                       "scale": {"domain": list(POINT_LABELS.values()),
                                 "range": [POINT_COLOURS[k] for k in POINT_LABELS]}},
             # Shape as well as colour, so the variation does not rest on colour alone.
             "shape": {"field": "variation", "type": "nominal", "title": "Variation",
                       "scale": {"domain": list(POINT_LABELS.values()),
                                 "range": list(POINT_SHAPES.values())}},
         }},
    ]
    # Reference lines first, so the points are drawn over them.
    if target is not None:
        layers.insert(0, {"mark": {"type": "rule", "color": "#DA291C", "strokeDash": [2, 2]},
                       "encoding": {"y": {"datum": target}}})
    if rebase_months:
        layers.insert(0, {"data": {"values": [{"month": f"{m}-01"} for m in rebase_months]},
                       "mark": {"type": "rule", "color": NHS_BLUE, "strokeWidth": 1.5},
                       "encoding": {"x": {"field": "month", "type": "temporal"}}})
    spec = _spec(title, 220, data={"values": data}, layer=layers)
    table = Table(
        chart_id,
        title,
        [("value", y_title), ("mean", "Mean"), ("lpl", "Lower process limit"),
         ("upl", "Upper process limit"), ("variation", "Variation")],
        [
            Row(
                r.month, r.month,
                {"value": r.value, "mean": r.mean, "lpl": r.lpl, "upl": r.upl},
                {
                    "value": r.shown,
                    "mean": _num(r.mean, decimals),
                    "lpl": _num(r.lpl, decimals),
                    "upl": _num(r.upl, decimals),
                    "variation": POINT_LABELS[r.point_type],
                },
            )
            for r in rows
        ],
        "Month",
    )
    return Chart(chart_id, title, description, spec, table)


def _num(value: float | None, decimals: int) -> str:
    if value is None:
        return ""
    return f"{value:.{decimals}f}"
