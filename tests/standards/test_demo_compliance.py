"""The demo's compliance data: last year's cycle signed off, this year's part-way through as
a copy of it, evidence, overdue actions, and a peer review with challenges by the lead of a
second synthetic provider."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from rrp.audit.services import Actor
from rrp.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from rrp.demo.generator import DemoContext
from rrp.standards.demo import PEER_ODS_CODE, seed_compliance
from rrp.standards.models import (
    ActionPlanItem,
    AssessmentCycle,
    Evidence,
    PeerReview,
    StatementAssessment,
)


def test_the_demo_provider_is_part_way_through_its_programme(
    organisation: Any, make_user: Any
) -> None:
    for account in DEMO_ACCOUNTS:
        make_user(account["role"], username=account["username"], full_name=account["full_name"])
    today = dt.date(2026, 11, 27)
    seed_compliance(
        DemoContext(
            rng=random.Random(1),
            organisation=organisation,
            wards={},
            today=today,
            start=dt.date(2024, 11, 1),
            actor=Actor(user=None, via="cli"),
        )
    )
    last, this = AssessmentCycle.objects.filter(organisation=organisation).order_by("period_start")
    assert (last.name, last.status) == ("2025/26 annual", "signed_off")
    assert (this.name, this.status, this.copied_from) == ("2026/27 annual", "in_progress", last)
    assert not StatementAssessment.objects.filter(cycle=last, rating="").exists()
    carried = StatementAssessment.objects.filter(cycle=this, carried_forward=True).count()
    assert 50 < carried < 160  # part-way: some looked at again, some not yet
    assert StatementAssessment.objects.filter(cycle=last, rating="not_applicable").count() == 3
    assert Evidence.objects.filter(organisation=organisation, kind="file").count() >= 4
    overdue = ActionPlanItem.objects.filter(
        organisation=organisation, status__in=["not_started", "in_progress"], due_on__lt=today
    )
    assert overdue.count() >= 2
    assert ActionPlanItem.objects.filter(organisation=organisation, status="done").exists()
    review = PeerReview.objects.get(cycle=this)
    assert review.reviewer_organisation.ods_code == PEER_ODS_CODE
    assert review.reviewer.check_password(DEMO_PASSWORD)
    challenges = review.responses.filter(verdict="challenge")
    assert challenges.count() == 4
    assert challenges.exclude(answer="").count() == 2
    # Nothing in the demo happens after its today.
    assert last.signed_off_at.date() < today
    assert not this.history.filter(occurred_at__date__gt=today).exists()
