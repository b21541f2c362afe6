"""Every problem with a use of force record, by field path, in words a nurse understands.

Pure: takes the input and the current time, returns {"interventions.0.ended_at": [...]}.
Nothing is written when there is any problem, so nothing already recorded is lost.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from rrp.core import limits
from rrp.core.text import bidi_problem
from rrp.incidents import codes
from rrp.incidents.inputs import IncidentInput

# A clock on a ward PC may run a little fast; a minute's grace stops false "future" errors.
FUTURE_GRACE = dt.timedelta(minutes=1)


def _when(value: dt.datetime) -> str:
    return f"{value:%d/%m/%Y %H:%M}"


def _times(data: IncidentInput) -> list[tuple[str, dt.datetime | None]]:
    times = [("started_at", data.started_at), ("ended_at", data.ended_at)]
    for n, item in enumerate(data.interventions):
        times += [(f"interventions.{n}.started_at", item.started_at),
                  (f"interventions.{n}.ended_at", item.ended_at)]
    return times


def incident_problems(
    data: IncidentInput, now: dt.datetime, *, draft: bool = False
) -> dict[str, list[str]]:
    """Every problem, by field path. A draft (issue 10) is saved with whatever has been typed:
    it is refused only for what cannot be stored as it stands (a code that is not on its list,
    an injury pointing at no intervention); what is missing or does not fit together yet is
    for submission, which checks everything. The ward and patient a draft needs are checked
    by the services, which can look them up."""
    problems: dict[str, list[str]] = defaultdict(list)
    complete = not draft

    def add(path: str, message: str) -> None:
        problems[path].append(message)

    # Even a draft: a year 0001 start once overflowed the patient's age (issue 11).
    for path, moment in _times(data):
        if moment is not None and moment.year < limits.EARLIEST_YEAR:
            add(path, f"This is before {limits.EARLIEST_YEAR}: check the year")
    if complete:
        if data.started_at is None:
            add("started_at", "Enter when the use of force started")
        elif data.started_at > now + FUTURE_GRACE:
            add("started_at", "The start time is in the future: check the date and time")
        if data.ended_at is not None:
            if data.started_at is not None and data.ended_at < data.started_at:
                add("ended_at", "The end time is before the start time")
            if data.ended_at > now + FUTURE_GRACE:
                add("ended_at",
                    "The end time is in the future: leave it blank if force is still being used")
    if not data.reason:
        if complete:
            add("reason", "Choose the reason force was used")
    elif data.reason not in codes.Reason.values:
        add("reason",
            f"'{data.reason}' is not a reason code: use one of {', '.join(codes.Reason.values)}")
    if data.notification not in codes.Notification.values and (complete or data.notification):
        add("notification", "Say whether the person named in the care plan was told")
    if data.harm not in codes.Harm.values:
        add("harm", "Choose the level of harm")
    if data.psychological_harm not in codes.PsychologicalHarm.values:
        add("psychological_harm", "Choose the level of psychological harm")
    for index, step in enumerate(data.de_escalation):
        if step not in codes.DeEscalation.values:
            add(f"de_escalation.{index}", f"'{step}' is not on the de-escalation checklist")
    if complete:
        for name, label in (
            ("description", "Describe how force was used"),
            ("efforts_to_avoid", "Describe what was tried to avoid using force"),
            ("outcome", "Describe the outcome"),
        ):
            if not getattr(data, name).strip():
                add(name, label)
        if not data.interventions:
            add("interventions", "Add at least one type of force used, with its start and end")
        if not data.staff:
            add("staff", "Add every member of staff involved")
        if data.harm == codes.Harm.FATAL and not data.death_or_serious_injury:
            add("death_or_serious_injury",
                "The harm is recorded as fatal: this must be answered yes")

    for index, item in enumerate(data.interventions):
        path = f"interventions.{index}"
        if not item.type_code:
            if complete:
                add(f"{path}.type", "Choose the type of force used")
            continue
        if item.type_code not in codes.InterventionType.values:
            add(f"{path}.type", f"'{item.type_code}' is not a restrictive intervention type code")
            continue
        if item.route and item.route not in codes.Route.values:
            add(f"{path}.route", "Choose the route the drug was given by")
        if draft:
            continue
        label = codes.InterventionType(item.type_code).label
        prone = item.type_code == codes.InterventionType.PRONE
        if prone and not item.prone_reason.strip():
            # Positive and Proactive Care (2014): prone only in exceptional circumstances,
            # the reason recorded. How long: this intervention's start and end.
            add(f"{path}.prone_reason",
                "Say why the patient was held prone (face down) and why no other position "
                "would do")
        elif not prone and item.prone_reason.strip():
            add(f"{path}.prone_reason",
                f"A reason for prone restraint belongs with a prone restraint, not "
                f"{label.lower()}: clear it or change the type")
        if item.started_at is None:
            add(f"{path}.started_at", f"Enter when the {label.lower()} started")
            continue
        if data.started_at is not None and item.started_at < data.started_at:
            add(f"{path}.started_at",
                f"The {label.lower()} starts at {_when(item.started_at)}, "
                "before the incident started")
        if item.started_at > now + FUTURE_GRACE:
            add(f"{path}.started_at", "This start time is in the future")
        if item.ended_at is not None:
            if item.ended_at < item.started_at:
                add(f"{path}.ended_at", f"The {label.lower()} ends before it starts")
            if data.ended_at is not None and item.ended_at > data.ended_at:
                add(f"{path}.ended_at",
                    f"The {label.lower()} ends at {_when(item.ended_at)}, after the incident ended")
            if item.ended_at > now + FUTURE_GRACE:
                add(f"{path}.ended_at", "This end time is in the future")
        elif data.ended_at is not None:
            add(f"{path}.ended_at", f"Enter when the {label.lower()} ended")
        if data.negligible and item.type_code in codes.NEVER_NEGLIGIBLE_CODES:
            add(f"{path}.type",
                f"{label} is never negligible force: untick 'negligible force' to record it")
        if item.type_code == codes.InterventionType.RAPID_TRANQUILLISATION:
            if not item.drug.strip():
                add(f"{path}.drug", "Enter the drug given for rapid tranquillisation")
            if not item.dose.strip():
                add(f"{path}.dose", "Enter the dose given")
            if item.route not in codes.Route.values:
                add(f"{path}.route", "Choose the route the drug was given by")

    monitoring = 0
    for index, person in enumerate(data.staff):
        path = f"staff.{index}"
        if complete and not person.name.strip():
            add(f"{path}.name", "Enter the staff member's name")
        for part in ("name", "job_title"):
            problem = bidi_problem(getattr(person, part))
            if problem:
                add(f"{path}.{part}", problem)
        if complete and not person.job_title.strip():
            add(f"{path}.job_title", "Enter the staff member's job title")
        if person.role not in codes.StaffRole.values and (complete or person.role):
            add(f"{path}.role", "Choose what this person did")
        monitoring += person.role == codes.StaffRole.MONITORING
    physical = any(i.type_code in codes.PHYSICAL_CODES for i in data.interventions)
    if physical and data.staff and complete and monitoring == 0 and not data.negligible:
        # standard 3.4.2.XXII: one named person monitors the patient's wellbeing throughout.
        add("staff",
            "Name the person who monitored the patient's wellbeing throughout (3.4.2.XXII)")

    for index, other in enumerate(data.others):
        path = f"others.{index}"
        if other.kind not in codes.OtherPersonKind.values and (complete or other.kind):
            add(f"{path}.kind", "Choose who else was involved")
        if complete and not other.reason.strip():
            add(f"{path}.reason", "Say why they were involved (Use of Force Act s.6(5)(i))")

    for index, injury in enumerate(data.injuries):
        path = f"injuries.{index}"
        if injury.person not in codes.InjuredPerson.values and (complete or injury.person):
            add(f"{path}.person", "Choose who was injured")
        if injury.severity not in codes.InjurySeverity.values and (complete or injury.severity):
            add(f"{path}.severity", "Choose how serious the injury was")
        if complete and not injury.description.strip():
            add(f"{path}.description", "Describe the injury")
        if injury.intervention_index is not None and not (
            0 <= injury.intervention_index < len(data.interventions)
        ):
            add(f"{path}.intervention",
                "This injury points at an intervention that is not in the record")
    return dict(problems)
