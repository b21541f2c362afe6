"""Reading a staff list exported from the national staff record (ESR) as CSV. Plain functions.

The columns are the ones an ESR staff list report gives (matched whatever their case, spacing
or punctuation; the first name listed is the ESR heading, the others are accepted too):

    Employee Number        staff_number                         required
    First Name, Last Name  or Full Name ("Okafor, Ada" or "Ada Okafor")
    Position Title         job_title, job_role                   required
    Grade                  pay_band, band                        ("NHS|AfC|Band 5" -> "Band 5")
    Staff Group            ESR staff groups; registered ones make a person qualified
    Registered             qualified: yes/no, overrides the staff group
    Assignment Category    employment: Permanent, Fixed Term Temp, Bank, Agency, Volunteer,
                           Peer Support (or RRP's own values)
    Ward                   wards, location: ward codes, several separated by ";"
    Hire Date              start_date, assignment_start_date
    Termination Date       leaving_date, assignment_end_date

Dates are read as 31/01/2026, 2026-01-31 or 31-Jan-2026 (ESR's own). Every problem is reported
with its line number; the caller imports nothing if there is any. A line that cannot be read
is left out of the lines returned (its problem is reported instead).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Final

from rrp.core.spreadsheets import unsafe_cell
from rrp.workforce.inputs import StaffInput
from rrp.workforce.services import StaffImportLine

COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "staff_number": ("employee_number", "staff_number", "employee_no"),
    "first_name": ("first_name", "forename"),
    "last_name": ("last_name", "surname"),
    "full_name": ("full_name", "name", "employee_name"),
    "job_title": ("position_title", "job_title", "job_role", "position"),
    "grade": ("grade", "pay_band", "band"),
    "staff_group": ("staff_group",),
    "qualified": ("registered", "qualified"),
    "employment": ("assignment_category", "employment", "employment_category"),
    "wards": ("ward", "wards", "location", "ward_code"),
    "start_date": ("hire_date", "start_date", "assignment_start_date"),
    "leaving_date": ("termination_date", "leaving_date", "assignment_end_date"),
}

# ESR staff groups whose members are registered professionals (standard 2.5.2.II: ILS).
REGISTERED_GROUPS: Final = frozenset({
    "nursing and midwifery registered", "medical and dental", "allied health professionals",
    "add prof scientific and technic", "healthcare scientists",
})
UNREGISTERED_GROUPS: Final = frozenset({
    "additional clinical services", "administrative and clerical", "estates and ancillary",
    "students", "additional professional scientific and technical",
})

EMPLOYMENT_WORDS: Final[dict[str, str]] = {
    "permanent": "permanent", "fixed term temp": "permanent", "fixed term": "permanent",
    "fixed term temporary": "permanent", "bank": "bank", "agency": "agency",
    "volunteer": "volunteer", "peer support": "peer_support",
    "peer support worker": "peer_support", "peer_support": "peer_support",
}
YES: Final = frozenset({"yes", "y", "true", "1"})
NO: Final = frozenset({"no", "n", "false", "0"})


def _normal(header: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", header.strip().lower()).strip("_")


def parse_date(text: str) -> dt.date:
    """31/01/2026, 2026-01-31 or 31-Jan-2026; ValueError with a sentence otherwise."""
    value = text.strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%b-%Y"):
        try:
            return dt.datetime.strptime(value, pattern).date()  # noqa: DTZ007 - a day, no time
        except ValueError:
            continue
    raise ValueError(f"'{value}' is not a date: write it as 31/01/2026 or 2026-01-31")


def _name(record: dict[str, str]) -> str:
    full = record.get("full_name", "")
    if full:
        if "," in full:  # ESR's "Surname, Forename"
            last, first = (part.strip() for part in full.split(",", 1))
            return f"{first} {last}".strip()
        return full
    return " ".join(p for p in (record.get("first_name", ""), record.get("last_name", "")) if p)


def _qualified(record: dict[str, str], problems: list[str]) -> bool:
    explicit = record.get("qualified", "").lower()
    if explicit:
        if explicit in YES:
            return True
        if explicit not in NO:
            problems.append(f"Registered must be yes or no, not '{record['qualified']}'")
        return False
    group = " ".join(record.get("staff_group", "").lower().split())
    if group in REGISTERED_GROUPS:
        return True
    if group and group not in UNREGISTERED_GROUPS:
        problems.append(f"'{record['staff_group']}' is not an ESR staff group: add a "
                        "Registered column (yes or no) instead")
    return False


def read_staff_csv(text: str) -> tuple[list[StaffImportLine], list[tuple[int, str]]]:
    """The lines of a staff list that could be read, and every problem as (line, message)."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = next(reader)
    except StopIteration:
        return [], [(1, "the file is empty")]
    except csv.Error as error:
        return [], [(1, str(error))]
    positions: dict[str, int] = {}
    normal = [_normal(h) for h in header]
    for name, aliases in COLUMNS.items():
        for alias in aliases:
            if alias in normal:
                positions[name] = normal.index(alias)
                break
    missing = [label for name, label in (("staff_number", "Employee Number"),
                                         ("job_title", "Position Title"),
                                         ("employment", "Assignment Category"))
               if name not in positions]
    if "full_name" not in positions and "last_name" not in positions:
        missing.append("Full Name (or First Name and Last Name)")
    if "staff_group" not in positions and "qualified" not in positions:
        missing.append("Staff Group (or Registered)")
    if missing:
        return [], [(1, f"the first line must name the columns: missing {', '.join(missing)}")]
    lines: list[StaffImportLine] = []
    problems: list[tuple[int, str]] = []
    try:
        rows = list(enumerate(reader, start=2))
    except csv.Error as error:
        return [], [(reader.line_num, str(error))]
    for number, row in rows:
        if not any(cell.strip() for cell in row):
            continue  # a blank line, as spreadsheets leave at the end
        record = {
            name: unsafe_cell(row[index]).strip() if index < len(row) else ""
            for name, index in positions.items()
        }
        found: list[str] = []
        employment = EMPLOYMENT_WORDS.get(" ".join(record["employment"].lower().split()))
        if employment is None:
            found.append(f"Assignment Category '{record['employment']}' is not permanent, "
                         "fixed term, bank, agency, volunteer or peer support")
        qualified = _qualified(record, found)
        dates: dict[str, dt.date | None] = {}
        for name in ("start_date", "leaving_date"):
            dates[name] = None
            if record.get(name):
                try:
                    dates[name] = parse_date(record[name])
                except ValueError as error:
                    found.append(str(error))
        grade = record.get("grade", "").rsplit("|", 1)[-1].strip()
        wards = [code.strip() for code in re.split(r"[;|]", record.get("wards", ""))
                 if code.strip()]
        if found:
            problems.extend((number, message) for message in found)
            continue
        assert employment is not None
        lines.append(StaffImportLine(number, StaffInput(
            staff_number=record["staff_number"], name=_name(record),
            job_title=record["job_title"], employment=employment, grade=grade,
            qualified=qualified, wards=wards, start_date=dates["start_date"],
            leaving_date=dates["leaving_date"],
        )))
    if not lines and not problems:
        problems.append((2, "the file has no staff in it"))
    return lines, problems
