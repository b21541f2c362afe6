"""A safety plan is kept as versions, each dated and signed by its author; a review writes the
next version and nothing already signed changes (standard 2.3, 2.4.VII)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from rrp.audit.models import AuditEvent
from rrp.careplans import selectors, services
from rrp.careplans.inputs import RiskFactorInput, SafetyPlanInput
from rrp.careplans.models import SafetyPlanVersion

from .conftest import NOW, plan_input


def test_the_first_plan_is_version_1_signed_by_its_author_with_their_job_title(
    clock: Any, jo: Any, make_user: Any, system_actor: Any
) -> None:
    from rrp.audit.services import Actor
    from rrp.organisations.services import user_add

    nurse = make_user("ward_staff", username="ada", full_name="Ada Okafor")
    user_add(
        actor=system_actor,
        username="ada",
        organisation=jo.organisation,
        role="doctor",
        job_title="Staff nurse, band 5",
    )
    version = services.safety_plan_version_create(
        actor=Actor(user=nurse), patient=jo, data=plan_input()
    )
    assert version.number == 1
    assert version.signed_by == nurse
    assert version.signed_name == "Ada Okafor"
    assert version.signed_job_title == "Staff nurse, band 5"
    assert version.signature == "Ada Okafor, Staff nurse, band 5"
    assert version.signed_at == NOW
    assert [f.code for f in version.risk_factor_list()] == ["respiratory"]
    assert selectors.current_safety_plan(jo) == version
    event = AuditEvent.objects.get(object_type="careplans.safetyplanversion", action="create")
    assert event.actor == nurse
    assert event.after["risk_factors"][0]["code"] == "respiratory"


def test_a_review_is_the_next_version_and_becomes_the_current_plan(
    clock: Any, jo: Any, nurse_actor: Any
) -> None:
    first = services.safety_plan_version_create(actor=nurse_actor, patient=jo, data=plan_input())
    clock.move_to(NOW + dt.timedelta(days=20))
    review = dataclasses.replace(
        SafetyPlanInput.from_version(first),
        occasion="scheduled",
        agreed_on=dt.date(2026, 3, 30),
        persons_words="Still the garden. And my sister can visit on Sundays now.",
        person_took_part="yes",
        review_on=dt.date(2026, 4, 27),
        changes="Added Sunday visits to what helps; nothing else changed",
    )
    second = services.safety_plan_version_create(actor=nurse_actor, patient=jo, data=review)
    assert second.number == 2
    assert selectors.current_safety_plan(jo) == second
    assert list(selectors.safety_plan_versions(jo)) == [second, first]
    first.refresh_from_db()
    assert first.persons_words == "Give me space and talk to me quietly. Don't crowd me."
    assert first.review_on == dt.date(2026, 4, 6)
    assert [f.strategies for f in second.risk_factor_list()] == [
        "Inhaler to hand; no pressure on the chest or back"
    ]


def test_a_review_must_say_what_changed(clock: Any, jo: Any, nurse_actor: Any) -> None:
    services.safety_plan_version_create(actor=nurse_actor, patient=jo, data=plan_input())
    with pytest.raises(ValidationError) as raised:
        services.safety_plan_version_create(actor=nurse_actor, patient=jo, data=plan_input())
    assert raised.value.message_dict == {
        "changes": ["Say what this review changed, or that nothing needed to change"]
    }
    assert SafetyPlanVersion.objects.count() == 1


def test_every_problem_is_named_at_once_and_nothing_is_written(
    clock: Any, jo: Any, nurse_actor: Any
) -> None:
    bad = plan_input(
        occasion="whenever",
        agreed_on=dt.date(2026, 3, 11),
        persons_words=" ",
        triggers="",
        preferred_interventions=["01", "99"],
        less_preferred_interventions=["01"],
        positions_to_avoid=["14"],
        risk_factors=[RiskFactorInput("respiratory", ""), RiskFactorInput("respiratory", "x")],
        review_on=dt.date(2026, 3, 9),
        carer_took_part="",
    )
    with pytest.raises(ValidationError) as raised:
        services.safety_plan_version_create(actor=nurse_actor, patient=jo, data=bad)
    problems = raised.value.message_dict
    assert problems["occasion"] == ["Choose why this plan is being written or reviewed"]
    assert problems["agreed_on"] == ["The date cannot be in the future"]
    assert problems["persons_words"] == ["Write down what the person said, in their own words"]
    assert problems["triggers"] == ["Enter the known triggers, or ‘None known yet’"]
    assert problems["carer_took_part"] == ["Say whether a family member or carer took part"]
    assert problems["preferred_interventions.1"] == [
        "'99' is not an intervention type: use the MHSDS codes"
    ]
    assert problems["positions_to_avoid.0"] == [
        "'14' is not a physical restraint position: use the MHSDS codes"
    ]
    assert problems["less_preferred_interventions"] == [
        "An intervention cannot be both preferred and less preferred"
    ]
    assert problems["risk_factors.0.strategies"] == [
        "Enter the strategies to reduce the risk from asthma or another respiratory condition"
    ]
    assert problems["risk_factors.1.code"] == ["This risk factor is listed twice"]
    assert problems["review_on"] == ["The review date must be today or later"]
    assert not SafetyPlanVersion.objects.exists()
    assert not AuditEvent.objects.filter(object_type="careplans.safetyplanversion").exists()


def test_a_review_date_more_than_a_year_away_is_refused(
    clock: Any, jo: Any, nurse_actor: Any
) -> None:
    with pytest.raises(ValidationError) as raised:
        services.safety_plan_version_create(
            actor=nurse_actor, patient=jo, data=plan_input(review_on=dt.date(2027, 3, 12))
        )
    assert "within a year" in raised.value.message_dict["review_on"][0]


def test_a_version_entered_in_error_stays_visible_and_the_one_before_is_current_again(
    clock: Any, jo: Any, nurse_actor: Any
) -> None:
    first = services.safety_plan_version_create(actor=nurse_actor, patient=jo, data=plan_input())
    second = services.safety_plan_version_create(
        actor=nurse_actor, patient=jo, data=plan_input(changes="Written for the wrong person")
    )
    with pytest.raises(ValidationError):
        services.safety_plan_version_mark_entered_in_error(
            actor=nurse_actor, version=second, reason=" "
        )
    services.safety_plan_version_mark_entered_in_error(
        actor=nurse_actor, version=second, reason="Recorded against the wrong patient"
    )
    assert selectors.current_safety_plan(jo) == first
    assert [v.number for v in selectors.safety_plan_versions(jo)] == [2, 1]
    third = services.safety_plan_version_create(
        actor=nurse_actor, patient=jo, data=plan_input(changes="Reviewed again")
    )
    assert third.number == 3  # numbers are never reused
    assert AuditEvent.objects.filter(action="entered_in_error").count() == 1


def test_a_plan_not_written_with_the_person_says_so(clock: Any, jo: Any, nurse_actor: Any) -> None:
    version = services.safety_plan_version_create(
        actor=nurse_actor,
        patient=jo,
        data=plan_input(person_took_part="not_able", persons_words=""),
    )
    assert not version.co_produced


def test_an_incident_of_another_person_cannot_be_named(
    clock: Any, jo: Any, nurse_actor: Any, make_patient: Any, restraint: Any
) -> None:
    other = make_patient(local_id="P2002")
    incident = restraint(patient=other)
    with pytest.raises(ValidationError) as raised:
        services.safety_plan_version_create(
            actor=nurse_actor, patient=jo, data=plan_input(incident_id=incident.pk)
        )
    assert raised.value.message_dict == {
        "incident_id": ["Choose a use of force recorded for this person"]
    }
