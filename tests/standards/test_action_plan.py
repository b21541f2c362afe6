"""The action plan: actions raised from statements not fully met, with an owner, a due date
and progress notes; overdue ones on the home page of their owner and of the lead; open ones
carried into later cycles and progressed after sign-off."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError

from rrp.audit.services import Actor
from rrp.standards import services
from rrp.standards.models import ActionStatus

from .conftest import LONDON, assessment_of, rate_everything

APRIL = dt.datetime(2026, 4, 2, 9, tzinfo=LONDON)
OCTOBER = dt.datetime(2026, 10, 5, 9, tzinfo=LONDON)


@pytest.fixture
def manager(make_user: Any) -> Any:
    return make_user("ward_manager", username="tom", full_name="Tom Brennan")


@pytest.fixture
def gap(cycle: Any, lead_actor: Actor) -> Any:
    assessment = assessment_of(cycle, "2.2.V")
    services.assessment_update(
        actor=lead_actor, assessment=assessment, rating="partially_met", narrative="Two wards late"
    )
    return assessment


def test_actions_come_from_statements_not_fully_met(
    cycle: Any, lead_actor: Actor, manager: Any
) -> None:
    met = assessment_of(cycle, "1.1.I")
    services.assessment_update(actor=lead_actor, assessment=met, rating="met")
    with pytest.raises(ValidationError, match="partially met or not met"):
        services.action_raise(
            actor=lead_actor,
            assessment=met,
            description="x",
            owner=manager,
            due_on=dt.date(2026, 12, 1),
        )


def test_an_action_needs_what_who_and_when(
    gap: Any, lead_actor: Actor, make_organisation: Any, make_user: Any
) -> None:
    with pytest.raises(ValidationError) as error:
        services.action_raise(
            actor=lead_actor, assessment=gap, description=" ", owner=None, due_on=None
        )
    assert error.value.message_dict == {
        "description": ["Describe the action to be taken"],
        "owner": ["Choose who owns the action"],
        "due_on": ["Enter the date the action is due"],
    }
    outsider = make_user("rrp_lead", organisation=make_organisation(ods_code="R2B"))
    with pytest.raises(ValidationError) as error:
        services.action_raise(
            actor=lead_actor,
            assessment=gap,
            description="Audit",
            owner=outsider,
            due_on=dt.date(2026, 12, 1),
            now=APRIL,
        )
    assert error.value.message_dict["owner"] == [
        "The owner must be someone in Example NHS Trust who can see the compliance pages"
    ]
    with pytest.raises(ValidationError) as error:
        services.action_raise(
            actor=lead_actor,
            assessment=gap,
            description="Audit",
            owner=lead_actor.user,
            due_on=dt.date(2026, 4, 1),
            now=APRIL,
        )
    assert error.value.message_dict["due_on"] == ["The due date must be today or in the future"]


def test_overdue_actions_show_on_the_home_page_of_their_owner_and_the_lead(
    gap: Any,
    lead_actor: Actor,
    manager: Any,
    lead: Any,
    client_for: Any,
    organisation: Any,
    make_user: Any,
) -> None:
    services.action_raise(
        actor=lead_actor,
        assessment=gap,
        description="Set a 72-hour standard",
        owner=manager,
        due_on=dt.date(2026, 6, 30),
        now=APRIL,
    )
    services.action_raise(
        actor=lead_actor,
        assessment=gap,
        description="Dashboard of overdue reviews",
        owner=lead,
        due_on=dt.date(2026, 12, 31),
        now=APRIL,
    )
    other_manager = make_user("ward_manager", username="sue")
    with time_machine.travel(OCTOBER, tick=False):
        owner_home = client_for(manager, organisation).get("/").content.decode()
        lead_home = client_for(lead, organisation).get("/").content.decode()
        other_home = client_for(other_manager, organisation).get("/").content.decode()
        mine = (
            client_for(manager, organisation)
            .get("/compliance/actions/?status=overdue&mine=1")
            .content.decode()
        )
    assert "Overdue compliance actions" in owner_home
    assert "Compliance actions you own that are past their due date" in owner_home
    assert "Overdue compliance actions" in lead_home
    assert "Overdue compliance actions" not in other_home
    assert "Set a 72-hour standard" in mine
    assert "Dashboard of overdue reviews" not in mine


def test_progress_is_recorded_by_the_owner_or_the_lead_only(
    gap: Any,
    lead_actor: Actor,
    manager: Any,
    client_for: Any,
    organisation: Any,
    make_user: Any,
) -> None:
    action = services.action_raise(
        actor=lead_actor,
        assessment=gap,
        description="Set a 72-hour standard",
        owner=manager,
        due_on=dt.date(2026, 12, 31),
    )
    url = f"/compliance/actions/{action.pk}/"
    board = client_for(make_user("board"), organisation)
    assert board.get(url).status_code == 200
    assert board.post(url, {"status": "done", "note": "Done"}).status_code == 403
    owner = client_for(manager, organisation)
    response = owner.post(url, {"status": "in_progress", "note": ""})
    assert "Describe the progress made" in response.content.decode()
    assert (
        owner.post(
            url, {"status": "in_progress", "note": "Agreed at the ward managers' meeting"}
        ).status_code
        == 302
    )
    assert (
        owner.post(url, {"status": "done", "note": "Standard in place on all wards"}).status_code
        == 302
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert action.completed_on is not None
    assert [n.note for n in action.progress_notes.all()] == [
        "Standard in place on all wards",
        "Agreed at the ward managers' meeting",
    ]
    with pytest.raises(ValidationError, match="closed"):
        services.action_progress_record(
            actor=Actor(user=manager), action=action, note="More", status="in_progress"
        )


def test_open_actions_carry_into_the_next_cycle_and_progress_after_sign_off(
    cycle: Any,
    gap: Any,
    lead_actor: Actor,
    manager: Any,
    make_cycle: Any,
) -> None:
    action = services.action_raise(
        actor=lead_actor,
        assessment=gap,
        description="Set a 72-hour standard",
        owner=manager,
        due_on=dt.date(2027, 6, 30),
    )
    rate_everything(cycle, "partially_met")
    services.cycle_submit_for_review(actor=lead_actor, cycle=cycle)
    services.cycle_sign_off(actor=lead_actor, cycle=cycle, statement="Assured")
    # Delivering the plan goes on after the assessment is locked.
    services.action_progress_record(
        actor=Actor(user=manager), action=action, note="Started", status="in_progress"
    )
    following = make_cycle(
        name="2027/28 annual",
        period_start=dt.date(2027, 4, 1),
        period_end=dt.date(2028, 3, 31),
        copy_from=cycle,
    )
    from rrp.standards.selectors import actions_for

    carried = list(actions_for(assessment_of(following, "2.2.V")))
    assert carried == [action]
