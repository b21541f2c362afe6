"""Reading many identifiable records at once is audited like reading one (issue 11): a page of
the patient list or search, of the uses of force list, or of those lists through the API, leaves
one audit event with the query and the ids of every record shown. API pages are at most 200
records, and a limit or offset out of range is a 422 naming it, not a 500."""

from __future__ import annotations

from typing import Any

import pytest

from rrp.audit.models import AuditAction, AuditEvent
from rrp.patients.models import Patient


@pytest.fixture
def patients(make_patient: Any) -> list[Any]:
    return [make_patient(local_id=f"P{n:04d}", family_name=f"Smith{n}") for n in range(1, 6)]


def _list_events(user: Any, object_type: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(actor=user, action=AuditAction.VIEW,
                                          object_type=object_type, object_id=""))


def test_a_page_of_patients_through_the_api_is_audited_with_its_ids(
    patients: list[Any], make_user: Any, api_client_for: Any
) -> None:
    nurse = make_user("ward_staff")
    api = api_client_for(nurse)
    answer = api.get("/api/v1/patients?limit=3&offset=1")
    assert answer.status_code == 200
    shown = [p["id"] for p in answer.json()["items"]]
    assert len(shown) == 3 and answer.json()["count"] == 5
    (event,) = _list_events(nurse, "patients.patient")
    assert event.after["ids"] == shown
    assert event.after["query"]["limit"] == 3 and event.after["query"]["offset"] == 1
    assert "3 shown" in event.summary


def test_the_patient_search_page_is_audited(patients: list[Any], make_user: Any,
                                            client_for: Any) -> None:
    nurse = make_user("ward_staff")
    page = client_for(nurse).get("/patients/", {"q": "Smith3"})
    assert page.status_code == 200
    (event,) = _list_events(nurse, "patients.patient")
    assert event.after["query"]["q"] == "Smith3"
    assert event.after["ids"] == [Patient.objects.get(local_id="P0003").pk]


def test_the_uses_of_force_list_is_audited_in_pages_and_api(
    make_user: Any, client_for: Any, api_client_for: Any, ward: Any
) -> None:
    nurse = make_user("ward_staff")
    assert client_for(nurse).get("/uses-of-force/").status_code == 200
    assert api_client_for(nurse).get("/api/v1/incidents").status_code == 200
    assert len(_list_events(nurse, "incidents.incident")) == 2


@pytest.mark.parametrize("query", ["limit=201", "limit=1000000000", "limit=0",
                                   "offset=99999999999999999999", "offset=-1"])
def test_a_page_out_of_range_is_a_422_naming_it(query: str, make_user: Any,
                                                 api_client_for: Any) -> None:
    api = api_client_for(make_user("ward_staff"))
    for path in ("/api/v1/patients", "/api/v1/incidents", "/api/v1/duties"):
        answer = api.get(f"{path}?{query}")
        assert answer.status_code == 422, (path, query, answer.content)
        assert query.split("=")[0] in answer.content.decode()


def test_a_patient_id_too_large_for_the_database_is_a_422(make_user: Any,
                                                           api_client_for: Any) -> None:
    api = api_client_for(make_user("ward_staff"))
    answer = api.get(f"/api/v1/incidents?patient={10**30}")
    assert answer.status_code == 422


def test_the_largest_page_is_documented(ward: Any) -> None:
    from django.test import Client

    spec = Client().get("/api/v1/openapi.json").json()
    parameters = {p["name"]: p for p in spec["paths"]["/api/v1/patients"]["get"]["parameters"]}
    assert parameters["limit"]["schema"]["maximum"] == 200
