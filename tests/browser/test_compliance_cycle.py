"""A restrictive practice lead runs a whole self-assessment cycle in the browser: plans it as a
copy of last year's, rates a statement not applicable (with the rationale the standard asks
for), uploads evidence, raises an action, submits the cycle for review and signs it off.
Every page is checked for accessibility and the Content Security Policy."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfWriter

from rrp.audit.services import Actor


def _pdf() -> bytes:
    """A real one-page PDF: uploads are read with pypdf, so a hand-made one must be whole."""
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PDF = _pdf()


@pytest.fixture
def last_year(transactional_db: None, organisation: Any, make_user: Any) -> Any:
    """Last year's self-assessment, every statement rated met, signed off by the lead."""
    from rrp.standards import services
    from rrp.standards.loading import load_into
    from rrp.standards.models import ComplianceStatement, StandardsEdition, StatementAssessment

    # Browser tests empty the database between tests; the catalogue is loaded again if so.
    load_into(StandardsEdition, ComplianceStatement, "nms-2019-12")
    lead = make_user("rrp_lead", username="grace", full_name="Grace Mensah")
    make_user("ward_manager", username="tom", full_name="Tom Brennan")
    actor = Actor(user=lead, via="web")
    cycle = services.cycle_create(
        actor=actor,
        organisation=organisation,
        name="2025/26 annual",
        period_start=dt.date(2025, 4, 1),
        period_end=dt.date(2026, 3, 31),
    )
    services.cycle_start(actor=actor, cycle=cycle)
    StatementAssessment.objects.filter(cycle=cycle).update(rating="met", narrative="In place")
    services.cycle_submit_for_review(actor=actor, cycle=cycle)
    services.cycle_sign_off(actor=actor, cycle=cycle, statement="Assured last year.")
    return lead


def date(page: Page, field: str, day: str, month: str, year: str) -> None:
    for part, value in enumerate((day, month, year)):
        page.locator(f"#id_{field}-{part}").fill(value)


def test_a_lead_runs_a_whole_self_assessment_cycle(
    last_year: Any,
    page: Page,
    visit: Any,
    checked: Any,
    live_server: Any,
    client_for: Any,
    organisation: Any,
) -> None:
    # Given the lead is signed in (as last year's signed-off cycle's lead)
    client = client_for(last_year, organisation)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    visit("/compliance/")

    # When they plan this year's cycle as a copy of last year's
    page.get_by_role("button", name="Plan a new assessment cycle").click()
    checked(page)
    page.get_by_label("Name of the cycle").fill("2026/27 annual")
    date(page, "period_start", "1", "4", "2026")
    date(page, "period_end", "31", "3", "2027")
    page.get_by_label("Yes, copy 2025/26 annual (signed off)").check()
    page.get_by_role("button", name="Save cycle").click()
    checked(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("2026/27 annual")
    expect(page.get_by_text("Planned", exact=True)).to_be_visible()

    # And start it
    page.get_by_role("button", name="Start the assessment").click()
    checked(page)
    expect(page.get_by_text("209 statements still have the rating carried forward")).to_be_visible()
    cycle_path = page.url.replace(live_server.url, "")

    # And rate 3.5.X not applicable, first forgetting the rationale
    page.get_by_role("link", name="3.5.X", exact=True).click()
    checked(page)
    page.get_by_role("link", name="Change the assessment").click()
    checked(page)
    page.get_by_label("Not applicable").check()
    page.get_by_role("button", name="Save assessment").click()
    checked(page)
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Enter why this statement does not apply to your organisation")
    expect(summary).to_contain_text("Describe the alternative safe practice arrangements in place")
    expect(page).to_have_title("Error: Rate 3.5.X – Reducing Restrictive Practice")
    page.get_by_label("Why does this statement not apply?").fill(
        "We use no external training provider: all training is given by our own team."
    )
    page.get_by_label("What safe practice arrangements are in place instead?").fill(
        "Our trainers' credentials are checked at appointment and every year."
    )
    page.get_by_role("button", name="Save assessment").click()
    checked(page)
    expect(page.get_by_text("3.5.X saved: not applicable")).to_be_visible()
    expect(page.get_by_text("We use no external training provider")).to_be_visible()

    # And upload evidence for it
    page.get_by_role("link", name="Add evidence").click()
    checked(page)
    page.get_by_role("link", name="Upload a file").click()
    checked(page)
    page.locator("input[type=file]").set_input_files(
        {"name": "trainer-checks.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_label("Title").fill("Trainer credential checks")
    page.get_by_role("button", name="Add evidence").click()
    checked(page)
    expect(page.get_by_role("link", name="E1: Trainer credential checks")).to_be_visible()
    expect(page.get_by_text("file, trainer-checks.pdf")).to_be_visible()

    # And rate 1.2.I partially met and raise an action for it
    visit(cycle_path + "statements/1.2.I/")
    page.get_by_role("link", name="Change the assessment").click()
    checked(page)
    page.get_by_label("Partially met").check()
    page.get_by_label("Narrative").fill(
        "People who use our services are not yet part of the strategy group."
    )
    page.get_by_label("Owner").select_option(label="Tom Brennan")
    page.get_by_role("button", name="Save assessment").click()
    checked(page)
    page.get_by_role("link", name="Raise an action").click()
    checked(page)
    page.get_by_label("What will be done").fill(
        "Recruit a lived-experience panel with the advocacy service"
    )
    page.get_by_label("Owner").select_option(label="Tom Brennan")
    date(page, "due_on", "30", "9", "2030")
    page.get_by_role("button", name="Save action").click()
    checked(page)
    actions = page.get_by_role("table", name="Actions for 1.2.I")
    expect(actions).to_contain_text("Recruit a lived-experience panel")
    expect(actions).to_contain_text("Tom Brennan")

    # And submit the cycle for review
    visit(cycle_path)
    page.get_by_role("link", name="Submit for review").click()
    checked(page)
    page.get_by_role("button", name="Submit for review").click()
    checked(page)
    expect(page.get_by_text("In review", exact=True)).to_be_visible()

    # And sign it off as executive lead
    page.get_by_role("link", name="Sign off").click()
    checked(page)
    page.get_by_label("Sign-off statement for the board").fill(
        "I am assured this is a fair account of our compliance."
    )
    page.get_by_role("button", name="Sign off and lock").click()
    checked(page)

    # Then the board summary shows the signed-off cycle and what changed since last year
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Compliance summary: 2026/27 annual"
    )
    expect(page.get_by_text("Signed off", exact=True)).to_be_visible()
    expect(
        page.get_by_text("I am assured this is a fair account of our compliance.")
    ).to_be_visible()
    expect(
        page.get_by_text("Compared with 2025/26 annual: 0 statements improved, 1 worsened")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Download the PDF for the board")).to_be_visible()

    # And the cycle is locked
    visit(cycle_path)
    expect(page.get_by_text("This cycle is locked", exact=False)).to_be_visible()
    expect(page.get_by_role("link", name="Submit for review")).to_have_count(0)
