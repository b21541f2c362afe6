"""The training spreadsheet managers otherwise keep by hand: one row per person on the register
and course they need or have done, with the status and expiry the pages show (the same
selectors), as CSV or Excel. Named staff, so every export is audited."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Final

from rrp.audit.services import Actor
from rrp.core.spreadsheets import csv_text
from rrp.organisations.models import Organisation
from rrp.workforce import selectors, services

FORMATS: Final = ("csv", "xlsx")
CONTENT_TYPES: Final = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
HEADINGS: Final = {
    "staff_number": "Staff number", "name": "Name", "job_title": "Job title", "grade": "Grade",
    "qualified": "Registered", "employment": "Employment", "wards": "Wards",
    "course": "Course", "course_title": "Course title", "level": "Level",
    "required": "Required", "status": "Status", "last_completed_on": "Last completed",
    "expires_on": "In date until", "latest_outcome": "Latest outcome",
}


@dataclass(frozen=True)
class ExportFile:
    name: str
    content: bytes
    content_type: str
    rows: int


def training_csv(rows: list[dict[str, str]]) -> bytes:
    text = csv_text([HEADINGS[c] for c in selectors.EXPORT_COLUMNS],
                    ([row[c] for c in selectors.EXPORT_COLUMNS] for row in rows))
    return ("\ufeff" + text).encode("utf-8")  # the BOM makes Excel read UTF-8


def training_xlsx(rows: list[dict[str, str]], today: dt.date) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = f"Training {today:%Y-%m-%d}"
    sheet.append([HEADINGS[c] for c in selectors.EXPORT_COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row_number, row in enumerate(rows, start=2):
        for column, name in enumerate(selectors.EXPORT_COLUMNS, start=1):
            cell = sheet.cell(row=row_number, column=column, value=row[name])
            # openpyxl stores "=..." as a formula; a name or job title must stay text.
            cell.data_type = "s"
    widths = (12, 24, 24, 10, 10, 22, 16, 12, 36, 24, 9, 14, 14, 14, 20)
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "C2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def training_export(
    *, actor: Actor, organisation: Organisation, today: dt.date, fmt: str
) -> ExportFile:
    if fmt not in FORMATS:
        raise ValueError(f"'{fmt}' is not a format: choose csv or xlsx")
    rows = selectors.export_rows(organisation, today)
    content = training_csv(rows) if fmt == "csv" else training_xlsx(rows, today)
    services.export_audited(actor=actor, organisation=organisation,
                            what=f"Training records ({fmt})", rows=len(rows))
    return ExportFile(
        name=f"training-{organisation.ods_code}-{today:%Y-%m-%d}.{fmt}", content=content,
        content_type=CONTENT_TYPES[fmt], rows=len(rows),
    )
