"""Evidence that is not a file: a link to a web page (http or https only), or a record kept
in this RRP (an address of one of its own pages, never another site)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from rrp.audit.services import Actor
from rrp.standards import services


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://x.nhs.uk/f",
        "intranet/policy",
        "https://",
    ],
)
def test_a_link_must_be_a_web_address(url: str, organisation: Any, lead_actor: Actor) -> None:
    with pytest.raises(ValidationError) as error:
        services.evidence_link_create(
            actor=lead_actor, organisation=organisation, url=url, title="Policy"
        )
    assert "url" in error.value.message_dict


@pytest.mark.parametrize(
    "path",
    [
        "https://evil.example.com/",
        "//evil.example.com/",
        "/\\evil.example.com",
        "compliance/",
        "/no-such-page/",
        "/compliance/\nx",
    ],
)
def test_a_record_must_be_a_page_of_this_rrp(
    path: str, organisation: Any, lead_actor: Actor
) -> None:
    with pytest.raises(ValidationError) as error:
        services.evidence_record_create(
            actor=lead_actor,
            organisation=organisation,
            record_kind="report",
            record_path=path,
            title="Report",
        )
    assert "record_path" in error.value.message_dict


def test_a_record_of_this_rrp_is_kept_with_its_query(organisation: Any, lead_actor: Actor) -> None:
    evidence = services.evidence_record_create(
        actor=lead_actor,
        organisation=organisation,
        record_kind="report",
        record_path="/compliance/actions/?status=overdue",
        title="Overdue actions",
    )
    assert evidence.record_path == "/compliance/actions/?status=overdue"


def test_owners_are_people_who_can_see_the_compliance_pages(
    organisation: Any,
    lead_actor: Actor,
    make_user: Any,
    client_for: Any,
    lead: Any,
    cycle: Any,
) -> None:
    nurse = make_user("ward_staff", full_name="Ada Okafor")
    with pytest.raises(ValidationError) as error:
        services.evidence_link_create(
            actor=lead_actor,
            organisation=organisation,
            owner=nurse,
            url="https://intranet.example.nhs.uk/p",
            title="Policy",
        )
    assert error.value.message_dict["owner"] == [
        "The evidence owner must be someone in Example NHS Trust who can see the compliance pages"
    ]
    make_user("trainer", full_name="Sam Patel")
    page = (
        client_for(lead, organisation)
        .get(f"/compliance/cycles/{cycle.pk}/statements/3.5.I/change/")
        .content.decode()
    )
    assert "Sam Patel" in page
    assert "Ada Okafor" not in page
