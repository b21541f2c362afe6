"""Drafts (issue 10 finding 4): "Save as a draft" keeps whatever has been typed, needing only
the ward and the patient; reopening the draft shows every field as it was typed, never a
default nobody chose; no duty starts until the record is submitted, and submission still
checks everything."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from incidents.conftest import LONDON, NOW, at, iso, problems_of
from incidents.pages import error_links, form_from, text_of
from rrp.incidents import services
from rrp.incidents.inputs import IncidentInput, InterventionInput, StaffInput
from rrp.incidents.models import Duty, Incident

URL = "/uses-of-force/record/"
ROWS = {"interventions-rows": "4", "staff-rows": "5", "others-rows": "1", "injuries-rows": "1"}


def bare(patient: Any, **more: Any) -> dict[str, Any]:
    """Only the ward and the patient, as a nurse called away at once would leave it."""
    return {"action": "draft", **ROWS, "ward": "OAK", "patient": str(patient.pk),
            "date_0": "5", "date_1": "10", "date_2": "2026", **more}


def test_a_draft_needs_only_the_ward_and_the_patient(
    nurse_client: Any, patient: Any, clock: Any,
) -> None:
    response = nurse_client.post(URL, bare(patient))

    assert response.status_code == 302, error_links(response) if response.status_code == 200 else ""
    draft = Incident.objects.get()
    assert draft.status == "draft" and draft.started_at is None
    assert (draft.ward.code, draft.patient_id) == ("OAK", patient.pk)
    assert not Duty.objects.filter(incident=draft).exists()
    page = text_of(nurse_client.get(response["Location"]))
    assert "Draft, not yet submitted" in page
    assert "The duties that follow start when it is submitted" in page


def test_a_draft_without_the_patient_or_the_ward_is_not_saved(
    nurse_client: Any, patient: Any, clock: Any,
) -> None:
    links = error_links(nurse_client.post(URL, {**bare(patient), "patient": "", "ward": ""}))
    assert links == {
        "Choose the ward where force was used": "#id_ward",
        "Choose the patient force was used on": "#id_patient",
    }
    assert not Incident.objects.exists()


# Everything a nurse may have typed before being called away: a prone row with its reason but
# no end, a type still to choose with a start, a staff row with only what they did, a person
# with only a name, an injury half described, and no answer yet to harm, death or serious
# injury or the care plan question.
PART_TYPED = {
    **ROWS,
    "ward": "OAK",
    "date_0": "4", "date_1": "10", "date_2": "2026",
    "interventions-0-type_code": "01",
    "interventions-0-started_at": "21:40",
    "interventions-0-prone_reason": "Hitting his head on the floor; could not be held seated",
    "interventions-1-started_at": "21:44",
    "reason": "11",
    "reason_detail": "Head banging",
    "de_escalation": ["verbal"],
    "description": "Held prone on the floor",
    "staff-0-role": "lead",
    "staff-1-name": "Ali Khan",
    "others-0-kind": "security",
    "anyone_injured": "yes",
    "injuries-0-person": "patient",
    "injuries-0-description": "Graze to the forehead",
    "psychological_harm": "not_known",
    "notification": "no",
    "planned": ["on"],
}


def test_reopening_a_draft_shows_every_field_as_it_was_typed(
    nurse_client: Any, patient: Any, clock: Any,
) -> None:
    typed = {**PART_TYPED, "patient": str(patient.pk)}
    response = nurse_client.post(URL, {"action": "draft", **typed})
    assert response.status_code == 302, error_links(response) if response.status_code == 200 else ""
    draft = Incident.objects.get()

    reopened = form_from(nurse_client.get(f"/uses-of-force/{draft.pk}/change/"))

    shown = {name: reopened.get(name, "") for name in typed if not name.endswith("-rows")}
    expected = {name: value[0] if isinstance(value, list) and name != "de_escalation" else value
                for name, value in typed.items() if not name.endswith("-rows")}
    assert shown == expected
    # Questions never answered stay unanswered: no "No harm", "No" or "Not known" chosen for her.
    for question in ("harm", "death_or_serious_injury", "in_care_plan"):
        assert reopened.get(question, "") == "", question


def test_a_date_typed_before_any_time_is_kept(nurse_client: Any, patient: Any, clock: Any
                                             ) -> None:
    nurse_client.post(URL, bare(patient, date_0="3"))
    draft = Incident.objects.get()
    reopened = form_from(nurse_client.get(f"/uses-of-force/{draft.pk}/change/"))
    assert (reopened["date_0"], reopened["date_1"], reopened["date_2"]) == ("3", "10", "2026")


def test_duties_start_only_when_the_draft_is_submitted(
    record: Any, nurse_actor: Any, clock: Any,
) -> None:
    draft = record(submit=False)
    assert not Duty.objects.filter(incident=draft).exists()
    services.incident_update(actor=nurse_actor, incident=draft,
                             data=services.input_from_incident(draft))
    assert not Duty.objects.filter(incident=draft).exists()

    clock.move_to(NOW + dt.timedelta(hours=3))
    services.incident_submit(actor=nurse_actor, incident=draft)

    medical = Duty.objects.get(incident=draft, kind="medical_review")
    assert medical.due_at == at(60)  # from when force was used, not when it was submitted


def test_submitting_a_part_typed_draft_checks_everything(
    nurse_client: Any, patient: Any, clock: Any,
) -> None:
    nurse_client.post(URL, {"action": "draft", **PART_TYPED, "patient": str(patient.pk)})
    draft = Incident.objects.get()

    response = nurse_client.post(f"/uses-of-force/{draft.pk}/submit/")

    assert response.status_code == 200
    links = error_links(response)
    assert links == {
        "Choose the type of force used": "#id_interventions-1-type_code",
        "Describe the outcome": "#id_outcome",
        "Say whether these types of force were in the care plan, or choose not known":
            "#id_in_care_plan",
        "Enter the staff member's name": "#id_staff-0-member",
        "Enter the staff member's job title": "#id_staff-1-job_title",
        "Choose what this person did": "#id_staff-1-role",
        "Say why they were involved (Use of Force Act s.6(5)(i))": "#id_others-0-reason",
        "Say whether the patient died or suffered a serious injury":
            "#id_death_or_serious_injury",
        "Choose how serious the injury was": "#id_injuries-0-severity",
        "Choose the degree of harm to the patient": "#id_harm",
    }
    draft.refresh_from_db()
    assert draft.status == "draft" and not Duty.objects.filter(incident=draft).exists()


def test_a_stored_draft_submitted_from_its_page_must_answer_the_questions_left_open(
    record: Any, nurse_actor: Any, clock: Any,
) -> None:
    """The record's defaults (no harm, no death or serious injury) are not answers."""
    draft = record(submit=False)
    data = services.input_from_incident(draft)
    data.draft_answers = {"harm": "", "death_or_serious_injury": "", "anyone_injured": "no",
                          "in_care_plan": "no"}
    services.incident_update(actor=nurse_actor, incident=draft, data=data)

    with pytest.raises(services.ValidationError) as refused:
        services.incident_submit(actor=nurse_actor, incident=draft)

    assert set(refused.value.message_dict) == {"harm", "death_or_serious_injury"}


