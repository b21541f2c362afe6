"""The SPC series the dashboards draw: monthly MHS96 from the summaries, rebased only at a
known change, and the change judged against the baseline before it.

Oak Ward, 100 occupied bed days a month for the 24 months from November 2024 to October 2026
(the last complete month). Before the change (12 months): 3 and 4 interventions in turn (30 and
40 per 1,000 bed days); after it: 1 and 2 in turn (10 and 20).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from rrp.analytics import categories as cat
from rrp.analytics import dashboard, spc
from rrp.analytics.models import scope_ward

from .conftest import NOW

FIRST = dt.date(2024, 11, 1)
MONTHS = cat.months_between(FIRST, dt.date(2026, 10, 1))
CHANGE = MONTHS[12]
EXPECTED = [30.0, 40.0] * 6 + [10.0, 20.0] * 6


@pytest.fixture
def oak(ward: Any, patient: Any, record: Any, bed_days: Any, system_actor: Any) -> Any:
    bed_days(ward, {f"{m:%Y-%m}": 100 for m in MONTHS})
    for month, rate in zip(MONTHS, EXPECTED, strict=True):
        for n in range(int(rate // 10)):
            record(ward, patient, f"{month:%Y-%m}-{10 + n:02d} 10:00", [("07", 0, 5)])
    return ward


def board(organisation: Any, ward: Any) -> dashboard.Dashboard:
    filters = dashboard.Filters(MONTHS[0], MONTHS[-1], scope_ward(ward.pk), "Oak", ward, None)
    return dashboard.build(organisation, filters, {"rrp_lead"}, now=NOW)


def test_the_chart_is_drawn_from_the_monthly_rates(oak: Any, organisation: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        series = board(organisation, oak).series(dashboard.measures.MEASURE_BY_ID["MHS96"])
    assert series.drawn == pytest.approx(EXPECTED)
    expected = spc.xmr(EXPECTED, improvement="decrease")
    assert [p.point_type for p in series.chart.points] == [p.point_type for p in expected.points]
    # Without a known change the fall is a special cause: improvement.
    assert series.chart.variation == "special_cause_improvement"


def test_a_known_change_starts_a_new_baseline_and_shows_the_improvement(
    oak: Any, organisation: Any, system_actor: Any
) -> None:
    from rrp.analytics.services import change_point_create

    change_point_create(actor=system_actor, organisation=organisation, ward=oak, month=CHANGE,
                        label="Safewards launched")
    with time_machine.travel(NOW, tick=False):
        page = board(organisation, oak)
        series = page.series(dashboard.measures.MEASURE_BY_ID["MHS96"])
    # Rebased: two groups with their own means, and the new process is stable.
    assert [p.group for p in series.chart.points] == [0] * 12 + [1] * 12
    assert series.chart.points[0].mean == pytest.approx(35)
    assert series.chart.points[-1].mean == pytest.approx(15)
    assert series.rebase_months == [CHANGE]
    assert series.chart.variation == "common_cause"
    # Against the 12 months before the change, every month after it is an improvement.
    effect = page.spc_charts[0]
    assert effect.id == "change_MHS96"
    assert "12 of 12 months show special-cause improvement" in effect.description
    assert [r.shown["variation"] for r in effect.table.rows[12:]] == [
        "Special cause: improvement"
    ] * 12


def test_an_organisation_wide_change_is_not_used_for_another_scopes_own(
    oak: Any, organisation: Any, system_actor: Any, make_ward: Any
) -> None:
    from rrp.analytics.services import change_point_create

    ash = make_ward("ASH", "Ash Ward")
    change_point_create(actor=system_actor, organisation=organisation, ward=ash, month=CHANGE,
                        label="Ash only")
    with time_machine.travel(NOW, tick=False):
        series = board(organisation, oak).series(dashboard.measures.MEASURE_BY_ID["MHS96"])
    assert series.rebase_months == []
