"""Signing in, in a real browser: the demo sign-in page lists its accounts and says the data is
synthetic; a person signs in with the form and lands on their home page."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from rrp.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD


def test_the_demo_sign_in_page_lists_an_account_for_each_role(
    settings: Any, db: None, visit: Any
) -> None:
    # Given the demo is running
    settings.DEMO_MODE = True
    # When someone opens the sign-in page
    page = visit("/sign-in/")
    # Then it says clearly that the data is synthetic, and lists one account per role
    expect(page.get_by_role("heading", name="This is a demonstration")).to_be_visible()
    expect(page.get_by_text("All people and records here are synthetic")).to_be_visible()
    table = page.get_by_role("table", name="Demo accounts, one for each role")
    for account in DEMO_ACCOUNTS:
        expect(table.get_by_role("row").filter(has_text=account["username"]).first).to_contain_text(
            account["role_label"]
        )
    expect(page.get_by_text(DEMO_PASSWORD)).to_be_visible()


def test_a_demo_account_signs_in_with_the_listed_password(
    settings: Any, transactional_db: None, demo_without_other_capabilities: None, visit: Any,
    checked: Any,
) -> None:
    from rrp.demo.generator import seed_demo

    # Given the demo provider is loaded
    settings.DEMO_MODE = True
    seed_demo(seed=1)
    page = visit("/sign-in/")
    # When the nurse signs in with the password the page shows
    page.get_by_label("Username").fill("nurse")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
    checked(page)
    # Then they see the demo trust's home page, with their name and organisation in the header
    expect(page.get_by_role("heading", level=1)).to_contain_text("What needs your attention")
    expect(page.locator("header")).to_contain_text("Northgate Mental Health NHS Foundation Trust")
    expect(page.locator("header")).to_contain_text("Ada Okafor")
    expect(page.locator("header")).to_contain_text("Reducing Restrictive Practice")


def test_a_wrong_password_is_explained(
    db: None, make_user: Any, visit: Any, checked: Any
) -> None:
    # Given a person with an account
    make_user("ward_staff", username="ann")
    page = visit("/sign-in/")
    # When they type the wrong password
    page.get_by_label("Username").fill("ann")
    page.get_by_label("Password").fill("not my password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    checked(page)
    # Then the page says what to do, and the title says there is an error
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "Enter a correct username and password"
    )
    expect(page).to_have_title("Error: Sign in – Reducing Restrictive Practice")
    expect(page.get_by_label("Username")).to_have_value("ann")


def test_signing_in_outside_the_demo_lists_no_accounts(db: None, visit: Any) -> None:
    page = visit("/sign-in/")
    heading = page.get_by_role("heading", name="Sign in to Reducing Restrictive Practice")
    expect(heading).to_be_visible()
    expect(page.get_by_text("Demo accounts")).to_have_count(0)


def test_every_page_links_to_the_accessibility_statement(
    db: None, visit: Any, checked: Any
) -> None:
    # Given someone on the sign-in page
    page = visit("/sign-in/")
    # When they follow the footer's accessibility statement link
    page.locator("footer").get_by_role("link", name="Accessibility statement").click()
    page.wait_for_url("**/accessibility/")
    checked(page)
    # Then they can read it without signing in
    expect(page.get_by_role("heading", level=1)).to_have_text("Accessibility statement")
