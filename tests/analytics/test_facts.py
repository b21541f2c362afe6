"""From one record to its facts: the rules of the MHSDS measures on records written by hand
(no database)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from rrp.analytics import categories as cat
from rrp.analytics.facts import DutyIn, IncidentIn, InterventionIn, duty_status, incident_facts

LONDON = ZoneInfo("Europe/London")
NOW = dt.datetime(2026, 11, 15, 12, 0, tzinfo=LONDON)
PATIENT = {"date_of_birth": dt.date(2000, 6, 1), "ethnic_category": "N", "sex": "male"}


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=LONDON)


def incident(*interventions: InterventionIn, ended: dt.datetime | None = None,
             **extra: object) -> IncidentIn:
    start = min(i.started_at for i in interventions)
    if ended is None and all(i.ended_at for i in interventions):
        ended = max(i.ended_at for i in interventions)  # type: ignore[type-var]
    return IncidentIn(
        id=7, organisation_id=1, ward_id=2, patient_id=3, started_at=start, ended_at=ended,
        reason="10", harm="none", death_or_serious_injury=False, interventions=interventions,
        patient=PATIENT, **extra,  # type: ignore[arg-type]
    )


def test_an_intervention_within_a_month_is_one_row_with_its_minutes() -> None:
    rows, _ = incident_facts(
        incident(InterventionIn(1, "01", at("2026-03-10 14:00"), at("2026-03-10 14:12"))),
        tz=LONDON, now=NOW,
    )
    [row] = rows
    assert row["month"] == dt.date(2026, 3, 1)
    assert row["minutes"] == 12
    assert row["first_month"] and row["ends_in_month"] and row["incident_row"]
    assert row["incident_first"] and row["incident_minutes"] == 12
    assert (row["hour"], row["weekday"]) == (14, 1)  # a Tuesday, 14:00 on the ward clock
    assert row["duration_band"] == "r:11-30"
    assert row["eth_group"] == "Black or Black British"
    assert row["age_band"] == "25_34"


def test_the_hour_is_the_ward_clock_across_the_change_to_summer_time() -> None:
    # 29 March 2026, 01:30 UTC is 02:30 BST: the clocks went forward at 01:00 UTC.
    start = dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC)
    rows, _ = incident_facts(
        incident(InterventionIn(1, "07", start, start + dt.timedelta(minutes=3))),
        tz=LONDON, now=NOW,
    )
    assert rows[0]["hour"] == 2
    assert rows[0]["weekday"] == 6  # Sunday


def test_a_month_is_the_local_month_at_midnight_bst() -> None:
    # 23:30 UTC on 31 May is 00:30 BST on 1 June: a June intervention.
    start = dt.datetime(2026, 5, 31, 23, 30, tzinfo=dt.UTC)
    rows, _ = incident_facts(
        incident(InterventionIn(1, "07", start, start + dt.timedelta(minutes=5))),
        tz=LONDON, now=NOW,
    )
    assert rows[0]["month"] == dt.date(2026, 6, 1)


def test_a_seclusion_over_two_month_ends_has_a_row_in_each_month() -> None:
    seclusion = InterventionIn(1, "05", at("2026-01-31 22:00"), at("2026-03-01 02:00"))
    rows, _ = incident_facts(incident(seclusion), tz=LONDON, now=NOW)
    assert [r["month"] for r in rows] == [dt.date(2026, 1, 1), dt.date(2026, 2, 1),
                                          dt.date(2026, 3, 1)]
    assert [r["first_month"] for r in rows] == [True, False, False]
    assert [r["incident_first"] for r in rows] == [True, False, False]
    assert all(r["incident_row"] for r in rows)
    # Active at the end of January (2 hours) and of February (28 days and 2 hours)...
    assert rows[0]["active_days"] == 2 / 24
    assert rows[1]["active_days"] == 28 + 2 / 24
    # ...and ended in March: its whole length counts in March's minutes.
    assert rows[2]["active_days"] is None
    assert rows[2]["minutes"] == (28 * 24 + 4) * 60
    assert rows[2]["duration_band"] == "s:1-3m"  # just over 4 weeks


def test_an_open_segregation_reaches_the_current_month_without_active_days_there() -> None:
    segregation = InterventionIn(1, "06", at("2026-09-20 10:00"), None)
    rows, _ = incident_facts(incident(segregation), tz=LONDON, now=NOW)
    assert [r["month"] for r in rows] == [dt.date(2026, m, 1) for m in (9, 10, 11)]
    assert all(r["is_open"] for r in rows)
    assert rows[0]["active_days"] is not None and rows[1]["active_days"] is not None
    assert rows[2]["active_days"] is None  # November has not ended
    assert all(r["minutes"] is None for r in rows)
    assert rows[0]["duration_band"] == "open"


def test_an_incident_counts_once_a_month_however_many_interventions() -> None:
    rows, _ = incident_facts(
        incident(
            InterventionIn(1, "01", at("2026-03-10 14:00"), at("2026-03-10 14:04")),
            InterventionIn(2, "09", at("2026-03-10 14:04"), at("2026-03-10 14:10")),
            InterventionIn(3, "14", at("2026-03-10 14:10"), at("2026-03-10 14:11")),
        ),
        tz=LONDON, now=NOW,
    )
    assert len(rows) == 3
    assert sum(r["incident_row"] for r in rows) == 1
    assert rows[0]["incident_row"] and rows[0]["type_code"] == "01"
    assert [r["category"] for r in rows] == ["physical", "physical", "chemical"]


def test_a_zero_length_intervention_has_no_minutes() -> None:
    moment = at("2026-03-10 14:00")
    rows, _ = incident_facts(incident(InterventionIn(1, "16", moment, moment)), tz=LONDON,
                             now=NOW)
    assert rows[0]["minutes"] is None  # NHS England leaves out zero durations


def test_injuries_staff_and_police_are_counted_on_the_incident() -> None:
    rows, _ = incident_facts(
        incident(
            InterventionIn(1, "07", at("2026-03-10 14:00"), at("2026-03-10 14:05")),
            injuries=[("patient", "minor"), ("staff", "moderate"), ("patient", "serious")],
            staff=[("lead", False), ("monitoring_wellbeing", False), ("upper_limbs", True)],
            other_kinds=["police"],
        ),
        tz=LONDON, now=NOW,
    )
    row = rows[0]
    assert (row["injuries_patient"], row["injuries_staff"], row["injuries_other"]) == (2, 1, 0)
    assert row["worst_injury"] == "serious"
    assert row["staff_force"] == 2  # the person monitoring wellbeing did not use force
    assert row["staff_injured"] == 1
    assert row["police"] is True


def test_a_duty_is_on_time_late_with_or_without_a_reason_not_required_or_open() -> None:
    due = at("2026-03-10 15:00")
    assert duty_status(DutyIn("medical_review", due, due)) == "on_time"
    assert duty_status(DutyIn("medical_review", due, due + dt.timedelta(seconds=1),
                              "Doctor at a cardiac arrest")) == "late_with_reason"
    assert duty_status(DutyIn("medical_review", due, due + dt.timedelta(minutes=5))) == (
        "late_no_reason"
    )
    assert duty_status(DutyIn("medical_review", due, None, "", "Record changed")) == (
        "not_required"
    )
    assert duty_status(DutyIn("medical_review", due, None)) == "open"


def test_duties_are_counted_in_the_month_the_incident_started() -> None:
    _, duties = incident_facts(
        incident(
            InterventionIn(1, "07", at("2026-03-31 23:50"), at("2026-04-01 00:10")),
            duties=[DutyIn("medical_review", at("2026-04-01 00:50"), at("2026-04-01 00:40"))],
        ),
        tz=LONDON, now=NOW,
    )
    assert duties == [
        {
            "organisation_id": 1, "ward_id": 2, "month": dt.date(2026, 3, 1), "incident_id": 7,
            "kind": "medical_review", "status": "on_time", "due_at": at("2026-04-01 00:50"),
            "completed_at": at("2026-04-01 00:40"),
            "incident_types": cat.TYPE_FILTER_BIT["physical"],
        }
    ]


def test_every_row_carries_the_type_filters_its_incident_falls_in() -> None:
    rows, _ = incident_facts(
        incident(
            InterventionIn(1, "01", at("2026-03-02 09:00"), at("2026-03-02 09:05")),
            InterventionIn(2, "05", at("2026-03-02 09:05"), at("2026-03-02 14:00")),
        ),
        tz=LONDON, now=NOW,
    )
    bits = cat.TYPE_FILTER_BIT
    assert {r["incident_types"] for r in rows} == {
        bits["physical"] | bits["prone"] | bits["seclusion"]
    }
    assert cat.type_filter_bits(["14"]) == bits["chemical"] | bits["rapid_tranquillisation"]
    assert cat.type_filter_bits([]) == 0
