"""Charts: Vega-Lite specs rendered to SVG on the server with vl-convert and inlined in the
page (no script, nothing fetched by the browser), always beside a data table and a CSV of
exactly the rows the chart draws.

Every chart is drawn twice, for two column widths, and the page shows the one that fits
(analytics.css). An inline SVG scales with its column, and its text with it: one drawing
shrunk onto a 358 px phone column would put 16 px text at 6 px. So:

* `NARROW` is drawn 340 px wide for phones (below 48em, 768 px), where the column is about
  as wide (358 px at 390 px), so its 16 px text shows at 16 px or a little more;
* `WIDE` is drawn 704 px wide, the column at 768 px, and grows with the column up to 960 px
  (text at 16 to 22 px).

Labels are never cut: long category labels are wrapped into lines here (`wrap`) and drawn
above their bar, and chart titles and keys are HTML beside the chart, so they wrap as text.

Rendering costs tens of milliseconds a chart, so the SVG is kept in the "charts" cache (files
beside the database, shared by every process) under a hash of the spec and of `DESIGN`: a
chart is drawn again only when its numbers or its design change. After a change,
rrp.analytics.drawing_ahead draws the dashboards' new charts in the background, so readers
seldom wait for one.

The strict Content Security Policy allows no inline `style` attributes, so any that vl-convert
writes are turned into SVG presentation attributes (`style="fill: red"` -> `fill="red"`), and
the SVG is given `role="img"` and a name: the table beside it carries the numbers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import math
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Final

from django.core.cache import caches
from django.utils import timezone

from rrp.analytics.breakdowns import Row, Table, thousands
from rrp.core.spreadsheets import csv_text

FONT: Final = "Arial, Helvetica, sans-serif"
NHS_BLUE: Final = "#005EB8"
NHS_DARK_GREY: Final = "#425563"
NHS_MID_GREY: Final = "#768692"
NHS_PALE_GREY: Final = "#E8EDEE"
NHS_RED: Final = "#DA291C"
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
FLAG_COLOURS: Final = {"higher": "#ED8B00", "lower": "#41B6E6", "": NHS_DARK_GREY}
FLAG_WORDS: Final = {"higher": "higher than everyone", "lower": "lower than everyone"}

# Part of every chart's cache key: change it when the drawing changes in a way the specs do
# not show (the SVG's post-processing here), so no chart drawn the old way is served again.
DESIGN: Final = "2026-12 two widths, wrapped labels"


@dataclass(frozen=True)
class Layout:
    """A width to draw charts at: `width` is the whole SVG's (its viewBox), `font` the size of
    every text in it, in the SVG's own pixels."""

    name: str
    width: int
    font: int

    @property
    def line_height(self) -> int:
        return round(self.font * 1.25)

    def chars(self, pixels: float) -> int:
        """How many characters of text fit in `pixels`: Arial's average character is about
        half its size; 0.56 leaves room for capitals and wide letters."""
        return max(8, int(pixels / (self.font * 0.56)))


NARROW: Final = Layout("narrow", 340, 16)
WIDE: Final = Layout("wide", 704, 16)
LAYOUTS: Final = (WIDE, NARROW)
PADDING: Final = 8


@dataclass(frozen=True)
class KeyItem:
    """One entry of a chart's key, shown in HTML under the chart."""

    kind: str  # a point type from POINT_LABELS, or "mean", "limits", "target", "rebase"
    label: str


