"""The demo step writes plans for most people on the wards, through the services, dated before
the demo's present, with examinations on admission."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from rrp.careplans.demo import seed_care_plans
from rrp.careplans.models import HealthCheck, SafetyPlanVersion
from rrp.careplans.selectors import plan_counts, plan_rows
from rrp.demo.generator import DemoContext
from rrp.organisations.services import user_add

from .conftest import LONDON, TODAY


def test_most_people_on_the_ward_get_a_plan_signed_by_a_ward_nurse(
    clock: Any,
    organisation: Any,
    oak: Any,
    make_patient: Any,
    make_admission: Any,
    system_actor: Any,
) -> None:
    nurse = user_add(
        actor=system_actor,
        username="demo_nurse",
        organisation=organisation,
        role="ward_staff",
        full_name="Ada Okafor",
        job_title="Staff nurse, band 5",
        home_ward=oak,
    )
    user_add(
        actor=system_actor,
        username="demo_doctor",
        organisation=organisation,
        role="doctor",
        full_name="Priya Shah",
        job_title="Specialty doctor",
    )
    for number in range(12):
        person = make_patient(local_id=f"D{number:03d}")
        make_admission(person, oak, admitted_on=TODAY - dt.timedelta(days=5 + 9 * number))
    ctx = DemoContext(
        rng=random.Random(7),
        organisation=organisation,
        wards={"OAK": oak},
        today=TODAY,
        start=TODAY - dt.timedelta(days=730),
        actor=system_actor,
    )

    seed_care_plans(ctx)

    counts = plan_counts(plan_rows(organisation, TODAY))
    assert counts.missing <= 4
    assert counts.in_date + counts.due_soon + counts.overdue >= 8
    versions = SafetyPlanVersion.objects.filter(organisation=organisation)
    present = dt.datetime.combine(TODAY, dt.time(0), tzinfo=LONDON)
    assert all(v.signed_by == nurse and v.signed_at < present for v in versions)
    assert all(v.review_on - v.agreed_on <= dt.timedelta(days=366) for v in versions)
    assert HealthCheck.objects.filter(organisation=organisation, kind="examination").count() >= 10
