"""The job queue as the rest of RRP uses it: django-tasks' API (`@task`, `.enqueue`) over its
database backend (django_tasks_db), plus the two things that library leaves to the
application (docs/adr/0011-background-jobs.md):

* **retries with backoff**: a job that raises is queued again `retry_delay(n)` later, up to
  `RRP_JOB_MAX_ATTEMPTS` attempts in all; then it stays failed with its error for an admin.
* **recovery**: a job left "running" by a worker that died (kill -9, a lost machine) is queued
  again, once that worker is known dead: its process is gone (same machine) or its heartbeat
  is older than `RRP_JOB_LEASE_SECONDS` (any machine). So every RRP job must be safe to run
  twice: each one recomputes from the records (figures, charts, the duty clock).

`enqueue_on_commit` is how a write asks for background work: after its transaction commits
(never for a write that rolls back), and only when the same job is not already waiting.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
from typing import Any, Final

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult

from rrp.jobs.models import WorkerBeat

logger = logging.getLogger(__name__)

READY: Final = TaskResultStatus.READY
RUNNING: Final = TaskResultStatus.RUNNING
FAILED: Final = TaskResultStatus.FAILED
SUCCESSFUL: Final = TaskResultStatus.SUCCESSFUL
WORKER_LOST: Final = "rrp.jobs.WorkerLost"


def hostname() -> str:
    return socket.gethostname()[:255]


def retry_delay(attempts: int) -> dt.timedelta:
    """How long to wait before attempt `attempts + 1`: the base, doubled after each failure
    (10 s, 20 s, 40 s, 80 s with the default), never more than 15 minutes."""
    base = settings.RRP_JOB_RETRY_SECONDS
    return dt.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 15 * 60))


def attempts_of(job: DBTaskResult) -> int:
    """Every claim appends the worker's id, so the list's length is the attempts so far."""
    return len(job.worker_ids or [])


def waiting(task: Task[Any, Any], *args: Any) -> bool:
    """The same job (task and arguments) is already queued and not yet started."""
    return DBTaskResult.objects.filter(
        status=READY, task_path=task.module_path, args_kwargs={"args": list(args), "kwargs": {}},
    ).exists()


def enqueue(task: Task[Any, Any], *args: Any) -> bool:
    """Queue the job now unless the same one is already waiting. True when queued. Two
    writers racing may both queue it: the job is safe to run twice, only wasted."""
    if waiting(task, *args):
        return False
    task.enqueue(*args)
    return True


def enqueue_merged(task: Task[Any, Any], key: int, items: list[int]) -> bool:
    """Queue task(key, items), or add `items` to the one already waiting for `key`: one job
    per key however many changes arrive (the charts of every ward an organisation changed,
    drawn once, not once per ward). True when a new job was queued."""
    for job in DBTaskResult.objects.filter(
        status=READY, task_path=task.module_path, args_kwargs__args__0=key,
    ).order_by("pk")[:1]:
        waiting_items = job.args_kwargs["args"][1]
        merged = sorted(set(waiting_items) | set(items))
        if merged == waiting_items:
            return False
        # Only while it still waits: a worker that claimed it meanwhile runs the old items,
        # and the new ones get a job of their own below.
        if DBTaskResult.objects.filter(pk=job.pk, status=READY).update(
            args_kwargs={"args": [key, merged], "kwargs": {}}
        ):
            return False
    task.enqueue(key, sorted(set(items)))
    return True


def enqueue_on_commit(task: Task[Any, Any], *args: Any) -> None:
    """Queue the job once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: enqueue(task, *args))


def after_failure(job: DBTaskResult, *, now: dt.datetime | None = None) -> bool:
    """A job has just failed: queue it again after its backoff, unless it has had all its
    attempts. The error stays on the row either way, for the admin page. True when retried."""
    if job.status != FAILED or attempts_of(job) >= settings.RRP_JOB_MAX_ATTEMPTS:
        return False
    now = now or timezone.now()
    updated = DBTaskResult.objects.filter(pk=job.pk, status=FAILED).update(
        status=READY, run_after=now + retry_delay(attempts_of(job)), finished_at=None,
    )
    if updated:
        logger.warning("job %s (%s) failed on attempt %s: retrying", job.pk, job.task_path,
                       attempts_of(job))
    return bool(updated)


# -- recovery -------------------------------------------------------------------------------


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, owned by someone else
    return True


def process_alive(host: str, pid: int, seen_at: dt.datetime, now: dt.datetime,
                  lease: dt.timedelta) -> bool:
    """Whether a process that last said it was alive at `seen_at` may still be running: on
    this machine, whether its pid exists; on another, whether it spoke within the lease."""
    if now - seen_at > lease:
        return False
    if host == hostname():
        return _process_exists(pid)  # same machine: no need to wait out the lease
    return True


def worker_alive(beat: WorkerBeat | None, now: dt.datetime) -> bool:
    """Whether the worker that claimed a job may still be running it."""
    if beat is None:
        return False
    return process_alive(beat.hostname, beat.pid, beat.seen_at, now,
                         dt.timedelta(seconds=settings.RRP_JOB_LEASE_SECONDS))


def recover_abandoned(*, now: dt.datetime | None = None) -> int:
    """Queue again every job whose worker died while running it (or fail it after its last
    attempt). Returns how many jobs were recovered."""
    now = now or timezone.now()
    running = list(DBTaskResult.objects.filter(status=RUNNING))
    if not running:
        return 0
    claimed_by = {job.worker_ids[-1] for job in running if job.worker_ids}
    beats = {b.worker_id: b for b in WorkerBeat.objects.filter(worker_id__in=claimed_by)}
    recovered = 0
    for job in running:
        worker_id = job.worker_ids[-1] if job.worker_ids else ""
        if worker_alive(beats.get(worker_id), now):
            continue
        last_attempt = attempts_of(job) >= settings.RRP_JOB_MAX_ATTEMPTS
        beat = beats.get(worker_id)
        where = f"{beat.hostname}, process {beat.pid}" if beat else "no heartbeat"
        changes: dict[str, Any] = (
            {"status": FAILED, "finished_at": now, "exception_class_path": WORKER_LOST,
             "traceback": f"The worker running this job stopped ({worker_id}, {where}), "
                          f"{attempts_of(job)} attempts in all."}
            if last_attempt
            else {"status": READY, "run_after": now, "started_at": None}
        )
        # Conditional on the claim we saw, so two workers recovering at once act once.
        recovered += DBTaskResult.objects.filter(
            pk=job.pk, status=RUNNING, started_at=job.started_at
        ).update(**changes)
        logger.warning("job %s (%s) was left running by %s: %s", job.pk, job.task_path,
                       worker_id, "failed" if last_attempt else "queued again")
    return recovered
