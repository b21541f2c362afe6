"""`rrp worker`: run background jobs (charts, the duty clock, notifications) until stopped.

Run one or more beside the web servers, on any machine that reaches the database. Ctrl+C or
SIGTERM finishes the job in hand and stops; a worker killed outright leaves its job to be run
again by another (rrp.jobs.queue.recover_abandoned)."""

from __future__ import annotations

import logging
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from rrp.jobs import worker


class Command(BaseCommand):
    help = "Run RRP's background jobs and clock until stopped."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true",
                            help="run every job that is ready, then stop")
        parser.add_argument("--max-jobs", type=int, default=None,
                            help="stop after this many jobs")
        parser.add_argument("--interval", type=float, default=None,
                            help="seconds between looks at an empty queue (default 1)")
        parser.add_argument("--no-clock", action="store_true",
                            help="do not enqueue the scheduled jobs (another worker does)")

    def handle(self, *args: Any, **options: Any) -> None:
        level = logging.INFO if options["verbosity"] >= 1 else logging.WARNING
        for name in ("rrp.jobs", "django_tasks_db", "django_tasks"):
            logging.getLogger(name).setLevel(level)
        if options["max_jobs"] is not None and options["max_jobs"] < 1:
            self.stderr.write("rrp worker: error: --max-jobs must be 1 or more")
            raise SystemExit(2)
        worker.run(batch=options["batch"], interval=options["interval"],
                   max_tasks=options["max_jobs"], clock=not options["no_clock"])