@dataclass
class Chart:
    """A chart, its table and its CSV: `table.rows` are what each spec draws."""

    id: str
    title: str
    description: str
    specs: dict[str, dict[str, Any]]  # Layout.name -> spec
    table: Table
    key: Sequence[KeyItem] = field(default_factory=tuple)
    subtitle: str = ""
    # Where the chart sits (organisation, area, period, audience, chart): set by the dashboard,
    # so the last drawing of this place can be shown while the current one is drawn.
    slot: str = ""

    @property
    def spec(self) -> dict[str, Any]:
        """The wide spec (what print and the tests read)."""
        return self.specs[WIDE.name]

    @cached_property
    def svg(self) -> str:
        return render_svg(self.specs[WIDE.name], self.title, self.description, WIDE)

    @cached_property
    def svg_narrow(self) -> str:
        return render_svg(self.specs[NARROW.name], self.title, self.description, NARROW)

    def draw(self) -> None:
        """Draw (or find drawn) every width of the chart, and keep it as its place's latest
        drawing. Only the worker, the demo and the rebuild command draw (never a reader)."""
        _ = self.svg, self.svg_narrow
        if self.slot:
            caches["charts"].set(_slot_key(self.slot), {
                "wide": self.specs_drawn(WIDE), "narrow": self.specs_drawn(NARROW),
                "drawn_at": timezone.now().isoformat(),
            })

    def specs_drawn(self, layout: Layout) -> str:
        return stored_svg(self.specs[layout.name]) or ""

    @cached_property
    def picture(self) -> Picture:
        """What a reader is shown, without waiting for vl-convert: the chart of the current
        figures if it is drawn; else the last drawing of this place, marked as updating; else
        nothing yet (the table beside it has the figures)."""
        wide, narrow = (stored_svg(self.specs[WIDE.name]), stored_svg(self.specs[NARROW.name]))
        if wide is not None and narrow is not None:
            return Picture(self._named(wide, WIDE), self._named(narrow, NARROW), None, True)
        last = caches["charts"].get(_slot_key(self.slot)) if self.slot else None
        if last and last.get("wide") and last.get("narrow"):
            return Picture(self._named(last["wide"], WIDE), self._named(last["narrow"], NARROW),
                           dt.datetime.fromisoformat(last["drawn_at"]), False)
        return Picture("", "", None, False)

    def _named(self, svg: str, layout: Layout) -> str:
        return _accessible(svg, self.title, self.description, layout)

    def csv_text(self) -> str:
        return table_csv(self.table)


def table_csv(table: Table) -> str:
    """The table as CSV: the category column and every column, as shown (suppressed cells
    as the rule's symbol)."""
    return csv_text(
        [table.label_heading, *(heading for _, heading in table.columns)],
        ([row.label, *(row.shown.get(key, "") for key, _ in table.columns)]
         for row in [*table.rows, *([table.total] if table.total else [])]),
    )


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


def _accessible(svg: str, title: str, description: str, layout: Layout) -> str:
    label = html.escape(f"{title}. {description}", quote=True)
    return svg.replace(
        "<svg ",
        f'<svg role="img" aria-label="{label}" focusable="false" '
        f'class="rrp-chart__svg rrp-chart__svg--{layout.name}" ',
        1,
    )


def cache_key(spec: dict[str, Any]) -> str:
    body = json.dumps(spec, sort_keys=True, default=str)
    return "rrp-chart:" + hashlib.sha256(f"{DESIGN}\n{body}".encode()).hexdigest()


@dataclass(frozen=True)
class Picture:
    """A chart as a page shows it: both widths' SVG (empty when none is drawn yet), and
    whether it was drawn from the current figures or earlier (then `drawn_at` says when)."""

    wide: str
    narrow: str
    drawn_at: dt.datetime | None
    current: bool

    @property
    def drawn(self) -> bool:
        return bool(self.wide)


def _slot_key(slot: str) -> str:
    return "rrp-chart-slot:" + hashlib.sha256(f"{DESIGN}\n{slot}".encode()).hexdigest()


def stored_svg(spec: dict[str, Any]) -> str | None:
    """The chart's SVG if it has been drawn (without its accessible name), else None."""
    svg = caches["charts"].get(cache_key(spec))
    return svg if isinstance(svg, str) else None


