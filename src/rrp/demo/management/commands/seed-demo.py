from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from rrp.core.cli import demo_load_failed, one_line_errors
from rrp.demo.generator import DEMO_ODS_CODE, seed_demo
from rrp.organisations.models import Organisation


class Command(BaseCommand):
    help = "Load the synthetic demo provider (seeded, reproducible) without serving"

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> Any:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        one_line_errors(parser, "rrp seed-demo")
        return parser

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args: Any, **options: Any) -> None:
        if Organisation.objects.filter(ods_code=DEMO_ODS_CODE).exists():
            raise CommandError(
                f"the demo provider {DEMO_ODS_CODE} is already loaded; use `rrp demo --reset`"
            )
        try:
            org = seed_demo(seed=options["seed"])
        except Exception as error:  # any failure: one line, not a traceback (issue 10)
            raise demo_load_failed(error, seed=options["seed"]) from error
        self.stdout.write(f"Loaded the synthetic demo provider {org}")
