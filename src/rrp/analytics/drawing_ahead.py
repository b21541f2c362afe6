"""Drawing the dashboards' charts before anyone asks for them.

A chart costs 40-60 ms to draw (vl-convert), a dashboard has up to twenty, and nearly all of
them change when a use of force is recorded (this month's point, the period's breakdowns). The
figures themselves are kept up to date in the writer's transaction (rrp.analytics.summaries);
this module moves the drawing off the reader's path:

* `after_change` listens to rrp.analytics.signals.summaries_marked_dirty, sent in the writer's
  transaction for every change the summaries must catch up with (the summaries themselves
  know nothing of drawing). When the transaction commits it queues the job
  rrp.analytics.jobs.draw_after_change for the organisation and the changed ward: one job
  waits per organisation however many writes arrive, each adding its ward to it
  (rrp.jobs.queue.enqueue_merged).
* `rrp worker` runs the job: it catches the summaries up and draws every chart of the default
  organisation dashboard and of the changed wards' dashboards, as the treating team sees them
  (exact figures) and as everyone else does (small numbers hidden).
* `draw_ahead` is the drawing itself; `rrp analytics rebuild` and the demo call it directly.

Charts are stored by a hash of their spec (rrp.analytics.charts), so a chart whose numbers did
not change is not drawn again. A reader never draws: a chart not yet drawn from the current
figures is shown as last drawn, marked "updating", or not at all until it is
(rrp.analytics.charts.Picture). Nothing here writes records: a lost job loses only speed,
and is run again (rrp.jobs.queue).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Final

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from rrp.analytics import charts, jobs
from rrp.analytics.models import SummaryDirty
from rrp.jobs import queue
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
    every: list[charts.Chart] = []
    for ward in [None, *wards]:
        filters, _ = dashboard.parse_filters({}, organisation, now, ward=ward)
        for roles in AUDIENCES:
            every.extend(dashboard.build(organisation, filters, roles, now=now).charts())
    draw_specs([spec for chart in every for spec in chart.specs.values()])
    for chart in every:
        chart.draw()  # found in the store now: keeps it as its place's latest drawing
    return len(every)


def draw_specs(specs: Iterable[dict[str, Any]]) -> int:
    """Draw the specs not yet in the store, each once, on several threads: vl-convert
    releases the GIL while it renders (a cold organisation dashboard, 60 specs for its two
    audiences and widths, took 1.65 s on one thread and 1.18 s on two, on 2 cores). Returns
    how many were drawn."""
    missing = {charts.cache_key(spec): spec for spec in specs if charts.stored_svg(spec) is None}
    if not missing:
        return 0
    threads = max(1, min(settings.RRP_DRAW_THREADS, len(missing)))
    if threads == 1:
        for spec in missing.values():
            charts.render_svg(spec, "", "")
    else:
        with ThreadPoolExecutor(threads, thread_name_prefix="rrp-draw") as pool:
            list(pool.map(lambda spec: charts.render_svg(spec, "", ""), missing.values()))
    return len(missing)


def after_change(sender: Any, marker: SummaryDirty, **kwargs: Any) -> None:
    """In the writer's transaction: once it commits (never if it rolls back), queue the
    organisation's charts (and its changed ward's) to be drawn by `rrp worker`. The job is
    queued once per organisation while it waits, however many writes arrive: each adds its
    ward to the waiting job (rrp.jobs.queue.enqueue_merged)."""
    if not settings.RRP_DRAW_AHEAD:
        return
    organisation_id = marker.organisation_id
    incident_id = (
        marker.object_id
        if marker.kind == SummaryDirty.INCIDENT and marker.object_id is not None
        else None
    )

    def enqueue() -> None:
        wards = wards_of(organisation_id, [incident_id]) if incident_id is not None else set()
        queue.enqueue_merged(jobs.draw_after_change, organisation_id, sorted(wards))

    transaction.on_commit(enqueue)


MANY_INCIDENTS: Final = 1000
EVERY_WARD: Final = -1  # in place of an incident id: draw every ward's dashboard


def after_month_end(sender: Any, organisation_id: int, **kwargs: Any) -> None:
    """A month has ended (noticed by the first read after it): every dashboard's period moved
    on, so draw them all ahead for the readers after this one."""
    if settings.RRP_DRAW_AHEAD:
        transaction.on_commit(
            lambda: queue.enqueue_merged(jobs.draw_after_change, organisation_id, [EVERY_WARD]))


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
