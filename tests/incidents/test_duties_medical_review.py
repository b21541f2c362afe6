"""Standard 2.5.2.XI: anyone physically restrained is medically assessed within one hour of
the restraint starting, or the reason for the delay is recorded. The duty, and the figure of
restraints reviewed within the hour, come from the stored medical review duties."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from incidents.conftest import NOW, SECOND, at
from rrp.incidents import services
from rrp.incidents.inputs import InterventionInput
from rrp.incidents.models import Duty
from rrp.incidents.selectors import medical_review_figure


def _review(actor: Any, incident: Any, minutes_after: float, delay: str = "") -> None:
    services.medical_review_record(
        actor=actor, incident=incident, reviewed_at=at(minutes_after), reviewer="Dr Rao",
        findings="No injury; observations normal", delay_reason=delay, now=NOW,
    )


def test_due_an_hour_after_the_first_physical_restraint_started(record: Any) -> None:
    incident = record(interventions=[
        InterventionInput("05", at(0), at(10)),  # seclusion first: not physical restraint
        InterventionInput("01", at(2), at(4), prone_reason="Could not be held standing"),
        InterventionInput("09", at(4), at(10)),
    ])
    [duty] = Duty.objects.filter(incident=incident, kind="medical_review")
    assert duty.due_at == at(62)
    assert duty.intervention.type_code == "01"


def test_a_late_review_needs_the_reason_for_the_delay(record: Any, doctor_actor: Any) -> None:
    incident = record()
    with pytest.raises(ValidationError) as refused:
        _review(doctor_actor, incident, 61)
    assert list(refused.value.message_dict) == ["delay_reason"]
    assert not incident.medical_reviews.exists()
    _review(doctor_actor, incident, 61, delay="Doctor delayed at another emergency")
    assert incident.medical_reviews.get().delay_reason == "Doctor delayed at another emergency"


def test_the_figure_counts_reviews_within_the_hour(
    record: Any, nurse_actor: Any, doctor_actor: Any, organisation: Any
) -> None:
    on_the_hour = record()
    _review(doctor_actor, on_the_hour, 60)
    a_second_late = record()
    services.medical_review_record(
        actor=doctor_actor, incident=a_second_late, reviewed_at=at(60) + SECOND,
        reviewer="Dr Rao", findings="Well", delay_reason="Busy night", now=NOW,
    )
    record()  # not reviewed yet
    not_needed = record()
    services.duty_mark_not_required(
        actor=doctor_actor, duty=Duty.objects.get(incident=not_needed, kind="medical_review"),
        reason="Transferred to the general hospital by ambulance at once",
    )
    erroneous = record()
    services.incident_mark_entered_in_error(actor=nurse_actor, incident=erroneous,
                                            reason="Duplicate")
    record(interventions=[InterventionInput("05", at(0), at(10))])  # seclusion only: no duty

    figure = medical_review_figure(organisation)

    assert (figure.restraints, figure.within_the_hour, figure.late_with_reason,
            figure.not_done, figure.not_required) == (4, 1, 1, 1, 1)
    assert figure.within_the_hour_percent == pytest.approx(100 / 3)
    assert medical_review_figure(organisation, ward="ASH").restraints == 0
