"""The demo has a training needs analysis signed off by the lead, in force, its review due in
three weeks, and a draft of the next version started from it - dated back from the demo's
today, never on a fixed date."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import time_machine

from rrp.audit.services import Actor
from rrp.demo.generator import WARDS, DemoContext
from rrp.organisations.services import user_add
from rrp.workforce import selectors, tna_selectors
from rrp.workforce.demo import seed_workforce
from rrp.workforce.models import TnaState, TrainingNeedsAnalysis

from .conftest import LONDON


def test_the_demo_has_a_signed_tna_in_force_and_a_draft(make_organisation: Any,
                                                          make_ward: Any) -> None:
    today = dt.date(2027, 5, 19)  # any day: everything is dated back from it
    organisation = make_organisation(ods_code="DTNA")
    wards = {
        plan.code: make_ward(code=plan.code, name=plan.name, beds=plan.beds,
                             service_type=plan.service_type, organisation=organisation)
        for plan in WARDS
    }
    actor = Actor(user=None, via="cli")
    user_add(actor=actor, username="trainer_dtna", organisation=organisation, role="trainer")
    lead = user_add(actor=actor, username="lead_dtna", organisation=organisation,
                    role="rrp_lead", full_name="Lee Lead")
    ctx = DemoContext(rng=random.Random(3), organisation=organisation, wards=wards,
                      today=today, start=today - dt.timedelta(days=730), actor=actor)
    with time_machine.travel(dt.datetime(2027, 5, 19, 9, 0, tzinfo=LONDON), tick=False):
        seed_workforce(ctx)
        analyses = TrainingNeedsAnalysis.objects.filter(organisation=organisation)
        signed = analyses.get(state=TnaState.IN_FORCE)
        draft = analyses.get(state=TnaState.DRAFT)
        assert signed.signed_off_by == lead
        assert signed.signed_off_at is not None
        assert signed.signed_off_at.date() == today - dt.timedelta(days=344)
        assert signed.agreed_on is not None and signed.agreed_on < signed.signed_off_at.date()
        assert tna_selectors.reviews_due(organisation, today) == [signed]
        assert signed.incident_profile["to"] == (today - dt.timedelta(days=344)).isoformat()
        assert draft.version == 2
        codes = sorted(r.course.code for r in tna_selectors.requirements_of(draft))
        assert codes == sorted(r.course.code for r in tna_selectors.requirements_of(signed))
        # The analysis decides: volunteers are not taught physical skills (3.4.1).
        figures = selectors.compliance(organisation, today)
        physical = next(r for r in figures.rows if r.course.code == "RRN-PHYS")
        volunteers = [p for p, _s in physical.people if p.employment == "volunteer"]
        assert volunteers == []
        specialist = next(r for r in figures.rows if r.course.code == "RRN-SPEC")
        assert specialist.total.required > 0
