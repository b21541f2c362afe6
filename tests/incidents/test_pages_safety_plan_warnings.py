"""The safety plan warns, never blocks: recording a prone restraint for a person whose plan
records asthma (and who asked never to be held face down) shows the plan's warnings before the
record is saved; pressing "Submit anyway" saves it. Each warning is shown once: a warning not
seen before asks again, a draft saves without asking, and a draft submitted from its page shows
the warnings first (issue 6; standard 2.3.V, 2.3.XIV, 2.5)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from careplans.conftest import plan_input
from incidents.conftest import LONDON
from incidents.pages import form_from, restraint_form, text_of
from rrp.audit.services import Actor
from rrp.careplans import services as careplans
from rrp.incidents.models import Incident

URL = "/uses-of-force/record/"


@pytest.fixture
def jo_with_asthma(patient: Any, ward: Any, make_admission: Any, oak_nurse: Any) -> Any:
    """Jo (P1001) on Oak Ward, with a safety plan signed on 1 October that records asthma and
    Jo's wish never to be held face down, and agrees standing and side restraint."""
    make_admission(patient, ward, admitted_on=dt.date(2026, 9, 1))
    careplans.safety_plan_version_create(
        actor=Actor(user=oak_nurse, via="web"),
        patient=patient,
        data=plan_input(agreed_on=dt.date(2026, 10, 1), review_on=dt.date(2026, 10, 29)),
        now=dt.datetime(2026, 10, 1, 9, 0, tzinfo=LONDON),
    )
    return patient


def submit_anyway_button(response: Any) -> bool:
    buttons = re.findall(r"<button([^>]*)>\s*([^<]*?)\s*</button>", response.content.decode())
    return any(
        text == "Submit anyway" and 'name="action"' in attributes and 'value="submit"' in attributes
        for attributes, text in buttons
    )


def test_a_prone_restraint_for_a_person_with_asthma_is_warned_about_before_saving(
    nurse_client: Any, oak_nurse: Any, jo_with_asthma: Any, clock: Any,
) -> None:
    response = nurse_client.post(URL, restraint_form(jo_with_asthma, oak_nurse))

    assert response.status_code == 200
    assert not Incident.objects.exists()
    text = text_of(response)
    assert "Check this against the safety plan" in text
    assert "It is not saved yet" in text
    assert "Prone restraint (face down) is risky for this person" in text
    assert "records asthma or another respiratory condition" in text
    assert "They asked not to have prone restraint (face down)" in text
    assert "Supine restraint (face up) is risky for this person" in text
    assert "Asthma or another respiratory condition: Inhaler to hand" in text
    # A warning, not an error: no error summary, and the title says what is asked.
    assert "There is a problem" not in text
    assert "nhsuk-error-summary" not in response.content.decode()
    assert "<title>Check the safety plan: Record a use of force" in response.content.decode()
    assert submit_anyway_button(response)
    # Everything typed is still there.
    assert "Held prone while he was hitting out" in response.content.decode()


def test_submit_anyway_saves_the_record_as_typed(
    nurse_client: Any, oak_nurse: Any, jo_with_asthma: Any, clock: Any,
) -> None:
    warned = nurse_client.post(URL, restraint_form(jo_with_asthma, oak_nurse))
    form = form_from(warned)
    form["action"] = "submit"

    response = nurse_client.post(URL, form)

    incident = Incident.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/uses-of-force/{incident.pk}/"
    assert incident.status == "submitted"
    assert [i.type_code for i in incident.interventions.all()] == ["01", "09"]
    assert incident.description.startswith("Held prone while he was hitting out")


