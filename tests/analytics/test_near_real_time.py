"""A submitted use of force is in its ward's figures on the next page load: no batch job."""

from __future__ import annotations

from typing import Any

import time_machine

from rrp.analytics.models import SummaryDirty

from .conftest import NOW


def month_so_far(page: str) -> str:
    start = page.index("so far</h2>")
    return page[start : page.index("</dl>", start)]


def test_a_new_record_shows_on_the_next_load_of_the_ward_dashboard(
    ward: Any, patient: Any, record: Any, client_as: Any
) -> None:
    with time_machine.travel(NOW, tick=False):
        manager = client_as("ward_manager")
        before = month_so_far(manager.get("/dashboards/wards/OAK/").content.decode())
        assert "<dd>0</dd>" in before
        record(ward, patient, "2026-11-15 09:00", [("07", 0, 5), ("14", 5, 6)])
        assert SummaryDirty.objects.filter(kind="incident").exists()
        after = month_so_far(manager.get("/dashboards/wards/OAK/").content.decode())
    assert "<dt>Restrictive interventions</dt><dd>2</dd>" in after
    assert "<dt>Incidents</dt><dd>1</dd>" in after
    assert not SummaryDirty.objects.exists()  # caught up


def test_a_draft_does_not_count_until_it_is_submitted(
    ward: Any, patient: Any, record: Any, client_as: Any, system_actor: Any
) -> None:
    from rrp.incidents.services import incident_submit

    with time_machine.travel(NOW, tick=False):
        lead = client_as("rrp_lead")
        draft = record(ward, patient, "2026-11-15 09:00", [("07", 0, 5)], submit=False)
        page = month_so_far(lead.get("/dashboards/wards/OAK/").content.decode())
        assert "<dt>Incidents</dt><dd>0</dd>" in page
        incident_submit(actor=system_actor, incident=draft, now=NOW)
        page = month_so_far(lead.get("/dashboards/wards/OAK/").content.decode())
    assert "<dt>Incidents</dt><dd>1</dd>" in page


def test_a_record_entered_in_error_leaves_the_figures(
    ward: Any, patient: Any, record: Any, client_as: Any, system_actor: Any
) -> None:
    from rrp.incidents.services import incident_mark_entered_in_error

    with time_machine.travel(NOW, tick=False):
        lead = client_as("rrp_lead")
        wrong = record(ward, patient, "2026-11-15 09:00", [("07", 0, 5)])
        assert "<dt>Incidents</dt><dd>1</dd>" in month_so_far(
            lead.get("/dashboards/wards/OAK/").content.decode())
        incident_mark_entered_in_error(actor=system_actor, incident=wrong, reason="Duplicate")
        page = month_so_far(lead.get("/dashboards/wards/OAK/").content.decode())
    assert "<dt>Incidents</dt><dd>0</dd>" in page
