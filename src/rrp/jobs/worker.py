"""`rrp worker`: django_tasks_db's worker loop, with RRP's heartbeat, recovery, retries and
clock (rrp.jobs.queue, rrp.jobs.schedule) run beside it.

The library's loop claims one ready job at a time in a locking transaction (SELECT ... FOR
UPDATE SKIP LOCKED on PostgreSQL, an exclusive transaction on SQLite), so any number of
workers on any number of machines take each job once. Beside it a thread, every
`RRP_WORKER_BEAT_SECONDS`:

1. writes this worker's heartbeat (WorkerBeat.seen_at);
2. queues again the jobs of workers that died (queue.recover_abandoned);
3. enqueues the minute's scheduled jobs, if no other worker has (schedule.tick).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connections
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from rrp.jobs import queue, schedule
from rrp.jobs.models import WorkerBeat

logger = logging.getLogger(__name__)


def new_worker_id() -> str:
    """Unique across machines and readable on the admin page: host, process, random tail."""
    from django.utils.crypto import get_random_string

    return f"{queue.hostname()[:40]}-{os.getpid()}-{get_random_string(8)}"[:64]


def beat(worker_id: str, *, started_at: dt.datetime, now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    WorkerBeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"hostname": queue.hostname(), "pid": os.getpid(), "started_at": started_at,
                  "seen_at": now},
    )


def look_after(worker_id: str, *, started_at: dt.datetime, now: dt.datetime | None = None) -> None:
    """One round of the housekeeping thread (also called directly by tests)."""
    now = now or timezone.now()
    beat(worker_id, started_at=started_at, now=now)
    queue.recover_abandoned(now=now)
    schedule.tick(now, worker_id)


class RrpWorker(Worker):
    def __init__(self, *, beat_seconds: float, clock: bool = True, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.beat_seconds = beat_seconds
        self.clock = clock
        self.started_at = timezone.now()
        self._stop = threading.Event()

    def _housekeeping(self) -> None:
        while not self._stop.is_set():
            try:
                close_old_connections()
                now = timezone.now()
                beat(self.worker_id, started_at=self.started_at, now=now)
                queue.recover_abandoned(now=now)
                if self.clock:
                    schedule.tick(now, self.worker_id)
            except Exception:  # noqa: BLE001 - a locked database now is tried again next round
                logger.exception("worker housekeeping failed; trying again")
            self._stop.wait(self.beat_seconds)
        connections.close_all()

    def run(self) -> None:
        beat(self.worker_id, started_at=self.started_at)
        thread = threading.Thread(target=self._housekeeping, name="rrp-worker-housekeeping",
                                  daemon=True)
        thread.start()
        try:
            super().run()
        finally:
            self._stop.set()
            thread.join(timeout=self.beat_seconds + 5)
            WorkerBeat.objects.filter(worker_id=self.worker_id).delete()

    def run_task(self, db_task_result: DBTaskResult) -> None:
        super().run_task(db_task_result)
        queue.after_failure(db_task_result)


def run(*, batch: bool = False, interval: float | None = None, max_tasks: int | None = None,
        clock: bool = True, worker_id: str | None = None) -> None:
    """Run a worker in this process (the command, the demo and the tests)."""
    RrpWorker(
        queue_names=["*"], interval=settings.RRP_WORKER_INTERVAL if interval is None else interval,
        batch=batch, backend_name="default", startup_delay=not batch, max_tasks=max_tasks,
        worker_id=worker_id or new_worker_id(), excluded_queue_names=[],
        beat_seconds=settings.RRP_WORKER_BEAT_SECONDS, clock=clock,
    ).run()


def run_ready_jobs() -> int:
    """Run every job that is ready now, in this process, then return how many ran (`make
    bench` and tests that want the charts drawn). Unlike the worker's loop it leaves the
    caller's database connection and transaction alone (the loop closes old connections)."""
    worker = RrpWorker(
        queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
        max_tasks=None, worker_id=new_worker_id(), excluded_queue_names=[], beat_seconds=0,
        clock=False,
    )
    ran = 0
    while True:
        ready = DBTaskResult.objects.ready().filter(backend_name="default")
        with exclusive_transaction(ready.db):
            job = ready.get_locked()
            if job is not None:
                job.claim(worker.worker_id)
        if job is None:
            return ran
        worker.run_task(job)
        ran += 1
