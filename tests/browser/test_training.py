"""The trainer's journey in Chromium (issue 13): from the header's Training link, record a
physical skills class of 12 in one form (one not yet competent, with the plans the standard asks
for, 3.4.2.XXXIX), see the session; then the ward manager sees who on Oak Ward is out of date.
Every page is checked with axe and for Content Security Policy violations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from playwright.sync_api import Page, expect


def _register(organisation: Any, ward: Any) -> list[Any]:
    """Twelve people on Oak Ward, a physical skills course, and one person whose training ran
    out last month."""
    from rrp.audit.services import Actor
    from rrp.workforce import services
    from rrp.workforce.inputs import CourseInput, StaffInput, TrainingRecordInput

    actor = Actor(user=None, via="cli")
    course = services.course_create(actor=actor, organisation=organisation, data=CourseInput(
        code="RRN-L2", title="Physical skills (RRN certified)", level="physical",
        refresher_months=12,
    ))
    people = [
        services.staff_member_create(actor=actor, organisation=organisation, data=StaffInput(
            staff_number=f"E{2001 + n}", name=f"Person {n + 1:02d}", job_title="Staff nurse",
            employment="bank" if n % 4 == 0 else "permanent", wards=[ward.code],
        ))
        for n in range(12)
    ]
    lapsed = services.staff_member_create(actor=actor, organisation=organisation, data=StaffInput(
        staff_number="E3001", name="Lee Lapsed", job_title="Healthcare assistant",
        employment="permanent", wards=[ward.code],
    ))
    services.training_record_create(
        actor=actor, organisation=organisation,
        data=TrainingRecordInput(
            staff_id=lapsed.pk, course=course.code, outcome="competent",
            completed_on=timezone.localdate() - dt.timedelta(days=400),
            occupational_health_checked=True,
        ),
    )
    return people


def test_a_trainer_records_a_class_of_12_and_the_manager_sees_who_is_out_of_date(
    sign_in_as: Any, visit: Any, checked: Any, page: Page, organisation: Any, ward: Any,
) -> None:
    people = _register(organisation, ward)
    sign_in_as("trainer", full_name="Sam Patel")
    # When the trainer opens Training from the header and records a session
    page = visit("/")
    page.get_by_role("link", name="Training").first.click()
    checked(page)
    page.get_by_role("link", name="Training sessions").click()
    page.get_by_role("button", name="Record a session").click()
    checked(page)
    page.get_by_label("Course", exact=True).select_option(
        label="RRN-L2: Physical skills (RRN certified)")
    today = timezone.localdate()
    session = page.get_by_role("group", name="Date of the session")
    session.get_by_label("Day").fill(str(today.day))
    session.get_by_label("Month").fill(str(today.month))
    session.get_by_label("Year").fill(str(today.year))
    page.get_by_label("Trainer", exact=True).fill("Sam Patel")
    for n, person in enumerate(people):
        row = page.get_by_role("group", name=f"Person {n + 1}", exact=True)
        row.get_by_label("Staff number").fill(person.staff_number)
        if n == 11:
            row.get_by_label("Outcome").select_option(label="Not yet competent")
            row.get_by_text("Adjustments, or plans if not yet competent or excluded").click()
            row.get_by_label("Plan to reach competence").fill("Two practice sessions")
            row.get_by_label("Interim management plan").fill("Not in the restraint team")
        else:
            row.get_by_label("Outcome").select_option(label="Competent")
        row.get_by_label("Occupational health checklist completed").check()
    page.get_by_role("button", name="Save the session").click()
    # Then the session is kept with all twelve
    checked(page)
    expect(page.get_by_text("RRN-L2 session recorded for 12 people")).to_be_visible()
    expect(page.get_by_text("Person 12")).to_be_visible()
    expect(page.get_by_text("Not yet competent").first).to_be_visible()

    # And the ward manager sees who on Oak Ward is out of date
    sign_in_as("ward_manager", username="wm", full_name="Wendy Manager")
    page = visit("/training/?ward=OAK")
    out_of_date = page.locator("#out-of-date")
    expect(out_of_date).to_contain_text("Lee Lapsed")
    expect(out_of_date).to_contain_text("Person 12")  # not yet competent: never in date
    expect(out_of_date).not_to_contain_text("Person 01")
