"""Loading an edition's data file into the database (the data migration and `rrp standards
load` both use it). Editions are immutable once loaded: loading one again is a no-op when the
file is the same and an error when it changed, because cycles already point at its rows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from rrp.standards.catalogue import Edition, load_edition, read_edition_json


class EditionChanged(ValueError):
    """The data file of an edition already loaded has changed since it was loaded."""


@dataclass(frozen=True)
class LoadResult:
    code: str
    created: bool
    statements: int


def data_sha256(code: str) -> str:
    return hashlib.sha256(read_edition_json(code).encode("utf-8")).hexdigest()


def edition_fields(edition: Edition, code: str) -> dict[str, Any]:
    return {
        "code": code,
        "title": edition.title,
        "published": edition.published,
        "status": edition.status,
        "source_sha256": edition.source_sha256,
        "data_sha256": data_sha256(code),
    }


def statement_rows(edition: Edition) -> Iterator[dict[str, Any]]:
    """One dict per statement, in document order, as ComplianceStatement fields."""
    section_titles = {section.number: section.title for section in edition.sections}
    for position, statement in enumerate(edition.statements, start=1):
        yield {
            "ref": statement.id,
            "position": position,
            "section": statement.section,
            "section_title": section_titles[statement.section],
            "subsection": statement.subsection,
            "title": statement.title,
            "text": statement.text,
            "sub_points": [
                {"label": point.label, "text": point.text} for point in statement.sub_points
            ],
        }


def load_into(edition_model: Any, statement_model: Any, code: str) -> LoadResult:
    """Load edition `code` with the given model classes (historical ones in a migration)."""
    edition = load_edition(code)
    fields = edition_fields(edition, code)
    existing = edition_model.objects.filter(code=code).first()
    if existing is not None:
        if existing.data_sha256 != fields["data_sha256"]:
            raise EditionChanged(
                f"edition {code} is already loaded from a different data file; "
                "publish changes as a new edition instead"
            )
        return LoadResult(code=code, created=False, statements=existing.statements.count())
    row = edition_model.objects.create(**fields)
    statement_model.objects.bulk_create(
        statement_model(edition=row, **values) for values in statement_rows(edition)
    )
    return LoadResult(code=code, created=True, statements=len(edition.statements))
