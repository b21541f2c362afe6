from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError

from rrp.audit.services import audit_verify
from rrp.core.cli import ProvisioningCommand


class Command(ProvisioningCommand):
    help = "The audit trail: rrp audit verify checks its hash chain"

    def add_arguments(self, parser: Any) -> None:
        subparsers = parser.add_subparsers(dest="action", required=True)
        self.add_subcommand(
            subparsers, "verify",
            "check that no audit event was changed, removed or put in; prints the head to keep",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        verdict = audit_verify()
        if not verdict.intact:
            raise CommandError(
                f"the audit trail is broken at event {verdict.broken_id}: {verdict.problem} "
                f"({verdict.checked} events before it hold)"
            )
        self.stdout.write(
            f"audit trail intact: {verdict.checked} events; head event {verdict.head_id} "
            f"hash {verdict.head_hash}"
        )
