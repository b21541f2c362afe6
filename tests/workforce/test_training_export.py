"""`rrp training export --org R1A --format csv|xlsx` and the same download on the compliance
page: a row per person and course they need or have done, audited."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from rrp.audit.models import AuditEvent


@pytest.fixture
def trained(clock: Any, make_staff: Any, make_course: Any, train: Any) -> None:
    physical = make_course("RRN-L2")
    make_course("BLS", level="bls")
    ada = make_staff("=HYPERLINK(\"x\")", staff_number="E1001", employment="bank")
    train(ada, physical, on=dt.date(2026, 1, 10))


def test_csv_to_standard_output(trained: None) -> None:
    out = io.StringIO()
    call_command("training", "export", "--org", "R1A", "--format", "csv", stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue().lstrip("\ufeff"))))
    assert [(r["Course"], r["Status"], r["In date until"]) for r in rows] == [
        ("BLS", "Never trained", ""), ("RRN-L2", "In date", "2027-01-10")]
    assert rows[0]["Name"] == "'=HYPERLINK(\"x\")"  # never run as a formula
    assert rows[0]["Employment"] == "Bank"
    assert AuditEvent.objects.filter(action="export",
                                     object_type="workforce.trainingrecord").count() == 1


def test_xlsx_to_a_file(trained: None, tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("training", "export", "--org", "R1A", "--format", "xlsx", "--out",
                 str(tmp_path), stdout=out)
    path = tmp_path / "training-R1A-2026-03-10.xlsx"
    assert f"Wrote 2 rows of training records to {path}" in out.getvalue()
    sheet = load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Staff number", "Name", "Job title")
    assert rows[2][7] == "RRN-L2" and rows[2][11] == "In date"


def test_xlsx_needs_a_file_to_go_to(trained: None) -> None:
    with pytest.raises(CommandError, match="give --out FILE"):
        call_command("training", "export", "--org", "R1A", "--format", "xlsx",
                     stdout=io.StringIO())
    assert not AuditEvent.objects.filter(action="export").exists()


def test_the_page_download_is_the_same_file(trained: None, client_as: Any) -> None:
    response = client_as("trainer").get("/training/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="training-R1A-2026-03-10.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 3
