"""Negligible force (light, non-resisted guiding) may be recorded: it is flagged as outside the
s.6 recording duty and has no duties. Mechanical, chemical, seclusion and segregation are
never negligible."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from incidents.conftest import at
from rrp.incidents import services
from rrp.incidents.inputs import InterventionInput
from rrp.incidents.models import Duty


def test_negligible_guiding_is_flagged_and_has_no_duties(record: Any, clock: Any) -> None:
    incident = record(negligible=True, interventions=[InterventionInput("08", at(0), at(2))],
                      ended_at=at(2))
    assert services.incident_record(incident)["negligible"] is True
    assert not Duty.objects.filter(incident=incident).exists()


@pytest.mark.parametrize("code", ["04", "05", "06", "14", "15", "16", "17"])
def test_never_negligible(code: str, record: Any, clock: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        record(negligible=True, interventions=[InterventionInput(code, at(0), at(10))])
    [message] = refused.value.message_dict["interventions.0.type"]
    assert "is never negligible force" in message


@pytest.mark.parametrize("code", ["01", "07", "08", "09", "10", "11", "12", "13"])
def test_physical_restraint_may_be_negligible(code: str, record: Any, clock: Any) -> None:
    why = "Could not be held any other way" if code == "01" else ""
    incident = record(negligible=True, interventions=[
        InterventionInput(code, at(0), at(10), prone_reason=why)])
    assert incident.negligible
