from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import CommandError

from rrp.core.cli import ProvisioningCommand, cli_actor
from rrp.organisations import services
from rrp.organisations.models import Organisation, Role


class Command(ProvisioningCommand):
    help = (
        "Manage people: rrp user add --username ann --org R1A --role ward_staff "
        "[--password-stdin]"
    )

    def add_arguments(self, parser: Any) -> None:
        subparsers = parser.add_subparsers(dest="action", required=True)
        add = self.add_subcommand(subparsers, "add", "give a person a role in an organisation")
        add.add_argument("--username", required=True)
        add.add_argument("--org", required=True, help="ODS code of the organisation")
        add.add_argument("--role", required=True, choices=Role.values)
        add.add_argument("--name", default="", help="full name")
        add.add_argument("--job-title", default="")
        add.add_argument(
            "--password-stdin", action="store_true", help="read the password from standard input"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        org = Organisation.objects.filter(ods_code=options["org"].upper()).first()
        if org is None:
            raise CommandError(f"no organisation with ODS code {options['org']}")
        password = None
        if options["password_stdin"]:
            password = sys.stdin.readline().rstrip("\n")
            if not password:
                raise CommandError("--password-stdin was given but standard input was empty")
        services.user_add(
            actor=cli_actor(), username=options["username"], organisation=org,
            role=options["role"], password=password, full_name=options["name"],
            job_title=options["job_title"],
        )
        self.stdout.write(f"{options['username']} is {options['role']} at {org.ods_code}")
