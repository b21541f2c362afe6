"""The organisation and ward dashboards: what each reader sees."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from .conftest import NOW
from .test_measures import provider  # noqa: F401 - the hand-worked provider


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def test_the_lead_sees_the_organisation_dashboard(provider: dict[str, Any], client_as: Any) -> None:
    response = client_as("rrp_lead").get("/dashboards/?from=2026-01&to=2026-10")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Summary of measures" in page
    assert "<svg" in page
    assert 'style="' not in page.split("<main")[1]
