"""The recording form: ready with the nurse's ward, today's date and herself; a typical
restraint submitted as one intervention per position; every problem shown at once on its
field with everything typed kept; rows added without losing anything."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from incidents.conftest import LONDON
from incidents.pages import error_items, error_links, restraint_form, text_of
from rrp.incidents.models import Duty, Incident

URL = "/uses-of-force/record/"


@pytest.fixture
def patient_on_oak(patient: Any, ward: Any, make_admission: Any) -> Any:
    """P1001, Jo Bloggs, on Oak Ward since September."""
    make_admission(patient, ward, admitted_on=dt.date(2026, 9, 1))
    return patient


def local(hour: int, minute: int, day: int = 5) -> dt.datetime:
    return dt.datetime(2026, 10, day, hour, minute, tzinfo=LONDON)


def test_the_form_starts_with_her_ward_today_and_herself(
    nurse_client: Any, oak_nurse: Any, patient_on_oak: Any, make_patient: Any,
    make_ward: Any, make_admission: Any, clock: Any,
) -> None:
    elsewhere = make_patient(local_id="P2002")
    make_admission(elsewhere, make_ward(code="ASH", name="Ash Ward"),
                   admitted_on=dt.date(2026, 9, 1))
    page = nurse_client.get(URL)
    html = page.content.decode()
    assert page.status_code == 200
    assert '<option value="OAK" selected' in html
    for box, value in (("0", "5"), ("1", "10"), ("2", "2026")):
        assert re.search(rf'name="date_{box}"[^>]*value="{value}"', html), box
    assert f'<option value="{patient_on_oak.pk}"' in html
    assert "P1001 – Jo Bloggs" in html  # names, for clinical staff
    assert "P2002" not in html  # a patient on another ward is not offered
    # Her own row is ready: her name chosen and her job title from her account.
    assert f'<option value="{oak_nurse.pk}" selected data-job-title="Staff nurse, band 5">' in html
    assert re.search(r'name="staff-0-job_title"[^>]*value="Staff nurse, band 5"', html)
    assert "There is a problem" not in text_of(page)


def test_a_typical_restraint_is_recorded_as_one_intervention_per_position(
    nurse_client: Any, oak_nurse: Any, patient_on_oak: Any, clock: Any,
) -> None:
    response = nurse_client.post(URL, restraint_form(patient_on_oak, oak_nurse))

    incident = Incident.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/uses-of-force/{incident.pk}/"
    assert incident.status == "submitted"
    assert (incident.started_at, incident.ended_at) == (local(12, 0), local(12, 10))
    assert [(i.type_code, i.started_at, i.ended_at) for i in incident.interventions.all()] == [
        ("01", local(12, 0), local(12, 4)),
        ("09", local(12, 4), local(12, 10)),
    ]
    assert [(s.name, s.job_title, s.role, s.user_id) for s in incident.staff.all()] == [
        ("Ada Okafor", "Staff nurse, band 5", "lead", oak_nurse.pk),
        ("Ali Khan", "Healthcare assistant (bank)", "head_airway", None),
        ("Kim Ode", "Staff nurse", "monitoring_wellbeing", None),
    ]
    # The ticked list is what was tried, in words, when nothing else was typed.
    assert incident.de_escalation == ["verbal", "space"]
    assert incident.efforts_to_avoid.startswith("Verbal de-escalation")
    assert incident.in_care_plan is False and incident.death_or_serious_injury is False
    assert Duty.objects.filter(incident=incident, kind="medical_review").exists()


def test_a_draft_is_saved_with_what_is_known_and_starts_no_duties(
    nurse_client: Any, oak_nurse: Any, patient_on_oak: Any, clock: Any,
) -> None:
    form = restraint_form(patient_on_oak, oak_nurse, action="draft", description="",
                          outcome="", harm=None, in_care_plan=None)
    response = nurse_client.post(URL, form)
    incident = Incident.objects.get()
    assert response.status_code == 302
    assert incident.status == "draft"
    assert not Duty.objects.filter(incident=incident).exists()


def test_an_end_before_the_start_is_shown_on_that_time_and_everything_typed_is_kept(
    nurse_client: Any, oak_nurse: Any, patient_on_oak: Any, clock: Any,
) -> None:
    form = restraint_form(patient_on_oak, oak_nurse, **{"interventions-0-ended_at": "1156"})
    response = nurse_client.post(URL, form)

    assert response.status_code == 200
    assert not Incident.objects.exists()
    links = error_links(response)
    assert links == {
        "The physical restraint - prone ends before it starts": "#id_interventions-0-ended_at"
    }
    html = response.content.decode()
    assert response.content.decode().count("nhsuk-error-message") == 1
    assert 'value="1156"' in html and 'value="12.04"' in html
    assert "Held prone while he was hitting out" in html
    assert 'value="Ali Khan"' in html
    assert "<title>Error: Record a use of force" in html


def test_every_problem_is_shown_at_once_each_linked_to_its_field(
    nurse_client: Any, clock: Any,
) -> None:
    response = nurse_client.post(URL, {"action": "submit", "ward": "OAK", "date_0": "5",
                                       "date_1": "10", "date_2": "2026"})
    links = error_links(response)
    assert links["Choose the patient force was used on"] == "#id_patient"
    assert links["Choose the reason force was used"] == "#id_reason"
    assert links["Describe how force was used"] == "#id_description"
    assert links["Describe the outcome"] == "#id_outcome"
    assert links["Add at least one type of force used, with its start and end"] == (
        "#id_interventions-0-type_code"
    )
    assert links["Say whether the patient died or suffered a serious injury"] == (
        "#id_death_or_serious_injury"
    )
    assert links["Choose the degree of harm to the patient"] == "#id_harm"
    assert links["Say whether the person named in the care plan was told"] == "#id_notification"
    assert links["Add every member of staff involved"] == "#id_staff-0-member"
    # In the order of the page.
    order = list(links.values())
    assert order.index("#id_patient") < order.index("#id_interventions-0-type_code") < order.index(
        "#id_reason") < order.index("#id_staff-0-member") < order.index("#id_harm")


def test_a_time_that_cannot_be_read_says_how_to_type_it(
    nurse_client: Any, oak_nurse: Any, patient_on_oak: Any, clock: Any,
) -> None:
    form = restraint_form(patient_on_oak, oak_nurse, **{"interventions-1-started_at": "25:70"})
    links = error_links(nurse_client.post(URL, form))
    assert links == {
        "Enter the time it started as a 24-hour time, like 14:05 or 1405":
            "#id_interventions-1-started_at"
    }


def test_a_physical_restraint_needs_its_end_time_and_nothing_in_the_future(
    nurse_client: Any, oak_nurse: Any, patient_on_oak: Any, clock: Any,
) -> None:
    form = restraint_form(patient_on_oak, oak_nurse, **{
        "interventions-1-ended_at": "", "interventions-0-started_at": "1430",
        "interventions-0-ended_at": "1434", "interventions-1-started_at": "1434",
    })
    items = error_items(nurse_client.post(URL, form))
    assert ("Enter the time the supine (face up) ended", "#id_interventions-1-ended_at") in items
    future = "This time is in the future: check the date and time"
    assert [href for message, href in items if message == future] == [
        "#id_interventions-0-started_at", "#id_interventions-0-ended_at",
        "#id_interventions-1-started_at",
    ]


def test_someone_must_be_monitoring_wellbeing(
    nurse_client: Any, oak_nurse: Any, patient_on_oak: Any, clock: Any,
) -> None:
    form = restraint_form(patient_on_oak, oak_nurse, **{"staff-2-role": "lower_limbs"})
    links = error_links(nurse_client.post(URL, form))
    assert links == {
        "Name the person who monitored the patient's wellbeing throughout (3.4.2.XXII)":
            "#id_staff-0-member"
    }


def test_rapid_tranquillisation_asks_for_the_drug_dose_and_route(
    nurse_client: Any, oak_nurse: Any, patient_on_oak: Any, clock: Any,
) -> None:
    form = restraint_form(patient_on_oak, oak_nurse, **{
        "interventions-2-type_code": "14", "interventions-2-started_at": "1208",
    })
    links = error_links(nurse_client.post(URL, form))
    assert links == {
        "Enter the drug given for rapid tranquillisation": "#id_interventions-2-drug",
        "Enter the dose given": "#id_interventions-2-dose",
        "Choose the route the drug was given by": "#id_interventions-2-route",
    }
    form.update({"interventions-2-drug": "Lorazepam", "interventions-2-dose": "2 mg",
                 "interventions-2-route": "im", "interventions-2-high_risk": "on"})
    assert nurse_client.post(URL, form).status_code == 302
    injection = Incident.objects.get().interventions.get(type_code="14")
    # Medication is given at a moment: no end time means it ended as it started.
    assert (injection.started_at, injection.ended_at) == (local(12, 8), local(12, 8))
    assert (injection.drug, injection.dose, injection.route, injection.high_risk) == (
        "Lorazepam", "2 mg", "im", True)


def test_a_staff_row_needs_a_person_and_a_job_title(
    nurse_client: Any, oak_nurse: Any, patient_on_oak: Any, clock: Any,
) -> None:
    form = restraint_form(patient_on_oak, oak_nurse, **{
        "staff-3-role": "upper_limbs", "staff-4-name": "Lee Agency",
    })
    links = error_links(nurse_client.post(URL, form))
    assert links["Choose who this was, or type the name of bank or agency staff"] == (
        "#id_staff-3-member"
    )
    job_title = "Enter their job title and grade, like Staff nurse, band 5"
    assert links[job_title] == "#id_staff-4-job_title"
    assert links["Choose what this person did"] == "#id_staff-4-role"


def test_adding_a_row_keeps_everything_typed_and_shows_no_errors(
    nurse_client: Any, oak_nurse: Any, patient_on_oak: Any, clock: Any,
) -> None:
    form = restraint_form(patient_on_oak, oak_nurse, action="add_intervention", description="")
    response = nurse_client.post(URL, form)
    html = response.content.decode()
    assert response.status_code == 200 and not Incident.objects.exists()
    assert 'id="id_interventions-4-type_code"' in html  # a fifth row
    assert 'name="interventions-rows" value="5"' in html
    assert 'value="12.04"' in html and 'value="Ali Khan"' in html
    assert "There is a problem" not in text_of(response)
    response = nurse_client.post(URL, {**form, "action": "add_staff", "staff-rows": "5"})
    assert 'id="id_staff-5-member"' in response.content.decode()


def test_showing_another_wards_patients(
    nurse_client: Any, oak_nurse: Any, patient_on_oak: Any, make_patient: Any,
    make_ward: Any, make_admission: Any, clock: Any,
) -> None:
    on_ash = make_patient(local_id="P2002", given_name="Sam", family_name="Ash")
    make_admission(on_ash, make_ward(code="ASH", name="Ash Ward"), admitted_on=dt.date(2026, 9, 1))
    form = restraint_form(patient_on_oak, oak_nurse, action="change_ward", ward="ASH", patient="")
    html = nurse_client.post(URL, form).content.decode()
    assert re.search(rf'<option value="{on_ash.pk}"\s*>P2002 – Sam Ash</option>', html)
    assert "P1001" not in html
    assert "Patients on Ash Ward on 5 October 2026" in html


def test_a_patient_not_in_the_list_is_found_by_local_identifier(
    nurse_client: Any, oak_nurse: Any, patient_on_oak: Any, make_patient: Any, clock: Any,
) -> None:
    visitor = make_patient(local_id="P3003")
    form = restraint_form(patient_on_oak, oak_nurse, patient="", patient_local_id="p3003")
    assert nurse_client.post(URL, form).status_code == 302
    assert Incident.objects.get().patient == visitor
    form = restraint_form(patient_on_oak, oak_nurse, patient="", patient_local_id="P9999")
    assert error_links(nurse_client.post(URL, form)) == {
        "No patient has the local identifier P9999: check it, or add the patient first":
            "#id_patient_local_id"
    }


def test_injuries_are_recorded_when_someone_was_injured(
    nurse_client: Any, oak_nurse: Any, patient_on_oak: Any, clock: Any,
) -> None:
    form = restraint_form(patient_on_oak, oak_nurse, anyone_injured="yes")
    assert error_links(nurse_client.post(URL, form)) == {
        "Say who was injured, how seriously and what the injury was": "#id_injuries-0-person"
    }
    form.update({"injuries-0-person": "staff", "injuries-0-severity": "minor",
                 "injuries-0-description": "Scratch to the forearm", "harm": "low"})
    assert nurse_client.post(URL, form).status_code == 302
    injury = Incident.objects.get().injuries.get()
    assert (injury.person, injury.severity, injury.description) == (
        "staff", "minor", "Scratch to the forearm")


def test_a_restraint_that_runs_past_midnight_ends_the_next_day(
    nurse_client: Any, oak_nurse: Any, patient_on_oak: Any, clock: Any,
) -> None:
    form = restraint_form(patient_on_oak, oak_nurse, **{
        "date_0": "4",
        "interventions-0-started_at": "23:58", "interventions-0-ended_at": "00:02",
        "interventions-1-started_at": "00:02", "interventions-1-ended_at": "00:08",
    })
    assert nurse_client.post(URL, form).status_code == 302
    incident = Incident.objects.get()
    assert (incident.started_at, incident.ended_at) == (local(23, 58, day=4), local(0, 8))


def test_a_time_the_clocks_skipped_is_shown_on_that_time(
    nurse_client: Any, oak_nurse: Any, patient_on_oak: Any, clock: Any,
) -> None:
    # 29 March 2026: the clocks went from 01:00 to 02:00, so 01:30 was never on a ward clock.
    form = restraint_form(patient_on_oak, oak_nurse, **{
        "date_0": "29", "date_1": "3", "date_2": "2026",
        "interventions-0-started_at": "0125", "interventions-0-ended_at": "0130",
        "interventions-1-started_at": "0130", "interventions-1-ended_at": "0210",
    })
    response = nurse_client.post(URL, form)
    assert response.status_code == 200
    items = error_items(response)
    skipped = [href for message, href in items if "the clocks went forward" in message]
    assert skipped == ["#id_interventions-0-started_at", "#id_interventions-0-ended_at",
                       "#id_interventions-1-started_at"]
    assert not Incident.objects.exists()