def render_svg(spec: dict[str, Any], title: str, description: str,
               layout: Layout = WIDE) -> str:
    key = cache_key(spec)
    store = caches["charts"]
    svg = store.get(key)
    if svg is None:
        import vl_convert

        svg = make_csp_safe(
            vl_convert.vegalite_to_svg(json.loads(json.dumps(spec, default=str)))
        )
        store.set(key, svg)
    return _accessible(svg, title, description, layout)


def _config(layout: Layout) -> dict[str, Any]:
    size = layout.font
    return {
        # The chart is one image with a name; its numbers are in the table beside it. Vega's
        # own ARIA roles on every mark would make each a separate, unnamed image to a screen
        # reader.
        "aria": False,
        "font": FONT,
        "background": "white",
        "view": {"stroke": None},
        "axis": {
            "labelColor": TEXT, "titleColor": TEXT, "labelFontSize": size,
            "titleFontSize": size, "gridColor": NHS_PALE_GREY, "domainColor": NHS_MID_GREY,
            "tickColor": NHS_MID_GREY, "titleFontWeight": "normal",
        },
        "legend": {"labelColor": TEXT, "titleColor": TEXT, "labelFontSize": size,
                   "titleFontSize": size, "orient": "bottom", "titleFontWeight": "normal"},
        "text": {"fontSize": size, "color": TEXT},
    }


def _spec(layout: Layout, height: float, *, fit: bool = False, **rest: Any) -> dict[str, Any]:
    """A spec exactly `layout.width` wide. Charts with axes are fitted to it by Vega-Lite;
    charts laid out here in pixels are drawn as laid out."""
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": layout.width if fit else layout.width - 2 * PADDING,
        "height": height,
        "autosize": {"type": "fit", "contains": "padding"} if fit else {"type": "pad"},
        "config": _config(layout),
        "padding": PADDING,
        **rest,
    }


def wrap(text: str, layout: Layout, pixels: float) -> list[str]:
    """The text in lines that fit `pixels` at the layout's font size (words are not broken)."""
    return textwrap.wrap(text, layout.chars(pixels), break_long_words=False) or [""]


def _px(value: str, layout: Layout) -> float:
    """About how wide a short text is."""
    return len(value) * layout.font * 0.62


# -- chart builders -------------------------------------------------------------------------


@dataclass(frozen=True)
class RowBox:
    """Where one row of a bar chart or forest plot goes: its label's lines and top, and the
    vertical middle of its mark, in the SVG's pixels."""

    lines: list[str]
    label_y: float
    mark_y: float


def label_width(layout: Layout) -> float:
    """On a wide chart labels sit left of their marks, in this much room; on a narrow one
    they take the whole width, above their marks."""
    return 0.0 if layout is NARROW else round((layout.width - 2 * PADDING) * 0.4)


def row_boxes(labels: Sequence[str], layout: Layout, mark_height: int
              ) -> tuple[list[RowBox], float]:
    """Each row's box and the height of them all. Narrow: the label, wrapped to the whole
    width, above its mark. Wide: the label wrapped beside its mark, both centred in the row."""
    inner = layout.width - 2 * PADDING
    gap = round(layout.font * 0.75)
    boxes, y = [], 0.0
    side = label_width(layout)
    for label in labels:
        lines = wrap(label, layout, side - 12 if side else inner)
        text_height = len(lines) * layout.line_height
        if side:
            row = max(text_height, mark_height)
            boxes.append(RowBox(lines, y + (row - text_height) / 2, y + row / 2))
        else:
            row = text_height + 4 + mark_height
            boxes.append(RowBox(lines, y, y + text_height + 4 + mark_height / 2))
        y += row + gap
    return boxes, max(y - gap, float(layout.line_height))


