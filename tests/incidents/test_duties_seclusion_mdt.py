"""The independent MDT review of seclusion is due when the patient's seclusion reaches 12
hours in total within 48 hours, counting seclusion recorded in an earlier incident."""

from __future__ import annotations

import datetime as dt
from typing import Any

from incidents.conftest import LONDON, restraint_input
from rrp.incidents import services
from rrp.incidents.inputs import InterventionInput
from rrp.incidents.models import Duty

DAY_ONE = dt.datetime(2026, 10, 3, 8, 0, tzinfo=LONDON)
HOURS = dt.timedelta(hours=1)


def _seclusion(record: Any, start: dt.datetime, hours: int, **overrides: Any) -> Any:
    end = start + hours * HOURS
    return record(started_at=start, ended_at=end,
                  interventions=[InterventionInput("05", start, end)], **overrides)


def _mdt(incident: Any) -> list[Duty]:
    return list(Duty.objects.filter(incident=incident, kind="seclusion_mdt_review"))


def test_two_incidents_within_48_hours_reach_12_hours_together(record: Any, clock: Any) -> None:
    first = _seclusion(record, DAY_ONE, 7)  # 08:00-15:00: 7 hours
    second = _seclusion(record, DAY_ONE + 12 * HOURS, 6)  # 20:00-02:00: 6 more hours

    assert _mdt(first) == []  # 7 hours alone reaches neither 8 in a row nor 12 in total
    [review] = _mdt(second)
    # 7 hours before, so 12 in total 5 hours into the second seclusion: 01:00 on day two.
    assert review.due_at == DAY_ONE + 17 * HOURS
    assert review.owner_role == "ward_manager"
    assert "12 hours in total within 48 hours" in review.label


def test_seclusion_more_than_48_hours_before_does_not_count(record: Any, clock: Any) -> None:
    _seclusion(record, DAY_ONE - 48 * HOURS, 7)
    later = _seclusion(record, DAY_ONE + 8 * HOURS, 6)
    assert _mdt(later) == []


def test_another_patients_or_an_erroneous_record_does_not_count(
    record: Any, make_patient: Any, nurse_actor: Any, organisation: Any, ward: Any, clock: Any,
) -> None:
    someone_else = make_patient(local_id="P2002")
    start = DAY_ONE
    services.incident_create(
        actor=nurse_actor, organisation=organisation,
        data=restraint_input(ward, someone_else, started_at=start, ended_at=start + 7 * HOURS,
                             interventions=[InterventionInput("05", start, start + 7 * HOURS)]),
    )
    mistaken = _seclusion(record, DAY_ONE + 8 * HOURS, 4)
    services.incident_mark_entered_in_error(actor=nurse_actor, incident=mistaken,
                                            reason="Duplicate of another record")
    later = _seclusion(record, DAY_ONE + 14 * HOURS, 6)
    assert _mdt(later) == []


def test_eight_hours_in_a_row_in_one_incident(record: Any, clock: Any) -> None:
    incident = _seclusion(record, DAY_ONE, 9)
    [review] = _mdt(incident)
    assert review.due_at == DAY_ONE + 8 * HOURS
    assert "8 hours in a row" in review.label
