"""A peer reviewer from another provider reaches the invited cycle - its statements and its
evidence - and nothing else of the assessing organisation.

The test walks every URL pattern of the project (pages and API), filling each parameter with
ids of the assessing organisation's records, as the reviewer: signed in to their own
organisation, and with an API token of their own. Outside the invited review's own pages
every answer must be a refusal (401, 403, 404 or 405), and pages without parameters (which
show the reviewer their own organisation) must not contain anything of the assessing one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from rrp.audit.services import Actor
from rrp.standards import services
from rrp.standards.models import (
    ActionPlanItem,
    AssessmentCycle,
    Evidence,
    EvidenceAttachment,
    PeerReview,
    PeerReviewResponse,
)

from .conftest import assessment_of, rate_everything

LONDON = ZoneInfo("Europe/London")
REFUSED = {401, 403, 404, 405}
REVIEWER_SPACE = "compliance/peer-reviews/"
# Signing out would end the walk, not test it. Revoking an API token goes by the token's id,
# not the assessing organisation's: the reviewer's own token (the walk's API client) may share
# a number with them; revoking others' tokens is refused in tests/platform/
# test_api_token_revocation.py.
NEVER_WALKED = {"sign-out/", "sign-in/", "account/tokens/<int:pk>/revoke/"}
PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
# What the assessing organisation holds that the reviewer must never see outside the review.
SECRETS = (
    "SECRET77",
    "Quartermaine",
    "Zebedee",
    "Only-A narrative of 2025",
    "Old policy only in 2025",
    "Only-A action",
    "2025/26 annual",
    "Kept from reviewers",
)


def walk(patterns: list[Any], prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def fill(route: str, number: int) -> list[str]:
    """Every address for a route with its parameters set to `number`, or to the assessing
    organisation's ward code, statement id or export format where the parameter is text."""
    names = {m["name"]: m["converter"] or "str" for m in PARAMETER.finditer(route)}
    text_values: dict[str, list[str]] = {
        "code": ["OAK"],
        "ref": ["1.1.I", "1.2.I"],
        "fmt": ["csv", "xlsx"],
    }
    options = [{}]
    for name, converter in names.items():
        if converter == "int" or name.endswith(("_id", "pk")) or name not in text_values:
            options = [{**o, name: str(number)} for o in options]
        else:
            options = [{**o, name: value} for o in options for value in text_values[name]]
    return ["/" + PARAMETER.sub(lambda m, o=o: o[m["name"]], route) for o in options]


@pytest.fixture
def world(
    organisation: Any,
    make_organisation: Any,
    make_user: Any,
    lead_actor: Actor,
    make_cycle: Any,
    upload_evidence: Any,
    make_patient: Any,
    ward: Any,
    record_restraint: Any,
    lead: Any,
) -> dict[str, Any]:
    """Example NHS Trust (assessing) with patients, a use of force, two cycles, evidence,
    actions and a second peer review; Eastfield's lead invited to one cycle."""
    person = make_patient(local_id="SECRET77", given_name="Zebedee", family_name="Quartermaine")
    record_restraint(dt.datetime(2026, 6, 1, 12, 0, tzinfo=LONDON), patient=person)
    old = make_cycle(name="2025/26 annual")
    rate_everything(old, "partially_met")
    old_assessment = assessment_of(old, "1.2.I")
    services.assessment_update(
        actor=lead_actor,
        assessment=old_assessment,
        rating="not_met",
        narrative="Only-A narrative of 2025",
    )
    hidden = upload_evidence(title="Old policy only in 2025")
    services.evidence_attach(actor=lead_actor, assessment=old_assessment, evidence=hidden)
    services.action_raise(
        actor=lead_actor,
        assessment=old_assessment,
        description="Only-A action",
        owner=lead,
        due_on=dt.date(2030, 1, 1),
    )
    other_reviewer = make_user(
        "rrp_lead",
        organisation=make_organisation(ods_code="R3C"),
        username="someone_else",
        full_name="Kept from reviewers",
    )
    other_review = services.peer_review_invite(actor=lead_actor, cycle=old, reviewer=other_reviewer)
    services.peer_review_respond(
        actor=Actor(user=other_reviewer),
        review=other_review,
        assessment=old_assessment,
        verdict="challenge",
        comment="Why?",
    )

    invited_cycle = make_cycle(name="2026/27 annual")
    rate_everything(invited_cycle, "met")
    shown = upload_evidence(title="Strategy shown to the reviewer")
    services.evidence_attach(
        actor=lead_actor, assessment=assessment_of(invited_cycle, "1.1.I"), evidence=shown
    )
    eastfield = make_organisation(ods_code="R2B", name="Eastfield Community Health NHS Trust")
    reviewer = make_user(
        "rrp_lead", organisation=eastfield, username="nadia", full_name="Nadia Rahman"
    )
    review = services.peer_review_invite(actor=lead_actor, cycle=invited_cycle, reviewer=reviewer)
    return {
        "reviewer": reviewer,
        "eastfield": eastfield,
        "review": review,
        "old": old,
        "hidden": hidden,
        "shown": shown,
        "invited_cycle": invited_cycle,
    }


