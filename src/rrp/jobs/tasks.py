"""The jobs' own housekeeping."""

from __future__ import annotations

import datetime as dt
from typing import Final

from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from rrp.jobs import queue
from rrp.jobs.models import ClockMinute, WorkerBeat

KEEP_SUCCESSFUL: Final = dt.timedelta(days=7)
KEEP_FAILED: Final = dt.timedelta(days=30)  # long enough for an admin to read the error


@task()
def prune(minute: str) -> dict[str, int]:
    """Clear finished jobs, old clock minutes and the heartbeats of workers long gone."""
    now = dt.datetime.fromisoformat(minute) if minute else timezone.now()
    jobs, _ = DBTaskResult.objects.filter(
        status=queue.SUCCESSFUL, finished_at__lt=now - KEEP_SUCCESSFUL).delete()
    failed, _ = DBTaskResult.objects.filter(
        status=queue.FAILED, finished_at__lt=now - KEEP_FAILED).delete()
    minutes, _ = ClockMinute.objects.filter(minute__lt=now - dt.timedelta(days=1)).delete()
    beats, _ = WorkerBeat.objects.filter(seen_at__lt=now - dt.timedelta(days=1)).delete()
    return {"jobs": jobs + failed, "minutes": minutes, "heartbeats": beats}
