"""What leaves RRP about a cycle: the board summary PDF, the regulator's evidence pack, and the
cycle as a spreadsheet (CSV or Excel), with the import that reads such a spreadsheet back.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, BinaryIO, Final

from django.template.loader import render_to_string
from django.utils import timezone

from rrp.core.spreadsheets import csv_text, unsafe_cell
from rrp.standards import rules, storage
from rrp.standards.models import (
    ActionPlanItem,
    AssessmentCycle,
    Evidence,
    EvidenceAttachment,
    EvidenceKind,
    PeerReviewResponse,
    PeerReviewStatus,
    StatementAssessment,
)
from rrp.standards.selectors import CycleReport, cycle_actions, cycle_report, display_name
from rrp.standards.services import ImportRow
from rrp.standards.uploads import UploadRejected, check_upload, decode_text

PRINT_CSS: Final = Path(__file__).resolve().parent / "static" / "standards" / "print.css"
MAX_IMPORT_ROWS: Final = 2000
# Spreadsheet programs run a cell starting with one of these as a formula (CSV injection).

EXPORT_COLUMNS: Final = (
    ("statement", "Statement"),
    ("section", "Section"),
    ("subsection", "Subsection"),
    ("title", "Subsection title"),
    ("text", "Statement text"),
    ("rating", "Rating"),
    ("narrative", "Narrative"),
    ("owner", "Owner username"),
    ("na_rationale", "Rationale if not applicable"),
    ("na_arrangements", "Alternative arrangements if not applicable"),
)
# Header names an import understands, normalised (lower case, words joined by _).
_IMPORT_HEADERS: Final = {
    "statement": "statement",
    "statement_id": "statement",
    "id": "statement",
    "rating": "rating",
    "narrative": "narrative",
    "comments": "narrative",
    "notes": "narrative",
    "owner_username": "owner",
    "owner": "owner",
    "rationale_if_not_applicable": "na_rationale",
    "na_rationale": "na_rationale",
    "alternative_arrangements_if_not_applicable": "na_arrangements",
    "na_arrangements": "na_arrangements",
}
_RATING_WORDS: Final = {
    **{code: code for code in rules.RATINGS},
    **{label.lower(): code for code, label in rules.RATING_LABELS.items() if code},
    "n/a": rules.NOT_APPLICABLE,
    "na": rules.NOT_APPLICABLE,
    "partially": rules.PARTIALLY_MET,
    "partly met": rules.PARTIALLY_MET,
}


def _local_date(value: dt.datetime | None) -> str:
    return timezone.localtime(value).date().isoformat() if value else ""


# -- board summary PDF -------------------------------------------------------------------------


def summary_html(report: CycleReport, *, generated_at: dt.datetime) -> str:
    return render_to_string(
        "standards/print/summary.html",
        {"report": report, "generated_at": generated_at, "labels": rules.RATING_LABELS},
    )


def summary_pdf(cycle: AssessmentCycle, *, today: dt.date | None = None) -> bytes:
    """The compliance summary for the board, from the same figures as the summary page."""
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    report = cycle_report(cycle, today=today)
    html = summary_html(report, generated_at=timezone.now())
    # Nothing is fetched while rendering: user text can never make the server load a URL.
    fetcher = URLFetcher(allowed_protocols=["data"])
    document = HTML(string=html, url_fetcher=fetcher, base_url="data:,")
    pdf = document.write_pdf(stylesheets=[CSS(filename=str(PRINT_CSS))])
    assert pdf is not None
    return bytes(pdf)


# -- statement index (evidence pack) -------------------------------------------------------------

INDEX_COLUMNS: Final = (
    "Statement",
    "Section",
    "Subsection title",
    "Statement text",
    "Rating",
    "Narrative",
    "Owner",
    "Rationale if not applicable",
    "Alternative arrangements if not applicable",
    "Evidence",
    "Actions",
    "Peer review",
)


def evidence_file_name(evidence: Evidence) -> str:
    """The name an evidence file has inside the pack: its reference and a tidy original name."""
    stem, _, extension = evidence.original_name.rpartition(".")
    stem = (
        re.sub(r"[^A-Za-z0-9._-]+", "-", stem or evidence.original_name).strip("-.")[:80] or "file"
    )
    extension = re.sub(r"[^A-Za-z0-9]", "", extension)[:8]
    return f"evidence/{evidence.reference}-{stem}" + (f".{extension}" if extension else "")


def _evidence_words(evidence: Evidence) -> str:
    if evidence.kind == EvidenceKind.FILE:
        where = f"file {evidence_file_name(evidence)}, SHA-256 {evidence.sha256}"
    elif evidence.kind == EvidenceKind.LINK:
        where = f"link {evidence.url}"
    else:
        where = f"RRP {evidence.get_record_kind_display().lower()} {evidence.record_path}"
    words = f"{evidence.reference} {evidence.title} ({where})"
    if evidence.review_on:
        words += f", review by {evidence.review_on.isoformat()}"
    if evidence.is_withdrawn:
        words += f", withdrawn {_local_date(evidence.withdrawn_at)}"
    return words


def _action_words(action: ActionPlanItem, today: dt.date) -> str:
    words = f"{action.reference} {action.get_status_display()}, due {action.due_on.isoformat()}"
    if action.is_open and action.due_on < today:
        words += " (overdue)"
    return f"{words}: {action.description}"


def statement_index_rows(cycle: AssessmentCycle, *, today: dt.date) -> Iterator[list[str]]:
    assessments = list(
        StatementAssessment.objects.filter(cycle=cycle)
        .select_related("statement", "owner")
        .order_by("statement__position")
    )
    evidence: dict[int, list[str]] = {}
    for attachment in (
        EvidenceAttachment.objects.filter(assessment__cycle=cycle, removed_at__isnull=True)
        .select_related("evidence")
        .order_by("added_at", "pk")
    ):
        evidence.setdefault(attachment.assessment_id, []).append(
            _evidence_words(attachment.evidence)
        )
    actions: dict[str, list[str]] = {}
    for action in cycle_actions(cycle):
        actions.setdefault(action.statement.ref, []).append(_action_words(action, today))
    reviews: dict[int, list[str]] = {}
    for response in PeerReviewResponse.objects.filter(
        peer_review__cycle=cycle,
        peer_review__status__in=[PeerReviewStatus.INVITED, PeerReviewStatus.SIGNED_OFF],
    ).select_related("peer_review__reviewer"):
        words = f"{display_name(response.peer_review.reviewer)}: {response.get_verdict_display()}"
        if response.comment:
            words += f" - {response.comment}"
        if response.answer:
            words += f" | Answer: {response.answer}"
        reviews.setdefault(response.assessment_id, []).append(words)
    for a in assessments:
        yield [
            a.statement.ref,
            f"{a.statement.section} {a.statement.section_title}",
            f"{a.statement.subsection} {a.statement.title}".strip(),
            a.statement.text,
            rules.RATING_LABELS[a.rating],
            a.narrative,
            display_name(a.owner) if a.owner else "",
            a.na_rationale,
            a.na_arrangements,
            "; ".join(evidence.get(a.pk, [])),
            "; ".join(actions.get(a.statement.ref, [])),
            "; ".join(reviews.get(a.pk, [])),
        ]


def _csv_text(header: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    return csv_text(list(header), ([str(cell) for cell in row] for row in rows))


def statement_index_csv(cycle: AssessmentCycle, *, today: dt.date) -> str:
    return _csv_text(INDEX_COLUMNS, statement_index_rows(cycle, today=today))


def pack_evidence(cycle: AssessmentCycle) -> list[Evidence]:
    return list(
        Evidence.objects.filter(
            attachments__assessment__cycle=cycle, attachments__removed_at__isnull=True
        )
        .distinct()
        .order_by("pk")
    )


def evidence_pack(cycle: AssessmentCycle, *, today: dt.date | None = None) -> IO[bytes]:
    """One zip for the regulator: the summary PDF, a CSV index of every statement, a CSV list
    of the evidence, and every evidence file (checked against its hash as it goes in)."""
    today = today or timezone.localdate()
    pack = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)  # noqa: SIM115 - returned open
    evidence = pack_evidence(cycle)
    with zipfile.ZipFile(pack, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("summary.pdf", summary_pdf(cycle, today=today))
        archive.writestr("statements.csv", "\ufeff" + statement_index_csv(cycle, today=today))
        archive.writestr(
            "evidence.csv",
            "\ufeff"
            + _csv_text(
                (
                    "Reference",
                    "Title",
                    "Kind",
                    "File in this pack",
                    "SHA-256",
                    "Web address or RRP address",
                    "Owner",
                    "Review or expiry date",
                    "Withdrawn",
                ),
                (
                    [
                        e.reference,
                        e.title,
                        e.get_kind_display(),
                        evidence_file_name(e) if e.kind == EvidenceKind.FILE else "",
                        e.sha256,
                        e.url or e.record_path,
                        display_name(e.owner) if e.owner else "",
                        e.review_on.isoformat() if e.review_on else "",
                        _local_date(e.withdrawn_at),
                    ]
                    for e in evidence
                ),
            ),
        )
        archive.writestr("README.txt", _readme(cycle, today))
        for item in evidence:
            if item.kind != EvidenceKind.FILE:
                continue
            # Dated when it was uploaded, so the regulator sees the file's age in the pack.
            entry = zipfile.ZipInfo(
                evidence_file_name(item),
                date_time=timezone.localtime(item.created_at).timetuple()[:6],
            )
            entry.compress_type = zipfile.ZIP_DEFLATED
            with (
                storage.open_verified(item.stored_name, item.sha256) as handle,
                archive.open(entry, "w", force_zip64=True) as target,
            ):
                while chunk := handle.read(64 * 1024):
                    target.write(chunk)
    pack.seek(0)
    return pack  # type: ignore[return-value]


def _readme(cycle: AssessmentCycle, today: dt.date) -> str:
    status = cycle.get_status_display().lower()
    signed = ""
    if cycle.signed_off_at:
        who = display_name(cycle.signed_off_by)
        signed = f"Signed off on {_local_date(cycle.signed_off_at)} by {who}.\r\n"
    return (
        f"Evidence pack: {cycle.organisation.name} ({cycle.organisation.ods_code})\r\n"
        f"Self-assessment: {cycle.name}, {cycle.period_start.isoformat()} to "
        f"{cycle.period_end.isoformat()} ({status}).\r\n{signed}"
        f"Standard: {cycle.edition.title} ({cycle.edition.code}).\r\n"
        f"Prepared on {today.isoformat()} by Reducing Restrictive Practice (RRP).\r\n\r\n"
        "summary.pdf     the compliance summary presented to the board\r\n"
        "statements.csv  every statement with its rating, rationale, evidence, actions and\r\n"
        "                peer review\r\n"
        "evidence.csv    every piece of evidence with its SHA-256 hash\r\n"
        "evidence/       the evidence files, named by their reference (E12-...)\r\n"
    )


# -- cycle spreadsheet: export and import ----------------------------------------------------


def cycle_rows(cycle: AssessmentCycle) -> Iterator[list[str]]:
    for a in (
        StatementAssessment.objects.filter(cycle=cycle)
        .select_related("statement", "owner")
        .order_by("statement__position")
    ):
        yield [
            a.statement.ref,
            a.statement.section,
            a.statement.subsection,
            a.statement.title,
            a.statement.text,
            rules.RATING_LABELS[a.rating] if a.rating else "",
            a.narrative,
            a.owner.get_username() if a.owner else "",
            a.na_rationale,
            a.na_arrangements,
        ]


def cycle_csv(cycle: AssessmentCycle) -> bytes:
    text = _csv_text((label for _key, label in EXPORT_COLUMNS), cycle_rows(cycle))
    return ("\ufeff" + text).encode("utf-8")  # the BOM makes Excel read UTF-8


def cycle_xlsx(cycle: AssessmentCycle) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Self-assessment"
    sheet.append([label for _key, label in EXPORT_COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row_number, row in enumerate(cycle_rows(cycle), start=2):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column, value=value)
            # openpyxl stores "=..." as a formula; evidence text must stay text.
            cell.data_type = "s"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDEFGHIJ", (11, 8, 11, 30, 60, 15, 60, 16, 40, 40), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "B2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class ImportFileProblem(ValueError):
    """The spreadsheet cannot be read; the message says why."""


def _normal(header: Any) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(header or "").strip().lower()).strip("_")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return unsafe_cell(str(value)).strip()


def parse_rating(value: str) -> str | None:
    """A rating from a cell ("Partially met", "N/A", "met"...); None for a blank cell;
    ValueError for anything else."""
    cleaned = " ".join(value.replace("_", " ").split()).lower()
    if not cleaned:
        return None
    rating = _RATING_WORDS.get(cleaned) or _RATING_WORDS.get(cleaned.replace(" ", "_"))
    if rating is None:
        raise ValueError(value)
    return rating


def rows_from_table(table: Iterable[Iterable[Any]]) -> tuple[list[ImportRow], list[str]]:
    """ImportRows from a header row and data rows; also the problems found reading them."""
    rows = iter(table)
    header = next(rows, None)
    if header is None:
        raise ImportFileProblem("The spreadsheet is empty")
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        key = _IMPORT_HEADERS.get(_normal(name))
        if key and key not in columns:
            columns[key] = index
    missing = [
        label
        for key, label in (("statement", "Statement"), ("rating", "Rating"))
        if key not in columns
    ]
    if missing:
        raise ImportFileProblem(
            f"The first row must name the columns; there is no {' or '.join(missing)} column"
        )
    result: list[ImportRow] = []
    problems: list[str] = []
    for line, raw in enumerate(rows, start=2):
        cells = list(raw)
        if line - 1 > MAX_IMPORT_ROWS:
            raise ImportFileProblem(f"The spreadsheet has more than {MAX_IMPORT_ROWS} rows")

        def get(key: str, cells: list[Any] = cells) -> str | None:
            if key not in columns:
                return None
            index = columns[key]
            value = _cell(cells[index]) if index < len(cells) else ""
            return value or None

        ref = get("statement") or ""
        if not ref and not any(_cell(c) for c in cells):
            continue  # a blank line
        try:
            rating = parse_rating(get("rating") or "")
        except ValueError as error:
            problems.append(
                f"Row {line} ({ref}): rating ‘{error}’ is not one of met, partially met, "
                "not met or not applicable"
            )
            continue
        result.append(
            ImportRow(
                line=line,
                ref=ref,
                rating=rating,
                narrative=get("narrative"),
                owner=get("owner"),
                na_rationale=get("na_rationale"),
                na_arrangements=get("na_arrangements"),
            )
        )
    return result, problems


def read_import(
    upload: BinaryIO, name: str, size: int, *, max_bytes: int
) -> tuple[list[ImportRow], list[str]]:
    """Read a CSV or Excel file, checked from its content like any upload."""
    try:
        accepted = check_upload(
            name, upload, size, max_bytes=max_bytes, allowed=frozenset({"csv", "xlsx"})
        )
    except UploadRejected as rejected:
        raise ImportFileProblem(str(rejected)) from None
    upload.seek(0)
    if accepted.extension == "csv":
        text = decode_text(upload.read())
        if text is None:
            raise ImportFileProblem(
                "The CSV file could not be read: save it as UTF-8 and try again"
            )
        return rows_from_table(csv.reader(io.StringIO(text)))
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged workbook
        raise ImportFileProblem("The Excel file could not be read: it may be damaged") from error
    try:
        sheet = workbook.worksheets[0]
        return rows_from_table(sheet.iter_rows(values_only=True))
    finally:
        workbook.close()
