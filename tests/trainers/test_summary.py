"""The yearly summary for the executive and non-executive leads (3.5.I): each trainer who
taught in the year with their review and its outcome, annual update, competency monitoring and
code of conduct, gaps highlighted; the same figures printable and as a CSV, whose download is
audited."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest

from rrp.audit.models import AuditAction, AuditEvent
from rrp.trainers import selectors

from .conftest import TODAY

D = dt.date


@pytest.fixture
def year_2025(make_trainer: Any, make_provider: Any, add_entry: Any, review: Any,
              observe: Any) -> dict[str, Any]:
    complete = make_trainer("Ada Complete")
    review(complete, on=D(2025, 4, 2))
    add_entry(complete, "annual_update", on=D(2025, 5, 20))
    observe(complete, on=D(2025, 6, 11))
    gaps = make_trainer("Ben Gaps", code_of_conduct_accepted_on=None, clinical_credibility="")
    review(gaps, on=D(2024, 11, 5))  # the year before: none in 2025
    add_entry(gaps, "annual_update", on=D(2024, 12, 1))
    stopped = make_trainer("Cat Stopped")
    review(stopped, on=D(2025, 2, 3), outcome="not_to_teach",
           not_to_teach_until=D(2025, 6, 1))
    provider = make_provider("Calm Training Ltd")
    external = make_trainer("Dee External", provider_id=provider.pk, role="Senior trainer")
    review(external, on=D(2025, 9, 9), outcome="actions_agreed")
    add_entry(external, "annual_update", on=D(2025, 10, 1))
    observe(external, on=D(2025, 10, 2), outcome="development")
    # Taught only until 2024: not in the 2025 summary.
    make_trainer("Eve Left", stopped_teaching_on=D(2024, 12, 31))
    return {"complete": complete, "gaps": gaps, "stopped": stopped, "external": external}


def test_the_summary_figures(year_2025: dict[str, Any], organisation: Any) -> None:
    summary = selectors.year_summary(organisation, 2025, TODAY)
    assert summary.complete
    names = [row.trainer.name for row in summary.rows]
    assert names == ["Ada Complete", "Ben Gaps", "Cat Stopped", "Dee External"]
    assert summary.count("reviewed") == 2  # Ada; Dee with actions. Cat's did not pass.
    assert summary.count("updated") == 2
    assert summary.count("monitored") == 2
    assert summary.count("code_of_conduct") == 3
    assert summary.count("gaps") == 2  # Ben and Cat; Dee's actions are agreed
    rows = {row.trainer.name: row for row in summary.rows}
    assert rows["Ada Complete"].gaps == []
    assert rows["Ben Gaps"].gaps == [
        "No portfolio review in 2025 (3.5.I)", "No annual update in 2025 (3.5.V)",
        "No competency monitoring in 2025 (3.5.XIII)", "Code of conduct not accepted (3.5.II)",
        "No evidence of clinical credibility (3.5.III)",
    ]  # teaching skills are written
    assert "Review outcome: not to teach until actions are met (3.5.I)" in rows[
        "Cat Stopped"].gaps
    # 2024 has Ben's review and Eve, and none of 2025's.
    earlier = selectors.year_summary(organisation, 2024, TODAY)
    assert earlier.count("reviewed") == 1
    assert "Eve Left" in [row.trainer.name for row in earlier.rows]


def test_the_year_under_way_says_so_far(year_2025: dict[str, Any], organisation: Any) -> None:
    summary = selectors.year_summary(organisation, 2026, TODAY)
    assert not summary.complete and summary.last == TODAY
    assert "No portfolio review in 2026 so far (3.5.I)" in summary.rows[0].gaps


def test_the_summary_page_prints_without_navigation(
    year_2025: dict[str, Any], lead_client: Any
) -> None:
    response = lead_client.get("/training/trainers/summary/?year=2025")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Trainers' yearly summary 2025" in page
    assert "trainers/trainers.css" in page
    assert "Code of conduct not accepted (3.5.II)" in page
    assert 'class="rrp-no-print"' in page
    assert lead_client.get("/training/trainers/summary/?year=1999").status_code == 404
    assert lead_client.get("/training/trainers/summary/?year=x").status_code == 404


def test_the_csv_has_a_row_per_trainer_and_is_audited(
    year_2025: dict[str, Any], client_as: Any
) -> None:
    response = client_as("board").get("/training/trainers/summary.csv?year=2025")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="trainers-R1A-2025.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["Trainer"] for r in rows] == ["Ada Complete", "Ben Gaps", "Cat Stopped",
                                            "Dee External"]
    ada = rows[0]
    assert (ada["Portfolio review"], ada["Review outcome"], ada["Next review due"],
            ada["Annual update"], ada["Competency monitoring"]) == (
        "2025-04-02", "Satisfactory", "2026-04-02", "2025-05-20", "2025-06-11")
    assert rows[3]["Works for"] == "Calm Training Ltd"
    assert "Code of conduct not accepted (3.5.II)" in rows[1]["Gaps"]
    event = AuditEvent.objects.get(action=AuditAction.EXPORT, object_type="trainers.trainer")
    assert event.summary == "Trainers' yearly summary 2025 (csv): 4 rows exported"
