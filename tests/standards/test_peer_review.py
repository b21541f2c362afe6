"""standard 1.15.III, 1.15.1.II: the lead invites a named reviewer from another provider to
one cycle; the reviewer agrees with or challenges statements and signs off; the assessing
organisation answers the challenges before the executive lead signs the cycle off. All of it
is audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from rrp.audit.models import AuditEvent
from rrp.audit.services import Actor
from rrp.standards import services
from rrp.standards.models import PeerReviewStatus

from .conftest import PDF, assessment_of, rate_everything


@pytest.fixture
def eastfield(make_organisation: Any) -> Any:
    return make_organisation(ods_code="R2B", name="Eastfield Community Health NHS Trust")


@pytest.fixture
def reviewer(make_user: Any, eastfield: Any) -> Any:
    return make_user("rrp_lead", organisation=eastfield, username="nadia", full_name="Nadia Rahman")


@pytest.fixture
def reviewer_actor(reviewer: Any) -> Actor:
    return Actor(user=reviewer, via="web")


@pytest.fixture
def review(cycle: Any, lead_actor: Actor, reviewer: Any) -> Any:
    rate_everything(cycle, "partially_met")
    return services.peer_review_invite(
        actor=lead_actor, cycle=cycle, reviewer=reviewer, message="Sections 1 and 2 please"
    )


def test_the_reviewer_must_come_from_another_organisation(
    cycle: Any, lead_actor: Actor, make_user: Any, eastfield: Any
) -> None:
    colleague = make_user("ward_manager")
    with pytest.raises(ValidationError) as error:
        services.peer_review_invite(actor=lead_actor, cycle=cycle, reviewer=colleague)
    assert "Choose a reviewer from another organisation" in error.value.messages[0]
    # Someone who also works for the assessing organisation is not independent either.
    both = make_user("rrp_lead", organisation=eastfield, username="dual")
    make_user("board", username="dual")
    with pytest.raises(ValidationError):
        services.peer_review_invite(actor=lead_actor, cycle=cycle, reviewer=both)


def test_the_invite_page_offers_only_people_from_other_organisations(
    cycle: Any, lead: Any, client_for: Any, organisation: Any, reviewer: Any, make_user: Any
) -> None:
    make_user("ward_manager", full_name="Tom Brennan")
    page = (
        client_for(lead, organisation)
        .get(f"/compliance/cycles/{cycle.pk}/peer-reviews/invite/")
        .content.decode()
    )
    assert "Nadia Rahman, Eastfield Community Health NHS Trust" in page
    assert "Tom Brennan" not in page


def test_the_reviewer_agrees_challenges_and_signs_off(
    review: Any, reviewer_actor: Actor, cycle: Any
) -> None:
    services.peer_review_respond(
        actor=reviewer_actor,
        review=review,
        assessment=assessment_of(cycle, "1.1.I"),
        verdict="agree",
    )
    with pytest.raises(ValidationError) as error:
        services.peer_review_respond(
            actor=reviewer_actor,
            review=review,
            assessment=assessment_of(cycle, "2.5.2.XI"),
            verdict="challenge",
        )
    assert error.value.message_dict == {"comment": ["Explain what you challenge and why"]}
    services.peer_review_respond(
        actor=reviewer_actor,
        review=review,
        assessment=assessment_of(cycle, "2.5.2.XI"),
        verdict="challenge",
        comment="No out-of-hours figures",
    )
    services.peer_review_sign_off(actor=reviewer_actor, review=review, conclusion="Candid and fair")
    review.refresh_from_db()
    assert review.status == PeerReviewStatus.SIGNED_OFF
    with pytest.raises(ValidationError):
        services.peer_review_respond(
            actor=reviewer_actor,
            review=review,
            assessment=assessment_of(cycle, "1.1.II"),
            verdict="agree",
        )
    summaries = set(
        AuditEvent.objects.filter(
            organisation=cycle.organisation, actor=reviewer_actor.user
        ).values_list("summary", flat=True)
    )
    assert "1.1.I: peer reviewer Nadia Rahman agrees" in summaries
    assert "2.5.2.XI: peer reviewer Nadia Rahman challenges the assessment" in summaries
    assert "Peer review signed off by Nadia Rahman with 1 challenge" in summaries


def test_only_the_invited_reviewer_can_respond(review: Any, lead_actor: Actor, cycle: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.peer_review_respond(
            actor=lead_actor,
            review=review,
            assessment=assessment_of(cycle, "1.1.I"),
            verdict="agree",
        )


def test_challenges_are_answered_before_the_cycle_is_signed_off(
    review: Any, reviewer_actor: Actor, lead_actor: Actor, cycle: Any
) -> None:
    services.peer_review_respond(
        actor=reviewer_actor,
        review=review,
        assessment=assessment_of(cycle, "2.5.2.XI"),
        verdict="challenge",
        comment="No out-of-hours figures",
    )
    services.cycle_submit_for_review(actor=lead_actor, cycle=cycle)
    with pytest.raises(ValidationError) as error:
        services.cycle_sign_off(actor=lead_actor, cycle=cycle, statement="Assured")
    assert error.value.messages == [
        "Answer the peer reviewer's 1 open challenge before signing off",
        "A peer review is still open. Wait for the reviewer to sign it off, or withdraw it",
    ]
    services.peer_review_sign_off(actor=reviewer_actor, review=review, conclusion="Fair")
    response = review.responses.get()
    services.challenge_answer(actor=lead_actor, response=response, answer="Figures now monthly")
    services.cycle_sign_off(actor=lead_actor, cycle=cycle, statement="Assured")
    history = assessment_of(cycle, "2.5.2.XI").history.values_list("summary", flat=True)
    assert "2.5.2.XI: challenge from Nadia Rahman answered" in history


def test_the_reviewer_pages_show_the_cycle_and_take_a_view(
    review: Any,
    reviewer: Any,
    client_for: Any,
    eastfield: Any,
    cycle: Any,
    upload_evidence: Any,
    lead_actor: Actor,
) -> None:
    policy = upload_evidence(title="Restraint policy")
    services.evidence_attach(
        actor=lead_actor, assessment=assessment_of(cycle, "1.1.I"), evidence=policy
    )
    client = client_for(reviewer, eastfield)
    assert "Peer reviews to do" in client.get("/").content.decode()
    listing = client.get("/compliance/peer-reviews/").content.decode()
    assert "2026/27 annual for Example NHS Trust" in listing
    home = client.get(f"/compliance/peer-reviews/{review.pk}/").content.decode()
    assert "Sections 1 and 2 please" in home
    statement = client.get(
        f"/compliance/peer-reviews/{review.pk}/statements/1.1.I/"
    ).content.decode()
    assert "Restraint policy" in statement
    download = client.get(f"/compliance/peer-reviews/{review.pk}/evidence/{policy.pk}/download/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == PDF
    response = client.post(
        f"/compliance/peer-reviews/{review.pk}/statements/1.1.I/",
        {"verdict": "challenge", "comment": ""},
    )
    assert "Explain what you challenge and why" in response.content.decode()
    response = client.post(
        f"/compliance/peer-reviews/{review.pk}/statements/1.1.I/",
        {"verdict": "challenge", "comment": "The policy is out of date"},
    )
    assert response.status_code == 302
    response = client.post(
        f"/compliance/peer-reviews/{review.pk}/sign-off/", {"conclusion": "Fair"}
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == PeerReviewStatus.SIGNED_OFF


def test_a_withdrawn_invitation_closes_the_reviewers_door(
    review: Any, lead_actor: Actor, reviewer: Any, client_for: Any, eastfield: Any
) -> None:
    services.peer_review_withdraw(actor=lead_actor, review=review, reason="Reviewer unwell")
    client = client_for(reviewer, eastfield)
    assert client.get(f"/compliance/peer-reviews/{review.pk}/").status_code == 404
    assert client.get(f"/compliance/peer-reviews/{review.pk}/statements/1.1.I/").status_code == 404


def test_the_lead_sees_the_challenges_and_answers_them_on_the_statement_page(
    review: Any, reviewer_actor: Actor, cycle: Any, lead: Any, client_for: Any, organisation: Any
) -> None:
    services.peer_review_respond(
        actor=reviewer_actor,
        review=review,
        assessment=assessment_of(cycle, "2.5.2.XI"),
        verdict="challenge",
        comment="No out-of-hours figures",
    )
    client = client_for(lead, organisation)
    assert "Peer review challenges to answer" in client.get("/").content.decode()
    page = client.get(f"/compliance/cycles/{cycle.pk}/statements/2.5.2.XI/").content.decode()
    assert "No out-of-hours figures" in page
    assert "Not answered yet" in page
    response_pk = review.responses.get().pk
    url = f"/compliance/cycles/{cycle.pk}/statements/2.5.2.XI/challenges/{response_pk}/answer/"
    assert client.post(url, {"answer": ""}).status_code == 200
    assert client.post(url, {"answer": "Figures now go to the board monthly"}).status_code == 302
    assert (
        "Figures now go to the board monthly"
        in client.get(f"/compliance/cycles/{cycle.pk}/statements/2.5.2.XI/").content.decode()
    )
