"""The summaries follow every audited change, and catching up gives exactly what a full
rebuild gives."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rrp.analytics import summaries
from rrp.analytics.models import (
    DutyFact,
    GroupBedDays,
    InterventionFact,
    MonthlyBreakdown,
    MonthlyMeasure,
    MonthlyPopulation,
    PatientMonth,
    SummaryDirty,
)

from .conftest import NOW, local

SUMMARY_MODELS = (MonthlyMeasure, MonthlyBreakdown, MonthlyPopulation, GroupBedDays,
                  PatientMonth)
IGNORED = {"id"}


def snapshot(organisation: Any) -> dict[str, set[tuple[Any, ...]]]:
    out = {}
    for model in (*SUMMARY_MODELS, InterventionFact, DutyFact):
        fields = [f.attname for f in model._meta.concrete_fields if f.attname not in IGNORED]
        out[model.__name__] = {
            tuple(round(v, 9) if isinstance(v, float) else v for v in row)
            for row in model.objects.filter(organisation=organisation).values_list(*fields)
        }
    return out


def test_catching_up_after_many_changes_equals_a_full_rebuild(
    oak_march: Any, organisation: Any, make_ward: Any, make_patient: Any, make_admission: Any,
    record: Any, system_actor: Any,
) -> None:
    from rrp.incidents import services
    from rrp.incidents.inputs import InterventionInput
    from rrp.patients.services import admission_discharge, patient_update

    summaries.bring_up_to_date(organisation, now=NOW)
    ash = make_ward("ASH", "Ash Ward", service_type="picu")
    p4 = make_patient("P4", ethnic_category="H")
    stay = make_admission(p4, ash, dt.date(2026, 2, 20))
    # A seclusion across the end of March, an amendment moving an incident to April, a record
    # entered in error, a late medical review, a change of ethnicity, a discharge.
    record(ash, p4, "2026-03-31 22:00", [("05", 0, 180)])
    moved = record(ash, p4, "2026-03-05 10:00", [("07", 0, 5)])
    data = services.input_from_incident(moved)
    data.started_at = local("2026-04-05 10:00")
    data.ended_at = local("2026-04-05 10:05")
    data.interventions = [InterventionInput("07", data.started_at, data.ended_at)]
    services.incident_update(actor=system_actor, incident=moved, data=data,
                             change_reason="Wrong month", now=NOW)
    wrong = record(ash, p4, "2026-03-06 10:00", [("01", 0, 5)])
    services.incident_mark_entered_in_error(actor=system_actor, incident=wrong, reason="Test")
    late = record(ash, p4, "2026-03-07 10:00", [("09", 0, 5)])
    services.medical_review_record(actor=system_actor, incident=late,
                                   reviewed_at=local("2026-03-07 12:00"), reviewer="Dr C",
                                   findings="Well", delay_reason="Busy", now=NOW)
    patient_update(actor=system_actor, patient=p4, ethnic_category="N")
    admission_discharge(actor=system_actor, admission=stay, discharged_on=dt.date(2026, 4, 10))
    assert SummaryDirty.objects.filter(organisation=organisation).count() >= 6

    summaries.bring_up_to_date(organisation, now=NOW)
    caught_up = snapshot(organisation)
    summaries.rebuild(organisation, now=NOW)
    assert snapshot(organisation) == caught_up
    # And the changes are there: P4 is now counted as Black or Black British.
    march = MonthlyBreakdown.objects.filter(
        organisation=organisation, scope="org", month=dt.date(2026, 3, 1), dimension="eq:eth_group"
    )
    assert not march.filter(key="Asian or Asian British", interventions__gt=0).exists()
    # P1's 4 on Oak, and P4's seclusion and supine restraint on Ash (the moved one is in
    # April, the one entered in error nowhere).
    assert march.get(key="Black or Black British").interventions == 4 + 2


def test_a_new_month_carries_open_interventions_forward(
    ward: Any, patient: Any, record: Any, organisation: Any
) -> None:
    record(ward, patient, "2026-11-02 10:00", [("06", 0, None)], ended=None)
    summaries.bring_up_to_date(organisation, now=NOW)
    assert set(InterventionFact.objects.values_list("month", flat=True)) == {dt.date(2026, 11, 1)}
    december = NOW + dt.timedelta(days=20)
    summaries.bring_up_to_date(organisation, now=december)
    rows = {f.month: f.active_days for f in InterventionFact.objects.all()}
    assert set(rows) == {dt.date(2026, 11, 1), dt.date(2026, 12, 1)}
    assert rows[dt.date(2026, 11, 1)] is not None  # November has ended: days of segregation


def test_an_audit_event_that_changes_nothing_counted_marks_nothing(
    organisation: Any, patient: Any, system_actor: Any
) -> None:
    from rrp.audit.services import audit_view

    SummaryDirty.objects.all().delete()
    audit_view(actor=system_actor, organisation=organisation, obj=patient, summary="Viewed")
    assert not SummaryDirty.objects.exists()
