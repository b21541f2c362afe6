"""A risk assessment on admission and after significant events (standard 2.2): risks to self
and to others as separate elements, the sources used, who took part, who was told, and a
review date."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from rrp.audit.models import AuditEvent
from rrp.careplans import selectors, services
from rrp.careplans.models import RiskAssessment

from .conftest import NOW, assessment_input


def test_an_assessment_is_recorded_with_its_assessor_and_becomes_current(
    clock: Any, jo: Any, nurse_actor: Any, nurse: Any
) -> None:
    assessment = services.risk_assessment_create(
        actor=nurse_actor, patient=jo, data=assessment_input()
    )
    assert assessment.assessor_name == "Ada Okafor"
    assert assessment.assessed_by == nurse
    assert assessment.recorded_at == NOW
    assert assessment.source_labels == "The person themselves, Previous clinical records"
    assert assessment.communicated_labels == "The whole multidisciplinary team"
    assert selectors.current_risk_assessment(jo) == assessment
    assert assessment.review_state_on(dt.date(2026, 4, 7)) == "overdue"
    assert AuditEvent.objects.filter(
        object_type="careplans.riskassessment", action="create"
    ).exists()


def test_every_problem_is_named_at_once(clock: Any, jo: Any, nurse_actor: Any) -> None:
    bad = assessment_input(
        summary=" ",
        risk_to_self="",
        risk_to_others="extreme",
        sources=[],
        occasion="",
        communicated_to=["mdt"],
        communicated_on=None,
        review_on=None,
        assessed_on=None,
    )
    with pytest.raises(ValidationError) as raised:
        services.risk_assessment_create(actor=nurse_actor, patient=jo, data=bad)
    assert raised.value.message_dict == {
        "assessed_on": ["Enter the date of the assessment"],
        "occasion": ["Choose why the risk was assessed"],
        "summary": ["Enter the formulation and summary of the assessment"],
        "risk_to_self": ["Choose the level of risk to self"],
        "risk_to_others": ["Choose the level of risk to others"],
        "sources": ["Choose the sources of information used"],
        "communicated_on": ["Enter the date the findings were shared"],
        "review_on": ["Enter the date this will be reviewed"],
    }
    assert not RiskAssessment.objects.exists()


def test_findings_cannot_be_shared_before_the_assessment(
    clock: Any, jo: Any, nurse_actor: Any
) -> None:
    with pytest.raises(ValidationError) as raised:
        services.risk_assessment_create(
            actor=nurse_actor,
            patient=jo,
            data=assessment_input(communicated_on=dt.date(2026, 3, 8)),
        )
    assert raised.value.message_dict == {
        "communicated_on": ["The findings cannot be shared before the assessment"]
    }


def test_an_assessment_entered_in_error_is_kept_and_no_longer_current(
    clock: Any, jo: Any, nurse_actor: Any
) -> None:
    first = services.risk_assessment_create(
        actor=nurse_actor, patient=jo, data=assessment_input(assessed_on=dt.date(2026, 3, 3))
    )
    second = services.risk_assessment_create(actor=nurse_actor, patient=jo, data=assessment_input())
    services.risk_assessment_mark_entered_in_error(
        actor=nurse_actor, assessment=second, reason="Another patient's assessment"
    )
    assert selectors.current_risk_assessment(jo) == first
    assert list(selectors.risk_assessments_of(jo)) == [second, first]
