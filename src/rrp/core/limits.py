"""One set of limits on what people type, the same on SQLite and PostgreSQL (issue 11).

SQLite stores a 100,000-character name that PostgreSQL refuses, and PostgreSQL refuses a NUL
byte that SQLite stores, so the database cannot be the judge: these limits are checked before
anything reaches it, by the pages' forms, the API's schemas and, as a last guard, on every save
(rrp.core.signals). The recording form uses the same numbers (incidents/forms.py).
"""

from __future__ import annotations

from typing import Final

NAME: Final = 200  # a person's name, a reviewer, a title
JOB_TITLE: Final = 120
CODE: Final = 40  # a code from a list (MHSDS codes, roles, kinds), a ward code
NOTE: Final = 2000  # a short free-text answer (a reason, a detail)
NARRATIVE: Final = 5000  # a free-text account (what happened, the outcome, a plan's section)
LIST: Final = 50  # items in one list in a record: interventions, staff, injuries, others

# Times in records: nothing RRP holds happened before this (the Mental Health Units (Use of
# Force) Act is of 2018; a year 0001 start once overflowed the age arithmetic, issue 11).
EARLIEST_YEAR: Final = 1990
EARLIEST_BIRTH_YEAR: Final = 1900
LATEST_YEAR: Final = 2100  # far enough for any review date; year 9999 overflows the same way

UNREADABLE_CHARACTERS: Final = ("Remove the hidden control characters: text cannot hold a NUL "
                                "character or half of a character pair")


def text_problem(value: str) -> str | None:
    """Why `value` cannot be stored as text, or None. A NUL byte (PostgreSQL refuses it) or a
    lone surrogate (not encodable as UTF-8) is never something a person meant to type."""
    if "\x00" in value:
        return UNREADABLE_CHARACTERS
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return UNREADABLE_CHARACTERS
    return None


def too_long(limit: int) -> str:
    return f"This is too long: at most {limit:,} characters"
