"""`rrp standards`: the catalogue of compliance statements.

rrp standards export --format json     the statements as a JSON list (a contract: each
                                       object has at least id, section, title, text)
rrp standards export --format csv
rrp standards load [--edition CODE]    load an edition's data file beside the others
rrp standards editions                 editions loaded and editions shipped
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import CommandError

from rrp.core.cli import ProvisioningCommand, cli_actor
from rrp.core.spreadsheets import csv_text
from rrp.standards.catalogue import available_editions
from rrp.standards.models import ComplianceStatement, StandardsEdition
from rrp.standards.services import edition_load

EXPORT_FIELDS = ("id", "section", "section_title", "subsection", "title", "text", "edition")


class Command(ProvisioningCommand):
    help = "The catalogue of compliance statements: rrp standards export --format json"

    def add_arguments(self, parser: Any) -> None:
        subparsers = parser.add_subparsers(dest="action", required=True)
        export = self.add_subcommand(subparsers, "export", "print the statements of an edition")
        export.add_argument("--format", choices=["json", "csv"], default="json")
        export.add_argument(
            "--edition",
            default=None,
            help="edition code, e.g. nms-2019-12 (default: the latest loaded)",
        )
        load = self.add_subcommand(subparsers, "load", "load an edition from its data file")
        load.add_argument(
            "--edition", default=None, help="edition code (default: every edition shipped with RRP)"
        )
        self.add_subcommand(subparsers, "editions", "list editions loaded and shipped")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "load":
            codes = [options["edition"]] if options["edition"] else list(available_editions())
            for code in codes:
                result = edition_load(actor=cli_actor(), code=code)
                verb = "Loaded" if result.created else "Already loaded"
                self.stdout.write(f"{verb} {code}: {result.statements} statements")
        elif action == "editions":
            loaded = {e.code: e for e in StandardsEdition.objects.all()}
            for code in sorted(set(loaded) | set(available_editions())):
                state = "loaded" if code in loaded else "not loaded"
                self.stdout.write(f"{code}\t{state}")
        else:
            self._export(options["format"], options["edition"])

    def _export(self, output_format: str, code: str | None) -> None:
        editions = StandardsEdition.objects.all()
        edition = editions.filter(code=code).first() if code else editions.first()
        if edition is None:
            wanted = code or "any edition"
            raise CommandError(
                f"{wanted} is not loaded: run rrp standards load"
                + (f" --edition {code}" if code else "")
            )
        statements = ComplianceStatement.objects.filter(edition=edition).order_by("position")
        rows = [
            {
                "id": s.ref,
                "section": s.section,
                "section_title": s.section_title,
                "subsection": s.subsection,
                "title": s.title,
                "text": s.text,
                "sub_points": s.sub_points,
                "edition": edition.code,
            }
            for s in statements
        ]
        if output_format == "json":
            sys.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
            return
        sys.stdout.write(csv_text(
            EXPORT_FIELDS, ({k: row[k] for k in EXPORT_FIELDS} for row in rows),
            lineterminator="\n",
        ))
