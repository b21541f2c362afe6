"""What a person (page form) or a system (API) hands the incident services: plain dataclasses,
checked by `incident_problems` before anything is written."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass
class InterventionInput:
    type_code: str
    started_at: dt.datetime | None
    ended_at: dt.datetime | None = None
    drug: str = ""
    dose: str = ""
    route: str = ""
    high_risk: bool = False
    prone_reason: str = ""  # why prone restraint was used: only for type 01


@dataclass
class StaffInput:
    name: str
    job_title: str
    role: str
    grade: str = ""
    user_id: int | None = None
    injured: bool = False
    # A staff register entry (rrp.workforce StaffMember): name, job title and grade come from
    # it (issue 13). None for someone typed in who is not on the register.
    staff_id: int | None = None


@dataclass
class OtherPersonInput:
    kind: str
    reason: str
    name: str = ""


@dataclass
class InjuryInput:
    person: str
    severity: str
    description: str
    intervention_index: int | None = None


@dataclass
class IncidentInput:
    ward: Any  # Ward, already resolved inside the current organisation
    patient: Any  # Patient, likewise
    started_at: dt.datetime | None
    ended_at: dt.datetime | None
    reason: str
    description: str
    efforts_to_avoid: str
    outcome: str
    notification: str
    in_care_plan: bool | None = None
    death_or_serious_injury: bool = False
    planned: bool = False
    negligible: bool = False
    harm: str = "none"
    psychological_harm: str = "not_known"
    reason_detail: str = ""
    de_escalation: list[str] = field(default_factory=list)
    interventions: list[InterventionInput] = field(default_factory=list)
    staff: list[StaffInput] = field(default_factory=list)
    others: list[OtherPersonInput] = field(default_factory=list)
    injuries: list[InjuryInput] = field(default_factory=list)
    # A draft's answers the fields above cannot hold (Incident.draft_answers): the form's
    # raw answer, "" when not answered yet, by question name.
    draft_answers: dict[str, str] = field(default_factory=dict)
