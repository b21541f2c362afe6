"""standard 1.15.II: "not applicable" only with a documented rationale and a description of
the safe practice arrangements in place instead - in the services and on the rating page."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from rrp.audit.services import Actor
from rrp.standards import services

from .conftest import assessment_of


def test_not_applicable_without_a_rationale_or_arrangements_is_refused(
    cycle: Any, lead_actor: Actor
) -> None:
    assessment = assessment_of(cycle, "3.5.X")
    with pytest.raises(ValidationError) as error:
        services.assessment_update(actor=lead_actor, assessment=assessment, rating="not_applicable")
    assert error.value.message_dict == {
        "na_rationale": ["Enter why this statement does not apply to your organisation"],
        "na_arrangements": ["Describe the alternative safe practice arrangements in place"],
    }
    with pytest.raises(ValidationError) as error:
        services.assessment_update(
            actor=lead_actor,
            assessment=assessment,
            rating="not_applicable",
            na_rationale="We use no external trainers",
        )
    assert list(error.value.message_dict) == ["na_arrangements"]
    assessment.refresh_from_db()
    assert assessment.rating == ""


def test_not_applicable_with_both_is_kept_and_cleared_when_the_rating_changes(
    cycle: Any, lead_actor: Actor
) -> None:
    assessment = assessment_of(cycle, "3.5.X")
    services.assessment_update(
        actor=lead_actor,
        assessment=assessment,
        rating="not_applicable",
        na_rationale="We use no external trainers",
        na_arrangements="In-house RRN-certified team",
    )
    assessment.refresh_from_db()
    assert (assessment.na_rationale, assessment.na_arrangements) == (
        "We use no external trainers",
        "In-house RRN-certified team",
    )
    services.assessment_update(actor=lead_actor, assessment=assessment, rating="met")
    assessment.refresh_from_db()
    assert (assessment.rating, assessment.na_rationale, assessment.na_arrangements) == (
        "met",
        "",
        "",
    )
    # The history still holds the rationale that was given.
    changes = assessment.history.order_by("occurred_at", "pk").last().changes
    assert changes["na_rationale"] == ["We use no external trainers", ""]


def test_the_rating_page_names_both_missing_fields(
    cycle: Any, lead: Any, client_for: Any, organisation: Any
) -> None:
    client = client_for(lead, organisation)
    url = f"/compliance/cycles/{cycle.pk}/statements/3.5.X/change/"
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Why does this statement not apply?" in body
    response = client.post(url, {"rating": "not_applicable", "narrative": "", "owner": ""})
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert 'href="#id_na_rationale"' in body
    assert 'href="#id_na_arrangements"' in body
    assert "Enter why this statement does not apply to your organisation" in body
    assert "<title>Error: Rate 3.5.X" in body
    assert assessment_of(cycle, "3.5.X").rating == ""

    response = client.post(
        url,
        {
            "rating": "not_applicable",
            "narrative": "",
            "owner": str(lead.pk),
            "na_rationale": "We use no external trainers",
            "na_arrangements": "In-house team",
        },
    )
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "We use no external trainers" in detail
    assert "In-house team" in detail
