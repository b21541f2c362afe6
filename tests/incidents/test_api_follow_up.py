"""What follows a use of force is recorded through the API and meets its duty: physical
observations, post-incident support, the reflection and learning review, the patient's own
account, and the seclusion and care plan reviews, each in the role that owns it (ADR 7)."""

from __future__ import annotations

from typing import Any

from incidents.conftest import at, duty_named, iso, problems_of, restraint_body, when


def _incident(api: Any, patient_id: int, **overrides: Any) -> str:
    response = api.post("/api/v1/incidents", restraint_body(patient_id, **overrides))
    assert response.status_code == 201, response.content
    return f"/api/v1/incidents/{response.json()['id']}"


def test_physical_observations_meet_their_duty(nurse_api: Any, patient: Any) -> None:
    url = _incident(nurse_api, patient.pk)
    reply = nurse_api.post(f"{url}/observations", {
        "taken_at": iso(at(40)), "pulse": 96, "bp_systolic": 132, "bp_diastolic": 84,
        "respiratory_rate": 18, "temperature": 36.8, "spo2": 97, "consciousness": "A",
        "hydration": "Drank 200 ml water",
    })
    assert reply.status_code == 201, reply.content
    body = reply.json()
    assert (body["kind"], body["pulse"], body["temperature"], body["spo2"]) == (
        "physical", 96, 36.8, 97,
    )
    duty = duty_named(body["duties"], "physical_observations")
    assert duty["state"] == "done" and when(duty["completed_at"]) == at(40)
    assert nurse_api.get(url).json()["observations"][0]["pulse"] == 96


def test_an_impossible_reading_is_refused(nurse_api: Any, patient: Any) -> None:
    url = _incident(nurse_api, patient.pk)
    problems = problems_of(nurse_api.post(f"{url}/observations", {
        "taken_at": iso(at(40)), "consciousness": "X", "kind": "hourly",
    }))
    assert ("body", "consciousness") in problems and ("body", "kind") in problems


def test_support_review_and_account_each_meet_their_duty(
    nurse_api: Any, api_client_as: Any, patient: Any
) -> None:
    url = _incident(nurse_api, patient.pk)
    manager_api = api_client_as("ward_manager")
    patient_support = nurse_api.post(f"{url}/post-incident-support", {
        "support_for": "patient", "held": True, "held_at": iso(at(50)),
        "notes": "Talked through what happened, checked for pain",
    })
    staff_support = manager_api.post(f"{url}/post-incident-support", {
        "support_for": "staff", "held": False, "held_at": iso(at(60)), "not_held_reason": "98",
    })
    debrief = manager_api.post(f"{url}/debriefs", {
        "held": True, "held_at": iso(at(100)), "patient_took_part": False,
        "not_held_reason": "01", "attendees": "Sam Lee, Kim Ode", "learning": "Earlier PRN offer",
    })
    account = nurse_api.post(f"{url}/patient-account", {
        "offered_at": iso(at(110)), "response": "accepted",
        "account": "I felt scared when they held my arms",
    })
    care_plan = nurse_api.post(f"{url}/reviews", {
        "kind": "care_plan_review", "reviewed_at": iso(at(115)), "reviewer": "Pat Jones",
        "notes": "Added early warning signs and his preferred de-escalation",
    })

    for reply in (patient_support, staff_support, debrief, account, care_plan):
        assert reply.status_code == 201, reply.content
    duties = care_plan.json()["duties"]
    for name in ("post_incident_support_patient", "post_incident_support_staff",
                 "post_incident_review", "patient_account_offer", "care_plan_review"):
        assert duty_named(duties, name)["state"] == "done", name
    assert account.json()["account"] == "I felt scared when they held my arms"
    record = nurse_api.get(url).json()
    assert [s["support_for"] for s in record["post_incident_support"]] == ["patient", "staff"]
    assert record["debriefs"][0]["learning"] == "Earlier PRN offer"
    assert record["patient_accounts"][0]["response"] == "accepted"
    assert record["reviews"][0]["kind"] == "care_plan_review"


def test_support_not_held_needs_the_reason(nurse_api: Any, patient: Any) -> None:
    url = _incident(nurse_api, patient.pk)
    assert problems_of(nurse_api.post(f"{url}/post-incident-support", {
        "support_for": "patient", "held": False, "held_at": iso(at(50)),
    })) == {("body", "not_held_reason"): ["Say why the support did not happen"]}


def test_seclusion_reviews_meet_the_soonest_open_one(
    nurse_api: Any, api_client_as: Any, patient: Any
) -> None:
    url = _incident(nurse_api, patient.pk, ended_at=iso(at(110)), interventions=[
        {"type": "05", "started_at": iso(at(0)), "ended_at": iso(at(110))},
    ])
    doctor_api = api_client_as("doctor")
    reply = doctor_api.post(f"{url}/reviews", {
        "kind": "seclusion_medical_review", "reviewed_at": iso(at(45)), "reviewer": "Dr Rao",
        "notes": "Calmer; continue seclusion, review in 4 hours",
    })
    assert reply.status_code == 201, reply.content
    assert duty_named(reply.json()["duties"], "seclusion_medical_review")["state"] == "done"
    problems = problems_of(nurse_api.post(f"{url}/reviews", {
        "kind": "seclusion_review", "reviewed_at": iso(at(50)), "reviewer": "", "notes": "",
    }))
    assert set(problems) == {("body", "kind"), ("body", "reviewer"), ("body", "notes")}


def test_nothing_follows_a_draft(nurse_api: Any, api_client_as: Any, patient: Any) -> None:
    url = _incident(nurse_api, patient.pk, status="draft")
    assert problems_of(api_client_as("doctor").post(f"{url}/medical-reviews", {
        "reviewed_at": iso(at(30)), "reviewer": "Dr Rao", "findings": "Fine",
    })) == {("body", "incident"): ["Submit the record before recording what followed"]}
