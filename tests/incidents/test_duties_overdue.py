"""Overdue at the boundaries, with a frozen clock: a duty is "due" up to and including its due
time and "overdue" one second later; met exactly at its due time it is "done", one second
later "done_late" (with the reason recorded). Checked on the stored duties and through the
API."""

from __future__ import annotations

from typing import Any

from incidents.conftest import SECOND, at, duty_named, iso, problems_of, restraint_body, when
from rrp.incidents.models import Duty
from rrp.incidents.selectors import open_duties, state_of


def _medical_review(incident_id: int) -> Duty:
    return Duty.objects.get(incident_id=incident_id, kind="medical_review")


def test_due_until_the_due_time_and_overdue_one_second_later(
    nurse_api: Any, patient: Any, organisation: Any, clock: Any
) -> None:
    clock.move_to(at(20))  # recorded at 12:20, restraint from 12:00
    incident_id = nurse_api.post("/api/v1/incidents", restraint_body(patient.pk)).json()["id"]
    duty = _medical_review(incident_id)
    assert duty.due_at == at(60)

    def states_at(moment: Any) -> tuple[str, str, list[int], list[int]]:
        clock.move_to(moment)
        listed = nurse_api.get(f"/api/v1/incidents/{incident_id}/duties").json()
        due = nurse_api.get("/api/v1/duties", {"state": "due", "ward": "OAK"}).json()
        overdue = nurse_api.get("/api/v1/duties", {"state": "overdue", "ward": "OAK"}).json()
        return (
            state_of(duty, moment),
            duty_named(listed, "medical_review")["state"],
            [d["id"] for d in due["items"]],
            [d["id"] for d in overdue["items"]],
        )

    stored, listed, due, overdue = states_at(at(60))
    assert (stored, listed) == ("due", "due")
    assert duty.pk in due and duty.pk not in overdue

    stored, listed, due, overdue = states_at(at(60) + SECOND)
    assert (stored, listed) == ("overdue", "overdue")
    assert duty.pk in overdue and duty.pk not in due
    worklist = open_duties(organisation, now=at(60) + SECOND, ward="OAK")
    assert worklist[0].duty == duty and worklist[0].state == "overdue"  # overdue comes first


def test_met_at_the_due_time_is_done_and_one_second_later_is_done_late(
    nurse_api: Any, doctor_api: Any, patient: Any, clock: Any
) -> None:
    clock.move_to(at(20))
    on_time = nurse_api.post("/api/v1/incidents", restraint_body(patient.pk)).json()["id"]
    late = nurse_api.post("/api/v1/incidents", restraint_body(patient.pk)).json()["id"]
    clock.move_to(at(90))

    reply = doctor_api.post(f"/api/v1/incidents/{on_time}/medical-reviews", {
        "reviewed_at": iso(at(60)), "reviewer": "Dr Rao", "findings": "No injury, calm",
        "delay_reason": None,
    })
    assert reply.status_code == 201, reply.content
    assert duty_named(reply.json()["duties"], "medical_review")["state"] == "done"

    one_second_late = {"reviewed_at": iso(at(60) + SECOND), "reviewer": "Dr Rao",
                       "findings": "No injury, calm", "delay_reason": None}
    assert problems_of(doctor_api.post(f"/api/v1/incidents/{late}/medical-reviews",
                                       one_second_late)) == {
        ("body", "delay_reason"): [
            "The medical review was more than 1 hour after the restraint started: "
            "record the reason for the delay."
        ]
    }
    assert _medical_review(late).completed_at is None  # nothing recorded by the refusal
    reply = doctor_api.post(f"/api/v1/incidents/{late}/medical-reviews", {
        **one_second_late, "delay_reason": "Duty doctor was at a cardiac arrest on Ash ward",
    })
    duty = duty_named(reply.json()["duties"], "medical_review")
    assert (duty["state"], duty["late_reason"]) == (
        "done_late", "Duty doctor was at a cardiac arrest on Ash ward",
    )
    assert when(duty["completed_at"]) == at(60) + SECOND

    done = nurse_api.get("/api/v1/duties", {"state": "done"}).json()["items"]
    done_late = nurse_api.get("/api/v1/duties", {"state": "done_late"}).json()["items"]
    assert _medical_review(on_time).pk in [d["id"] for d in done]
    assert [d["id"] for d in done_late] == [_medical_review(late).pk]
    assert done_late[0]["incident"] == late and done_late[0]["ward"] == "OAK"


def test_a_review_recorded_for_the_future_is_refused_on_its_time(
    nurse_api: Any, doctor_api: Any, patient: Any, clock: Any
) -> None:
    incident_id = nurse_api.post("/api/v1/incidents", restraint_body(patient.pk)).json()["id"]
    problems = problems_of(doctor_api.post(f"/api/v1/incidents/{incident_id}/medical-reviews", {
        "reviewed_at": iso(at(0, hours=5)), "reviewer": "", "findings": "",
    }))
    assert problems == {
        ("body", "reviewer"): ["Enter who carried out the medical review"],
        ("body", "findings"): ["Enter what the medical review found"],
        ("body", "reviewed_at"): ["This time is in the future: check the date and time"],
    }


def test_the_state_filter_takes_only_the_five_states(nurse_api: Any) -> None:
    assert ("query", "state") in problems_of(nurse_api.get("/api/v1/duties", {"state": "late"}))
