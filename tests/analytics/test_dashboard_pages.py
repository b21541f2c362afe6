"""What the dashboard pages show: the summary of measures with icons in words, every chart as
inline SVG (named, and with no inline style for the Content Security Policy to block) with its
table and CSV links, and filters that say what was wrong."""

from __future__ import annotations

import re
from typing import Any

import pytest
import time_machine

from .conftest import NOW

PERIOD = {"from": "2026-03", "to": "2026-03"}


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def main(page: Any) -> str:
    text = page.content.decode()
    return text[text.index("<main"):text.index("</main>")]


def test_the_ward_dashboard_draws_every_chart_inline_with_its_table(
    oak_march: Any, client_as: Any
) -> None:
    from rrp.jobs.worker import run_ready_jobs

    manager = client_as("ward_manager")
    first = main(manager.get("/dashboards/wards/OAK/", PERIOD))
    assert "This chart is being drawn" in first  # the reader does not wait for vl-convert
    run_ready_jobs()  # the worker draws the charts of the dashboard the reader asked for
    html = main(manager.get("/dashboards/wards/OAK/", PERIOD))
    assert "Updating" not in html
    charts = re.findall(r'<svg role="img" aria-label="([^"]+)"', html)
    assert "Restrictive interventions by type and position. Interventions by type; prone "\
           "restraint is highlighted in blue." in charts
    assert len(charts) >= 10
    assert 'style="' not in html
    assert "<script" not in html
    # Each chart is drawn for a phone and for a wider screen (one is shown), with one table.
    assert html.count("Figures in this chart") * 2 == len(charts)
    assert html.count("rrp-chart__svg--narrow") == html.count("rrp-chart__svg--wide")
    assert html.count("Download these figures (CSV)") * 2 >= len(charts)
    assert "<strong>Prone restraint:</strong> 1 prone restraints, 25% of 4 physical" in html


def test_the_summary_table_says_each_icon_in_words(oak_march: Any, client_as: Any) -> None:
    html = main(client_as("rrp_lead").get("/dashboards/", PERIOD))
    summary = html[html.index('id="summary"'):html.index('id="trends"')]
    assert summary.count("Common cause variation: no significant change") >= 1
    assert summary.count("No target set</span>") == 14
    assert "MHS96" in summary and "MHS146" in summary


def test_filters_that_make_no_sense_are_named_and_the_defaults_used(
    oak_march: Any, client_as: Any
) -> None:
    html = main(client_as("rrp_lead").get(
        "/dashboards/", {"from": "2026-09", "to": "2026-03", "type": "nothing", "area": "x"}
    ))
    assert "Some filters were not used" in html
    for problem in ("The start month must be before the end month",
                    "Choose a type of intervention from the list", "Choose an area from the list"):
        assert problem in html


def test_choosing_a_ward_as_the_area_opens_its_dashboard(oak_march: Any, client_as: Any) -> None:
    response = client_as("board").get("/dashboards/", {"area": "ward:OAK", **PERIOD})
    assert response.status_code == 302
    assert response["Location"] == "/dashboards/wards/OAK/?from=2026-03&to=2026-03"


def test_a_type_of_intervention_narrows_every_breakdown(oak_march: Any, client_as: Any) -> None:
    html = main(client_as("rrp_lead").get("/dashboards/wards/OAK/",
                                          {**PERIOD, "type": "chemical"}))
    assert "chemical restraint only" in html
    assert "Chemical restraints per 1,000 occupied bed days" in html
    # Only the rapid tranquillisation incident: given for treatment (reason 13).
    reasons = html[html.index('id="table-reasons"'):]
    reasons = reasons[:reasons.index("</table>")]
    assert "Lawfully administer medicines" in reasons
    assert "Prevent a patient being violent to others" not in reasons
