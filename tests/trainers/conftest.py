"""Fixtures for trainers, their portfolios, reviews and providers (standard 3.5).

The clock stands at NOW (Tuesday 10 March 2026, 10:00 UK time) unless a test moves it. Oak Ward
(OAK) is in `organisation` (R1A). `make_staff`, `make_trainer`, `make_provider`, `add_entry`,
`review` and `observe` go through the services; reviews and monitoring are recorded by `lead`,
the restrictive practice lead, as the standard's employing organisation would (3.5.I, XIII).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from itertools import count
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from rrp.audit.services import Actor
from rrp.trainers import services
from rrp.trainers.inputs import (
    CompetencyCheckInput,
    PortfolioEntryInput,
    ProviderInput,
    ReviewInput,
    TrainerInput,
)
from rrp.workforce import services as workforce_services
from rrp.workforce.inputs import StaffInput

LONDON = ZoneInfo("Europe/London")
NOW = dt.datetime(2026, 3, 10, 10, 0, tzinfo=LONDON)
TODAY = NOW.date()

_numbers = count(5001)


@pytest.fixture
def clock() -> Iterator[Any]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def actor() -> Actor:
    return Actor(user=None, via="cli")


@pytest.fixture
def make_staff(db: None, actor: Actor, organisation: Any, ward: Any) -> Callable[..., Any]:
    """make_staff(name="Ada Okafor", organisation=..., **any StaffInput field)."""

    def make(name: str = "", organisation: Any = organisation, **values: Any) -> Any:
        number = values.pop("staff_number", f"T{next(_numbers)}")
        values.setdefault("job_title", "Charge nurse")
        values.setdefault("employment", "permanent")
        values.setdefault("qualified", True)
        values.setdefault("wards", ["OAK"] if organisation.pk == ward.organisation_id else [])
        return workforce_services.staff_member_create(
            actor=actor, organisation=organisation,
            data=StaffInput(staff_number=number, name=name or f"Person {number}", **values),
        )

    return make


@pytest.fixture
def lead(make_user: Callable[..., Any]) -> Any:
    """The restrictive practice lead: reviews portfolios and monitors competence."""
    return make_user("rrp_lead", username="lee_lead", full_name="Lee Lead")


@pytest.fixture
def lead_actor(lead: Any) -> Actor:
    return Actor(user=lead, via="web")


@pytest.fixture
def lead_client(client_for: Callable[..., Any], lead: Any, organisation: Any) -> Any:
    return client_for(lead, organisation)


@pytest.fixture
def make_trainer(
    clock: Any, actor: Actor, make_staff: Callable[..., Any], organisation: Any
) -> Callable[..., Any]:
    """make_trainer("Ada", organisation=..., member=None, **TrainerInput fields): an internal
    trainer (a new person on the register unless `member` is given) who has accepted the code
    of conduct and has clinical credibility and teaching skills on record."""

    def make(name: str = "", organisation: Any = organisation, member: Any = None,
             **values: Any) -> Any:
        if "provider_id" in values:
            values.setdefault("name", name or "External Trainer")
        elif member is None:
            member = make_staff(name, organisation=organisation)
        values.setdefault("code_of_conduct_accepted_on", dt.date(2024, 1, 8))
        values.setdefault("teaching_since", dt.date(2023, 9, 1))
        values.setdefault("clinical_credibility", "RMN, ten years on acute wards")
        values.setdefault("teaching_qualification", "Level 3 Award in Education and Training")
        return services.trainer_create(
            actor=actor, organisation=organisation,
            data=TrainerInput(staff_id=member.pk if member is not None else None, **values),
        )

    return make


@pytest.fixture
def make_provider(clock: Any, actor: Actor, organisation: Any) -> Callable[..., Any]:
    """make_provider("Calm Training Ltd", organisation=..., **ProviderInput fields)."""

    def make(name: str = "Calm Training Ltd", organisation: Any = organisation,
             **values: Any) -> Any:
        return services.provider_create(actor=actor, organisation=organisation,
                                        data=ProviderInput(name=name, **values))

    return make


@pytest.fixture
def add_entry(actor: Actor) -> Callable[..., Any]:
    """add_entry(trainer, "annual_update", on=date, title=..., evidence=...)."""

    def add(trainer: Any, kind: str, on: dt.date, title: str = "", evidence: str = "") -> Any:
        return services.portfolio_entry_add(
            actor=actor, trainer=trainer,
            data=PortfolioEntryInput(kind=kind, dated_on=on, title=title or f"{kind} {on}",
                                     evidence=evidence or "Certificate seen"),
        )

    return add


@pytest.fixture
def review(lead_actor: Actor) -> Callable[..., Any]:
    """review(trainer, on=date, outcome="satisfactory", **ReviewInput fields), by the lead."""

    def record(trainer: Any, on: dt.date, outcome: str = "satisfactory", **values: Any) -> Any:
        if outcome in ("actions_agreed", "not_to_teach"):
            values.setdefault("actions", "Observe two classes by a senior trainer")
        if outcome == "not_to_teach":
            values.setdefault("not_to_teach_until", on + dt.timedelta(days=60))
        values.setdefault("reviewer_name", "Lee Lead, executive lead")
        return services.portfolio_review_record(
            actor=lead_actor, trainer=trainer,
            data=ReviewInput(reviewed_on=on, outcome=outcome, **values),
        )

    return record


@pytest.fixture
def observe(lead_actor: Actor) -> Callable[..., Any]:
    """observe(trainer, on=date, outcome="meets"): competency monitoring, by the lead."""

    def record(trainer: Any, on: dt.date, outcome: str = "meets", **values: Any) -> Any:
        if outcome != "meets":
            values.setdefault("actions", "Co-teach the next class with a senior trainer")
        return services.competency_check_record(
            actor=lead_actor, trainer=trainer,
            data=CompetencyCheckInput(observed_on=on, observed_teaching="RRN-PHYS class",
                                      observer_name="Senior trainer", outcome=outcome,
                                      **values),
        )

    return record
