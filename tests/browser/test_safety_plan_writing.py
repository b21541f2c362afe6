"""A nurse writes a safety plan with the person, then reviews it, in a real browser, with an
accessibility check on every page (standard 2.3: co-produced, traffic-light plan, preferred
interventions and positions to avoid, physical health risks in restraint, review date)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from playwright.sync_api import expect

from rrp.careplans.selectors import current_safety_plan


def test_a_nurse_writes_and_reviews_a_plan_with_the_person(
    db: None,
    sign_in_as: Any,
    visit: Any,
    checked: Any,
    make_ward: Any,
    make_patient: Any,
    make_admission: Any,
) -> None:
    # Given Jo is on Oak Ward with no safety plan, and a nurse is signed in
    oak = make_ward(code="OAK", name="Oak Ward")
    jo = make_patient(local_id="P1001", given_name="Jo", family_name="Bloggs")
    make_admission(jo, oak, admitted_on=dt.date.today() - dt.timedelta(days=3))
    sign_in_as("ward_staff", username="ada", full_name="Ada Okafor")

    # When the nurse opens Jo's page, it says there is no plan and offers to write one
    page = visit(f"/patients/{jo.pk}/")
    expect(page.get_by_text("There is no safety plan in RRP for this person")).to_be_visible()
    page.get_by_role("link", name="Write a safety plan with Jo").click()
    checked(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Write a safety plan")

    # And signs it without confirming: the error summary names the problem and links to it
    page.get_by_role("button", name="Sign version 1").click()
    checked(page)
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Choose why you are writing or reviewing the plan")
    expect(summary).to_contain_text("Confirm that you are signing this plan")
    expect(page).to_have_title("Error: Write a safety plan – P1001 – Reducing Restrictive Practice")

    # And writes it with Jo: who took part, Jo's words, the traffic-light plan...
    page.get_by_label("On admission").check()
    page.get_by_role("group", name="Did the person take part in writing the plan?").get_by_label(
        "Yes, the person took part"
    ).check()
    page.get_by_label("What the person wants staff to know, in their own words").fill(
        "Give me space and talk to me quietly. Don't crowd me."
    )
    page.get_by_label("Not appropriate, or there is no family member or carer").check()
    page.get_by_label("Known triggers").fill("Loud alarms; being told no without a reason")
    page.get_by_label("Amber: early warning signs").fill("Pacing, going quiet")
    page.get_by_label("Amber: what helps when they are becoming distressed").fill(
        "The garden and a drink; one familiar nurse"
    )
    page.get_by_label("What makes things worse (optional)").fill("Crowding, raised voices")
    # ...the interventions Jo prefers and the position Jo asked not to be held in...
    page.get_by_role(
        "group", name="Interventions the person prefers, if one is needed"
    ).get_by_label("Physical restraint - Standing").check()
    page.get_by_role("group", name="Positions the person asked not to be held in").get_by_label(
        "Physical restraint - Prone"
    ).check()
    # ...and Jo's asthma, with how staff reduce the risk (revealed when ticked)
    page.get_by_role("checkbox", name="Asthma or another respiratory condition").check()
    page.get_by_label(
        "How staff reduce the risk from asthma or another respiratory condition"
    ).fill("Inhaler to hand; never face down")
    page.get_by_label("Communication needs (optional)").fill("Short sentences")
    page.get_by_label("I, Ada Okafor, confirm this plan was written").check()
    page.get_by_role("button", name="Sign version 1").click()
    checked(page)

    # Then the plan is signed as version 1, by the nurse, with the risks in restraint first
    expect(page.get_by_text("Safety plan version 1 signed")).to_be_visible()
    expect(page.get_by_text("Version 1, signed by Ada Okafor")).to_be_visible()
    expect(
        page.locator(".nhsuk-summary-list__row", has_text="Asked not to be held")
    ).to_contain_text("Prone restraint")
    expect(page.get_by_text("Give me space and talk to me quietly.")).to_be_visible()

    # And Jo's page shows the plan at a glance
    page = visit(f"/patients/{jo.pk}/")
    glance = page.locator(
        "section", has=page.get_by_role("heading", name="Safety plan at a glance")
    )
    expect(glance).to_contain_text("Risks in restraint")
    expect(glance).to_contain_text("prone restraint (face down)")
    expect(glance).to_contain_text("Inhaler to hand; never face down")
    expect(glance).to_contain_text("The garden and a drink; one familiar nurse")

    # When the nurse reviews the plan with Jo, it starts from version 1
    page.get_by_role("link", name="Read the full safety plan").click()
    checked(page)
    page.get_by_role("button", name="Review this plan with Jo").click()
    checked(page)
    expect(page.get_by_label("Known triggers")).to_have_value(
        "Loud alarms; being told no without a reason"
    )
    page.get_by_label("Review on the planned date").check()
    page.get_by_role("group", name="Did the person take part in writing the plan?").get_by_label(
        "Yes, the person took part"
    ).check()
    page.get_by_label("What the person wants staff to know, in their own words").fill(
        "The garden helps. My sister can visit on Sundays now."
    )
    page.get_by_label("Not appropriate, or there is no family member or carer").check()
    page.get_by_label("What changed at this review, and why").fill("Added Sunday visits")
    page.get_by_label("I, Ada Okafor, confirm this plan was written").check()
    page.get_by_role("button", name="Sign version 2").click()
    checked(page)

    # Then version 2 is the current plan and version 1 is kept
    expect(page.get_by_text("Safety plan version 2 signed")).to_be_visible()
    page.get_by_role("link", name="All versions of this plan").click()
    checked(page)
    table = page.get_by_role("table", name="Every version of the safety plan, newest first")
    expect(table.get_by_role("row")).to_have_count(3)
    expect(table.get_by_role("row").nth(1)).to_contain_text("Current")
    plan = current_safety_plan(jo)
    assert plan is not None and plan.number == 2 and plan.positions_to_avoid == ["01"]
