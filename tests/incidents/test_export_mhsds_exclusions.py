"""Which uses of force go into a month's MHSDS files: submitted records that started in that
month in UK time. Drafts, records entered in error, negligible force and other organisations'
records stay out."""

from __future__ import annotations

import datetime as dt
from typing import Any

from incidents.conftest import LONDON, NOW, at
from rrp.audit.services import Actor
from rrp.incidents import services
from rrp.incidents.exports import mhsds_tables
from rrp.incidents.inputs import InterventionInput, StaffInput

OCTOBER = dt.date(2026, 10, 1)
SEPTEMBER = dt.date(2026, 9, 1)


def ids(organisation: Any, month: dt.date) -> set[str]:
    return {row["RestrictiveIntIncID"] for row in mhsds_tables(organisation, month).incidents}


def starting(moment: dt.datetime) -> dict[str, Any]:
    """Input overrides for a 20-minute standing hold starting at `moment`."""
    end = moment + dt.timedelta(minutes=20)
    return {
        "started_at": moment, "ended_at": end,
        "interventions": [InterventionInput("07", moment, end)],
    }


def test_only_submitted_records_of_the_month_are_exported(
    record: Any, organisation: Any, nurse_actor: Actor
) -> None:
    submitted = record()
    draft = record(submit=False)
    in_error = record()
    services.incident_mark_entered_in_error(actor=nurse_actor, incident=in_error,
                                            reason="Recorded twice", now=NOW)
    negligible = record(
        negligible=True, ended_at=at(2), interventions=[InterventionInput("08", at(0), at(2))],
        staff=[StaffInput("Sam Lee", "Staff nurse", "lead")],
    )
    exported = ids(organisation, OCTOBER)
    assert exported == {submitted.reference}
    assert not {draft.reference, in_error.reference, negligible.reference} & exported


def test_a_use_of_force_belongs_to_the_month_it_started_in_uk_time(
    record: Any, organisation: Any
) -> None:
    # 23:50 on 30 September, ending after midnight: September's.
    late_september = record(**starting(dt.datetime(2026, 9, 30, 23, 50, tzinfo=LONDON)))
    # 00:10 on 1 October in UK summer time is still 30 September in UTC: October's.
    early_october = record(**starting(dt.datetime(2026, 10, 1, 0, 10, tzinfo=LONDON)))
    assert ids(organisation, SEPTEMBER) == {late_september.reference}
    assert ids(organisation, OCTOBER) == {early_october.reference}
    row, = mhsds_tables(organisation, OCTOBER).incidents
    assert (row["StartDateRestrictiveIntInc"], row["StartTimeRestrictiveIntInc"]) == (
        "2026-10-01", "00:10:00")


def test_another_organisations_records_are_never_exported(
    record: Any, organisation: Any, make_organisation: Any, make_ward: Any, make_patient: Any
) -> None:
    from incidents.conftest import restraint_input

    mine = record()
    other = make_organisation(ods_code="R2B")
    theirs = services.incident_create(
        actor=Actor(user=None, via="cli"), organisation=other,
        data=restraint_input(make_ward(code="OAK", organisation=other),
                             make_patient(local_id="P1001", organisation=other)),
        now=NOW,
    )
    assert ids(organisation, OCTOBER) == {mine.reference}
    assert ids(other, OCTOBER) == {theirs.reference}
