"""`rrp staff import --org R1A --csv FILE`: the staff register from a national staff record
(ESR) export, all or nothing, matched on staff number so it can be run again.

A contract for scripts: a problem prints one line per problem to stderr, each with its line
number, imports nothing and exits non-zero; success prints one line of counts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from rrp.core.cli import ProvisioningCommand, cli_actor
from rrp.organisations.models import Organisation
from rrp.workforce import services
from rrp.workforce.esr import read_staff_csv

# A whole trust's register (about 10,000 people) is a few megabytes; a larger file is not a
# staff list, and it is refused whole rather than read in part.
MAX_BYTES = 20_000_000


class Command(ProvisioningCommand):
    help = "The staff register: rrp staff import --org R1A --csv FILE (an ESR staff list)"

    def add_arguments(self, parser: Any) -> None:
        subparsers = parser.add_subparsers(dest="action", required=True)
        load = self.add_subcommand(
            subparsers, "import", "add or update staff from an ESR staff list (CSV)"
        )
        load.add_argument("--org", required=True, help="ODS code of the organisation")
        load.add_argument("--csv", required=True, type=Path, help="the CSV file")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(ods_code=options["org"].strip().upper()).first()
        if organisation is None:
            raise CommandError(f"no organisation with ODS code {options['org']}")
        path: Path = options["csv"]
        if not path.is_file():
            raise CommandError(f"--csv {path}: no such file")
        if path.stat().st_size > MAX_BYTES:
            raise CommandError(f"--csv {path}: the file is larger than {MAX_BYTES:,} bytes")
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise CommandError(f"--csv {path}: the file must be CSV saved as UTF-8") from None
        lines, unreadable = read_staff_csv(text)
        problems = [f"line {line}: {message}" for line, message in sorted(
            unreadable + services.staff_import_problems(organisation=organisation, lines=lines)
        )]
        if not problems:
            try:
                result = services.staff_import(
                    actor=cli_actor(), organisation=organisation, lines=lines
                )
            except ValidationError as error:
                problems = list(error.messages)
        if problems:
            raise CommandError(
                f"nothing was imported: {len(problems)} "
                f"problem{'s' if len(problems) != 1 else ''} in {path}\n" + "\n".join(problems)
            )
        self.stdout.write(
            f"Imported {len(lines)} staff for {organisation.ods_code}: {result.added} added, "
            f"{result.updated} updated, {result.unchanged} unchanged"
        )
