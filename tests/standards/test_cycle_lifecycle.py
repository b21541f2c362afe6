"""A cycle goes planned -> in progress -> in review -> signed off, and is locked after: later
changes go in a new cycle, which can start as a copy of it."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from rrp.audit.models import AuditEvent
from rrp.audit.services import Actor
from rrp.standards import services
from rrp.standards.models import AssessmentHistory, CycleStatus, StatementAssessment

from .conftest import assessment_of, rate_everything


def test_a_new_cycle_holds_every_statement_unrated(make_cycle: Any) -> None:
    cycle = make_cycle(start=False)
    assert cycle.status == CycleStatus.PLANNED
    assert cycle.assessments.count() == 209
    assert not cycle.assessments.exclude(rating="").exists()
    assert (
        AuditEvent.objects.filter(object_type="standards.assessmentcycle", action="create").count()
        == 1
    )


def test_statements_cannot_be_rated_until_the_assessment_starts(
    make_cycle: Any, lead_actor: Actor
) -> None:
    cycle = make_cycle(start=False)
    with pytest.raises(ValidationError, match="Start the assessment"):
        services.assessment_update(
            actor=lead_actor, assessment=assessment_of(cycle, "1.1.I"), rating="met"
        )
    services.cycle_start(actor=lead_actor, cycle=cycle)
    services.assessment_update(
        actor=lead_actor, assessment=assessment_of(cycle, "1.1.I"), rating="met"
    )
    assert assessment_of(cycle, "1.1.I").rating == "met"


def test_a_cycle_with_unrated_statements_cannot_be_submitted(cycle: Any, lead_actor: Actor) -> None:
    services.assessment_update(
        actor=lead_actor, assessment=assessment_of(cycle, "1.1.I"), rating="met"
    )
    with pytest.raises(ValidationError) as error:
        services.cycle_submit_for_review(actor=lead_actor, cycle=cycle)
    assert "208 statements have no rating yet" in error.value.messages[0]
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.IN_PROGRESS


def test_the_lead_takes_a_cycle_through_review_to_sign_off(
    cycle: Any, lead_actor: Actor, lead: Any
) -> None:
    rate_everything(cycle)
    services.cycle_submit_for_review(actor=lead_actor, cycle=cycle)
    assert cycle.status == CycleStatus.IN_REVIEW
    services.cycle_return_for_changes(
        actor=lead_actor, cycle=cycle, reason="Section 3 needs evidence"
    )
    assert cycle.status == CycleStatus.IN_PROGRESS
    services.cycle_submit_for_review(actor=lead_actor, cycle=cycle)
    services.cycle_sign_off(actor=lead_actor, cycle=cycle, statement="Assured.")
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.SIGNED_OFF
    assert cycle.signed_off_by == lead
    assert cycle.sign_off_statement == "Assured."
    summaries = list(
        AssessmentHistory.objects.filter(cycle=cycle, assessment=None)
        .order_by("occurred_at", "pk")
        .values_list("summary", flat=True)
    )
    assert summaries == [
        "Assessment cycle 2026/27 annual planned",
        "Assessment 2026/27 annual started",
        "Assessment 2026/27 annual submitted for review",
        "Returned for changes: Section 3 needs evidence",
        "Assessment 2026/27 annual submitted for review",
        "Assessment 2026/27 annual signed off by Grace Mensah",
    ]


def test_only_the_executive_lead_signs_off(cycle: Any, make_user: Any) -> None:
    rate_everything(cycle)
    board = Actor(user=make_user("board"), via="web")
    services.cycle_submit_for_review(actor=Actor(user=cycle.created_by), cycle=cycle)
    with pytest.raises(PermissionDenied):
        services.cycle_sign_off(actor=board, cycle=cycle, statement="Assured.")
    with pytest.raises(PermissionDenied):
        services.cycle_sign_off(
            actor=Actor(user=None, via="cli"), cycle=cycle, statement="Assured."
        )
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.IN_REVIEW


def test_a_cycle_cannot_skip_review(cycle: Any, lead_actor: Actor) -> None:
    rate_everything(cycle)
    with pytest.raises(ValidationError, match="Only a cycle in review can be signed off"):
        services.cycle_sign_off(actor=lead_actor, cycle=cycle, statement="Assured.")


@pytest.fixture
def signed_off(cycle: Any, lead_actor: Actor, upload_evidence: Any) -> Any:
    rate_everything(cycle, "partially_met")
    policy = upload_evidence()
    services.evidence_attach(
        actor=lead_actor, assessment=assessment_of(cycle, "1.1.I"), evidence=policy
    )
    services.cycle_submit_for_review(actor=lead_actor, cycle=cycle)
    services.cycle_sign_off(actor=lead_actor, cycle=cycle, statement="Assured.")
    return cycle


def test_a_signed_off_cycle_is_locked(
    signed_off: Any, lead_actor: Actor, lead: Any, upload_evidence: Any
) -> None:
    assessment = assessment_of(signed_off, "1.1.I")
    attempts = [
        lambda: services.assessment_update(actor=lead_actor, assessment=assessment, rating="met"),
        lambda: services.evidence_attach(
            actor=lead_actor,
            assessment=assessment_of(signed_off, "1.1.II"),
            evidence=upload_evidence(title="Minutes"),
        ),
        lambda: services.evidence_detach(actor=lead_actor, attachment=assessment.attachments.get()),
        lambda: services.action_raise(
            actor=lead_actor,
            assessment=assessment,
            description="Fix",
            owner=lead,
            due_on=signed_off.period_end,
        ),
        lambda: services.cycle_update(
            actor=lead_actor,
            cycle=signed_off,
            name="Renamed",
            period_start=signed_off.period_start,
            period_end=signed_off.period_end,
        ),
        lambda: services.cycle_return_for_changes(
            actor=lead_actor, cycle=signed_off, reason="Oops"
        ),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError):
            attempt()
    assessment.refresh_from_db()
    assert assessment.rating == "partially_met"
    assert assessment.attachments.filter(removed_at=None).count() == 1


def test_the_locked_message_says_to_start_a_new_cycle(signed_off: Any, lead_actor: Actor) -> None:
    with pytest.raises(ValidationError) as error:
        services.assessment_update(
            actor=lead_actor, assessment=assessment_of(signed_off, "1.1.I"), rating="met"
        )
    assert "was signed off" in error.value.messages[0]
    assert "Start a new cycle to record changes" in error.value.messages[0]


def test_a_new_cycle_can_start_as_a_copy_of_the_signed_off_one(
    signed_off: Any, make_cycle: Any, lead_actor: Actor
) -> None:
    copy = make_cycle(name="2027/28 annual", copy_from=signed_off)
    first = assessment_of(copy, "1.1.I")
    assert first.rating == "partially_met"
    assert first.carried_forward is True
    assert first.narrative == "Set up"
    assert [a.evidence.title for a in first.attachments.all()] == ["Restraint policy"]
    assert first.history.get().summary == "Carried forward from 2026/27 annual: Partially met"
    # Changing the copy leaves the signed-off cycle as it was signed off.
    services.assessment_update(actor=lead_actor, assessment=first, rating="met")
    first.refresh_from_db()
    assert first.carried_forward is False
    assert assessment_of(signed_off, "1.1.I").rating == "partially_met"
    assert StatementAssessment.objects.filter(cycle=copy, carried_forward=True).count() == 208


def test_cycle_names_are_unique_and_periods_run_forwards(make_cycle: Any, cycle: Any) -> None:
    import datetime as dt

    with pytest.raises(ValidationError) as error:
        make_cycle(name="2026/27 ANNUAL")
    assert error.value.message_dict["name"] == [
        "A cycle called 2026/27 ANNUAL already exists. Choose another name"
    ]
    with pytest.raises(ValidationError) as error:
        make_cycle(
            name="Backwards", period_start=dt.date(2026, 4, 1), period_end=dt.date(2026, 3, 1)
        )
    assert "period_end" in error.value.message_dict


def test_a_cycle_is_scoped_to_wards_of_its_own_organisation_only(
    make_cycle: Any, make_ward: Any, make_organisation: Any
) -> None:
    other = make_organisation(ods_code="R2B")
    theirs = make_ward(code="FOX", organisation=other)
    with pytest.raises(ValidationError) as error:
        make_cycle(name="Scoped", scope_wards=[theirs])
    assert error.value.message_dict["scope_wards"] == ["Choose wards of your own organisation"]
