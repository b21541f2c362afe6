"""Charts are drawn after a change, not while a reader waits: once drawn ahead, the default
dashboards of the organisation and of the changed ward are served without drawing a chart."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.core.cache import caches
from django.db import transaction

from rrp.analytics import drawing_ahead

from .conftest import NOW


def test_after_drawing_ahead_no_reader_waits_for_a_chart(
    oak_march: Any, organisation: Any, client_as: Any, monkeypatch: pytest.MonkeyPatch,
) -> None:
    caches["charts"].clear()
    with time_machine.travel(NOW, tick=False):
        drawn = drawing_ahead.draw_ahead(organisation, [oak_march.pk])
        assert drawn > 20  # both dashboards, both audiences
        import vl_convert

        def refuse(spec: object) -> str:
            raise AssertionError("a chart was drawn while a reader waited")

        monkeypatch.setattr(vl_convert, "vegalite_to_svg", refuse)
        for role in ("board", "rrp_lead", "ward_manager", "auditor"):
            client = client_as(role)
            for page in ("/dashboards/", "/dashboards/wards/OAK/"):
                response = client.get(page)
                assert response.status_code == 200, (role, page)
                assert "<svg" in response.content.decode()


def test_after_a_change_only_the_changed_charts_are_drawn_again(
    oak_march: Any, organisation: Any, patient: Any, record: Any, client_as: Any,
    drawn: list[object],
) -> None:
    caches["charts"].clear()
    with time_machine.travel(NOW, tick=False):
        total = drawing_ahead.draw_ahead(organisation, [oak_march.pk])
        first = len(drawn)
        assert 0 < first <= total  # charts shared by both audiences are drawn once
        assert drawing_ahead.draw_ahead(organisation, [oak_march.pk]) == total
        assert len(drawn) == first  # nothing changed: nothing drawn

        # In the default period (the last complete month): this month so far has no chart.
        record(oak_march, patient, "2026-10-15 09:00", [("07", 0, 5)])
        drawing_ahead.draw_ahead(organisation, [oak_march.pk])
        again = len(drawn) - first
        assert 0 < again < total  # this month's point and the period's breakdowns
        client_as("ward_manager").get("/dashboards/wards/OAK/")
    assert len(drawn) == first + again  # the reader drew nothing


def _queued_drawings() -> list[list[Any]]:
    from django_tasks_db.models import DBTaskResult

    return [job.args_kwargs["args"] for job in DBTaskResult.objects.filter(
        task_path="rrp.analytics.jobs.draw_after_change", status="READY").order_by("enqueued_at")]


def test_a_committed_change_queues_its_ward_a_rolled_back_one_does_not(
    oak_march: Any, organisation: Any, patient: Any, record: Any, settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.RRP_DRAW_AHEAD = True
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        record(oak_march, patient, "2026-11-15 09:00", [("07", 0, 5)])
    # The record and its duties are audited several times: one job for the ward, queued once.
    assert _queued_drawings() == [[organisation.pk, [oak_march.pk]]]

    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                record(oak_march, patient, "2026-11-14 09:00", [("07", 0, 5)])
                raise RuntimeError("the writer's transaction fails")
        except RuntimeError:
            pass
    assert _queued_drawings() == []

    settings.RRP_DRAW_AHEAD = False  # switched off: nothing queued
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        record(oak_march, patient, "2026-11-14 10:00", [("07", 0, 5)])
    assert _queued_drawings() == []


def test_a_burst_of_writes_on_one_ward_waits_as_one_job(
    oak_march: Any, organisation: Any, patient: Any, record: Any, settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.RRP_DRAW_AHEAD = True
    for hour in range(9, 14):
        with time_machine.travel(NOW, tick=False), \
                django_capture_on_commit_callbacks(execute=True):
            record(oak_march, patient, f"2026-11-14 {hour:02}:00", [("07", 0, 5)])
    assert _queued_drawings() == [[organisation.pk, [oak_march.pk]]]


def test_writes_on_several_wards_wait_as_one_job_for_them_all(
    oak_march: Any, organisation: Any, patient: Any, record: Any, settings: Any,
    make_ward: Any, django_capture_on_commit_callbacks: Any,
) -> None:
    from django_tasks_db.models import DBTaskResult

    settings.RRP_DRAW_AHEAD = True
    ash, elm = make_ward("ASH", "Ash Ward"), make_ward("ELM", "Elm Ward")
    for ward in (ash, oak_march, elm, ash):
        with time_machine.travel(NOW, tick=False), \
                django_capture_on_commit_callbacks(execute=True):
            record(ward, patient, "2026-11-14 09:00", [("07", 0, 5)])
    assert _queued_drawings() == [[organisation.pk, sorted([oak_march.pk, ash.pk, elm.pk])]]
    # Once a worker has claimed it, a new change gets a job of its own (the running one has
    # its wards already).
    DBTaskResult.objects.update(status="RUNNING")
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        record(oak_march, patient, "2026-11-14 11:00", [("07", 0, 5)])
    assert _queued_drawings() == [[organisation.pk, [oak_march.pk]]]


def test_the_job_draws_what_the_reader_then_finds(
    oak_march: Any, organisation: Any, settings: Any, client_as: Any,
) -> None:
    """The worker's job draws the ward's dashboard; the reader then shows current charts."""
    from rrp.analytics import jobs

    with time_machine.travel(NOW, tick=False):
        assert jobs.draw_after_change.call(organisation.pk, [oak_march.pk]) > 0
        html = client_as("ward_manager").get("/dashboards/wards/OAK/").content.decode()
    assert "rrp-chart__svg--wide" in html
    assert "Updating" not in html


def test_the_first_read_after_a_month_ends_queues_every_ward(
    oak_march: Any, organisation: Any, settings: Any,
    django_capture_on_commit_callbacks: Any, up_to_date: Any,
) -> None:
    import datetime as dt

    up_to_date(organisation)
    settings.RRP_DRAW_AHEAD = True
    with django_capture_on_commit_callbacks(execute=True):
        up_to_date(organisation, NOW)  # the same month: nothing to draw
    assert _queued_drawings() == []
    with django_capture_on_commit_callbacks(execute=True):
        up_to_date(organisation, NOW + dt.timedelta(days=20))  # December has begun
    assert _queued_drawings() == [[organisation.pk, [drawing_ahead.EVERY_WARD]]]


def test_a_reader_never_draws_but_sees_the_last_chart_marked_updating(
    oak_march: Any, organisation: Any, patient: Any, record: Any, client_as: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import vl_convert
    from django_tasks_db.models import DBTaskResult

    caches["charts"].clear()
    real = vl_convert.vegalite_to_svg
    refusing = {"on": True}

    def draw(spec: object) -> str:
        if refusing["on"]:
            raise AssertionError("a chart was drawn while a reader waited")
        return real(spec)

    monkeypatch.setattr(vl_convert, "vegalite_to_svg", draw)
    lead = client_as("rrp_lead")
    with time_machine.travel(NOW, tick=False):
        # Nothing drawn yet: the page comes at once with the figures, and says so.
        html = lead.get("/dashboards/wards/OAK/").content.decode()
        assert "<svg role=\"img\"" not in html
        assert "This chart is being drawn" in html
        waiting = DBTaskResult.objects.filter(task_path="rrp.analytics.jobs.draw_dashboard")
        assert [j.args_kwargs["args"][0] for j in waiting] == [organisation.pk]

        refusing["on"] = False
        from rrp.jobs.worker import run_ready_jobs

        run_ready_jobs()  # the worker draws what the reader asked for
        refusing["on"] = True
        html = lead.get("/dashboards/wards/OAK/").content.decode()
        assert "Updating" not in html and "<svg role=\"img\"" in html

        # A late record for October changes the figures: the old drawings are shown, marked.
        record(oak_march, patient, "2026-10-15 09:00", [("07", 0, 5)])
        html = lead.get("/dashboards/wards/OAK/").content.decode()
        assert "<svg role=\"img\"" in html
        assert "This chart was drawn at 15 November 2026, 12:00, before the latest changes" in html


def test_specs_are_drawn_once_each_on_several_threads(
    drawn: list[object], settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    import vl_convert

    caches["charts"].clear()
    settings.RRP_DRAW_THREADS = 2
    threads: set[str] = set()
    counting = vl_convert.vegalite_to_svg

    def on_a_thread(spec: object) -> str:
        threads.add(threading.current_thread().name)
        return counting(spec)  # type: ignore[no-any-return]

    monkeypatch.setattr(vl_convert, "vegalite_to_svg", on_a_thread)
    specs = [{"mark": "bar", "data": {"values": [{"n": n}]},
              "encoding": {"x": {"field": "n", "type": "quantitative"}}} for n in range(4)]
    assert drawing_ahead.draw_specs([*specs, *specs]) == 4  # the same spec twice: drawn once
    assert len(drawn) == 4
    assert all(name.startswith("rrp-draw") for name in threads)
    assert drawing_ahead.draw_specs(specs) == 0  # all in the store now
    assert len(drawn) == 4
