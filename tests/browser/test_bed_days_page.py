"""Entering occupied bed days for a ward and month: a figure beyond what the ward can hold is
explained next to the field, and a good figure shows on the ward's page."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect


def test_a_ward_manager_enters_a_month_of_bed_days(
    sign_in_as: Any, ward: Any, visit: Any, checked: Any
) -> None:
    # Given a ward manager on Oak Ward's page
    sign_in_as("ward_manager")
    page = visit("/wards/OAK/")
    # When they follow the link to enter bed days, the form already has the ward
    page.get_by_role("link", name="Enter bed days for Oak Ward").click()
    page.wait_for_url("**/bed-days/**")
    checked(page)
    expect(page.get_by_label("Ward", exact=True)).to_have_value(str(ward.pk))
    # And they enter more nights than 18 beds have in February
    page.get_by_label("Month").fill("2026-02")
    page.get_by_label("Occupied bed days").fill("600")
    page.get_by_role("button", name="Save bed days").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    checked(page)
    # Then the problem is explained and links to the field
    expect(summary).to_contain_text("504 bed days at most")
    expect(summary.get_by_role("link")).to_have_attribute("href", "#id_bed_days")
    expect(page.locator("#id_bed_days-error")).to_contain_text("504 bed days at most")
    # When they correct it
    page.get_by_label("Occupied bed days").fill("480")
    page.get_by_role("button", name="Save bed days").click()
    page.wait_for_url("**/wards/OAK/")
    checked(page)
    # Then the ward's page confirms it and lists the month
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text(
        "480 bed days saved for Oak Ward in February 2026"
    )
    table = page.get_by_role("table", name="Occupied bed days by month for Oak Ward")
    expect(table.get_by_role("row").filter(has_text="February 2026")).to_contain_text("Entered")
