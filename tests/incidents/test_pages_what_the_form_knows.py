"""What the recording form knows, it does not ask (issue 13: a typical restraint in 20
interactions or fewer):

- who is to be told after force is used (Use of Force Act s.6(5)(p)) comes from the safety plan
  in force: a plan that names nobody answers it; a plan that names someone asks whether they
  were told, and "nobody is named" would contradict it; with no plan the question is as before;
- the lines of force are the description of how force was used (s.6(5)(f)) when none is typed;
- with nobody injured and no death or serious injury, the degree of harm is "No harm".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from careplans.conftest import plan_input
from incidents.conftest import LONDON
from incidents.pages import error_links, restraint_form, text_of
from rrp.audit.services import Actor
from rrp.careplans import services as careplans
from rrp.incidents.models import Incident

URL = "/uses-of-force/record/"


@pytest.fixture
def jo(patient: Any, ward: Any, make_admission: Any) -> Any:
    make_admission(patient, ward, admitted_on=dt.date(2026, 9, 1))
    return patient


def write_plan(patient: Any, nurse: Any, *, notify: str) -> Any:
    """A plan that agrees prone and supine holds and warns of nothing, naming `notify`."""
    return careplans.safety_plan_version_create(
        actor=Actor(user=nurse, via="web"), patient=patient,
        data=plan_input(
            agreed_on=dt.date(2026, 10, 1), review_on=dt.date(2026, 10, 29),
            preferred_interventions=["09"], less_preferred_interventions=["01"],
            positions_to_avoid=[], intervention_preferences="", risk_factors=[],
            notify_after_force=notify,
        ),
        now=dt.datetime(2026, 10, 1, 9, 0, tzinfo=LONDON),
    )


def test_a_plan_that_names_nobody_answers_who_was_told(
    nurse_client: Any, oak_nurse: Any, jo: Any, clock: Any,
) -> None:
    write_plan(jo, oak_nurse, notify="")
    page = text_of(nurse_client.get(f"{URL}?patient={jo.pk}"))
    assert "Nobody is named in the care plan Answered from the safety plan" in page
    # Whatever was posted (a stale page), the plan's answer is kept.
    response = nurse_client.post(URL, restraint_form(jo, oak_nurse, notification="no"))
    assert response.status_code == 302, text_of(response)[:2000]
    assert Incident.objects.get().notification == "not_applicable"


def test_a_plan_that_names_someone_asks_whether_they_were_told(
    nurse_client: Any, oak_nurse: Any, jo: Any, clock: Any,
) -> None:
    write_plan(jo, oak_nurse, notify="Mary Bloggs (mother), 07700 900123")
    html = nurse_client.get(f"{URL}?patient={jo.pk}").content.decode()
    assert ("The safety plan says who to tell after force is used: Mary Bloggs (mother), "
            "07700 900123. Have they been told?") in html
    assert 'value="not_applicable"' not in html
    # "Nobody is named" contradicts the plan: the form says so, on that question.
    response = nurse_client.post(URL, restraint_form(jo, oak_nurse))
    assert response.status_code == 200
    assert error_links(response)[
        "The safety plan says to tell Mary Bloggs (mother), 07700 900123: say whether they "
        "have been told"] == "#id_notification"
    assert not Incident.objects.exists()
    response = nurse_client.post(URL, restraint_form(jo, oak_nurse, notification="yes"))
    assert response.status_code == 302
    assert Incident.objects.get().notification == "yes"


def test_without_a_plan_the_person_recording_answers_who_was_told(
    nurse_client: Any, oak_nurse: Any, jo: Any, clock: Any,
) -> None:
    response = nurse_client.post(URL, restraint_form(jo, oak_nurse, notification=None))
    assert error_links(response)["Say whether the person named in the care plan was told"] == (
        "#id_notification")
    response = nurse_client.post(URL, restraint_form(jo, oak_nurse))
    assert response.status_code == 302
    assert Incident.objects.get().notification == "not_applicable"


def test_the_lines_of_force_are_the_description_when_none_is_typed(
    nurse_client: Any, oak_nurse: Any, jo: Any, clock: Any,
) -> None:
    response = nurse_client.post(URL, restraint_form(jo, oak_nurse, description=" "))
    assert response.status_code == 302, text_of(response)[:2000]
    assert Incident.objects.get().description == (
        "Prone restraint from 12:00 to 12:04 (4 minutes), then supine restraint from 12:04 "
        "to 12:10 (6 minutes).")


def test_a_typed_description_is_kept_as_typed(
    nurse_client: Any, oak_nurse: Any, jo: Any, clock: Any,
) -> None:
    nurse_client.post(URL, restraint_form(jo, oak_nurse, description="Held on the floor"))
    assert Incident.objects.get().description == "Held on the floor"


def test_a_draft_keeps_a_blank_description_blank(
    nurse_client: Any, oak_nurse: Any, jo: Any, clock: Any,
) -> None:
    nurse_client.post(URL, restraint_form(jo, oak_nurse, action="draft", description=""))
    assert Incident.objects.get().description == ""


def test_with_nobody_injured_the_harm_is_no_harm_without_asking(
    nurse_client: Any, oak_nurse: Any, jo: Any, clock: Any,
) -> None:
    response = nurse_client.post(URL, restraint_form(jo, oak_nurse, harm=None))
    assert response.status_code == 302, text_of(response)[:2000]
    assert Incident.objects.get().harm == "none"


@pytest.mark.parametrize("answers", [
    {"anyone_injured": "yes", "injuries-0-person": "patient", "injuries-0-severity": "minor",
     "injuries-0-description": "Graze to the left elbow"},
    {"death_or_serious_injury": "yes"},
    {"anyone_injured": None},
])
def test_the_harm_is_asked_when_someone_was_hurt_or_it_is_not_said(
    nurse_client: Any, oak_nurse: Any, jo: Any, clock: Any, answers: dict[str, Any],
) -> None:
    response = nurse_client.post(URL, restraint_form(jo, oak_nurse, harm=None, **answers))
    assert error_links(response)["Choose the degree of harm to the patient"] == "#id_harm"
    assert not Incident.objects.exists()


def test_the_home_page_offers_recording_to_those_who_record(
    nurse_client: Any, client_for: Any, make_user: Any, organisation: Any, clock: Any,
) -> None:
    assert "Record a use of force" in text_of(nurse_client.get("/"))
    board = client_for(make_user("board", organisation=organisation, username="bo"), organisation)
    assert "Record a use of force" not in text_of(board.get("/"))
