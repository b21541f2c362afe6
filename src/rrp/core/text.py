"""Rules for text people type that others read as names or identifiers.

Unicode's bidirectional controls (RIGHT-TO-LEFT OVERRIDE and its kin) reorder what is shown
without changing what is stored, so "Jo Smith" can be made to display as someone else's name or
a local identifier as another's (a spoofing trick, issue 11). Names and identifiers refuse them;
nothing legitimate in a name needs them.
"""

from __future__ import annotations

from typing import Final

from django.core.exceptions import ValidationError

# LRE RLE PDF LRO RLO (U+202A-E), LRI RLI FSI PDI (U+2066-9), and the marks LRM RLM ALM.
BIDI_CONTROLS: Final = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)

MESSAGE: Final = ("Remove the hidden right-to-left or left-to-right control characters: they "
                  "make text show differently from what is stored")


def bidi_problem(value: str) -> str | None:
    """The sentence to show when `value` holds a bidirectional control, else None."""
    return MESSAGE if any(ch in BIDI_CONTROLS for ch in value) else None


def no_bidi_controls(value: str) -> None:
    """A model field validator for names and identifiers."""
    if isinstance(value, str) and bidi_problem(value):
        raise ValidationError(MESSAGE, code="bidi_control")
