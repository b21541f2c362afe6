"""GET /api/v1/incidents lists the organisation's uses of force, filtered by ward, dates,
type and status, a page at a time."""

from __future__ import annotations

import datetime as dt
from typing import Any

from incidents.conftest import START, iso, problems_of, restraint_body


def _record(api: Any, patient_id: int, start: dt.datetime, code: str = "07", **extra: Any) -> int:
    end = start + dt.timedelta(minutes=5)
    body = restraint_body(
        patient_id, started_at=iso(start), ended_at=iso(end),
        interventions=[{"type": code, "started_at": iso(start), "ended_at": iso(end)}], **extra,
    )
    response = api.post("/api/v1/incidents", body)
    assert response.status_code == 201, response.content
    return int(response.json()["id"])


def test_filters_by_ward_dates_type_and_status(
    nurse_api: Any, patient: Any, make_ward: Any
) -> None:
    make_ward(code="ASH", service_type="picu")
    day = dt.timedelta(days=1)
    first = _record(nurse_api, patient.pk, START - 3 * day)  # 2 October
    second = _record(nurse_api, patient.pk, START - day, code="05")  # 4 October, seclusion
    third = _record(nurse_api, patient.pk, START, ward="ASH")  # 5 October, on ASH

    def ids(**params: Any) -> list[int]:
        response = nurse_api.get("/api/v1/incidents", params)
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["items"]]

    assert ids() == [third, second, first]  # newest first
    assert ids(ward="OAK") == [second, first]
    assert ids(**{"from": "2026-10-04", "to": "2026-10-04"}) == [second]  # the whole day
    assert ids(**{"from": iso(START - day + dt.timedelta(minutes=1))}) == [third]
    assert ids(type="05") == [second]
    assert ids(status="submitted") == [third, second, first]
    assert ids(status="draft") == []

    row = nurse_api.get("/api/v1/incidents", {"ward": "ASH"}).json()["items"][0]
    assert (row["ward"], row["patient"], row["types"], row["status"]) == (
        "ASH", patient.pk, ["07"], "submitted",
    )
    assert row["entered_in_error"] is False and row["duration_minutes"] == 5


def test_records_entered_in_error_stay_listed_and_can_be_picked_out(
    nurse_api: Any, patient: Any
) -> None:
    kept = _record(nurse_api, patient.pk, START)
    wrong = _record(nurse_api, patient.pk, START - dt.timedelta(hours=1))
    nurse_api.post(f"/api/v1/incidents/{wrong}/entered-in-error", {"reason": "Wrong patient"})

    rows = nurse_api.get("/api/v1/incidents").json()["items"]
    assert [(r["id"], r["entered_in_error"]) for r in rows] == [(kept, False), (wrong, True)]
    only = nurse_api.get("/api/v1/incidents", {"status": "entered_in_error"}).json()["items"]
    assert [r["id"] for r in only] == [wrong]
    submitted = nurse_api.get("/api/v1/incidents", {"status": "submitted"}).json()["items"]
    assert [r["id"] for r in submitted] == [kept]


def test_pages_of_results(nurse_api: Any, patient: Any) -> None:
    for hours in range(3):
        _record(nurse_api, patient.pk, START - dt.timedelta(hours=hours))
    page = nurse_api.get("/api/v1/incidents", {"limit": 2, "offset": 2}).json()
    assert page["count"] == 3 and len(page["items"]) == 1


def test_a_mistyped_filter_is_refused_not_answered_with_nothing(nurse_api: Any) -> None:
    assert problems_of(nurse_api.get("/api/v1/incidents", {"ward": "OKA"})) == {
        ("query", "ward"): ["There is no ward with the code OKA in your organisation"]
    }
    assert ("query", "from") in problems_of(nurse_api.get("/api/v1/incidents", {"from": "soon"}))
    assert ("query", "type") in problems_of(nurse_api.get("/api/v1/incidents", {"type": "02"}))
