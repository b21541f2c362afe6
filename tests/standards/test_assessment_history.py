"""Every change to a statement's assessment is kept: who, when, what it was before and after,
in the statement's history and the organisation's audit trail."""

from __future__ import annotations

from typing import Any

from rrp.audit.models import AuditEvent
from rrp.audit.services import Actor
from rrp.standards import services

from .conftest import assessment_of


def test_each_change_is_in_the_history_with_before_and_after(
    cycle: Any, lead_actor: Actor, make_user: Any, client_for: Any, lead: Any, organisation: Any
) -> None:
    manager = make_user("ward_manager", full_name="Tom Brennan")
    assessment = assessment_of(cycle, "2.2.V")
    services.assessment_update(
        actor=lead_actor,
        assessment=assessment,
        rating="not_met",
        narrative="No review after incidents",
    )
    services.assessment_update(
        actor=lead_actor,
        assessment=assessment,
        rating="partially_met",
        narrative="Reviewed on two wards",
        owner=manager,
    )
    services.assessment_update(
        actor=lead_actor,
        assessment=assessment,
        rating="partially_met",
        narrative="Reviewed on two wards",
        owner=manager,
    )  # no change
    assessment.refresh_from_db()
    assert assessment.version == 2
    entries = list(assessment.history.order_by("occurred_at", "pk"))
    assert [e.summary for e in entries] == [
        "2.2.V rated not met (narrative changed)",
        "2.2.V rated partially met (narrative, owner changed)",
    ]
    assert entries[1].changes == {
        "rating": ["not_met", "partially_met"],
        "narrative": ["No review after incidents", "Reviewed on two wards"],
        "owner_id": [None, manager.pk],
    }
    assert entries[1].actor_name == "Grace Mensah"
    audit = AuditEvent.objects.filter(
        object_type="standards.statementassessment", object_id=str(assessment.pk)
    ).order_by("pk")
    assert audit.count() == 2
    assert audit.last().before["rating"] == "not_met"
    assert audit.last().after["rating"] == "partially_met"
    assert audit.last().actor == lead

    page = (
        client_for(lead, organisation)
        .get(f"/compliance/cycles/{cycle.pk}/statements/2.2.V/")
        .content.decode()
    )
    assert "2.2.V rated partially met (narrative, owner changed)" in page
    assert "Tom Brennan" in page


def test_the_cycle_history_page_lists_every_change(
    cycle: Any, lead_actor: Actor, client_for: Any, lead: Any, organisation: Any
) -> None:
    services.assessment_update(
        actor=lead_actor, assessment=assessment_of(cycle, "1.1.I"), rating="met"
    )
    page = (
        client_for(lead, organisation)
        .get(f"/compliance/cycles/{cycle.pk}/history/")
        .content.decode()
    )
    assert "1.1.I rated met" in page
    assert "Assessment 2026/27 annual started" in page
    assert "Assessment cycle 2026/27 annual planned" in page
