"""The TNA in force decides who needs which course and how often (issue 13; standard
3.4.2.I-III, 2.1.III); the interim rule applies only where none is in force. Compliance, a
person's training list (page and API) and the home page all follow."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rrp.workforce import selectors
from rrp.workforce.inputs import TnaRequirementInput
from rrp.workforce.requirements import CourseFacts, Person, Row, months_needed

from .conftest import TODAY


def _required(member: Any) -> dict[str, bool]:
    return {r.course.code: r.required for r in selectors.person_training(member, TODAY)}


def test_without_a_tna_in_force_the_interim_rule_applies(
    make_tna: Any, standard_courses: dict[str, Any], make_staff: Any
) -> None:
    member = make_staff("Ada", qualified=False)
    make_tna([TnaRequirementInput(course="PREV")], state="agreed")  # agreed is not in force
    assert _required(member) == {"BLS": True, "PREV": True, "RRN-L2": True}


def test_the_tna_in_force_replaces_the_interim_rule(
    make_tna: Any, standard_courses: dict[str, Any], make_staff: Any, make_course: Any
) -> None:
    make_course("AWARE", level="awareness", delivery="e_learning",
                delivery_rationale="Knowledge only")
    nurse = make_staff("Nurse", qualified=True)
    assistant = make_staff("Assistant", qualified=False)
    volunteer = make_staff("Volunteer", employment="volunteer")
    make_tna([
        TnaRequirementInput(course="PREV"),
        TnaRequirementInput(course="AWARE"),
        TnaRequirementInput(course="ILS", staff_group="qualified"),
        TnaRequirementInput(course="RRN-L2", employment="permanent"),
    ])
    assert _required(nurse) == {"AWARE": True, "ILS": True, "PREV": True, "RRN-L2": True}
    # Not BLS: the analysis does not ask for it; not ILS: not registered.
    assert _required(assistant) == {"AWARE": True, "PREV": True, "RRN-L2": True}
    # 3.4.1: no blanket training - volunteers are not taught physical skills here.
    assert _required(volunteer) == {"AWARE": True, "PREV": True}


def test_a_tna_refresher_interval_decides_when_training_runs_out(
    make_tna: Any, standard_courses: dict[str, Any], make_staff: Any, train: Any,
    api_client_for: Any, trainer: Any, organisation: Any,
) -> None:
    member = make_staff("Ada")
    train(member, standard_courses["physical"], on=TODAY - dt.timedelta(days=200))
    [before] = [r for r in selectors.person_training(member, TODAY) if r.course.code == "RRN-L2"]
    assert before.status == "in_date"
    make_tna([TnaRequirementInput(course="RRN-L2", refresher_months=6)])
    [after] = [r for r in selectors.person_training(member, TODAY) if r.course.code == "RRN-L2"]
    assert after.status == "expired"
    assert after.standing.expires_on == dt.date(2026, 2, 22)
    api = api_client_for(trainer, organisation)
    rows = api.get(f"/api/v1/staff/{member.pk}/training").json()
    [row] = [r for r in rows if r["course"] == "RRN-L2"]
    assert (row["status"], row["expires_on"]) == ("expired", "2026-02-22")
    assert [r["course"] for r in rows] == ["RRN-L2"]  # PREV and BLS no longer required


def test_compliance_and_the_home_page_follow_the_tna(
    make_tna: Any, standard_courses: dict[str, Any], make_staff: Any, trainer_client: Any,
    train: Any,
) -> None:
    ada = make_staff("Ada")
    make_staff("Bo", employment="bank")
    train(ada, standard_courses["prevention"], on=TODAY - dt.timedelta(days=30))
    make_tna([TnaRequirementInput(course="PREV", employment="permanent")])
    figures = selectors.compliance(ada.organisation, TODAY)
    assert [(r.course.code, r.total.required, r.total.in_date) for r in figures.rows] == [
        ("PREV", 1, 1)
    ]
    lapsed, _ = selectors.people_out_of_date(ada.organisation, TODAY)
    assert lapsed == []
    assert "Staff out of date on required training" not in trainer_client.get("/").content.decode()
    page = trainer_client.get("/training/").content.decode()
    assert "the training needs analysis in force decides" in page
    assert "until a training needs analysis is signed off" not in page


def test_a_service_types_tna_governs_its_wards_and_the_organisations_the_rest(
    make_tna: Any, standard_courses: dict[str, Any], make_staff: Any, make_ward: Any,
    make_course: Any,
) -> None:
    make_ward(code="ASH", name="Ash Ward", service_type="picu")
    make_ward(code="ELM", name="Elm Ward", service_type="forensic")
    make_course("SPEC", level="specialist")
    oak = make_staff("Oak person")
    ash = make_staff("Ash person", wards=["ASH"])
    elm = make_staff("Elm person", wards=["ELM"])
    both = make_staff("Bank on two", employment="bank", wards=["OAK", "ASH"])
    make_tna([TnaRequirementInput(course="PREV")])
    make_tna([TnaRequirementInput(course="SPEC", refresher_months=6)], service_type="picu")
    assert _required(oak) == {"PREV": True}
    assert _required(ash) == {"SPEC": True}
    assert _required(elm) == {"PREV": True}
    assert _required(both) == {"PREV": True, "SPEC": True}


def test_a_row_for_one_ward_applies_to_that_ward_only(
    make_tna: Any, standard_courses: dict[str, Any], make_staff: Any, make_ward: Any
) -> None:
    make_ward(code="ASH", name="Ash Ward")
    oak = make_staff("Oak person")
    ash = make_staff("Ash person", wards=["ASH"])
    make_tna([TnaRequirementInput(course="RRN-L2", ward="ASH")])
    assert _required(oak) == {}
    assert _required(ash) == {"RRN-L2": True}


def test_the_shortest_interval_of_the_rows_that_apply_counts() -> None:
    rows = (Row(1, "everyone", "", None, 12), Row(1, "qualified", "", None, 6),
            Row(1, "everyone", "", 5, 3))
    course = CourseFacts(1, "physical", 12)
    nurse = Person(ward_ids=(4,), qualified=True, employment="permanent")
    assistant = Person(ward_ids=(4,), qualified=False, employment="permanent")
    on_ward_5 = Person(ward_ids=(5,), qualified=False, employment="bank")
    types = {4: "adult_acute", 5: "adult_acute"}
    assert months_needed(nurse, course, ward_service_types=types, analyses={"": rows}) == 6
    assert months_needed(assistant, course, ward_service_types=types, analyses={"": rows}) == 12
    assert months_needed(on_ward_5, course, ward_service_types=types, analyses={"": rows}) == 3
    assert months_needed(Person((), True, "permanent"), course, ward_service_types=types,
                         analyses={"": rows}) is None
    # No analysis in force: the interim rule, at the course's own interval.
    assert months_needed(assistant, course, ward_service_types=types, analyses={}) == 12


def test_a_recorded_outcome_runs_out_at_the_tnas_interval(
    make_tna: Any, standard_courses: dict[str, Any], make_staff: Any,
    api_client_for: Any, trainer: Any, organisation: Any,
) -> None:
    # The TNA in force keeps physical skills in date for 6 months, not the course's 12: the
    # record the trainer posts says so, as the person's training list does.
    member = make_staff("Ada")
    make_tna([TnaRequirementInput(course="RRN-L2", refresher_months=6)])
    api = api_client_for(trainer, organisation)
    response = api.post("/api/v1/training-records", {
        "staff": member.pk, "course": "RRN-L2", "completed_on": "2026-01-10",
        "outcome": "competent", "occupational_health_checked": True})
    assert response.status_code == 201, response.content
    assert response.json()["expires_on"] == "2026-07-10"
    [row] = [r for r in api.get(f"/api/v1/staff/{member.pk}/training").json()
             if r["course"] == "RRN-L2"]
    assert row["expires_on"] == "2026-07-10"
