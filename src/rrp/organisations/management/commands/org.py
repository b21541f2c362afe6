from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError

from rrp.core.cli import ProvisioningCommand, cli_actor
from rrp.organisations import services
from rrp.organisations.models import Organisation, Sector


class Command(ProvisioningCommand):
    help = "Manage provider organisations: rrp org add --ods-code R1A --name 'Example NHS Trust'"

    def add_arguments(self, parser: Any) -> None:
        subparsers = parser.add_subparsers(dest="action", required=True)
        add = self.add_subcommand(subparsers, "add", "add a provider organisation")
        add.add_argument("--ods-code", required=True)
        add.add_argument("--name", required=True)
        add.add_argument("--sector", default=Sector.NHS, choices=Sector.values)
        self.add_subcommand(subparsers, "list", "list organisations")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            for org in Organisation.objects.order_by("ods_code"):
                self.stdout.write(f"{org.ods_code}\t{org.name}\t{org.sector}")
            return
        code = options["ods_code"].strip().upper()
        if Organisation.objects.filter(ods_code=code).exists():
            raise CommandError(f"an organisation with ODS code {code} already exists")
        org = services.organisation_create(
            actor=cli_actor(), ods_code=code, name=options["name"], sector=options["sector"]
        )
        self.stdout.write(f"Added {org}")
