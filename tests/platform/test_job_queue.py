"""The queue's rules (rrp.jobs): retries with backoff up to the attempts allowed, recovery of
jobs whose worker died, the clock enqueued once a minute however many workers, and the jobs
and notifications pages for those who may see them."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_the_backoff_doubles_and_has_a_ceiling(settings: Any) -> None:
    from rrp.jobs.queue import retry_delay

    settings.RRP_JOB_RETRY_SECONDS = 10
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [10, 20, 40, 80]
    assert retry_delay(20) == dt.timedelta(minutes=15)


def test_a_failing_job_is_retried_then_stays_failed_with_its_error(settings: Any) -> None:
    import worker_test_jobs as jobs
    from django_tasks_db.models import DBTaskResult

    from rrp.jobs.worker import run_ready_jobs

    settings.RRP_JOB_MAX_ATTEMPTS = 3
    settings.RRP_JOB_RETRY_SECONDS = 0
    jobs.fail.enqueue("the mail server is down")
    for _ in range(5):
        run_ready_jobs()
    job = DBTaskResult.objects.get()
    assert job.status == "FAILED"
    assert len(job.worker_ids) == 3
    assert "the mail server is down" in job.traceback


def test_a_retry_waits_for_its_backoff(settings: Any) -> None:
    import worker_test_jobs as jobs
    from django_tasks_db.models import DBTaskResult

    from rrp.jobs.worker import run_ready_jobs

    settings.RRP_JOB_RETRY_SECONDS = 60
    jobs.fail.enqueue("x")
    run_ready_jobs()
    job = DBTaskResult.objects.get()
    assert job.status == "READY" and job.run_after > timezone.now() + dt.timedelta(seconds=50)
    run_ready_jobs()  # not yet due: not run
    assert len(DBTaskResult.objects.get().worker_ids) == 1


def _running(worker_id: str) -> Any:
    import worker_test_jobs as jobs
    from django_tasks_db.models import DBTaskResult

    result = jobs.note_and_sleep.enqueue("x", 0, "/tmp")
    DBTaskResult.objects.filter(pk=result.id).update(
        status="RUNNING", worker_ids=[worker_id], started_at=timezone.now())
    return DBTaskResult.objects.get(pk=result.id)


def test_recovery_waits_for_a_live_worker_and_not_for_a_dead_one(settings: Any) -> None:
    from rrp.jobs import queue
    from rrp.jobs.models import WorkerBeat

    now = timezone.now()
    alive = _running("alive")
    WorkerBeat.objects.create(worker_id="alive", hostname=queue.hostname(), pid=os.getpid(),
                              started_at=now, seen_at=now)
    far = _running("far")
    WorkerBeat.objects.create(worker_id="far", hostname="another-machine", pid=1,
                              started_at=now, seen_at=now)
    gone = _running("gone")  # same machine, its process no longer exists
    WorkerBeat.objects.create(worker_id="gone", hostname=queue.hostname(), pid=2**22 + 12345,
                              started_at=now, seen_at=now)
    assert queue.recover_abandoned(now=now) == 1
    for job, status in ((alive, "RUNNING"), (far, "RUNNING"), (gone, "READY")):
        job.refresh_from_db()
        assert job.status == status
    # The other machine falls silent for longer than the lease: its job is run again.
    later = now + dt.timedelta(seconds=settings.RRP_JOB_LEASE_SECONDS + 1)
    WorkerBeat.objects.filter(worker_id="alive").update(seen_at=later)
    assert queue.recover_abandoned(now=later) == 1
    far.refresh_from_db()
    assert far.status == "READY"


def test_a_job_that_kills_its_worker_every_time_stops_being_retried(settings: Any) -> None:
    from django_tasks_db.models import DBTaskResult

    from rrp.jobs import queue

    settings.RRP_JOB_MAX_ATTEMPTS = 2
    job = _running("w1")
    DBTaskResult.objects.filter(pk=job.pk).update(worker_ids=["w1", "w2"])
    queue.recover_abandoned()
    job.refresh_from_db()
    assert job.status == "FAILED" and job.exception_class_path == queue.WORKER_LOST


def test_the_clock_enqueues_a_minute_once_however_many_workers() -> None:
    from django_tasks_db.models import DBTaskResult

    from rrp.jobs import schedule

    minute = dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC)  # on the hour: prune too
    assert set(schedule.tick(minute, "worker-a")) == {
        "rrp.incidents.jobs.duty_clock", "rrp.jobs.tasks.prune"}
    assert schedule.tick(minute + dt.timedelta(seconds=30), "worker-b") == []
    assert schedule.tick(minute + dt.timedelta(minutes=1), "worker-b") == [
        "rrp.incidents.jobs.duty_clock"]
    assert DBTaskResult.objects.filter(task_path="rrp.incidents.jobs.duty_clock").count() == 2


def test_the_duty_clock_job_runs_in_the_worker(settings: Any) -> None:
    from django_tasks_db.models import DBTaskResult

    from rrp.jobs import schedule
    from rrp.jobs.worker import run_ready_jobs

    schedule.tick(timezone.now(), "worker-a")
    run_ready_jobs()
    job = DBTaskResult.objects.get(task_path="rrp.incidents.jobs.duty_clock")
    assert job.status == "SUCCESSFUL", job.traceback
    assert set(job.return_value) == {"recurring_reviews", "overdue", "escalated", "emails"}


@pytest.mark.parametrize("role", ["ward_staff", "ward_manager", "doctor", "rrp_lead", "board",
                                  "trainer", "auditor"])
def test_only_an_organisation_administrator_sees_the_jobs_page(client_as: Any, role: str) -> None:
    assert client_as(role).get("/jobs/").status_code == 403


def test_the_jobs_page_shows_failures_with_their_error(client_as: Any, settings: Any) -> None:
    import worker_test_jobs as jobs

    from rrp.jobs.worker import run_ready_jobs

    settings.RRP_JOB_MAX_ATTEMPTS = 1
    response = client_as("org_admin").get("/jobs/")
    assert response.status_code == 200
    assert "No worker is running" in response.content.decode()
    jobs.fail.enqueue("boom")  # not an organisation's job and not the clock's: not shown
    run_ready_jobs()
    from rrp.jobs import schedule

    schedule.tick(timezone.now(), "w")  # the clock's jobs serve everyone: shown
    html = client_as("org_admin").get("/jobs/?status=READY").content.decode()
    assert "duty_clock" in html and "boom" not in html


def test_notifications_are_each_persons_own(
    client_as: Any, make_user: Any, organisation: Any, client_for: Any,
) -> None:
    from rrp.notifications import services
    from rrp.notifications.models import Notification

    mine, theirs = make_user("doctor"), make_user("doctor")
    services.notify(organisation=organisation, recipients=[mine, theirs], kind="duty_overdue",
                    title="Overdue: Medical review, Oak Ward (UOF-1)")
    client = client_for(mine, organisation)
    page = client.get("/").content.decode()
    assert "Notifications (1)" in page
    assert "Overdue: Medical review" in client.get("/notifications/").content.decode()
    assert client.post("/notifications/read/").status_code == 302
    assert Notification.objects.get(recipient=mine).read_at is not None
    assert Notification.objects.get(recipient=theirs).read_at is None  # not theirs
    assert "Notifications (1)" not in client.get("/").content.decode()
