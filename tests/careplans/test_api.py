"""The safety plan and risk assessment API:

GET/POST /api/v1/patients/{id}/safety-plans
GET      /api/v1/patients/{id}/safety-plans/current
GET/POST /api/v1/patients/{id}/risk-assessments
"""

from __future__ import annotations

from typing import Any

import pytest

from rrp.audit.models import AuditEvent
from rrp.incidents.models import Duty

PLAN = {
    "occasion": "admission",
    "agreed_on": "2026-03-09",
    "person_took_part": "yes",
    "carer_took_part": "not_appropriate",
    "persons_words": "Talk to me quietly and give me space.",
    "triggers": "Loud alarms",
    "amber_signs": "Pacing",
    "amber_support": "The garden and a drink",
    "preferred_interventions": ["07", "16"],
    "less_preferred_interventions": ["10"],
    "positions_to_avoid": ["01"],
    "risk_factors": [
        {
            "code": "respiratory",
            "notes": "Asthma",
            "strategies": "Inhaler to hand; no pressure on the chest",
        }
    ],
    "review_on": "2026-04-06",
}
ASSESSMENT = {
    "assessed_on": "2026-03-09",
    "occasion": "admission",
    "summary": "Risk to others when frustrated; none to self.",
    "risk_to_self": "low",
    "risk_to_others": "medium",
    "sources": ["person", "records"],
    "person_took_part": "yes",
    "carer_took_part": "no",
    "communicated_to": ["mdt"],
    "communicated_on": "2026-03-09",
    "review_on": "2026-04-06",
}


@pytest.fixture
def api(api_client_for: Any, nurse: Any, organisation: Any) -> Any:
    return api_client_for(nurse, organisation)


def test_a_plan_posted_is_signed_by_the_tokens_user_and_returned_whole(
    clock: Any, jo: Any, api: Any
) -> None:
    response = api.post(f"/api/v1/patients/{jo.pk}/safety-plans", PLAN)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["version"] == 1
    assert body["current"] is True
    assert body["patient_id"] == jo.pk
    assert body["signed_by"] == {"name": "Ada Okafor", "job_title": ""}
    assert body["signed_at"] == "2026-03-10T10:00:00+00:00"
    assert body["co_produced"] is True
    assert body["positions_to_avoid"] == ["01"]
    assert body["preferred_interventions"] == ["07", "16"]
    assert body["risk_factors"] == [
        {
            "code": "respiratory",
            "label": "Asthma or another respiratory condition",
            "notes": "Asthma",
            "strategies": "Inhaler to hand; no pressure on the chest",
        }
    ]
    assert body["review_on"] == "2026-04-06"
    assert body["review_state"] == "in_date"
    assert body["entered_in_error"] is False


def test_the_current_plan_and_every_version(clock: Any, jo: Any, api: Any) -> None:
    missing = api.get(f"/api/v1/patients/{jo.pk}/safety-plans/current")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "This person has no current safety plan"}
    api.post(f"/api/v1/patients/{jo.pk}/safety-plans", PLAN)
    api.post(
        f"/api/v1/patients/{jo.pk}/safety-plans",
        {**PLAN, "occasion": "scheduled", "changes": "Nothing needed to change"},
    )
    current = api.get(f"/api/v1/patients/{jo.pk}/safety-plans/current").json()
    assert (current["version"], current["current"], current["changes"]) == (
        2,
        True,
        "Nothing needed to change",
    )
    versions = api.get(f"/api/v1/patients/{jo.pk}/safety-plans").json()
    assert [(v["version"], v["current"]) for v in versions] == [(2, True), (1, False)]
    assert AuditEvent.objects.filter(action="view", object_id=str(jo.pk), via="api").count() == 2


def test_every_problem_comes_back_as_422_by_field(clock: Any, jo: Any, api: Any) -> None:
    body = {
        **PLAN,
        "persons_words": "",
        "preferred_interventions": ["07", "99"],
        "risk_factors": [{"code": "asthma", "strategies": ""}],
        "review_on": None,
    }
    response = api.post(f"/api/v1/patients/{jo.pk}/safety-plans", body)
    assert response.status_code == 422
    problems = {tuple(p["loc"]): p["msg"] for p in response.json()["detail"]}
    assert problems == {
        ("body", "persons_words"): "Write down what the person said, in their own words",
        (
            "body",
            "preferred_interventions",
            1,
        ): "'99' is not an intervention type: use the MHSDS codes",
        ("body", "risk_factors", 0, "code"): "'asthma' is not a physical health risk factor",
        ("body", "review_on"): "Enter the date this will be reviewed",
    }


