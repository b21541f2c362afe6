"""Rapid tranquillisation is followed by checks at the policy's interval, each timed from the
last one, until a check records no further concerns (NICE QS154 statement 4)."""

from __future__ import annotations

from typing import Any

from incidents.conftest import at, iso, problems_of, restraint_body, when


def _with_rapid_tranquillisation(patient_id: int, high_risk: bool = False) -> dict[str, Any]:
    return restraint_body(patient_id, interventions=[
        {"type": "07", "started_at": iso(at(0)), "ended_at": iso(at(5))},
        {"type": "14", "started_at": iso(at(5)), "ended_at": iso(at(5)), "drug": "Lorazepam",
         "dose": "2 mg", "route": "im", "high_risk": high_risk},
    ])


def _checks(api: Any, incident_id: int) -> list[tuple[int, str, Any]]:
    duties = api.get(f"/api/v1/incidents/{incident_id}/duties").json()
    return [(d["sequence"], d["state"], when(d["due_at"])) for d in duties
            if d["duty"] == "rapid_tranquillisation_monitoring"]


def _check(api: Any, incident_id: int, taken_at: Any, **extra: Any) -> Any:
    return api.post(f"/api/v1/incidents/{incident_id}/observations", {
        "kind": "rapid_tranquillisation", "taken_at": iso(taken_at), "pulse": 88,
        "respiratory_rate": 16, "consciousness": "A", "hydration": "Drinking water", **extra,
    })


def test_checks_go_on_until_no_further_concerns(nurse_api: Any, patient: Any, clock: Any) -> None:
    clock.move_to(at(20))
    incident_id = nurse_api.post(
        "/api/v1/incidents", _with_rapid_tranquillisation(patient.pk)
    ).json()["id"]
    assert _checks(nurse_api, incident_id) == [(1, "due", at(65))]  # an hour after the injection

    clock.move_to(at(60))
    assert _check(nurse_api, incident_id, at(60)).status_code == 201
    assert _checks(nurse_api, incident_id) == [(1, "done", at(65)), (2, "due", at(120))]

    clock.move_to(at(130))
    assert problems_of(_check(nurse_api, incident_id, at(130))) == {
        ("body", "late_reason"): [
            "The rapid tranquillisation check was 10 minutes late: record the reason for the delay."
        ]
    }
    late = _check(nurse_api, incident_id, at(130), late_reason="Patient asleep, woken gently")
    assert late.status_code == 201
    assert _checks(nurse_api, incident_id)[1:] == [(2, "done_late", at(120)), (3, "due", at(190))]

    clock.move_to(at(185))
    _check(nurse_api, incident_id, at(185), no_further_concerns=True)
    assert _checks(nurse_api, incident_id) == [
        (1, "done", at(65)), (2, "done_late", at(120)), (3, "done", at(190)),
    ]


def test_a_higher_risk_case_is_checked_every_15_minutes(
    nurse_api: Any, patient: Any, clock: Any
) -> None:
    clock.move_to(at(15))
    incident_id = nurse_api.post(
        "/api/v1/incidents", _with_rapid_tranquillisation(patient.pk, high_risk=True)
    ).json()["id"]
    assert _checks(nurse_api, incident_id) == [(1, "due", at(20))]
    clock.move_to(at(18))
    _check(nurse_api, incident_id, at(18))
    assert _checks(nurse_api, incident_id)[-1] == (2, "due", at(33))


def test_observations_not_taken_need_the_reason_and_what_was_done_instead(
    nurse_api: Any, patient: Any, clock: Any
) -> None:
    clock.move_to(at(20))
    incident_id = nurse_api.post(
        "/api/v1/incidents", _with_rapid_tranquillisation(patient.pk)
    ).json()["id"]
    url = f"/api/v1/incidents/{incident_id}/observations"
    assert problems_of(nurse_api.post(url, {"kind": "rapid_tranquillisation",
                                            "taken_at": iso(at(20))})) == {
        ("body", "not_taken_reason"): [
            "Record the observations, or why they could not be taken and what was done instead"
        ]
    }
    refused = nurse_api.post(url, {
        "kind": "rapid_tranquillisation", "taken_at": iso(at(20)),
        "not_taken_reason": "Refused, pushed the cuff away",
        "action_instead": "Watched breathing from the doorway, talked with him",
    })
    assert refused.status_code == 201
    assert refused.json()["not_taken_reason"] == "Refused, pushed the cuff away"
    assert _checks(nurse_api, incident_id)[0][1] == "done"


def test_checks_stop_when_the_rapid_tranquillisation_is_taken_out_of_the_record(
    nurse_api: Any, patient: Any, clock: Any
) -> None:
    clock.move_to(at(20))
    incident_id = nurse_api.post(
        "/api/v1/incidents", _with_rapid_tranquillisation(patient.pk)
    ).json()["id"]
    clock.move_to(at(60))
    _check(nurse_api, incident_id, at(60))
    url = f"/api/v1/incidents/{incident_id}"

    nurse_api.patch(url, {"outcome": "Slept", "change_reason": "Outcome at handover"})
    assert _checks(nurse_api, incident_id)[-1] == (2, "due", at(120))  # the checks go on

    nurse_api.patch(url, {
        "interventions": [{"type": "07", "started_at": iso(at(0)), "ended_at": iso(at(5))}],
        "change_reason": "The injection was recorded against the wrong patient",
    })
    assert _checks(nurse_api, incident_id) == [(1, "done", at(65)), (2, "not_required", at(120))]