def bar_chart(
    table: Table,
    measure: str,
    measure_label: str,
    *,
    description: str,
    highlight: Sequence[str] = (),
    chart_id: str | None = None,
) -> Chart:
    """Horizontal bars, one per row in the table's order, each under its label (wrapped, so a
    long reason is never cut), its figure at its end as the table shows it (a hidden one as
    its symbol). `highlight` rows are NHS blue and the rest grey (prone restraint called out
    among the types)."""
    rows = list(table.rows)
    specs = {layout.name: _bar_spec(rows, measure, highlight, layout) for layout in LAYOUTS}
    if any(r.values.get(measure) is None and r.shown.get(measure) for r in rows):
        description += " Figures shown as * are hidden: too few to show."
    return Chart(chart_id or table.id, table.title, description, specs, table,
                 subtitle=f"{measure_label} in the period")


def _bar_spec(rows: Sequence[Row], measure: str, highlight: Sequence[str], layout: Layout
              ) -> dict[str, Any]:
    bar = layout.line_height
    if not rows:
        return _spec(layout, layout.line_height, data={"values": [{"y": 0}]},
                     mark={"type": "text", "align": "left", "baseline": "top"},
                     encoding={"x": {"value": 0},
                               "y": {"field": "y", "type": "quantitative", "scale": None},
                               "text": {"value": "None recorded in this period"}})
    shown = [thousands(r.shown.get(measure, "")) for r in rows]
    room = max(_px(s, layout) for s in shown) + 8
    start = label_width(layout)
    start = start + 12 if start else 0.0
    length = layout.width - 2 * PADDING - start - room
    top = max([r.values.get(measure) or 0.0 for r in rows] + [1.0])
    boxes, height = row_boxes([r.label for r in rows], layout, bar)
    data = []
    for row, text, box in zip(rows, shown, boxes, strict=True):
        value = row.values.get(measure)
        end = start + (0.0 if value is None else value / top * length)
        data.append({
            "key": row.key, "label": row.label, "lines": box.lines, measure: value,
            "shown": text, "highlight": row.key in highlight, "label_y": box.label_y,
            "bar_y": box.mark_y - bar / 2, "bar_y2": box.mark_y + bar / 2, "mid_y": box.mark_y,
            "x0": start, "x2": end, "text_x": end + 6,
        })
    colour: dict[str, Any] = {"value": NHS_BLUE}
    if highlight:
        colour = {
            "field": "highlight", "type": "nominal", "legend": None,
            "scale": {"domain": [True, False], "range": [NHS_BLUE, NHS_MID_GREY]},
        }

    def pixels(name: str) -> dict[str, Any]:
        return {"field": name, "type": "quantitative", "scale": None, "axis": None}

    return _spec(
        layout,
        height,
        data={"values": data},
        layer=[
            {"mark": {"type": "text", "align": "left", "baseline": "top",
                      "lineHeight": layout.line_height},
             "encoding": {"x": {"value": 0}, "y": pixels("label_y"),
                          "text": {"field": "lines"}}},
            {"mark": {"type": "rect"},
             "encoding": {"x": pixels("x0"), "x2": {"field": "x2"}, "y": pixels("bar_y"),
                          "y2": {"field": "bar_y2"}, "color": colour}},
            {"mark": {"type": "text", "align": "left", "baseline": "middle",
                      "fontWeight": "bold"},
             "encoding": {"x": pixels("text_x"), "y": pixels("mid_y"),
                          "text": {"field": "shown"}}},
        ],
    )


WEEKDAY_SHORT: Final = {"Monday": "Mon", "Tuesday": "Tue", "Wednesday": "Wed",
                        "Thursday": "Thu", "Friday": "Fri", "Saturday": "Sat", "Sunday": "Sun"}


