"""Plans past their review date and people on a ward with no plan are listed for the people
responsible: the worklist, the ward page include and the home page (frozen clock)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rrp.careplans import selectors, services

from .conftest import ADMITTED, NOW, plan_input


def test_a_plan_moves_from_in_date_to_due_soon_to_overdue_as_time_passes(
    clock: Any, jo: Any, nurse_actor: Any
) -> None:
    services.safety_plan_version_create(actor=nurse_actor, patient=jo, data=plan_input())
    states = []
    for day in (
        dt.date(2026, 3, 10),
        dt.date(2026, 3, 30),
        dt.date(2026, 4, 6),
        dt.date(2026, 4, 7),
    ):
        clock.move_to(dt.datetime.combine(day, dt.time(9), NOW.tzinfo))
        [row] = selectors.plan_rows(jo.organisation, day)
        states.append(row.state)
    assert states == ["in_date", "due_soon", "due_soon", "overdue"]


def test_the_worklist_puts_overdue_plans_and_people_without_one_first(
    clock: Any,
    jo: Any,
    oak: Any,
    make_ward: Any,
    make_patient: Any,
    make_admission: Any,
    nurse_actor: Any,
) -> None:
    ash = make_ward(code="ASH", name="Ash Ward")
    in_date = make_patient(local_id="P2")
    make_admission(in_date, ash, admitted_on=ADMITTED)
    no_plan = make_patient(local_id="P3")
    make_admission(no_plan, oak, admitted_on=ADMITTED)
    gone_home = make_patient(local_id="P4")
    make_admission(
        gone_home, oak, admitted_on=dt.date(2026, 1, 5), discharged_on=dt.date(2026, 3, 1)
    )
    services.safety_plan_version_create(
        actor=nurse_actor,
        patient=jo,
        data=plan_input(agreed_on=dt.date(2026, 3, 3), review_on=dt.date(2026, 3, 10)),
    )
    services.safety_plan_version_create(actor=nurse_actor, patient=in_date, data=plan_input())
    clock.move_to(NOW + dt.timedelta(days=1))
    today = dt.date(2026, 3, 11)
    rows = selectors.plan_rows(jo.organisation, today)
    assert [(r.patient.local_id, r.state) for r in rows] == [
        ("P1001", "overdue"),
        ("P3", "missing"),
        ("P2", "in_date"),
    ]
    assert [r.patient.local_id for r in selectors.ward_safety_plans(oak, today)] == ["P1001", "P3"]
    counts = selectors.plan_counts(rows)
    assert (counts.overdue, counts.missing, counts.in_date, counts.needing_action) == (1, 1, 1, 2)


def test_the_home_page_shows_ward_staff_the_plans_of_their_ward(
    clock: Any,
    jo: Any,
    oak: Any,
    client_for: Any,
    system_actor: Any,
    nurse_actor: Any,
) -> None:
    from rrp.organisations.services import user_add

    nurse = user_add(
        actor=system_actor,
        username="nina",
        organisation=jo.organisation,
        role="ward_staff",
        home_ward=oak,
    )
    page = client_for(nurse, jo.organisation).get("/").content.decode()
    assert "People with no safety plan" in page
    assert "People on Oak Ward with no safety plan in RRP" in page
    assert "/safety-plans/?state=missing&amp;ward=OAK" in page

    services.safety_plan_version_create(
        actor=nurse_actor, patient=jo, data=plan_input(review_on=dt.date(2026, 3, 12))
    )
    clock.move_to(NOW + dt.timedelta(days=3))
    page = client_for(nurse, jo.organisation).get("/").content.decode()
    assert "Safety plans past their review date" in page
    assert "People with no safety plan" not in page


def test_doctors_see_physical_examinations_overdue_on_their_home_page(
    clock: Any, jo: Any, client_as: Any
) -> None:
    page = client_as("doctor").get("/").content.decode()
    assert "Physical examinations overdue" in page
    assert "Safety plans past their review date" not in page  # plans are the ward's to review


def test_people_without_a_clinical_role_see_none_of_it(clock: Any, jo: Any, client_as: Any) -> None:
    page = client_as("board").get("/").content.decode()
    assert "safety plan" not in page.lower()
    assert "examination" not in page.lower()


def test_the_ward_page_include_lists_who_needs_a_plan_written_or_reviewed(
    clock: Any, jo: Any, oak: Any, nurse: Any, organisation: Any
) -> None:
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = nurse
    html = render_to_string(
        "careplans/includes/ward_plans.html",
        {
            "ward": oak,
            "safety_plans": selectors.ward_safety_plans(oak, NOW.date()),
            "request": request,
            "organisation": organisation,
        },
    )
    assert "Safety plans on Oak Ward" in html
    assert "1 of 1 person needs a plan written or reviewed" in html
    assert f"/patients/{jo.pk}/safety-plan/" in html
    assert "/safety-plans/?ward=OAK" in html
