"""The list of uses of force: newest first, filtered by ward, dates, type of force and status,
paginated, with records entered in error kept and tagged."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from incidents.conftest import NOW, at, restraint_input
from incidents.pages import error_links, text_of
from rrp.incidents import services
from rrp.incidents.inputs import InterventionInput


@pytest.fixture
def records(record: Any, make_ward: Any, patient: Any, nurse_actor: Any, organisation: Any,
            clock: Any) -> dict[str, Any]:
    ash = make_ward(code="ASH", name="Ash Ward")
    days = dt.timedelta(days=1)
    found = {
        "oak_today": record(),
        "oak_last_week": record(
            started_at=at(0) - 7 * days, ended_at=at(10) - 7 * days,
            interventions=[InterventionInput("01", at(0) - 7 * days, at(10) - 7 * days,
                                             prone_reason="Could not be held standing")]),
        "oak_draft": record(submit=False),
        "ash_seclusion": services.incident_create(
            actor=nurse_actor, organisation=organisation, now=NOW,
            data=restraint_input(ash, patient, started_at=at(-60), ended_at=at(-30), interventions=[
                InterventionInput("07", at(-60), at(-58)),
                InterventionInput("05", at(-58), at(-30))]),
        ),
    }
    services.incident_mark_entered_in_error(actor=nurse_actor, incident=found["oak_last_week"],
                                            reason="Recorded twice")
    return found


def references(response: Any) -> list[str]:
    return re.findall(r">(UOF-\d{6})</a>", response.content.decode())


def test_newest_first_with_their_types_duration_and_status(
    records: dict[str, Any], client_as: Any,
) -> None:
    response = client_as("ward_staff").get("/uses-of-force/")
    r = {name: incident.reference for name, incident in records.items()}
    assert references(response) == [r["oak_draft"], r["oak_today"], r["ash_seclusion"],
                                    r["oak_last_week"]]
    page = text_of(response)
    assert (f"{r['ash_seclusion']} 5 October 2026 11:00 Ash Ward P1001 Standing restraint, "
            "seclusion 30 minutes Submitted") in page
    assert f"{r['oak_last_week']} 28 September 2026 12:00" in page
    assert "Prone restraint 10 minutes Submitted Entered in error" in page
    assert "4 uses of force." in page


@pytest.mark.parametrize("query, expected", [
    ("ward=ASH", ["ash_seclusion"]),
    ("type=05", ["ash_seclusion"]),
    ("type=01", ["oak_last_week"]),
    ("status=draft", ["oak_draft"]),
    ("status=entered_in_error", ["oak_last_week"]),
    ("status=submitted&ward=OAK", ["oak_today"]),
    ("start=28/9/2026&end=28/9/2026", ["oak_last_week"]),
    ("start=2026-10-05", ["oak_draft", "oak_today", "ash_seclusion"]),
    ("end=4/10/2026", ["oak_last_week"]),
])
def test_filters(records: dict[str, Any], client_as: Any, query: str, expected: list[str]
                 ) -> None:
    response = client_as("ward_staff").get(f"/uses-of-force/?{query}")
    assert references(response) == [records[name].reference for name in expected]


def test_a_date_that_cannot_be_read_is_explained(records: dict[str, Any], client_as: Any
                                                 ) -> None:
    response = client_as("ward_staff").get("/uses-of-force/?start=31/2/2026&end=1/1/2026")
    assert error_links(response) == {
        "Enter the first date as a real date, like 14/3/2026": "#id_start",
    }
    response = client_as("ward_staff").get("/uses-of-force/?start=2/1/2026&end=1/1/2026")
    assert error_links(response) == {
        "The last date must be the same as or after the first date": "#id_end",
    }


def test_pages_of_twenty_five_keep_the_filters(record: Any, client_as: Any, clock: Any) -> None:
    for _ in range(27):
        record()
    client = client_as("ward_staff")
    first = client.get("/uses-of-force/?ward=OAK")
    assert len(references(first)) == 25
    assert "?ward=OAK&amp;page=2" in first.content.decode()
    assert len(references(client.get("/uses-of-force/?ward=OAK&page=2"))) == 2
