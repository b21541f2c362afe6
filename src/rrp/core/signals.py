"""The last guard of rrp.core.limits: every save of an RRP model checks its text before the
database sees it, so a limit a form or schema missed is the same 422 (or form error) on SQLite
and PostgreSQL, naming the field, instead of a database error (a 500) on one and silently
stored on the other (issue 11)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models

from rrp.core.limits import text_problem, too_long


def check_text_before_save(sender: type[models.Model], instance: models.Model,
                           **kwargs: Any) -> None:
    if not sender.__module__.startswith("rrp."):
        return
    problems: dict[str, list[str]] = {}
    for field in sender._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField):
            continue
        value = getattr(instance, field.attname, None)
        if not isinstance(value, str):
            continue
        problem = text_problem(value)
        if problem is None and field.max_length is not None and len(value) > field.max_length:
            problem = too_long(field.max_length)
        if problem is not None:
            problems[field.name] = [problem]
    if problems:
        raise ValidationError(problems)


M = TypeVar("M", bound=models.Model)


def bulk_create_checked(model: type[M], objects: Iterable[M]) -> list[M]:
    """bulk_create sends no pre_save: check each object's text as a save would, then insert
    them in one statement (a use of force's interventions and duties, on the write path)."""
    rows = list(objects)
    for row in rows:
        check_text_before_save(model, row)
    return model._default_manager.bulk_create(rows)
