"""What RRP adds to django-tasks' job table (django_tasks_db.DBTaskResult): the workers'
heartbeats, so a job whose worker died (kill -9, a lost machine) is run again, and the clock's
minutes, so each scheduled job is enqueued once a minute however many workers run.
(docs/adr/0011-background-jobs.md says why.)"""

from __future__ import annotations

from django.db import models


class WorkerBeat(models.Model):
    """One running `rrp worker`: it writes `seen_at` every few seconds while it lives."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["hostname", "pid"]

    def __str__(self) -> str:
        return f"{self.worker_id} on {self.hostname} (pid {self.pid})"


class ClockMinute(models.Model):
    """A minute whose scheduled jobs have been enqueued: the unique minute is the lock, so two
    workers that wake in the same minute enqueue them once."""

    minute = models.DateTimeField(unique=True)
    worker_id = models.CharField(max_length=64)

    class Meta:
        ordering = ["-minute"]

    def __str__(self) -> str:
        return f"{self.minute:%Y-%m-%d %H:%M} by {self.worker_id}"
