"""How force was used (Use of Force Act s.6(5)(f)), written out from the lines of force.

The recording form asks for each position or type of force on its own line, with its times
(and, for chemical restraint, the drug, dose and route). Those lines already describe how force
was used, so a nurse need not type them again: when the description is left blank, the record
keeps this sentence instead, as the de-escalation checklist stands for s.6(5)(o). Words typed
in add what the lines cannot say, and replace this sentence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from rrp.incidents.inputs import InterventionInput
from rrp.incidents.presenters import how_long, type_label


def _clock(moment: dt.datetime, day: dt.date) -> str:
    """14:05 on the day the force began, else "6 March 14:05"."""
    local = timezone.localtime(moment)
    return f"{local:%H:%M}" if local.date() == day else f"{local.day} {local:%B} {local:%H:%M}"


def _line(item: InterventionInput, day: dt.date) -> str:
    assert item.started_at is not None
    what = type_label(item.type_code)
    medicine = ", ".join(part for part in (item.drug, item.dose, item.route) if part)
    if medicine:
        what = f"{what} ({medicine})"
    start = _clock(item.started_at, day)
    if item.ended_at is None:
        return f"{what} from {start}, still going on"
    if item.ended_at == item.started_at:
        return f"{what} at {start}"
    return (f"{what} from {start} to {_clock(item.ended_at, day)} "
            f"({how_long(item.ended_at - item.started_at)})")


def force_described(interventions: Iterable[InterventionInput]) -> str:
    """'Prone restraint from 13:20 to 13:24 (4 minutes), then supine restraint from 13:24 to
    13:30 (6 minutes).' Blank when no line has a type and a start (nothing to describe: the
    form then asks for the description)."""
    timed = sorted(
        (item for item in interventions if item.type_code and item.started_at is not None),
        key=lambda item: item.started_at or dt.datetime.min,
    )
    if not timed:
        return ""
    assert timed[0].started_at is not None
    day = timezone.localtime(timed[0].started_at).date()
    lines = [_line(item, day) for item in timed]
    text = ", then ".join([lines[0]] + [line[:1].lower() + line[1:] for line in lines[1:]])
    return f"{text}."
