"""A trainer records a class of 12 in one form (issue 13): the session once, then a row per
person with attendance, theory result, outcome, the occupational health checklist (3.4.2.XIV),
adjustments (XV) and, for anyone not yet competent, the two plans (XXXIX)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from rrp.audit.models import AuditEvent
from rrp.workforce import services
from rrp.workforce.inputs import OutcomeInput, SessionInput
from rrp.workforce.models import TrainingRecord, TrainingSession


def session_post(people: list[Any], **rows: dict[str, str]) -> dict[str, str]:
    data = {
        "course": "RRN-L2", "held_on_0": "9", "held_on_1": "3", "held_on_2": "2026",
        "trainer_name": "Sam Patel", "ward": "OAK", "location": "Training room 2",
        "attendee-TOTAL_FORMS": "12", "attendee-INITIAL_FORMS": "0",
        "attendee-MIN_NUM_FORMS": "0", "attendee-MAX_NUM_FORMS": "40",
    }
    for index, person in enumerate(people):
        data.update({
            f"attendee-{index}-staff": person.staff_number,
            f"attendee-{index}-outcome": "competent",
            f"attendee-{index}-theory_result": "passed",
            f"attendee-{index}-occupational_health_checked": "on",
        })
    for index, values in rows.items():
        for name, value in values.items():
            data[f"attendee-{index.removeprefix('row')}-{name}"] = value
    return data


@pytest.fixture
def class_of_12(make_staff: Any, make_course: Any) -> list[Any]:
    make_course("RRN-L2", level="physical")
    return [make_staff(f"Learner {n:02d}") for n in range(12)]


def test_a_class_of_12_is_recorded_in_one_form(
    clock: Any, class_of_12: list[Any], trainer_client: Any
) -> None:
    page = trainer_client.get("/training/sessions/add/").content.decode()
    assert page.count("<legend") >= 12 and 'list="register"' in page
    data = session_post(class_of_12, row10={
        "outcome": "not_yet_competent", "theory_result": "not_passed",
        "competence_plan": "Two practice sessions, reassess in April",
        "interim_plan": "Not in the restraint team until reassessed",
    }, row11={"outcome": "absent", "occupational_health_checked": ""})
    data["attendee-3-adjustments"] = "Knee support; avoided kneeling holds"
    response = trainer_client.post("/training/sessions/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    session = TrainingSession.objects.get()
    assert (session.course.code, session.held_on, session.ward.code) == (
        "RRN-L2", dt.date(2026, 3, 9), "OAK")
    assert session.records.count() == 11
    assert [m.name for m in session.absent.all()] == ["Learner 11"]
    assert session.records.filter(outcome="not_yet_competent").get().staff.name == "Learner 10"
    assert session.records.get(staff__name="Learner 03").adjustments.startswith("Knee")
    assert AuditEvent.objects.filter(object_type="workforce.trainingsession").count() == 1
    detail = trainer_client.get(response["Location"]).content.decode()
    assert "Learner 11" in detail and "Not yet competent" in detail


def test_a_row_problem_is_shown_on_its_row_and_nothing_is_saved(
    clock: Any, class_of_12: list[Any], trainer_client: Any
) -> None:
    data = session_post(class_of_12[:3], row1={"outcome": "not_yet_competent"},
                        row2={"occupational_health_checked": ""})
    data["attendee-3-staff"] = "E9999"
    data["attendee-3-outcome"] = "competent"
    page = trainer_client.post("/training/sessions/add/", data).content.decode()
    assert "Person 4: No one with staff number E9999 is on the register" in page
    assert not TrainingSession.objects.exists()
    data.pop("attendee-3-staff")
    data.pop("attendee-3-outcome")
    page = trainer_client.post("/training/sessions/add/", data).content.decode()
    assert "Person 2: Write the plan for reaching competence" in page
    assert "Person 2: Write the interim management plan" in page
    assert "Person 3: Confirm the occupational health checklist" in page
    assert 'value="Learner 00"' not in page  # the rows keep what was typed: staff numbers
    assert f'value="{class_of_12[0].staff_number}"' in page
    assert not TrainingRecord.objects.exists()


def test_the_same_person_twice_and_an_empty_class_are_refused(
    clock: Any, actor: Any, organisation: Any, class_of_12: list[Any]
) -> None:
    one = class_of_12[0]
    row = OutcomeInput(staff_id=one.pk, outcome="competent", occupational_health_checked=True)
    with pytest.raises(ValidationError) as error:
        services.training_session_record(actor=actor, organisation=organisation, data=SessionInput(
            course="RRN-L2", held_on=dt.date(2026, 3, 9), trainer_name="Sam",
            attendees=[row, row]))
    assert "attendees.1.staff" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.training_session_record(actor=actor, organisation=organisation, data=SessionInput(
            course="RRN-L2", held_on=dt.date(2026, 3, 9), trainer_name=""))
    assert set(error.value.message_dict) == {"attendees", "trainer_name"}


def test_a_leaver_cannot_be_in_a_later_class(
    clock: Any, actor: Any, organisation: Any, make_staff: Any, class_of_12: list[Any]
) -> None:
    gone = make_staff("Gone", leaving_date=dt.date(2026, 2, 1))
    with pytest.raises(ValidationError) as error:
        services.training_session_record(actor=actor, organisation=organisation, data=SessionInput(
            course="RRN-L2", held_on=dt.date(2026, 3, 9), trainer_name="Sam",
            attendees=[OutcomeInput(staff_id=gone.pk, outcome="competent",
                                    occupational_health_checked=True)]))
    assert "left on 01/02/2026" in error.value.message_dict["attendees.0.staff"][0]
