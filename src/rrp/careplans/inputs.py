"""What a page form or the API hands the care plan services: plain dataclasses, checked by the
services before anything is written. Field names are the API contract."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

# The free-text parts of a safety plan version, in the order a plan reads.
PLAN_TEXT_FIELDS: tuple[str, ...] = (
    "others_involved",
    "persons_words",
    "advance_decisions",
    "green_signs",
    "green_support",
    "triggers",
    "trigger_dates",
    "amber_signs",
    "amber_support",
    "red_signs",
    "red_support",
    "what_to_avoid",
    "environmental_factors",
    "intervention_preferences",
    "communication_needs",
    "interpreter_language",
    "sensory_needs",
    "spiritual_cultural_needs",
    "gender_trauma_needs",
    "age_related_needs",
    "dignity",
    "post_incident_support",
    "notify_after_force",
    "changes",
)
PLAN_CODE_FIELDS: tuple[str, ...] = (
    "preferred_interventions",
    "less_preferred_interventions",
    "positions_to_avoid",
)


@dataclass
class RiskFactorInput:
    code: str
    strategies: str
    notes: str = ""


@dataclass
class SafetyPlanInput:
    occasion: str
    agreed_on: dt.date | None
    person_took_part: str
    carer_took_part: str
    review_on: dt.date | None
    incident_id: int | None = None
    communication_passport: bool = False
    risk_factors: list[RiskFactorInput] = field(default_factory=list)
    preferred_interventions: list[str] = field(default_factory=list)
    less_preferred_interventions: list[str] = field(default_factory=list)
    positions_to_avoid: list[str] = field(default_factory=list)
    others_involved: str = ""
    persons_words: str = ""
    advance_decisions: str = ""
    green_signs: str = ""
    green_support: str = ""
    triggers: str = ""
    trigger_dates: str = ""
    amber_signs: str = ""
    amber_support: str = ""
    red_signs: str = ""
    red_support: str = ""
    what_to_avoid: str = ""
    environmental_factors: str = ""
    intervention_preferences: str = ""
    communication_needs: str = ""
    interpreter_language: str = ""
    sensory_needs: str = ""
    spiritual_cultural_needs: str = ""
    gender_trauma_needs: str = ""
    age_related_needs: str = ""
    dignity: str = ""
    post_incident_support: str = ""
    notify_after_force: str = ""
    changes: str = ""

    @classmethod
    def from_version(cls, version: Any) -> SafetyPlanInput:
        """A stored version as input: the starting point of its review."""
        values: dict[str, Any] = {name: getattr(version, name) for name in PLAN_TEXT_FIELDS}
        values.update({name: list(getattr(version, name)) for name in PLAN_CODE_FIELDS})
        values["changes"] = ""
        return cls(
            occasion=version.occasion,
            agreed_on=version.agreed_on,
            person_took_part=version.person_took_part,
            carer_took_part=version.carer_took_part,
            review_on=version.review_on,
            communication_passport=version.communication_passport,
            risk_factors=[
                RiskFactorInput(f.code, f.strategies, f.notes) for f in version.risk_factor_list()
            ],
            **values,
        )


@dataclass
class RiskAssessmentInput:
    assessed_on: dt.date | None
    occasion: str
    summary: str
    risk_to_self: str
    risk_to_others: str
    person_took_part: str
    carer_took_part: str
    review_on: dt.date | None
    sources: list[str] = field(default_factory=list)
    communicated_to: list[str] = field(default_factory=list)
    communicated_on: dt.date | None = None
    incident_id: int | None = None
    method: str = ""
    risk_to_self_detail: str = ""
    risk_to_others_detail: str = ""
    other_risks: str = ""
    sources_detail: str = ""


@dataclass
class HealthCheckInput:
    kind: str
    done_on: dt.date | None
    outcome: str
    done_by_name: str
    notes: str = ""
    stomp: bool = False
    next_due_on: dt.date | None = None
