from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError

from rrp.core.cli import ProvisioningCommand, cli_actor
from rrp.organisations import services
from rrp.organisations.models import Organisation, ServiceType, Site, Ward


class Command(ProvisioningCommand):
    help = (
        "Manage wards: rrp ward add --org R1A --code OAK --name 'Oak Ward' --beds 18 "
        "--service-type adult_acute"
    )

    def add_arguments(self, parser: Any) -> None:
        subparsers = parser.add_subparsers(dest="action", required=True)
        add = self.add_subcommand(subparsers, "add", "add a ward to an organisation")
        add.add_argument("--org", required=True, help="ODS code of the organisation")
        add.add_argument("--code", required=True)
        add.add_argument("--name", required=True)
        add.add_argument("--beds", required=True, type=int)
        add.add_argument("--service-type", required=True, choices=ServiceType.values)
        add.add_argument("--site", help="site name (created if new)")
        lst = self.add_subcommand(subparsers, "list", "list an organisation's wards")
        lst.add_argument("--org", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        org = Organisation.objects.filter(ods_code=options["org"].upper()).first()
        if org is None:
            raise CommandError(f"no organisation with ODS code {options['org']}")
        if options["action"] == "list":
            for ward in Ward.objects.filter(organisation=org).order_by("code"):
                self.stdout.write(f"{ward.code}\t{ward.name}\t{ward.service_type}\t{ward.beds}")
            return
        if options["beds"] < 1:
            raise CommandError("--beds must be at least 1")
        code = options["code"].strip().upper()
        if Ward.objects.filter(organisation=org, code=code).exists():
            raise CommandError(f"{org.ods_code} already has a ward with code {code}")
        site = None
        if options.get("site"):
            site = Site.objects.filter(organisation=org, name=options["site"]).first()
            if site is None:
                site = services.site_create(
                    actor=cli_actor(), organisation=org, name=options["site"]
                )
        ward = services.ward_create(
            actor=cli_actor(), organisation=org, code=code, name=options["name"],
            beds=options["beds"], service_type=options["service_type"], site=site,
        )
        self.stdout.write(f"Added {ward.name} ({ward.code}) to {org.ods_code}")