def assessing_ids(organisation: Any) -> set[int]:
    """Ids of everything the assessing organisation holds, to put in every URL."""
    from rrp.incidents.models import Duty, Incident
    from rrp.organisations.models import Ward
    from rrp.patients.models import Admission, Patient

    ids: set[int] = set()
    for queryset in (
        AssessmentCycle.objects.filter(organisation=organisation),
        Evidence.objects.filter(organisation=organisation),
        EvidenceAttachment.objects.filter(evidence__organisation=organisation),
        ActionPlanItem.objects.filter(organisation=organisation),
        PeerReview.objects.filter(cycle__organisation=organisation),
        PeerReviewResponse.objects.filter(peer_review__cycle__organisation=organisation),
        Patient.objects.filter(organisation=organisation),
        Admission.objects.filter(organisation=organisation),
        Incident.objects.filter(organisation=organisation),
        Duty.objects.filter(organisation=organisation),
        Ward.objects.filter(organisation=organisation),
    ):
        # No address takes a statement assessment's id (statements go by their reference),
        # and every table here holds a few rows: the first and last of each are enough.
        pks = sorted(queryset.values_list("pk", flat=True))
        ids |= {*pks[:2], *pks[-2:]}
    return ids


def test_the_reviewer_reaches_nothing_of_the_assessing_organisation_but_the_invited_cycle(
    world: dict[str, Any], organisation: Any, client_for: Any, api_client_for: Any
) -> None:
    reviewer, review = world["reviewer"], world["review"]
    web = client_for(reviewer, world["eastfield"])
    api = api_client_for(reviewer, world["eastfield"])
    ids = assessing_ids(organisation)
    other_review = PeerReview.objects.exclude(pk=review.pk).get()
    assert {world["old"].pk, world["hidden"].pk, other_review.pk} <= ids
    routes = [r for r in walk(get_resolver().url_patterns) if r not in NEVER_WALKED]
    assert len(routes) > 60  # the whole project, not a handful
    leaks: list[str] = []
    asked = 0
    for route in routes:
        parameterised = bool(PARAMETER.search(route))
        for number in sorted(ids) if parameterised else [0]:
            for url in fill(route, number):
                invited_space = url.startswith(f"/{REVIEWER_SPACE}{review.pk}/")
                if invited_space:
                    continue  # the invitation's own pages: tested below
                client = api if url.startswith("/api/") else web
                answers = [("GET", client.get(url))]
                if parameterised:
                    answers.append(
                        ("POST", client.post(url) if client is web else client.post(url, {}))
                    )
                for method, response in answers:
                    asked += 1
                    if response.status_code in REFUSED:
                        continue
                    if parameterised:
                        leaks.append(f"{method} {url} -> {response.status_code}")
                        continue
                    body = (
                        b"".join(response.streaming_content)
                        if response.streaming
                        else response.content
                    )
                    text = body.decode("utf-8", "replace")
                    found = [secret for secret in SECRETS if secret in text]
                    if found:
                        leaks.append(f"{method} {url} shows {found}")
    assert asked > 300
    assert leaks == []


def test_the_reviewer_sees_the_invited_cycle_and_only_its_evidence(
    world: dict[str, Any], client_for: Any
) -> None:
    review, shown, hidden = world["review"], world["shown"], world["hidden"]
    web = client_for(world["reviewer"], world["eastfield"])
    base = f"/compliance/peer-reviews/{review.pk}"
    assert web.get(base + "/").status_code == 200
    statement = web.get(base + "/statements/1.1.I/")
    assert statement.status_code == 200
    assert "Strategy shown to the reviewer" in statement.content.decode()
    assert web.get(base + f"/evidence/{shown.pk}/download/").status_code == 200
    # Evidence of another cycle, even through the invitation's own address, is not there.
    assert web.get(base + f"/evidence/{hidden.pk}/download/").status_code == 404
    assert web.get(base + "/statements/9.9.IX/").status_code == 404
    for page in (base + "/", base + "/statements/1.2.I/"):
        text = web.get(page).content.decode()
        assert not [secret for secret in SECRETS if secret in text], page


def test_the_reviewer_cannot_switch_into_the_assessing_organisation(
    world: dict[str, Any], organisation: Any, client_for: Any
) -> None:
    web = client_for(world["reviewer"], world["eastfield"])
    web.post("/organisation/", {"organisation": str(organisation.pk)})
    home = web.get("/").content.decode()
    assert "Eastfield Community Health NHS Trust" in home
    assert web.get("/patients/").status_code in {200, 403}
    assert "SECRET77" not in web.get("/patients/").content.decode()
    assert web.get(f"/compliance/cycles/{world['invited_cycle'].pk}/").status_code == 404


def test_the_reviewers_access_to_evidence_ends_at_sign_off(
    world: dict[str, Any], client_for: Any, lead_actor: Actor, upload_evidence: Any
) -> None:
    """Issue 11: evidence added after the review was signed off could still be downloaded."""
    review, shown = world["review"], world["shown"]
    web = client_for(world["reviewer"], world["eastfield"])
    base = f"/compliance/peer-reviews/{review.pk}"
    services.peer_review_respond(actor=Actor(user=world["reviewer"]), review=review,
                                 assessment=assessment_of(world["invited_cycle"], "1.1.I"),
                                 verdict="agree")
    services.peer_review_sign_off(actor=Actor(user=world["reviewer"]), review=review,
                                  conclusion="A sound self-assessment")
    with time_machine.travel(timezone.now() + dt.timedelta(days=2)):
        later = upload_evidence(title="Added after the review")
        services.evidence_attach(actor=lead_actor, evidence=later,
                                 assessment=assessment_of(world["invited_cycle"], "1.1.I"))
    # What the reviewer saw is still theirs to read; what came later is not.
    assert web.get(base + f"/evidence/{shown.pk}/download/").status_code == 200
    assert web.get(base + f"/evidence/{later.pk}/download/").status_code == 404
