"""After submission every change keeps the previous record as a version with who changed it,
when and why; changes to a draft are not versions."""

from __future__ import annotations

import dataclasses
from typing import Any

from incidents.conftest import MINUTE, NOW
from rrp.audit.models import AuditEvent
from rrp.incidents import services
from rrp.incidents.models import IncidentVersion


def test_each_change_after_submission_is_a_version(
    record: Any, manager_actor: Any, clock: Any
) -> None:
    incident = record()
    clock.shift(5 * 60)
    services.incident_update(
        actor=manager_actor, incident=incident,
        data=dataclasses.replace(services.input_from_incident(incident), outcome="Slept well"),
        change_reason="Outcome completed at handover",
    )
    clock.shift(5 * 60)
    services.incident_update(
        actor=manager_actor, incident=incident,
        data=dataclasses.replace(services.input_from_incident(incident), harm="low"),
        change_reason="Bruise found on the left arm",
    )

    incident.refresh_from_db()
    assert incident.version == 3
    first, second = IncidentVersion.objects.filter(incident=incident).order_by("version")
    assert (first.version, first.changed_by.username, first.changed_at, first.change_reason) == (
        1, "manager_pat", NOW + 5 * MINUTE, "Outcome completed at handover",
    )
    assert first.record["outcome"] == "Settled in his room, no injury"  # as it was before
    assert (second.record["outcome"], second.record["harm"]) == ("Slept well", "none")
    assert second.changed_at == NOW + 10 * MINUTE
    change = AuditEvent.objects.get(object_id=str(incident.pk), summary__contains="Bruise found")
    assert change.before["harm"] == "none" and change.after["harm"] == "low"


def test_changes_to_a_draft_are_not_versions(record: Any, nurse_actor: Any, clock: Any) -> None:
    draft = record(submit=False)
    services.incident_update(
        actor=nurse_actor, incident=draft,
        data=dataclasses.replace(services.input_from_incident(draft), outcome="Calm"),
    )
    draft.refresh_from_db()
    assert (draft.version, draft.outcome) == (1, "Calm")
    assert not IncidentVersion.objects.exists()
