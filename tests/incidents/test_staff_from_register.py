"""Staff involved in a use of force picked from the staff register (issue 13, "at the point of
recording"): named from the register, their training on the day kept with the record and never
changed by later training (standard 1.5.V), a note - never a block - when someone who held the
patient was out of date in physical skills, and people not on the register typed as before.

The ward clock stands at Monday 5 October 2026, 14:00; the typical restraint began at 12:00.
Sam Lee was trained in physical skills in March 2026 (in date), Ali Khan in June 2025 (ran out
on 1 June 2026), Kim Ode never.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from incidents.conftest import NOW, problems_of, restraint_body, restraint_input
from incidents.pages import restraint_form, text_of
from rrp.audit.services import Actor
from rrp.incidents import services
from rrp.incidents.exports import use_of_force_row
from rrp.incidents.inputs import StaffInput as InvolvedInput
from rrp.incidents.models import Incident
from rrp.workforce import services as workforce
from rrp.workforce.inputs import CourseInput, StaffInput, TrainingRecordInput

SYSTEM = Actor(user=None, via="cli")


def add_staff(organisation: Any, number: str, name: str, job_title: str, grade: str,
              wards: list[str], **values: Any) -> Any:
    return workforce.staff_member_create(
        actor=SYSTEM, organisation=organisation,
        data=StaffInput(staff_number=number, name=name, job_title=job_title, grade=grade,
                        employment=values.pop("employment", "permanent"), wards=wards,
                        **values),
    )


def train(member: Any, course: str, on: dt.date) -> None:
    workforce.training_record_create(
        actor=SYSTEM, organisation=member.organisation,
        data=TrainingRecordInput(staff_id=member.pk, course=course, completed_on=on,
                                 outcome="competent", occupational_health_checked=True),
    )


@pytest.fixture
def register(organisation: Any, ward: Any, clock: Any) -> dict[str, Any]:
    for code, level in (("PREV", "prevention"), ("RRN-L2", "physical"), ("BLS", "bls")):
        workforce.course_create(actor=SYSTEM, organisation=organisation,
                                data=CourseInput(code=code, title=f"{code} course", level=level))
    people = {
        "sam": add_staff(organisation, "E1", "Sam Lee", "Staff nurse", "Band 5", ["OAK"],
                         qualified=True),
        "ali": add_staff(organisation, "E2", "Ali Khan", "Healthcare assistant", "Band 3",
                         ["OAK"]),
        "kim": add_staff(organisation, "E3", "Kim Ode", "Staff nurse", "Band 5", []),
    }
    train(people["sam"], "RRN-L2", dt.date(2026, 3, 1))
    train(people["ali"], "RRN-L2", dt.date(2025, 6, 1))
    return people


def from_register(people: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"staff_id": people["sam"].pk, "role": "lead"},
        {"staff_id": people["ali"].pk, "role": "head_airway"},
        {"staff_id": people["kim"].pk, "role": "monitoring_wellbeing"},
    ]


def physical(training: list[dict[str, Any]]) -> dict[str, Any]:
    return next(course for course in training if course["course"] == "RRN-L2")


def test_staff_picked_by_staff_id_are_named_from_the_register_with_their_training(
    nurse_api: Any, patient: Any, register: dict[str, Any],
) -> None:
    answer = nurse_api.post("/api/v1/incidents",
                            restraint_body(patient.pk, staff=from_register(register)))
    assert answer.status_code == 201, answer.content
    staff = nurse_api.get(f"/api/v1/incidents/{answer.json()['id']}").json()["staff"]
    assert [(s["name"], s["job_title"], s["grade"], s["staff_id"]) for s in staff] == [
        ("Sam Lee", "Staff nurse", "Band 5", register["sam"].pk),
        ("Ali Khan", "Healthcare assistant", "Band 3", register["ali"].pk),
        ("Kim Ode", "Staff nurse", "Band 5", register["kim"].pk),
    ]
    sam, ali, kim = (s["training_on_the_day"] for s in staff)
    assert physical(sam) == {"course": "RRN-L2", "title": "RRN-L2 course", "level": "physical",
                             "required": True, "status": "in_date", "expires_on": "2027-03-01"}
    assert (physical(ali)["status"], physical(ali)["expires_on"]) == ("expired", "2026-06-01")
    bls = next(course for course in ali if course["course"] == "BLS")
    assert (bls["status"], bls["expires_on"], bls["required"]) == ("never", None, True)
    # Courses the person needed that day (the interim rule: everyone on a ward), needed first.
    assert [c["course"] for c in sam] == ["BLS", "PREV", "RRN-L2"]
    assert kim == []  # on no ward: needed nothing, and has no records


def test_the_training_kept_never_changes_when_later_training_is_recorded(
    nurse_api: Any, patient: Any, register: dict[str, Any], nurse_actor: Actor,
) -> None:
    incident_id = nurse_api.post(
        "/api/v1/incidents", restraint_body(patient.pk, staff=from_register(register))
    ).json()["id"]
    # The next day Ali's refresher is recorded (back-dated to the morning of the incident)...
    train(register["ali"], "RRN-L2", dt.date(2026, 10, 5))
    staff = nurse_api.get(f"/api/v1/incidents/{incident_id}").json()["staff"]
    assert physical(staff[1]["training_on_the_day"])["status"] == "expired"
    # ...and an amendment that keeps Ali on the record keeps what was kept.
    incident = Incident.objects.get(pk=incident_id)
    data = services.input_from_incident(incident)
    data.outcome = "Settled in his room; seen by the doctor at 13:00"
    services.incident_update(actor=nurse_actor, incident=incident, data=data,
                             change_reason="Outcome completed")
    staff = nurse_api.get(f"/api/v1/incidents/{incident_id}").json()["staff"]
    assert physical(staff[1]["training_on_the_day"])["status"] == "expired"
    assert [s["staff_id"] for s in staff] == [p["staff_id"] for p in from_register(register)]


def test_another_organisations_staff_id_is_a_422_naming_the_field(
    nurse_api: Any, patient: Any, register: dict[str, Any], make_organisation: Any,
) -> None:
    elsewhere = add_staff(make_organisation(), "E1", "Pat Other", "Staff nurse", "Band 6", [])
    staff = from_register(register)
    staff[0] = {"staff_id": elsewhere.pk, "role": "lead"}
    problems = problems_of(nurse_api.post("/api/v1/incidents",
                                          restraint_body(patient.pk, staff=staff)))
    assert ("body", "staff", 0, "staff_id") in problems, problems
    assert "Pat Other" not in str(problems)
    assert not Incident.objects.exists()


def test_a_leaver_is_a_422_naming_the_field(
    nurse_api: Any, patient: Any, register: dict[str, Any], organisation: Any,
) -> None:
    leaver = add_staff(organisation, "E9", "Lee Gone", "Staff nurse", "Band 5", ["OAK"],
                       leaving_date=dt.date(2026, 9, 30))
    staff = from_register(register)
    staff[1] = {"staff_id": leaver.pk, "role": "head_airway"}
    problems = problems_of(nurse_api.post("/api/v1/incidents",
                                          restraint_body(patient.pk, staff=staff)))
    assert problems[("body", "staff", 1, "staff_id")] == [
        "Lee Gone left on 30/09/2026, before the use of force: choose who was there, or type "
        "the name of someone not on the register"
    ]
    # Their last day is still a day they worked.
    leaver_today = add_staff(organisation, "E10", "Jo Last", "Staff nurse", "Band 5", ["OAK"],
                             leaving_date=dt.date(2026, 10, 5))
    staff[1] = {"staff_id": leaver_today.pk, "role": "head_airway"}
    assert nurse_api.post("/api/v1/incidents",
                          restraint_body(patient.pk, staff=staff)).status_code == 201


def test_people_not_on_the_register_are_typed_as_before_with_no_training(
    nurse_api: Any, patient: Any, register: dict[str, Any],
) -> None:
    staff = [*from_register(register)[:2],
             {"name": "Chris Agency", "job_title": "Agency support worker",
              "role": "monitoring_wellbeing"}]
    answer = nurse_api.post("/api/v1/incidents", restraint_body(patient.pk, staff=staff))
    assert answer.status_code == 201, answer.content
    typed = nurse_api.get(f"/api/v1/incidents/{answer.json()['id']}").json()["staff"][2]
    assert (typed["name"], typed["job_title"]) == ("Chris Agency", "Agency support worker")
    assert (typed["staff_id"], typed["training_on_the_day"]) == (None, None)
    # Free text alone still needs a name and a job title.
    problems = problems_of(nurse_api.post("/api/v1/incidents", restraint_body(
        patient.pk, staff=[{"role": "lead"}, *from_register(register)[1:]])))
    assert ("body", "staff", 0, "name") in problems


def test_the_use_of_force_export_names_register_staff_with_job_titles(
    organisation: Any, ward: Any, patient: Any, register: dict[str, Any], nurse_actor: Actor,
) -> None:
    staff = [InvolvedInput("", "", "lead", staff_id=register["sam"].pk),
             InvolvedInput("Chris Agency", "Agency support worker", "upper_limbs"),
             InvolvedInput("", "", "monitoring_wellbeing", staff_id=register["kim"].pk)]
    incident = services.incident_create(actor=nurse_actor, organisation=organisation,
                                        data=restraint_input(ward, patient, staff=staff), now=NOW)
    assert use_of_force_row(incident)["h_staff_who_used_force"] == (
        "Sam Lee, Staff nurse (Band 5); Chris Agency, Agency support worker"
    )


def test_the_incident_page_shows_training_on_the_day_and_notes_who_was_out_of_date(
    nurse_client: Any, nurse_api: Any, patient: Any, register: dict[str, Any],
) -> None:
    incident_id = nurse_api.post(
        "/api/v1/incidents", restraint_body(patient.pk, staff=from_register(register))
    ).json()["id"]
    text = text_of(nurse_client.get(f"/uses-of-force/{incident_id}/"))
    assert "RRN-L2 RRN-L2 course: in date (to 1 March 2027)" in text
    assert "RRN-L2 RRN-L2 course: expired (ran out 1 June 2026)" in text
    # Ali held the head and airway with physical skills out of date: a note, the record saved.
    assert "Ali Khan was not in date in physical skills training" in text
    assert "their physical skills training had expired (it ran out on 1 June 2026)" in text
    # Kim, never trained, monitored wellbeing: no physical technique, no note. Sam was in date.
    assert "Kim Ode was not in date" not in text
    assert "Sam Lee was not in date" not in text


def test_the_form_offers_the_register_with_the_wards_team_first(
    nurse_client: Any, oak_nurse: Any, patient: Any, ward: Any, make_admission: Any,
    register: dict[str, Any],
) -> None:
    make_admission(patient, ward, admitted_on=dt.date(2026, 9, 1))
    html = nurse_client.get("/uses-of-force/record/").content.decode()
    oak = html.index('<optgroup label="On Oak Ward">')
    rest = html.index('<optgroup label="Everyone else">')
    option = f'<option value="staff:{register["ali"].pk}" data-job-title="Healthcare assistant">'
    assert oak < html.index(option + "Ali Khan, Healthcare assistant, Band 3") < rest
    assert rest < html.index(f'<option value="staff:{register["kim"].pk}"')


def test_register_staff_chosen_on_the_form_are_kept_with_their_training(
    nurse_client: Any, oak_nurse: Any, patient: Any, ward: Any, make_admission: Any,
    register: dict[str, Any],
) -> None:
    make_admission(patient, ward, admitted_on=dt.date(2026, 9, 1))
    form = restraint_form(
        patient, oak_nurse,
        **{"staff-1-name": None, "staff-1-job_title": None,
           "staff-1-member": f"staff:{register['ali'].pk}",
           "staff-2-name": None, "staff-2-job_title": None,
           "staff-2-member": f"staff:{register['kim'].pk}"},
    )
    # Drawn again before submitting (a row added): the note shows, nothing is refused.
    redrawn = text_of(nurse_client.post("/uses-of-force/record/",
                                        {**form, "action": "add_staff"}))
    assert "Ali Khan was not in date in physical skills training" in redrawn
    response = nurse_client.post("/uses-of-force/record/", form)
    assert response.status_code == 302, text_of(response)[:2000]
    incident = Incident.objects.get()
    assert [(s.name, s.job_title, s.grade, s.staff_member_id, s.user_id)
            for s in incident.staff.all()] == [
        ("Ada Okafor", "Staff nurse, band 5", "", None, oak_nurse.pk),
        ("Ali Khan", "Healthcare assistant", "Band 3", register["ali"].pk, None),
        ("Kim Ode", "Staff nurse", "Band 5", register["kim"].pk, None),
    ]
    ada, ali, kim = (s.training_on_the_day for s in incident.staff.all())
    assert ada is None and physical(ali)["status"] == "expired" and kim == []
    # Changing the record shows the same people chosen.
    html = nurse_client.get(f"/uses-of-force/{incident.pk}/change/").content.decode()
    assert f'<option value="staff:{register["ali"].pk}" selected' in html


def test_a_nurse_on_the_register_starts_with_her_own_entry(
    nurse_client: Any, oak_nurse: Any, organisation: Any, register: dict[str, Any],
) -> None:
    mine = add_staff(organisation, "E50", "Ada Okafor", "Staff nurse", "Band 5", ["OAK"],
                     user_id=oak_nurse.pk)
    html = nurse_client.get("/uses-of-force/record/").content.decode()
    assert f'<option value="staff:{mine.pk}" selected' in html
    # Her account is offered once: as her register entry.
    assert f'<option value="{oak_nurse.pk}"' not in html


def test_a_draft_takes_the_training_again_when_it_is_submitted(
    organisation: Any, ward: Any, patient: Any, register: dict[str, Any], nurse_actor: Actor,
) -> None:
    staff = [InvolvedInput("", "", "lead", staff_id=register["ali"].pk),
             InvolvedInput("", "", "monitoring_wellbeing", staff_id=register["kim"].pk)]
    draft = services.incident_create(actor=nurse_actor, organisation=organisation,
                                     data=restraint_input(ward, patient, staff=staff),
                                     submit=False, now=NOW)
    assert physical(draft.staff.first().training_on_the_day)["status"] == "expired"
    # The refresher Ali did that morning is recorded before the draft is submitted.
    train(register["ali"], "RRN-L2", dt.date(2026, 10, 5))
    services.incident_submit(actor=nurse_actor, incident=draft, now=NOW)
    assert physical(draft.staff.first().training_on_the_day)["status"] == "in_date"


def test_the_register_names_the_person_whatever_else_is_sent(
    nurse_api: Any, patient: Any, register: dict[str, Any],
) -> None:
    staff = from_register(register)
    staff[0] |= {"name": "Someone Else", "job_title": "Matron", "grade": "Band 8a"}
    incident_id = nurse_api.post("/api/v1/incidents",
                                 restraint_body(patient.pk, staff=staff)).json()["id"]
    sam = nurse_api.get(f"/api/v1/incidents/{incident_id}").json()["staff"][0]
    assert (sam["name"], sam["job_title"], sam["grade"]) == ("Sam Lee", "Staff nurse", "Band 5")


def test_choosing_from_the_register_and_typing_a_name_is_refused_on_the_form(
    nurse_client: Any, oak_nurse: Any, patient: Any, ward: Any, make_admission: Any,
    register: dict[str, Any],
) -> None:
    make_admission(patient, ward, admitted_on=dt.date(2026, 9, 1))
    form = restraint_form(patient, oak_nurse,
                          **{"staff-1-member": f"staff:{register['ali'].pk}"})  # and the name
    text = text_of(nurse_client.post("/uses-of-force/record/", form))
    assert "Choose the person from the list or type their name, not both" in text
    assert not Incident.objects.exists()
