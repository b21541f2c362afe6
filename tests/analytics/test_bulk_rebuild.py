"""`rrp analytics rebuild` in committed steps (rrp.analytics.bulk_rebuild): the same figures as
a rebuild in one transaction; stopped part way it carries on from there, the changes made
meanwhile counted at its end; a second rebuild of a running one is refused; readers are told."""

from __future__ import annotations

import os
from typing import Any

import pytest
import time_machine

from rrp.analytics import bulk_rebuild, summaries
from rrp.analytics.models import InterventionFact, SummaryRebuild
from rrp.incidents.models import Incident

from .conftest import NOW
from .test_summaries_catch_up import snapshot


class Stop(Exception):
    """Stands for the process being killed between two committed steps."""


def test_a_rebuild_in_steps_equals_one_in_a_transaction(
    oak_march: Any, organisation: Any, patient: Any, record: Any
) -> None:
    record(oak_march, patient, "2026-10-15 09:00", [("07", 0, 5)])
    summaries.bring_up_to_date(organisation, now=NOW)
    # A record entered in error by a bulk change that bypassed the services (no marker): its
    # facts must go, though no batch of counted incidents holds it.
    wrong = Incident.objects.filter(organisation=organisation).order_by("pk").first()
    assert wrong is not None
    Incident.objects.filter(pk=wrong.pk).update(entered_in_error_at=NOW,
                                                entered_in_error_reason="Bulk fix")
    summaries.rebuild(organisation, now=NOW)
    expected = snapshot(organisation)
    assert not InterventionFact.objects.filter(incident_id=wrong.pk).exists()

    Incident.objects.filter(pk=wrong.pk).update(entered_in_error_at=None)
    summaries.rebuild(organisation, now=NOW)  # its facts are back
    Incident.objects.filter(pk=wrong.pk).update(entered_in_error_at=NOW)
    seen: list[tuple[str, int]] = []
    with time_machine.travel(NOW, tick=False):
        done = bulk_rebuild.rebuild_in_steps(
            organisation, batch=2, on_progress=lambda p: seen.append((p.phase, p.percent)))
    assert snapshot(organisation) == expected
    assert done.incidents == 5 and not done.resumed
    assert not SummaryRebuild.objects.exists()
    # 5 incidents in batches of 2, then the summaries' months: the percentage only grows.
    assert [phase for phase, _ in seen[:4]] == ["facts"] * 3 + ["summaries"]
    assert [p for _, p in seen] == sorted(p for _, p in seen)


def test_a_stopped_rebuild_carries_on_and_counts_what_changed_meanwhile(
    oak_march: Any, organisation: Any, patient: Any, record: Any, client_as: Any,
) -> None:
    summaries.bring_up_to_date(organisation, now=NOW)
    calls = 0

    def stop_after_two(progress: SummaryRebuild) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise Stop

    with time_machine.travel(NOW, tick=False), pytest.raises(Stop):
        bulk_rebuild.rebuild_in_steps(organisation, batch=2, on_progress=stop_after_two)
    stopped = SummaryRebuild.objects.get(organisation=organisation)
    assert (stopped.phase, stopped.incidents_done) == ("facts", 4)
    stopped.pid = 2**22 + 1  # the killed process: no such pid on this machine
    stopped.save()

    # Meanwhile the dashboards say so, and a new record waits for the rebuild's end.
    with time_machine.travel(NOW, tick=False):
        page = client_as("rrp_lead").get("/dashboards/").content.decode()
        assert "The figures are being rebuilt (" in page
        later = record(oak_march, patient, "2026-03-25 09:00", [("07", 0, 5)])
        summaries.bring_up_to_date(organisation, now=NOW)
        assert not InterventionFact.objects.filter(incident_id=later.pk).exists()

        batches: list[int] = []
        done = bulk_rebuild.rebuild_in_steps(
            organisation, batch=2,
            on_progress=lambda p: batches.append(p.incidents_done) if p.phase == "facts" else None)
    assert done.resumed
    assert batches[0] == 6  # carried on after the 4 done: the 5th and the new one
    assert InterventionFact.objects.filter(incident_id=later.pk).exists()
    caught_up = snapshot(organisation)
    summaries.rebuild(organisation, now=NOW)
    assert snapshot(organisation) == caught_up
    page = client_as("rrp_lead").get("/dashboards/").content.decode()
    assert "The figures are being rebuilt" not in page


def test_a_running_rebuild_is_not_run_twice(organisation: Any) -> None:
    from rrp.jobs.queue import hostname

    SummaryRebuild.objects.create(organisation=organisation, started_at=NOW,
                                  hostname=hostname(), pid=os.getpid())
    with pytest.raises(bulk_rebuild.RebuildRunning, match="is running"):
        bulk_rebuild.rebuild_in_steps(organisation)
    # --restart does not override a running one either.
    with pytest.raises(bulk_rebuild.RebuildRunning):
        bulk_rebuild.rebuild_in_steps(organisation, restart=True)


def test_restart_starts_again_from_the_first_incident(
    oak_march: Any, organisation: Any
) -> None:
    SummaryRebuild.objects.create(organisation=organisation, started_at=NOW, hostname="gone",
                                  pid=1, incidents_done=3, last_incident_id=10**9,
                                  incidents_total=5)
    SummaryRebuild.objects.update(updated_at=NOW.replace(year=2025))  # silent for a year
    done = bulk_rebuild.rebuild_in_steps(organisation, restart=True)
    assert not done.resumed and done.incidents == 5
