"""When a record is amended the stored duties follow it: due times move, duties no longer
needed are marked not required (never deleted), new ones appear, and what is done or what a
person marked not required stays as it was."""

from __future__ import annotations

from typing import Any

from incidents.conftest import at, duty_named, iso, restraint_body, when
from rrp.incidents.models import Duty


def _mechanical(patient_id: int, end: Any = None) -> dict[str, Any]:
    return restraint_body(
        patient_id, ended_at=None if end is None else iso(end),
        interventions=[{"type": "04", "started_at": iso(at(0)),
                        "ended_at": None if end is None else iso(end)}],
    )


def test_amending_when_mechanical_restraint_ended_moves_and_stops_duties(
    nurse_api: Any, patient: Any, clock: Any
) -> None:
    clock.move_to(at(30))
    incident_id = nurse_api.post("/api/v1/incidents", _mechanical(patient.pk)).json()["id"]
    url = f"/api/v1/incidents/{incident_id}"
    duties = nurse_api.get(f"{url}/duties").json()
    # Ongoing: the first medical review of mechanical restraint, nothing after the incident yet.
    assert [(d["duty"], d["sequence"]) for d in duties] == [("mechanical_restraint_review", 1)]

    clock.move_to(at(30, hours=9))  # 21:30
    ended = nurse_api.patch(url, {
        "ended_at": iso(at(hours=9)),
        "interventions": [{"type": "04", "started_at": iso(at(0)),
                           "ended_at": iso(at(hours=9))}],
        "change_reason": "Mechanical restraint ended at 21:00",
    }).json()["duties"]
    reviews = [d for d in ended if d["duty"] == "mechanical_restraint_review"]
    assert [when(d["due_at"]) for d in reviews] == [at(60), at(hours=5)]  # 13:00, 17:00
    assert when(duty_named(ended, "physical_observations")["due_at"]) == at(hours=10)
    assert when(duty_named(ended, "post_incident_support_patient")["due_at"]) == at(
        0, hours=9 + 24
    )

    # The end was mistyped: it was 16:30, so the 17:00 review was never needed.
    amended = nurse_api.patch(url, {
        "ended_at": iso(at(30, hours=4)),
        "interventions": [{"type": "04", "started_at": iso(at(0)),
                           "ended_at": iso(at(30, hours=4))}],
        "change_reason": "End time corrected from the observation chart",
    }).json()["duties"]
    second = duty_named(amended, "mechanical_restraint_review", sequence=2)
    assert second["state"] == "not_required"
    assert second["not_required_reason"] == "No longer needed after the record changed"
    assert when(duty_named(amended, "physical_observations")["due_at"]) == at(30, hours=5)
    assert len(amended) == len(ended)  # nothing deleted
    assert Duty.objects.filter(incident_id=incident_id).count() == len(ended)


def test_lengthening_seclusion_adds_the_reviews_it_now_needs(
    nurse_api: Any, patient: Any, clock: Any
) -> None:
    clock.move_to(at(hours=7))
    body = restraint_body(patient.pk, ended_at=iso(at(hours=3)), interventions=[
        {"type": "05", "started_at": iso(at(0)), "ended_at": iso(at(hours=3))},
    ])
    incident_id = nurse_api.post("/api/v1/incidents", body).json()["id"]
    url = f"/api/v1/incidents/{incident_id}"
    nursing = [d for d in nurse_api.get(f"{url}/duties").json()
               if d["duty"] == "seclusion_nursing_review"]
    assert [when(d["due_at"]) for d in nursing] == [at(hours=2)]

    duties = nurse_api.patch(url, {
        "ended_at": iso(at(30, hours=6)),
        "interventions": [{"type": "05", "started_at": iso(at(0)),
                           "ended_at": iso(at(30, hours=6))}],
        "change_reason": "Seclusion ended later than first written",
    }).json()["duties"]
    nursing = [d for d in duties if d["duty"] == "seclusion_nursing_review"]
    assert [when(d["due_at"]) for d in nursing] == [
        at(hours=2), at(hours=4), at(hours=6),
    ]


def test_done_duties_and_a_persons_not_required_reason_survive_an_amendment(
    nurse_api: Any, doctor_api: Any, patient: Any, clock: Any
) -> None:
    body = restraint_body(patient.pk, interventions=[
        {"type": "05", "started_at": iso(at(0)), "ended_at": iso(at(10))},
        {"type": "07", "started_at": iso(at(0)), "ended_at": iso(at(10))},
    ])
    record = nurse_api.post("/api/v1/incidents", body).json()
    url = f"/api/v1/incidents/{record['id']}"
    seclusion_review = duty_named(record["duties"], "seclusion_medical_review")
    marked = doctor_api.post(f"/api/v1/duties/{seclusion_review['id']}/not-required",
                             {"reason": "The consultant psychiatrist authorised the seclusion"})
    assert marked.status_code == 200 and marked.json()["state"] == "not_required"
    doctor_api.post(f"{url}/medical-reviews", {
        "reviewed_at": iso(at(30)), "reviewer": "Dr Rao", "findings": "No injury",
    })

    duties = nurse_api.patch(url, {"outcome": "Settled", "change_reason": "Outcome"}).json()[
        "duties"
    ]
    kept = duty_named(duties, "seclusion_medical_review")
    assert kept["not_required_reason"] == "The consultant psychiatrist authorised the seclusion"
    medical = duty_named(duties, "medical_review")
    assert medical["state"] == "done" and when(medical["completed_at"]) == at(30)


def test_meeting_a_review_while_restraint_goes_on_makes_the_next_one(
    nurse_api: Any, doctor_api: Any, patient: Any, clock: Any
) -> None:
    clock.move_to(at(30))
    incident_id = nurse_api.post("/api/v1/incidents", _mechanical(patient.pk)).json()["id"]
    clock.move_to(at(55))
    reply = doctor_api.post(f"/api/v1/incidents/{incident_id}/reviews", {
        "kind": "mechanical_restraint_review", "reviewed_at": iso(at(55)), "reviewer": "Dr Rao",
        "notes": "Limbs checked, circulation good; continue",
    })
    reviews = [(d["sequence"], d["state"], when(d["due_at"])) for d in reply.json()["duties"]
               if d["duty"] == "mechanical_restraint_review"]
    assert reviews == [(1, "done", at(60)), (2, "due", at(hours=5))]
