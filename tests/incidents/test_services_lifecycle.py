"""A record moves draft -> submitted -> reviewed -> closed, one step at a time, and is
never deleted."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from incidents.conftest import NOW
from rrp.incidents import services
from rrp.incidents.models import Duty


def _refused(call: Any, **kwargs: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        call(**kwargs)
    return refused.value.message_dict


def test_each_step_in_order(record: Any, nurse_actor: Any, manager_actor: Any, clock: Any) -> None:
    incident = record(submit=False)
    assert incident.status == "draft" and not Duty.objects.filter(incident=incident).exists()
    assert _refused(services.incident_review, actor=manager_actor, incident=incident, notes="") == {
        "status": ["Only a submitted record can be reviewed"]
    }

    services.incident_submit(actor=nurse_actor, incident=incident)
    assert (incident.status, incident.submitted_at, incident.submitted_by) == (
        "submitted", NOW, nurse_actor.user,
    )
    assert Duty.objects.filter(incident=incident).exists()
    assert _refused(services.incident_submit, actor=nurse_actor, incident=incident) == {
        "status": ["Only a draft can be submitted"]
    }
    assert _refused(services.incident_close, actor=manager_actor, incident=incident) == {
        "status": ["Only a reviewed record can be closed"]
    }

    services.incident_review(actor=manager_actor, incident=incident, notes="Well managed")
    assert (incident.status, incident.reviewed_by, incident.review_notes) == (
        "reviewed", manager_actor.user, "Well managed",
    )
    services.incident_close(actor=manager_actor, incident=incident)
    incident.refresh_from_db()
    assert (incident.status, incident.closed_at) == ("closed", NOW)


def test_an_incomplete_draft_cannot_be_submitted(
    record: Any, nurse_actor: Any, clock: Any
) -> None:
    incident = record(submit=False, description="", interventions=[])
    problems = _refused(services.incident_submit, actor=nurse_actor, incident=incident)
    assert problems["description"] == ["Describe how force was used"]
    assert problems["interventions"] == [
        "Add at least one type of force used, with its start and end"
    ]
    incident.refresh_from_db()
    assert incident.status == "draft" and incident.submitted_at is None
