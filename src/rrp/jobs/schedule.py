"""The clock: jobs that run on a schedule, enqueued by whichever worker first notices the
minute (rrp.jobs.worker). A scheduled job takes the minute it is for as an ISO string, and
must look at the state of the records rather than at what happened since the last run, so a
minute missed while no worker ran loses nothing."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Final

from django.db import IntegrityError, transaction
from django.utils.module_loading import import_string

from rrp.jobs import queue
from rrp.jobs.models import ClockMinute

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Every:
    minutes: int
    task_path: str  # a django-tasks @task taking the minute (ISO string)

    def due(self, minute: dt.datetime) -> bool:
        return (int(minute.timestamp()) // 60) % self.minutes == 0


SCHEDULE: Final = (
    # Recurring reviews created when they fall due, overdue duties marked and their owners
    # told, late medical reviews escalated (rrp.incidents.clock).
    Every(1, "rrp.incidents.jobs.duty_clock"),
    # Finished jobs and old clock minutes cleared away.
    Every(60, "rrp.jobs.tasks.prune"),
)


def minute_of(now: dt.datetime) -> dt.datetime:
    return now.replace(second=0, microsecond=0)


def tick(now: dt.datetime, worker_id: str) -> list[str]:
    """Enqueue this minute's scheduled jobs unless another worker already has. Returns the
    task paths enqueued (empty when the minute was taken)."""
    minute = minute_of(now)
    try:
        with transaction.atomic():
            ClockMinute.objects.create(minute=minute, worker_id=worker_id[:64])
    except IntegrityError:
        return []
    enqueued = []
    for entry in SCHEDULE:
        if entry.due(minute):
            queue.enqueue(import_string(entry.task_path), minute.isoformat())
            enqueued.append(entry.task_path)
    return enqueued
