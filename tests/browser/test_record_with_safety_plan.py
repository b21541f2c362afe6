"""Recording a use of force with the patient's safety plan in front of the nurse, in a real
browser.

Given Jo Bloggs on Oak Ward, whose current safety plan records asthma and Jo's wish never to be
held face down, when a nurse records a prone restraint for Jo, then Jo's plan appears as soon
as she chooses Jo, the care plan question is answered from the plan, and on submitting she sees
the plan's warnings, not an error; she submits anyway and the record is saved, and the ward page
asks for the plan review and for a plan for the person who has none. Every page, and the form
once the plan is drawn in, passes the accessibility check (issue 6).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import Page, expect

from browser.test_record_use_of_force import Interactions, force_row, person_row, question
from careplans.conftest import plan_input
from rrp.audit.services import Actor
from rrp.careplans import services as careplans
from rrp.incidents.models import Incident

LONDON = ZoneInfo("Europe/London")
NOW = dt.datetime(2026, 10, 5, 14, 0, tzinfo=LONDON)


@pytest.fixture
def ward_clock() -> Iterator[None]:
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def nurse_and_jo(
    ward_clock: None, transactional_db: None, make_ward: Callable[..., Any], organisation: Any,
    make_patient: Callable[..., Any], make_admission: Callable[..., Any],
    client_for: Callable[..., Any], page: Page, live_server: Any,
) -> Any:
    """Ada Okafor, staff nurse on Oak Ward, signed in, with Kim Ode; Jo Bloggs (P1001) on the
    ward with the safety plan written with Jo on 1 October."""
    from rrp.organisations.services import user_add

    oak = make_ward(code="OAK", name="Oak Ward")

    def colleague(username: str, full_name: str) -> Any:
        return user_add(
            actor=Actor(user=None, via="cli"), username=username, organisation=organisation,
            role="ward_staff", full_name=full_name, job_title="Staff nurse, band 5",
            home_ward=oak,
        )

    nurse = colleague("ada", "Ada Okafor")
    colleague("kim", "Kim Ode")
    jo = make_patient(local_id="P1001", given_name="Jo", family_name="Bloggs")
    make_admission(jo, oak, admitted_on=dt.date(2026, 9, 1))
    sam = make_patient(local_id="P1002", given_name="Sam", family_name="Okoro")  # no plan
    make_admission(sam, oak, admitted_on=dt.date(2026, 9, 20))
    careplans.safety_plan_version_create(
        actor=Actor(user=nurse, via="web"),
        patient=jo,
        data=plan_input(agreed_on=dt.date(2026, 10, 1), review_on=dt.date(2026, 10, 29)),
        now=dt.datetime(2026, 10, 1, 9, 0, tzinfo=LONDON),
    )
    session = client_for(nurse, organisation).cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    return nurse


def test_a_nurse_sees_the_plan_and_its_warning_and_submits_a_prone_restraint_anyway(
    nurse_and_jo: Any, visit: Callable[[str], Page], checked: Callable[[Page], Page],
) -> None:
    act = Interactions()
    # Given the nurse on the recording form
    page = visit("/uses-of-force/record/")
    plan = page.locator("#safety-plan")
    expect(plan).not_to_contain_text("Safety plan at a glance")

    # When she chooses Jo, Jo's plan is shown straight away, before the force is recorded
    act.choose(page.get_by_label("Patient", exact=True), label="P1001 – Jo Bloggs")
    expect(plan.get_by_role("heading", name="Safety plan at a glance")).to_be_visible()
    expect(plan).to_contain_text("Asthma or another respiratory condition")
    expect(plan).to_contain_text("They asked not to have: prone restraint (face down)")
    expect(plan).to_contain_text("Short sentences; give time to answer")
    expect(page.get_by_role("status")).to_have_text(
        "Safety plan at a glance for P1001 shown below")
    # and the care plan question is answered from the plan, not asked
    expect(page.locator("#care-plan-answer")).to_contain_text("Answered from the plan")
    expect(page.get_by_role("group", name="Were these types of force in the patient's care "
                                           "plan?")).to_have_count(0)
    checked(page)

    # And records a prone restraint
    act.choose(force_row(page, 1).get_by_label("Type or position"), label="Prone (face down)")
    act.fill(force_row(page, 1).get_by_label("Started"), "1320")
    act.fill(force_row(page, 1).get_by_label("Ended", exact=True), "1326")
    act.fill(force_row(page, 1).get_by_label("why was the patient held prone?"),
             "Jo went to the floor face down while hitting out; turned once it was safe")
    act.choose(page.get_by_label("Main reason force was used"),
               label="Prevent a patient being violent to others")
    act.tick(page.get_by_label("Verbal de-escalation: calm talking, listening, negotiating"),
             "Verbal de-escalation")
    act.fill(page.get_by_label("How was force used?"),
             "Held prone for six minutes: Jo was hitting out and could not be held standing")
    act.fill(page.get_by_label("What was the outcome?"), "Settled, breathing checked, no injury")
    act.choose(person_row(page, 1).get_by_label("What they did"),
               label="Team lead, giving instructions")
    act.choose(person_row(page, 2).get_by_label("Name", exact=True),
               label="Kim Ode (Staff nurse, band 5, Oak Ward)")
    act.choose(person_row(page, 2).get_by_label("What they did"),
               label="Monitoring physical and psychological wellbeing")
    act.click(question(page, "Did the patient die or suffer a serious injury as a result?")
              .get_by_label("No", exact=True), "no death or serious injury")
    act.click(question(page, "Was anyone injured?").get_by_label("No", exact=True),
              "nobody injured")
    # Nobody was hurt, so the harm is not asked; Jo's plan names nobody to be told.
    expect(page.get_by_label("No harm")).to_be_hidden()
    expect(page.locator("#notification-answer")).to_contain_text(
        "Nobody is named in the care plan")
    act.click(page.get_by_role("button", name="Submit the record"), "Submit the record")
    checked(page)

    # Then she sees the plan's warnings at the top - a warning, not an error - and nothing saved
    expect(page).to_have_title(
        "Check the safety plan: Record a use of force – Reducing Restrictive Practice")
    expect(page.locator(".nhsuk-error-summary")).to_have_count(0)
    warnings = page.locator("#plan-warnings")
    expect(warnings.get_by_role("heading", name="Check this against the safety plan")
           ).to_be_visible()
    expect(warnings.get_by_role("heading", name="Prone restraint (face down) is risky for this "
                                                "person")).to_be_visible()
    expect(warnings.get_by_role("heading", name="They asked not to have prone restraint (face "
                                                "down)")).to_be_visible()
    expect(warnings).to_contain_text("Inhaler to hand; no pressure on the chest or back")
    expect(page.locator("#care-plan-answer")).to_contain_text(
        "No: prone restraint (face down) is not agreed in the plan.")
    assert not Incident.objects.exists()

    # When she submits anyway
    act.click(warnings.get_by_role("button", name="Submit anyway"), "Submit anyway")
    checked(page)

    # Then the record is saved, answered from the plan: prone was not in Jo's care plan
    print(f"\nInteractions to record a prone restraint against the plan: {act.count}")
    print("  " + "\n  ".join(act.steps))
    incident = Incident.objects.get()
    expect(page.get_by_role("heading", level=1)).to_contain_text(incident.reference)
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("submitted")
    assert (incident.status, incident.in_care_plan) == ("submitted", False)
    assert [i.type_code for i in incident.interventions.all()] == ["01"]

    # And the ward page asks for Jo's plan to be reviewed, and for a plan for Sam, who has none
    page = visit("/wards/OAK/")
    expect(page.get_by_role("table", name="Duties due and overdue on Oak Ward, most urgent first")
           ).to_contain_text("Care plan and risk assessment review")
    plans = page.get_by_role("table", name="People on Oak Ward whose safety plan is overdue or "
                                           "missing")
    expect(plans.get_by_role("row")).to_have_count(2)
    expect(plans.get_by_role("row").nth(1)).to_contain_text("Sam Okoro")
    expect(plans.get_by_role("row").nth(1)).to_contain_text("No plan")
