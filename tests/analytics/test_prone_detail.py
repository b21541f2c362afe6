"""Prone restraint: how long and why (issue 10, finding 9). Worked out by hand on two wards'
March 2026 (times local; each row one prone restraint, MHSDS type 01):

    Oak  a Tue  3 Mar 10:00   2 min  under 3      reason recorded (then standing 10 min)
    Oak  b Sun  8 Mar 14:00   3 min  3 to 10      reason recorded
    Oak  c Sun 15 Mar 20:00  10 min  3 to 10      reason recorded
    Oak  d Sun 22 Mar 02:05  11 min  over 10      no reason (a record from before the question)
    Oak  e Sun 29 Mar 09:00  25 min  over 10      reason recorded
    Elm  f Thu  5 Mar 11:00   1 min  under 3      reason recorded
    Elm  g Wed 18 Mar 16:00   4 min  3 to 10      no reason
    Oak  h Fri 20 Feb 12:00  30 min  (February: outside a March-only period)

Also in March: Oak seclusion for 2 hours, and a draft with prone restraint: neither counts.

    March        prone  under 3  3 to 10  over 10  recorded  not recorded  longest
    Oak              5        1        2        2         4             1       25
    Elm              2        1        1        0         1             1        4
    organisation     7        2        3        2         5             2       25

Outside the treating team (MHSDS rule: below 5 hidden, the rest rounded to 5) the
organisation's 7 is published as 5, each band (2, 3, 2) as *, and the 2 not recorded as *
with the 5 recorded hidden beside them; Elm's 2 ended prone restraints are too few for its
longest to be shown.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rrp.analytics import categories as cat
from rrp.analytics import dashboard
from rrp.analytics.dashboard import Filters, build
from rrp.analytics.models import SCOPE_ORG, scope_ward
from rrp.analytics.summaries import rebuild
from rrp.incidents.models import Intervention

from .conftest import NOW

MARCH = dt.date(2026, 3, 1)
FEBRUARY = dt.date(2026, 2, 1)
PERIOD = {"from": "2026-03", "to": "2026-03"}
REASONS = {
    "a": "Hit his head on the floor and could not be held seated",
    "b": "Fell forward during a standing hold; turned at once",
    "c": "Biting staff; supine hold not possible in the corridor",
    "e": "Ligature round the neck; prone to cut it safely",
    "f": "Slipped to the floor face down; turned within a minute",
    "h": "February: head banging on the floor",
}
NOT_RECORDED = "Reason from before the question existed"


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def prone_march(
    organisation: Any, make_ward: Any, make_patient: Any, record: Any
) -> dict[str, Any]:
    """The records above; returns the wards and each prone restraint's incident by letter."""
    oak = make_ward("OAK", "Oak Ward")
    elm = make_ward("ELM", "Elm Ward")
    p1, p2, p3 = make_patient("P1"), make_patient("P2"), make_patient("P3")
    made = {
        "a": record(oak, p1, "2026-03-03 10:00", [("01", 0, 2), ("07", 2, 12)],
                    prone_reason=REASONS["a"]),
        "b": record(oak, p1, "2026-03-08 14:00", [("01", 0, 3)], prone_reason=REASONS["b"]),
        "c": record(oak, p2, "2026-03-15 20:00", [("01", 0, 10)], prone_reason=REASONS["c"]),
        "d": record(oak, p2, "2026-03-22 02:00", [("09", 0, 5), ("01", 5, 16)],
                    prone_reason=NOT_RECORDED),
        "e": record(oak, p1, "2026-03-29 09:00", [("01", 0, 25)], prone_reason=REASONS["e"]),
        "f": record(elm, p3, "2026-03-05 11:00", [("01", 0, 1)], prone_reason=REASONS["f"]),
        "g": record(elm, p3, "2026-03-18 16:00", [("01", 0, 4)], prone_reason=NOT_RECORDED),
        "h": record(oak, p1, "2026-02-20 12:00", [("01", 0, 30)], prone_reason=REASONS["h"]),
    }
    record(oak, p2, "2026-03-12 13:00", [("05", 0, 120)])
    record(oak, p3, "2026-03-25 15:00", [("01", 0, 40)], submit=False)
    # Records made before the form asked why prone restraint was used have no reason. They
    # are written straight to the table, as the migration left them, so the summaries are
    # rebuilt (ADR 5: a write that bypasses the services needs a rebuild).
    Intervention.objects.filter(prone_reason=NOT_RECORDED).update(prone_reason="")
    rebuild(organisation, now=NOW)
    return {"oak": oak, "elm": elm, **made}


