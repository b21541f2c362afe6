"""A dashboard a board member can read (issue 10, finding 11): a contents list by theme near
the top; charts drawn for the column they are shown in, with text of at least 16 px and
labels wrapped rather than cut; a summary of what was chosen; and words rather than codes."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.cache import caches

from rrp.analytics import charts, dashboard
from rrp.analytics.breakdowns import Row, Table

from .conftest import NOW

PERIOD = {"from": "2026-01", "to": "2026-03"}
PAGES = ("/dashboards/", "/dashboards/wards/OAK/")


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def main(response: Any) -> str:
    assert response.status_code == 200
    text = response.content.decode()
    return text[text.index("<main"):text.index("</main>")]


def visible_text(html: str) -> str:
    html = re.sub(r"<svg.*?</svg>", " ", html, flags=re.S)
    html = re.sub(r'<span class="nhsuk-u-visually-hidden">.*?</span>', " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("page", PAGES)
def test_a_contents_list_by_theme_comes_before_the_figures(
    oak_march: Any, client_as: Any, page: str
) -> None:
    html = main(client_as("board").get(page, PERIOD))
    contents = html[html.index('id="contents"'):html.index("</nav>", html.index('id="contents"'))]
    assert html.index('id="contents"') < html.index('id="summary"')
    anchors = re.findall(r'href="#([a-z-]+)"', contents)
    assert anchors[:3] == ["summary", "trends", "what-happened"]
    assert {"why", "when", "harm", "duties", "equality", "reporting"} <= set(anchors)
    for anchor in anchors:
        assert f'id="{anchor}"' in html, anchor
    assert html.count('href="#contents"') >= 5  # back to the contents after each theme


def _font_sizes(spec: Any) -> Iterator[float]:
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key.endswith(("fontSize", "FontSize")) and isinstance(value, int | float):
                yield value
            yield from _font_sizes(value)
    elif isinstance(spec, list):
        for item in spec:
            yield from _font_sizes(item)


def _dashboards(organisation: Any, oak: Any, role: str) -> list[dashboard.Dashboard]:
    out = []
    for ward in (None, oak):
        params = {**PERIOD}
        filters, _ = dashboard.parse_filters(params, organisation, NOW, ward=ward)
        out.append(dashboard.build(organisation, filters, {role}, now=NOW))
    return out


@pytest.mark.parametrize("role", ["rrp_lead", "board"])
def test_every_chart_is_drawn_for_a_phone_and_a_wider_column_with_16px_text(
    oak_march: Any, organisation: Any, role: str
) -> None:
    for board in _dashboards(organisation, oak_march, role):
        for chart in board.charts():
            assert set(chart.specs) == {"narrow", "wide"}, chart.id
            for layout in charts.LAYOUTS:
                spec = chart.specs[layout.name]
                assert "title" not in spec, chart.id  # the title is HTML beside the chart
                assert min(_font_sizes(spec)) >= 16, (chart.id, layout.name)
            for layout, svg in ((charts.WIDE, chart.svg), (charts.NARROW, chart.svg_narrow)):
                # Drawn exactly as wide as planned: the page's CSS scales it to the column
                # (a 358 px phone column, 704 to 960 px from 768 px wide), so 16 px stays
                # about 16 px or more.
                view = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg)
                assert view is not None and float(view.group(1)) == layout.width, chart.id
                sizes = [float(s) for s in re.findall(r'font-size="([\d.]+)px"', svg)]
                assert sizes and min(sizes) >= 16, (chart.id, layout.name)
                # Nothing cut short with an ellipsis.
                assert "…" not in svg, chart.id


def test_long_labels_are_wrapped_whole_never_cut() -> None:
    reason = ("Undertake a search of the patient's clothing or property to ensure the safety "
              "of others")
    table = Table("reasons", "Why force was used", [("incidents", "Incidents")],
                  [Row("18", reason, {"incidents": 3.0}, {"incidents": "3"})], "Reason")
    chart = charts.bar_chart(table, "incidents", "Incidents", description="")
    for layout in charts.LAYOUTS:
        [row] = chart.specs[layout.name]["data"]["values"]
        assert len(row["lines"]) > 1
        assert " ".join(row["lines"]) == reason
        room = charts.label_width(layout) or layout.width - 2 * charts.PADDING
        assert max(len(line) for line in row["lines"]) <= layout.chars(room)
        assert "labelLimit" not in json.dumps(chart.specs[layout.name])


@pytest.mark.parametrize(("chosen", "left_out"), [
    ("physical", ("Rapid tranquillisation", "Seclusions", "Segregations", "Mechanical",
                  "Chemical", "Average days of active")),
    ("seclusion", ("Prone", "Rapid tranquillisation", "Segregations", "Physical")),
])
def test_the_summary_lists_only_the_chosen_type_of_intervention(
    oak_march: Any, client_as: Any, chosen: str, left_out: tuple[str, ...]
) -> None:
    html = main(client_as("rrp_lead").get("/dashboards/", {**PERIOD, "type": chosen}))
    summary = html[html.index('id="summary"'):html.index('id="trends"')]
    rows = [r.strip() for r in re.findall(r'role="rowheader"><span>([^<]+)<', summary)]
    assert rows == [dashboard.measures.MEASURE_BY_ID[m].title
                    for m in dashboard.TYPE_MEASURES[chosen]]
    for words in left_out:
        assert words not in summary, words
    # The prone restraint call-out is about physical restraint only.
    assert ("<strong>Prone restraint:</strong>" in html) == (chosen == "physical")


@pytest.mark.parametrize("page", PAGES)
def test_dashboards_say_things_in_words_not_codes(
    oak_march: Any, client_as: Any, page: str
) -> None:
    html = main(client_as("rrp_lead").get(page, PERIOD))
    text = visible_text(html)
    assert "Physical restraint: standing" in text
    assert "Physical restraint - " not in html
    assert "nms-2019" not in html
    assert not re.search(r"\b(?:spc|change|equality)_[A-Za-z0-9_]+", text)
    assert "NHS England measure MHS96" in text
    assert "2.5.2.XI" not in text.split("National Minimum Standards")[0]
    # Months in words in the figures behind the charts.
    figures = html[html.index('id="table-spc_MHS96"'):]
    assert ">March 2026<" in figures[:figures.index("</table>")]
    # Downloads named for screen readers by what they hold.
    assert "Download these figures (CSV)<span class=\"nhsuk-u-visually-hidden\">: Restrictive " \
           "interventions per 1,000 occupied bed days</span>" in html


def test_a_chart_drawn_in_an_earlier_design_is_drawn_again(drawn: list[object]) -> None:
    table = Table("harm", "Harm", [("incidents", "Incidents")],
                  [Row("none", "No harm", {"incidents": 7.0}, {"incidents": "7"})], "Harm")
    chart = charts.bar_chart(table, "incidents", "Incidents", description="")
    store = caches["charts"]
    store.clear()
    for spec in chart.specs.values():
        # Keyed as an earlier design keyed its charts: by the spec alone.
        body = json.dumps(spec, sort_keys=True, default=str)
        store.set("rrp-chart:" + hashlib.sha256(body.encode()).hexdigest(), "<svg >STALE</svg>")
    assert "STALE" not in chart.svg and "STALE" not in chart.svg_narrow
    assert len(drawn) == 2
