"""`rrp export mhsds --org R1A --month 2026-10 --out DIR` and `rrp export use-of-force`, run as
a script would run them: the real console script against its own SQLite database."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from rrp.incidents.exports import read_mhsds_export

# One use of force on 5 October 2026, recorded through the services inside the app.
SETUP = """
import datetime as dt
from zoneinfo import ZoneInfo
from rrp.audit.services import Actor
from rrp.incidents.inputs import IncidentInput, InterventionInput, StaffInput
from rrp.incidents.services import incident_create
from rrp.organisations.services import organisation_create, ward_create
from rrp.patients.services import admission_create, patient_create
system = Actor(user=None, via="cli")
org = organisation_create(actor=system, ods_code="R1A", name="Example NHS Trust")
ward = ward_create(actor=system, organisation=org, code="OAK", name="Oak Ward", beds=18,
                   service_type="adult_acute")
patient = patient_create(actor=system, organisation=org, local_id="P1001", given_name="Jo",
                         family_name="Bloggs", date_of_birth=dt.date(1984, 3, 15),
                         nhs_number="9434765919")
admission_create(actor=system, patient=patient, ward=ward, admitted_on=dt.date(2026, 9, 20),
                 spell_id="SP0001")
start = dt.datetime(2026, 10, 5, 12, 0, tzinfo=ZoneInfo("Europe/London"))
minutes = lambda n: start + dt.timedelta(minutes=n)
incident_create(actor=system, organisation=org, now=minutes(120), data=IncidentInput(
    ward=ward, patient=patient, started_at=start, ended_at=minutes(10), reason="10",
    description="Held standing, then on his side", efforts_to_avoid="Talking",
    outcome="Settled", notification="not_applicable", in_care_plan=False,
    interventions=[InterventionInput("07", start, minutes(4)),
                   InterventionInput("10", minutes(4), minutes(10))],
    staff=[StaffInput("Sam Lee", "Staff nurse", "lead"),
           StaffInput("Kim Ode", "Staff nurse", "monitoring_wellbeing")]))
"""


@pytest.fixture
def cli(rrp_cli: Any) -> Any:
    result = rrp_cli.shell(SETUP)
    assert result.returncode == 0, result.stderr
    return rrp_cli


def test_mhsds_export_writes_both_files_and_says_so(cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "mhsds"
    result = cli("export", "mhsds", "--org", "R1A", "--month", "2026-10", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "1 use of force and 2 interventions for October 2026" in result.stdout
    data = read_mhsds_export(out)
    row, = data.incidents
    assert row["HospProvSpellID"] == "SP0001"
    assert (row["StartDateRestrictiveIntInc"], row["StartTimeRestrictiveIntInc"]) == (
        "2026-10-05", "12:00:00")
    assert [t["RestrictiveIntType"] for t in data.types] == ["07", "10"]
    # ... and the export is in the audit trail with what went out.
    audit = cli.shell(
        "from rrp.audit.models import AuditEvent\n"
        "e = AuditEvent.objects.get(action='export')\n"
        "print(e.via, e.after['month'], e.after['incidents'])"
    )
    assert audit.stdout.strip() == "cli 2026-10 ['UOF-000001']"


@pytest.mark.parametrize(("arguments", "message"), [
    (["--org", "R1A", "--month", "2026-13"], "'2026-13' is not a month"),
    (["--org", "R1A", "--month", "October"], "'October' is not a month"),
    (["--org", "ZZ0", "--month", "2026-10"], "CommandError: no organisation with ODS code ZZ0"),
    (["--org", "R1A"], "the following arguments are required: --month"),
])
def test_bad_arguments_give_one_line_and_a_failure_exit(
    rrp_cli: Any, tmp_path: Path, arguments: list[str], message: str
) -> None:
    result = rrp_cli("export", "mhsds", *arguments, "--out", str(tmp_path / "out"))
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]
    assert not (tmp_path / "out").exists()


def test_out_must_be_a_directory(cli: Any, tmp_path: Path) -> None:
    target = tmp_path / "a-file"
    target.write_text("not a directory")
    result = cli("export", "mhsds", "--org", "R1A", "--month", "2026-10", "--out", str(target))
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [f"CommandError: --out {target} is a file, "
                                                  "not a directory"]


def test_use_of_force_records_export_names_the_patient(cli: Any, tmp_path: Path) -> None:
    result = cli("export", "use-of-force", "--org", "R1A", "--from", "2026-10-01",
                 "--to", "2026-10-31", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    path = tmp_path / "UseOfForceRecords_2026-10-01_to_2026-10-31.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        row, = list(csv.DictReader(handle))
    assert row["e_patient_name"] == "Jo Bloggs"
    assert row["g_patient_identifier"] == "NHS number 943 476 5919"
    bad = cli("export", "use-of-force", "--org", "R1A", "--from", "2026-10-31",
              "--to", "2026-10-01", "--out", str(tmp_path))
    assert bad.returncode != 0 and bad.stderr.strip() == "CommandError: --to is before --from"

