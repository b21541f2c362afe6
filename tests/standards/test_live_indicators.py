"""Live indicators: figures computed from RRP's own records, beside the statement they measure.

Uses of force are recorded through the incident services, with the duties that follow them
met (or not) as a ward would; each figure is checked against counts worked out by hand.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from rrp.audit.services import Actor
from rrp.incidents import services as incident_services
from rrp.incidents.models import Duty
from rrp.standards import services
from rrp.standards.indicators import (
    _REGISTRY,
    IndicatorPeriod,
    IndicatorResult,
    compute_for,
    register,
)

from .conftest import rate_everything

LONDON = ZoneInfo("Europe/London")
PERIOD = IndicatorPeriod(
    start=dt.datetime(2026, 4, 1, tzinfo=LONDON), end=dt.datetime(2026, 10, 5, 14, tzinfo=LONDON)
)


def at(day: int, month: int = 6, hour: int = 12, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=LONDON)


def figure(
    ref: str, organisation: Any, key: str | None = None, period: IndicatorPeriod = PERIOD
) -> IndicatorResult:
    found = [c for c in compute_for(ref, organisation, period) if key is None or c.key == key]
    assert len(found) >= 1, ref
    result = found[0].result
    assert result is not None
    return result


@pytest.fixture
def doctor_actor(make_user: Any) -> Actor:
    return Actor(user=make_user("doctor", full_name="Priya Shah"), via="web")


@pytest.fixture
def nurse_actor(make_user: Any) -> Actor:
    """Observations and support are the ward team's duties (docs/adr/0007)."""
    return Actor(user=make_user("ward_staff", full_name="Sam Okafor"), via="web")


@pytest.fixture
def restraints(
    record_restraint: Any, make_patient: Any, doctor_actor: Actor, nurse_actor: Actor,
    make_ward: Any, lead_actor: Actor,
) -> dict[str, Any]:
    """Four physical restraints on OAK in June 2026, and one on ASH:
    A reviewed by a doctor in 40 minutes, observed, supported, care plan reviewed;
    B reviewed after 90 minutes with the reason, observations refused (reason recorded),
    support not held (reason recorded), the person's demographics complete;
    C nothing done after it; D left as a draft; on ASH, one reviewed on time.
    Also one before the period and one entered in error, which never count."""
    complete = make_patient(
        local_id="P2002",
        sex="female",
        gender_same_as_birth="yes",
        sexual_orientation="heterosexual",
        religion="none",
        ethnic_category="A",
        disability="no",
        pregnancy="neither",
        mental_disorder="F20-F29",
        learning_disability_autism="neither",
        legal_status="03",
    )
    a = record_restraint(at(1))
    b = record_restraint(at(2), patient=complete)
    c = record_restraint(at(3))
    d = record_restraint(at(4), submit=False)
    record_restraint(at(1, month=3))  # before the period
    wrong = record_restraint(at(5))
    incident_services.incident_mark_entered_in_error(
        actor=lead_actor, incident=wrong, reason="Duplicate"
    )
    ash = record_restraint(at(6), ward=make_ward(code="ASH", service_type="picu"))

    late = dt.timedelta(days=60)  # every record below is entered well after the event
    incident_services.medical_review_record(
        actor=doctor_actor,
        incident=a,
        reviewed_at=at(1, minute=40),
        reviewer="Dr Shah",
        findings="No injury",
        now=at(1) + late,
    )
    incident_services.medical_review_record(
        actor=doctor_actor,
        incident=b,
        reviewed_at=at(2, hour=13, minute=30),
        reviewer="Dr Shah",
        findings="Bruised wrist",
        delay_reason="On-call doctor was in the emergency department",
        now=at(2) + late,
    )
    incident_services.medical_review_record(
        actor=doctor_actor,
        incident=ash,
        reviewed_at=at(6, minute=30),
        reviewer="Dr Shah",
        findings="No injury",
        now=at(6) + late,
    )
    incident_services.observation_record(
        actor=nurse_actor,
        incident=a,
        taken_at=at(1, minute=30),
        pulse=88,
        bp_systolic=130,
        bp_diastolic=80,
        respiratory_rate=16,
        now=at(1) + late,
    )
    incident_services.observation_record(
        actor=nurse_actor,
        incident=b,
        taken_at=at(2, minute=40),
        not_taken_reason="Declined: too distressed",
        action_instead="Observed breathing from the door",
        now=at(2) + late,
    )
    incident_services.support_record(
        actor=nurse_actor,
        incident=a,
        support_for="patient",
        held=True,
        held_at=at(1, hour=16),
        now=at(1) + late,
    )
    incident_services.support_record(
        actor=nurse_actor,
        incident=b,
        support_for="patient",
        held=False,
        held_at=at(2, hour=16),
        not_held_reason="01",
        now=at(2) + late,
    )
    Duty.objects.filter(incident=a, kind="care_plan_review").update(completed_at=at(1, hour=17))
    incident_services.incident_review(actor=lead_actor, incident=a, notes="Checked")
    return {"a": a, "b": b, "c": c, "d": d, "ash": ash}