def test_a_warning_not_seen_before_asks_again(
    nurse_client: Any, oak_nurse: Any, jo_with_asthma: Any, clock: Any,
) -> None:
    prone_only = restraint_form(
        jo_with_asthma, oak_nurse,
        **{"interventions-0-ended_at": "1210", "interventions-1-type_code": None,
           "interventions-1-started_at": None, "interventions-1-ended_at": None},
    )
    first = nurse_client.post(URL, prone_only)
    assert "Supine restraint (face up) is risky" not in text_of(first)
    # She corrects the record: after 4 minutes he was turned onto his back.
    form = form_from(first)
    form.update({
        "action": "submit", "interventions-0-ended_at": "1204",
        "interventions-1-type_code": "09", "interventions-1-started_at": "1204",
        "interventions-1-ended_at": "1210",
    })

    second = nurse_client.post(URL, form)

    assert second.status_code == 200
    assert not Incident.objects.exists()
    assert "Supine restraint (face up) is risky for this person" in text_of(second)
    form = form_from(second)
    form["action"] = "submit"
    assert nurse_client.post(URL, form).status_code == 302
    assert Incident.objects.get().interventions.count() == 2


def test_saving_a_draft_is_never_held_up_by_a_warning(
    nurse_client: Any, oak_nurse: Any, jo_with_asthma: Any, clock: Any,
) -> None:
    response = nurse_client.post(URL, restraint_form(jo_with_asthma, oak_nurse, action="draft"))
    assert response.status_code == 302
    assert Incident.objects.get().status == "draft"


def test_a_draft_submitted_from_its_page_shows_the_warnings_first(
    nurse_client: Any, oak_nurse: Any, jo_with_asthma: Any, clock: Any,
) -> None:
    nurse_client.post(URL, restraint_form(jo_with_asthma, oak_nurse, action="draft"))
    draft = Incident.objects.get()

    response = nurse_client.post(f"/uses-of-force/{draft.pk}/submit/")

    assert response.status_code == 200
    assert "Prone restraint (face down) is risky for this person" in text_of(response)
    assert submit_anyway_button(response)
    draft.refresh_from_db()
    assert draft.status == "draft"
    # The form posts to the draft's own change page, which saves and submits it.
    assert f'action="/uses-of-force/{draft.pk}/change/"' in response.content.decode()
    form = form_from(response)
    form["action"] = "submit"
    assert nurse_client.post(f"/uses-of-force/{draft.pk}/change/", form).status_code == 302
    draft.refresh_from_db()
    assert draft.status == "submitted"


def test_an_amendment_that_adds_a_conflict_is_warned_about_before_it_is_saved(
    nurse_client: Any, oak_nurse: Any, jo_with_asthma: Any, clock: Any,
) -> None:
    prone_only = restraint_form(
        jo_with_asthma, oak_nurse,
        **{"interventions-0-ended_at": "1210", "interventions-1-type_code": None,
           "interventions-1-started_at": None, "interventions-1-ended_at": None},
    )
    form = form_from(nurse_client.post(URL, prone_only))
    form["action"] = "submit"
    nurse_client.post(URL, form)
    incident = Incident.objects.get()
    change = f"/uses-of-force/{incident.pk}/change/"
    # The change page shows the warnings already recorded; she adds the supine restraint.
    opened = nurse_client.get(change)
    assert "Prone restraint (face down) is risky for this person" in text_of(opened)
    form = form_from(opened)
    form.update({
        "action": "save", "change_reason": "He was turned onto his back after 4 minutes",
        "interventions-0-ended_at": "1204", "interventions-1-type_code": "09",
        "interventions-1-started_at": "1204", "interventions-1-ended_at": "1210",
    })

    warned = nurse_client.post(change, form)

    assert warned.status_code == 200
    assert "Supine restraint (face up) is risky for this person" in text_of(warned)
    assert "Save the change anyway" in text_of(warned)
    incident.refresh_from_db()
    assert incident.version == 1
    form = form_from(warned)
    form["action"] = "save"
    assert nurse_client.post(change, form).status_code == 302
    incident.refresh_from_db()
    assert incident.version == 2
    assert [i.type_code for i in incident.interventions.all()] == ["01", "09"]
