"""Notes, never blocks, when someone who applied a physical technique was not in date in
physical skills training on the day of the use of force (issue 13; standard 1.5.V asks whether
the staff who held a patient were trained, 3.4.2 what their training covers).

Pure: each person's role and the training snapshot kept with the record
(StaffInvolvement.training_on_the_day) go in, plain-English notes come out. Recording always
goes on: a restraint happens when it must, and the record has to say what happened. The note
tells the person recording, and later the ward manager, that the training needs following up.

Nobody is noted for a record with no physical restraint, for a role that applies no physical
technique (rrp.incidents.codes.PHYSICAL_HOLD_ROLES), or for someone not on the staff register
(their training is not known to RRP; the analytics count them apart).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from rrp.incidents import codes

# Course levels whose physical content counts (rrp.workforce.models.PHYSICAL_LEVELS, by value).
PHYSICAL_LEVELS: Final = frozenset({"physical", "specialist"})
IN_DATE: Final = frozenset({"in_date", "expiring"})
SOURCE: Final = "standard 1.5.V, 3.4.2"


@dataclass(frozen=True)
class TrainingNote:
    name: str
    title: str
    message: str
    source: str = SOURCE


def physical_standing(training: Iterable[Mapping[str, Any]]) -> str:
    """'in_date' when in date in any physical skills course, else 'expired' when one has run
    out, else 'never'."""
    physical = [t for t in training if t.get("level") in PHYSICAL_LEVELS]
    if any(t.get("status") in IN_DATE for t in physical):
        return "in_date"
    if any(t.get("status") == "expired" for t in physical):
        return "expired"
    return "never"


def in_date_for_holds(training: Iterable[Mapping[str, Any]] | None) -> bool | None:
    """Whether the person was in date in physical skills; None when not on the register."""
    if training is None:
        return None
    return physical_standing(training) == "in_date"


def _day(text: str | None) -> str:
    if not text:
        return ""
    day = dt.date.fromisoformat(text)
    return f"{day.day} {day:%B %Y}"


def training_notes(
    people: Iterable[tuple[str, str, list[dict[str, Any]] | None]],
    type_codes: Iterable[str],
) -> list[TrainingNote]:
    """One note per person (name, role code, training snapshot or None) who applied a physical
    technique while not in date in physical skills, when the record has a physical restraint."""
    if not any(code in codes.PHYSICAL_CODES for code in type_codes):
        return []
    notes: list[TrainingNote] = []
    for name, role, training in people:
        if training is None or role not in codes.PHYSICAL_HOLD_ROLES:
            continue
        standing = physical_standing(training)
        if standing == "in_date":
            continue
        did = codes.StaffRole(role).label.lower()
        if standing == "expired":
            lapsed = [t for t in training
                      if t.get("level") in PHYSICAL_LEVELS and t.get("status") == "expired"]
            last = max((t.get("expires_on") or "" for t in lapsed), default="")
            ran_out = f" (it ran out on {_day(last)})" if last else ""
            why = f"their physical skills training had expired{ran_out}"
        else:
            why = "they had no physical skills training recorded"
        notes.append(TrainingNote(
            name=name,
            title=f"{name} was not in date in physical skills training",
            message=(
                f"{name} was recorded as {did}, but on the day {why}. The record is saved "
                "as it is: tell their manager so the training can be booked."
            ),
        ))
    return notes