def test_the_api_saves_a_draft_with_only_the_ward_and_the_patient(
    nurse_api: Any, patient: Any,
) -> None:
    reply = nurse_api.post("/api/v1/incidents", {"ward": "OAK", "patient": patient.pk,
                                                 "status": "draft"})
    assert reply.status_code == 201, reply.content
    body = reply.json()
    assert (body["status"], body["started_at"], body["duties"]) == ("draft", None, [])
    assert problems_of(nurse_api.post("/api/v1/incidents", {"status": "draft"})) == {
        ("body", "ward"): ["Choose the ward where force was used"],
        ("body", "patient"): ["Choose the patient force was used on"],
    }
    # Submission checks everything, and starts no duty when anything is missing.
    problems = problems_of(nurse_api.post(f"/api/v1/incidents/{body['id']}/submit"))
    assert {("body", "started_at"), ("body", "reason"), ("body", "description"),
            ("body", "notification"), ("body", "interventions"), ("body", "staff")} <= set(
        problems)
    assert nurse_api.get(f"/api/v1/incidents/{body['id']}").json()["duties"] == []


def test_a_draft_typed_through_the_api_keeps_a_part_typed_intervention(
    nurse_api: Any, patient: Any,
) -> None:
    reply = nurse_api.post("/api/v1/incidents", {
        "ward": "OAK", "patient": patient.pk, "status": "draft",
        "interventions": [{"type": "01", "prone_reason": "Could not be held standing"},
                          {"started_at": iso(at(3))}],
        "staff": [{"role": "lead"}],
    })
    assert reply.status_code == 201, reply.content
    kept = reply.json()
    assert [(i["type"], i["started_at"], i["prone_reason"]) for i in kept["interventions"]] in (
        [("01", None, "Could not be held standing"), ("", iso(at(3)), "")],
        [("", iso(at(3)), ""), ("01", None, "Could not be held standing")],
    )
    assert kept["staff"][0]["role"] == "lead"


def test_a_draft_is_never_counted_as_earlier_seclusion(
    record: Any, nurse_actor: Any, organisation: Any, ward: Any, patient: Any, clock: Any,
) -> None:
    """Only submitted records count towards the 12 hours of seclusion in 48 that call the
    independent review: an 11-hour seclusion yesterday still in draft does not."""
    started = NOW - dt.timedelta(hours=30)
    earlier = services.incident_create(
        actor=nurse_actor, organisation=organisation, submit=False, now=NOW,
        data=IncidentInput(
            ward=ward, patient=patient, started_at=started,
            ended_at=started + dt.timedelta(hours=11), reason="10", description="x",
            efforts_to_avoid="x", outcome="x", notification="no",
            interventions=[InterventionInput("05", started, started + dt.timedelta(hours=11))],
            staff=[StaffInput("Sam Lee", "Staff nurse", "lead")],
        ),
    )
    seclusion = [InterventionInput("05", at(0), at(90))]
    while_draft = record(ended_at=at(90), interventions=seclusion)
    assert not Duty.objects.filter(incident=while_draft, kind="seclusion_mdt_review").exists()

    services.incident_submit(actor=nurse_actor, incident=earlier)
    once_submitted = record(ended_at=at(90), interventions=seclusion)
    assert Duty.objects.filter(incident=once_submitted, kind="seclusion_mdt_review").exists()


def test_the_form_keeps_an_end_typed_before_its_start_in_a_draft(
    nurse_client: Any, patient: Any, clock: Any,
) -> None:
    nurse_client.post(URL, bare(patient, **{"interventions-0-type_code": "09",
                                            "interventions-0-ended_at": "1210"}))
    [intervention] = Incident.objects.get().interventions.all()
    assert intervention.started_at is None
    assert intervention.ended_at == dt.datetime(2026, 10, 5, 12, 10, tzinfo=LONDON)
