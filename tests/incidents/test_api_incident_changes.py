"""PATCH changes only what is sent and, once submitted, makes a new version with who, when
and why; a record entered in error stays visible, marked, and its duties stop."""

from __future__ import annotations

from typing import Any

from incidents.conftest import (
    MINUTE,
    NOW,
    at,
    duty_named,
    iso,
    problems_of,
    restraint_body,
    when,
)
from rrp.audit.models import AuditEvent


def test_a_change_makes_a_new_version_with_who_when_and_why(
    nurse_api: Any, patient: Any, clock: Any
) -> None:
    created = nurse_api.post("/api/v1/incidents", restraint_body(patient.pk)).json()
    url = f"/api/v1/incidents/{created['id']}"
    clock.shift(600)  # ten minutes later

    changed = nurse_api.patch(url, {
        "outcome": "Settled after 20 minutes, accepted a drink",
        "change_reason": "Outcome updated after the patient settled",
    })

    assert changed.status_code == 200, changed.content
    record = changed.json()
    assert record["version"] == 2
    assert record["outcome"] == "Settled after 20 minutes, accepted a drink"
    assert record["description"] == created["description"]  # only what was sent changed
    assert [s["name"] for s in record["staff"]] == ["Sam Lee", "Ali Khan", "Kim Ode"]
    [version] = record["versions"]
    assert version["version"] == 1
    assert version["change_reason"] == "Outcome updated after the patient settled"
    assert version["changed_by"].startswith("ward_staff")
    assert when(version["changed_at"]) == NOW + 10 * MINUTE


def test_a_list_sent_replaces_the_whole_list(nurse_api: Any, patient: Any) -> None:
    created = nurse_api.post("/api/v1/incidents", restraint_body(patient.pk)).json()
    record = nurse_api.patch(f"/api/v1/incidents/{created['id']}", {
        "interventions": [{"type": "09", "started_at": iso(at(0)), "ended_at": iso(at(10))}],
        "change_reason": "It was supine throughout, not standing then side",
    }).json()
    assert [i["type"] for i in record["interventions"]] == ["09"]
    assert len(record["staff"]) == 3


def test_entered_in_error_keeps_the_record_visible_and_stops_its_duties(
    nurse_api: Any, patient: Any
) -> None:
    created = nurse_api.post("/api/v1/incidents", restraint_body(patient.pk)).json()
    url = f"/api/v1/incidents/{created['id']}"

    assert problems_of(nurse_api.post(f"{url}/entered-in-error", {"reason": " "})) == {
        ("body", "reason"): ["Say why this record was entered in error"]
    }
    marked = nurse_api.post(f"{url}/entered-in-error", {"reason": "Recorded for the wrong patient"})

    assert marked.status_code == 200
    record = nurse_api.get(url).json()
    assert record["entered_in_error"] is True
    assert record["entered_in_error_reason"] == "Recorded for the wrong patient"
    assert record["description"] == created["description"]
    assert {d["state"] for d in record["duties"]} == {"not_required"}
    assert duty_named(record["duties"], "medical_review")["not_required_reason"] == (
        "The record was entered in error"
    )
    assert nurse_api.get("/api/v1/duties", {"state": "overdue"}).json()["items"] == []
    # Nothing more can be recorded against it.
    assert ("body", "status") in problems_of(
        nurse_api.patch(url, {"outcome": "x", "change_reason": "y"})
    )
    assert ("body", "incident") in problems_of(nurse_api.post(f"{url}/observations", {
        "taken_at": iso(at(30)), "pulse": 80,
    }))


def test_the_lifecycle_runs_draft_submitted_reviewed_closed(
    nurse_api: Any, api_client_as: Any, patient: Any
) -> None:
    draft = nurse_api.post("/api/v1/incidents", restraint_body(patient.pk, status="draft")).json()
    url = f"/api/v1/incidents/{draft['id']}"
    manager = api_client_as("ward_manager")

    assert problems_of(manager.post(f"{url}/review", {"notes": "Early"})) == {
        ("body", "status"): ["Only a submitted record can be reviewed"]
    }
    assert nurse_api.post(f"{url}/submit").json()["status"] == "submitted"
    assert nurse_api.post(f"{url}/review", {"notes": "Fine"}).status_code == 403
    reviewed = manager.post(f"{url}/review", {"notes": "Good use of the side position"}).json()
    assert (reviewed["status"], reviewed["review_notes"]) == (
        "reviewed", "Good use of the side position",
    )
    assert nurse_api.post(f"{url}/close").status_code == 403
    closed = api_client_as("rrp_lead").post(f"{url}/close").json()
    assert closed["status"] == "closed" and closed["closed_at"] is not None
    assert problems_of(nurse_api.patch(url, {"outcome": "x", "change_reason": "y"})) == {
        ("body", "status"): ["This record is closed and cannot be changed"]
    }


def test_reading_a_record_is_audited(nurse_api: Any, patient: Any) -> None:
    created = nurse_api.post("/api/v1/incidents", restraint_body(patient.pk)).json()
    nurse_api.get(f"/api/v1/incidents/{created['id']}")
    event = AuditEvent.objects.get(action="view", object_id=str(created["id"]))
    assert event.via == "api" and event.actor_username.startswith("ward_staff")
    assert event.summary == f"{created['reference']} read through the API"
