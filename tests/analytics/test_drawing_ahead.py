"""Charts are drawn after a change, not while a reader waits: once drawn ahead, the default
dashboards of the organisation and of the changed ward are served without drawing a chart."""

from __future__ import annotations

import threading
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


def test_a_committed_change_schedules_its_ward_a_rolled_back_one_does_not(
    oak_march: Any, organisation: Any, patient: Any, record: Any, settings: Any,
    monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any,
) -> None:
    settings.RRP_DRAW_AHEAD = True
    scheduled: list[tuple[int, set[int]]] = []
    monkeypatch.setattr(drawing_ahead, "schedule",
                        lambda org_id, ids=(): scheduled.append((org_id, set(ids))))
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        incident = record(oak_march, patient, "2026-11-15 09:00", [("07", 0, 5)])
    assert (organisation.pk, {incident.pk}) in scheduled
    assert drawing_ahead.wards_of(organisation, {incident.pk}) == {oak_march.pk}

    scheduled.clear()
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                record(oak_march, patient, "2026-11-14 09:00", [("07", 0, 5)])
                raise RuntimeError("the writer's transaction fails")
        except RuntimeError:
            pass
    assert scheduled == []

    settings.RRP_DRAW_AHEAD = False  # switched off: nothing scheduled
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        record(oak_march, patient, "2026-11-14 10:00", [("07", 0, 5)])
    assert scheduled == []


def test_changes_made_while_drawing_are_drawn_on_the_next_pass(
    settings: Any, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One thread per organisation; what arrives while it draws is drawn next, not lost."""
    settings.RRP_DRAW_AHEAD_DELAY = 0
    started, release = threading.Event(), threading.Event()
    passes: list[set[int]] = []

    class FakeOrganisations:
        @staticmethod
        def get(pk: int) -> Any:
            return pk

    def fake_draw(organisation: Any, ward_ids: set[int]) -> int:
        passes.append(set(ward_ids))
        if len(passes) == 1:
            started.set()
            release.wait(5)
        return 0

    from rrp.organisations.models import Organisation

    monkeypatch.setattr(Organisation, "objects", FakeOrganisations())
    monkeypatch.setattr(drawing_ahead, "draw_ahead", fake_draw)
    monkeypatch.setattr(drawing_ahead, "wards_of", lambda org, ids: {i * 10 for i in ids})
    drawing_ahead.schedule(999_001, {1})
    assert started.wait(5)
    drawing_ahead.schedule(999_001, {2})
    drawing_ahead.schedule(999_001, {3})
    release.set()
    assert drawing_ahead.wait_until_drawn(timeout=10)
    assert passes == [{10}, {20, 30}]


def test_the_first_read_after_a_month_ends_schedules_every_ward(
    oak_march: Any, organisation: Any, settings: Any, monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any, up_to_date: Any,
) -> None:
    import datetime as dt

    up_to_date(organisation)
    settings.RRP_DRAW_AHEAD = True
    scheduled: list[tuple[int, set[int]]] = []
    monkeypatch.setattr(drawing_ahead, "schedule",
                        lambda org_id, ids=(): scheduled.append((org_id, set(ids))))
    with django_capture_on_commit_callbacks(execute=True):
        up_to_date(organisation, NOW)  # the same month: nothing to draw
    assert scheduled == []
    with django_capture_on_commit_callbacks(execute=True):
        up_to_date(organisation, NOW + dt.timedelta(days=20))  # December has begun
    assert scheduled == [(organisation.pk, {drawing_ahead.EVERY_WARD})]
    assert drawing_ahead.wards_of(organisation, {drawing_ahead.EVERY_WARD}) == {oak_march.pk}
