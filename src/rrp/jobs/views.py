"""The background jobs page: what is queued, running and failed (with its error), and which
workers are alive, for an organisation administrator."""

from __future__ import annotations

from typing import Any, Final

from django.conf import settings
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from rrp.core.permissions import require_permission
from rrp.jobs import queue, schedule
from rrp.jobs.models import WorkerBeat

SHOWN: Final = 100
STATUS_LABELS: Final = {
    queue.READY: "Queued", queue.RUNNING: "Running", queue.FAILED: "Failed",
    queue.SUCCESSFUL: "Done",
}
SYSTEM_TASKS: Final = tuple(entry.task_path for entry in schedule.SCHEDULE)


def jobs_of(organisation: Any) -> Any:
    """This organisation's jobs (their first argument is its id) and the clock's, which
    serve every organisation. Other organisations' jobs are not shown."""
    return DBTaskResult.objects.filter(
        Q(args_kwargs__args__0=organisation.pk) | Q(task_path__in=SYSTEM_TASKS)
    )


@require_permission("jobs.view_jobs")
def job_list(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation  # type: ignore[attr-defined]
    status = request.GET.get("status", "")
    mine = jobs_of(organisation)
    counts = dict(mine.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    shown = mine.filter(status=status) if status in STATUS_LABELS else mine
    jobs = list(shown.order_by("-enqueued_at")[:SHOWN])
    now = timezone.now()
    workers = [(w, queue.worker_alive(w, now)) for w in WorkerBeat.objects.all()]
    return render(request, "jobs/list.html", {
        "jobs": [(job, STATUS_LABELS.get(job.status, job.status), queue.attempts_of(job))
                 for job in jobs],
        "counts": [(key, label, counts.get(key, 0)) for key, label in STATUS_LABELS.items()],
        "status": status if status in STATUS_LABELS else "",
        "workers": workers,
        "max_attempts": settings.RRP_JOB_MAX_ATTEMPTS,
    })
