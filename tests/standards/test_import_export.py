"""A cycle as a spreadsheet: exported as CSV or Excel, and imported back (so a provider can
start from its existing spreadsheet). An import changes nothing unless every row is right."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from rrp.audit.models import AuditEvent
from rrp.audit.services import Actor
from rrp.standards import services
from rrp.standards.models import StatementAssessment

from .conftest import HTML, assessment_of


def csv_rows(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def rows_to_csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


def test_a_csv_round_trip_changes_only_what_was_edited(
    cycle: Any,
    lead_actor: Actor,
    lead: Any,
    make_user: Any,
    client_for: Any,
    organisation: Any,
) -> None:
    manager = make_user("ward_manager", username="tom", full_name="Tom Brennan")
    services.assessment_update(
        actor=lead_actor,
        assessment=assessment_of(cycle, "1.1.I"),
        rating="met",
        narrative='=HYPERLINK("http://evil") strategy approved',
        owner=lead,
    )
    client = client_for(lead, organisation)
    exported = client.get(f"/compliance/cycles/{cycle.pk}/export/csv/")
    assert (
        exported["Content-Disposition"]
        == 'attachment; filename="R1A-2026-27-annual-self-assessment.csv"'
    )
    rows = csv_rows(exported.content)
    assert rows[0] == [
        "Statement",
        "Section",
        "Subsection",
        "Subsection title",
        "Statement text",
        "Rating",
        "Narrative",
        "Owner username",
        "Rationale if not applicable",
        "Alternative arrangements if not applicable",
    ]
    assert len(rows) == 210
    first = rows[1]
    assert first[0] == "1.1.I" and first[5] == "Met" and first[7] == "grace"
    # A narrative starting like a formula is neutralised for spreadsheet programs.
    assert first[6] == '\'=HYPERLINK("http://evil") strategy approved'

    # Exported and imported unchanged: nothing changes (not even carried-forward flags).
    response = client.post(
        f"/compliance/cycles/{cycle.pk}/import/",
        {"upload": SimpleUploadedFile("same.csv", exported.content)},
    )
    assert response.status_code == 302
    assert StatementAssessment.objects.filter(cycle=cycle, version__gt=0).count() == 1

    by_ref = {row[0]: row for row in rows[1:]}
    by_ref["1.2.I"][5:8] = ["Partially met", "Panel being recruited", "tom"]
    by_ref["3.5.X"][5] = "N/A"
    by_ref["3.5.X"][8:10] = ["No external trainers", "In-house RRN-certified team"]
    by_ref["1.3.I"][5] = "not met"
    by_ref["1.3.I"][6] = "Training below 85% on two wards"
    response = client.post(
        f"/compliance/cycles/{cycle.pk}/import/",
        {"upload": SimpleUploadedFile("edited.csv", rows_to_csv([rows[0], *by_ref.values()]))},
    )
    assert response.status_code == 302
    assert (
        "3 statements changed, 206 unchanged" in client.get(response["Location"]).content.decode()
    )
    gap = assessment_of(cycle, "1.2.I")
    assert (gap.rating, gap.narrative, gap.owner) == (
        "partially_met",
        "Panel being recruited",
        manager,
    )
    assert assessment_of(cycle, "3.5.X").na_arrangements == "In-house RRN-certified team"
    assert assessment_of(cycle, "1.1.I").narrative == '=HYPERLINK("http://evil") strategy approved'
    assert gap.history.get().kind == "imported"
    assert AuditEvent.objects.filter(
        action="import", summary__contains="edited.csv, 3 statements changed"
    ).exists()


def test_an_excel_round_trip(
    cycle: Any, lead_actor: Actor, lead: Any, client_for: Any, organisation: Any
) -> None:
    services.assessment_update(
        actor=lead_actor,
        assessment=assessment_of(cycle, "1.1.I"),
        rating="met",
        narrative="=1+1 is not a formula here",
    )
    client = client_for(lead, organisation)
    exported = client.get(f"/compliance/cycles/{cycle.pk}/export/xlsx/")
    workbook = load_workbook(io.BytesIO(exported.content))
    sheet = workbook.active
    assert sheet["A2"].value == "1.1.I"
    assert sheet["G2"].value == "=1+1 is not a formula here"
    assert sheet["G2"].data_type == "s"
    sheet["F3"] = "Not met"
    sheet["G3"] = "No implementation procedure yet"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = client.post(
        f"/compliance/cycles/{cycle.pk}/import/",
        {"upload": SimpleUploadedFile("edited.xlsx", buffer.getvalue())},
    )
    assert response.status_code == 302
    second = assessment_of(cycle, "1.1.II")
    assert (second.rating, second.narrative) == ("not_met", "No implementation procedure yet")
    assert assessment_of(cycle, "1.1.I").narrative == "=1+1 is not a formula here"


def test_a_spreadsheet_of_its_own_shape_is_read_by_its_headers(
    cycle: Any, lead: Any, client_for: Any, organisation: Any
) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Notes", "Rating", "Statement ID"])
    sheet.append(["from our old tracker", "Met", "2.1.I"])
    sheet.append([None, None, None])
    sheet.append(["Two wards still to train", "Partly met", "2.1.II"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = client_for(lead, organisation).post(
        f"/compliance/cycles/{cycle.pk}/import/",
        {"upload": SimpleUploadedFile("tracker.xlsx", buffer.getvalue())},
    )
    assert response.status_code == 302
    assert assessment_of(cycle, "2.1.I").rating == "met"
    assert assessment_of(cycle, "2.1.II").rating == "partially_met"
    assert assessment_of(cycle, "2.1.II").narrative == "Two wards still to train"
    assert assessment_of(cycle, "2.1.I").narrative == "from our old tracker"


def test_an_import_with_any_problem_changes_nothing_and_lists_every_row(
    cycle: Any, lead: Any, client_for: Any, organisation: Any
) -> None:
    rows = [
        ["Statement", "Rating", "Narrative", "Owner username"],
        ["1.1.I", "Met", "", ""],
        ["9.9.IX", "Met", "", ""],
        ["1.1.II", "mostly", "", ""],
        ["1.1.III", "Not applicable", "", ""],
        ["1.1.IV", "Partially met", "", ""],
        ["1.1.V", "Met", "", "nobody"],
        ["1.1.I", "Met", "", ""],
    ]
    response = client_for(lead, organisation).post(
        f"/compliance/cycles/{cycle.pk}/import/",
        {"upload": SimpleUploadedFile("bad.csv", rows_to_csv(rows))},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Nothing was imported" in text
    assert (
        "Row 4 (1.1.II): rating ‘mostly’ is not one of met, partially met, not met or "
        "not applicable" in text
    )
    # The rating problem is reported on its own first; fixing it reveals the rest.
    rows[3][1] = "Met"
    response = client_for(lead, organisation).post(
        f"/compliance/cycles/{cycle.pk}/import/",
        {"upload": SimpleUploadedFile("bad.csv", rows_to_csv(rows))},
    )
    text = response.content.decode()
    for message in (
        "Row 3: there is no statement 9.9.IX in nms-2019-12",
        "Row 5 (1.1.III): Enter why this statement does not apply to your organisation",
        "Row 6 (1.1.IV): Describe what is in place and what is missing",
        "Row 7: nobody is not someone in Example NHS Trust who can see the compliance pages",
        "Row 8: statement 1.1.I appears more than once",
    ):
        assert message in text
    assert not StatementAssessment.objects.filter(cycle=cycle).exclude(rating="").exists()


def test_an_import_file_is_checked_like_any_upload(
    cycle: Any, lead: Any, client_for: Any, organisation: Any
) -> None:
    client = client_for(lead, organisation)
    response = client.post(
        f"/compliance/cycles/{cycle.pk}/import/",
        {"upload": SimpleUploadedFile("ratings.csv", HTML)},
    )
    assert "web page or SVG markup" in response.content.decode()
    response = client.post(
        f"/compliance/cycles/{cycle.pk}/import/",
        {"upload": SimpleUploadedFile("ratings.pdf", b"%PDF-1.4")},
    )
    assert ".pdf files cannot be uploaded. Upload .csv or .xlsx" in response.content.decode()
    response = client.post(
        f"/compliance/cycles/{cycle.pk}/import/",
        {"upload": SimpleUploadedFile("ratings.csv", b"Name,Value\r\nx,1\r\n")},
    )
    assert "there is no Statement or Rating column" in response.content.decode()
