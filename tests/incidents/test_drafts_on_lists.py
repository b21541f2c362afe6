"""A draft is shown as "draft, not yet submitted" on its ward's page and on its author's home
page, and after 24 hours it is flagged there, urgently on the home page: the Use of Force Act
record must still be made (issue 10 finding 4)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from incidents.conftest import NOW
from incidents.pages import text_of
from rrp.audit.services import Actor
from rrp.incidents import services
from rrp.incidents.inputs import IncidentInput


@pytest.fixture
def author(make_user: Any) -> Any:
    return make_user("ward_staff", username="nina", full_name="Nina Shah")


@pytest.fixture
def draft(author: Any, organisation: Any, ward: Any, patient: Any, clock: Any) -> Any:
    """Nina's draft with only the ward and the patient, saved at NOW (14:00)."""
    return services.incident_create(
        actor=Actor(user=author, via="web"), organisation=organisation, submit=False, now=NOW,
        data=IncidentInput(ward=ward, patient=patient, started_at=None, ended_at=None,
                           reason="", description="", efforts_to_avoid="", outcome="",
                           notification=""),
    )


def test_a_draft_is_on_its_wards_page_however_many_records_came_after(
    draft: Any, record: Any, client_as: Any, clock: Any,
) -> None:
    for _ in range(9):  # more than the ward page lists
        record()
    page = text_of(client_as("ward_staff").get("/wards/OAK/"))
    assert f"{draft.reference} Not recorded" in page
    assert "Draft, not yet submitted" in page
    assert "Over 24 hours old" not in page


def test_a_draft_is_on_its_authors_home_page(
    draft: Any, author: Any, client_for: Any, client_as: Any, clock: Any,
) -> None:
    page = text_of(client_for(author).get("/"))
    assert "Your drafts, not yet submitted 1" in page
    assert f"Draft, not yet submitted: {draft.reference} on Oak Ward" in page
    home = client_for(author).get("/").content.decode()
    assert f'href="/uses-of-force/{draft.pk}/"' in home
    # Someone else's home page does not list it.
    assert "Your drafts" not in text_of(client_as("ward_staff").get("/"))


def test_after_24_hours_a_draft_is_flagged_on_both(
    draft: Any, author: Any, client_for: Any, clock: Any,
) -> None:
    clock.move_to(NOW + dt.timedelta(hours=24, minutes=1))
    client = client_for(author)

    home = text_of(client.get("/"))
    assert "Urgent: Drafts over 24 hours old 1" in home
    assert "The Use of Force Act record must still be made" in home
    assert "Your drafts, not yet submitted" not in home
    ward = text_of(client.get("/wards/OAK/"))
    assert "Draft, not yet submitted Over 24 hours old: submit it" in ward
    record_page = text_of(client.get(f"/uses-of-force/{draft.pk}/"))
    assert "Draft over 24 hours old" in record_page


def test_several_drafts_link_to_the_list_of_the_authors_drafts(
    draft: Any, author: Any, organisation: Any, ward: Any, patient: Any, client_for: Any,
    record: Any, clock: Any,
) -> None:
    second = services.incident_create(
        actor=Actor(user=author, via="web"), organisation=organisation, submit=False, now=NOW,
        data=IncidentInput(ward=ward, patient=patient, started_at=None, ended_at=None,
                           reason="", description="", efforts_to_avoid="", outcome="",
                           notification=""),
    )
    someone_elses = record(submit=False)
    client = client_for(author)
    assert 'href="/uses-of-force/?status=draft&amp;mine=on"' in client.get("/").content.decode()
    listed = text_of(client.get("/uses-of-force/?status=draft&mine=on"))
    assert draft.reference in listed and second.reference in listed
    assert someone_elses.reference not in listed


def test_a_draft_entered_in_error_leaves_the_home_page(
    draft: Any, author: Any, client_for: Any, clock: Any,
) -> None:
    services.incident_mark_entered_in_error(actor=Actor(user=author), incident=draft,
                                            reason="Recorded on the wrong ward")
    assert "Your drafts" not in text_of(client_for(author).get("/"))
