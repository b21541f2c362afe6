"""Only the trainer writes to the staff register, courses and training records; ward managers
and the lead see compliance; everyone else is refused. Every write is tried as every role that
must not make it, on the pages and in the API, and nothing is written."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from rrp.workforce.models import Course, StaffMember, TrainingRecord, TrainingSession

ROLES = ("ward_staff", "ward_manager", "doctor", "rrp_lead", "board", "trainer", "auditor",
         "org_admin")
NOT_TRAINER = tuple(r for r in ROLES if r != "trainer")
VIEWERS = ("trainer", "ward_manager", "rrp_lead")


@pytest.fixture
def records(clock: Any, make_staff: Any, make_course: Any, train: Any) -> dict[str, Any]:
    member = make_staff("Ada")
    course = make_course("RRN-L2")
    record = train(member, course, on=dt.date(2026, 1, 10))
    return {"member": member, "course": course, "record": record}


def write_pages(records: dict[str, Any]) -> list[tuple[str, dict[str, str]]]:
    member = records["member"]
    return [
        ("/training/staff/add/", {"staff_number": "E9", "name": "X", "job_title": "X",
                                  "employment": "bank"}),
        (f"/training/staff/{member.pk}/edit/", {"staff_number": "E9", "name": "Changed",
                                                "job_title": "X", "employment": "bank"}),
        ("/training/courses/add/", {"code": "NEW", "title": "New", "level": "prevention",
                                    "delivery": "face_to_face", "refresher_months": "12"}),
        ("/training/courses/RRN-L2/edit/", {"code": "RRN-L2", "title": "Changed",
                                            "level": "physical", "delivery": "face_to_face",
                                            "refresher_months": "12"}),
        ("/training/sessions/add/", {
            "course": "RRN-L2", "held_on_0": "9", "held_on_1": "3", "held_on_2": "2026",
            "trainer_name": "X", "attendee-TOTAL_FORMS": "1", "attendee-INITIAL_FORMS": "0",
            "attendee-0-staff": member.staff_number, "attendee-0-outcome": "competent",
            "attendee-0-occupational_health_checked": "on"}),
        (f"/training/staff/{member.pk}/record/", {
            "course": "RRN-L2", "completed_on_0": "1", "completed_on_1": "3",
            "completed_on_2": "2026", "outcome": "competent",
            "occupational_health_checked": "on"}),
        (f"/training/records/{records['record'].pk}/entered-in-error/", {"reason": "Wrong"}),
    ]


def unchanged(records: dict[str, Any]) -> None:
    assert StaffMember.objects.count() == 1
    assert StaffMember.objects.get().name == "Ada"
    assert list(Course.objects.values_list("title", flat=True)) == ["RRN-L2 course"]
    assert not TrainingSession.objects.exists()
    assert TrainingRecord.objects.count() == 1
    assert TrainingRecord.objects.get().entered_in_error_at is None


@pytest.mark.parametrize("role", NOT_TRAINER)
def test_no_other_role_may_write_on_the_pages(role: str, records: dict[str, Any],
                                              client_as: Any) -> None:
    client = client_as(role)
    for url, data in write_pages(records):
        assert client.get(url).status_code == 403, url
        assert client.post(url, data).status_code == 403, url
    unchanged(records)


def test_the_trainer_may_open_every_write_page(records: dict[str, Any],
                                               trainer_client: Any) -> None:
    for url, _data in write_pages(records):
        assert trainer_client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", NOT_TRAINER)
def test_no_other_role_may_write_through_the_api(role: str, records: dict[str, Any],
                                                 api_client_as: Any, ward: Any) -> None:
    api = api_client_as(role)
    member = records["member"]
    for path, body in [
        ("/api/v1/staff", {"staff_number": "E9", "name": "X", "job_title": "X",
                           "employment": "bank", "wards": ["OAK"]}),
        ("/api/v1/courses", {"code": "NEW", "title": "New", "level": "prevention"}),
        ("/api/v1/training-records", {"staff": member.pk, "course": "RRN-L2",
                                      "completed_on": "2026-03-01", "outcome": "competent",
                                      "occupational_health_checked": True}),
    ]:
        assert api.post(path, body).status_code == 403, path
    unchanged(records)


@pytest.mark.parametrize("role", ROLES)
def test_compliance_and_the_register_are_for_trainers_managers_and_the_lead(
    role: str, records: dict[str, Any], client_as: Any, api_client_as: Any, ward: Any
) -> None:
    expected = 200 if role in VIEWERS else 403
    client = client_as(role)
    member = records["member"]
    for url in ("/training/", "/training/staff/", f"/training/staff/{member.pk}/",
                "/training/courses/", "/training/sessions/"):
        assert client.get(url).status_code == expected, url
    api = api_client_as(role)
    assert api.get("/api/v1/training/compliance").status_code == expected
    assert api.get(f"/api/v1/staff/{member.pk}/training").status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_only_the_trainer_and_the_lead_may_export(role: str, records: dict[str, Any],
                                                  client_as: Any) -> None:
    response = client_as(role).get("/training/export.csv")
    assert response.status_code == (200 if role in ("trainer", "rrp_lead") else 403)


@pytest.mark.parametrize("role", ROLES)
def test_the_training_menu_entry_shows_for_those_who_may_see_it(
    role: str, client_as: Any, clock: Any
) -> None:
    page = client_as(role).get("/").content.decode()
    assert ('href="/training/"' in page) == (role in VIEWERS)
