"""The dashboard's breakdowns on one ward's March worked out by hand.

Oak Ward, March 2026. Ward stays: P1 (Black African man, born 1990) all month (31 nights),
P2 (White British woman, born 1960) 1-21 March (20 nights), P3 (White British man, born 2000)
11-31 March (20 nights): 71 occupied bed days.

    I1 P1 Mon 2 Mar 09:00  prone 5 min then supine 10 min; patient bruised; 2 staff used force
    I2 P1 Wed 4 Mar 18:30  standing 20 min, to stop self-harm (reason 11)
    I3 P1 Mon 9 Mar 18:10  seclusion 5 hours
    I4 P2 Tue 10 Mar 07:00 rapid tranquillisation, to give treatment (reason 13)
    I5 P3 Fri 20 Mar 22:00 seated 45 min, low harm

Medical reviews: I1 within the hour, I2 after 90 minutes with the reason recorded, I5 never.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from rrp.analytics import breakdowns as bd
from rrp.analytics import categories as cat
from rrp.analytics import equality
from rrp.analytics.charts import table_csv
from rrp.analytics.dashboard import Filters, build
from rrp.analytics.models import scope_ward

from .conftest import NOW

MARCH = dt.date(2026, 3, 1)


@pytest.fixture
def board(oak_march: Any, organisation: Any) -> Any:
    oak = oak_march
    filters = Filters(MARCH, MARCH, scope_ward(oak.pk), "Oak Ward (OAK)", oak, None)
    return build(organisation, filters, {"rrp_lead"}, now=NOW)


def shown(table: bd.Table, column: str) -> dict[str, str]:
    return {row.key: row.shown[column] for row in table.rows}


def test_types_with_prone_called_out(board: Any) -> None:
    assert shown(board.types.table, "interventions") == {
        "01": "1", "07": "1", "09": "1", "11": "1", "14": "1", "05": "1",
    }
    assert board.types.table.total.shown["interventions"] == "6"
    assert board.prone == bd.ProneCallout(prone="1", physical="4", share="25", hidden=False)
    highlighted = [d["key"] for d in board.types.spec["data"]["values"] if d["highlight"]]
    assert highlighted == ["01"]


def test_reasons_count_incidents(board: Any) -> None:
    assert shown(board.reasons.table, "incidents") == {"10": "3", "11": "1", "13": "1"}


def test_time_of_day_and_day_of_week_on_the_ward_clock(board: Any) -> None:
    cells = {
        (row.key, day): value
        for row in board.time_of_day.table.rows
        for day, value in row.shown.items()
        if value != "0"
    }
    assert cells == {
        ("09", "Monday"): "2", ("18", "Wednesday"): "1", ("18", "Monday"): "1",
        ("07", "Tuesday"): "1", ("22", "Friday"): "1",
    }


def test_duration_bands(board: Any) -> None:
    assert shown(board.durations.table, "interventions") == {
        "r:0-10": "3", "r:11-30": "1", "r:31-60": "1", "s:0-24h": "1",
    }


def test_harm_injuries_and_staff(board: Any) -> None:
    assert shown(board.harm.table, "incidents") == {"none": "4", "low": "1"}
    assert shown(board.injuries, "count") == {"patient": "1"}
    assert shown(board.staff.table, "incidents") == {"1": "4", "2": "1"}


def test_medical_review_within_the_hour_or_a_reason_recorded(board: Any) -> None:
    statuses = board.duty_statuses["medical_review"]
    assert (statuses["on_time"], statuses["late_with_reason"], statuses["overdue"]) == (1, 1, 1)
    headline = board.medical_review
    assert (headline.within_hour, headline.within_hour_or_reason) == ("33", "67")
    assert headline.restraint_incidents == "3"
    assert headline.no_review_or_reason == "1"


def test_repeat_individuals(board: Any) -> None:
    repeat = board.repeat_data
    assert (repeat.people, repeat.interventions, repeat.top_people) == (3, 6, 1)
    assert repeat.top_interventions == 4  # P1
    assert repeat.top_share == pytest.approx(400 / 6)
    assert shown(board.repeat.table, "people") == {
        "1": "2", "2-4": "1", "5-9": "0", "10-19": "0", "20+": "0",
    }


def test_equality_by_ethnic_group_against_each_groups_own_bed_days(board: Any) -> None:
    table = next(e for e in board.equality if e.characteristic.field == "eth_group")
    groups = {g.key: g for g in table.groups}
    black, white = groups["Black or Black British"], groups["White"]
    assert (black.interventions, black.bed_days, black.people) == ("4", "31", "1")
    assert (white.interventions, white.bed_days, white.people) == ("2", "40", "2")
    assert black.rate == f"{4000 / 31:.1f}" and white.rate == "50.0"
    expected = equality.ratio_to_population(4, 31, 6, 71)
    assert black.ratio == f"{expected.ratio:.2f}" == "1.53"
    assert black.ci == f"{expected.lower:.2f} to {expected.upper:.2f}"
    assert table.population_rate == f"{6000 / 71:.1f}"
    # One person behind the group's rate: never marked as a difference.
    assert black.flag == ""


def test_age_bands_from_each_stay_and_incident(board: Any) -> None:
    table = next(e for e in board.equality if e.characteristic.field == "age_band")
    groups = {g.key: (g.interventions, g.bed_days) for g in table.groups}
    # P1 is 35 in March 2026, P2 65 and P3 25.
    assert groups == {"35_44": ("4", "31"), "65_over": ("1", "20"), "25_34": ("1", "20")}


def test_every_table_has_the_same_rows_in_its_csv(board: Any) -> None:
    for table_id, table in board.tables().items():
        text = table_csv(table)
        lines = text.strip().splitlines()
        assert len(lines) == 1 + len(table.rows) + (1 if table.total else 0), table_id
        assert lines[0].split(",")[0] == table.label_heading


def test_labels_come_from_the_code_lists_in_plain_words() -> None:
    # Every MHSDS type has a label, as a reader would say it.
    assert set(cat.TYPE_LABELS) == set(cat.TYPE_ORDER)
    assert cat.TYPE_LABELS["01"] == "Physical restraint: prone"
    assert cat.TYPE_LABELS["07"] == "Physical restraint: standing"
    assert cat.DURATION_LABELS["s:0-24h"] == "Seclusion up to 24 hours"


@pytest.mark.parametrize("scope", ["ward", "org"])
def test_a_type_filter_counts_its_interventions_and_the_incidents_that_had_one(
    oak_march: Any, organisation: Any, scope: str
) -> None:
    """Physical restraint: I1 (prone, supine), I2 (standing), I5 (seated); not I3 (seclusion)
    or I4 (rapid tranquillisation). Read from the summaries, at ward and organisation level."""
    where = scope_ward(oak_march.pk) if scope == "ward" else "org"
    filters = Filters(MARCH, MARCH, where, "Oak", oak_march if scope == "ward" else None,
                      "physical")
    physical = build(organisation, filters, {"rrp_lead"}, now=NOW)
    assert shown(physical.types.table, "interventions") == {
        "01": "1", "07": "1", "09": "1", "11": "1",
    }
    assert shown(physical.reasons.table, "incidents") == {"10": "2", "11": "1"}
    assert shown(physical.durations.table, "interventions") == {
        "r:0-10": "2", "r:11-30": "1", "r:31-60": "1",
    }
    assert shown(physical.harm.table, "incidents") == {"none": "2", "low": "1"}
    assert shown(physical.injuries, "count") == {"patient": "1"}
    statuses = physical.duty_statuses["medical_review"]
    assert (statuses["on_time"], statuses["late_with_reason"], statuses["overdue"]) == (1, 1, 1)

    prone = build(organisation, Filters(MARCH, MARCH, where, "Oak", None, "prone"),
                  {"rrp_lead"}, now=NOW)
    assert shown(prone.types.table, "interventions") == {"01": "1"}
    assert shown(prone.harm.table, "incidents") == {"none": "1"}
    seclusion = build(organisation, Filters(MARCH, MARCH, where, "Oak", None, "seclusion"),
                      {"rrp_lead"}, now=NOW)
    assert shown(seclusion.types.table, "interventions") == {"05": "1"}
    assert shown(seclusion.reasons.table, "incidents") == {"10": "1"}
