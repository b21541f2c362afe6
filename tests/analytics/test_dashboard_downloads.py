"""Every table and chart on a dashboard can be downloaded (issue 10, finding 7: the headline
SPC chart's CSV, /dashboards/figures.csv?table=spc_MHS96, was not found): each CSV link a
dashboard renders answers with the figures of that table, for every audience."""

from __future__ import annotations

import csv
import html
import io
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine

from .conftest import NOW

PERIOD = {"from": "2026-01", "to": "2026-03"}


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def csv_links(page: str) -> list[str]:
    return [html.unescape(href) for href in re.findall(r'href="([^"]*figures\.csv[^"]*)"', page)]


@pytest.mark.parametrize("role", ["rrp_lead", "board", "auditor"])
@pytest.mark.parametrize("dashboard", ["/dashboards/", "/dashboards/wards/OAK/"])
def test_every_download_link_on_a_dashboard_answers_with_its_figures(
    oak_march: Any, client_as: Any, role: str, dashboard: str
) -> None:
    client = client_as(role)
    page = client.get(dashboard, PERIOD)
    assert page.status_code == 200
    links = csv_links(page.content.decode())
    tables = {parse_qs(urlsplit(link).query)["table"][0] for link in links}
    # The summary, every SPC chart and every breakdown can be downloaded.
    assert {"summary", "spc_MHS96", "spc_incidents_rate", "types", "reasons", "time_of_day",
            "durations", "harm", "injuries", "duties", "repeat", "staff",
            "equality_eth_group"} <= tables
    treating_team = role == "rrp_lead"
    assert any("suppressed=1" in link for link in links) == treating_team
    for link in links:
        response = client.get(link)
        assert response.status_code == 200, link
        assert response["Content-Type"] == "text/csv; charset=utf-8", link
        table = parse_qs(urlsplit(link).query)["table"][0]
        assert response["Content-Disposition"].startswith(f'attachment; filename="{table}-')
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        header, body = rows[0], rows[1:]
        assert len(header) >= 2 and all(header), (link, header)
        assert body, link
        assert all(len(row) == len(header) for row in body), link
        if table.startswith("spc_"):
            assert header[0] == "Month"
            assert [row[0] for row in body] == ["January 2026", "February 2026", "March 2026"]
        hidden = not treating_team or "suppressed=1" in link
        if table == "types":
            prone = next(row for row in body if row[0] == "Physical restraint: prone")
            assert prone[1] == ("*" if hidden else "1"), link
