"""The JSON API at /api/v1/: bearer tokens that are stored only as SHA-256 hashes and act for one
person in one organisation; 401 without a working token, 403 for a role without permission,
422 naming each field that is wrong, and the OpenAPI description at /api/v1/openapi.json."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from rrp.accounts.models import ApiToken
from rrp.audit.models import AuditEvent


@pytest.fixture
def nurse(make_user: Any) -> Any:
    return make_user("ward_staff", username="nina")


def test_a_token_is_stored_only_as_its_sha256_hash(
    nurse: Any, ward: Any, api_client_for: Any
) -> None:
    api = api_client_for(nurse)
    stored = ApiToken.objects.get(user=nurse)
    assert stored.token_hash == hashlib.sha256(api.token.encode()).hexdigest()
    for value in (stored.token_hash, stored.hint, str(stored)):
        assert api.token not in value
    assert len(stored.hint) < len(api.token) // 2
    # Nor does the clear token reach the audit trail.
    for event in AuditEvent.objects.all():
        assert api.token not in f"{event.summary}{event.before}{event.after}"
    assert api.get("/api/v1/wards").status_code == 200


def test_a_token_acts_for_its_person_in_their_organisation(
    nurse: Any, ward: Any, api_client_for: Any
) -> None:
    api = api_client_for(nurse)
    me = api.get("/api/v1/organisation").json()
    assert me == {"name": "Example NHS Trust", "ods_code": "R1A", "sector": "nhs",
                  "roles": ["ward_staff"]}
    assert [w["code"] for w in api.get("/api/v1/wards").json()] == ["OAK"]
    assert ApiToken.objects.get(user=nurse).last_used_at is not None


def test_last_used_is_written_at_most_once_a_minute(
    nurse: Any, ward: Any, api_client_for: Any
) -> None:
    """A GET must not be a write each time: on SQLite every write waits for the one lock."""
    api = api_client_for(nurse)
    started = timezone.now()
    with time_machine.travel(started, tick=False):
        api.get("/api/v1/wards")
        first = ApiToken.objects.get(user=nurse).last_used_at
        assert first == started
    with time_machine.travel(started + dt.timedelta(seconds=59), tick=False):
        api.get("/api/v1/wards")
        assert ApiToken.objects.get(user=nurse).last_used_at == first
    with time_machine.travel(started + dt.timedelta(seconds=61), tick=False):
        api.get("/api/v1/wards")
        assert ApiToken.objects.get(user=nurse).last_used_at == started + dt.timedelta(seconds=61)


def test_no_token_is_401(ward: Any) -> None:
    response = Client().get("/api/v1/wards")
    assert response.status_code == 401


@pytest.mark.parametrize(
    "header", ["Bearer rrp_not-a-real-token", "Bearer ", "Basic bmluYTpwYXNzd29yZA==", "rrp_x"]
)
def test_a_bad_token_is_401(ward: Any, header: str) -> None:
    response = Client().get("/api/v1/wards", headers={"Authorization": header})
    assert response.status_code == 401


def test_a_revoked_token_is_401(nurse: Any, ward: Any, api_client_for: Any) -> None:
    api = api_client_for(nurse)
    assert api.get("/api/v1/wards").status_code == 200
    ApiToken.objects.filter(user=nurse).update(revoked_at=timezone.now())
    assert api.get("/api/v1/wards").status_code == 401


def test_a_token_stops_working_when_its_person_loses_their_role(
    nurse: Any, ward: Any, api_client_for: Any
) -> None:
    from rrp.organisations.models import Membership

    api = api_client_for(nurse)
    Membership.objects.filter(user=nurse).update(is_active=False)
    assert api.get("/api/v1/wards").status_code == 401


def test_a_token_stops_working_when_its_account_is_switched_off(
    nurse: Any, ward: Any, api_client_for: Any
) -> None:
    api = api_client_for(nurse)
    nurse.is_active = False
    nurse.save()
    assert api.get("/api/v1/wards").status_code == 401


def test_the_openapi_description_is_published(ward: Any) -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    assert spec["openapi"].startswith("3.")
    assert {"/api/v1/patients", "/api/v1/patients/{patient_id}", "/api/v1/wards",
            "/api/v1/bed-days"} <= set(spec["paths"])
    assert spec["components"]["securitySchemes"] == {
        "TokenAuth": {"type": "http", "scheme": "bearer"}
    }
    assert spec["paths"]["/api/v1/wards"]["get"]["security"] == [{"TokenAuth": []}]


def test_an_invalid_nhs_number_is_422_naming_the_field(nurse: Any, api_client_for: Any) -> None:
    response = api_client_for(nurse).post(
        "/api/v1/patients",
        {"local_id": "P5001", "nhs_number": "9434765918", "date_of_birth": "1980-01-01"},
    )
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert isinstance(detail, list)
    problem = next(p for p in detail if "nhs_number" in p["loc"])
    assert "not a valid NHS number" in problem["msg"]


def test_a_missing_field_is_422_naming_it(nurse: Any, api_client_for: Any) -> None:
    response = api_client_for(nurse).post("/api/v1/patients", {"local_id": "P5001"})
    assert response.status_code == 422
    locs = [p["loc"] for p in response.json()["detail"]]
    assert any("date_of_birth" in loc for loc in locs)


def test_an_unknown_code_is_422_naming_the_field(nurse: Any, api_client_for: Any) -> None:
    response = api_client_for(nurse).post(
        "/api/v1/patients",
        {"local_id": "P5001", "date_of_birth": "1980-01-01", "ethnic_category": "Q"},
    )
    assert response.status_code == 422
    assert any("ethnic_category" in p["loc"] for p in response.json()["detail"])


def test_creating_and_reading_a_patient(nurse: Any, api_client_for: Any) -> None:
    api = api_client_for(nurse)
    created = api.post(
        "/api/v1/patients",
        {"local_id": "P5001", "nhs_number": "943 476 5919", "date_of_birth": "1980-01-01",
         "sex": "female"},
    )
    assert created.status_code == 201
    patient = api.get(f"/api/v1/patients/{created.json()['id']}").json()
    assert patient["nhs_number"] == "9434765919"
    assert patient["sex"] == "female"
    listed = api.get("/api/v1/patients").json()
    assert [p["local_id"] for p in listed["items"]] == ["P5001"]
    duplicate = api.post("/api/v1/patients", {"local_id": "P5001", "date_of_birth": "1980-01-01"})
    assert duplicate.status_code == 422


@pytest.mark.parametrize("role", ["board", "trainer", "auditor", "org_admin"])
def test_roles_without_patient_access_get_403_on_patients(
    role: str, patient: Any, api_client_as: Any
) -> None:
    api = api_client_as(role)
    assert api.get("/api/v1/patients").status_code == 403
    assert api.get(f"/api/v1/patients/{patient.pk}").status_code == 403
    assert api.post(
        "/api/v1/patients", {"local_id": "P9", "date_of_birth": "1980-01-01"}
    ).status_code == 403
    assert api.patch(f"/api/v1/patients/{patient.pk}", {"sex": "male"}).status_code == 403
    # They can still read what their role allows.
    assert api.get("/api/v1/wards").status_code == 200


def test_ward_staff_cannot_enter_bed_days_through_the_api(
    nurse: Any, ward: Any, api_client_for: Any
) -> None:
    response = api_client_for(nurse).put(
        "/api/v1/bed-days", {"ward": "OAK", "month": "2026-01", "bed_days": 100}
    )
    assert response.status_code == 403


def test_bed_days_through_the_api(make_user: Any, ward: Any, api_client_for: Any) -> None:
    api = api_client_for(make_user("ward_manager"))
    saved = api.put("/api/v1/bed-days", {"ward": "OAK", "month": "2026-01", "bed_days": 500})
    assert saved.json() == {"ward": "OAK", "month": "2026-01", "bed_days": 500, "source": "entered"}
    too_many = api.put("/api/v1/bed-days", {"ward": "OAK", "month": "2026-02", "bed_days": 999})
    assert too_many.status_code == 422
    assert any("bed_days" in p["loc"] for p in too_many.json()["detail"])
    bad_month = api.put("/api/v1/bed-days", {"ward": "OAK", "month": "Jan", "bed_days": 5})
    assert bad_month.status_code == 422
    assert any("month" in p["loc"] for p in bad_month.json()["detail"])
    assert api.get("/api/v1/bed-days", {"ward": "OAK"}).json() == [saved.json()]
