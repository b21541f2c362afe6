"""`rrp export`: the MHSDS restrictive intervention files and the Use of Force Act records.

    rrp export mhsds --org R1A --month 2026-10 --out DIR
    rrp export use-of-force --org R1A --from 2026-10-01 --to 2026-10-31 --out DIR

A contract for scripts: bad arguments print one line to stderr and exit non-zero; success
prints one line naming the files written. Every export is audited.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from rrp.core.cli import ProvisioningCommand, cli_actor
from rrp.incidents import exports
from rrp.organisations.bed_days import parse_month
from rrp.organisations.models import Organisation


def month_argument(text: str) -> dt.date:
    try:
        return parse_month(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def date_argument(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date: write it as YYYY-MM-DD, like 2026-10-01"
        ) from None


class Command(ProvisioningCommand):
    help = (
        "Export uses of force: `mhsds` writes the MHS505 and MHS515 CSV files for a month; "
        "`use-of-force` writes the Use of Force Act records (patient-identifiable) for a range"
    )

    def add_arguments(self, parser: Any) -> None:
        subparsers = parser.add_subparsers(
            dest="kind", required=True, metavar="{mhsds,use-of-force}"
        )
        mhsds = self.add_subcommand(
            subparsers, "mhsds", "MHSDS MHS505 and MHS515 files for one month"
        )
        mhsds.add_argument("--org", required=True, help="ODS code of the organisation")
        mhsds.add_argument("--month", required=True, type=month_argument,
                           help="the month the uses of force started in, as YYYY-MM")
        mhsds.add_argument("--out", required=True, type=Path, help="directory to write to")
        records = self.add_subcommand(
            subparsers, "use-of-force", "Use of Force Act s.6(5) records for a date range"
        )
        records.add_argument("--org", required=True, help="ODS code of the organisation")
        records.add_argument("--from", dest="first_day", required=True, type=date_argument,
                             help="first day, as YYYY-MM-DD")
        records.add_argument("--to", dest="last_day", required=True, type=date_argument,
                             help="last day (included), as YYYY-MM-DD")
        records.add_argument("--out", required=True, type=Path, help="directory to write to")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(ods_code=options["org"].strip().upper()).first()
        if organisation is None:
            raise CommandError(f"no organisation with ODS code {options['org']}")
        directory: Path = options["out"]
        if directory.exists() and not directory.is_dir():
            raise CommandError(f"--out {directory} is a file, not a directory")
        if options["kind"] == "mhsds":
            export = exports.mhsds_export(
                actor=cli_actor(), organisation=organisation, month=options["month"]
            )
            paths = export.write_to(directory)
            self.stdout.write(
                f"Wrote {exports.count_uses_of_force(len(export.tables.incidents))} and "
                f"{len(export.tables.types)} interventions for {export.tables.month:%B %Y} to "
                + " and ".join(str(p) for p in paths)
            )
            return
        if options["last_day"] < options["first_day"]:
            raise CommandError("--to is before --from")
        records = exports.use_of_force_export(
            actor=cli_actor(), organisation=organisation,
            first_day=options["first_day"], last_day=options["last_day"],
        )
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / records.file.name
        path.write_text(records.file.text, encoding="utf-8", newline="")
        self.stdout.write(
            f"Wrote {len(records.references)} Use of Force Act records (patient-identifiable) "
            f"to {path}"
        )
