"""Who must have which course: one rule, in one place.

There is no training needs analysis in RRP yet. Until there is, this is the rule, and when the
TNA arrives (issue 13: "the TNA in force decides who needs what") it replaces this function and
nothing else changes: the compliance figures, the person's training list and the home page all
ask here.

The interim rule: everyone on a ward's register needs the prevention and de-escalation course,
the physical skills course and basic life support every year (standard 2.5.2.I: staff who may
restrain attend annual BLS updates); qualified (registered) staff also need immediate life
support (2.5.2.II). Awareness and specialist courses are needed only where a TNA says so, so
nobody is counted as missing them yet.
"""

from __future__ import annotations

from typing import Final

# Course levels by their stored values (rrp.workforce.models.CourseLevel), plain strings so
# the rule has no Django in it.
EVERYONE_ON_A_WARD: Final = frozenset({"prevention", "physical", "bls"})
QUALIFIED_ONLY: Final = frozenset({"ils"})


def is_required(*, level: str, on_a_ward: bool, qualified: bool) -> bool:
    """Whether a person needs a course of `level`. Replace with the TNA in force when it exists.
    """
    if not on_a_ward:
        return False
    if level in EVERYONE_ON_A_WARD:
        return True
    return level in QUALIFIED_ONLY and qualified
