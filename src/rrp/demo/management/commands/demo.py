from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from rrp.core.cli import demo_load_failed, one_line_errors
from rrp.demo.generator import seed_demo
from rrp.organisations.models import Organisation


class Command(BaseCommand):
    help = "Migrate, load the synthetic demo provider if the database is empty, and serve"

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> Any:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        one_line_errors(parser, "rrp demo")
        return parser

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--addr", default="127.0.0.1:8000")
        parser.add_argument("--reset", action="store_true",
                            help="delete the demo SQLite database first and start again")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--no-serve", action="store_true", help=argparse_hidden())

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("run the demo with RRP_DEMO=true (make demo does this)")
        database = settings.DATABASES["default"]
        if options["reset"]:
            if database["ENGINE"] != "django.db.backends.sqlite3":
                raise CommandError("--reset only works on the embedded SQLite demo database")
            for suffix in ("", "-wal", "-shm"):
                path = Path(f"{database['NAME']}{suffix}")
                if path.exists():
                    path.unlink()
        Path(str(database["NAME"])).parent.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        if not Organisation.objects.exists():
            self.stdout.write("Loading the synthetic demo provider (about a minute)...")
            try:
                seed_demo(seed=options["seed"])
            except Exception as error:  # any failure: one line, not a traceback (issue 10)
                raise demo_load_failed(error, seed=options["seed"]) from error
        if options["no_serve"]:
            return
        self.stdout.write(
            f"RRP demo at http://{options['addr']}/ – sign in with an account listed on the page"
        )
        os.environ.setdefault("RRP_DEMO", "true")
        # A worker beside the server draws the charts and runs the clock (rrp.jobs), so the
        # demo behaves as a deployment does; it stops with the server.
        worker = subprocess.Popen(
            [sys.executable, "-m", "rrp.manage", "worker", "--verbosity", "0"])
        try:
            call_command("runserver", options["addr"], use_reloader=False)
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()


def argparse_hidden() -> str:
    import argparse

    return argparse.SUPPRESS
