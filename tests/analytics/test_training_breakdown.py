"""Restraints by the training of the staff who held (issue 13; standard 1.5.V) on the
organisation dashboard: each use of force with a physical restraint counted once, by whether
everyone who held or led the hold was in date in physical skills on the day, someone was not,
or someone is not on the staff register - from the training kept with each record, so a
period's figures never change when training is recorded later. Small numbers hidden for
readers outside the treating team.

March 2026 on Oak Ward. Sam was trained in physical skills in January 2026 (in date), Ali in
January 2025 (ran out on 1 January 2026).

    R1 2 Mar  standing  Sam leads, Kim (never trained) monitors        all in date
    R2 4 Mar  seated    Sam leads, Ali holds an arm                    someone not in date
    R3 9 Mar  seated    an agency nurse (typed) leads, Kim monitors    not on the register
    R4 10 Mar seclusion only                                           not a restraint
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from rrp.analytics import breakdowns as bd
from rrp.analytics.dashboard import Filters, build
from rrp.analytics.models import SCOPE_ORG
from rrp.audit.services import Actor
from rrp.incidents.inputs import IncidentInput, InterventionInput, StaffInput
from rrp.incidents.services import incident_create
from rrp.workforce import services as workforce
from rrp.workforce.inputs import CourseInput, TrainingRecordInput
from rrp.workforce.inputs import StaffInput as RegisterInput

from .conftest import NOW, local

MARCH = dt.date(2026, 3, 1)
SYSTEM = Actor(user=None, via="cli")


def trained(member: Any, on: dt.date) -> None:
    workforce.training_record_create(
        actor=SYSTEM, organisation=member.organisation,
        data=TrainingRecordInput(staff_id=member.pk, course="RRN-L2", completed_on=on,
                                 outcome="competent", occupational_health_checked=True),
    )


@pytest.fixture
def oak(organisation: Any, make_ward: Any, make_patient: Any) -> dict[str, Any]:
    ward = make_ward("OAK", "Oak Ward")
    patient = make_patient("P1")
    workforce.course_create(actor=SYSTEM, organisation=organisation, data=CourseInput(
        code="RRN-L2", title="Physical skills", level="physical"))
    people = {}
    for number, name in enumerate(("Sam Lee", "Ali Khan", "Kim Ode"), start=1):
        people[name.split()[0].lower()] = workforce.staff_member_create(
            actor=SYSTEM, organisation=organisation, data=RegisterInput(
                staff_number=f"E{number}", name=name, job_title="Nurse", employment="permanent",
                wards=["OAK"]))
    trained(people["sam"], dt.date(2026, 1, 10))
    trained(people["ali"], dt.date(2025, 1, 1))

    def restraint(start: str, code: str, staff: list[StaffInput]) -> None:
        began = local(start)
        incident_create(actor=SYSTEM, organisation=organisation, now=NOW, data=IncidentInput(
            ward=ward, patient=patient, started_at=began,
            ended_at=began + dt.timedelta(minutes=10), reason="10",
            description="Held", efforts_to_avoid="Talked", outcome="Settled",
            notification="not_applicable",
            interventions=[InterventionInput(code, began, began + dt.timedelta(minutes=10))],
            staff=staff,
        ))

    def on(who: str, role: str) -> StaffInput:
        return StaffInput("", "", role, staff_id=people[who].pk)

    restraint("2026-03-02 10:00", "07", [on("sam", "lead"), on("kim", "monitoring_wellbeing")])
    restraint("2026-03-04 10:00", "11", [on("sam", "lead"), on("ali", "upper_limbs"),
                                         on("kim", "monitoring_wellbeing")])
    restraint("2026-03-09 10:00", "11", [StaffInput("Chris Agency", "Agency nurse", "lead"),
                                         on("kim", "monitoring_wellbeing")])
    restraint("2026-03-10 10:00", "05", [on("ali", "lead"), on("kim", "monitoring_wellbeing")])
    return {"ward": ward, **people}


def training(organisation: Any, roles: set[str]) -> bd.Table:
    filters = Filters(MARCH, MARCH, SCOPE_ORG, "Everywhere", None, None)
    return build(organisation, filters, roles, now=NOW).training


def counts(table: bd.Table) -> dict[str, str]:
    return {row.key: row.shown["incidents"] for row in table.rows}


def test_restraints_are_counted_by_the_training_of_who_held(
    organisation: Any, oak: dict[str, Any]
) -> None:
    table = training(organisation, {"rrp_lead"})
    assert counts(table) == {"all_in_date": "1", "some_not_in_date": "1", "not_on_register": "1"}
    assert table.total is not None and table.total.shown["incidents"] == "3"
    assert table.title == "Restraints by the training of the staff who held"


def test_training_recorded_later_never_changes_a_past_period(
    organisation: Any, oak: dict[str, Any]
) -> None:
    trained(oak["ali"], dt.date(2026, 3, 1))  # Ali's refresher, recorded late, back-dated
    assert counts(training(organisation, {"rrp_lead"}))["some_not_in_date"] == "1"


def test_small_numbers_are_hidden_outside_the_treating_team(
    organisation: Any, oak: dict[str, Any]
) -> None:
    table = training(organisation, {"board"})
    assert set(counts(table).values()) == {"*"}, counts(table)


def test_the_dashboard_shows_the_table_with_its_caption(
    organisation: Any, oak: dict[str, Any], client_as: Any
) -> None:
    page = client_as("rrp_lead").get("/dashboards/", {"from": "2026-03", "to": "2026-03"})
    html = page.content.decode()
    assert page.status_code == 200, html[:500]
    assert "Restraints by the training of the staff who held</caption>" in html
    assert "Someone who held was not in date" in html
    # and its figures download as CSV, like every other table on the page
    csv = client_as("rrp_lead").get("/dashboards/figures.csv",
                                    {"from": "2026-03", "to": "2026-03", "table": "training"})
    assert csv.status_code == 200
    assert "Someone who held was not in date" in csv.content.decode()


@pytest.mark.parametrize(("holders", "restraint", "key"), [
    ([True, True], True, "all_in_date"),
    ([True, False, None], True, "some_not_in_date"),  # anyone out of date decides it
    ([True, None], True, "not_on_register"),
    ([], True, "none_recorded"),
    ([False], False, ""),  # seclusion alone: not a restraint, not in the table
])
def test_the_key_of_a_use_of_force(holders: list[bool | None], restraint: bool,
                                   key: str) -> None:
    from rrp.analytics.categories import hold_training

    assert hold_training(holders, restraint=restraint) == key