def board_for(organisation: Any, scope: str, ward: Any, roles: set[str],
              first: dt.date = MARCH, type_filter: str | None = None) -> Any:
    return build(organisation, Filters(first, MARCH, scope, "", ward, type_filter), roles,
                 now=NOW)


def shown(table: Any) -> dict[str, str]:
    rows = {row.label: row.shown[table.columns[0][0]] for row in table.rows}
    assert table.total is not None
    rows[table.total.label] = table.total.shown[table.columns[0][0]]
    return rows


def test_prone_bands_include_their_upper_bound() -> None:
    assert [cat.prone_band(m) for m in (0, 1, 2, 2.9, 3, 9.5, 10, 10.5, 11, 600, None)] == [
        "lt3", "lt3", "lt3", "lt3", "3-10", "3-10", "3-10", "gt10", "gt10", "gt10", "open",
    ]


def test_a_wards_prone_restraints_by_duration_and_reason(
    prone_march: dict[str, Any], organisation: Any
) -> None:
    oak = prone_march["oak"]
    prone = board_for(organisation, scope_ward(oak.pk), oak, {"rrp_lead"}).prone_detail
    assert shown(prone.durations) == {
        "Under 3 minutes": "1", "3 to 10 minutes": "2", "Over 10 minutes": "2",
        "All prone restraints": "5",
    }
    assert shown(prone.reasons) == {
        "Reason recorded": "4", "Reason not recorded": "1", "All prone restraints": "5",
    }
    assert (prone.count, prone.total, prone.longest, prone.recorded_share) == (5, "5", "25", "80")
    assert {r.label: r.shown["share"] for r in prone.durations.rows} == {
        "Under 3 minutes": "20", "3 to 10 minutes": "40", "Over 10 minutes": "40",
    }
    assert prone.durations.notes == ["The longest prone restraint lasted 25 minutes."]

    elm = prone_march["elm"]
    prone = board_for(organisation, scope_ward(elm.pk), elm, {"rrp_lead"}).prone_detail
    assert shown(prone.durations) == {
        "Under 3 minutes": "1", "3 to 10 minutes": "1", "Over 10 minutes": "0",
        "All prone restraints": "2",
    }
    assert shown(prone.reasons) == {
        "Reason recorded": "1", "Reason not recorded": "1", "All prone restraints": "2",
    }
    assert (prone.longest, prone.recorded_share) == ("4", "50")


def test_the_organisation_adds_up_its_wards_and_agrees_with_the_prone_callout(
    prone_march: dict[str, Any], organisation: Any
) -> None:
    lead = board_for(organisation, SCOPE_ORG, None, {"rrp_lead"})
    prone = lead.prone_detail
    assert shown(prone.durations) == {
        "Under 3 minutes": "2", "3 to 10 minutes": "3", "Over 10 minutes": "2",
        "All prone restraints": "7",
    }
    assert shown(prone.reasons) == {
        "Reason recorded": "5", "Reason not recorded": "2", "All prone restraints": "7",
    }
    assert (prone.longest, prone.recorded_share) == ("25", "71")
    assert lead.prone.prone == prone.total == "7"
    # February's 30 minutes counts once February is in the period.
    both = board_for(organisation, SCOPE_ORG, None, {"rrp_lead"}, first=FEBRUARY).prone_detail
    assert (both.total, both.longest) == ("8", "30")
    assert shown(both.durations)["Over 10 minutes"] == "3"


def test_the_board_sees_published_figures_only(
    prone_march: dict[str, Any], organisation: Any
) -> None:
    prone = board_for(organisation, SCOPE_ORG, None, {"board"}).prone_detail
    assert shown(prone.durations) == {
        "Under 3 minutes": "*", "3 to 10 minutes": "*", "Over 10 minutes": "*",
        "All prone restraints": "5",
    }
    # The 2 not recorded are hidden, and the 5 recorded with them (a lone * beside a total is
    # the differencing attack the disclosure module always answers with a complement).
    assert shown(prone.reasons) == {
        "Reason recorded": "*", "Reason not recorded": "*", "All prone restraints": "5",
    }
    # 71% beside a total of 5 would give the 2 not recorded away: hidden with them.
    assert (prone.total, prone.recorded_share) == ("5", "*")
    assert prone.longest == "25"  # 7 ended: enough for the longest to be shown
    elm = prone_march["elm"]
    small = board_for(organisation, scope_ward(elm.pk), elm, {"auditor"}).prone_detail
    assert (small.total, small.longest, small.recorded_share) == ("*", "*", "*")
    assert small.durations.notes == ["The longest prone restraint is hidden: too few to show."]


