"""`rrp training export --org R1A --format csv|xlsx [--out FILE]`: every person on the register
and the courses they need or have done, with status and expiry, as the pages show them.

Without --out, CSV goes to standard output; Excel goes there only when standard output is a
file or a pipe (binary on a terminal is unreadable), otherwise --out is asked for. Every export
is audited (named staff).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.utils import timezone

from rrp.core.cli import ProvisioningCommand, cli_actor
from rrp.organisations.models import Organisation
from rrp.workforce import exports


class Command(ProvisioningCommand):
    help = "Training records: rrp training export --org R1A --format csv|xlsx [--out FILE]"

    def add_arguments(self, parser: Any) -> None:
        subparsers = parser.add_subparsers(dest="action", required=True)
        export = self.add_subcommand(
            subparsers, "export", "every person's training status, as CSV or Excel"
        )
        export.add_argument("--org", required=True, help="ODS code of the organisation")
        export.add_argument("--format", required=True, choices=exports.FORMATS)
        export.add_argument("--out", type=Path, help="file (or directory) to write to")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(ods_code=options["org"].strip().upper()).first()
        if organisation is None:
            raise CommandError(f"no organisation with ODS code {options['org']}")
        fmt: str = options["format"]
        out: Path | None = options.get("out")
        stream = getattr(self.stdout, "_out", sys.stdout)
        binary = getattr(stream, "buffer", None)
        if out is None and fmt == "xlsx" and (binary is None or stream.isatty()):
            raise CommandError("an Excel file cannot be shown on a terminal: give --out FILE or "
                               "redirect the output to a file")
        if out is not None and not out.is_dir() and not out.parent.is_dir():
            raise CommandError(f"--out {out}: the folder {out.parent} does not exist")
        file = exports.training_export(actor=cli_actor(), organisation=organisation,
                                       today=timezone.localdate(), fmt=fmt)
        if out is None:
            stream.flush()
            if binary is not None:
                binary.write(file.content)
                binary.flush()
            else:  # a text stream with no bytes underneath: CSV only (checked above)
                stream.write(file.content.decode("utf-8"))
            return
        path = out / file.name if out.is_dir() else out
        path.write_bytes(file.content)
        self.stdout.write(f"Wrote {file.rows} rows of training records to {path}")
