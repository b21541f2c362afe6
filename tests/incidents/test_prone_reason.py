"""Prone restraint (MHSDS RestrictiveIntType 01) records why it was used, and how long it lasted
comes from its start and end (issue 10 finding 9). The recording form asks on each prone row
(shown only for prone with JavaScript, on every row without it); submission refuses a prone
restraint without the reason, through the pages and the API alike; the record page, the API
and the Use of Force Act export carry it."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest

from incidents.conftest import at, iso, problems_of, restraint_body
from incidents.pages import error_links, form_from, restraint_form, text_of
from rrp.audit.services import Actor
from rrp.incidents import services
from rrp.incidents.exports import use_of_force_export
from rrp.incidents.inputs import InterventionInput
from rrp.incidents.models import Incident

URL = "/uses-of-force/record/"
WHY = "Hitting out on the floor; could not be held seated or standing safely"


def test_the_form_asks_why_prone_was_used_on_each_row(
    nurse_client: Any, patient: Any, oak_nurse: Any, clock: Any,
) -> None:
    html = nurse_client.get(URL).content.decode()
    # Without JavaScript the question is on every row, saying when it applies; record.js shows
    # it only for prone.
    assert html.count('data-show-for="prone"') == 4
    assert "Prone (face down) only: why was the patient held prone?" in html


def test_submitting_prone_without_the_reason_is_refused_on_the_form(
    nurse_client: Any, patient: Any, oak_nurse: Any, clock: Any,
) -> None:
    form = restraint_form(patient, oak_nurse, **{"interventions-0-prone_reason": None})
    response = nurse_client.post(URL, form)
    assert response.status_code == 200 and not Incident.objects.exists()
    assert error_links(response) == {
        "Say why the patient was held prone (face down) and why no other position would do":
            "#id_interventions-0-prone_reason",
    }
    # Everything typed is kept, so only the reason needs adding.
    kept = form_from(response)
    assert kept["interventions-0-type_code"] == "01" and kept["description"].startswith("Held")


def test_prone_with_its_reason_is_recorded_with_how_long_it_lasted(
    nurse_client: Any, patient: Any, oak_nurse: Any, clock: Any,
) -> None:
    form = restraint_form(patient, oak_nurse, **{
        "interventions-0-prone_reason": WHY,
        # Typed under supine too (JavaScript off): not a prone restraint, so not kept.
        "interventions-1-prone_reason": "Left over",
    })
    response = nurse_client.post(URL, form)
    assert response.status_code == 302, error_links(response)
    incident = Incident.objects.get()
    [prone, supine] = incident.interventions.all()
    assert (prone.prone_reason, prone.duration_minutes) == (WHY, 4)
    assert supine.prone_reason == ""

    page = text_of(nurse_client.get(f"/uses-of-force/{incident.pk}/"))
    assert f"Prone restraint Why prone: {WHY} 4 minutes" in page
    assert f"Prone restraint for 4 minutes: {WHY}" in page  # in s.6(5)(c) of the record


def test_the_services_refuse_prone_without_a_reason_on_submission_only(
    record: Any, nurse_actor: Any, clock: Any,
) -> None:
    prone = [InterventionInput("01", at(0), at(4)), InterventionInput("09", at(4), at(10))]
    with pytest.raises(services.ValidationError) as refused:
        record(interventions=prone)
    assert refused.value.message_dict == {"interventions.0.prone_reason": [
        "Say why the patient was held prone (face down) and why no other position would do"]}
    draft = record(submit=False, interventions=prone)  # a draft keeps it for later
    with pytest.raises(services.ValidationError):
        services.incident_submit(actor=nurse_actor, incident=draft)


def test_the_api_takes_and_returns_prone_reason(nurse_api: Any, patient: Any) -> None:
    prone = [{"type": "01", "started_at": iso(at(0)), "ended_at": iso(at(4))},
             {"type": "09", "started_at": iso(at(4)), "ended_at": iso(at(10))}]
    assert problems_of(nurse_api.post("/api/v1/incidents", restraint_body(
        patient.pk, interventions=prone))) == {
        ("body", "interventions", 0, "prone_reason"): [
            "Say why the patient was held prone (face down) and why no other position would do"],
    }
    prone[0]["prone_reason"] = WHY
    prone[1]["prone_reason"] = "Not prone"
    assert ("body", "interventions", 1, "prone_reason") in problems_of(nurse_api.post(
        "/api/v1/incidents", restraint_body(patient.pk, interventions=prone)))
    prone[1]["prone_reason"] = ""
    reply = nurse_api.post("/api/v1/incidents", restraint_body(patient.pk, interventions=prone))
    assert reply.status_code == 201, reply.content
    first = reply.json()["interventions"][0]
    assert (first["prone_reason"], first["duration_minutes"]) == (WHY, 4)
    schema = nurse_api.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert "prone_reason" in schema["InterventionIn"]["properties"]
    assert "prone_reason" in schema["InterventionOut"]["properties"]


def test_the_use_of_force_act_export_has_prone_minutes_and_reason(
    record: Any, organisation: Any, make_user: Any, clock: Any,
) -> None:
    record(interventions=[
        InterventionInput("07", at(0), at(2)),
        InterventionInput("01", at(2), at(6), prone_reason=WHY),
        InterventionInput("09", at(6), at(10)),
    ])
    record()  # no prone
    export = use_of_force_export(actor=Actor(user=make_user("rrp_lead")),
                                 organisation=organisation, first_day=dt.date(2026, 10, 5),
                                 last_day=dt.date(2026, 10, 5))
    rows = list(csv.DictReader(io.StringIO(export.file.text)))
    assert [(r["c_prone_minutes"], r["c_prone_reason"]) for r in rows] == [
        ("4", WHY), ("", "")]
