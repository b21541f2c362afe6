"""`rrp staff import --org R1A --csv FILE`: an ESR staff list, all or nothing, every problem
with its line number, and re-runnable (matched on staff number)."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from rrp.audit.models import AuditEvent
from rrp.workforce.models import StaffMember

HEADER = ("Employee Number,Last Name,First Name,Position Title,Grade,Staff Group,"
          "Assignment Category,Ward,Hire Date,Termination Date\n")
GOOD = HEADER + (
    "E1001,Okafor,Ada,Staff Nurse,NHS|AfC|Band 5,Nursing and Midwifery Registered,Permanent,"
    "OAK,01/04/2024,\n"
    "E1002,Brennan,Tom,Healthcare Assistant,Band 3,Additional Clinical Services,Bank,"
    "OAK;ASH,2025-06-01,\n"
    "E1003,Shah,Priya,Peer Support Worker,Band 4,Additional Clinical Services,Peer Support,"
    "ASH,15-Jan-2026,\n"
)


def run(path: Path, org: str = "R1A") -> str:
    out = StringIO()
    call_command("staff", "import", "--org", org, "--csv", str(path), stdout=out)
    return out.getvalue()


@pytest.fixture
def wards(make_ward: Any) -> None:
    make_ward(code="OAK", name="Oak Ward")
    make_ward(code="ASH", name="Ash Ward")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "esr.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_an_esr_staff_list_fills_the_register(tmp_path: Path, wards: None) -> None:
    output = run(write(tmp_path, GOOD))
    assert "3 added, 0 updated, 0 unchanged" in output
    ada = StaffMember.objects.get(staff_number="E1001")
    assert (ada.name, ada.job_title, ada.grade, ada.qualified, ada.employment) == (
        "Ada Okafor", "Staff Nurse", "Band 5", True, "permanent")
    assert ada.start_date == dt.date(2024, 4, 1)
    tom = StaffMember.objects.get(staff_number="E1002")
    assert tom.employment == "bank" and not tom.qualified
    assert sorted(w.code for w in tom.wards.all()) == ["ASH", "OAK"]
    assert StaffMember.objects.get(staff_number="E1003").employment == "peer_support"
    assert AuditEvent.objects.filter(action="import",
                                     object_type="workforce.staffmember").count() == 1


def test_running_the_same_file_again_changes_nothing(tmp_path: Path, wards: None) -> None:
    path = write(tmp_path, GOOD)
    run(path)
    events = AuditEvent.objects.count()
    assert "0 added, 0 updated, 3 unchanged" in run(path)
    assert StaffMember.objects.count() == 3
    # Only the import itself is recorded: no change events for people who did not change.
    assert AuditEvent.objects.count() == events + 1


def test_a_later_export_updates_people_matched_on_staff_number(
    tmp_path: Path, wards: None, make_user: Any
) -> None:
    run(write(tmp_path, GOOD))
    nurse = make_user("ward_staff")
    StaffMember.objects.filter(staff_number="E1001").update(user=nurse)
    later = GOOD.replace("OAK,01/04/2024,", "OAK,01/04/2024,31/03/2026")
    assert "0 added, 1 updated, 2 unchanged" in run(write(tmp_path, later))
    ada = StaffMember.objects.get(staff_number="E1001")
    assert ada.leaving_date == dt.date(2026, 3, 31)
    assert ada.user == nurse  # the export knows nothing of RRP accounts: the link stays


def test_any_problem_imports_nothing_and_names_every_line(tmp_path: Path, wards: None) -> None:
    bad = GOOD + (
        "E1004,Jones,Ann,Staff Nurse,Band 5,Nursing and Midwifery Registered,Contractor,OAK,,\n"
        "E1005,Evans,Bob,Nurse,Band 5,Nursing and Midwifery Registered,Permanent,ELM,,\n"
        "E1006,Hall,Cy,Nurse,Band 5,Nursing and Midwifery Registered,Permanent,OAK,31/02/2026,\n"
        "E1001,Again,Ada,Nurse,Band 5,Nursing and Midwifery Registered,Permanent,OAK,,\n"
    )
    with pytest.raises(CommandError) as error:
        run(write(tmp_path, bad))
    message = str(error.value)
    assert message.startswith("nothing was imported: 4 problems")
    assert "line 5: Assignment Category 'Contractor'" in message
    assert "line 6: wards.0: There is no ward with code 'ELM' here" in message
    assert "line 7: '31/02/2026' is not a date" in message
    assert "line 8: staff_number: E1001 is also on line 2" in message
    assert not StaffMember.objects.exists()


def test_a_file_without_the_columns_says_which_are_missing(tmp_path: Path, wards: None) -> None:
    with pytest.raises(CommandError) as error:
        run(write(tmp_path, "Employee Number,Name\nE1,Ada\n"))
    assert "line 1: the first line must name the columns: missing Position Title, " \
           "Assignment Category, Staff Group (or Registered)" in str(error.value)


def test_an_unknown_organisation_is_one_line(tmp_path: Path, wards: None) -> None:
    with pytest.raises(CommandError, match="no organisation with ODS code XYZ"):
        run(write(tmp_path, GOOD), org="XYZ")
