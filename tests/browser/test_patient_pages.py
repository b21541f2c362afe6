"""Patients: the list, adding a person (with a mistake put right the NHS way: an error summary
linking to the field), and the patient's own page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from playwright.sync_api import Page, expect

from rrp.patients.models import Patient


def fill_date(page: Page, legend: str, day: str, month: str, year: str) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(day)
    group.get_by_label("Month").fill(month)
    group.get_by_label("Year").fill(year)


def test_the_patient_list_and_finding_someone(
    sign_in_as: Any, make_patient: Any, visit: Any, checked: Any
) -> None:
    # Given two patients
    make_patient(local_id="P1001", given_name="Jo", family_name="Bloggs", nhs_number="9434765919")
    make_patient(local_id="P1002", given_name="Sam", family_name="Okoro")
    sign_in_as("ward_staff")
    # When a nurse opens the patient list
    page = visit("/patients/")
    # Then both are listed with name and NHS number
    table = page.get_by_role("table", name="Patients")
    expect(table.get_by_role("row").filter(has_text="P1001")).to_contain_text("943 476 5919")
    expect(table.get_by_role("row").filter(has_text="P1002")).to_contain_text("Sam Okoro")
    # When they search by name
    page.get_by_label("Find a patient").fill("okoro")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/patients/?q=okoro")
    checked(page)
    # Then only that person is listed
    expect(page.get_by_role("table").get_by_role("row")).to_have_count(2)  # header and one
    expect(page.get_by_role("table")).to_contain_text("P1002")


def test_adding_a_patient_with_a_mistake_put_right(
    sign_in_as: Any, visit: Any, checked: Any
) -> None:
    # Given a nurse on the add a patient page
    sign_in_as("ward_staff")
    page = visit("/patients/")
    page.get_by_role("link", name="Add a patient").click()
    page.wait_for_url("**/patients/add/")
    checked(page)
    # When they type an NHS number with a digit wrong
    page.get_by_label("Local identifier").fill("P2001")
    page.get_by_label("NHS number (optional)").fill("943 476 5918")
    page.get_by_label("First name").fill("Ana")
    page.get_by_label("Last name").fill("Silva")
    fill_date(page, "Date of birth", "2", "7", "1990")
    page.get_by_label("Sex", exact=True).select_option("female")
    page.get_by_role("button", name="Save patient").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    checked(page)
    # Then an error summary says what is wrong, the title says there is an error,
    # and nothing was saved
    expect(page).to_have_title("Error: Add a patient – Reducing Restrictive Practice")
    expect(summary).to_contain_text("That is not a valid NHS number")
    assert not Patient.objects.filter(local_id="P2001").exists()
    # When they follow the link in the summary, it takes them to the field
    summary.get_by_role("link", name="That is not a valid NHS number").click()
    expect(page.get_by_label("NHS number (optional)")).to_be_focused()
    expect(page.locator("#id_nhs_number-error")).to_contain_text("not a valid NHS number")
    # And what they typed is still there
    expect(page.get_by_label("Last name")).to_have_value("Silva")
    # When they correct the number
    page.get_by_label("NHS number (optional)").fill("943 476 5919")
    page.get_by_role("button", name="Save patient").click()
    page.wait_for_url("**/patients/*/")
    checked(page)
    # Then the patient's page shows what was recorded
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("Patient P2001 added")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ana Silva")
    expect(page.get_by_role("heading", level=1)).to_contain_text("943 476 5919")


def test_a_patients_page_shows_who_they_are_and_their_ward_stays(
    sign_in_as: Any, make_patient: Any, ward: Any, make_admission: Any, visit: Any
) -> None:
    # Given a patient on Oak Ward since 1 March 2026, with some characteristics not known
    patient = make_patient(
        local_id="P1001", given_name="Jo", family_name="Bloggs", nhs_number="9434765919",
        date_of_birth=dt.date(1984, 3, 15), ethnic_category="M", legal_status="03",
    )
    make_admission(patient, ward, admitted_on=dt.date(2026, 3, 1))
    sign_in_as("doctor")
    # When a doctor opens the patient's page
    page = visit(f"/patients/{patient.pk}/")
    # Then it shows who they are, where they are, and what is not yet known
    expect(page.get_by_role("heading", level=1)).to_contain_text("Jo Bloggs")
    expect(page.locator("main")).to_contain_text("On Oak Ward since 1 March 2026")
    expect(page.locator("main")).to_contain_text("Black or Black British - Caribbean")
    expect(page.locator("main")).to_contain_text("Section 3")
    expect(page.locator("main")).to_contain_text("Some characteristics are ‘Not known’")
    stays = page.get_by_role("table", name="Ward stays of P1001")
    expect(stays).to_contain_text("Still on the ward")