def heatmap(table: Table, *, description: str) -> Chart:
    """Hours by weekdays, darker where more interventions started: days across and hours
    down on a phone, hours across and days down on a wider screen."""
    data = []
    for row in table.rows:
        for key, heading in table.columns:
            data.append({"hour": row.label[:2], "day": heading,
                         "short_day": WEEKDAY_SHORT.get(heading, heading),
                         "value": row.values.get(key)})
    days = [h for _, h in table.columns]
    hours = [r.label[:2] for r in table.rows]
    colour = {"field": "value", "type": "quantitative", "title": "Interventions",
              "scale": {"scheme": "blues"}}
    specs = {}
    for layout in LAYOUTS:
        rect = {"type": "rect", "stroke": "white", "strokeWidth": 1}
        legend = {"orient": "bottom", "direction": "horizontal",
                  "gradientLength": min(240, layout.width - 40)}
        if layout is NARROW:
            encoding = {
                "x": {"field": "short_day", "type": "ordinal", "title": None,
                      "sort": [WEEKDAY_SHORT.get(d, d) for d in days],
                      "axis": {"orient": "top", "labelAngle": 0}},
                # Every third hour labelled: 24 labels of 16 px do not fit 24 rows of 20 px.
                "y": {"field": "hour", "type": "ordinal", "sort": hours, "title": None,
                      "axis": {"labelExpr":
                               "parseInt(datum.value) % 3 == 0 ? datum.value + ':00' : ''"}},
                "color": {**colour, "legend": legend},
            }
            height = len(hours) * 20
        else:
            encoding = {
                "x": {"field": "hour", "type": "ordinal", "sort": hours,
                      "title": "Hour of the day the intervention started",
                      "axis": {"labelAngle": 0, "orient": "bottom"}},
                "y": {"field": "day", "type": "ordinal", "sort": days, "title": None},
                "color": {**colour, "legend": legend},
            }
            height = len(days) * 36
        specs[layout.name] = _spec(layout, height, fit=True, data={"values": data}, mark=rect,
                                   encoding=encoding)
    return Chart(table.id, table.title, description, specs, table)


