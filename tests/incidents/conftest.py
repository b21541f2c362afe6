"""Fixtures for uses of force: a frozen ward clock, a typical restraint as the API takes it and
as the services take it, and people with a role.

The clock stands at NOW (Monday 5 October 2026, 14:00 UK time) unless a test moves it. The
typical restraint started two hours earlier: standing for 4 minutes, then on the side for 6,
three staff with one watching the patient's wellbeing, no injury.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from rrp.audit.services import Actor
from rrp.incidents.inputs import IncidentInput, InterventionInput, StaffInput

LONDON = ZoneInfo("Europe/London")
NOW = dt.datetime(2026, 10, 5, 14, 0, tzinfo=LONDON)
START = NOW - dt.timedelta(hours=2)  # 12:00
MINUTE = dt.timedelta(minutes=1)
SECOND = dt.timedelta(seconds=1)
HOUR = dt.timedelta(hours=1)


def iso(moment: dt.datetime) -> str:
    return moment.isoformat()


def when(text: str | None) -> dt.datetime | None:
    """A time the API returned, to compare with a moment."""
    return None if text is None else dt.datetime.fromisoformat(text)


def at(minutes: float = 0, *, hours: float = 0, seconds: float = 0) -> dt.datetime:
    """A moment measured from the start of the typical restraint (12:00)."""
    return START + dt.timedelta(hours=hours, minutes=minutes, seconds=seconds)


@pytest.fixture
def clock() -> Iterator[Any]:
    """The frozen clock at NOW; `clock.move_to(moment)` moves it."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def restraint_body(patient_id: int, **overrides: Any) -> dict[str, Any]:
    """The API body of the typical restraint on OAK."""
    body: dict[str, Any] = {
        "ward": "OAK",
        "patient": patient_id,
        "started_at": iso(at(0)),
        "ended_at": iso(at(10)),
        "reason": "10",
        "description": "Held standing, then guided to the floor on his side",
        "efforts_to_avoid": "Calm talking and space offered for ten minutes",
        "in_care_plan": False,
        "outcome": "Settled in his room, no injury",
        "death_or_serious_injury": False,
        "notification": "not_applicable",
        "interventions": [
            {"type": "07", "started_at": iso(at(0)), "ended_at": iso(at(4))},
            {"type": "10", "started_at": iso(at(4)), "ended_at": iso(at(10))},
        ],
        "staff": [
            {"name": "Sam Lee", "job_title": "Staff nurse", "role": "lead"},
            {"name": "Ali Khan", "job_title": "Healthcare assistant", "role": "head_airway"},
            {"name": "Kim Ode", "job_title": "Staff nurse", "role": "monitoring_wellbeing"},
        ],
    }
    body.update(overrides)
    return body


def restraint_input(ward: Any, patient: Any, **overrides: Any) -> IncidentInput:
    """The typical restraint as the services take it."""
    values: dict[str, Any] = {
        "ward": ward,
        "patient": patient,
        "started_at": at(0),
        "ended_at": at(10),
        "reason": "10",
        "description": "Held standing, then guided to the floor on his side",
        "efforts_to_avoid": "Calm talking and space offered for ten minutes",
        "outcome": "Settled in his room, no injury",
        "notification": "not_applicable",
        "in_care_plan": False,
        "interventions": [
            InterventionInput("07", at(0), at(4)),
            InterventionInput("10", at(4), at(10)),
        ],
        "staff": [
            StaffInput("Sam Lee", "Staff nurse", "lead"),
            StaffInput("Ali Khan", "Healthcare assistant", "head_airway"),
            StaffInput("Kim Ode", "Staff nurse", "monitoring_wellbeing"),
        ],
    }
    values.update(overrides)
    return IncidentInput(**values)


@pytest.fixture
def nurse(make_user: Callable[..., Any]) -> Any:
    return make_user("ward_staff", username="nurse_sam", full_name="Sam Lee")


@pytest.fixture
def nurse_actor(nurse: Any) -> Actor:
    return Actor(user=nurse, ip_address="10.0.0.5", via="web")


@pytest.fixture
def manager_actor(make_user: Callable[..., Any]) -> Actor:
    return Actor(user=make_user("ward_manager", username="manager_pat"), via="web")


@pytest.fixture
def doctor_actor(make_user: Callable[..., Any]) -> Actor:
    return Actor(user=make_user("doctor", username="doctor_rao", full_name="Dr Rao"), via="web")


@pytest.fixture
def lead_actor(make_user: Callable[..., Any]) -> Actor:
    return Actor(user=make_user("rrp_lead", username="lead_grace"), via="web")


@pytest.fixture
def record(
    organisation: Any, ward: Any, patient: Any, nurse_actor: Actor
) -> Callable[..., Any]:
    """record(submit=True, now=NOW, **input overrides): the typical restraint, recorded by the
    nurse through the services."""
    from rrp.incidents import services

    def make(submit: bool = True, now: dt.datetime = NOW, **overrides: Any) -> Any:
        return services.incident_create(
            actor=nurse_actor, organisation=organisation,
            data=restraint_input(ward, patient, **overrides), submit=submit, now=now,
        )

    return make


@pytest.fixture
def nurse_api(api_client_as: Callable[..., Any], ward: Any, patient: Any, clock: Any) -> Any:
    """A ward nurse's API client, with OAK and patient P1001 in place and the clock frozen."""
    return api_client_as("ward_staff")


@pytest.fixture
def doctor_api(api_client_as: Callable[..., Any], ward: Any, patient: Any, clock: Any) -> Any:
    """A doctor's API client: medical reviews are a doctor's to record (ADR 7)."""
    return api_client_as("doctor")


def problems_of(response: Any) -> dict[tuple[Any, ...], list[str]]:
    """A 422 reply as {loc tuple: [messages]}."""
    assert response.status_code == 422, response.content
    found: dict[tuple[Any, ...], list[str]] = {}
    for problem in response.json()["detail"]:
        found.setdefault(tuple(problem["loc"]), []).append(problem["msg"])
    return found


def duty_named(duties: list[dict[str, Any]], name: str, sequence: int = 1) -> dict[str, Any]:
    matches = [d for d in duties if d["duty"] == name and d["sequence"] == sequence]
    assert len(matches) == 1, f"{name} {sequence} in {[d['duty'] for d in duties]}"
    return matches[0]


@pytest.fixture
def oak_nurse(organisation: Any, ward: Any) -> Any:
    """Ada Okafor, staff nurse on Oak Ward (tests/incidents/pages.py)."""
    from incidents.pages import add_oak_nurse

    return add_oak_nurse(organisation, ward)


@pytest.fixture
def nurse_client(oak_nurse: Any, client_for: Any, organisation: Any) -> Any:
    """The Oak Ward nurse, signed in."""
    return client_for(oak_nurse, organisation)
