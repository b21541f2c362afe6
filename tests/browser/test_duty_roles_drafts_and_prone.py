"""Issue 10 findings 3, 4 and 9 in a real browser, each page checked for accessibility.

Given Jo Bloggs restrained prone on Oak Ward an hour and a half ago, with asthma in the safety
plan:
- when a ward nurse opens the record, then the medical review is listed as a doctor's, with no
  link to record it or mark it not required, and opening that page says so with a 403;
- when the doctor opens the medical review, then Jo, the positions with how long each lasted
  and why prone was used, and the plan's risks in restraint are above the form;
- when a nurse starts a record, then "why was the patient held prone?" shows only once she
  chooses prone; she saves a draft with only the ward and the patient, and her home page lists
  it as a draft, not yet submitted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from careplans.conftest import plan_input
from rrp.audit.services import Actor
from rrp.careplans import services as careplans
from rrp.incidents import services
from rrp.incidents.inputs import IncidentInput, InterventionInput, StaffInput

WHY = "Hitting out on the floor; could not be held seated or standing safely"


@pytest.fixture
def jo_restrained(
    transactional_db: None, organisation: Any, make_ward: Callable[..., Any],
    make_patient: Callable[..., Any], make_admission: Callable[..., Any],
) -> Any:
    ward = make_ward(code="OAK", name="Oak Ward")
    jo = make_patient(local_id="P1001", given_name="Jo", family_name="Bloggs",
                      nhs_number="9434765919")
    make_admission(jo, ward, admitted_on=dt.date(2026, 1, 1))
    now = timezone.now().replace(second=0, microsecond=0)
    careplans.safety_plan_version_create(
        actor=Actor(user=None, via="cli"), patient=jo,
        data=plan_input(agreed_on=timezone.localdate() - dt.timedelta(days=3),
                        review_on=timezone.localdate() + dt.timedelta(days=25)),
        now=now - dt.timedelta(days=3),
    )
    start = now - dt.timedelta(minutes=90)

    def at(minutes: int) -> dt.datetime:
        return start + dt.timedelta(minutes=minutes)

    return services.incident_create(
        actor=Actor(user=None, via="cli"), organisation=organisation,
        data=IncidentInput(
            ward=ward, patient=jo, started_at=at(0), ended_at=at(10), reason="10",
            description="Held prone, then turned onto his back", in_care_plan=False,
            efforts_to_avoid="Talking and space", outcome="Settled", notification="no",
            interventions=[InterventionInput("01", at(0), at(4), prone_reason=WHY),
                           InterventionInput("09", at(4), at(10))],
            staff=[StaffInput("Sam Lee", "Staff nurse", "lead"),
                   StaffInput("Kim Ode", "Staff nurse", "monitoring_wellbeing")],
        ),
    )


def test_a_nurse_is_not_offered_the_doctors_medical_review(
    jo_restrained: Any, sign_in_as: Callable[..., Any], visit: Callable[[str], Page],
    checked: Callable[[Page], Page], page: Page, live_server: Any,
) -> None:
    sign_in_as("ward_staff", full_name="Ada Okafor")
    record = visit(f"/uses-of-force/{jo_restrained.pk}/")
    needs_doing = record.locator(".rrp-duty-list li", has_text="Medical review within 1 hour")
    expect(needs_doing).to_contain_text("A doctor records this")
    expect(needs_doing.get_by_role("link")).to_have_count(0)
    expect(record.locator(".rrp-duty-list li", has_text="Physical observations")
           .get_by_role("link", name="Record observations")).to_be_visible()

    duty = jo_restrained.duties.get(kind="medical_review")
    response = page.goto(f"{live_server.url}/uses-of-force/{jo_restrained.pk}/not-required/"
                         f"?duty={duty.pk}")
    assert response is not None and response.status == 403
    checked(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your role cannot do this")
    expect(page.get_by_text("Only a doctor or the restrictive practice lead can mark a medical "
                            "review as not required.")).to_be_visible()


def test_the_doctor_sees_jo_the_positions_and_the_plans_risks_before_the_form(
    jo_restrained: Any, sign_in_as: Callable[..., Any], visit: Callable[[str], Page],
) -> None:
    sign_in_as("doctor", full_name="Dr Priya Shah")
    review = visit(f"/uses-of-force/{jo_restrained.pk}/medical-review/")
    expect(review.locator(".nhsuk-summary-list").first).to_contain_text("Jo Bloggs")
    expect(review.locator(".nhsuk-summary-list").first).to_contain_text("943 476 5919")
    positions = review.get_by_role("table", name="Each position or type of force")
    expect(positions.get_by_role("row").nth(1)).to_contain_text("Prone restraint")
    expect(positions.get_by_role("row").nth(1)).to_contain_text(f"Why prone: {WHY}")
    expect(positions.get_by_role("row").nth(1)).to_contain_text("4 minutes")
    risks = review.locator(".rrp-plan-glance")
    expect(risks).to_contain_text("Risks in restraint")
    expect(risks.get_by_text("Asthma or another respiratory condition", exact=True)
           ).to_be_visible()
    expect(review.get_by_label("Doctor who carried out the review")).to_have_value(
        "Dr Priya Shah")


def test_prone_asks_why_and_a_bare_draft_waits_on_the_home_page(
    jo_restrained: Any, sign_in_as: Callable[..., Any], visit: Callable[[str], Page],
    checked: Callable[[Page], Page],
) -> None:
    sign_in_as("ward_staff", full_name="Ada Okafor")
    form = visit("/uses-of-force/record/?ward=OAK")
    first_row = form.locator("#intervention-row-0")
    why = first_row.get_by_label("Prone (face down) only: why was the patient held prone?")
    expect(why).to_be_hidden()
    first_row.get_by_label("Type or position").select_option(label="Prone (face down)")
    expect(why).to_be_visible()
    checked(form)  # the question, once shown, passes the accessibility check too
    first_row.get_by_label("Type or position").select_option(label="Standing")
    expect(why).to_be_hidden()

    form.get_by_label("Patient", exact=True).select_option(label="P1001 – Jo Bloggs")
    form.get_by_role("button", name="Save as a draft").click()
    checked(form)
    expect(form.get_by_text("saved as a draft")).to_be_visible()

    home = visit("/")
    card = home.locator(".nhsuk-card", has_text="Your drafts, not yet submitted")
    expect(card).to_contain_text("Draft, not yet submitted")
    expect(card).to_contain_text("Oak Ward")
