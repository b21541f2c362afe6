"""Live compliance indicators for 2.2.V, 2.3.I, 2.3.XXI and 2.5.1.I, registered with the
standards registry and computed from what RRP holds."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from rrp.careplans import indicators, services
from rrp.careplans.inputs import HealthCheckInput
from rrp.standards.indicators import IndicatorPeriod, indicators_for

from .conftest import ADMITTED, LONDON, NOW, assessment_input, plan_input

# From 1 March to just after the records the tests make at NOW (the end is exclusive).
MARCH = IndicatorPeriod(
    start=dt.datetime(2026, 3, 1, tzinfo=LONDON), end=NOW + dt.timedelta(minutes=1)
)


def test_each_indicator_is_registered_for_its_statement() -> None:
    keys = {s: [i.key for i in indicators_for(s)] for s in ("2.2.V", "2.3.I", "2.3.XXI", "2.5.1.I")}
    assert "risk-assessments-in-date" in keys["2.2.V"]
    assert keys["2.3.I"] == ["safety-plans-co-produced"]
    assert keys["2.3.XXI"] == ["safety-plan-review-dates"]
    assert keys["2.5.1.I"] == ["examination-within-24-hours"]


def test_review_dates_count_everyone_on_the_wards_at_the_end_of_the_period(
    clock: Any, jo: Any, oak: Any, make_patient: Any, make_admission: Any, nurse_actor: Any
) -> None:
    no_plan = make_patient(local_id="P2")
    make_admission(no_plan, oak, admitted_on=ADMITTED)
    lapsed = make_patient(local_id="P3")
    make_admission(lapsed, oak, admitted_on=ADMITTED)
    services.safety_plan_version_create(actor=nurse_actor, patient=jo, data=plan_input())
    services.safety_plan_version_create(
        actor=nurse_actor, patient=lapsed, data=plan_input(review_on=dt.date(2026, 3, 10))
    )
    result = indicators.safety_plan_review_dates(jo.organisation, MARCH)
    assert (result.numerator, result.denominator) == (2, 3)
    clock.move_to(NOW + dt.timedelta(days=2))
    later = dataclasses.replace(MARCH, end=NOW + dt.timedelta(days=2, minutes=1))
    result = indicators.safety_plan_review_dates(jo.organisation, later)
    assert (result.numerator, result.denominator) == (1, 3)
    assert result.text == (
        "1 of 3 people on the wards on 12 March 2026 had a safety plan with a "
        "review date still to come; 1 past the review date; 1 with no plan"
    )
    elsewhere = dataclasses.replace(MARCH, wards=frozenset({oak.pk + 100}))
    assert indicators.safety_plan_review_dates(jo.organisation, elsewhere).value is None


def test_co_production_counts_versions_signed_in_the_period(
    clock: Any, jo: Any, nurse_actor: Any
) -> None:
    assert indicators.safety_plans_co_produced(jo.organisation, MARCH).value is None
    services.safety_plan_version_create(actor=nurse_actor, patient=jo, data=plan_input())
    services.safety_plan_version_create(
        actor=nurse_actor,
        patient=jo,
        data=plan_input(
            person_took_part="declined", persons_words="", carer_took_part="no", changes="Reviewed"
        ),
    )
    result = indicators.safety_plans_co_produced(jo.organisation, MARCH)
    assert (result.numerator, result.denominator, result.value) == (1, 2, 50.0)
    assert result.text == (
        "1 of 2 safety plan versions signed in the period were written with "
        "the person; 1 where they chose not to take part; a family member or "
        "carer took part in 1"
    )


def test_risk_assessments_in_date(clock: Any, jo: Any, nurse_actor: Any) -> None:
    result = indicators.risk_assessments_in_date(jo.organisation, MARCH)
    assert (result.numerator, result.denominator) == (0, 1)
    services.risk_assessment_create(actor=nurse_actor, patient=jo, data=assessment_input())
    result = indicators.risk_assessments_in_date(jo.organisation, MARCH)
    assert (result.numerator, result.denominator, result.value) == (1, 1, 100.0)


def test_examinations_within_24_hours_of_admission(
    clock: Any, jo: Any, oak: Any, make_patient: Any, make_admission: Any, nurse_actor: Any
) -> None:
    def examine(patient: Any, day: dt.date) -> None:
        services.health_check_record(
            actor=nurse_actor,
            patient=patient,
            data=HealthCheckInput(
                kind="examination",
                done_on=day,
                outcome="examined",
                done_by_name="Dr Shah",
                notes="Normal",
            ),
        )

    late = make_patient(local_id="P2")
    make_admission(late, oak, admitted_on=dt.date(2026, 3, 4))
    never = make_patient(local_id="P3")
    make_admission(never, oak, admitted_on=dt.date(2026, 3, 5))
    still_in_time = make_patient(local_id="P4")
    make_admission(still_in_time, oak, admitted_on=dt.date(2026, 3, 9))  # due by end of 10th
    before = make_patient(local_id="P5")
    make_admission(before, oak, admitted_on=dt.date(2026, 2, 20))  # outside the period
    examine(jo, dt.date(2026, 3, 3))
    examine(late, dt.date(2026, 3, 7))
    result = indicators.examinations_within_24_hours(jo.organisation, MARCH)
    assert (result.numerator, result.denominator) == (1, 3)
    assert result.text == (
        "1 of 3 admissions in the period had a physical examination within "
        "24 hours; 1 later; 1 with none recorded"
    )
