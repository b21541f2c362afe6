"""The worklist of duties after uses of force: most urgent first (duty_rules.sort_for_worklist),
each with a link to record it; filtered by state, ward and who must act.
The ward page shows its own due and overdue duties and latest uses of force, and a patient's
page lists their uses of force."""

from __future__ import annotations

import re
from typing import Any

from incidents.conftest import NOW, at, restraint_input
from incidents.pages import text_of
from rrp.incidents import services


def rows_of(response: Any) -> list[str]:
    html = response.content.decode()
    body = html[html.index("<tbody"):html.index("</tbody>")]
    return [text_of(type("R", (), {"content": row.encode()})())
            for row in re.findall(r"<tr.*?</tr>", body, flags=re.S)]


def test_overdue_first_then_soonest_due_each_with_a_link_to_record_it(
    record: Any, make_user: Any, client_for: Any, clock: Any,
) -> None:
    incident = record()
    # A nurse who is also a doctor: every duty's link is hers to follow (ADR 7).
    response = client_for(make_user(roles=("ward_staff", "doctor"))).get("/uses-of-force/duties/")
    rows = rows_of(response)
    # At 14:00: medical review due 13:00 and observations due 13:10 are overdue, both safety
    # checks inside their harm window, so the most recently due comes first.
    assert rows[1].startswith("5 October 2026 13:00 Medical review within 1 hour of restraint "
                              "Doctor " + incident.reference + " Oak Ward · P1001 Overdue 1 hour "
                              "overdue Record medical review")
    assert rows[0].startswith("5 October 2026 13:10 Physical observations")
    assert "Overdue" in rows[0]
    assert rows[2].startswith("6 October 2026 12:10 Post-incident support offered to the patient")
    assert "Due" in rows[2]
    due_times = [row.split(" ")[:4] for row in rows]
    assert len(due_times) == 7
    html = response.content.decode()
    assert f'href="/uses-of-force/{incident.pk}/medical-review/"' in html
    assert f'href="/uses-of-force/{incident.pk}/observations/?kind=physical"' in html
    assert "2 overdue, 7 in all." in text_of(response)


def test_filters_by_state_ward_and_who_must_act(
    record: Any, client_as: Any, make_ward: Any, patient: Any, nurse_actor: Any,
    organisation: Any, clock: Any,
) -> None:
    record()
    ash = services.incident_create(
        actor=nurse_actor, organisation=organisation, now=NOW,
        data=restraint_input(make_ward(code="ASH", name="Ash Ward"), patient),
    )
    client = client_as("ward_manager")
    overdue = rows_of(client.get("/uses-of-force/duties/?state=overdue"))
    assert len(overdue) == 4 and all("Overdue" in row for row in overdue)
    due = rows_of(client.get("/uses-of-force/duties/?state=due&ward=ASH"))
    assert len(due) == 5 and all(ash.reference in row and "Overdue" not in row for row in due)
    doctors = rows_of(client.get("/uses-of-force/duties/?owner=doctor"))
    assert len(doctors) == 2 and all("Medical review" in row for row in doctors)


def test_done_and_not_required_duties_leave_the_worklist(
    record: Any, client_as: Any, doctor_actor: Any, clock: Any,
) -> None:
    incident = record()
    services.medical_review_record(actor=doctor_actor, incident=incident, reviewed_at=at(50),
                                   reviewer="Dr Shah", findings="Well", now=NOW)
    rows = rows_of(client_as("ward_staff").get("/uses-of-force/duties/"))
    assert not any("Medical review" in row for row in rows) and len(rows) == 6


def test_the_ward_page_shows_what_is_due_and_its_latest_uses_of_force(
    record: Any, client_as: Any, ward: Any, clock: Any,
) -> None:
    incident = record()
    page = text_of(client_as("ward_staff").get("/wards/OAK/"))
    assert "Duties due and overdue 2 overdue, 7 in all after uses of force on this ward." in page
    # A nurse is told who records the medical review rather than offered it (ADR 7).
    assert ("5 October 2026, 13:00 Medical review within 1 hour of restraint Doctor · "
            f"{incident.reference} Overdue 1 hour overdue A doctor records this") in page
    assert (f"{incident.reference} 5 October 2026, 12:00 Standing restraint, side restraint "
            "Submitted") in page
    # People who see no patient-level records see neither.
    board_page = text_of(client_as("board").get("/wards/OAK/"))
    assert "Duties due and overdue" not in board_page and incident.reference not in board_page


def test_a_patients_page_lists_their_uses_of_force(
    record: Any, client_as: Any, patient: Any, clock: Any,
) -> None:
    first = record()
    second = record(submit=False, started_at=at(-60), ended_at=None, interventions=[])
    page = text_of(client_as("ward_staff").get(f"/patients/{patient.pk}/"))
    assert (f"{first.reference} 5 October 2026, 12:00 Oak Ward Physical restraint - Standing, "
            "Physical restraint - Side Submitted") in page
    assert second.reference in page
    assert "Record a use of force for P1001" in page
