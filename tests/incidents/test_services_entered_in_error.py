"""Marking a record entered in error needs a reason, keeps the record (nothing is deleted),
stops its open duties and leaves what was already done as it was."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from incidents.conftest import NOW, at
from rrp.audit.models import AuditEvent
from rrp.incidents import services
from rrp.incidents.models import Duty, Incident
from rrp.incidents.selectors import open_duties


def test_the_record_stays_and_its_open_duties_stop(
    record: Any, nurse_actor: Any, manager_actor: Any, doctor_actor: Any, organisation: Any,
    clock: Any
) -> None:
    incident = record()
    services.medical_review_record(actor=doctor_actor, incident=incident, reviewed_at=at(30),
                                   reviewer="Dr Rao", findings="No injury")
    with pytest.raises(ValidationError):
        services.incident_mark_entered_in_error(actor=nurse_actor, incident=incident, reason=" ")

    services.incident_mark_entered_in_error(
        actor=nurse_actor, incident=incident, reason="Recorded against the wrong patient"
    )

    kept = Incident.objects.get(pk=incident.pk)
    assert kept.is_entered_in_error and kept.entered_in_error_at == NOW
    assert kept.entered_in_error_reason == "Recorded against the wrong patient"
    assert kept.interventions.count() == 2 and kept.staff.count() == 3
    duties = Duty.objects.filter(incident=incident)
    assert duties.get(kind="medical_review").completed_at == at(30)  # done stays done
    assert {d.not_required_reason for d in duties.exclude(kind="medical_review")} == {
        "The record was entered in error"
    }
    assert open_duties(organisation, now=NOW) == []
    assert AuditEvent.objects.filter(object_id=str(incident.pk), action="entered_in_error").exists()
    with pytest.raises(ValidationError):
        services.incident_review(actor=manager_actor, incident=kept, notes="")
    with pytest.raises(ValidationError):
        services.incident_mark_entered_in_error(actor=nurse_actor, incident=kept, reason="Again")


def test_a_draft_entered_in_error_can_never_be_submitted(
    record: Any, nurse_actor: Any, clock: Any
) -> None:
    draft = record(submit=False)
    services.incident_mark_entered_in_error(actor=nurse_actor, incident=draft, reason="Test")
    with pytest.raises(ValidationError):
        services.incident_submit(actor=nurse_actor, incident=draft)
    assert not Duty.objects.filter(incident=draft).exists()
