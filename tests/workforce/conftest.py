"""Fixtures for the staff register, courses and training records.

The clock stands at NOW (Tuesday 10 March 2026, 10:00 UK time) unless a test moves it. Oak Ward
(OAK) is in `organisation` (R1A). `make_staff(...)` and `make_course(...)` go through the
services; `train(member, course, on)` records a competent outcome as the trainer would.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from itertools import count
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from rrp.audit.services import Actor
from rrp.workforce import services
from rrp.workforce.inputs import CourseInput, StaffInput, TrainingRecordInput

LONDON = ZoneInfo("Europe/London")
NOW = dt.datetime(2026, 3, 10, 10, 0, tzinfo=LONDON)
TODAY = NOW.date()

_numbers = count(1001)


@pytest.fixture
def clock() -> Iterator[Any]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def actor() -> Actor:
    return Actor(user=None, via="cli")


@pytest.fixture
def make_staff(db: None, actor: Actor, organisation: Any, ward: Any) -> Callable[..., Any]:
    """make_staff(name="Ada Okafor", wards=["OAK"], employment="permanent", qualified=False,
    organisation=..., **any StaffInput field)."""

    def make(name: str = "", organisation: Any = organisation, **values: Any) -> Any:
        number = values.pop("staff_number", f"E{next(_numbers)}")
        values.setdefault("job_title", "Healthcare assistant")
        values.setdefault("employment", "permanent")
        values.setdefault("wards", ["OAK"] if organisation.pk == ward.organisation_id else [])
        return services.staff_member_create(
            actor=actor, organisation=organisation,
            data=StaffInput(staff_number=number, name=name or f"Person {number}", **values),
        )

    return make


@pytest.fixture
def make_course(db: None, actor: Actor, organisation: Any) -> Callable[..., Any]:
    """make_course("RRN-L2", level="physical", refresher_months=12, organisation=...)."""

    def make(code: str = "RRN-L2", level: str = "physical", organisation: Any = organisation,
             **values: Any) -> Any:
        values.setdefault("title", f"{code} course")
        return services.course_create(
            actor=actor, organisation=organisation,
            data=CourseInput(code=code, level=level, **values),
        )

    return make


@pytest.fixture
def standard_courses(make_course: Callable[..., Any]) -> dict[str, Any]:
    """The four courses the interim rule asks for: prevention, physical, BLS, ILS."""
    return {
        "prevention": make_course("PREV", level="prevention", title="Prevention and de-escalation"),
        "physical": make_course("RRN-L2", level="physical", title="Physical skills"),
        "bls": make_course("BLS", level="bls", title="Basic life support"),
        "ils": make_course("ILS", level="ils", title="Immediate life support"),
    }


@pytest.fixture
def train(actor: Actor, clock: Any) -> Callable[..., Any]:
    """train(member, course, on=date, outcome="competent", **TrainingRecordInput fields)."""

    def record(member: Any, course: Any, on: dt.date, outcome: str = "competent",
               **values: Any) -> Any:
        values.setdefault("occupational_health_checked", True)
        if outcome == "not_yet_competent":
            values.setdefault("competence_plan", "Two practice sessions with a senior trainer")
            values.setdefault("interim_plan", "Not in the restraint team until reassessed")
        if outcome == "excluded_health":
            values.setdefault("interim_plan", "Occupational health review; no physical holds")
        return services.training_record_create(
            actor=actor, organisation=member.organisation,
            data=TrainingRecordInput(staff_id=member.pk, course=course.code, completed_on=on,
                                     outcome=outcome, **values),
        )

    return record


@pytest.fixture
def trainer(make_user: Callable[..., Any]) -> Any:
    return make_user("trainer", username="sam_trainer", full_name="Sam Patel")


@pytest.fixture
def trainer_client(client_for: Callable[..., Any], trainer: Any, organisation: Any) -> Any:
    return client_for(trainer, organisation)


@pytest.fixture
def lead(make_user: Callable[..., Any]) -> Any:
    """The restrictive practice lead: the executive lead who signs off the TNA (3.4.II)."""
    return make_user("rrp_lead", username="lee_lead", full_name="Lee Lead")


@pytest.fixture
def lead_client(client_for: Callable[..., Any], lead: Any, organisation: Any) -> Any:
    return client_for(lead, organisation)


TNA_TEXT = {
    "risks": "Violence to others on Oak Ward; prone restraint used",
    "content": "Prevention and de-escalation for everyone; physical skills for ward staff",
    "learning_outcomes": "3.1 I-XV mapped in the course handbook",
    "competence_testing": "Observed practice and a written test",
    "physical_rationale": "Standing and seated holds: most restraints on the wards",
    "sub_specialty": "None identified this year",
}


@pytest.fixture
def make_tna(actor: Actor, organisation: Any, lead: Any, clock: Any) -> Callable[..., Any]:
    """make_tna([TnaRequirementInput(...)], state="in_force"|"agreed"|"draft",
    service_type="", **text): a TNA through the services, signed off by `lead`."""
    from rrp.workforce.inputs import TnaAgreementInput, TnaInput

    def make(rows: list[Any], state: str = "in_force", service_type: str = "",
             organisation: Any = organisation, **text: str) -> Any:
        analysis = services.tna_create(
            actor=actor, organisation=organisation,
            data=TnaInput(service_type=service_type, **{**TNA_TEXT, **text}),
        )
        for row in rows:
            services.tna_requirement_add(actor=actor, analysis=analysis, data=row)
        if state in ("agreed", "in_force"):
            services.tna_record_agreement(
                actor=actor, analysis=analysis,
                data=TnaAgreementInput(training_provider="Calm Training Ltd",
                                       agreed_by="Pat Provider, senior trainer",
                                       agreed_on=timezone.localdate()),
            )
        if state == "in_force":
            services.tna_sign_off(actor=Actor(user=lead), analysis=analysis)
        analysis.refresh_from_db()
        return analysis

    return make
