"""The figures know nothing of charts (issue 12, "a house without a circle"): the summaries
module imported drawing_ahead, which imported dashboard, which imported summaries again. Now
the summaries send signals (rrp.analytics.signals) that drawing listens to."""

from __future__ import annotations

import ast
from pathlib import Path

ANALYTICS = Path(__file__).resolve().parents[2] / "src" / "rrp" / "analytics"
DRAWING = {"rrp.analytics.drawing_ahead", "rrp.analytics.dashboard", "rrp.analytics.charts",
           "rrp.analytics.views"}


def _imports(module: str) -> set[str]:
    """Every rrp.analytics module `module` imports, at the top or inside a function."""
    tree = ast.parse((ANALYTICS / f"{module.rsplit('.', 1)[1]}.py").read_text())
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "rrp.analytics":
                found |= {f"rrp.analytics.{alias.name}" for alias in node.names}
            elif node.module.startswith("rrp.analytics."):
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("rrp.analytics.")}
    return {name for name in found if (ANALYTICS / f"{name.rsplit('.', 1)[1]}.py").exists()}


def _reached_from(start: str) -> set[str]:
    seen: set[str] = set()
    pending = [start]
    while pending:
        module = pending.pop()
        for name in _imports(module) - seen:
            seen.add(name)
            pending.append(name)
    return seen


def test_the_summaries_reach_no_drawing_module() -> None:
    assert _reached_from("rrp.analytics.summaries") & DRAWING == set()


def test_the_figures_modules_do_not_import_in_a_circle() -> None:
    for module in ("rrp.analytics.summaries", "rrp.analytics.facts", "rrp.analytics.measures"):
        assert module not in _reached_from(module), module
