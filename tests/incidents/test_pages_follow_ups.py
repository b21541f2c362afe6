"""Recording what follows a use of force, one page each: the medical review (with the reason
when it was late), physical observations (or why they could not be taken and what was done
instead), rapid tranquillisation checks, support for the patient and for staff, the
reflection and learning review, the patient's own account (an offer, never compulsory),
seclusion and care plan reviews, and a duty marked not required with a reason. Each is
recorded in the role that owns it (ADR 7): medical reviews by a doctor, the reflection review
and support for staff by a ward manager, the rest by ward staff."""

from __future__ import annotations

from typing import Any

import pytest

from incidents.conftest import at
from incidents.pages import error_links, text_of
from rrp.incidents.inputs import InterventionInput
from rrp.incidents.models import Duty


@pytest.fixture
def incident(record: Any) -> Any:
    return record()


@pytest.fixture
def staff(client_as: Any) -> Any:
    return client_as("ward_staff")


@pytest.fixture
def doctor(client_as: Any) -> Any:
    return client_as("doctor")


@pytest.fixture
def manager(client_as: Any) -> Any:
    return client_as("ward_manager")


def duty(incident: Any, kind: str) -> Duty:
    return Duty.objects.get(incident=incident, kind=kind, sequence=1)


def when(hour: str, minute: str = "00", **more: Any) -> dict[str, Any]:
    return {"on_0": "5", "on_1": "10", "on_2": "2026", "at": f"{hour}:{minute}", **more}


def test_a_late_medical_review_needs_the_reason_for_the_delay(
    incident: Any, doctor: Any, clock: Any,
) -> None:
    url = f"/uses-of-force/{incident.pk}/medical-review/"
    page = text_of(doctor.get(url))
    assert "Overdue Medical review within 1 hour of restraint: due by 5 October 2026, 13:00" in page
    response = doctor.post(url, when("13", "20", reviewer="Dr Shah", findings="No injury"))
    assert error_links(response) == {
        "The medical review was more than 1 hour after the restraint started: record the reason "
        "for the delay.": "#id_delay_reason",
    }
    response = doctor.post(url, when("13", "20", reviewer="Dr Shah", findings="No injury",
                                     delay_reason="Doctor at an emergency on Ash Ward"))
    assert response.status_code == 302
    met = duty(incident, "medical_review")
    assert met.completed_at == at(80) and met.late_reason == "Doctor at an emergency on Ash Ward"


def test_a_medical_review_names_every_missing_answer(incident: Any, doctor: Any, clock: Any
                                                     ) -> None:
    response = doctor.post(f"/uses-of-force/{incident.pk}/medical-review/",
                           {"on_0": "", "on_1": "", "on_2": "", "at": "9pm"})
    links = error_links(response)
    assert links["Enter the date of the review"] == "#id_on-0"
    assert links["Enter the time of the review as a 24-hour time, like 14:05 or 1405"] == "#id_at"
    response = doctor.post(f"/uses-of-force/{incident.pk}/medical-review/",
                           when("12", "40", reviewer=""))
    assert error_links(response) == {
        "Enter who carried out the medical review": "#id_reviewer",
        "Enter what the medical review found": "#id_findings",
    }
    assert error_links(doctor.post(f"/uses-of-force/{incident.pk}/medical-review/",
                                   when("15", "30", reviewer="Dr", findings="x"))) == {
        "This time is in the future: check the date and time": "#id_at"
    }


def test_observations_not_taken_need_the_reason_and_what_was_done_instead(
    incident: Any, staff: Any, clock: Any,
) -> None:
    url = f"/uses-of-force/{incident.pk}/observations/?kind=physical"
    assert error_links(staff.post(url, when("12", "30", kind="physical"))) == {
        "Say whether the observations could be taken": "#id_taken"
    }
    assert error_links(staff.post(url, when("12", "30", kind="physical", taken="no"))) == {
        "Say why the observations could not be taken": "#id_not_taken_reason",
        "Say what was done instead": "#id_action_instead",
    }
    assert staff.post(url, when("12", "30", kind="physical", taken="no",
                                not_taken_reason="He refused to be touched",
                                action_instead="Watched breathing and colour every 15 minutes")
                      ).status_code == 302
    assert duty(incident, "physical_observations").completed_at == at(30)
    page = text_of(staff.get(f"/uses-of-force/{incident.pk}/"))
    assert ("Not taken: He refused to be touched. Instead: Watched breathing and colour every "
            "15 minutes") in page


def test_observations_taken_are_checked_for_sense(incident: Any, staff: Any, clock: Any
                                                  ) -> None:
    url = f"/uses-of-force/{incident.pk}/observations/?kind=physical"
    assert error_links(staff.post(url, when("12", "30", kind="physical", taken="yes",
                                            pulse="720", spo2="ninety"))) == {
        "The pulse must be between 20 and 250: check it": "#id_pulse",
        "Enter the oxygen saturation as a number": "#id_spo2",
    }
    response = staff.post(url, when("12", "30", kind="physical", taken="yes", pulse="92",
                                    bp_systolic="128", bp_diastolic="84", respiratory_rate="18",
                                    temperature="36.9", spo2="97", consciousness="A"))
    assert response.status_code == 302
    page = text_of(staff.get(f"/uses-of-force/{incident.pk}/"))
    assert ("Pulse 92, blood pressure 128/84, breathing rate 18, temperature 36.9°C, SpO2 97%, "
            "alert") in page


