"""The patient's safety plan comes first on the recording form: as soon as the patient is
chosen, what helps, what to avoid, the risks in restraint and their communication needs are
shown, before the force is recorded. From the patient's page (?patient=), with the "Show their
safety plan" button (no JavaScript), or drawn in on its own when the patient is picked
(?part=plan, for JavaScript). Only the organisation's own patients, and every showing is in the
audit trail (issue 6; standard 2.3.XIV)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from careplans.conftest import plan_input
from incidents.conftest import LONDON
from incidents.pages import restraint_form, text_of
from rrp.audit.models import AuditEvent
from rrp.audit.services import Actor
from rrp.careplans import services as careplans
from rrp.incidents.models import Incident

URL = "/uses-of-force/record/"
THE_PLAN = (
    "Safety plan at a glance",
    "Risks in restraint",
    "They asked not to have: prone restraint (face down).",
    "Asthma or another respiratory condition",
    "How staff reduce the risk: Inhaler to hand; no pressure on the chest or back",
    "Offer the garden and a drink",  # what helps
    "Crowding me, raised voices",  # what to avoid
    "Short sentences; give time to answer",  # communication
    "Standing restraint",  # preferred if needed
)


@pytest.fixture
def jo(patient: Any, ward: Any, make_admission: Any, oak_nurse: Any) -> Any:
    """Jo (P1001) on Oak Ward, with the safety plan written with Jo on 1 October."""
    make_admission(patient, ward, admitted_on=dt.date(2026, 9, 1))
    careplans.safety_plan_version_create(
        actor=Actor(user=oak_nurse, via="web"),
        patient=patient,
        data=plan_input(agreed_on=dt.date(2026, 10, 1), review_on=dt.date(2026, 10, 29)),
        now=dt.datetime(2026, 10, 1, 9, 0, tzinfo=LONDON),
    )
    return patient


def assert_shows_the_plan(text: str) -> None:
    for words in THE_PLAN:
        assert words in text, words


def test_choosing_the_patient_without_javascript_shows_their_plan_first(
    nurse_client: Any, oak_nurse: Any, jo: Any, clock: Any,
) -> None:
    before = text_of(nurse_client.get(URL))
    assert "Safety plan at a glance" not in before  # nobody chosen yet

    form = {key: value for key, value in restraint_form(jo, oak_nurse).items()
            if key in {"ward", "patient", "date_0", "date_1", "date_2"} or key.endswith("-rows")}
    response = nurse_client.post(URL, {**form, "action": "show_plan"})

    assert response.status_code == 200
    assert not Incident.objects.exists()
    text = text_of(response)
    assert "There is a problem" not in text
    assert_shows_the_plan(text)
    # First: after the patient, before anything about the force is asked.
    assert text.index("Patient and place") < text.index("Safety plan at a glance")
    assert text.index("Safety plan at a glance") < text.index("What force was used")
    # Nothing on the form leads away from it.
    assert "Read the full safety plan" not in text


def test_coming_from_the_patients_page_the_plan_is_there_at_once(
    nurse_client: Any, jo: Any, clock: Any,
) -> None:
    assert_shows_the_plan(text_of(nurse_client.get(f"{URL}?patient={jo.pk}")))


def test_the_plan_is_drawn_in_on_its_own_when_the_patient_is_picked(
    nurse_client: Any, jo: Any, clock: Any,
) -> None:
    part = nurse_client.get(URL, {"part": "plan", "patient": str(jo.pk)})

    html = part.content.decode()
    assert part.status_code == 200
    assert "<html" not in html  # only the parts the form swaps in
    assert 'id="safety-plan"' in html and 'id="care-plan-answer"' in html
    assert 'data-status="Safety plan at a glance for P1001 shown below"' in html
    assert_shows_the_plan(text_of(part))
    # Typing the identifier finds the same person.
    assert "Safety plan at a glance" in text_of(
        nurse_client.get(URL, {"part": "plan", "patient_local_id": "p1001"})
    )


def test_a_person_with_no_plan_is_said_to_have_none(
    nurse_client: Any, make_patient: Any, ward: Any, make_admission: Any, clock: Any,
) -> None:
    sam = make_patient(local_id="P1002", given_name="Sam")
    make_admission(sam, ward, admitted_on=dt.date(2026, 9, 1))
    text = text_of(nurse_client.get(URL, {"part": "plan", "patient": str(sam.pk)}))
    assert "There is no safety plan in RRP for this person" in text
    assert "Risks in restraint" not in text


def test_another_organisations_patient_shows_nothing(
    nurse_client: Any, make_organisation: Any, make_patient: Any, system_actor: Any,
    clock: Any,
) -> None:
    theirs = make_patient(local_id="X1", organisation=make_organisation())
    careplans.safety_plan_version_create(
        actor=system_actor,
        patient=theirs,
        data=plan_input(agreed_on=dt.date(2026, 10, 1), review_on=dt.date(2026, 10, 29)),
        now=dt.datetime(2026, 10, 1, 9, 0, tzinfo=LONDON),
    )
    for response in (
        nurse_client.get(URL, {"part": "plan", "patient": str(theirs.pk)}),
        nurse_client.get(URL, {"part": "plan", "patient_local_id": "X1"}),
        nurse_client.get(f"{URL}?patient={theirs.pk}"),
    ):
        assert response.status_code == 200
        text = text_of(response)
        assert "X1" not in text
        assert "Safety plan at a glance" not in text and "Inhaler to hand" not in text


def test_every_showing_of_the_plan_is_in_the_audit_trail(
    nurse_client: Any, oak_nurse: Any, jo: Any, clock: Any,
) -> None:
    nurse_client.get(URL, {"part": "plan", "patient": str(jo.pk)})
    nurse_client.get(f"{URL}?patient={jo.pk}")
    shown = AuditEvent.objects.filter(
        action="view", summary="Safety plan of P1001 shown on the use of force form"
    )
    assert shown.count() == 2
    assert {event.actor_id for event in shown} == {oak_nurse.pk}
