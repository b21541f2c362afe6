"""Compliance over the API: cycles with their ratings, assessments (read and rate through the
same rules), live indicators and the action plan, all inside the token's organisation."""

from __future__ import annotations

from typing import Any

from .conftest import assessment_of


def test_cycles_and_assessments_are_listed_for_the_tokens_organisation(
    cycle: Any, api_client_as: Any, make_organisation: Any
) -> None:
    api = api_client_as("board")
    cycles = api.get("/api/v1/compliance/cycles").json()
    assert [(c["name"], c["status"], c["ratings"]["not_rated"]) for c in cycles] == [
        ("2026/27 annual", "in_progress", 209)
    ]
    assessments = api.get(f"/api/v1/compliance/cycles/{cycle.pk}/assessments").json()
    assert len(assessments) == 209
    assert assessments[0]["statement"] == "1.1.I"
    other = api_client_as("rrp_lead", organisation=make_organisation(ods_code="R2B"))
    assert other.get(f"/api/v1/compliance/cycles/{cycle.pk}").status_code == 404
    assert other.get("/api/v1/compliance/cycles").json() == []


def test_the_lead_rates_a_statement_through_the_same_rules(
    cycle: Any, api_client_as: Any, lead: Any
) -> None:
    api = api_client_as("rrp_lead")
    url = f"/api/v1/compliance/cycles/{cycle.pk}/assessments/3.5.X"
    refused = api.put(url, {"rating": "not_applicable"})
    assert refused.status_code == 422
    locations = {tuple(p["loc"]) for p in refused.json()["detail"]}
    assert locations == {("body", "na_rationale"), ("body", "na_arrangements")}
    done = api.put(
        url,
        {
            "rating": "not_applicable",
            "na_rationale": "No external trainers",
            "na_arrangements": "In-house team",
            "owner": lead.username,
        },
    )
    assert done.status_code == 200
    assert done.json()["rating"] == "not_applicable"
    assert done.json()["owner"] == "grace"
    assert assessment_of(cycle, "3.5.X").history.get().actor_name
    assert api_client_as("board").put(url, {"rating": "met"}).status_code == 403


def test_the_catalogue_indicators_and_actions(cycle: Any, api_client_as: Any) -> None:
    api = api_client_as("auditor")
    statements = api.get("/api/v1/standards/statements").json()
    assert len(statements) == 209
    assert {"id", "section", "title", "text"} <= set(statements[0])
    indicators = api.get(
        f"/api/v1/compliance/cycles/{cycle.pk}/indicators?statement=2.5.2.XI"
    ).json()
    assert [i["key"] for i in indicators] == ["medical-review-within-hour"]
    assert indicators[0]["denominator"] == 0
    assert api.get("/api/v1/compliance/actions").json() == []
