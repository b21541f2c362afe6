"""Shared pieces of the `rrp` provisioning commands: one-line errors and a CLI actor.

The commands are a contract for scripts: bad arguments print one line naming the problem to
stderr and exit non-zero.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, NoReturn

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from rrp.audit.services import Actor


def one_line_errors(parser: argparse.ArgumentParser, prog: str) -> None:
    def error(message: str) -> NoReturn:
        sys.stderr.write(f"{prog}: error: {message}\n")
        raise SystemExit(2)

    parser.error = error  # type: ignore[method-assign]


class ProvisioningCommand(BaseCommand):
    """A command with sub-commands (`rrp org add ...`) and one-line errors."""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> Any:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        one_line_errors(parser, f"rrp {subcommand}")
        return parser

    def add_subcommand(self, subparsers: Any, name: str, help_text: str) -> argparse.ArgumentParser:
        sub = subparsers.add_parser(name, help=help_text)
        one_line_errors(sub, f"rrp {self.__module__.rsplit('.', 1)[-1]} {name}")
        return sub  # type: ignore[no-any-return]

    def execute(self, *args: Any, **options: Any) -> Any:
        try:
            return super().execute(*args, **options)
        except ValidationError as error:
            messages = (
                [f"{field}: {m}" for field, ms in error.message_dict.items() for m in ms]
                if hasattr(error, "error_dict")
                else error.messages
            )
            raise CommandError("; ".join(messages)) from None


def cli_actor() -> Actor:
    return Actor(user=None, via="cli")
