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
            raise CommandError(validation_sentence(error)) from None


def validation_sentence(error: ValidationError) -> str:
    """Every problem of a ValidationError on one line, each named by its field."""
    messages = (
        [f"{field}: {m}" for field, ms in error.message_dict.items() for m in ms]
        if hasattr(error, "error_dict")
        else error.messages
    )
    return "; ".join(messages)


def demo_load_failed(error: Exception, *, seed: int) -> CommandError:
    """A failed demo load as one line a new user can act on (`--traceback` shows the chain).

    The demo is built back from today's date, so say which day and seed it was."""
    from django.utils import timezone

    problem = (validation_sentence(error) if isinstance(error, ValidationError)
               else f"{type(error).__name__}: {error}")
    return CommandError(
        f"the demo could not be loaded on {timezone.localdate():%Y-%m-%d} with --seed {seed} "
        f"({problem}); please report this, and try another --seed meanwhile"
    )


def cli_actor() -> Actor:
    return Actor(user=None, via="cli")
