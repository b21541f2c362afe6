"""Writing and reading a safety plan in the pages: the form, its errors in plain English, the
plan at a glance on the patient page, permissions and other organisations' patients."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from rrp.careplans import selectors, services
from rrp.careplans.models import SafetyPlanVersion

from .conftest import NOW, plan_input


def error_links(page: str) -> list[tuple[str, str]]:
    """(anchor, message) of each link in the NHS.UK error summary."""
    summary = page.split('class="nhsuk-error-summary__body"', 1)[-1].split("</ul>", 1)[0]
    return [
        (href, " ".join(text.split()))
        for href, text in re.findall(r'<a href="([^"]+)"\s*>(.*?)</a>', summary, re.S)
    ]


def form_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "occasion": "admission",
        "agreed_on[0]": "9",
        "agreed_on[1]": "3",
        "agreed_on[2]": "2026",
        "person_took_part": "yes",
        "persons_words": "Give me space and talk to me quietly.",
        "carer_took_part": "not_appropriate",
        "triggers": "Loud alarms",
        "amber_signs": "Pacing and going quiet",
        "amber_support": "The garden and a drink",
        "preferred_interventions": ["07"],
        "less_preferred_interventions": ["16"],
        "positions_to_avoid": ["01", "09"],
        "risk_factors": ["respiratory"],
        "rf_respiratory_notes": "Asthma",
        "rf_respiratory_strategies": "Inhaler to hand; nothing on the chest",
        "communication_needs": "Short sentences",
        "review_on[0]": "6",
        "review_on[1]": "4",
        "review_on[2]": "2026",
        "confirm": "on",
    }
    data.update(overrides)
    return data


@pytest.fixture
def nurse_client(client_for: Any, nurse: Any, organisation: Any) -> Any:
    return client_for(nurse, organisation)


def test_a_nurse_writes_the_first_plan_through_the_form(
    clock: Any, jo: Any, nurse_client: Any
) -> None:
    page = nurse_client.get(f"/patients/{jo.pk}/safety-plan/write/").content.decode()
    assert "Write a safety plan" in page
    assert "I, Ada Okafor, confirm this plan was written with the people named above" in page
    response = nurse_client.post(f"/patients/{jo.pk}/safety-plan/write/", form_data())
    assert response.status_code == 302
    assert response["Location"] == f"/patients/{jo.pk}/safety-plan/"
    version = selectors.current_safety_plan(jo)
    assert version is not None and version.number == 1
    assert version.positions_to_avoid == ["01", "09"]
    assert [(f.code, f.notes, f.strategies) for f in version.risk_factor_list()] == [
        ("respiratory", "Asthma", "Inhaler to hand; nothing on the chest")
    ]
    page = nurse_client.get(response["Location"]).content.decode()
    assert "Safety plan version 1 signed" in page
    assert "Version 1, signed by Ada Okafor on 10 March 2026" in page
    assert "Give me space and talk to me quietly." in page


def test_the_form_names_every_problem_and_keeps_what_was_typed(
    clock: Any, jo: Any, nurse_client: Any
) -> None:
    data = form_data(
        persons_words="",
        rf_respiratory_strategies="",
        confirm="",
        occasion="",
        **{"review_on[0]": "", "review_on[1]": "", "review_on[2]": ""},
    )
    page = nurse_client.post(f"/patients/{jo.pk}/safety-plan/write/", data).content.decode()
    assert "There is a problem" in page
    assert error_links(page) == [
        ("#id_occasion", "Choose why you are writing or reviewing the plan"),
        ("#id_review_on-0", "Enter the review date"),
        ("#id_confirm", "Confirm that you are signing this plan"),
        (
            "#id_rf_respiratory_strategies",
            "Enter how staff reduce the risk from asthma or another respiratory condition",
        ),
    ]
    assert "Pacing and going quiet" in page  # nothing typed is lost
    assert not SafetyPlanVersion.objects.exists()


def test_the_service_problems_come_back_on_their_fields(
    clock: Any, jo: Any, nurse_client: Any
) -> None:
    page = nurse_client.post(
        f"/patients/{jo.pk}/safety-plan/write/", form_data(persons_words="")
    ).content.decode()
    assert (
        "#id_persons_words",
        "Write down what the person said, in their own words",
    ) in error_links(page)


def test_a_review_starts_from_the_current_plan_and_asks_what_changed(
    clock: Any, jo: Any, nurse_client: Any, nurse_actor: Any
) -> None:
    services.safety_plan_version_create(actor=nurse_actor, patient=jo, data=plan_input())
    page = nurse_client.get(f"/patients/{jo.pk}/safety-plan/write/").content.decode()
    assert "Review the safety plan" in page
    assert "This starts from version 1" in page
    assert "Offer the garden and a drink" in page  # carried over
    assert "What changed at this review, and why" in page
    response = nurse_client.post(
        f"/patients/{jo.pk}/safety-plan/write/",
        form_data(
            occasion="scheduled",
            changes="Added seated restraint as preferred",
            preferred_interventions=["07", "11"],
        ),
    )
    assert response.status_code == 302
    assert selectors.current_safety_plan(jo).number == 2


def test_a_late_review_after_a_use_of_force_asks_why(
    clock: Any, jo: Any, client_for: Any, nurse: Any, restraint: Any
) -> None:
    incident = restraint(("01",))
    clock.move_to(NOW + dt.timedelta(days=4))
    nurse_client = client_for(nurse, jo.organisation)  # signed in after the idle timeout
    page = nurse_client.get(f"/patients/{jo.pk}/safety-plan/write/").content.decode()
    assert f"This review follows {incident.reference}" in page
    assert "Why is this review later than the use of force record asked?" in page
    data = form_data(
        occasion="after_incident",
        incident=str(incident.pk),
        **{"agreed_on[0]": "14", "review_on[0]": "10"},
    )
    page = nurse_client.post(f"/patients/{jo.pk}/safety-plan/write/", data).content.decode()
    assert "say why it is late" in page
    data["late_reason"] = "The person was on leave until today"
    assert nurse_client.post(f"/patients/{jo.pk}/safety-plan/write/", data).status_code == 302


def test_the_patient_page_shows_the_plan_at_a_glance(
    clock: Any, jo: Any, nurse_client: Any, nurse_actor: Any
) -> None:
    page = nurse_client.get(f"/patients/{jo.pk}/").content.decode()
    assert "There is no safety plan in RRP for this person" in page
    assert f"/patients/{jo.pk}/safety-plan/write/" in page
    services.safety_plan_version_create(actor=nurse_actor, patient=jo, data=plan_input())
    page = nurse_client.get(f"/patients/{jo.pk}/").content.decode()
    assert "Safety plan at a glance" in page
    assert "Risks in restraint" in page
    assert "prone restraint (face down)" in page
    assert "Inhaler to hand; no pressure on the chest or back" in page
    assert "Offer the garden and a drink" in page  # what helps
    assert "Crowding me, raised voices" in page  # what to avoid
    assert "Short sentences; give time to answer" in page  # communication
    assert "Physical examination on admission" in page


def test_the_worklist_lists_everyone_on_the_wards(clock: Any, jo: Any, nurse_client: Any) -> None:
    page = nurse_client.get("/safety-plans/", {"state": "missing"}).content.decode()
    assert "Safety plans on the wards" in page
    assert "P1001" in page
    assert "No plan" in page


@pytest.mark.parametrize("role", ["board", "trainer", "auditor", "org_admin"])
def test_people_who_do_not_care_for_patients_are_refused(
    clock: Any, jo: Any, client_as: Any, role: str
) -> None:
    client = client_as(role)
    for path in (
        f"/patients/{jo.pk}/safety-plan/",
        f"/patients/{jo.pk}/safety-plan/write/",
        f"/patients/{jo.pk}/safety-plan/print/",
        f"/patients/{jo.pk}/risk-assessments/",
        f"/patients/{jo.pk}/physical-health/",
        "/safety-plans/",
    ):
        assert client.get(path).status_code == 403, path


def test_another_organisations_patient_is_not_found(
    clock: Any, nurse_client: Any, make_organisation: Any, make_patient: Any, system_actor: Any
) -> None:
    other_org = make_organisation(ods_code="B2B")
    other = make_patient(local_id="B1", organisation=other_org)
    for path in (
        "safety-plan/",
        "safety-plan/write/",
        "safety-plan/versions/",
        "safety-plan/print/",
        "risk-assessments/",
        "risk-assessments/add/",
        "physical-health/",
        "physical-health/examination/add/",
    ):
        assert nurse_client.get(f"/patients/{other.pk}/{path}").status_code == 404, path
    response = nurse_client.post(f"/patients/{other.pk}/safety-plan/write/", form_data())
    assert response.status_code == 404
    assert not SafetyPlanVersion.objects.exists()


def test_a_version_can_be_marked_entered_in_error_with_a_reason(
    clock: Any, jo: Any, nurse_client: Any, nurse_actor: Any
) -> None:
    services.safety_plan_version_create(actor=nurse_actor, patient=jo, data=plan_input())
    url = f"/patients/{jo.pk}/safety-plan/entered-in-error/?version=1"
    page = nurse_client.post(url, {"reason": ""}).content.decode()
    assert "Say why this was entered in error" in page
    response = nurse_client.post(url, {"reason": "Wrong person"})
    assert response.status_code == 302
    assert selectors.current_safety_plan(jo) is None
    page = nurse_client.get(f"/patients/{jo.pk}/safety-plan/versions/").content.decode()
    assert "Entered in error" in page
