"""The ward page lists the people on the ward whose safety plan is past its review date and
those with no current plan, beside the duties after uses of force (issue 6; standard 2.3.XXI,
2.2.V)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from careplans.conftest import plan_input
from incidents.conftest import LONDON
from incidents.pages import text_of
from rrp.careplans import services as careplans


def plan_for(patient: Any, actor: Any, *, written: dt.date, review_on: dt.date) -> None:
    careplans.safety_plan_version_create(
        actor=actor,
        patient=patient,
        data=plan_input(agreed_on=written, review_on=review_on),
        now=dt.datetime.combine(written, dt.time(9, 0), tzinfo=LONDON),
    )


def test_the_ward_page_shows_plans_past_review_and_people_without_a_plan(
    client_as: Any, ward: Any, make_patient: Any, make_admission: Any, system_actor: Any,
    clock: Any,
) -> None:
    people = {}
    for local_id, given in (("P1001", "Jo"), ("P1002", "Sam"), ("P1003", "Ola")):
        people[local_id] = make_patient(local_id=local_id, given_name=given, family_name="Test")
        make_admission(people[local_id], ward, admitted_on=dt.date(2026, 8, 3))
    # Jo's plan was due for review on 1 September; Ola's is in date; Sam has none.
    plan_for(people["P1001"], system_actor, written=dt.date(2026, 8, 4),
             review_on=dt.date(2026, 9, 1))
    plan_for(people["P1003"], system_actor, written=dt.date(2026, 9, 30),
             review_on=dt.date(2026, 10, 28))

    page = client_as("ward_manager").get(f"/wards/{ward.code}/")

    assert page.status_code == 200
    text = text_of(page)
    assert "Safety plans on Oak Ward" in text
    assert "2 of 3 people need a plan written or reviewed." in text
    table = re.search(
        r"<table.*?People on Oak Ward whose safety plan is overdue or missing.*?</table>",
        page.content.decode(), flags=re.S,
    )
    assert table, "no table of plans needing action"
    rows = [text_of_html(row) for row in re.findall(r"<tr.*?</tr>", table.group(0), flags=re.S)]
    assert rows[1:] == [
        "Jo Test P1001 3 August 2026 Review overdue Review was due 1 September 2026",
        "Sam Test P1002 3 August 2026 No plan",
    ]
    # After the duties the ward must act on, before the history of uses of force.
    assert (
        text.index("Duties due and overdue")
        < text.index("Safety plans on Oak Ward")
        < text.index("Recent uses of force")
    )


def test_people_who_do_not_read_safety_plans_do_not_see_the_list(
    client_as: Any, ward: Any, patient: Any, make_admission: Any, clock: Any,
) -> None:
    make_admission(patient, ward, admitted_on=dt.date(2026, 8, 3))
    text = text_of(client_as("board").get(f"/wards/{ward.code}/"))
    assert "Safety plans on Oak Ward" not in text
    assert "P1001" not in text


def text_of_html(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)).strip()
