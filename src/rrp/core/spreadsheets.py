"""Cells RRP writes into CSV and Excel files: text that a spreadsheet would run as a formula
(`=HYPERLINK(...)` typed as an outcome or a staff name) is neutralised, as OWASP advises for
CSV injection, by a leading apostrophe. Numbers are numbers and stay as they are.

Every CSV RRP writes goes through `csv_text` (or `safe_row`); imports undo it with
`unsafe_cell`, so a round trip keeps what was typed.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")


# A plain number ("-3", "+1.5", "-12%") is not a formula: it is left alone, so figures stay
# figures.
_PLAIN_NUMBER: Final = re.compile(r"[+-]?\d+(\.\d+)?%?")


def safe_cell(value: str) -> str:
    """Text a spreadsheet would run as a formula, made plain text."""
    if value.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def unsafe_cell(value: str) -> str:
    """Undo safe_cell on import."""
    if value.startswith("'") and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value


def safe_value(value: Any) -> Any:
    return safe_cell(value) if isinstance(value, str) else value


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [safe_value(cell) for cell in row]


def csv_text(header: Sequence[str], rows: Iterable[Iterable[Any] | Mapping[str, Any]],
             *, lineterminator: str = "\r\n") -> str:
    """RFC 4180 CSV: a header row, then rows (sequences, or mappings keyed by the header,
    refusing other keys), every text cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=lineterminator)
    writer.writerow(header)
    for row in rows:
        if isinstance(row, Mapping):
            unknown = set(row) - set(header)
            if unknown:
                raise ValueError(f"fields not in the header: {sorted(unknown)}")
            row = [row.get(name, "") for name in header]
        writer.writerow(safe_row(row))
    return buffer.getvalue()
