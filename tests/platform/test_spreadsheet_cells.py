"""Text typed into RRP never runs as a formula in the spreadsheet someone opens an export in
(CSV injection, issue 11): a cell starting = + - @ tab or carriage return gets a leading
apostrophe in every CSV RRP writes; numbers stay numbers; imports undo it."""

from __future__ import annotations

import csv
import io

import pytest

from rrp.core.spreadsheets import csv_text, safe_cell, unsafe_cell

ATTACKS = ['=HYPERLINK("http://evil.example","click")', "+1+cmd|' /C calc'!A0", "-2+3",
           "@SUM(A1:A9)", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("typed", ATTACKS)
def test_a_formula_becomes_text_and_an_import_gets_back_what_was_typed(typed: str) -> None:
    cell = safe_cell(typed)
    assert cell == "'" + typed
    assert unsafe_cell(cell) == typed


@pytest.mark.parametrize("number", ["-3", "+1.5", "-12%", "42"])
def test_plain_numbers_are_left_alone(number: str) -> None:
    assert safe_cell(number) == number


def test_every_text_cell_of_a_csv_is_neutralised_and_numbers_kept() -> None:
    text = csv_text(["name", "minutes"], [{"name": ATTACKS[0], "minutes": -4},
                                          ["Calm", 7]])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["name", "minutes"], ["'" + ATTACKS[0], "-4"], ["Calm", "7"]]
    with pytest.raises(ValueError, match="not in the header"):
        csv_text(["name"], [{"name": "x", "other": "y"}])
