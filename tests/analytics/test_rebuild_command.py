"""`rrp analytics rebuild` recomputes the summaries from the records."""

from __future__ import annotations

from typing import Any


def test_rebuild_one_organisation_and_refuse_an_unknown_one(rrp_cli: Any) -> None:
    assert rrp_cli("org", "add", "--ods-code", "R1A", "--name", "Example NHS Trust").returncode == 0
    result = rrp_cli("analytics", "rebuild", "--org", "r1a")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Rebuilt the summaries of R1A in ")
    result = rrp_cli("analytics", "rebuild", "--org", "ZZZ")
    assert result.returncode != 0
    assert result.stderr.strip() == "CommandError: no organisation with ODS code ZZZ"
