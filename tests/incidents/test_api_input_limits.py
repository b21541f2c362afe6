"""The API's input limits (issue 11): every input a review found answered with a 500, or stored
differently on SQLite and PostgreSQL, or taken as something nobody sent, is now a 4xx with a
sentence naming the field and the limit, and nothing is written. This module runs on both
databases (tests/suites.py), so "the same on both" is what it checks."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incidents.conftest import at, iso, problems_of, restraint_body
from rrp.api.bodies import MAX_BODY_BYTES
from rrp.core import limits
from rrp.incidents.models import Incident

UNREADABLE = limits.UNREADABLE_CHARACTERS


def _refused(response: Any, *path: Any) -> list[str]:
    assert response.status_code == 422, response.content
    return problems_of(response)[("body", *path)]


@pytest.mark.parametrize("text", ["Held\x00 standing", "Held \ud800 standing"])
def test_a_nul_byte_or_a_lone_surrogate_is_refused_on_the_field(
    nurse_api: Any, patient: Any, text: str
) -> None:
    body = restraint_body(patient.pk, description=text)
    body["staff"][0]["name"] = text
    body["staff"][1]["grade"] = text  # a field with a limit of its own (schemas.Text)
    response = nurse_api.post("/api/v1/incidents", body)
    assert _refused(response, "description") == [UNREADABLE]
    assert problems_of(response)[("body", "staff", 0, "name")] == [UNREADABLE]
    assert problems_of(response)[("body", "staff", 1, "grade")] == [UNREADABLE]
    assert not Incident.objects.exists()


def test_a_100000_character_name_or_ward_code_is_refused_with_its_limit(
    nurse_api: Any, patient: Any
) -> None:
    body = restraint_body(patient.pk, ward="W" * 100_000)
    body["staff"][0]["name"] = "N" * 100_000
    response = nurse_api.post("/api/v1/incidents", body)
    assert _refused(response, "ward") == [f"This is too long: at most {limits.CODE} characters"]
    assert problems_of(response)[("body", "staff", 0, "name")] == [
        f"This is too long: at most {limits.NAME} characters"
    ]
    assert not Incident.objects.exists()


def test_true_is_not_patient_1(nurse_api: Any, patient: Any) -> None:
    response = nurse_api.post("/api/v1/incidents", restraint_body(True))
    assert _refused(response, "patient") == ["The patient must be a whole number"]
    assert not Incident.objects.exists()


def test_a_number_is_not_a_date(nurse_api: Any, patient: Any) -> None:
    response = nurse_api.post("/api/v1/incidents", restraint_body(patient.pk,
                                                                  started_at=1700000000))
    assert _refused(response, "started_at") == ["Send a date and time as text in ISO 8601"]


def test_an_unknown_key_that_is_a_unicode_digit_is_named(nurse_api: Any, patient: Any) -> None:
    response = nurse_api.post("/api/v1/incidents", {**restraint_body(patient.pk), "²": 1})
    assert _refused(response, "²") == [
        "'²' is not something this record holds: check the spelling"
    ]


@pytest.mark.parametrize("local", ["2026-03-29T01:30:00", "2025-03-30T01:00:00"])
def test_a_local_time_the_clocks_skipped_is_refused_not_guessed(
    nurse_api: Any, patient: Any, local: str
) -> None:
    response = nurse_api.post("/api/v1/incidents", restraint_body(patient.pk, started_at=local))
    [message] = _refused(response, "started_at")
    assert "did not happen in the UK: the clocks went forward" in message


def test_the_hour_the_clocks_go_back_is_read_as_the_first_of_the_two(
    nurse_api: Any, patient: Any
) -> None:
    # 01:30 on 26 October 2025 happened twice; with no offset it is the first (BST, +01:00),
    # as a ward clock read in the hour before the change would say. Not an error.
    response = nurse_api.post("/api/v1/incidents", restraint_body(
        patient.pk, started_at="2025-10-26T01:30:00", ended_at="2025-10-26T01:40:00",
        interventions=[{"type": "07", "started_at": "2025-10-26T01:30:00",
                        "ended_at": "2025-10-26T01:40:00"}],
    ))
    assert response.status_code == 201, response.content
    assert response.json()["started_at"] == "2025-10-26T01:30:00+01:00"


@pytest.mark.parametrize("when", ["0001-01-01T00:00:00", "0001-01-01T00:00:00+05:00",
                                  "9999-12-31T23:59:59-05:00"])
def test_a_year_rrp_does_not_hold_is_refused(nurse_api: Any, patient: Any, when: str) -> None:
    response = nurse_api.post("/api/v1/incidents", restraint_body(patient.pk, started_at=when))
    [message] = _refused(response, "started_at")
    assert message.endswith("is not a year RRP holds records for: check the year")


def test_a_list_has_a_maximum(nurse_api: Any, patient: Any) -> None:
    many = [{"type": "07", "started_at": iso(at(0)), "ended_at": iso(at(1))}] * (limits.LIST + 1)
    response = nurse_api.post("/api/v1/incidents",
                              restraint_body(patient.pk, interventions=many))
    assert _refused(response, "interventions") == [
        f"There are too many: at most {limits.LIST}"
    ]
    assert not Incident.objects.exists()


@pytest.mark.parametrize("body", [[], "x", 3, None])
def test_a_body_that_is_not_an_object_is_refused(
    nurse_api: Any, patient: Any, body: Any
) -> None:
    response = nurse_api.client.patch(
        f"/api/v1/patients/{patient.pk}", data=json.dumps(body),
        content_type="application/json", headers=nurse_api._headers(),
    )
    assert response.status_code == 422
    assert response.json()["detail"] == [{"loc": ["body"], "msg": "Send a JSON object here"}]


def test_json_sent_as_text_plain_is_refused(nurse_api: Any, patient: Any) -> None:
    response = nurse_api.client.post(
        "/api/v1/incidents", data=json.dumps(restraint_body(patient.pk)),
        content_type="text/plain", headers=nurse_api._headers(),
    )
    assert response.status_code == 415
    assert response.json()["detail"].startswith(
        "Send the body as JSON with Content-Type: application/json"
    )
    assert not Incident.objects.exists()


def test_a_body_larger_than_the_limit_is_413_with_the_limit(nurse_api: Any, patient: Any) -> None:
    body = restraint_body(patient.pk, description="x" * (MAX_BODY_BYTES + 1))
    response = nurse_api.post("/api/v1/incidents", body)
    assert response.status_code == 413
    assert response.json()["detail"] == (
        f"The body is too large: at most {MAX_BODY_BYTES:,} bytes"
    )


def test_broken_json_is_400_naming_where(nurse_api: Any) -> None:
    response = nurse_api.client.post("/api/v1/incidents", data='{"ward": "OAK",}',
                                     content_type="application/json",
                                     headers=nurse_api._headers())
    assert response.status_code == 400
    assert response.json()["detail"].startswith("The body is not valid JSON: ")
    assert "line 1, column" in response.json()["detail"]


def test_a_post_with_no_body_still_reaches_the_view(nurse_api: Any, patient: Any) -> None:
    created = nurse_api.post("/api/v1/incidents", restraint_body(patient.pk, status="draft"))
    # As curl -X POST sends it: no body, Content-Length 0, no JSON content type.
    response = nurse_api.client.generic("POST", f"/api/v1/incidents/{created.json()['id']}/submit",
                                        b"", headers=nurse_api._headers())
    assert response.status_code == 200, response.content


def test_a_patient_with_a_too_long_local_id_is_refused_before_the_database(
    nurse_api: Any,
) -> None:
    response = nurse_api.post("/api/v1/patients", {"local_id": "P" * 33,
                                                   "date_of_birth": "1980-01-01"})
    assert _refused(response, "local_id") == ["This is too long: at most 32 characters"]


def test_a_date_of_birth_in_1930_is_a_date_of_birth(nurse_api: Any) -> None:
    response = nurse_api.post("/api/v1/patients", {"local_id": "P9", "date_of_birth": "1930-05-01"})
    assert response.status_code == 201, response.content


# A property-based corpus: whatever text a client sends in a free-text field, the answer is a
# 201 or a 422 naming that field, never a 500, and the same on SQLite and PostgreSQL.
@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(st.characters(codec=None, categories=None), max_size=300)
       | st.sampled_from(["\x00", "\ud800", "=HYPERLINK(1)", "\u202e", "x" * 5001]))
def test_any_text_in_the_outcome_is_stored_or_named(
    nurse_api: Any, patient: Any, text: str
) -> None:
    response = nurse_api.post("/api/v1/incidents", restraint_body(patient.pk, outcome=text))
    assert response.status_code in {201, 422}, response.content
    if response.status_code == 422:
        assert set(problems_of(response)) == {("body", "outcome")}
    else:
        stored = Incident.objects.get(pk=response.json()["id"])
        assert stored.outcome == text


def test_a_misspelt_filter_is_refused_not_ignored(nurse_api: Any) -> None:
    response = nurse_api.get("/api/v1/incidents", {"ward_code": "OAK", "ward": "OAK"})
    assert response.status_code == 422
    assert response.json()["detail"] == [{
        "loc": ["query", "ward_code"],
        "msg": "'ward_code' is not something this list can be filtered by: check the spelling",
    }]
    assert nurse_api.get("/api/v1/incidents", {"ward": "OAK", "limit": 5}).status_code == 200


def test_a_query_value_past_its_limit_is_refused_naming_it(nurse_api: Any) -> None:
    long = nurse_api.get("/api/v1/incidents", {"ward": "W" * 201})
    assert long.status_code == 422
    assert long.json()["detail"] == [
        {"loc": ["query", "ward"], "msg": "This is too long: at most 200 characters"}]
    huge = nurse_api.get("/api/v1/spc", {"measure": "restrictive_interventions",
                                         "site": str(10**30)})
    assert huge.status_code == 422
    assert huge.json()["detail"][0]["loc"] == ["query", "site"]
