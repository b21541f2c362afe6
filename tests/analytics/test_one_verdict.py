"""One SPC verdict for everyone (issue 10, finding 6): the variation and assurance icons are
judged on the exact figures whoever reads them. Outside the treating team the chart plots the
published figures and shows the same verdict, and nothing worked out from the exact figures
that could give a hidden small number away (the mean and the process limits) is shown."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import re
from typing import Any

import pytest
import time_machine

from rrp.analytics import categories as cat
from rrp.analytics import dashboard, measures
from rrp.analytics.models import SCOPE_ORG, MeasureTarget, scope_ward

from .conftest import NOW

MONTHS = cat.months_between(dt.date(2024, 11, 1), dt.date(2026, 10, 1))
PERIOD = {"from": "2024-11", "to": "2026-10"}
AUDIENCES = ("rrp_lead", "board", "auditor")


def _parts(seed: int) -> dict[dt.date, measures.Parts]:
    """24 months of a small ward: counts between 2 and 12, so the published figures (hidden
    below 5, rounded to 5) differ from the exact ones in most months."""
    rng = random.Random(seed)
    out = {}
    for month in MONTHS:
        people = rng.randint(2, 9)
        interventions = people + rng.randint(0, 4)
        prone = min(rng.randint(0, 3), interventions)
        out[month] = measures.Parts(
            interventions=interventions, incidents=max(1, interventions - rng.randint(0, 2)),
            people=people, people_in_hospital=20 + rng.randint(0, 5),
            minutes_sum=interventions * rng.uniform(5, 30), minutes_n=interventions,
            minutes_max=40.0, incident_minutes_sum=interventions * 20.0,
            incident_minutes_n=interventions, incident_minutes_max=60.0,
            seclusion_days_sum=rng.uniform(0, 3), seclusion_days_n=1,
            segregation_days_sum=rng.uniform(0, 9), segregation_days_n=1,
            prone=prone, physical=interventions, people_prone=min(prone, people),
            people_physical=people, mechanical=rng.randint(0, 1), chemical=rng.randint(0, 3),
            rapid_tranquillisation=rng.randint(0, 2), seclusion=rng.randint(0, 2),
            segregation=rng.randint(0, 1), people_mechanical=1, people_chemical=2,
            people_rapid_tranquillisation=1, people_seclusion=1, people_segregation=1,
            bed_days=rng.choice([90, 120, 310, 480]), has_bed_days=True,
        )
    return out


def _verdict(series: dashboard.SpcSeries) -> tuple[str, str, str, str]:
    return (series.variation.kind, series.variation.label, series.assurance.kind,
            series.assurance.label)


@pytest.mark.parametrize("seed", range(6))
def test_every_measure_has_the_same_verdict_with_small_numbers_hidden(seed: int) -> None:
    parts = _parts(seed)
    rule = measures.disclosure_rule()
    for measure in measures.MEASURES:
        exact = dashboard.spc_series(measure, "ward:1", parts, None, (), target=5.0)
        published = dashboard.spc_series(measure, "ward:1", parts, rule, (), target=5.0)
        assert _verdict(published) == _verdict(exact), measure.id
        assert [p.point_type for p in published.chart.points] == [
            p.point_type for p in exact.chart.points
        ], measure.id


def test_the_published_chart_plots_published_figures_and_no_limits() -> None:
    parts = _parts(1)
    rule = measures.disclosure_rule()
    series = dashboard.spc_series(measures.MEASURE_BY_ID["MHS76"], "ward:1", parts, rule, ())
    chart = dashboard.spc_chart("spc_MHS76", series)
    published = [p.shown for p in series.points]
    drawn = [row["value"] for row in chart.spec["data"]["values"]]
    assert drawn == [None if v == "*" else v for v in published]
    # Neither the chart nor its table carries the mean or the limits worked out from the
    # exact figures: with them, and a period one month shorter, a hidden month could be
    # worked out (24 x one mean - 23 x the other).
    for row in chart.spec["data"]["values"]:
        assert {"mean", "lpl", "upl"}.isdisjoint(k for k, v in row.items() if v is not None)
    assert [key for key, _ in chart.table.columns] == ["value", "variation"]
    # The table says every month's variation, as the treating team's does.
    exact = dashboard.spc_chart(
        "spc_MHS76",
        dashboard.spc_series(measures.MEASURE_BY_ID["MHS76"], "ward:1", parts, None, ()),
    )
    assert [r.shown["variation"] for r in chart.table.rows] == [
        r.shown["variation"] for r in exact.table.rows
    ]
    assert [key for key, _ in exact.table.columns] == ["value", "mean", "lpl", "upl", "variation"]


# -- through the pages, the CSV and the API --------------------------------------------------


@pytest.fixture(autouse=False)
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def small_ward(ward: Any, patient: Any, make_patient: Any, record: Any, bed_days: Any,
               organisation: Any) -> Any:
    """Oak Ward: 24 months of 1 to 4 interventions on 1 to 3 people, 100 bed days a month: every
    month is hidden outside the treating team, and the last two months fall."""
    others = [make_patient(f"P{n}") for n in range(2, 4)]
    bed_days(ward, {f"{m:%Y-%m}": 100 for m in MONTHS})
    counts = [3, 4, 3, 4, 2, 4, 3, 4, 3, 3, 4, 3, 4, 3, 4, 3, 4, 4, 3, 4, 3, 4, 1, 1]
    for month, n in zip(MONTHS, counts, strict=True):
        for i in range(n):
            person = [patient, *others][i % 3]
            record(ward, person, f"{month:%Y-%m}-{10 + i:02d} 10:00", [("07", 0, 5)])
    MeasureTarget.objects.create(organisation=organisation, measure="MHS96",
                                 scope=scope_ward(ward.pk), value=20)
    MeasureTarget.objects.create(organisation=organisation, measure="MHS96", scope=SCOPE_ORG,
                                 value=20)
    return ward


def _summary(html: str) -> dict[str, tuple[str, str]]:
    """Measure -> (variation, assurance), in words, from the summary table."""
    table = html[html.index('class="nhsuk-table'):]
    table = table[table.index("<tbody"):table.index("</tbody>")]
    out = {}
    for row in re.findall(r"<tr.*?</tr>", table, re.S):
        name = re.sub(r"<[^>]+>|\s+", " ", re.search(r"<th.*?</th>", row, re.S).group(0)).strip()
        labels = re.findall(r'class="rrp-icon-text__label">([^<]+)<', row)
        out[name] = (labels[0], labels[1])
    return out


@pytest.mark.parametrize("page", ["/dashboards/", "/dashboards/wards/OAK/"])
def test_lead_board_and_auditor_read_the_same_verdicts(
    small_ward: Any, client_as: Any, frozen: Any, page: str
) -> None:
    seen = {
        role: _summary(client_as(role).get(page, PERIOD).content.decode()) for role in AUDIENCES
    }
    assert len(seen["rrp_lead"]) >= 10
    assert seen["board"] == seen["rrp_lead"]
    assert seen["auditor"] == seen["rrp_lead"]
    # The last month (1 intervention) is hidden from the board, yet its verdict is given.
    assert not seen["board"][next(k for k in seen["board"] if "MHS96" in k)][0].startswith(
        "Small numbers hidden"
    )


def test_the_boards_download_has_no_limits_and_the_same_variation(
    small_ward: Any, client_as: Any, frozen: Any
) -> None:
    def rows(role: str) -> list[list[str]]:
        response = client_as(role).get("/dashboards/wards/OAK/figures.csv",
                                       {**PERIOD, "table": "spc_MHS96"})
        assert response.status_code == 200
        return list(csv.reader(io.StringIO(response.content.decode())))

    lead, board = rows("rrp_lead"), rows("board")
    assert lead[0] == ["Month", "per 1,000 occupied bed days", "Mean", "Lower process limit",
                       "Upper process limit", "Variation"]
    assert board[0] == ["Month", "per 1,000 occupied bed days", "Variation"]
    assert [r[-1] for r in board] == [r[-1] for r in lead]
    assert {r[1] for r in board[1:]} == {"*"}


def test_the_api_gives_the_board_the_verdict_without_the_limits(
    small_ward: Any, api_client_as: Any, frozen: Any
) -> None:
    query = {"measure": "MHS96", "ward": "OAK", **PERIOD}
    lead = api_client_as("rrp_lead").get("/api/v1/spc", query).json()
    board = api_client_as("board").get("/api/v1/spc", query).json()
    for key in ("variation", "variation_label", "assurance", "assurance_label"):
        assert board[key] == lead[key], key
    assert [p["point_type"] for p in board["points"]] == [p["point_type"] for p in lead["points"]]
    for point in board["points"]:
        assert point["value"] is None and point["shown"] == "*"
        for key in ("mean", "lower_limit", "upper_limit", "near_lower_limit",
                    "near_upper_limit"):
            assert point[key] is None, key
    assert lead["points"][0]["mean"] is not None
