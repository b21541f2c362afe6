"""A use of force makes a care plan and risk assessment review due (standard 2.2.V,
2.3.XVIII). Signing a new safety plan version or recording a risk assessment afterwards meets
that duty, in the same duties list as the other post-incident duties."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from rrp.careplans import selectors, services
from rrp.careplans.models import RiskAssessment, SafetyPlanVersion
from rrp.incidents.models import Duty, Review

from .conftest import HOUR, NOW, assessment_input, plan_input


def care_plan_duty(incident: Any) -> Duty:
    return Duty.objects.get(incident=incident, kind="care_plan_review")


def test_a_use_of_force_makes_a_care_plan_review_due(clock: Any, restraint: Any, jo: Any) -> None:
    incident = restraint(("01",))
    duty = care_plan_duty(incident)
    assert duty.is_open
    assert duty.due_at == incident.ended_at + dt.timedelta(hours=72)
    assert selectors.open_care_plan_reviews(jo) == [duty]


def test_signing_a_new_version_after_the_incident_meets_the_duty(
    clock: Any, restraint: Any, jo: Any, nurse_actor: Any
) -> None:
    incident = restraint(("01",))
    services.safety_plan_version_create(
        actor=nurse_actor,
        patient=jo,
        data=plan_input(occasion="after_incident", incident_id=incident.pk),
    )
    duty = care_plan_duty(incident)
    assert duty.completed_at == NOW
    assert duty.late_reason == ""
    review = Review.objects.get(incident=incident, kind="care_plan_review")
    assert review.reviewer == "Ada Okafor"
    assert review.notes.startswith("Safety plan version 1 signed.")
    assert selectors.open_care_plan_reviews(jo) == []


def test_a_risk_assessment_after_the_incident_meets_the_duty_too(
    clock: Any, restraint: Any, jo: Any, nurse_actor: Any
) -> None:
    incident = restraint(("07",))
    services.risk_assessment_create(
        actor=nurse_actor,
        patient=jo,
        data=assessment_input(
            occasion="after_incident",
            incident_id=incident.pk,
            assessed_on=NOW.date(),
            communicated_on=NOW.date(),
        ),
    )
    assert care_plan_duty(incident).completed_at == NOW
    assert "Risk assessment of 10/03/2026 recorded" in Review.objects.get(incident=incident).notes


def test_one_review_meets_the_duties_of_every_incident_before_it(
    clock: Any, restraint: Any, jo: Any, nurse_actor: Any
) -> None:
    first = restraint(("07",), started_at=NOW - 30 * HOUR)
    second = restraint(("10",), started_at=NOW - 3 * HOUR)
    services.safety_plan_version_create(actor=nurse_actor, patient=jo, data=plan_input())
    assert care_plan_duty(first).completed_at == NOW
    assert care_plan_duty(second).completed_at == NOW


def test_a_late_review_needs_the_reason_and_without_it_nothing_is_saved(
    clock: Any, restraint: Any, jo: Any, nurse_actor: Any
) -> None:
    incident = restraint(("01",), started_at=NOW - 2 * HOUR)
    clock.move_to(NOW + dt.timedelta(days=4))  # the 72 hours have run out
    data = plan_input(agreed_on=dt.date(2026, 3, 14), review_on=dt.date(2026, 4, 10))
    with pytest.raises(ValidationError) as raised:
        services.safety_plan_version_create(actor=nurse_actor, patient=jo, data=data)
    assert raised.value.message_dict == {
        "late_reason": [
            f"The care plan review after {incident.reference} was due by 13/03/2026 08:10: "
            "say why it is late"
        ]
    }
    assert not SafetyPlanVersion.objects.exists()
    assert care_plan_duty(incident).is_open

    services.safety_plan_version_create(
        actor=nurse_actor,
        patient=jo,
        data=data,
        late_reason="Waited for the MDT meeting so Jo's sister could join",
    )
    duty = care_plan_duty(incident)
    assert duty.completed_at is not None and duty.completed_at > duty.due_at
    assert duty.late_reason == "Waited for the MDT meeting so Jo's sister could join"


def test_a_plan_signed_while_no_review_is_open_completes_nothing(
    clock: Any, restraint: Any, jo: Any, nurse_actor: Any
) -> None:
    services.safety_plan_version_create(actor=nurse_actor, patient=jo, data=plan_input())
    incident = restraint(("07",), started_at=NOW)  # the use of force comes after the plan
    assert care_plan_duty(incident).is_open
    assert not Review.objects.exists()


def test_an_incident_entered_in_error_asks_for_no_review(
    clock: Any, restraint: Any, jo: Any, nurse_actor: Any, system_actor: Any
) -> None:
    from rrp.incidents.services import incident_mark_entered_in_error

    incident = restraint(("07",))
    incident_mark_entered_in_error(actor=system_actor, incident=incident, reason="Duplicate record")
    assert selectors.open_care_plan_reviews(jo) == []
    services.risk_assessment_create(actor=nurse_actor, patient=jo, data=assessment_input())
    assert RiskAssessment.objects.count() == 1
    assert not Review.objects.exists()
