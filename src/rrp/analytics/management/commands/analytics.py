from __future__ import annotations

import sys
import time
from typing import Any, TextIO, cast

from django.core.management.base import CommandError

from rrp.analytics.bulk_rebuild import RebuildRunning, rebuild_in_steps
from rrp.analytics.drawing_ahead import draw_ahead
from rrp.analytics.models import SummaryRebuild
from rrp.core.cli import ProvisioningCommand
from rrp.organisations.models import Organisation, Ward


class ProgressBar:
    """One line redrawn in place on a terminal; a line every tenth of the way otherwise (a log
    file should not get thousands of lines)."""

    WIDTH = 30

    def __init__(self, out: TextIO, label: str) -> None:
        self.out, self.label = out, label
        self.tty = out.isatty()
        self.shown = -1
        self.began = time.perf_counter()

    def __call__(self, progress: SummaryRebuild) -> None:
        percent = progress.percent
        if progress.phase == SummaryRebuild.FACTS:
            what = f"facts of {progress.incidents_done:,} of {progress.incidents_total:,} incidents"
        else:
            what = f"summaries of {progress.months_done} of {progress.months_total} months"
        if self.tty:
            filled = self.WIDTH * percent // 100
            bar = "#" * filled + "-" * (self.WIDTH - filled)
            self.out.write(f"\r{self.label} [{bar}] {percent:3d}%  {what}   ")
            self.out.flush()
        elif percent // 10 > self.shown // 10:
            self.out.write(f"{self.label}: {percent}%  {what}\n")
            self.out.flush()
        self.shown = max(self.shown, percent)

    def done(self) -> None:
        if self.tty:
            self.out.write("\n")


class Command(ProvisioningCommand):
    help = (
        "Dashboard summaries: rrp analytics rebuild [--org R1A] recomputes them from the "
        "records (after a bulk load that bypassed the services, or to check them), showing its "
        "progress and carrying on where a stopped rebuild left off, then draws the charts of "
        "every dashboard, so that no reader waits for them"
    )

    def add_arguments(self, parser: Any) -> None:
        subparsers = parser.add_subparsers(dest="action", required=True)
        again = self.add_subcommand(
            subparsers, "rebuild", "recompute every summary, then draw every dashboard's charts"
        )
        again.add_argument("--org", help="ODS code of one organisation (default: all)")
        again.add_argument("--restart", action="store_true",
                           help="start again instead of carrying on from a stopped rebuild")

    def handle(self, *args: Any, **options: Any) -> None:
        organisations = Organisation.objects.order_by("ods_code")
        if options.get("org"):
            organisations = organisations.filter(ods_code=options["org"].upper())
            if not organisations.exists():
                raise CommandError(f"no organisation with ODS code {options['org']}")
        # The stream under Django's OutputWrapper: the bar writes "\r" without a newline.
        out = cast(TextIO, getattr(self.stdout, "_out", sys.stdout))
        for organisation in organisations:
            started = time.perf_counter()
            bar = ProgressBar(out, organisation.ods_code)
            try:
                rebuilt = rebuild_in_steps(organisation, restart=options["restart"],
                                           on_progress=bar)
            except RebuildRunning as running:
                raise CommandError(f"{organisation.ods_code}: {running}") from None
            finally:
                bar.done()
            took = time.perf_counter() - started
            started = time.perf_counter()
            wards = Ward.objects.filter(organisation=organisation).values_list("pk", flat=True)
            charts = draw_ahead(organisation, wards)
            carried_on = " (carried on from a stopped rebuild)" if rebuilt.resumed else ""
            self.stdout.write(
                f"Rebuilt the summaries of {organisation.ods_code} in {took:.1f} s"
                f"{carried_on}: {rebuilt.incidents:,} incidents, {rebuilt.months} months; "
                f"{charts} dashboard charts drawn in {time.perf_counter() - started:.1f} s"
            )
