"""The demo's staff register and training: about 250 staff over the six wards with bank and
agency staff, an RRN certificate running out soon, two years of whole-class sessions back from
the demo's today, and a few wards slipping below 85% in date; the same seed gives the same
register. Built by the step alone on the demo's wards, as seed_demo runs it."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from typing import Any

import time_machine

from rrp.audit.services import Actor
from rrp.demo.generator import WARDS, DemoContext
from rrp.organisations.models import Organisation
from rrp.organisations.services import user_add
from rrp.workforce import selectors
from rrp.workforce.demo import seed_workforce
from rrp.workforce.models import StaffMember, TrainingRecord, TrainingSession

from .conftest import LONDON

TODAY = dt.date(2026, 12, 7)


def build(make_organisation: Any, make_ward: Any, seed: int, ods: str) -> Organisation:
    organisation = make_organisation(ods_code=ods)
    wards = {
        plan.code: make_ward(code=plan.code, name=plan.name, beds=plan.beds,
                             service_type=plan.service_type, organisation=organisation)
        for plan in WARDS
    }
    actor = Actor(user=None, via="cli")
    user_add(actor=actor, username=f"trainer{ods}", organisation=organisation, role="trainer",
             full_name="Sam Patel")
    user_add(actor=actor, username=f"manager{ods}", organisation=organisation,
             role="ward_manager", full_name="Tom Brennan", home_ward=wards["OAK"])
    ctx = DemoContext(rng=random.Random(seed), organisation=organisation, wards=wards,
                      today=TODAY, start=TODAY - dt.timedelta(days=730), actor=actor)
    with time_machine.travel(dt.datetime(2026, 12, 7, 9, 0, tzinfo=LONDON), tick=False):
        seed_workforce(ctx)
    return organisation


def test_the_demo_trusts_register_and_two_years_of_training(
    make_organisation: Any, make_ward: Any
) -> None:
    # One build for the whole picture: the step writes a few thousand records.
    demo = build(make_organisation, make_ward, 2026, "ZZ9")

    # About 250 staff, with bank and agency staff and a few peer support workers.
    staff = StaffMember.objects.filter(organisation=demo)
    assert 220 <= staff.count() <= 290
    mix = Counter(staff.values_list("employment", flat=True))
    assert 0.08 <= mix["bank"] / staff.count() <= 0.25
    assert 0.03 <= mix["agency"] / staff.count() <= 0.15
    assert mix["peer_support"] >= 1
    assert staff.filter(leaving_date__lt=TODAY).exists()
    manager = staff.get(user__username="managerZZ9")
    assert (manager.name, manager.job_title) == ("Tom Brennan", "Ward manager")

    # Two years of whole-class sessions up to the demo's today.
    sessions = TrainingSession.objects.filter(organisation=demo)
    first = sessions.order_by("held_on").first()
    last = sessions.order_by("-held_on").first()
    assert first is not None and last is not None
    assert first.held_on >= TODAY - dt.timedelta(days=740)
    assert last.held_on < TODAY
    assert sessions.count() >= 100
    records = TrainingRecord.objects.filter(organisation=demo)
    assert records.filter(outcome="not_yet_competent").exists()
    assert records.filter(equivalent_previous=True).exists()
    assert records.filter(session__isnull=True, course__delivery="e_learning").exists()

    # The RRN certificate of the physical skills course runs out soon.
    [course] = selectors.certificates_running_out(demo, TODAY)
    assert course.code == "RRN-PHYS"
    assert course.certificate_valid_until == TODAY + dt.timedelta(days=42)

    # A few wards slip below 85% in date for physical skills; some people await reassessment.
    percents = {}
    for figures in selectors.ward_compliance(demo, TODAY):
        row = next(r for r in figures.rows if r.course.code == "RRN-PHYS")
        assert figures.ward is not None
        percents[figures.ward.code] = row.total.percent
    slipping = {code for code, p in percents.items() if p is not None and p < 85}
    assert 2 <= len(slipping) <= 4, percents
    assert "OAK" not in slipping
    assert selectors.not_yet_competent(demo, TODAY)


def test_the_same_seed_gives_the_same_register(make_organisation: Any, make_ward: Any) -> None:
    one = build(make_organisation, make_ward, 7, "ZZ1")
    two = build(make_organisation, make_ward, 7, "ZZ2")

    def register(org: Organisation) -> list[tuple[Any, ...]]:
        return list(StaffMember.objects.filter(organisation=org).order_by("staff_number")
                    .values_list("staff_number", "name", "employment", "start_date"))

    assert register(one) == register(two)
    assert TrainingRecord.objects.filter(organisation=one).count() == \
        TrainingRecord.objects.filter(organisation=two).count()


def test_the_step_leaves_the_demos_generator_as_it_found_it(make_organisation: Any,
                                                             make_ward: Any) -> None:
    rng = random.Random(5)
    before = rng.getstate()
    organisation = make_organisation(ods_code="ZZ3")
    ward = make_ward(code="OAK", organisation=organisation)
    ctx = DemoContext(rng=rng, organisation=organisation, wards={"OAK": ward}, today=TODAY,
                      start=TODAY - dt.timedelta(days=730), actor=Actor(user=None, via="cli"))
    with time_machine.travel(dt.datetime(2026, 12, 7, 9, 0, tzinfo=LONDON), tick=False):
        seed_workforce(ctx)
    assert rng.getstate() == before
