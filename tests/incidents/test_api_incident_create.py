"""POST /api/v1/incidents records a use of force as the issue's contract shows, and the reply
is the whole record with the duties that now follow it."""

from __future__ import annotations

from typing import Any

from incidents.conftest import at, duty_named, iso, restraint_body, when
from rrp.audit.models import AuditEvent
from rrp.incidents.models import Incident


def test_the_patient_in_the_issue_example_is_created(api_client_as: Any) -> None:
    api = api_client_as("ward_staff")
    response = api.post("/api/v1/patients", {
        "local_id": "P1001", "nhs_number": None, "date_of_birth": "1990-05-01",
        "sex": "female", "ethnic_category": "A",
    })
    assert response.status_code == 201
    assert set(response.json()) == {"id"}
    patient = api.get(f"/api/v1/patients/{response.json()['id']}").json()
    assert (patient["local_id"], patient["sex"], patient["ethnic_category"]) == (
        "P1001", "female", "A",
    )


def test_a_restraint_is_recorded_and_submitted(nurse_api: Any, patient: Any) -> None:
    response = nurse_api.post("/api/v1/incidents", restraint_body(patient.pk))

    assert response.status_code == 201, response.content
    record = response.json()
    assert record["status"] == "submitted"
    assert record["reference"] == f"UOF-{record['id']:06d}"
    assert (record["ward"], record["patient"], record["reason"]) == ("OAK", patient.pk, "10")
    assert record["duration_minutes"] == 10
    assert [(i["type"], i["duration_minutes"]) for i in record["interventions"]] == [
        ("07", 4), ("10", 6),
    ]
    assert [s["role"] for s in record["staff"]] == ["lead", "head_airway", "monitoring_wellbeing"]
    assert record["version"] == 1 and record["versions"] == []
    review = duty_named(record["duties"], "medical_review")
    assert when(review["due_at"]) == at(60)
    assert review["state"] == "overdue"  # the clock stands at 14:00, two hours after the start
    assert review["owner_role"] == "doctor" and review["source"] == "standard 2.5.2.XI"
    assert {d["duty"] for d in record["duties"]} >= {
        "physical_observations", "post_incident_support_patient", "post_incident_support_staff",
        "post_incident_review", "patient_account_offer", "care_plan_review",
    }
    incident = Incident.objects.get(pk=record["id"])
    assert AuditEvent.objects.filter(object_id=str(incident.pk), action="create").exists()


def test_every_optional_field_is_kept(nurse_api: Any, patient: Any) -> None:
    body = restraint_body(
        patient.pk,
        reason="98", reason_detail="Refusing to leave the garden in a storm",
        de_escalation=["verbal", "space"], planned=False, harm="low",
        psychological_harm="moderate",
        interventions=[
            {"type": "07", "started_at": iso(at(0)), "ended_at": iso(at(4))},
            {"type": "14", "started_at": iso(at(5)), "ended_at": iso(at(5)),
             "drug": "Lorazepam", "dose": "2 mg", "route": "im", "high_risk": True},
        ],
        staff=[
            {"name": "Sam Lee", "job_title": "Staff nurse", "grade": "Band 5", "role": "lead",
             "injured": True},
            {"name": "Kim Ode", "job_title": "Staff nurse", "role": "monitoring_wellbeing"},
            {"name": "Dr Rao", "job_title": "Junior doctor", "role": "medication"},
        ],
        others=[{"kind": "security", "name": "Site security", "reason": "Called for help"}],
        injuries=[{"person": "staff", "severity": "minor", "description": "Scratched forearm",
                   "intervention": 0}],
    )
    record = nurse_api.post("/api/v1/incidents", body).json()

    assert record["reason_detail"] == "Refusing to leave the garden in a storm"
    assert record["de_escalation"] == ["verbal", "space"]
    assert (record["harm"], record["psychological_harm"]) == ("low", "moderate")
    rapid = record["interventions"][1]
    assert (rapid["drug"], rapid["dose"], rapid["route"], rapid["high_risk"]) == (
        "Lorazepam", "2 mg", "im", True,
    )
    assert record["staff"][0]["grade"] == "Band 5" and record["staff"][0]["injured"] is True
    assert record["others"] == [
        {"kind": "security", "name": "Site security", "reason": "Called for help"}
    ]
    assert record["injuries"][0]["intervention"] == 0
    assert record["injuries"][0]["intervention_id"] == record["interventions"][0]["id"]
    # Rapid tranquillisation in a higher-risk case: the first check within 15 minutes.
    first_check = duty_named(record["duties"], "rapid_tranquillisation_monitoring")
    assert when(first_check["due_at"]) == at(20)


def test_a_draft_is_saved_without_duties_and_submitted_later(nurse_api: Any, patient: Any) -> None:
    draft = nurse_api.post("/api/v1/incidents", {
        "ward": "OAK", "patient": patient.pk, "started_at": iso(at(0)), "reason": "10",
        "notification": "no", "status": "draft",
    })
    assert draft.status_code == 201, draft.content
    assert draft.json()["status"] == "draft" and draft.json()["duties"] == []

    refused = nurse_api.post(f"/api/v1/incidents/{draft.json()['id']}/submit")
    assert refused.status_code == 422
    assert ["body", "description"] in [p["loc"] for p in refused.json()["detail"]]

    incident_id = draft.json()["id"]
    nurse_api.patch(f"/api/v1/incidents/{incident_id}", {
        key: value for key, value in restraint_body(patient.pk).items()
        if key not in {"ward", "patient"}
    })
    submitted = nurse_api.post(f"/api/v1/incidents/{incident_id}/submit")
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["status"] == "submitted"
    assert submitted.json()["versions"] == []  # changes to a draft are not versions
    assert when(duty_named(submitted.json()["duties"], "medical_review")["due_at"]) == at(60)


def test_a_time_without_an_offset_is_read_as_uk_time(nurse_api: Any, patient: Any) -> None:
    body = restraint_body(
        patient.pk, started_at="2026-10-05T12:00:00", ended_at="2026-10-05T12:10:00",
        interventions=[{"type": "07", "started_at": "2026-10-05T12:00:00",
                        "ended_at": "2026-10-05T12:10:00"}],
    )
    record = nurse_api.post("/api/v1/incidents", body).json()
    assert record["started_at"] == "2026-10-05T12:00:00+01:00"  # British Summer Time
    assert when(record["started_at"]) == at(0)
