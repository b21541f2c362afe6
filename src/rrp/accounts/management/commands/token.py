from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils import timezone

from rrp.accounts.models import ApiToken
from rrp.accounts.services import token_issue, token_revoke, tokens_of
from rrp.core.cli import ProvisioningCommand, cli_actor
from rrp.organisations.models import Organisation


class Command(ProvisioningCommand):
    help = (
        "API tokens: rrp token issue --username ann prints a new token and nothing else; "
        "rrp token list --username ann; rrp token revoke --id 7"
    )

    def add_arguments(self, parser: Any) -> None:
        subparsers = parser.add_subparsers(dest="action", required=True)
        issue = self.add_subcommand(subparsers, "issue", "issue a new API token")
        issue.add_argument("--username", required=True)
        issue.add_argument("--org", help="ODS code, when the user belongs to several")
        listing = self.add_subcommand(
            subparsers, "list", "one line per token: id, start, organisation, dates, state")
        listing.add_argument("--username", required=True)
        revoke = self.add_subcommand(subparsers, "revoke", "stop a token working at once")
        revoke.add_argument("--id", type=int, required=True, help="the id `rrp token list` shows")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "revoke":
            token = ApiToken.objects.filter(pk=options["id"]).first()
            if token is None:
                raise CommandError(f"no API token with id {options['id']}")
            token_revoke(actor=cli_actor(), token=token)
            self.stdout.write(f"Revoked token {token.pk} ({token.hint}...)")
            return
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no user called {options['username']}")
        if options["action"] == "list":
            now = timezone.now()
            for token in tokens_of(user):
                used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
                self.stdout.write(
                    f"{token.pk}\t{token.hint}...\t{token.organisation.ods_code}\t"
                    f"created {token.created_at:%Y-%m-%d}\tlast used {used}\t"
                    f"expires {token.expires_at:%Y-%m-%d}\t{token.state(now)}"
                )
            return
        org = None
        if options.get("org"):
            org = Organisation.objects.filter(ods_code=options["org"].upper()).first()
            if org is None:
                raise CommandError(f"no organisation with ODS code {options['org']}")
        self.stdout.write(token_issue(actor=cli_actor(), user=user, organisation=org))
