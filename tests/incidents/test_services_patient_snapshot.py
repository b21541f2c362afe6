"""The patient's characteristics are kept as they stood at the time of the use of force
(Use of Force Act s.6(5)(j)-(l)); later changes to the patient record do not alter them."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from incidents.conftest import at, restraint_input
from rrp.incidents import services
from rrp.patients.services import patient_update


def test_later_changes_to_the_patient_do_not_alter_the_record(
    make_patient: Any, organisation: Any, ward: Any, nurse_actor: Any, manager_actor: Any,
    system_actor: Any, clock: Any,
) -> None:
    from incidents.conftest import restraint_input

    patient = make_patient(local_id="P3003", date_of_birth=dt.date(1990, 10, 5), sex="female",
                           ethnic_category="N", religion="christian", legal_status="03")
    incident = services.incident_create(actor=nurse_actor, organisation=organisation,
                                        data=restraint_input(ward, patient))
    snapshot = dict(incident.patient_snapshot)
    assert (snapshot["age"], snapshot["sex"], snapshot["ethnic_category"]) == (36, "female", "N")

    patient_update(actor=system_actor, patient=patient, religion="none", legal_status="01",
                   ethnic_category="Z")
    services.incident_update(
        actor=manager_actor, incident=incident,
        data=dataclasses.replace(services.input_from_incident(incident), outcome="Slept"),
        change_reason="Outcome completed",
    )
    incident.refresh_from_db()
    assert incident.patient_snapshot == snapshot
    assert services.incident_record(incident)["patient_characteristics"]["religion"] == "christian"

    # Moving the start back a day, to the day before a birthday, changes only the age.
    services.incident_update(
        actor=manager_actor, incident=incident,
        data=dataclasses.replace(
            services.input_from_incident(incident),
            started_at=at(0) - dt.timedelta(days=1), ended_at=at(10) - dt.timedelta(days=1),
            interventions=[dataclasses.replace(i, started_at=i.started_at - dt.timedelta(days=1),
                                               ended_at=i.ended_at - dt.timedelta(days=1))
                           for i in services.input_from_incident(incident).interventions],
        ),
        change_reason="It happened the day before",
    )
    incident.refresh_from_db()
    assert incident.patient_snapshot == {**snapshot, "age": 35}
    assert incident.patient_snapshot["ethnic_category"] == "N"


def test_a_start_in_year_0001_is_refused_before_the_patients_age_is_worked_out(
    nurse_actor: Any, organisation: Any, ward: Any, patient: Any, clock: Any,
) -> None:
    long_ago = dt.datetime(1, 1, 1, 12, tzinfo=dt.UTC)
    data = restraint_input(ward, patient, started_at=long_ago)
    with pytest.raises(ValidationError) as refused:
        services.incident_create(actor=nurse_actor, organisation=organisation, data=data)
    assert refused.value.message_dict["started_at"] == ["This is before 1990: check the year"]
