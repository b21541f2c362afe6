"""Use of Force Act s.6(5)(d), "whether those types formed part of the patient's care plan", is
answered from the safety plan in force when force was used, not typed: the form shows the
answer instead of the question. Only when there is no plan in RRP - or none yet when force was
used - does the person recording answer it (issue 6)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from careplans.conftest import plan_input
from incidents.conftest import LONDON
from incidents.pages import error_links, form_from, restraint_form, text_of
from rrp.audit.services import Actor
from rrp.careplans import services as careplans
from rrp.incidents.models import Incident

URL = "/uses-of-force/record/"
QUESTION = "Were these types of force in the patient's care plan?"
# Standing for 4 minutes, then on the side for 6: both agreed in Jo's plan.
AGREED = {
    "interventions-0-type_code": "07",
    "interventions-1-type_code": "10",
    "description": "Held standing, then guided to the floor on his side",
}


@pytest.fixture
def jo(patient: Any, ward: Any, make_admission: Any) -> Any:
    make_admission(patient, ward, admitted_on=dt.date(2026, 9, 1))
    return patient


def write_plan(patient: Any, nurse: Any, signed_at: dt.datetime) -> Any:
    """Jo's plan: standing and oral medication preferred, side restraint as a last resort."""
    return careplans.safety_plan_version_create(
        actor=Actor(user=nurse, via="web"),
        patient=patient,
        data=plan_input(agreed_on=signed_at.date(), review_on=dt.date(2026, 10, 29)),
        now=signed_at,
    )


def submitted(client: Any, first: dict[str, Any]) -> Incident:
    """Post the form; if the plan's warnings are shown, submit anyway. The saved record."""
    response = client.post(URL, first)
    if response.status_code == 200:
        form = form_from(response)
        form["action"] = "submit"
        response = client.post(URL, form)
    assert response.status_code == 302, text_of(response)[:3000]
    return Incident.objects.get()


def test_with_a_plan_the_form_shows_the_answer_instead_of_the_question(
    nurse_client: Any, oak_nurse: Any, jo: Any, clock: Any,
) -> None:
    write_plan(jo, oak_nurse, dt.datetime(2026, 10, 1, 9, 0, tzinfo=LONDON))

    page = nurse_client.get(f"{URL}?patient={jo.pk}")

    assert 'name="in_care_plan"' not in page.content.decode()
    text = text_of(page)
    assert QUESTION in text
    assert "Answered from the plan when you submit" in text
    assert (
        "The plan agrees standing restraint and oral medication as chemical restraint; as a "
        "last resort, restraint on their side." in text
    )


def test_types_the_plan_does_not_agree_are_stored_as_not_in_the_care_plan(
    nurse_client: Any, oak_nurse: Any, jo: Any, clock: Any,
) -> None:
    write_plan(jo, oak_nurse, dt.datetime(2026, 10, 1, 9, 0, tzinfo=LONDON))
    # Prone then supine; "yes" arrives in the post but the plan answers.
    form = restraint_form(jo, oak_nurse, in_care_plan="yes")
    warned = nurse_client.post(URL, form)
    assert (
        "No: prone restraint (face down) and supine restraint (face up) are not agreed in "
        "the plan." in text_of(warned)
    )

    incident = submitted(nurse_client, form)

    assert incident.in_care_plan is False


def test_types_the_plan_agrees_are_stored_as_in_the_care_plan(
    nurse_client: Any, oak_nurse: Any, jo: Any, clock: Any,
) -> None:
    write_plan(jo, oak_nurse, dt.datetime(2026, 10, 1, 9, 0, tzinfo=LONDON))
    incident = submitted(nurse_client, restraint_form(jo, oak_nurse, in_care_plan=None, **AGREED))
    assert incident.in_care_plan is True


def test_with_no_plan_the_question_is_asked_and_must_be_answered(
    nurse_client: Any, oak_nurse: Any, jo: Any, clock: Any,
) -> None:
    page = nurse_client.get(f"{URL}?patient={jo.pk}")
    assert 'name="in_care_plan"' in page.content.decode()
    assert "There is no safety plan in RRP for this person" in text_of(page)

    response = nurse_client.post(URL, restraint_form(jo, oak_nurse, in_care_plan=None))

    assert response.status_code == 200
    assert error_links(response) == {
        "Say whether these types of force were in the care plan, or choose not known":
            "#id_in_care_plan",
    }
    assert submitted(nurse_client, restraint_form(jo, oak_nurse, in_care_plan="yes"))
    assert Incident.objects.get().in_care_plan is True


def test_a_plan_signed_after_force_was_used_does_not_answer_for_it(
    nurse_client: Any, oak_nurse: Any, jo: Any, clock: Any,
) -> None:
    # The plan was written at 13:00, an hour after the restraint began at 12:00.
    write_plan(jo, oak_nurse, dt.datetime(2026, 10, 5, 13, 0, tzinfo=LONDON))

    response = nurse_client.post(URL, restraint_form(jo, oak_nurse, in_care_plan=None, **AGREED))

    assert response.status_code == 200
    assert "Say whether these types of force were in the care plan" in text_of(response)
    assert 'name="in_care_plan"' in response.content.decode()
    incident = submitted(
        nurse_client, restraint_form(jo, oak_nurse, in_care_plan="not_known", **AGREED)
    )
    assert incident.in_care_plan is None