def test_a_misspelt_field_is_refused_not_dropped(clock: Any, jo: Any, api: Any) -> None:
    body = {
        **PLAN,
        "trigers": "x",
        "risk_factors": [{"code": "respiratory", "strategies": "x", "note": "y"}],
    }
    response = api.post(f"/api/v1/patients/{jo.pk}/safety-plans", body)
    assert response.status_code == 422
    found = {(tuple(p["loc"]), p["msg"]) for p in response.json()["detail"]}
    assert found == {
        (("body", "trigers"), "'trigers' is not something this record holds: check the spelling"),
        (("body", "risk_factors", 0, "note"),
         "'note' is not something this record holds: check the spelling"),
    }


def test_a_plan_through_the_api_meets_the_review_after_a_use_of_force(
    clock: Any, jo: Any, api: Any, restraint: Any
) -> None:
    incident = restraint(("01",))
    response = api.post(
        f"/api/v1/patients/{jo.pk}/safety-plans",
        {**PLAN, "occasion": "after_incident", "incident_id": incident.pk},
    )
    assert response.status_code == 201
    assert response.json()["incident_id"] == incident.pk
    assert Duty.objects.get(incident=incident, kind="care_plan_review").completed_at is not None


def test_risk_assessments_are_recorded_and_listed(clock: Any, jo: Any, api: Any) -> None:
    created = api.post(f"/api/v1/patients/{jo.pk}/risk-assessments", ASSESSMENT)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["assessed_by"] == {"name": "Ada Okafor", "job_title": ""}
    assert body["risk_to_others"] == "medium"
    assert body["review_state"] == "in_date"
    listed = api.get(f"/api/v1/patients/{jo.pk}/risk-assessments").json()
    assert [a["id"] for a in listed] == [body["id"]]
    refused = api.post(f"/api/v1/patients/{jo.pk}/risk-assessments", {**ASSESSMENT, "sources": []})
    assert refused.status_code == 422
    assert refused.json()["detail"] == [
        {"loc": ["body", "sources"], "msg": "Choose the sources of information used"}
    ]


@pytest.mark.parametrize("role", ["board", "trainer", "auditor", "org_admin"])
def test_people_who_do_not_care_for_patients_cannot_read_or_write_plans(
    clock: Any, jo: Any, api_client_as: Any, role: str
) -> None:
    api = api_client_as(role)
    for path in ("safety-plans", "safety-plans/current", "risk-assessments"):
        assert api.get(f"/api/v1/patients/{jo.pk}/{path}").status_code == 403
    assert api.post(f"/api/v1/patients/{jo.pk}/safety-plans", PLAN).status_code == 403
    assert api.post(f"/api/v1/patients/{jo.pk}/risk-assessments", ASSESSMENT).status_code == 403


def test_another_organisations_patient_is_not_found(
    clock: Any, jo: Any, make_organisation: Any, make_patient: Any, api: Any
) -> None:
    other = make_patient(local_id="B1", organisation=make_organisation(ods_code="B2B"))
    for path in ("safety-plans", "safety-plans/current", "risk-assessments"):
        assert api.get(f"/api/v1/patients/{other.pk}/{path}").status_code == 404
    assert api.post(f"/api/v1/patients/{other.pk}/safety-plans", PLAN).status_code == 404
    # A body of the wrong shape is refused by its schema before any lookup, with the same
    # answer as for an id that does not exist: it says nothing about the other organisation.
    hijack = {"local_id": "HIJACK"}
    for path in ("safety-plans", "risk-assessments"):
        theirs = api.post(f"/api/v1/patients/{other.pk}/{path}", hijack)
        nobodys = api.post(f"/api/v1/patients/{2**62}/{path}", hijack)
        assert theirs.status_code == nobodys.status_code == 422
        assert theirs.json() == nobodys.json()
    assert api.post(f"/api/v1/patients/{other.pk}/risk-assessments", ASSESSMENT).status_code == 404
