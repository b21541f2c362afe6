"""Every page about a use of force passes the accessibility check, as first drawn and when it
shows problems; the recording form shows only what the chosen answers need.

Given a restraint with rapid tranquillisation followed by seclusion, recorded two hours ago,
when the restrictive practice lead opens each page (the record, its change page, each
follow-up, review, close, entered in error, a duty not required, the lists) and saves each
form empty, then every page passes axe and the Content Security Policy holds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from rrp.audit.services import Actor
from rrp.incidents import services
from rrp.incidents.inputs import IncidentInput, InterventionInput, StaffInput


@pytest.fixture
def restraint_then_seclusion(
    transactional_db: None, organisation: Any, make_ward: Callable[..., Any],
    make_patient: Callable[..., Any], make_admission: Callable[..., Any],
) -> Any:
    ward = make_ward(code="OAK", name="Oak Ward")
    patient = make_patient(local_id="P1001", given_name="Jo", family_name="Bloggs")
    make_admission(patient, ward, admitted_on=dt.date(2026, 1, 1))
    start = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(hours=2)

    def at(minutes: int) -> dt.datetime:
        return start + dt.timedelta(minutes=minutes)

    return services.incident_create(
        actor=Actor(user=None, via="cli"), organisation=organisation,
        data=IncidentInput(
            ward=ward, patient=patient, started_at=at(0), ended_at=None, reason="10",
            description="Held standing, rapid tranquillisation, then secluded",
            efforts_to_avoid="Talking and space", outcome="In seclusion, calm",
            notification="no", in_care_plan=True,
            interventions=[
                InterventionInput("07", at(0), at(5)),
                InterventionInput("14", at(3), at(3), drug="Lorazepam", dose="2 mg",
                                  route="im"),
                InterventionInput("05", at(6), None),
            ],
            staff=[StaffInput("Sam Lee", "Staff nurse", "lead"),
                   StaffInput("Kim Ode", "Staff nurse", "monitoring_wellbeing")],
        ),
    )


def test_every_incident_page_passes_the_accessibility_check(
    restraint_then_seclusion: Any, sign_in_as: Callable[..., Any],
    visit: Callable[[str], Page], checked: Callable[[Page], Page],
) -> None:
    incident = restraint_then_seclusion
    # A lead who is also a doctor: only a doctor records a medical review (ADR 7).
    sign_in_as("rrp_lead", roles=("rrp_lead", "doctor"), full_name="Grace Mensah")
    duty = incident.duties.filter(kind="care_plan_review").first() or incident.duties.first()
    base = f"/uses-of-force/{incident.pk}"
    forms = [
        f"{base}/change/", f"{base}/medical-review/", f"{base}/observations/?kind=physical",
        f"{base}/observations/?kind=rapid_tranquillisation", f"{base}/support/?for=patient",
        f"{base}/support/?for=staff", f"{base}/reflection-review/", f"{base}/patient-account/",
        f"{base}/reviews/?kind=seclusion_nursing_review", f"{base}/review/",
        f"{base}/entered-in-error/", f"{base}/not-required/?duty={duty.pk}",
    ]
    for path in ["/uses-of-force/", "/uses-of-force/duties/", "/uses-of-force/escalations/",
                 f"{base}/", "/wards/OAK/", f"/patients/{incident.patient_id}/"]:
        visit(path)
    for path in forms:
        page = visit(path)
        # When the form is saved empty (or, on the change page, without a reason)
        page.locator("form[method=post] button.nhsuk-button").last.click()
        checked(page)
        expect(page.locator(".nhsuk-error-summary")).to_be_visible()


def test_the_recording_form_shows_what_the_answers_need(
    restraint_then_seclusion: Any, sign_in_as: Callable[..., Any],
    visit: Callable[[str], Page], checked: Callable[[Page], Page],
) -> None:
    sign_in_as("ward_staff")
    page = visit("/uses-of-force/record/?ward=OAK")
    row = page.get_by_role("group", name="Type of force 1")
    drug = row.get_by_label("Drug")
    ended_on = row.get_by_label("Ended on (if a later day)")
    # Given nothing chosen, the drug, dose, route and later end date are out of the way
    expect(drug).to_be_hidden()
    expect(ended_on).to_be_hidden()
    # When rapid tranquillisation is chosen, its drug, dose, route and risk appear
    row.get_by_label("Type or position").select_option(label="Rapid tranquillisation (injection)")
    expect(drug).to_be_visible()
    expect(row.get_by_label("Route")).to_be_visible()
    expect(row.get_by_label("Higher risk: checks every 15 minutes")).to_be_visible()
    # and seclusion asks instead when it ended, if on a later day
    row.get_by_label("Type or position").select_option(label="Seclusion")
    expect(drug).to_be_hidden()
    expect(ended_on).to_be_visible()
    # An injury is asked about only when someone was injured
    injured = page.get_by_role("group", name="Was anyone injured?")
    who = page.get_by_label("Who was injured")
    expect(who).to_be_hidden()
    injured.get_by_label("Yes", exact=True).check()
    expect(who).to_be_visible()
    # Adding a row keeps what was chosen, with no errors shown
    page.get_by_role("button", name="Add another type of force").click()
    checked(page)
    expect(page.get_by_role("group", name="Type of force 5")).to_be_visible()
    expect(page.get_by_role("group", name="Type of force 1").get_by_label("Type or position")
           ).to_have_value("05")
    expect(page.locator(".nhsuk-error-summary")).to_have_count(0)
