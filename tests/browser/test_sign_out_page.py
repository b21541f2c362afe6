"""Signing out from the header, on a shared ward PC."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect


def test_signing_out_from_the_header(sign_in_as: Any, visit: Any, checked: Any) -> None:
    # Given a signed-in person
    sign_in_as("org_admin")
    page = visit("/wards/")
    # When they choose Sign out in the header and confirm
    page.locator("header").get_by_role("link", name="Sign out").click()
    page.wait_for_url("**/sign-out/")
    checked(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign out")
    page.locator("main").get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in/")
    checked(page)
    # Then they are at the sign-in page, and pages need signing in again
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sign in")
    page.goto(page.url.replace("/sign-in/", "/wards/"))
    page.wait_for_url("**/sign-in/?next=/wards/")
    checked(page)
