"""What the use of force form uses from the plan: the current plan, the warnings when what was
done conflicts with it, the answer to "were the types used in the care plan", and the
includes that draw the plan at a glance and the warnings."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.test import RequestFactory

from rrp.careplans import services
from rrp.careplans.selectors import current_safety_plan
from rrp.careplans.warnings import restraint_warnings, types_in_plan

from .conftest import plan_input


def test_recording_prone_restraint_for_a_person_with_asthma_shows_the_warning(
    clock: Any, jo: Any, nurse_actor: Any
) -> None:
    services.safety_plan_version_create(actor=nurse_actor, patient=jo, data=plan_input())
    plan = current_safety_plan(jo)
    warnings = restraint_warnings(plan, ["07", "01"])
    assert [(w.intervention_code, w.rule, w.severity) for w in warnings] == [
        ("01", "asked_not_to_be_held", "warning"),
        ("01", "position_risk", "warning"),
        ("07", "exertion", "caution"),
    ]
    assert "Inhaler to hand; no pressure on the chest or back" in warnings[1].strategies[0]
    html = render_to_string(
        "careplans/includes/restraint_warnings.html", {"restraint_warnings": warnings}
    )
    assert "Prone restraint (face down) is risky for this person" in html
    assert "They asked not to have prone restraint (face down)" in html
    assert "What the plan says to do:" in html


def test_whether_the_types_used_were_in_the_plan_is_answered_from_it(
    clock: Any, jo: Any, nurse_actor: Any
) -> None:
    assert types_in_plan(current_safety_plan(jo), ["07"]) is None  # no plan yet: ask
    services.safety_plan_version_create(actor=nurse_actor, patient=jo, data=plan_input())
    plan = current_safety_plan(jo)
    assert types_in_plan(plan, ["07", "10"]) is True  # preferred and less preferred
    assert types_in_plan(plan, ["07", "01"]) is False  # prone is not agreed


def test_the_plan_at_a_glance_include_draws_on_any_page(
    clock: Any, jo: Any, nurse_actor: Any, nurse: Any, organisation: Any
) -> None:
    request = RequestFactory().get("/")
    request.user = nurse
    context = {"patient": jo, "organisation": organisation, "request": request}
    empty = render_to_string(
        "careplans/includes/plan_at_a_glance.html", {**context, "safety_plan": None}
    )
    assert "There is no safety plan in RRP for this person" in empty
    assert f"/patients/{jo.pk}/safety-plan/write/" in empty
    services.safety_plan_version_create(actor=nurse_actor, patient=jo, data=plan_input())
    html = render_to_string(
        "careplans/includes/plan_at_a_glance.html",
        {**context, "safety_plan": current_safety_plan(jo), "glance_links": False},
    )
    for text in (
        "Risks in restraint",
        "They asked not to have:",
        "Asthma or another respiratory condition",
        "Offer the garden and a drink",
        "Crowding me, raised voices",
        "Short sentences; give time to answer",
        "Standing restraint",
    ):
        assert text in html, text
    assert "Read the full safety plan" not in html  # links hidden inside a form


def test_a_use_of_force_recorded_later_is_judged_against_the_plan_current_at_the_time(
    clock: Any, jo: Any, nurse_actor: Any
) -> None:
    import datetime as dt

    from rrp.careplans.selectors import safety_plan_at

    from .conftest import NOW

    before = NOW - dt.timedelta(hours=1)
    assert safety_plan_at(jo, before) is None
    first = services.safety_plan_version_create(actor=nurse_actor, patient=jo, data=plan_input())
    clock.move_to(NOW + dt.timedelta(days=2))
    services.safety_plan_version_create(
        actor=nurse_actor,
        patient=jo,
        data=plan_input(
            changes="Prone now agreed as a last resort",
            positions_to_avoid=[],
            less_preferred_interventions=["10", "01"],
        ),
    )
    at_the_time = safety_plan_at(jo, NOW + dt.timedelta(days=1))
    assert at_the_time == first
    assert types_in_plan(at_the_time, ["01"]) is False
    assert types_in_plan(current_safety_plan(jo), ["01"]) is True
