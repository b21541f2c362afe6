"""Outside the treating team small numbers are hidden everywhere the figures go: the page, the
CSV downloads and the API. Oak Ward's March (conftest.oak_march): every count is small."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
import time_machine

from rrp.audit.models import AuditEvent

from .conftest import NOW

PERIOD = {"from": "2026-03", "to": "2026-03"}


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def table(response: Any) -> dict[str, list[str]]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    return {row[0]: row[1:] for row in rows[1:]}


def download(client: Any, table_id: str, **extra: str) -> dict[str, list[str]]:
    return table(client.get("/dashboards/wards/OAK/figures.csv",
                            {**PERIOD, "table": table_id, **extra}))


def test_a_board_member_sees_small_counts_hidden_and_totals_rounded(
    oak_march: Any, client_as: Any
) -> None:
    board = client_as("board")
    types = download(board, "types")
    assert types["Physical restraint: prone"] == ["*", ""]
    assert all(cells[0] == "*" for label, cells in types.items() if label != "Total")
    assert types["Total"][0] == "5"  # 6 rounded to the nearest 5
    page = board.get("/dashboards/wards/OAK/", PERIOD).content.decode()
    assert "Small numbers are hidden" in page


def test_a_hidden_count_hides_the_rate_and_ratio_built_on_it(
    oak_march: Any, client_as: Any
) -> None:
    ethnicity = download(client_as("auditor"), "equality_eth_group")
    # Interventions, people, bed days, rate, ratio, interval, difference.
    assert ethnicity["Black or Black British"][:2] == ["*", "*"]
    assert ethnicity["Black or Black British"][3:6] == ["*", "*", "*"]
    assert ethnicity["Black or Black British"][2] == "*"  # 31 bed days: under 100


def test_the_treating_team_sees_exact_figures_and_can_download_a_copy_for_sharing(
    oak_march: Any, client_as: Any
) -> None:
    lead = client_as("rrp_lead")
    assert download(lead, "types")["Physical restraint: prone"][0] == "1"
    ethnicity = download(lead, "equality_eth_group")
    assert ethnicity["Black or Black British"][:4] == ["4", "1", "31", "129.0"]
    assert download(lead, "types", suppressed="1")["Physical restraint: prone"][0] == "*"


def test_every_download_is_audited_with_its_filters(oak_march: Any, client_as: Any) -> None:
    download(client_as("board"), "reasons")
    event = AuditEvent.objects.filter(action="export", object_id="reasons").get()
    assert event.after == {
        "filters": {"from": "2026-03", "to": "2026-03", "area": f"ward:{oak_march.pk}"},
        "suppressed": True,
    }


def test_the_api_applies_the_same_rule(oak_march: Any, api_client_as: Any) -> None:
    board = api_client_as("board").get(
        "/api/v1/measures", {"measure": "MHS96", "level": "ward", **PERIOD}
    ).json()
    assert board["disclosure"] == {"applied": True, "rule": "MHSDS", "symbol": "*"}
    [oak] = board["series"]
    # 6 interventions but 3 people: the rate is hidden, and so are its parts.
    assert oak["points"] == [{"month": "2026-03", "value": "*", "numerator": None,
                              "denominator": None}]
    lead = api_client_as("rrp_lead").get(
        "/api/v1/measures", {"measure": "MHS96", "level": "ward", **PERIOD}
    ).json()
    assert lead["disclosure"]["applied"] is False
    assert lead["series"][0]["points"] == [
        {"month": "2026-03", "value": 84.5, "numerator": 6, "denominator": 71}
    ]


def test_counts_published_to_the_board_are_rounded_half_up(
    oak_march: Any, api_client_as: Any
) -> None:
    points = api_client_as("board").get(
        "/api/v1/measures", {"measure": "MHS77", "level": "organisation", **PERIOD}
    ).json()["series"][0]["points"]
    assert points[0]["value"] == 5  # 6 -> 5; under 5 would be "*"
