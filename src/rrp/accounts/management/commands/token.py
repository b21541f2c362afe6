from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from rrp.accounts.services import token_issue
from rrp.core.cli import ProvisioningCommand, cli_actor
from rrp.organisations.models import Organisation


class Command(ProvisioningCommand):
    help = "API tokens: rrp token issue --username ann prints a new token and nothing else"

    def add_arguments(self, parser: Any) -> None:
        subparsers = parser.add_subparsers(dest="action", required=True)
        issue = self.add_subcommand(subparsers, "issue", "issue a new API token")
        issue.add_argument("--username", required=True)
        issue.add_argument("--org", help="ODS code, when the user belongs to several")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no user called {options['username']}")
        org = None
        if options.get("org"):
            org = Organisation.objects.filter(ods_code=options["org"].upper()).first()
            if org is None:
                raise CommandError(f"no organisation with ODS code {options['org']}")
        self.stdout.write(token_issue(actor=cli_actor(), user=user, organisation=org))
