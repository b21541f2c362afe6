"""The demo's course content (issue 13): learning outcomes on its courses with one realistic
gap, the physical skills course's training manual (most techniques signed off by the lead,
one awaiting sign-off), course reports and evaluations on most recent sessions, a training
injury and a near miss. Drawn from a stream of its own: the register and training before it
are the same with or without it."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
import time_machine

from rrp.audit.services import Actor
from rrp.demo.generator import WARDS, DemoContext
from rrp.organisations.models import Organisation
from rrp.organisations.services import user_add
from rrp.workforce import content_selectors, demo
from rrp.workforce.models import (
    CourseReport,
    PhysicalTechnique,
    SessionEvaluation,
    StaffMember,
    TrainingEvent,
    TrainingRecord,
    TrainingSession,
)

from .conftest import LONDON

TODAY = dt.date(2026, 12, 7)


def build(make_organisation: Any, make_ward: Any, ods: str) -> Organisation:
    organisation = make_organisation(ods_code=ods)
    wards = {
        plan.code: make_ward(code=plan.code, name=plan.name, beds=plan.beds,
                             service_type=plan.service_type, organisation=organisation)
        for plan in WARDS
    }
    actor = Actor(user=None, via="cli")
    user_add(actor=actor, username=f"trainer{ods}", organisation=organisation, role="trainer",
             full_name="Sam Patel")
    user_add(actor=actor, username=f"lead{ods}", organisation=organisation, role="rrp_lead",
             full_name="Lee Lead")
    ctx = DemoContext(rng=random.Random(11), organisation=organisation, wards=wards,
                      today=TODAY, start=TODAY - dt.timedelta(days=730), actor=actor)
    with time_machine.travel(dt.datetime(2026, 12, 7, 9, 0, tzinfo=LONDON), tick=False):
        demo.seed_workforce(ctx)
    return organisation


def test_the_demos_outcomes_manual_reports_and_injuries(
    make_organisation: Any, make_ward: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    org = build(make_organisation, make_ward, "ZC1")

    matrix = content_selectors.outcome_matrix(org, TODAY)
    assert [o.code for o in matrix.gaps] == ["3.1.VIII"]

    techniques = list(PhysicalTechnique.objects.filter(organisation=org))
    assert {t.course.code for t in techniques} == {"RRN-PHYS"}
    assert len(techniques) == len(demo.TECHNIQUES)
    awaiting, overdue = content_selectors.techniques_for_the_lead(org, TODAY)
    assert len(awaiting) == 1 and not overdue
    assert sum(1 for t in techniques if t.is_signed_off) == len(techniques) - 1

    recent = TrainingSession.objects.filter(
        organisation=org, held_on__gte=TODAY - dt.timedelta(days=demo.RECENT_DAYS))
    reports = CourseReport.objects.filter(organisation=org).count()
    evaluations = SessionEvaluation.objects.filter(organisation=org).count()
    assert 0.6 * recent.count() <= reports < recent.count()
    assert 0.4 * recent.count() <= evaluations < recent.count()

    events = TrainingEvent.objects.filter(organisation=org)
    assert sorted(events.values_list("kind", "severity")) == [("injury", "minor"),
                                                              ("near_miss", "none")]
    injury = events.get(kind="injury")
    assert injury.incident_reference and injury.reviewed_at is not None
    assert injury.staff is not None and injury.session.records.filter(
        staff=injury.staff).exists()

    # Without this step the register and training are exactly as they were.
    def register(o: Organisation) -> list[tuple[Any, ...]]:
        return list(StaffMember.objects.filter(organisation=o).order_by("staff_number")
                    .values_list("name", "employment", "start_date"))

    monkeypatch.setattr(demo, "seed_course_content", lambda ctx, actor: None)
    without = build(make_organisation, make_ward, "ZC2")
    assert register(without) == register(org)
    assert TrainingRecord.objects.filter(organisation=without).count() == \
        TrainingRecord.objects.filter(organisation=org).count()
    assert not PhysicalTechnique.objects.filter(organisation=without).exists()
