from __future__ import annotations

import time
from typing import Any

from django.core.management.base import CommandError

from rrp.analytics.drawing_ahead import draw_ahead
from rrp.analytics.summaries import rebuild
from rrp.core.cli import ProvisioningCommand
from rrp.organisations.models import Organisation, Ward


class Command(ProvisioningCommand):
    help = (
        "Dashboard summaries: rrp analytics rebuild [--org R1A] recomputes them from the "
        "records (after a bulk load that bypassed the services, or to check them) and draws "
        "the charts of every dashboard, so that no reader waits for them"
    )

    def add_arguments(self, parser: Any) -> None:
        subparsers = parser.add_subparsers(dest="action", required=True)
        again = self.add_subcommand(
            subparsers, "rebuild", "recompute every summary, then draw every dashboard's charts"
        )
        again.add_argument("--org", help="ODS code of one organisation (default: all)")

    def handle(self, *args: Any, **options: Any) -> None:
        organisations = Organisation.objects.order_by("ods_code")
        if options.get("org"):
            organisations = organisations.filter(ods_code=options["org"].upper())
            if not organisations.exists():
                raise CommandError(f"no organisation with ODS code {options['org']}")
        for organisation in organisations:
            started = time.perf_counter()
            rebuild(organisation)
            rebuilt = time.perf_counter() - started
            started = time.perf_counter()
            wards = Ward.objects.filter(organisation=organisation).values_list("pk", flat=True)
            charts = draw_ahead(organisation, wards)
            self.stdout.write(
                f"Rebuilt the summaries of {organisation.ods_code} in {rebuilt:.1f} s; "
                f"{charts} dashboard charts drawn in {time.perf_counter() - started:.1f} s"
            )
