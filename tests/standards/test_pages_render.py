"""Every compliance page opens, for each kind of person who may see it, at each stage of a
cycle - and says something a person would look for on it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from rrp.audit.services import Actor
from rrp.standards import services

from .conftest import LONDON, assessment_of, rate_everything


@pytest.fixture
def full(
    cycle: Any,
    lead_actor: Actor,
    lead: Any,
    upload_evidence: Any,
    organisation: Any,
    make_organisation: Any,
    make_user: Any,
    make_cycle: Any,
    make_site: Any,
    make_ward: Any,
) -> dict[str, Any]:
    make_ward(code="OAK", site=make_site(name="Northgate Hospital"))
    rate_everything(cycle, "met")
    gap = assessment_of(cycle, "1.2.I")
    services.assessment_update(
        actor=lead_actor, assessment=gap, rating="partially_met", narrative="Forming"
    )
    file = upload_evidence(title="Strategy")
    link = services.evidence_link_create(
        actor=lead_actor,
        organisation=organisation,
        url="https://intranet.example.nhs.uk/p",
        title="Policy page",
    )
    record = services.evidence_record_create(
        actor=lead_actor,
        organisation=organisation,
        record_kind="report",
        record_path="/compliance/",
        title="Compliance home",
    )
    attachment = None
    for evidence in (file, link, record):
        attachment = services.evidence_attach(actor=lead_actor, assessment=gap, evidence=evidence)
    action = services.action_raise(
        actor=lead_actor,
        assessment=gap,
        owner=lead,
        description="Recruit",
        due_on=dt.date(2026, 5, 1),
        now=dt.datetime(2026, 4, 2, tzinfo=LONDON),
    )
    reviewer = make_user(
        "rrp_lead", organisation=make_organisation(ods_code="R2B"), username="nadia"
    )
    review = services.peer_review_invite(actor=lead_actor, cycle=cycle, reviewer=reviewer)
    response = services.peer_review_respond(
        actor=Actor(user=reviewer),
        review=review,
        assessment=gap,
        verdict="challenge",
        comment="Why only forming?",
    )
    planned = make_cycle(name="Planned next", start=False)
    return {
        "cycle": cycle,
        "file": file,
        "action": action,
        "review": review,
        "response": response,
        "attachment": attachment,
        "reviewer": reviewer,
        "planned": planned,
    }


def test_every_page_of_the_assessing_organisation_opens(
    full: dict[str, Any], lead: Any, client_for: Any, organisation: Any
) -> None:
    c, ref = full["cycle"].pk, "1.2.I"
    base = f"/compliance/cycles/{c}"
    pages = {
        "/compliance/": "Assessment cycles",
        "/compliance/standards/": "Section 1: Board Level Organisational Compliance Standard",
        "/compliance/cycles/new/": "Plan an assessment cycle",
        f"{base}/": "Challenges to answer",
        f"{base}/?section=2&filter=unrated": "0 statements shown",
        f"{base}/?filter=challenged": "1 statement shown",
        f"{base}/change/": "Change 2026/27 annual",
        f"{base}/submit/": "Submit 2026/27 annual for review",
        f"{base}/history/": "History of changes",
        f"{base}/summary/": "Compliance summary: 2026/27 annual",
        f"{base}/import/": "Import ratings from a spreadsheet",
        f"{base}/peer-reviews/invite/": "Invite a peer reviewer",
        f"{base}/peer-reviews/{full['review'].pk}/": "Why only forming?",
        f"{base}/peer-reviews/{full['review'].pk}/withdraw/": "Withdraw the invitation",
        f"{base}/statements/{ref}/": "Policy page",
        f"{base}/statements/{ref}/change/": "Rate statement 1.2.I",
        f"{base}/statements/{ref}/evidence/add/": "Upload a file",
        f"{base}/statements/{ref}/evidence/upload/": "Upload a file as evidence",
        f"{base}/statements/{ref}/evidence/link/": "Add a link as evidence",
        f"{base}/statements/{ref}/evidence/record/": "Refer to a record in RRP",
        f"{base}/statements/{ref}/evidence/choose/": "All your evidence is already offered",
        f"{base}/statements/{ref}/evidence/{full['attachment'].pk}/remove/": "Remove Compliance",
        f"{base}/statements/{ref}/actions/add/": "Raise an action for 1.2.I",
        f"{base}/statements/{ref}/challenges/{full['response'].pk}/answer/": "Answer the challenge",
        f"/compliance/cycles/{full['planned'].pk}/": "Start the assessment",
        "/compliance/evidence/": "Strategy",
        "/compliance/evidence/?show=review-due": "No evidence here yet",
        f"/compliance/evidence/{full['file'].pk}/": "SHA-256",
        f"/compliance/evidence/{full['file'].pk}/change/": "Change evidence",
        f"/compliance/evidence/{full['file'].pk}/withdraw/": "Withdraw",
        "/compliance/actions/": "Recruit",
        "/compliance/actions/?status=overdue": "Overdue",
        f"/compliance/actions/{full['action'].pk}/": "Record progress",
        f"/compliance/actions/{full['action'].pk}/change/": "Change action",
    }
    client = client_for(lead, organisation)
    for url, words in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert words in response.content.decode(), url


def test_the_submit_page_explains_what_blocks_submission(
    make_cycle: Any, lead: Any, client_for: Any, organisation: Any
) -> None:
    cycle = make_cycle()
    page = (
        client_for(lead, organisation)
        .get(f"/compliance/cycles/{cycle.pk}/submit/")
        .content.decode()
    )
    assert "There is a problem" in page
    assert "209 statements have no rating yet" in page
    assert "?filter=unrated#statements" in page


def test_the_board_reads_but_does_not_change(full: dict[str, Any], client_as: Any) -> None:
    board = client_as("board")
    c = full["cycle"].pk
    for url in (
        f"/compliance/cycles/{c}/",
        f"/compliance/cycles/{c}/summary/",
        f"/compliance/cycles/{c}/statements/1.2.I/",
        "/compliance/actions/",
    ):
        page = board.get(url)
        assert page.status_code == 200, url
        assert "Change the assessment" not in page.content.decode()
    for url in (
        f"/compliance/cycles/{c}/statements/1.2.I/change/",
        "/compliance/cycles/new/",
        f"/compliance/cycles/{c}/sign-off/",
        f"/compliance/cycles/{c}/import/",
    ):
        assert board.get(url).status_code == 403, url
    assert client_as("ward_staff").get("/compliance/").status_code == 403


def test_every_page_of_the_reviewer_opens(full: dict[str, Any], client_for: Any) -> None:
    reviewer = full["reviewer"]
    client = client_for(reviewer, reviewer.memberships.get().organisation)
    r = full["review"].pk
    for url, words in {
        "/compliance/peer-reviews/": "2026/27 annual for Example NHS Trust",
        f"/compliance/peer-reviews/{r}/": "Sign off your review",
        f"/compliance/peer-reviews/{r}/statements/1.2.I/": "Why only forming?",
        f"/compliance/peer-reviews/{r}/sign-off/": "You have given a view on 1 statements",
        f"/compliance/peer-reviews/{r}/decline/": "Decline to review 2026/27 annual",
    }.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert words in response.content.decode(), url


def test_a_signed_off_cycle_offers_no_changes(
    full: dict[str, Any], lead_actor: Actor, lead: Any, client_for: Any, organisation: Any
) -> None:
    cycle, review = full["cycle"], full["review"]
    services.peer_review_withdraw(actor=lead_actor, review=review)
    services.cycle_submit_for_review(actor=lead_actor, cycle=cycle)
    services.cycle_sign_off(actor=lead_actor, cycle=cycle, statement="Assured")
    client = client_for(lead, organisation)
    page = client.get(f"/compliance/cycles/{cycle.pk}/").content.decode()
    assert "This cycle is locked" in page
    assert "Import ratings" not in page
    statement = client.get(f"/compliance/cycles/{cycle.pk}/statements/1.2.I/").content.decode()
    assert "Change the assessment" not in statement
    assert "Add evidence" not in statement
    response = client.get(f"/compliance/cycles/{cycle.pk}/statements/1.2.I/change/")
    assert response.status_code == 302
    assert "was signed off" in client.get(response["Location"]).content.decode()


def test_the_standard_is_named_in_words_not_by_its_code(
    full: dict[str, Any], lead: Any, client_for: Any, organisation: Any
) -> None:
    """Issue 10: captions read "nms-2019-12, draft", a code nobody on a board would know."""
    client = client_for(lead, organisation)
    cycle = full["cycle"]
    pages = ["/compliance/standards/", f"/compliance/cycles/{cycle.pk}/",
             f"/compliance/cycles/{cycle.pk}/summary/"]
    for path in pages:
        page = client.get(path)
        assert page.status_code == 200, path
        text = page.content.decode()
        assert "nms-2019-12" not in text.replace("edition=nms-2019-12", ""), path
        assert "December 2019" in text, path
    assert "Draft of 14 December 2019" in client.get("/compliance/standards/").content.decode()
