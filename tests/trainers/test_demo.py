"""The demo's trainers: three internal trainers from the register (the demo's trainer account
among them) and one from the external provider, with portfolios, yearly reviews and
monitoring; one review overdue, the trainer account's due soon, the provider's insurance
lapsing. The same seed gives the same trainers, and the demo's generator is left as it was."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import time_machine

from rrp.audit.services import Actor
from rrp.demo import generator
from rrp.demo.generator import DemoContext
from rrp.organisations.models import Organisation
from rrp.organisations.services import user_add
from rrp.trainers import selectors
from rrp.trainers.demo import seed_trainers
from rrp.trainers.models import PortfolioEntry, PortfolioReview, Trainer
from rrp.workforce import services as workforce_services
from rrp.workforce.inputs import StaffInput

from .conftest import LONDON

TODAY = dt.date(2026, 12, 7)


def build(make_organisation: Any, make_ward: Any, seed: int, ods: str,
          rng: random.Random | None = None) -> Organisation:
    organisation = make_organisation(ods_code=ods)
    ward = make_ward(code="OAK", name="Oak Ward", organisation=organisation)
    actor = Actor(user=None, via="cli")
    user_add(actor=actor, username=f"trainer{ods}", organisation=organisation, role="trainer",
             full_name="Sam Patel")
    user_add(actor=actor, username=f"lead{ods}", organisation=organisation, role="rrp_lead",
             full_name="Grace Mensah")
    # A small register: senior nurses of years' standing, and others who do not teach.
    for number, (name, title, qualified) in enumerate([
        ("Ama Boateng", "Charge nurse", True), ("Rhys Evans", "Deputy ward manager", True),
        ("Li Wei", "Charge nurse", True), ("Tom Hale", "Healthcare assistant", False),
        ("Nia Jones", "Staff nurse", True),
    ], start=1):
        workforce_services.staff_member_create(
            actor=actor, organisation=organisation,
            data=StaffInput(staff_number=f"3080000{number}", name=name, job_title=title,
                            qualified=qualified, employment="permanent", wards=[ward.code],
                            start_date=dt.date(2015, 4, 1)),
        )
    ctx = DemoContext(rng=rng or random.Random(seed), organisation=organisation,
                      wards={"OAK": ward}, today=TODAY,
                      start=TODAY - dt.timedelta(days=730), actor=actor)
    with time_machine.travel(dt.datetime(2026, 12, 7, 9, 0, tzinfo=LONDON), tick=False):
        seed_trainers(ctx)
    return organisation


def test_the_demo_trainers(make_organisation: Any, make_ward: Any) -> None:
    demo = build(make_organisation, make_ward, 2026, "ZZ9")
    trainers = list(Trainer.objects.filter(organisation=demo).select_related("staff", "provider"))
    internal = [t for t in trainers if t.is_internal]
    assert len(internal) == 3 and len(trainers) == 4
    sam = next(t for t in internal if t.staff is not None and t.staff.user is not None)
    assert sam.name == "Sam Patel" and sam.staff is not None
    assert sam.staff.staff_number == "30800006"  # the first number free on the register
    assert sam.staff.user is not None and sam.staff.user.username == "trainerZZ9"
    others = {t.name for t in internal} - {"Sam Patel"}
    assert others <= {"Ama Boateng", "Rhys Evans", "Li Wei"}  # senior nurses, not the HCA

    found = {s.trainer.name: s for s in selectors.standings(demo, TODAY)}
    assert len(found) == 4
    statuses = sorted(s.review.status for s in found.values())
    assert statuses.count("overdue") == 1
    assert found["Sam Patel"].review.status == "due_soon"
    overdue = next(s for s in found.values() if s.review.status == "overdue")
    assert overdue.trainer.is_internal
    assert "No annual update in the last 12 months" in overdue.gaps
    for standing in found.values():
        assert standing.credible and standing.teaching_qualified and standing.code_of_conduct
        assert standing.monitoring in ("in_date", "due_soon")
    assert len(selectors.reviews_needed(demo, TODAY)) == 2
    [lapsing] = selectors.providers_lapsing(demo, TODAY)
    assert lapsing.what == "Indemnity insurance"

    reviews = PortfolioReview.objects.filter(organisation=demo)
    assert reviews.filter(outcome="actions_agreed").exists()
    assert reviews.count() >= 6  # about two years of yearly reviews
    assert PortfolioEntry.objects.filter(organisation=demo,
                                         entered_in_error_at__isnull=False).count() == 1
    kinds = set(PortfolioEntry.objects.filter(organisation=demo).values_list("kind", flat=True))
    assert kinds == {"qualification", "clinical_experience", "teaching_qualification", "cpd",
                     "annual_update", "lived_experience"}
    summary = selectors.year_summary(demo, 2026, TODAY)
    assert len(summary.rows) == 4 and summary.count("gaps") >= 1


def test_the_same_seed_gives_the_same_trainers(make_organisation: Any,
                                                make_ward: Any) -> None:
    def picture(org: Organisation) -> list[Any]:
        return [
            (t.name, t.teaching_since,
             list(t.entries.order_by("dated_on", "kind").values_list("kind", "dated_on",
                                                                      "title")),
             list(t.reviews.order_by("reviewed_on").values_list("reviewed_on", "outcome")),
             list(t.checks.order_by("observed_on").values_list("observed_on", flat=True)))
            for t in Trainer.objects.filter(organisation=org).order_by("pk")
        ]

    one = picture(build(make_organisation, make_ward, 7, "ZZ1"))
    two = picture(build(make_organisation, make_ward, 7, "ZZ2"))
    assert one == two


def test_the_step_leaves_the_demos_generator_as_it_found_it(make_organisation: Any,
                                                             make_ward: Any) -> None:
    rng = random.Random(5)
    before = rng.getstate()
    build(make_organisation, make_ward, 5, "ZZ3", rng=rng)
    assert rng.getstate() == before


def test_the_step_runs_after_the_staff_register() -> None:
    steps = list(generator.DEMO_STEPS)
    assert steps.index("rrp.trainers.demo.seed_trainers") == \
        steps.index("rrp.workforce.demo.seed_workforce") + 1