def forest_plot(table: Table, *, description: str) -> Chart:
    """Rate ratios with their 95% intervals, each under its group's name, and a dashed line
    at 1 (the whole population's rate). A marked difference is said in words beside the name
    as well as by colour."""
    data: list[dict[str, Any]] = [
        {
            "label": r.label,
            "ratio": r.values.get("ratio"),
            "lower": r.values.get("lower"),
            "upper": r.values.get("upper"),
            "flag": _flag_key(r.shown.get("flag", "")),
            "shown": r.shown.get("ratio", ""),
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
        if item["ratio"] is not None and item["lower"] is None:
            item["lower"] = 0.0
    specs = {layout.name: _forest_spec(data, top, layout) for layout in LAYOUTS}
    return Chart(table.id, table.title, description, specs, table)


def _flag_key(words: str) -> str:
    return {"Higher than everyone": "higher", "Lower than everyone": "lower"}.get(words, "")


def _forest_spec(rows: Sequence[dict[str, Any]], top: float, layout: Layout) -> dict[str, Any]:
    labels = [
        f"{d['label']}: {FLAG_WORDS[d['flag']]}" if d["flag"] else
        (f"{d['label']} (hidden: too few)" if d["ratio"] is None and d["shown"] == "*"
         else d["label"])
        for d in rows
    ]
    boxes, height = row_boxes(labels, layout, layout.line_height)
    half = layout.line_height / 2 + 2
    data = [
        {**d, "lines": box.lines, "label_y": box.label_y, "mid_y": box.mark_y,
         "one_y": box.mark_y - half, "one_y2": box.mark_y + half}
        for d, box in zip(rows, boxes, strict=True)
    ]
    y = {"field": "mid_y", "type": "quantitative", "scale": None, "axis": None}
    colour = {"field": "flag", "type": "nominal", "legend": None,
              "scale": {"domain": list(FLAG_COLOURS), "range": list(FLAG_COLOURS.values())}}
    start = label_width(layout)
    x_scale = {"domain": [0, top], "nice": False,
               # Short of the edge, so a diamond at the end does not widen the drawing.
               "range": [start + 12 if start else 2, layout.width - 2 * PADDING - 10]}
    return _spec(
        layout,
        height,
        data={"values": data},
        layer=[
            # The line at 1: the whole height beside the labels; on a phone, where the labels
            # run across it, only beside each row's mark.
            {"mark": {"type": "rule", "color": NHS_MID_GREY, "strokeDash": [4, 3]},
             "encoding": {"x": {"datum": 1, "type": "quantitative", "scale": x_scale}}}
            if start else
            {"mark": {"type": "rule", "color": NHS_MID_GREY, "strokeDash": [4, 3]},
             "encoding": {"x": {"datum": 1, "type": "quantitative", "scale": x_scale},
                          "y": {"field": "one_y", "type": "quantitative", "scale": None},
                          "y2": {"field": "one_y2"}}},
            {"mark": {"type": "text", "align": "left", "baseline": "top",
                      "lineHeight": layout.line_height},
             "encoding": {"x": {"value": 0},
                          "y": {"field": "label_y", "type": "quantitative", "scale": None},
                          "text": {"field": "lines"}}},
            {"mark": {"type": "rule", "strokeWidth": 3},
             "encoding": {"y": y,
                          "x": {"field": "lower", "type": "quantitative", "scale": x_scale,
                                "title": "Rate ratio (1 is everyone's rate)",
                                "axis": {"tickCount": 5 if layout is NARROW else 10,
                                         "labelFlush": True, "grid": True}},
                          "x2": {"field": "upper"}, "color": colour}},
            {"mark": {"type": "point", "filled": True, "size": layout.font * 6,
                      "shape": "diamond", "opacity": 1},
             "encoding": {"y": y, "x": {"field": "ratio", "type": "quantitative"},
                          "color": colour}},
        ],
    )


@dataclass(frozen=True)
class SpcRow:
    month: str  # YYYY-MM
    value: float | None  # what is plotted (the published value outside the treating team)
    shown: str
    mean: float | None  # None outside the treating team: see dashboard.spc_series
    lpl: float | None
    upl: float | None
    point_type: str
    group: int


MONTH_STEPS: Final = (1, 2, 3, 4, 6, 12, 24)


def month_step(months: int, layout: Layout) -> int:
    """Label every nth month so the labels (month over year) do not crowd each other."""
    room = (layout.width - 50) / (layout.font * 3.6)
    return next((s for s in MONTH_STEPS if months / s <= room), MONTH_STEPS[-1])


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
    show_limits: bool = True,
    subtitle: str = "",
) -> Chart:
    """An XmR chart as Making Data Count draws it: the values joined by a line, each point
    coloured and shaped by its variation, the mean solid and the process limits dashed,
    recalculated from each rebase (a vertical line), and the target, if any, in red. Without
    `show_limits` (outside the treating team) there is no mean and no limits to draw."""
    data = [
        {
            "month": f"{r.month}-01",
            "value": r.value,
            "mean": r.mean if show_limits else None,
            "lpl": r.lpl if show_limits else None,
            "upl": r.upl if show_limits else None,
            "variation": POINT_LABELS[r.point_type],
            "group": r.group,
        }
        for r in rows
    ]
    present = {r.point_type for r in rows if r.value is not None}
    key = [KeyItem(kind, label) for kind, label in POINT_LABELS.items() if kind in present]
    if show_limits:
        key += [KeyItem("mean", "Mean"), KeyItem("limits", "Process limits")]
    if target is not None:
        key.append(KeyItem("target", f"Target ({target:g})"))
    if rebase_months:
        key.append(KeyItem("rebase", "New baseline"))
    specs = {
        layout.name: _spc_spec(data, layout, target=target, rebase_months=rebase_months,
                               decimals=decimals, show_limits=show_limits)
        for layout in LAYOUTS
    }
    columns = [("value", y_title)]
    if show_limits:
        columns += [("mean", "Mean"), ("lpl", "Lower process limit"),
                    ("upl", "Upper process limit")]
    columns.append(("variation", "Variation"))
    table = Table(
        chart_id,
        title,
        columns,
        [
            Row(
                r.month, _month_label(r.month),
                {"value": r.value, **({"mean": r.mean, "lpl": r.lpl, "upl": r.upl}
                                      if show_limits else {})},
                {
                    "value": r.shown,
                    "mean": _num(r.mean, decimals) if show_limits else "",
                    "lpl": _num(r.lpl, decimals) if show_limits else "",
                    "upl": _num(r.upl, decimals) if show_limits else "",
                    "variation": POINT_LABELS[r.point_type],
                },
            )
            for r in rows
        ],
        "Month",
    )
    return Chart(chart_id, title, description, specs, table, key, subtitle)


def _spc_spec(data: list[dict[str, Any]], layout: Layout, *, target: float | None,
              rebase_months: Sequence[str], decimals: int, show_limits: bool) -> dict[str, Any]:
    step = month_step(len(data), layout)
    x = {"field": "month", "type": "temporal", "title": None,
         "axis": {"labelExpr": "[timeFormat(datum.value, '%b'), timeFormat(datum.value, '%Y')]",
                  "labelAngle": 0, "labelOverlap": False, "labelFlush": False,
                  "tickCount": {"interval": "month", "step": step}, "grid": False}}
    # "~" drops trailing zeros: 35, 2.5 rather than 35.0, 2.5.
    y_axis = {"tickCount": 5, "format": f",.{decimals}~f" if decimals else ",d", "title": None}
    layers: list[dict[str, Any]] = [
        {"mark": {"type": "line", "color": NHS_DARK_GREY, "strokeWidth": 2},
         "encoding": {"x": x, "y": {"field": "value", "type": "quantitative", "axis": y_axis}}},
    ]
    if show_limits:
        for name, style in (("mean", {"color": TEXT, "strokeWidth": 2}),
                            ("upl", {"color": NHS_MID_GREY, "strokeDash": [6, 4]}),
                            ("lpl", {"color": NHS_MID_GREY, "strokeDash": [6, 4]})):
            layers.append(
                {"mark": {"type": "line", "interpolate": "step-after", **style},
                 "encoding": {"x": x, "y": {"field": name, "type": "quantitative"},
                              "detail": {"field": "group"}}}
            )
    layers.append(
        {"mark": {"type": "point", "filled": True, "size": layout.font * 5, "opacity": 1},
         "encoding": {
             "x": x, "y": {"field": "value", "type": "quantitative"},
             "color": {"field": "variation", "type": "nominal", "legend": None,
                       "scale": {"domain": list(POINT_LABELS.values()),
                                 "range": [POINT_COLOURS[k] for k in POINT_LABELS]}},
             # Shape as well as colour, so the variation does not rest on colour alone.
             "shape": {"field": "variation", "type": "nominal", "legend": None,
                       "scale": {"domain": list(POINT_LABELS.values()),
                                 "range": list(POINT_SHAPES.values())}},
         }}
    )
    # Reference lines first, so the points are drawn over them.
    if target is not None:
        layers.insert(0, {"mark": {"type": "rule", "color": NHS_RED, "strokeDash": [2, 2],
                                   "strokeWidth": 2},
                          "encoding": {"y": {"datum": target}}})
    if rebase_months:
        layers.insert(0, {"data": {"values": [{"month": f"{m}-01"} for m in rebase_months]},
                          "mark": {"type": "rule", "color": NHS_BLUE, "strokeWidth": 2},
                          "encoding": {"x": {"field": "month", "type": "temporal"}}})
    height = 220 if layout is NARROW else 300
    return _spec(layout, height, fit=True, data={"values": data}, layer=layers)


def _month_label(month: str) -> str:
    year, number = month.split("-")
    return f"{MONTH_NAMES[int(number) - 1]} {year}"


MONTH_NAMES: Final = ("January", "February", "March", "April", "May", "June", "July",
                      "August", "September", "October", "November", "December")


def _num(value: float | None, decimals: int) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{value:.{decimals}f}"
