"""The catalogue in the database: loaded from the data file by a migration, with a later
edition loaded beside it rather than over it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from rrp.standards import loading
from rrp.standards.catalogue import edition_from_dict, load_edition, read_edition_json
from rrp.standards.loading import EditionChanged, load_into
from rrp.standards.models import ComplianceStatement, StandardsEdition


def test_the_migration_loaded_every_statement_as_the_data_file_has_it(db: None) -> None:
    edition = StandardsEdition.objects.get(code="nms-2019-12")
    catalogue = load_edition("nms-2019-12")
    rows = list(ComplianceStatement.objects.filter(edition=edition).order_by("position"))
    assert len(rows) == 209
    assert [r.ref for r in rows] == list(catalogue.statement_ids)
    for row, statement in zip(rows, catalogue.statements, strict=True):
        assert (row.section, row.subsection, row.title, row.text) == (
            statement.section,
            statement.subsection,
            statement.title,
            statement.text,
        )
    sub_points = ComplianceStatement.objects.get(edition=edition, ref="3.4.2.XIV").sub_points
    assert [p["label"] for p in sub_points] == ["a", "b"]
    assert edition.published.isoformat() == "2019-12-14"


def test_a_later_edition_is_loaded_beside_the_first(
    db: None, monkeypatch: Any, make_cycle: Any
) -> None:
    first = make_cycle(name="Under the 2019 edition")
    data = json.loads(read_edition_json("nms-2019-12"))
    data["edition"] = "nms-2027-01"
    data["published"] = "2027-01-15"
    data["statements"][0]["text"] = "A revised first statement."
    text = json.dumps(data)
    monkeypatch.setattr(loading, "read_edition_json", lambda code: text)
    monkeypatch.setattr(loading, "load_edition", lambda code: edition_from_dict(json.loads(text)))
    result = load_into(StandardsEdition, ComplianceStatement, "nms-2027-01")
    assert result.created and result.statements == 209
    assert list(StandardsEdition.objects.values_list("code", flat=True)) == [
        "nms-2027-01",
        "nms-2019-12",
    ]
    later = make_cycle(name="Under the 2027 edition")
    assert later.edition.code == "nms-2027-01"
    assert (
        later.assessments.get(statement__ref="1.1.I").statement.text == "A revised first statement."
    )
    first.refresh_from_db()
    assert first.edition.code == "nms-2019-12"
    assert first.assessments.get(statement__ref="1.1.I").statement.text.startswith("Board approves")
    # Loading the same file again is a no-op; a changed file under the same code is refused.
    assert load_into(StandardsEdition, ComplianceStatement, "nms-2027-01").created is False
    monkeypatch.setattr(
        loading, "read_edition_json", lambda code: text.replace("revised", "changed")
    )
    with pytest.raises(EditionChanged):
        load_into(StandardsEdition, ComplianceStatement, "nms-2027-01")
