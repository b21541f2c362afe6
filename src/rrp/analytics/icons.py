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
