"""`rrp analytics rebuild` for a large provider: every fact and summary recomputed in steps that
commit as they go, with progress, so that a rebuild stopped part way carries on from where it
stopped instead of starting again (at 1,000,000 interventions a rebuild takes minutes).

summaries.rebuild does the same in one transaction (first use, the demo, a change that touches
everything); this module is for the operator's command. The steps:

1. facts: the counted incidents in id order, a batch at a time (each batch's facts replaced in
   its own transaction; the position kept in SummaryRebuild), then the facts of incidents no
   longer counted (entered in error since) removed;
2. summaries: the months from the first with anything to count to the rebuild's own month,
   a few at a time, each step replacing those months' summaries;
3. the end: SummaryState says the summaries are rebuilt, the changes noted before the start
   are dropped (the rebuild covered them), and the changes made while it ran are applied as
   any read would (summaries.bring_up_to_date).

While a rebuild is under way the dashboards keep the summaries they had, month by month, and
say that the figures are being rebuilt; reads do not catch up in between (that would count
from half-rebuilt facts). Records are never touched: stopping a rebuild loses nothing but time.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from rrp.analytics import categories as cat
from rrp.analytics import summaries
from rrp.analytics.facts import local_month
from rrp.analytics.models import (
    DutyFact,
    GroupBedDays,
    InterventionFact,
    MonthlyBreakdown,
    MonthlyMeasure,
    MonthlyPopulation,
    PatientMonth,
    SummaryDirty,
    SummaryRebuild,
    SummaryState,
)
from rrp.jobs import queue

Progress = Callable[[SummaryRebuild], None]

# A rebuild whose progress has not moved for this long was stopped (its process is gone); a
# rebuild seen moving more recently than this is running, and a second one is refused.
STALE_AFTER = dt.timedelta(minutes=5)


class RebuildRunning(RuntimeError):
    """Another rebuild of the same organisation is moving now."""


@dataclass(frozen=True)
class Rebuilt:
    incidents: int
    months: int
    resumed: bool


def under_way(organisation_id: int) -> SummaryRebuild | None:
    return SummaryRebuild.objects.filter(organisation_id=organisation_id).first()


def _counted_incidents(organisation_id: int) -> Any:
    Incident = apps.get_model("incidents.Incident")
    return summaries._counted(Incident.objects.filter(organisation_id=organisation_id))


def _start(organisation_id: int, *, restart: bool, now: dt.datetime) -> tuple[SummaryRebuild,
                                                                              bool]:
    with transaction.atomic():
        summaries._lock(organisation_id)
        progress = under_way(organisation_id)
        if progress is not None and queue.process_alive(
            progress.hostname, progress.pid, progress.updated_at, timezone.now(), STALE_AFTER
        ):
            raise RebuildRunning(
                f"a rebuild of this organisation is running (process {progress.pid} on "
                f"{progress.hostname}, {progress.percent}% done): wait for it to finish"
            )
        if progress is not None and not restart:
            progress.hostname, progress.pid = queue.hostname(), os.getpid()
            progress.save(update_fields=["hostname", "pid", "updated_at"])
            return progress, True
        if progress is not None:
            progress.delete()
        dirty = SummaryDirty.objects.filter(organisation_id=organisation_id).aggregate(
            last=Max("id"))["last"]
        progress = SummaryRebuild.objects.create(
            organisation_id=organisation_id, started_at=now, phase=SummaryRebuild.FACTS,
            incidents_total=_counted_incidents(organisation_id).count(),
            dirty_through=dirty or 0, hostname=queue.hostname(), pid=os.getpid(),
        )
        return progress, False


def rebuild_in_steps(
    organisation: Any,
    *,
    restart: bool = False,
    on_progress: Progress | None = None,
    batch: int = summaries.BATCH,
    now: dt.datetime | None = None,
) -> Rebuilt:
    """Rebuild every fact and summary of the organisation, carrying on from a rebuild that
    stopped part way unless `restart`. `on_progress` is called after each committed step."""
    organisation_id = organisation.pk
    progress, resumed = _start(organisation_id, restart=restart, now=now or timezone.now())
    started = progress.started_at
    report = on_progress or (lambda _: None)
    patients = summaries.PatientCache(organisation_id)
    patients.load_all()

    while progress.phase == SummaryRebuild.FACTS:
        with transaction.atomic():
            summaries._lock(organisation_id)
            ids = list(
                _counted_incidents(organisation_id).filter(pk__gt=progress.last_incident_id)
                .order_by("pk").values_list("pk", flat=True)[:batch]
            )
            if ids:
                summaries.rebuild_incident_facts(organisation_id, ids, started, patients)
                progress.last_incident_id = ids[-1]
                progress.incidents_done += len(ids)
                # New records arrive while it runs: the total grows with them.
                progress.incidents_total = max(progress.incidents_total, progress.incidents_done)
            else:
                _drop_facts_no_longer_counted(organisation_id)
                progress.phase = SummaryRebuild.SUMMARIES
                progress.months_total = len(_months(organisation_id, started))
            progress.save()
        report(progress)
    summaries._refresh_statistics((InterventionFact, DutyFact))

    months = _months(organisation_id, started)
    if progress.months_done == 0:
        _drop_summaries_outside(organisation_id, months)
    step = summaries.MONTHS_PER_REFRESH
    while progress.months_done < len(months):
        chunk = months[progress.months_done : progress.months_done + step]
        with transaction.atomic():
            summaries._lock(organisation_id)
            summaries.refresh_facts_months(organisation_id, chunk, now=started)
            summaries.refresh_population_months(organisation_id, chunk, now=started,
                                                patients=patients)
            progress.months_done += len(chunk)
            progress.months_total = len(months)
            progress.save()
        report(progress)
    summaries._refresh_statistics((PatientMonth, MonthlyMeasure, MonthlyBreakdown,
                                   MonthlyPopulation, GroupBedDays))

    with transaction.atomic():
        summaries._lock(organisation_id)
        SummaryDirty.objects.filter(organisation_id=organisation_id,
                                    id__lte=progress.dirty_through).delete()
        SummaryState.objects.update_or_create(
            organisation_id=organisation_id,
            defaults={"open_through": local_month(started, summaries.local_zone()),
                      "rebuilt_at": started, "refreshed_at": started},
        )
        progress.delete()
    # The changes made while it ran, and a month that ended meanwhile.
    summaries.bring_up_to_date(organisation)
    return Rebuilt(progress.incidents_done, len(months), resumed)


def _months(organisation_id: int, now: dt.datetime) -> list[dt.date]:
    first = summaries._first_month(organisation_id)
    if first is None:
        return []
    return cat.months_between(first, local_month(now, summaries.local_zone()))


def _drop_facts_no_longer_counted(organisation_id: int) -> None:
    """Facts of incidents entered in error (or back to draft) since they were counted: the
    batches only replace the facts of incidents that count."""
    counted = _counted_incidents(organisation_id).values("pk")
    for model in (InterventionFact, DutyFact):
        model.objects.filter(organisation_id=organisation_id).exclude(
            incident_id__in=counted).delete()


def _drop_summaries_outside(organisation_id: int, months: list[dt.date]) -> None:
    """Summaries of months the rebuild will not write (before the first month with anything
    in it now): every month it does write is replaced step by step."""
    for model in (MonthlyMeasure, MonthlyBreakdown, PatientMonth, MonthlyPopulation,
                  GroupBedDays):
        rows = model.objects.filter(organisation_id=organisation_id)
        if months:
            rows = rows.exclude(month__gte=months[0], month__lte=months[-1])
        rows.delete()