def test_uses_of_force_formally_reported(restraints: Any, organisation: Any) -> None:
    # standard 1.5.I: A, B, C and the ASH restraint are submitted; D is still a draft.
    result = figure("1.5.I", organisation)
    assert (result.numerator, result.denominator, result.percent) == (4, 5, 80)
    assert (
        result.text
        == "4 of 5 uses of force recorded in the period submitted; 1 record still in draft"
    )


def test_reported_uses_of_force_reviewed(restraints: Any, organisation: Any) -> None:
    # standard 1.5.II: one of the four submitted records has been reviewed by a manager.
    result = figure("1.5.II", organisation)
    assert (result.numerator, result.denominator, result.percent) == (1, 4, 25)


def test_records_with_demographics_complete(restraints: Any, organisation: Any) -> None:
    # standard 1.5.III: only B's person had every characteristic answered.
    result = figure("1.5.III", organisation)
    assert (result.numerator, result.denominator, result.percent) == (1, 4, 25)


def test_medical_review_within_an_hour_or_a_reason_recorded(
    restraints: Any, organisation: Any
) -> None:
    # standard 2.5.2.XI: A and ASH within the hour, B late with a reason, C neither.
    result = figure("2.5.2.XI", organisation)
    assert (result.numerator, result.denominator, result.percent) == (3, 4, 75)
    assert result.text == (
        "3 of 4 restraints: 2 reviewed within the hour, 1 later with the reason recorded; "
        "1 with neither"
    )


def test_section_2_figures_follow_the_wards_in_scope(
    restraints: Any, organisation: Any, ward: Any
) -> None:
    oak_only = IndicatorPeriod(start=PERIOD.start, end=PERIOD.end, wards=frozenset({ward.pk}))
    result = figure("2.5.2.XI", organisation, period=oak_only)
    assert (result.numerator, result.denominator) == (2, 3)


def test_observations_done_or_the_reason_recorded(restraints: Any, organisation: Any) -> None:
    # standard 2.5.2.XIV: A observed, B's reason recorded, C and ASH nothing.
    result = figure("2.5.2.XIV", organisation)
    assert (result.numerator, result.denominator, result.percent) == (2, 4, 50)


def test_post_incident_support_offered(restraints: Any, organisation: Any) -> None:
    # standard 1.6.III: support held for A, and for B not held with the reason recorded.
    result = figure("1.6.III", organisation, key="support-offered-patient")
    assert (result.numerator, result.denominator, result.percent) == (2, 4, 50)
    staff = figure("1.6.III", organisation, key="support-offered-staff")
    assert (staff.numerator, staff.denominator) == (0, 4)
    reflection = figure("1.6.III", organisation, key="reflection-review-held")
    assert (reflection.numerator, reflection.denominator) == (0, 4)


def test_care_plans_reviewed_after_a_use_of_force(restraints: Any, organisation: Any) -> None:
    # standard 2.2.V, 2.3.XVIII: A's care plan was reviewed; the others not yet.
    for ref in ("2.2.V", "2.3.XVIII"):
        result = figure(ref, organisation, key="care-plans-reviewed")
        assert (result.numerator, result.denominator) == (1, 4)