def test_a_type_filter_keeps_the_prone_part_only_when_it_keeps_prone_restraint(
    prone_march: dict[str, Any], organisation: Any
) -> None:
    for type_filter in ("physical", "prone"):
        kept = board_for(organisation, SCOPE_ORG, None, {"rrp_lead"}, type_filter=type_filter)
        assert kept.prone_shown
        assert shown(kept.prone_detail.durations)["All prone restraints"] == "7"
        assert "prone_duration" in kept.tables()
    seclusion = board_for(organisation, SCOPE_ORG, None, {"rrp_lead"}, type_filter="seclusion")
    assert not seclusion.prone_shown
    assert seclusion.recent_prone is None
    assert "prone_duration" not in seclusion.tables()


# -- the latest prone restraints, for the treating team ---------------------------------------


def test_the_lead_reads_the_latest_prone_restraints_and_why(
    prone_march: dict[str, Any], organisation: Any
) -> None:
    recent = board_for(organisation, SCOPE_ORG, None, {"rrp_lead"}).recent_prone
    assert recent is not None
    assert [(r.incident_id, r.ward, r.minutes, r.reason) for r in recent.restraints] == [
        (prone_march["e"].pk, "Oak Ward", 25, REASONS["e"]),
        (prone_march["d"].pk, "Oak Ward", 11, ""),
        (prone_march["g"].pk, "Elm Ward", 4, ""),
        (prone_march["c"].pk, "Oak Ward", 10, REASONS["c"]),
        (prone_march["b"].pk, "Oak Ward", 3, REASONS["b"]),
        (prone_march["f"].pk, "Elm Ward", 1, REASONS["f"]),
        (prone_march["a"].pk, "Oak Ward", 2, REASONS["a"]),
    ]
    assert (recent.total, recent.more) == (7, 0)
    assert board_for(organisation, SCOPE_ORG, None, {"board"}).recent_prone is None


