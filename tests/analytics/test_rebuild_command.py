"""`rrp analytics rebuild` recomputes the summaries from the records, showing its progress."""

from __future__ import annotations

from typing import Any


def test_rebuild_one_organisation_and_refuse_an_unknown_one(rrp_cli: Any) -> None:
    assert rrp_cli("org", "add", "--ods-code", "R1A", "--name", "Example NHS Trust").returncode == 0
    result = rrp_cli("analytics", "rebuild", "--org", "r1a")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    # Not a terminal: a line of progress per tenth of the way, then what was done.
    assert lines[0] == "R1A: 50%  summaries of 0 of 0 months"
    assert lines[-1].startswith("Rebuilt the summaries of R1A in ")
    assert ": 0 incidents, 0 months; " in lines[-1]
    result = rrp_cli("analytics", "rebuild", "--org", "ZZZ")
    assert result.returncode != 0
    assert result.stderr.strip() == "CommandError: no organisation with ODS code ZZZ"


def test_on_a_terminal_the_progress_bar_is_one_line_redrawn() -> None:
    import io

    from rrp.analytics.management.commands.analytics import ProgressBar
    from rrp.analytics.models import SummaryRebuild

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    out = Terminal()
    bar = ProgressBar(out, "R1A")
    for done in (2000, 4000):
        bar(SummaryRebuild(phase="facts", incidents_done=done, incidents_total=8000))
    bar(SummaryRebuild(phase="summaries", incidents_done=8000, incidents_total=8000,
                       months_done=12, months_total=24))
    bar.done()
    shown = out.getvalue()
    assert shown.count("\r") == 3 and shown.endswith("\n") and shown.count("\n") == 1
    assert "R1A [###-------" in shown and " 12%  facts of 2,000 of 8,000 incidents" in shown
    assert " 75%  summaries of 12 of 24 months" in shown
