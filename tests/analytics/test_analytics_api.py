"""GET /api/v1/measures and /api/v1/spc: the numbers behind the charts, in a documented
shape, scoped to the token's organisation."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine

from .conftest import NOW


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def test_measures_by_ward_and_month(oak_march: Any, api_client_as: Any) -> None:
    body = api_client_as("rrp_lead").get(
        "/api/v1/measures",
        {"measure": "MHS77", "level": "ward", "from": "2026-02", "to": "2026-03"},
    ).json()
    assert body["measure"] == {
        "id": "MHS77", "title": "Restrictive interventions", "unit": "count",
        "improvement": "decrease", "national": True,
    }
    assert (body["level"], body["first_month"], body["last_month"]) == ("ward", "2026-02",
                                                                       "2026-03")
    assert body["series"] == [
        {
            "scope": {"level": "ward", "code": "OAK", "name": "Oak Ward"},
            "points": [
                {"month": "2026-02", "value": 0, "numerator": 0, "denominator": 1},
                {"month": "2026-03", "value": 6, "numerator": 6, "denominator": 1},
            ],
        }
    ]


def test_measures_for_the_organisation_by_default(oak_march: Any, api_client_as: Any,
                                                  organisation: Any) -> None:
    body = api_client_as("ward_staff").get(
        "/api/v1/measures", {"measure": "MHS97", "from": "2026-03", "to": "2026-03"}
    ).json()
    assert body["series"][0]["scope"] == {"level": "organisation", "code": "R1A",
                                          "name": "Example NHS Trust"}
    # 3 of the 3 people in hospital in March were restrained.
    assert body["series"][0]["points"][0]["value"] == 100.0


def test_an_unknown_measure_or_month_is_a_422_naming_the_parameter(api_client_as: Any) -> None:
    api = api_client_as("rrp_lead")
    response = api.get("/api/v1/measures", {"measure": "MHS1"})
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["loc"] == ["query", "measure"]
    assert "MHS96" in problem["msg"]
    response = api.get("/api/v1/measures", {"measure": "MHS96", "from": "March"})
    assert response.json()["detail"][0]["loc"] == ["query", "from"]
    response = api.get("/api/v1/spc", {"measure": "MHS96", "ward": "OAK", "site": 1})
    assert response.status_code == 422


def test_spc_for_a_ward(oak_march: Any, api_client_as: Any) -> None:
    body = api_client_as("doctor").get(
        "/api/v1/spc",
        {"measure": "MHS96", "ward": "OAK", "improvement": "decrease", "from": "2026-01",
         "to": "2026-03"},
    ).json()
    assert body["scope"] == {"level": "ward", "code": "OAK", "name": "Oak Ward"}
    assert body["improvement"] == "decrease"
    assert body["short_group_warning"] is True  # 3 points
    assert [p["month"] for p in body["points"]] == ["2026-01", "2026-02", "2026-03"]
    march = body["points"][-1]
    assert march["value"] == pytest.approx(6000 / 71)
    assert set(march) == {
        "month", "value", "shown", "mean", "lower_limit", "upper_limit", "near_lower_limit",
        "near_upper_limit", "point_type", "rule", "group",
    }
    # January and February have no bed days: no rate, gaps in the chart.
    assert body["points"][0]["value"] is None
    assert body["variation"] == march["point_type"]


def test_another_organisations_ward_is_not_found(
    oak_march: Any, api_client_as: Any, make_organisation: Any, make_ward: Any
) -> None:
    other = make_organisation(ods_code="B2B")
    make_ward("ELM", organisation=other)
    response = api_client_as("rrp_lead").get("/api/v1/spc", {"measure": "MHS96", "ward": "ELM"})
    assert response.status_code == 404


def test_a_trainer_may_not_read_the_figures(api_client_as: Any) -> None:
    response = api_client_as("trainer").get("/api/v1/measures", {"measure": "MHS96"})
    assert response.status_code == 403
