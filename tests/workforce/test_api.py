"""The training API, with the names of its contract (issue 13):

POST /api/v1/staff, POST /api/v1/courses, POST /api/v1/training-records,
GET /api/v1/staff/{id}/training, GET /api/v1/training/compliance?ward=OAK
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from rrp.audit.models import AuditEvent
from rrp.workforce.models import StaffMember, TrainingRecord

STAFF = {"staff_number": "E1001", "name": "Ada Okafor", "job_title": "Staff nurse",
         "grade": "Band 5", "qualified": True, "employment": "permanent", "wards": ["OAK"]}
COURSE = {"code": "RRN-L2", "title": "Physical skills", "level": "physical",
          "refresher_months": 12}


@pytest.fixture
def api(api_client_for: Any, trainer: Any, organisation: Any) -> Any:
    return api_client_for(trainer, organisation)


def test_the_contract_from_staff_to_compliance(clock: Any, api: Any, ward: Any) -> None:
    staff = api.post("/api/v1/staff", STAFF)
    assert staff.status_code == 201, staff.json()
    staff_id = staff.json()["id"]
    assert staff.json()["wards"] == ["OAK"]
    assert api.post("/api/v1/courses", COURSE).status_code == 201
    record = api.post("/api/v1/training-records", {
        "staff": staff_id, "course": "RRN-L2", "completed_on": "2026-01-10",
        "outcome": "competent", "occupational_health_checked": True,
    })
    assert record.status_code == 201, record.json()
    assert record.json()["expires_on"] == "2027-01-10"
    training = api.get(f"/api/v1/staff/{staff_id}/training").json()
    assert training == [{
        "course": "RRN-L2", "title": "Physical skills", "level": "physical", "required": True,
        "status": "in_date", "expires_on": "2027-01-10", "last_completed_on": "2026-01-10",
        "latest_outcome": "competent",
    }]
    [row] = api.get("/api/v1/training/compliance", {"ward": "OAK"}).json()
    assert (row["course"], row["required"], row["in_date"], row["percent"]) == (
        "RRN-L2", 1, 1, 100.0)
    assert row["bank"]["required"] == 0
    assert AuditEvent.objects.filter(via="api", object_type__startswith="workforce.").count() == 3


def test_courses_required_but_never_done_are_listed_as_never(
    clock: Any, api: Any, ward: Any, make_course: Any
) -> None:
    make_course("BLS", level="bls")
    make_course("ILS", level="ils")
    staff_id = api.post("/api/v1/staff", STAFF).json()["id"]
    training = api.get(f"/api/v1/staff/{staff_id}/training").json()
    assert [(t["course"], t["status"], t["expires_on"]) for t in training] == [
        ("BLS", "never", None), ("ILS", "never", None)]


def test_expiring_and_expired_statuses(clock: Any, api: Any, ward: Any, make_course: Any,
                                       train: Any) -> None:
    bls, physical = make_course("BLS", level="bls"), make_course("RRN-L2")
    staff_id = api.post("/api/v1/staff", {**STAFF, "qualified": False}).json()["id"]
    member = StaffMember.objects.get(pk=staff_id)
    train(member, bls, on=dt.date(2025, 4, 1))  # runs out 1 April 2026
    train(member, physical, on=dt.date(2025, 2, 1))
    training = {t["course"]: t for t in api.get(f"/api/v1/staff/{staff_id}/training").json()}
    assert (training["BLS"]["status"], training["BLS"]["expires_on"]) == (
        "expiring", "2026-04-01")
    assert training["RRN-L2"]["status"] == "expired"
    [first, second] = api.get("/api/v1/training/compliance", {"ward": "OAK"}).json()
    assert (first["course"], first["in_date"], first["expiring"], first["percent"]) == (
        "BLS", 1, 1, 100.0)
    assert (second["expired"], second["percent"]) == (1, 0.0)


def test_bad_input_is_a_422_naming_the_field(clock: Any, api: Any, ward: Any) -> None:
    response = api.post("/api/v1/staff", {**STAFF, "employment": "contractor", "wards": ["ELM"]})
    assert response.status_code == 422
    locations = {tuple(p["loc"]) for p in response.json()["detail"]}
    assert locations == {("body", "employment"), ("body", "wards", 0)}
    response = api.post("/api/v1/courses", {**COURSE, "refresher_months": 0})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "refresher_months"]
    staff_id = api.post("/api/v1/staff", STAFF).json()["id"]
    api.post("/api/v1/courses", COURSE)
    response = api.post("/api/v1/training-records", {
        "staff": staff_id, "course": "RRN-L2", "completed_on": "2026-01-10",
        "outcome": "not_yet_competent", "occupational_health_checked": True})
    assert response.status_code == 422
    assert {p["loc"][-1] for p in response.json()["detail"]} == {
        "competence_plan", "interim_plan"}
    response = api.post("/api/v1/training-records", {
        "staff": staff_id, "course": "NOPE", "completed_on": "2026-13-01", "outcome": "x"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "completed_on"]
    response = api.get("/api/v1/training/compliance", {"ward": "ELM"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "ward"]
    assert not TrainingRecord.objects.exists()


def test_another_organisations_ids_are_404(
    clock: Any, api: Any, ward: Any, make_organisation: Any, make_staff: Any,
    make_course: Any,
) -> None:
    other = make_organisation(ods_code="R2B")
    theirs = make_staff("Theirs", organisation=other)
    make_course("RRN-L2")
    assert api.get(f"/api/v1/staff/{theirs.pk}/training").status_code == 404
    assert api.get(f"/api/v1/staff/{theirs.pk}").status_code == 404
    response = api.post("/api/v1/training-records", {
        "staff": theirs.pk, "course": "RRN-L2", "completed_on": "2026-01-10",
        "outcome": "competent", "occupational_health_checked": True})
    assert response.status_code == 404
    assert not TrainingRecord.objects.exists()
