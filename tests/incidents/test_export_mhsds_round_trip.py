"""The MHSDS export round-trips the demo's uses of force: every recorded use of force that
started in the month appears once in MHS505, with each type used in it in MHS515, and the
codes, dates and times read back match the database."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.utils import timezone

from incidents.test_demo_reproducible import small_demo
from rrp.audit.services import Actor
from rrp.incidents import codes
from rrp.incidents.exports import mhsds_export, read_mhsds_export
from rrp.incidents.models import Incident
from rrp.patients.models import Admission

MONTH = dt.date(2026, 10, 1)


def _local(moment: dt.datetime | None) -> tuple[str, str]:
    if moment is None:
        return "", ""
    local = timezone.localtime(moment)
    return f"{local:%Y-%m-%d}", f"{local:%H:%M:%S}"


def test_every_use_of_force_of_the_month_reads_back_with_its_types_times_and_codes(
    db: None, tmp_path: Path
) -> None:
    organisation = small_demo("R1A", seed=3)
    export = mhsds_export(actor=Actor(user=None, via="cli"), organisation=organisation,
                          month=MONTH)
    export.write_to(tmp_path)
    data = read_mhsds_export(tmp_path)

    expected = [
        i for i in Incident.objects.filter(organisation=organisation).order_by("started_at")
        if timezone.localtime(i.started_at).date().replace(day=1) == MONTH
        and i.status != codes.Status.DRAFT and not i.is_entered_in_error and not i.negligible
    ]
    assert len(expected) >= 5
    rows = {row["RestrictiveIntIncID"]: row for row in data.incidents}
    assert len(rows) == len(data.incidents) == len(expected)  # each appears once
    types = {}
    for row in data.types:
        types.setdefault(row["RestrictiveIntIncID"], []).append(row)
    assert set(types) <= set(rows)
    assert len(data.types) == sum(i.interventions.count() for i in expected)

    for incident in expected:
        row = rows[incident.reference]
        assert (row["StartDateRestrictiveIntInc"], row["StartTimeRestrictiveIntInc"]) == _local(
            incident.started_at)
        assert (row["EndDateRestrictiveIntInc"], row["EndTimeRestrictiveIntInc"]) == _local(
            incident.ended_at)
        assert row["RestrictiveIntReason"] == incident.reason
        spell = Admission.objects.get(patient=incident.patient, ward=incident.ward).spell_id
        assert row["HospProvSpellID"] == spell
        debriefs = list(incident.debriefs.all())
        with_patient = any(d.held and d.patient_took_part for d in debriefs)
        assert row["RestrictiveIntPIReviewHeldPat"] == (
            ("Y" if with_patient else "N") if debriefs else "")
        if debriefs and not with_patient:
            assert row["RestrictiveIntPIReviewNotHeldReasPat"] in codes.NotHeldReason.values

        interventions = list(incident.interventions.order_by("started_at", "pk"))
        read = types[incident.reference]
        assert [r["RestrictiveIntType"] for r in read] == [i.type_code for i in interventions]
        for row_type, intervention in zip(read, interventions, strict=True):
            assert (row_type["StartDateRestrictiveIntType"],
                    row_type["StartTimeRestrictiveIntType"]) == _local(intervention.started_at)
            assert (row_type["EndDateRestrictiveIntType"],
                    row_type["EndTimeRestrictiveIntType"]) == _local(intervention.ended_at)
            patient_hurt = intervention.injuries.filter(person="patient").exists()
            assert row_type["RestraintInjuryPatient"] == ("Y" if patient_hurt else "N")
        assert len({r["RestrictiveIntTypeID"] for r in read}) == len(read)


def test_the_files_hold_only_mhsds_codes(db: None, tmp_path: Path) -> None:
    organisation: Any = small_demo("R1A", seed=3)
    mhsds_export(actor=Actor(user=None, via="cli"), organisation=organisation,
                 month=MONTH).write_to(tmp_path)
    data = read_mhsds_export(tmp_path, MONTH)
    assert {r["RestrictiveIntReason"] for r in data.incidents} <= set(codes.Reason.values)
    assert {r["RestrictiveIntType"] for r in data.types} <= set(codes.InterventionType.values)
    for row in data.types:
        for field in ("RestraintInjuryPatient", "RestraintInjuryCarePers",
                      "RestraintInjuryOtherPers"):
            assert row[field] in {"Y", "N"}
    for row in data.incidents:
        assert row["RestrictiveIntPIReviewHeldPat"] in {"Y", "N", ""}
        assert row["RestrictiveIntPIReviewHeldCarePers"] in {"Y", "N", ""}
