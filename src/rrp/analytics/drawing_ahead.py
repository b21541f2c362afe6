"""Drawing the dashboards' charts before anyone asks for them.

A chart costs 40-60 ms to draw (vl-convert), a dashboard has up to twenty, and nearly all of
them change when a use of force is recorded (this month's point, the period's breakdowns). The
figures themselves are kept up to date in the writer's transaction (rrp.analytics.summaries);
this module moves the drawing off the reader's path:

* `after_change` listens to rrp.analytics.signals.summaries_marked_dirty, sent in the writer's
  transaction for every change the summaries must catch up with (the summaries themselves
  know nothing of drawing). When the transaction commits it `schedule`s the organisation (and the
  ward of a changed use of force record).
* `schedule` hands the work to one background thread per organisation. The thread waits
  `RRP_DRAW_AHEAD_DELAY` seconds, so a record and its duties saved together are drawn once,
  then catches the summaries up and draws every chart of the default organisation dashboard
  and of the changed wards' dashboards, as the treating team sees them (exact figures) and as
  everyone else does (small numbers hidden). Changes that arrive meanwhile are drawn next.
* `draw_ahead` is the drawing itself; `rrp analytics rebuild` and the demo call it directly.

Charts are stored by a hash of their spec (rrp.analytics.charts), so a chart whose numbers did
not change is not drawn again, and a reader who arrives before the thread has finished simply
draws what is missing. Nothing here writes records: losing the thread loses only speed.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Iterable
from typing import Any, Final

from django.conf import settings
from django.db import close_old_connections, connections, transaction
from django.utils import timezone

from rrp.analytics.models import SummaryDirty
from rrp.organisations.models import Role

logger = logging.getLogger(__name__)

# One audience that sees exact figures and one that sees them with small numbers hidden: every
# role falls in one of the two (rrp.analytics.dashboard.disclosure_rule_for).
AUDIENCES: Final = (frozenset({Role.RRP_LEAD}), frozenset({Role.BOARD}))


def draw_ahead(
    organisation: Any, ward_ids: Iterable[int] = (), *, now: dt.datetime | None = None
) -> int:
    """Catch up with every change, then draw each chart of the organisation's default
    dashboard and of the given wards' default dashboards, for both audiences. Returns how
    many charts the pages hold (drawn now or found already drawn)."""
    from rrp.analytics import dashboard
    from rrp.organisations.models import Ward

    now = now or timezone.now()
    wards = list(Ward.objects.filter(organisation=organisation, pk__in=list(ward_ids)))
    count = 0
    for ward in [None, *wards]:
        filters, _ = dashboard.parse_filters({}, organisation, now, ward=ward)
        for roles in AUDIENCES:
            board = dashboard.build(organisation, filters, roles, now=now)
            for chart in board.charts():
                chart.draw()  # every width drawn and stored, or found in the store
                count += 1
    return count


def after_change(sender: Any, marker: SummaryDirty, **kwargs: Any) -> None:
    """In the writer's transaction: draw ahead once it has committed (never if it rolls back).
    Costs the writer nothing but the callback: the changed incident's ward is looked up by
    the thread."""
    if not settings.RRP_DRAW_AHEAD:
        return
    organisation_id = marker.organisation_id
    incident_ids = (
        {marker.object_id}
        if marker.kind == SummaryDirty.INCIDENT and marker.object_id is not None
        else set()
    )
    transaction.on_commit(lambda: schedule(organisation_id, incident_ids))


# -- the background thread ------------------------------------------------------------------

_lock = threading.Lock()
_pending: dict[int, set[int]] = {}  # organisation id -> changed incidents, their wards drawn
_threads: dict[int, threading.Thread] = {}


def schedule(organisation_id: int, incident_ids: Iterable[int] = ()) -> None:
    """Draw ahead for the organisation (and the wards of these incidents) soon, in one
    background thread per organisation."""
    with _lock:
        _pending.setdefault(organisation_id, set()).update(incident_ids)
        if organisation_id in _threads:
            return  # the running thread picks these up on its next pass
        thread = threading.Thread(
            target=_work, args=(organisation_id,), name=f"rrp-draw-ahead-{organisation_id}",
            daemon=True,
        )
        _threads[organisation_id] = thread
    thread.start()


MANY_INCIDENTS: Final = 1000
EVERY_WARD: Final = -1  # in place of an incident id: draw every ward's dashboard


def after_month_end(sender: Any, organisation_id: int, **kwargs: Any) -> None:
    """A month has ended (noticed by the first read after it): every dashboard's period moved
    on, so draw them all ahead for the readers after this one."""
    if settings.RRP_DRAW_AHEAD:
        transaction.on_commit(lambda: schedule(organisation_id, {EVERY_WARD}))


def wards_of(organisation: Any, incident_ids: Iterable[int]) -> set[int]:
    """The wards of the changed incidents; every ward after a month end or a bulk change
    (e.g. the demo)."""
    from rrp.incidents.models import Incident
    from rrp.organisations.models import Ward

    ids = list(incident_ids)
    if EVERY_WARD in ids or len(ids) > MANY_INCIDENTS:
        return set(Ward.objects.filter(organisation=organisation).values_list("pk", flat=True))
    return set(
        Incident.objects.filter(organisation=organisation, pk__in=ids)
        .values_list("ward_id", flat=True)
    )


def _work(organisation_id: int) -> None:
    from rrp.organisations.models import Organisation

    try:
        while True:
            time.sleep(settings.RRP_DRAW_AHEAD_DELAY)
            with _lock:
                incident_ids = _pending.pop(organisation_id, None)
                if incident_ids is None:
                    del _threads[organisation_id]
                    return
            try:
                close_old_connections()
                organisation = Organisation.objects.get(pk=organisation_id)
                draw_ahead(organisation, wards_of(organisation, incident_ids))
            except Exception:  # noqa: BLE001 - only speed is lost; the reader draws instead
                logger.exception("drawing ahead failed for organisation %s", organisation_id)
    finally:
        with _lock:
            if _threads.get(organisation_id) is threading.current_thread():
                del _threads[organisation_id]
        connections.close_all()


def wait_until_drawn(timeout: float = 120.0) -> bool:
    """Block until no organisation is being drawn ahead (tests and `make bench`). True when
    everything finished within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        with _lock:
            threads = list(_threads.values())
        if not threads:
            return True
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        if time.monotonic() >= deadline:
            with _lock:
                return not _threads
