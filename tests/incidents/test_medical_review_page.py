"""The doctor's medical review after restraint (issue 10 finding 9; standard 2.5.2.XI) shows,
before the form: the patient as clinical staff may see them (name, local identifier, NHS
number, date of birth), each position or type of force with how long it lasted and why prone
was used, and what the safety plan in force says about the risks of restraint for this
person. Showing the plan is audited like every other showing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from careplans.conftest import plan_input
from incidents.conftest import LONDON, at
from incidents.pages import text_of
from rrp.audit.models import AuditEvent
from rrp.audit.services import Actor
from rrp.careplans import services as careplans
from rrp.incidents.inputs import InterventionInput


@pytest.fixture
def doctor(make_user: Any, client_for: Any, organisation: Any) -> Any:
    return client_for(make_user("doctor", username="dr_rao", full_name="Dr Rao"), organisation)


@pytest.fixture
def prone_then_supine(record: Any) -> Any:
    return record(interventions=[
        InterventionInput("01", at(0), at(4),
                          prone_reason="Hitting out on the floor; could not be turned safely"),
        InterventionInput("09", at(4), at(10)),
    ])


def test_the_doctor_sees_who_the_patient_is_and_the_force_used(
    prone_then_supine: Any, doctor: Any, clock: Any,
) -> None:
    page = text_of(doctor.get(f"/uses-of-force/{prone_then_supine.pk}/medical-review/"))

    assert ("The patient Name Jo Bloggs Local identifier P1001 NHS number 943 476 5919 "
            "Date of birth 15 March 1984 (aged 42 at the time) Ward Oak Ward") in page
    assert ("Prone restraint Why prone: Hitting out on the floor; could not be turned safely "
            "12:00 4 minutes (to 12:04)") in page
    assert "Supine restraint 12:04 6 minutes (to 12:10)" in page
    # Then the form.
    assert page.index("What force was used") < page.index("Doctor who carried out the review")


def test_the_doctor_sees_the_safety_plans_risks_in_restraint(
    prone_then_supine: Any, doctor: Any, patient: Any, make_user: Any, clock: Any,
) -> None:
    nurse = make_user("ward_staff")
    careplans.safety_plan_version_create(
        actor=Actor(user=nurse, via="web"), patient=patient,
        data=plan_input(agreed_on=dt.date(2026, 10, 1), review_on=dt.date(2026, 10, 29)),
        now=dt.datetime(2026, 10, 1, 9, 0, tzinfo=LONDON),
    )

    response = doctor.get(f"/uses-of-force/{prone_then_supine.pk}/medical-review/")

    page = text_of(response)
    assert "Risks in restraint" in page
    assert "Asthma or another respiratory condition" in page
    assert "How staff reduce the risk: Inhaler to hand; no pressure on the chest or back" in page
    # The plan's warning about the force actually used: prone, which Jo asked not to have.
    assert "The safety plan warns about the force used" in page
    assert "prone restraint (face down)" in page.lower()
    assert AuditEvent.objects.filter(
        action="view", object_type="patients.patient", object_id=str(patient.pk),
        summary__contains="Safety plan",
    ).exists()


def test_without_a_plan_the_doctor_is_told_there_is_none(
    prone_then_supine: Any, doctor: Any, clock: Any,
) -> None:
    page = text_of(doctor.get(f"/uses-of-force/{prone_then_supine.pk}/medical-review/"))
    assert "There is no safety plan in RRP for this person" in page
