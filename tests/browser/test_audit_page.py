"""The audit trail: an administrator finds who looked at a patient's record, and when."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect


def test_an_administrator_finds_who_viewed_a_patient(
    sign_in_as: Any, patient: Any, make_user: Any, client_for: Any, visit: Any, checked: Any
) -> None:
    # Given a nurse has opened a patient's page
    nurse = make_user("ward_staff", username="nina")
    client_for(nurse).get(f"/patients/{patient.pk}/")
    # When an administrator searches the audit trail for the nurse's views
    sign_in_as("org_admin")
    page = visit("/audit/")
    page.get_by_label("Username").fill("nina")
    page.get_by_label("Action").select_option("view")
    page.get_by_role("button", name="Search the trail").click()
    page.wait_for_url("**/audit/?*")
    checked(page)
    # Then the view is listed with the record it was about
    table = page.get_by_role("table", name="Audit events, newest first")
    expect(table.get_by_role("row")).to_have_count(2)
    row = table.get_by_role("row").nth(1)
    expect(row).to_contain_text("nina")
    expect(row).to_contain_text("Viewed")
    expect(row).to_contain_text(f"patients.patient:{patient.pk}")
    # (the patient by record number: an administrator without patient access never sees the
    # local identifier, issue 11)
    expect(row).to_contain_text("Patient page [patient] viewed")