def test_mechanical_restraint_reviews_on_time(
    record_restraint: Any, organisation: Any, doctor_actor: Actor
) -> None:
    # standard 2.5.2.XII: six hours of mechanical restraint from 10:00 need reviews by 11:00
    # and by 15:00; the first was on time, the second half an hour late.
    episode = record_restraint(at(1, month=7, hour=10), minutes=360, type_code="04")
    for reviewed_at, late_reason in ((at(1, 7, 10, 50), ""), (at(1, 7, 15, 30), "Doctor delayed")):
        incident_services.review_record(
            actor=doctor_actor,
            incident=episode,
            kind="mechanical_restraint_review",
            reviewed_at=reviewed_at,
            reviewer="Dr Shah",
            notes="Comfortable, reviewed",
            late_reason=late_reason,
            now=at(1, 7, 18),
        )
    result = figure("2.5.2.XII", organisation)
    assert (result.numerator, result.denominator, result.percent) == (1, 2, 50)
    assert result.text == "1 of 2 reviews due were done on time; 1 late"


def test_nothing_to_measure_says_so(organisation: Any) -> None:
    result = figure("2.5.2.XI", organisation)
    assert (result.value, result.denominator) == (None, 0)
    assert result.text == "No restraint in the period needed a medical review"


def test_the_statement_page_shows_the_figure_computed_now(
    restraints: Any, cycle: Any, lead: Any, client_for: Any, organisation: Any, settings: Any
) -> None:
    import time_machine

    with time_machine.travel(dt.datetime(2026, 10, 5, 14, tzinfo=LONDON), tick=False):
        page = client_for(lead, organisation).get(
            f"/compliance/cycles/{cycle.pk}/statements/2.5.2.XI/"
        )
    text = page.content.decode()
    assert "Restraints with a medical review within one hour or a reason recorded" in text
    assert "75%" in text
    assert "3 of 4 restraints" in text


def test_a_signed_off_cycle_keeps_the_figures_it_was_signed_off_with(
    restraints: Any,
    cycle: Any,
    lead_actor: Actor,
    lead: Any,
    client_for: Any,
    organisation: Any,
    record_restraint: Any,
) -> None:
    import time_machine

    rate_everything(cycle)
    with time_machine.travel(dt.datetime(2026, 10, 5, 14, tzinfo=LONDON), tick=False):
        services.cycle_submit_for_review(actor=lead_actor, cycle=cycle)
        services.cycle_sign_off(actor=lead_actor, cycle=cycle, statement="Assured")
    record_restraint(at(10, month=7))  # after sign-off, a late-entered record for the period
    page = client_for(lead, organisation).get(f"/compliance/cycles/{cycle.pk}/statements/2.5.2.XI/")
    text = page.content.decode()
    assert "3 of 4 restraints" in text
    assert "as it stood when the cycle was signed off" in text


def test_any_app_can_add_an_indicator_without_touching_the_assessment_code(
    cycle: Any, lead: Any, client_for: Any, organisation: Any
) -> None:
    @register(
        "1.3.I",
        key="test-training-compliance",
        title="Staff trained in the last year",
        source="Training records",
    )
    def trained(organisation: Any, period: IndicatorPeriod) -> IndicatorResult:
        return IndicatorResult(92.0, 92, 100, "92 of 100 staff trained in the last 12 months")

    @register("1.3.I", key="test-broken", title="A broken indicator", source="Nowhere")
    def broken(organisation: Any, period: IndicatorPeriod) -> IndicatorResult:
        raise RuntimeError("the training app is down")

    try:
        page = client_for(lead, organisation).get(
            f"/compliance/cycles/{cycle.pk}/statements/1.3.I/"
        )
        assert page.status_code == 200
        text = page.content.decode()
        assert "Staff trained in the last year" in text
        assert "92 of 100 staff trained in the last 12 months" in text
        assert "This figure could not be calculated just now." in text
    finally:
        _REGISTRY.pop("test-training-compliance", None)
        _REGISTRY.pop("test-broken", None)


def test_the_same_key_cannot_be_registered_twice() -> None:
    with pytest.raises(ValueError, match="already registered"):
        register("1.5.I", key="incidents-reported", title="Again", source="x")(
            lambda o, p: IndicatorResult(None, 0, 0, "")
        )
