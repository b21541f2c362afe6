"""The MHSDS files carry exactly the national field names, in the national order, in files
named for the table and the month."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from rrp.audit.services import Actor
from rrp.incidents.exports import mhsds_export, read_mhsds_export

# docs/sources/mhsds-restrictive-interventions.md
MHS505 = ("RestrictiveIntIncID,HospProvSpellID,StartDateRestrictiveIntInc,"
          "StartTimeRestrictiveIntInc,EndDateRestrictiveIntInc,EndTimeRestrictiveIntInc,"
          "RestrictiveIntReason,RestrictiveIntPIReviewHeldPat,"
          "RestrictiveIntPIReviewNotHeldReasPat,RestrictiveIntPIReviewHeldCarePers")
MHS515 = ("RestrictiveIntIncID,RestrictiveIntTypeID,RestrictiveIntType,"
          "StartDateRestrictiveIntType,StartTimeRestrictiveIntType,EndDateRestrictiveIntType,"
          "EndTimeRestrictiveIntType,RestraintInjuryPatient,RestraintInjuryCarePers,"
          "RestraintInjuryOtherPers")


def test_headers_are_the_mhsds_field_names(
    record: Any, organisation: Any, tmp_path: Path
) -> None:
    record()
    paths = mhsds_export(actor=Actor(user=None, via="cli"), organisation=organisation,
                         month=dt.date(2026, 10, 1)).write_to(tmp_path)
    assert [p.name for p in paths] == [
        "MHS505RestrictiveInterventionIncident_2026-10.csv",
        "MHS515RestrictiveInterventionType_2026-10.csv",
    ]
    incident_lines = paths[0].read_text(encoding="utf-8").splitlines()
    type_lines = paths[1].read_text(encoding="utf-8").splitlines()
    assert incident_lines[0] == MHS505
    assert type_lines[0] == MHS515
    assert len(incident_lines) == 2
    assert len(type_lines) == 3  # standing, then side


def test_an_empty_month_still_has_the_headers(organisation: Any, tmp_path: Path) -> None:
    mhsds_export(actor=Actor(user=None, via="cli"), organisation=organisation,
                 month=dt.date(2026, 9, 1)).write_to(tmp_path)
    data = read_mhsds_export(tmp_path)
    assert data.incidents == [] and data.types == []
    assert (tmp_path / "MHS505RestrictiveInterventionIncident_2026-09.csv").read_text(
        encoding="utf-8").splitlines() == [MHS505]


def test_reading_back_refuses_files_with_other_columns(tmp_path: Path) -> None:
    (tmp_path / "MHS505RestrictiveInterventionIncident_2026-10.csv").write_text(
        "IncidentID,Start\nUOF-000001,2026-10-05\n", encoding="utf-8")
    (tmp_path / "MHS515RestrictiveInterventionType_2026-10.csv").write_text(
        MHS515 + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="does not have the MHSDS columns"):
        read_mhsds_export(tmp_path)