def test_rapid_tranquillisation_checks_follow_each_other_until_no_further_concerns(
    record: Any, staff: Any, clock: Any,
) -> None:
    incident = record(interventions=[
        InterventionInput("07", at(0), at(4)),
        InterventionInput("14", at(5), at(5), drug="Lorazepam", dose="2 mg", route="im"),
        InterventionInput("10", at(5), at(10)),
    ])
    url = f"/uses-of-force/{incident.pk}/observations/?kind=rapid_tranquillisation"
    assert "Rapid tranquillisation check" in text_of(staff.get(url))
    assert staff.post(url, when("13", "00", kind="rapid_tranquillisation", taken="yes",
                                pulse="80", consciousness="V")).status_code == 302
    checks = Duty.objects.filter(incident=incident, kind="rapid_tranquillisation_monitoring")
    assert checks.count() == 2 and checks.get(sequence=2).completed_at is None
    assert staff.post(url, when("13", "50", kind="rapid_tranquillisation", taken="yes",
                                pulse="76", consciousness="A", no_further_concerns="on")
                      ).status_code == 302
    assert checks.count() == 2 and all(c.completed_at for c in checks.all())


def test_support_not_given_needs_the_reason(
    incident: Any, staff: Any, manager: Any, clock: Any
) -> None:
    url = f"/uses-of-force/{incident.pk}/support/?for=patient"
    assert error_links(staff.post(url, when("13", "30", **{"for": "patient", "held": "no"}))) == {
        "Say why the support did not happen": "#id_not_held_reason"
    }
    assert staff.post(url, when("13", "30", **{"for": "patient", "held": "no",
                                               "not_held_reason": "01"})).status_code == 302
    assert duty(incident, "post_incident_support_patient").completed_at == at(90)
    staff_url = f"/uses-of-force/{incident.pk}/support/?for=staff"
    assert error_links(manager.post(staff_url, when("13", "30", **{
        "for": "staff", "held": "no", "not_held_reason": "98"}))) == {
        "Say why support for staff could not be arranged": "#id_notes"
    }
    assert manager.post(staff_url, when("13", "30", **{"for": "staff", "held": "yes",
                                                       "notes": "Team huddle and tea"})
                        ).status_code == 302
    assert staff.get(f"/uses-of-force/{incident.pk}/support/?for=nobody").status_code == 404


def test_the_reflection_and_learning_review(incident: Any, manager: Any, clock: Any) -> None:
    url = f"/uses-of-force/{incident.pk}/reflection-review/"
    assert error_links(manager.post(url, when("13", "45", held="yes"))) == {
        "Say whether the patient took part": "#id_patient_took_part"
    }
    assert error_links(manager.post(url, when("13", "45", held="yes", patient_took_part="no"))
                       ) == {
        "Record what was learned, even if it was 'nothing new'": "#id_learning",
        "Say why the patient did not take part in the review": "#id_not_held_reason",
    }
    assert manager.post(url, when("13", "45", held="yes", patient_took_part="no",
                                  not_held_reason="02", learning="Earlier PRN offer helps")
                        ).status_code == 302
    assert duty(incident, "post_incident_review").completed_at == at(105)


def test_the_patients_account_is_an_offer_they_may_decline(
    incident: Any, staff: Any, clock: Any,
) -> None:
    url = f"/uses-of-force/{incident.pk}/patient-account/"
    page = text_of(staff.get(url))
    assert "It is an offer: they can say no, or give it later" in page
    assert error_links(staff.post(url, when("13", "50"))) == {
        "Say whether the patient accepted or declined the offer": "#id_response"
    }
    assert staff.post(url, when("13", "50", response="declined")).status_code == 302
    account = incident.accounts.get()
    assert (account.response, account.account) == ("declined", "")
    assert duty(incident, "patient_account_offer").completed_at == at(110)


def test_a_seclusion_review_and_the_care_plan_review(
    record: Any, staff: Any, doctor: Any, clock: Any
) -> None:
    incident = record(ended_at=None, interventions=[
        InterventionInput("07", at(0), at(4)), InterventionInput("05", at(5), None)])
    url = f"/uses-of-force/{incident.pk}/reviews/?kind=seclusion_medical_review"
    assert "Seclusion medical review" in text_of(doctor.get(url))
    assert error_links(doctor.post(url, when("12", "50", kind="seclusion_medical_review",
                                             reviewer=" "))) == {
        "Enter who carried out the review": "#id_reviewer",
        "Record what the review found and decided": "#id_notes",
    }
    assert doctor.post(url, when("12", "50", kind="seclusion_medical_review",
                                 reviewer="Dr Shah", notes="Continue; review in 4 hours")
                       ).status_code == 302
    assert duty(incident, "seclusion_medical_review").completed_at == at(50)
    assert staff.get(f"/uses-of-force/{incident.pk}/reviews/?kind=lunch").status_code == 404


def test_a_duty_is_marked_not_required_only_with_a_reason(
    incident: Any, staff: Any, clock: Any,
) -> None:
    owed = duty(incident, "care_plan_review")
    url = f"/uses-of-force/{incident.pk}/not-required/?duty={owed.pk}"
    assert "Care plan and risk assessment reviewed within 72 hours" in text_of(staff.get(url))
    assert error_links(staff.post(url, {"duty": owed.pk, "reason": " "})) == {
        "Say why this duty is not required": "#id_reason"
    }
    assert staff.post(url, {"duty": owed.pk, "reason": "Reviewed at this morning's MDT"}
                      ).status_code == 302
    owed.refresh_from_db()
    assert owed.not_required_reason == "Reviewed at this morning's MDT"
    page = text_of(staff.get(f"/uses-of-force/{incident.pk}/"))
    assert "Not required: Reviewed at this morning's MDT Not required" in page


def test_nothing_follows_a_draft(record: Any, staff: Any, clock: Any) -> None:
    draft = record(submit=False)
    response = staff.get(f"/uses-of-force/{draft.pk}/medical-review/")
    assert response["Location"] == f"/uses-of-force/{draft.pk}/"
