"""The compliance summary for the board: counts and percentages by rating for each section
and subsection, the change since the previous cycle, statements with no evidence and overdue
actions - as a page and as a PDF drawn from the same figures."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path
from typing import Any

import pytest
import time_machine

from rrp.audit.models import AuditEvent
from rrp.audit.services import Actor
from rrp.standards import outputs, services
from rrp.standards.models import StatementAssessment
from rrp.standards.selectors import cycle_report

from .conftest import LONDON, assessment_of


@pytest.fixture
def two_cycles(
    make_cycle: Any, lead_actor: Actor, lead: Any, upload_evidence: Any
) -> tuple[Any, Any]:
    """Last year: section 1.1 partially met, the rest met, signed off. This year, copied:
    1.1.I and 1.1.II now met, 1.2.I not met (with an action due in May), 3.5.X not applicable;
    evidence only on 1.1.I."""
    with time_machine.travel(dt.datetime(2026, 4, 20, 9, tzinfo=LONDON), tick=False):
        previous = make_cycle(
            name="2025/26 annual", period_start=dt.date(2025, 4, 1), period_end=dt.date(2026, 3, 31)
        )
        StatementAssessment.objects.filter(cycle=previous).update(rating="met")
        StatementAssessment.objects.filter(cycle=previous, statement__subsection="1.1").update(
            rating="partially_met", narrative="Strategy in draft"
        )
        services.cycle_submit_for_review(actor=lead_actor, cycle=previous)
        services.cycle_sign_off(actor=lead_actor, cycle=previous, statement="Assured last year.")
        current = make_cycle(name="2026/27 annual", copy_from=previous)
        for ref in ("1.1.I", "1.1.II"):
            services.assessment_update(
                actor=lead_actor, assessment=assessment_of(current, ref), rating="met"
            )
        not_met = assessment_of(current, "1.2.I")
        services.assessment_update(
            actor=lead_actor,
            assessment=not_met,
            rating="not_met",
            narrative="No lived-experience panel yet",
        )
        services.action_raise(
            actor=lead_actor,
            assessment=not_met,
            owner=lead,
            description="Recruit a lived-experience panel",
            due_on=dt.date(2026, 5, 31),
        )
        services.assessment_update(
            actor=lead_actor,
            assessment=assessment_of(current, "3.5.X"),
            rating="not_applicable",
            na_rationale="No external trainers",
            na_arrangements="In-house team",
        )
        services.evidence_attach(
            actor=lead_actor,
            assessment=assessment_of(current, "1.1.I"),
            evidence=upload_evidence(title="Strategy"),
        )
    return previous, current


def test_the_report_counts_each_section_and_what_changed(two_cycles: tuple[Any, Any]) -> None:
    previous, current = two_cycles
    report = cycle_report(current, today=dt.date(2026, 10, 5))
    overall = report.summary.overall
    # 1.1.III-VI are still carried forward as partially met.
    assert (
        overall.count("met"),
        overall.count("partially_met"),
        overall.count("not_met"),
        overall.count("not_applicable"),
        overall.count(""),
    ) == (203, 4, 1, 1, 0)
    assert overall.met_of_applicable == 98  # 203 of 208, rounded half up
    section_1 = report.summary.sections[0]
    strategy = section_1.subsections[0]
    assert (strategy.number, strategy.counts.count("met"), strategy.counts.percent("met")) == (
        "1.1",
        2,
        33,
    )
    assert strategy.met_change == 2
    assert section_1.met_change == 1  # two more met in 1.1, one fewer in 1.2
    assert report.previous == previous
    assert {(c.ref, c.change) for c in report.changes} == {
        ("1.1.I", "improved"),
        ("1.1.II", "improved"),
        ("1.2.I", "worsened"),
        ("3.5.X", "changed"),
    }
    assert len(report.without_evidence) == 207  # every rated statement but 1.1.I and 3.5.X
    assert [a.description for a in report.overdue_actions] == ["Recruit a lived-experience panel"]


def test_the_summary_page_shows_the_figures(
    two_cycles: tuple[Any, Any], lead: Any, client_for: Any, organisation: Any
) -> None:
    _, current = two_cycles
    with time_machine.travel(dt.datetime(2026, 10, 5, 9, tzinfo=LONDON), tick=False):
        page = client_for(lead, organisation).get(f"/compliance/cycles/{current.pk}/summary/")
    text = page.content.decode()
    assert "Compliance summary: 2026/27 annual" in text
    assert "98%" in text
    assert "1.1 Strategy and policy" in text
    assert "Compared with 2025/26 annual: 2 statements improved, 1 worsened" in text
    assert "Recruit a lived-experience panel" in text
    assert "207 statements have a rating but no evidence" in text


def test_the_board_pdf_renders_the_same_figures(
    two_cycles: tuple[Any, Any], tmp_path: Path
) -> None:
    _, current = two_cycles
    pdf = outputs.summary_pdf(current, today=dt.date(2026, 10, 5))
    assert pdf.startswith(b"%PDF-")
    path = tmp_path / "summary.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Compliance summary: 2026/27 annual" in text
    assert "Example NHS Trust (R1A)" in text
    assert "1.1 Strategy and policy" in text
    assert "Recruit a lived-experience panel" in text
    assert "98%" in text
    assert "Page 1 of" in text
    # Rendered to an image, as a person would see it (the PNG is kept beside the test's files).
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")],
        check=True,
    )
    [image] = list(tmp_path.glob("page*.png"))
    assert image.stat().st_size > 10_000


def test_downloading_the_pdf_is_audited_and_open_to_the_board(
    two_cycles: tuple[Any, Any], client_as: Any
) -> None:
    _, current = two_cycles
    response = client_as("board").get(f"/compliance/cycles/{current.pk}/summary.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"] == 'attachment; filename="R1A-2026-27-annual-summary.pdf"'
    )
    assert AuditEvent.objects.filter(
        action="export", summary__contains="compliance summary PDF"
    ).exists()
    assert (
        client_as("ward_staff").get(f"/compliance/cycles/{current.pk}/summary.pdf").status_code
        == 403
    )


def test_text_people_typed_is_printed_as_text_not_markup(
    cycle: Any, lead_actor: Actor, tmp_path: Path
) -> None:
    assessment = assessment_of(cycle, "1.2.I")
    services.assessment_update(
        actor=lead_actor, assessment=assessment, rating="not_met", narrative="Not yet"
    )
    services.action_raise(
        actor=lead_actor,
        assessment=assessment,
        owner=lead_actor.user,
        description="<b>Recruit</b> a panel <img src='http://example.com/x.png'>",
        due_on=dt.date(2026, 5, 1),
        now=dt.datetime(2026, 4, 2, 9, tzinfo=LONDON),
    )
    (tmp_path / "s.pdf").write_bytes(outputs.summary_pdf(cycle, today=dt.date(2026, 10, 5)))
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "s.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "<b>Recruit</b> a panel <img src='http://example.com/x.png'>" in " ".join(text.split())
