"""Background jobs of the uses of force (django-tasks, run by `rrp worker`)."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from rrp.incidents import clock


@task()
def duty_clock(minute: str) -> dict[str, int]:
    """Every minute (rrp.jobs.schedule): recurring reviews, overdue duties, escalations."""
    from django.utils import timezone

    now = max(dt.datetime.fromisoformat(minute), timezone.now())
    return clock.run(now=now)
