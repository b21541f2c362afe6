"""The home page says what needs the person's attention, under an NHS.UK header naming the
service, their organisation and the areas their role can use."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect


def test_a_nurse_sees_their_organisation_and_the_areas_they_work_in(
    sign_in_as: Any, visit: Any
) -> None:
    # Given a nurse is signed in
    sign_in_as("ward_staff", username="nina", full_name="Nina Shah")
    # When they open the home page
    page = visit("/")
    # Then the header names the service, their organisation and them
    header = page.locator("header")
    expect(header).to_contain_text("Reducing Restrictive Practice")
    expect(header).to_contain_text("Example NHS Trust")
    expect(header).to_contain_text("Nina Shah")
    # And the navigation offers what a nurse uses, and not the administrator's areas
    navigation = page.get_by_role("navigation", name="Menu")
    expect(navigation.get_by_role("link", name="Patients")).to_have_count(1)
    expect(navigation.get_by_role("link", name="Wards")).to_have_count(1)
    expect(navigation.get_by_role("link", name="Audit")).to_have_count(0)
    expect(navigation.get_by_role("link", name="People")).to_have_count(0)
    # And the page says what needs attention, in words for people
    expect(page.get_by_role("heading", level=1)).to_contain_text("What needs your attention")
    expect(page.get_by_text("Your roles here")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Ward staff")


def test_an_administrator_sees_people_and_the_audit_trail_but_no_patients(
    sign_in_as: Any, visit: Any
) -> None:
    # Given an organisation administrator is signed in
    sign_in_as("org_admin", username="adam", full_name="Adam Price")
    # When they open the home page
    page = visit("/")
    # Then they can reach people and the audit trail, and patient records are not offered
    navigation = page.get_by_role("navigation", name="Menu")
    expect(navigation.get_by_role("link", name="People")).to_have_count(1)
    expect(navigation.get_by_role("link", name="Audit")).to_have_count(1)
    expect(navigation.get_by_role("link", name="Patients")).to_have_count(0)
    # And with nothing due, the page says so plainly
    expect(page.locator("main")).to_contain_text("Nothing needs your attention right now")
    expect(page.locator("main")).to_contain_text("Organisation administrator")
