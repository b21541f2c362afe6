"""`rrp standards`: the catalogue loaded by the migration, printed as JSON (a contract), and
loading editions beside each other."""

from __future__ import annotations

import json
from typing import Any

from rrp.standards.catalogue import load_edition


def test_export_prints_every_statement_as_json(rrp_cli: Any) -> None:
    # The database has only been migrated: the data migration loaded the catalogue.
    result = rrp_cli("standards", "export", "--format", "json")
    assert result.returncode == 0, result.stderr
    statements = json.loads(result.stdout)
    assert isinstance(statements, list)
    assert len(statements) == 209
    for statement in statements:
        assert {"id", "section", "title", "text"} <= set(statement)
    by_id = {s["id"]: s for s in statements}
    catalogue = load_edition("nms-2019-12")
    assert [s["id"] for s in statements] == list(catalogue.statement_ids)
    assert by_id["2.5.2.XI"]["section"] == "2"
    assert by_id["2.5.2.XI"]["title"] == "Staff who may be involved in the restraint process"
    assert by_id["2.5.2.XI"]["text"] == catalogue.statement("2.5.2.XI").text
    assert (
        by_id["1.4.1.III"]["title"]
        == "Responsibilities of directors and the executive and non-executive lead"
    )
    assert by_id["3.4.2.XLI"]["section"] == "3"


def test_export_as_csv_and_errors_in_one_line(rrp_cli: Any) -> None:
    result = rrp_cli("standards", "export", "--format", "csv")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "id,section,section_title,subsection,title,text,edition"
    assert len(lines) == 210
    missing = rrp_cli("standards", "export", "--edition", "nms-2030-01")
    assert missing.returncode != 0
    assert (
        missing.stderr.strip()
        .splitlines()[-1]
        .endswith("nms-2030-01 is not loaded: run rrp standards load --edition nms-2030-01")
    )
    wrong = rrp_cli("standards", "export", "--format", "yaml")
    assert wrong.returncode == 2
    assert len(wrong.stderr.strip().splitlines()) == 1


def test_loading_an_edition_again_changes_nothing(rrp_cli: Any) -> None:
    result = rrp_cli("standards", "load")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Already loaded nms-2019-12: 209 statements"
    listed = rrp_cli("standards", "editions")
    assert listed.stdout.strip() == "nms-2019-12\tloaded"
