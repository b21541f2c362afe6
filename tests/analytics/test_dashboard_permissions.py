"""Who sees the dashboards: every role but the trainer; known changes and targets only for the
restrictive practice lead; another organisation's ward is not found."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine

from .conftest import NOW

VIEWERS = ("ward_staff", "ward_manager", "doctor", "rrp_lead", "board", "auditor", "org_admin")


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.mark.parametrize("role", VIEWERS)
def test_every_role_but_the_trainer_sees_the_dashboards(
    role: str, ward: Any, client_as: Any
) -> None:
    client = client_as(role)
    assert client.get("/dashboards/").status_code == 200
    assert client.get("/dashboards/wards/OAK/").status_code == 200
    assert "Dashboards" in client.get("/").content.decode()


def test_the_trainer_is_refused(ward: Any, client_as: Any) -> None:
    trainer = client_as("trainer")
    assert trainer.get("/dashboards/").status_code == 403
    assert trainer.get("/dashboards/wards/OAK/").status_code == 403
    assert trainer.get("/dashboards/figures.csv", {"table": "types"}).status_code == 403
    assert 'href="/dashboards/"' not in trainer.get("/").content.decode()


def test_another_organisations_ward_dashboard_is_not_found(
    ward: Any, client_as: Any, make_organisation: Any, make_ward: Any
) -> None:
    other = make_organisation(ods_code="B2B", name="Bravo Trust")
    make_ward("ELM", name="Elm Secret Ward", organisation=other)
    lead = client_as("rrp_lead")
    assert lead.get("/dashboards/wards/ELM/").status_code == 404
    assert lead.get("/dashboards/wards/ELM/figures.csv", {"table": "types"}).status_code == 404
    assert lead.get("/dashboards/", {"area": "ward:ELM"}).status_code == 404
    assert "Elm Secret Ward" not in lead.get("/dashboards/").content.decode()


def test_only_the_lead_sets_baselines_and_targets(ward: Any, client_as: Any) -> None:
    assert client_as("rrp_lead").get("/dashboards/baselines/").status_code == 200
    for role in ("board", "ward_manager", "org_admin"):
        assert client_as(role).get("/dashboards/baselines/").status_code == 403


def test_an_unknown_table_is_not_found(ward: Any, client_as: Any) -> None:
    lead = client_as("rrp_lead")
    assert lead.get("/dashboards/figures.csv", {"table": "nothing"}).status_code == 404
    assert lead.get("/dashboards/figures.csv", {"table": "../etc"}).status_code == 404
