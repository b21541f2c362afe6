"""The TNA shows the incident profile it is built on: the organisation's own uses of force of
the last 24 months, ward by ward - interventions by type and position, prone restraint,
reasons, injuries - anonymised (no patient, small numbers hidden under the disclosure rule),
with the dates; a signed-off version keeps the profile it was signed on."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from rrp.audit.services import Actor
from rrp.incidents import services as incident_services
from rrp.incidents.inputs import IncidentInput, InterventionInput, StaffInput
from rrp.workforce.inputs import TnaRequirementInput
from rrp.workforce.tna_profile import incident_profile

from .conftest import LONDON, TODAY


@pytest.fixture
def restrain(organisation: Any, ward: Any, patient: Any, make_admission: Any,
             clock: Any) -> Any:
    make_admission(patient, ward, admitted_on=dt.date(2023, 6, 1))

    def record(type_code: str, on: dt.date, reason: str = "10") -> Any:
        start = dt.datetime.combine(on, dt.time(14, 0), tzinfo=LONDON)
        end = start + dt.timedelta(minutes=6)
        return incident_services.incident_create(
            actor=Actor(user=None, via="cli"), organisation=organisation,
            now=start + dt.timedelta(hours=1),
            data=IncidentInput(
                ward=ward, patient=patient, started_at=start, ended_at=end, reason=reason,
                description="Held", efforts_to_avoid="Talking", outcome="Settled",
                notification="not_applicable", in_care_plan=False,
                interventions=[InterventionInput(
                    type_code, start, end,
                    prone_reason="To give an injection safely" if type_code == "01" else "")],
                staff=[StaffInput("Sam Lee", "Staff nurse", "lead"),
                       StaffInput("Kim Ode", "Staff nurse", "monitoring_wellbeing")],
            ),
        )

    return record


def _oak(profile: dict[str, Any]) -> dict[str, Any]:
    [oak] = [w for w in profile["wards"] if w["code"] == "OAK"]
    return oak


def test_the_profile_counts_the_last_24_months_by_ward_with_small_numbers_hidden(
    restrain: Any, organisation: Any
) -> None:
    for day in range(1, 8):
        restrain("07", dt.date(2026, 1, day))  # 7 standing
    for day in range(10, 16):
        restrain("11", dt.date(2026, 1, day), reason="11")  # 6 seated
    restrain("01", dt.date(2025, 12, 1))  # 1 prone
    restrain("07", dt.date(2024, 3, 1))  # more than 24 months ago: not counted
    profile = incident_profile(organisation, TODAY)
    assert (profile["from"], profile["to"]) == ("2024-03-11", "2026-03-10")
    oak = _oak(profile)
    types = dict(oak["tables"][0]["rows"])
    assert types["Physical restraint - Standing"] == "5"  # 7, rounded to 5
    assert types["Physical restraint - Prone"] == "*"  # 1: hidden
    # Hidden as well, or the prone count would follow from the total (secondary suppression).
    assert types["Physical restraint - Seated"] == "*"
    assert oak["tables"][0]["total"] == "15"  # 14 interventions, rounded
    assert oak["prone"] == "*"
    reasons = dict(oak["tables"][1]["rows"])
    assert set(reasons) == {"Prevent a patient being violent to others",
                            "Prevent a patient causing serious intentional harm to themselves"}


def test_the_page_shows_the_profile_and_never_the_patient(
    restrain: Any, make_tna: Any, make_course: Any, lead_client: Any, patient: Any
) -> None:
    make_course("RRN-L2")
    for day in range(1, 7):
        restrain("07", dt.date(2026, 2, day))
    draft = make_tna([TnaRequirementInput(course="RRN-L2")], state="draft")
    page = lead_client.get(f"/training/needs-analysis/{draft.pk}/").content.decode()
    assert "11 March 2024 to 10 March 2026" in page
    assert "Physical restraint - Standing" in page
    for identifier in (patient.given_name, patient.family_name, patient.local_id,
                       patient.nhs_number, "Sam Lee"):
        assert identifier not in page


def test_a_signed_off_version_keeps_the_profile_it_was_signed_on(
    restrain: Any, make_tna: Any, make_course: Any, organisation: Any
) -> None:
    make_course("RRN-L2")
    for day in range(1, 7):
        restrain("07", dt.date(2026, 2, day))
    signed = make_tna([TnaRequirementInput(course="RRN-L2")])
    assert _oak(signed.incident_profile)["tables"][0]["total"] == "5"
    for day in range(10, 16):
        restrain("07", dt.date(2026, 2, day))
    signed.refresh_from_db()
    assert _oak(signed.incident_profile)["tables"][0]["total"] == "5"
    assert _oak(incident_profile(organisation, TODAY))["tables"][0]["total"] == "10"
