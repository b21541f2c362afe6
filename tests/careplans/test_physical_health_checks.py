"""Physical health preparedness (standard 2.5.1): the examination within 24 hours of
admission, the capacity assessment for 'as needed' medication, and medication reviews (STOMP
for people with a learning disability or autism), each with its date and a due/overdue state."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from rrp.careplans import selectors, services
from rrp.careplans.inputs import HealthCheckInput

from .conftest import ADMITTED, NOW


def examination(
    done_on: dt.date, outcome: str = "examined", notes: str = "BP 124/80, chest clear"
) -> HealthCheckInput:
    return HealthCheckInput(
        kind="examination",
        done_on=done_on,
        outcome=outcome,
        done_by_name="Dr Priya Shah",
        notes=notes,
    )


def test_an_examination_the_day_after_admission_is_within_24_hours(
    clock: Any, jo: Any, nurse_actor: Any
) -> None:
    services.health_check_record(
        actor=nurse_actor, patient=jo, data=examination(dt.date(2026, 3, 3))
    )
    health = selectors.health_status(jo, NOW.date())
    assert health.examination_state == "done"
    assert health.examination_due_on == dt.date(2026, 3, 3)
    assert health.examination.admission == health.admission


def test_an_examination_two_days_after_admission_is_late(
    clock: Any, jo: Any, nurse_actor: Any
) -> None:
    services.health_check_record(
        actor=nurse_actor, patient=jo, data=examination(dt.date(2026, 3, 4))
    )
    assert selectors.health_status(jo, NOW.date()).examination_state == "done_late"


def test_no_examination_is_due_then_overdue_as_the_clock_moves(
    clock: Any, patient: Any, oak: Any, make_admission: Any
) -> None:
    make_admission(patient, oak, admitted_on=dt.date(2026, 3, 9))
    assert selectors.health_status(patient, dt.date(2026, 3, 10)).examination_state == "due"
    clock.move_to(NOW + dt.timedelta(days=1))
    assert selectors.health_status(patient, dt.date(2026, 3, 11)).examination_state == "overdue"
    rows = selectors.examinations_outstanding(patient.organisation, dt.date(2026, 3, 11))
    assert [(r.admission.patient, r.state) for r in rows] == [(patient, "overdue")]


def test_a_declined_examination_needs_the_reason_and_is_offered_again(
    clock: Any, jo: Any, nurse_actor: Any
) -> None:
    with pytest.raises(ValidationError) as raised:
        services.health_check_record(
            actor=nurse_actor, patient=jo, data=examination(ADMITTED, "declined", notes="")
        )
    assert raised.value.message_dict == {
        "notes": ["Say why the examination did not happen and when it will be offered again"]
    }
    services.health_check_record(
        actor=nurse_actor,
        patient=jo,
        data=examination(ADMITTED, "declined", notes="Too distressed; offer again tomorrow"),
    )
    assert selectors.health_status(jo, NOW.date()).examination_state == "declined"
    assert [r.state for r in selectors.examinations_outstanding(jo.organisation, NOW.date())] == [
        "declined"
    ]


def test_an_examination_needs_a_ward_stay(clock: Any, patient: Any, nurse_actor: Any) -> None:
    with pytest.raises(ValidationError) as raised:
        services.health_check_record(
            actor=nurse_actor, patient=patient, data=examination(NOW.date())
        )
    assert "needs a ward stay" in raised.value.message_dict["done_on"][0]


def test_medication_is_due_for_review_a_week_after_admission_then_on_the_date_set(
    clock: Any, jo: Any, nurse_actor: Any
) -> None:
    health = selectors.health_status(jo, NOW.date())
    assert (health.medication_due_on, health.medication_state) == (dt.date(2026, 3, 9), "overdue")
    with pytest.raises(ValidationError) as raised:
        services.health_check_record(
            actor=nurse_actor,
            patient=jo,
            data=HealthCheckInput(
                kind="medication_review",
                done_on=NOW.date(),
                outcome="reduced",
                done_by_name="Dr Shah",
            ),
        )
    assert raised.value.message_dict == {
        "next_due_on": ["Enter the date of the next medication review"]
    }
    services.health_check_record(
        actor=nurse_actor,
        patient=jo,
        data=HealthCheckInput(
            kind="medication_review",
            done_on=NOW.date(),
            outcome="reduced",
            done_by_name="Dr Shah",
            next_due_on=dt.date(2026, 3, 17),
        ),
    )
    health = selectors.health_status(jo, NOW.date())
    assert (health.medication_due_on, health.medication_state) == (dt.date(2026, 3, 17), "due_soon")
    assert not health.stomp_missing  # Jo has no learning disability or autism recorded


def test_a_person_with_a_learning_disability_needs_a_stomp_review(
    clock: Any, jo: Any, nurse_actor: Any, system_actor: Any
) -> None:
    from rrp.patients.services import patient_update

    patient_update(actor=system_actor, patient=jo, learning_disability_autism="learning_disability")
    review = HealthCheckInput(
        kind="medication_review",
        done_on=NOW.date(),
        outcome="no_change",
        done_by_name="Dr Shah",
        next_due_on=dt.date(2026, 3, 17),
    )
    services.health_check_record(actor=nurse_actor, patient=jo, data=review)
    assert selectors.health_status(jo, NOW.date()).stomp_missing
    review.stomp = True
    services.health_check_record(actor=nurse_actor, patient=jo, data=review)
    assert not selectors.health_status(jo, NOW.date()).stomp_missing


def test_the_capacity_assessment_for_as_needed_medication_has_its_own_state(
    clock: Any, jo: Any, nurse_actor: Any
) -> None:
    assert selectors.health_status(jo, NOW.date()).capacity_state == "missing"
    services.health_check_record(
        actor=nurse_actor,
        patient=jo,
        data=HealthCheckInput(
            kind="capacity_prn",
            done_on=dt.date(2026, 3, 3),
            outcome="fluctuating",
            done_by_name="Dr Shah",
            next_due_on=dt.date(2026, 3, 9),
        ),
    )
    health = selectors.health_status(jo, NOW.date())
    assert health.capacity_state == "overdue"
    assert health.capacity.outcome_label == "Capacity fluctuates: assess at each offer"
