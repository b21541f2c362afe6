"""Making Data Count variation and assurance icons, drawn as small inline SVG badges (no image
files, nothing fetched), each with a text alternative and a visible word beside it in the page.

The variation icon is the last point's type (NHSRplotthedots geom_ptd_icon.R), and its "high" or
"low" follows from the point type and the improvement direction: an improvement on a measure
where lower is better is low, a concern there is high.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from markupsafe import Markup, escape

from rrp.analytics.charts import POINT_COLOURS

ASSURANCE_COLOURS: Final = {
    "consistent_pass": "#41B6E6",
    "consistent_fail": "#ED8B00",
    "inconsistent": "#768692",
}
TEXT: Final = "#212B32"


@dataclass(frozen=True)
class Icon:
    kind: str  # e.g. "improvement_low", "common_cause", "consistent_pass", "no_target"
    letter: str
    colour: str
    label: str  # what a screen reader says and the page shows beside it
    arrow: str = ""  # "up", "down" or ""

    def svg(self, *, decorative: bool = True) -> Markup:
        """The badge. Decorative (hidden from screen readers) where its words are shown beside
        it, as on the dashboards; otherwise an image named with the words."""
        arrow = ""
        if self.arrow == "up":
            arrow = f'<path d="M16 3 L21 9 H11 Z" fill="{self.colour}"/>'
        elif self.arrow == "down":
            arrow = f'<path d="M16 29 L21 23 H11 Z" fill="{self.colour}"/>'
        name = (
            'aria-hidden="true"'
            if decorative
            else f'role="img" aria-label="{escape(self.label)}"'
        )
        # Every value in it is escaped here or is one of this module's own constants.
        return Markup(  # noqa: S704
            '<svg class="rrp-icon" width="32" height="32" viewBox="0 0 32 32" focusable="false" '
            f"{name}>"
            f'<circle cx="16" cy="16" r="13" fill="white" stroke="{self.colour}" '
            'stroke-width="3"/>'
            f"{arrow}"
            f'<text x="16" y="20.5" text-anchor="middle" font-family="Arial, sans-serif" '
            f'font-size="13" font-weight="bold" fill="{TEXT}">{escape(self.letter)}</text>'
            "</svg>"
        )


def variation_icon(point_type: str | None, improvement: str) -> Icon:
    if point_type is None:
        return Icon("no_data", "–", POINT_COLOURS["common_cause"], "No data")
    colour = POINT_COLOURS.get(point_type, POINT_COLOURS["common_cause"])
    if point_type == "common_cause":
        return Icon("common_cause", "~", colour, "Common cause variation: no significant change")
    if point_type == "special_cause_neutral_high":
        return Icon("neutral_high", "H", colour, "Special cause variation: higher", "up")
    if point_type == "special_cause_neutral_low":
        return Icon("neutral_low", "L", colour, "Special cause variation: lower", "down")
    improving = point_type == "special_cause_improvement"
    high = improving == (improvement == "increase")
    word = "Improvement" if improving else "Concern"
    side = "higher" if high else "lower"
    return Icon(
        f"{'improvement' if improving else 'concern'}_{'high' if high else 'low'}",
        "H" if high else "L",
        colour,
        f"Special cause variation: {word.lower()} ({side} values)",
        "up" if high else "down",
    )


def no_figure_icon(label: str) -> Icon:
    return Icon("no_data", "–", "#AEB7BD", label)


def assurance_icon(assurance: str | None, has_target: bool) -> Icon:
    if not has_target:
        return Icon("no_target", "–", "#AEB7BD", "No target set")
    if assurance == "consistent_pass":
        return Icon("consistent_pass", "P", ASSURANCE_COLOURS[assurance],
                    "Assurance: the process will consistently meet the target")
    if assurance == "consistent_fail":
        return Icon("consistent_fail", "F", ASSURANCE_COLOURS[assurance],
                    "Assurance: the process will consistently fail the target")
    return Icon("inconsistent", "?", ASSURANCE_COLOURS["inconsistent"],
                "Assurance: the process will sometimes meet and sometimes miss the target")


_KEY_SHAPES: Final = {
    "circle": '<circle cx="12" cy="12" r="6" fill="{c}"/>',
    "diamond": '<path d="M12 4 L20 12 L12 20 L4 12 Z" fill="{c}"/>',
    "square": '<rect x="6" y="6" width="12" height="12" fill="{c}"/>',
    "triangle-up": '<path d="M12 5 L19 18 H5 Z" fill="{c}"/>',
    "triangle-down": '<path d="M12 19 L19 6 H5 Z" fill="{c}"/>',
}
_KEY_LINES: Final = {
    "mean": '<line x1="1" y1="12" x2="23" y2="12" stroke="#212B32" stroke-width="2"/>',
    "limits": '<line x1="1" y1="12" x2="23" y2="12" stroke="#768692" stroke-width="2" '
              'stroke-dasharray="6 4"/>',
    "target": '<line x1="1" y1="12" x2="23" y2="12" stroke="#DA291C" stroke-width="2" '
              'stroke-dasharray="2 2"/>',
    "rebase": '<line x1="12" y1="1" x2="12" y2="23" stroke="#005EB8" stroke-width="2"/>',
}


def key_symbol(kind: str) -> Markup:
    """The mark a chart's key shows for a point type or a line (decorative: the key's words
    say what it is), drawn as the chart draws it (rrp.analytics.charts)."""
    from rrp.analytics.charts import POINT_SHAPES

    if kind in _KEY_LINES:
        body = _KEY_LINES[kind]
    else:
        shape = POINT_SHAPES.get(kind, "circle")
        body = _KEY_SHAPES[shape].format(c=POINT_COLOURS.get(kind, POINT_COLOURS["common_cause"]))
    # Every value in it is one of this module's or charts' own constants.
    return Markup(  # noqa: S704
        '<svg class="rrp-chart-key__symbol" width="24" height="24" viewBox="0 0 24 24" '
        f'focusable="false" aria-hidden="true">{body}</svg>'
    )