def test_the_list_is_capped_and_reads_only_the_months_it_needs(
    prone_march: dict[str, Any], organisation: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    oak = prone_march["oak"]
    monkeypatch.setattr(dashboard, "RECENT_PRONE", 5)
    with CaptureQueriesContext(connection) as queries:
        recent = board_for(organisation, scope_ward(oak.pk), oak, {"rrp_lead"},
                           first=FEBRUARY).recent_prone
    assert recent is not None
    assert [r.incident_id for r in recent.restraints] == [
        prone_march[k].pk for k in "edcba"
    ]
    assert (recent.total, recent.more) == (6, 1)
    # March holds the 5 latest: February's facts are not read for the list.
    listing = [q["sql"] for q in queries.captured_queries if "analytics_interventionfact" in
               q["sql"] and "intervention_id" in q["sql"]]
    assert listing and all("2026-02-01" not in sql for sql in listing), listing

    monkeypatch.setattr(dashboard, "RECENT_PRONE", 6)
    recent = board_for(organisation, scope_ward(oak.pk), oak, {"rrp_lead"},
                       first=FEBRUARY).recent_prone
    assert recent is not None
    assert [r.incident_id for r in recent.restraints][-1] == prone_march["h"].pk
    assert recent.more == 0


# -- the pages and the downloads ----------------------------------------------------------------


def main(response: Any) -> str:
    assert response.status_code == 200
    text = response.content.decode()
    return text[text.index("<main"):text.index("</main>")]


def test_the_lead_sees_the_part_with_reasons_and_links_to_the_records(
    prone_march: dict[str, Any], client_as: Any
) -> None:
    lead = client_as("rrp_lead")
    page = main(lead.get("/dashboards/", PERIOD))
    part = page[page.index('id="prone"'):page.index('id="why"')]
    assert 'href="#prone"' in page
    assert "Prone restraint: how long and why" in part
    assert re.search(r"<dt>Longest prone restraint</dt><dd>25 <span[^>]*>minutes</span>", part)
    assert "<dt>With the reason recorded</dt><dd>71%</dd>" in part
    for letter in "abcef":
        assert html.escape(REASONS[letter]) in part
        assert f'href="/uses-of-force/{prone_march[letter].pk}/"' in part
    assert part.count("Reason not recorded</span>") == 2
    assert REASONS["h"] not in part  # February
    assert "Every prone restraint in this period, latest first." in part
    link = html.unescape(re.search(r'href="(/uses-of-force/\?[^"]+)"', part)[1])  # type: ignore[index]
    assert link == "/uses-of-force/?type=01&start=2026-03-01&end=2026-03-31"
    listed = lead.get(link).content.decode()
    assert all(prone_march[k].reference in listed for k in "abcdefg")
    assert prone_march["h"].reference not in listed

    ward = main(lead.get("/dashboards/wards/ELM/", PERIOD))
    part = ward[ward.index('id="prone"'):ward.index('id="why"')]
    assert html.escape(REASONS["f"]) in part and html.escape(REASONS["a"]) not in part
    assert "/uses-of-force/?type=01&amp;start=2026-03-01&amp;end=2026-03-31&amp;ward=ELM" in part


def test_the_list_says_how_many_more_there_are(
    prone_march: dict[str, Any], client_as: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dashboard, "RECENT_PRONE", 3)
    page = main(client_as("ward_manager").get("/dashboards/", PERIOD))
    assert "The 3 most recent of 7 prone restraints in this period, latest first: 4 more are "\
           "not listed here." in page
    assert html.escape(REASONS["e"]) in page and html.escape(REASONS["a"]) not in page


@pytest.mark.parametrize("role", ["board", "auditor"])
def test_the_board_sees_suppressed_figures_and_no_free_text(
    prone_march: dict[str, Any], client_as: Any, role: str
) -> None:
    page = main(client_as(role).get("/dashboards/", PERIOD))
    part = page[page.index('id="prone"'):page.index('id="why"')]
    assert "<dt>Prone restraints</dt><dd>5</dd>" in part
    assert "<dt>With the reason recorded</dt><dd>*</dd>" in part
    assert "The latest prone restraints" not in part
    assert "only the treating team reads" in part
    for text in [*REASONS.values(), NOT_RECORDED]:
        assert html.escape(text) not in page
    assert "/uses-of-force/" not in part


def csv_table(client: Any, path: str, table_id: str, **extra: str) -> dict[str, list[str]]:
    response = client.get(path, {**PERIOD, "table": table_id, **extra})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(f'attachment; filename="{table_id}-')
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    return {row[0]: row[1:] for row in rows}


def test_the_new_figures_download_as_csv(prone_march: dict[str, Any], client_as: Any) -> None:
    lead, board = client_as("rrp_lead"), client_as("board")
    assert csv_table(lead, "/dashboards/figures.csv", "prone_duration") == {
        "Time held prone": ["Prone restraints", "Share (%)"],
        "Under 3 minutes": ["2", "29"],
        "3 to 10 minutes": ["3", "43"],
        "Over 10 minutes": ["2", "29"],
        "All prone restraints": ["7", "100"],
    }
    assert csv_table(lead, "/dashboards/wards/OAK/figures.csv", "prone_reason") == {
        "Reason": ["Prone restraints", "Share (%)"],
        "Reason recorded": ["4", "80"],
        "Reason not recorded": ["1", "20"],
        "All prone restraints": ["5", "100"],
    }
    published = csv_table(board, "/dashboards/figures.csv", "prone_reason")
    assert published["Reason recorded"] == published["Reason not recorded"] == ["*", ""]
    assert published["All prone restraints"] == ["5", "100"]
    assert csv_table(lead, "/dashboards/figures.csv", "prone_reason", suppressed="1") == published
    durations = csv_table(board, "/dashboards/figures.csv", "prone_duration")
    assert [durations[band][0] for band in ("Under 3 minutes", "3 to 10 minutes",
                                            "Over 10 minutes")] == ["*", "*", "*"]
    page = lead.get("/dashboards/", PERIOD).content.decode()
    assert "table=prone_duration" in page and "table=prone_reason" in page
