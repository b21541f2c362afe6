"""Fixtures for safety plans, risk assessments and physical health checks.

The clock stands at NOW (Tuesday 10 March 2026, 10:00 UK time) unless a test moves it. Jo
Bloggs (P1001) has been on Oak Ward since 2 March 2026. `plan_input()` is a complete plan
written with Jo; `restraint(...)` records and submits a use of force for Jo through the
incidents services, so its duties (the care plan review among them) exist as they would.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from rrp.audit.services import Actor
from rrp.careplans.inputs import RiskAssessmentInput, RiskFactorInput, SafetyPlanInput
from rrp.incidents.inputs import IncidentInput, InterventionInput, StaffInput

LONDON = ZoneInfo("Europe/London")
NOW = dt.datetime(2026, 3, 10, 10, 0, tzinfo=LONDON)
TODAY = NOW.date()
ADMITTED = dt.date(2026, 3, 2)
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


@pytest.fixture
def clock() -> Iterator[Any]:
    """The frozen clock at NOW; `clock.move_to(moment)` moves it."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def plan_input(**overrides: Any) -> SafetyPlanInput:
    """A complete first plan, written with the person on 9 March, reviewed by 6 April."""
    values: dict[str, Any] = {
        "occasion": "admission",
        "agreed_on": dt.date(2026, 3, 9),
        "person_took_part": "yes",
        "carer_took_part": "yes",
        "persons_words": "Give me space and talk to me quietly. Don't crowd me.",
        "triggers": "Being told no without a reason; loud alarms",
        "amber_signs": "Pacing, clenched fists, going quiet",
        "amber_support": "Offer the garden and a drink; one familiar nurse talks quietly",
        "green_support": "Music, phoning my sister every evening",
        "what_to_avoid": "Crowding me, raised voices",
        "communication_needs": "Short sentences; give time to answer",
        "preferred_interventions": ["16", "07"],
        "less_preferred_interventions": ["10"],
        "positions_to_avoid": ["01"],
        "intervention_preferences": (
            "Never face down: I was held like that before and couldn't breathe"
        ),
        "risk_factors": [
            RiskFactorInput(
                "respiratory",
                "Inhaler to hand; no pressure on the chest or back",
                "Asthma since childhood, uses a blue inhaler",
            ),
        ],
        "review_on": dt.date(2026, 4, 6),
    }
    values.update(overrides)
    return SafetyPlanInput(**values)


def assessment_input(**overrides: Any) -> RiskAssessmentInput:
    values: dict[str, Any] = {
        "assessed_on": dt.date(2026, 3, 9),
        "occasion": "admission",
        "summary": "Risk to others rises when frustrated by restrictions; no self-harm history.",
        "risk_to_self": "low",
        "risk_to_others": "medium",
        "person_took_part": "yes",
        "carer_took_part": "no",
        "sources": ["person", "records"],
        "communicated_to": ["mdt"],
        "communicated_on": dt.date(2026, 3, 9),
        "review_on": dt.date(2026, 4, 6),
        "method": "HCR-20",
    }
    values.update(overrides)
    return RiskAssessmentInput(**values)


@pytest.fixture
def oak(make_ward: Callable[..., Any]) -> Any:
    return make_ward(code="OAK", name="Oak Ward")


@pytest.fixture
def jo(patient: Any, oak: Any, make_admission: Callable[..., Any]) -> Any:
    """P1001 Jo Bloggs, on Oak Ward since 2 March 2026."""
    make_admission(patient, oak, admitted_on=ADMITTED)
    return patient


@pytest.fixture
def nurse(make_user: Callable[..., Any]) -> Any:
    return make_user("ward_staff", username="nurse_ada", full_name="Ada Okafor")


@pytest.fixture
def nurse_actor(nurse: Any) -> Actor:
    return Actor(user=nurse, ip_address="10.0.0.5", via="web")


@pytest.fixture
def restraint(system_actor: Any, oak: Any, jo: Any) -> Callable[..., Any]:
    """restraint(codes=("01",), started_at=..., minutes=10): a submitted use of force for Jo."""
    from rrp.incidents.services import incident_create

    def record(
        codes: tuple[str, ...] = ("07",),
        started_at: dt.datetime = NOW - 2 * HOUR,
        minutes: int = 10,
        patient: Any = jo,
        ward: Any = oak,
    ) -> Any:
        step = dt.timedelta(minutes=minutes / len(codes))
        interventions = [
            InterventionInput(code, started_at + n * step, started_at + (n + 1) * step,
                              prone_reason="Fell face down during the hold" if code == "01" else "")
            for n, code in enumerate(codes)
        ]
        ended = started_at + dt.timedelta(minutes=minutes)
        data = IncidentInput(
            ward=ward,
            patient=patient,
            started_at=started_at,
            ended_at=ended,
            reason="10",
            description="Held after hitting out at another patient",
            efforts_to_avoid="Talked calmly and offered space",
            outcome="Settled, no injury",
            notification="not_applicable",
            in_care_plan=None,
            interventions=interventions,
            staff=[
                StaffInput("Sam Lee", "Staff nurse", "lead"),
                StaffInput("Kim Ode", "Staff nurse", "monitoring_wellbeing"),
            ],
        )
        return incident_create(
            actor=system_actor,
            organisation=ward.organisation,
            data=data,
            submit=True,
            now=max(ended, NOW),
        )

    return record
