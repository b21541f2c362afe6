"""What the pages and the demo hand the trainers' services: plain dataclasses, checked by the
services before anything is written."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass
class TrainerInput:
    """An internal trainer names their place on the staff register (`staff_id`); an external
    one names their provider (`provider_id`) and themself (`name`, `role`)."""

    staff_id: int | None = None
    provider_id: int | None = None
    name: str = ""
    role: str = ""
    teaching_since: dt.date | None = None
    stopped_teaching_on: dt.date | None = None
    code_of_conduct_accepted_on: dt.date | None = None  # 3.5.II
    clinical_credibility: str = ""  # 3.5.III
    teaching_qualification: str = ""  # 3.5.IV


@dataclass
class PortfolioEntryInput:
    kind: str
    dated_on: dt.date | None
    title: str
    evidence: str


@dataclass
class ReviewInput:
    """The yearly portfolio review (3.5.I)."""

    reviewed_on: dt.date | None
    reviewer_name: str
    outcome: str
    actions: str = ""
    not_to_teach_until: dt.date | None = None
    notes: str = ""


@dataclass
class CompetencyCheckInput:
    """Annual competency monitoring: teaching observed (3.5.XIII)."""

    observed_on: dt.date | None
    observed_teaching: str
    observer_name: str
    outcome: str
    actions: str = ""


@dataclass
class ProviderInput:
    name: str
    certifying_body: str = ""
    certificate_number: str = ""
    certificate_valid_until: dt.date | None = None
    affiliate_registered_on: dt.date | None = None
    affiliate_reference: str = ""
    indemnity_clarified_on: dt.date | None = None
    indemnity_valid_until: dt.date | None = None
    indemnity_evidence: str = ""
    trainer_evidence: str = ""
    competency_framework: str = ""
    ended_on: dt.date | None = None
