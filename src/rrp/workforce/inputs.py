"""What the pages, the API and the CLI hand the workforce services: plain dataclasses, checked
by the services before anything is written. Field names are the API contract."""

from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass, field


@dataclass
class StaffInput:
    staff_number: str
    name: str
    job_title: str
    employment: str
    grade: str = ""
    qualified: bool = False
    wards: list[str] = field(default_factory=list)  # ward codes
    start_date: dt.date | None = None
    leaving_date: dt.date | None = None
    user_id: int | None = None


@dataclass
class CourseInput:
    code: str
    title: str
    level: str
    delivery: str = "face_to_face"
    delivery_rationale: str = ""
    duration_hours: decimal.Decimal | None = None
    refresher_months: int = 12
    certifying_body: str = ""
    certificate_number: str = ""
    certificate_valid_until: dt.date | None = None
    withdrawn_on: dt.date | None = None


@dataclass
class OutcomeInput:
    """One person's result in a course: one attendee of a session, or a record on its own."""

    staff_id: int | None
    outcome: str
    theory_result: str = ""
    occupational_health_checked: bool = False
    adjustments: str = ""
    competence_plan: str = ""
    interim_plan: str = ""


@dataclass
class TrainingRecordInput(OutcomeInput):
    """A record outside a session: e-learning completed, or a new starter's previous training
    accepted as equivalent with its evidence (Use of Force Act s.5)."""

    course: str = ""  # course code
    completed_on: dt.date | None = None
    equivalent_previous: bool = False
    evidence: str = ""


@dataclass
class SessionInput:
    course: str  # course code
    held_on: dt.date | None
    trainer_name: str
    ward: str = ""  # ward code
    location: str = ""
    attendees: list[OutcomeInput] = field(default_factory=list)
    absent: list[int] = field(default_factory=list)  # staff ids booked who did not attend


@dataclass
class TnaInput:
    """The text of a training needs analysis (standard 3.4.1, 3.4.2.IV-VIII)."""

    service_type: str = ""  # "" for every service of the organisation
    risks: str = ""
    content: str = ""
    learning_outcomes: str = ""
    competence_testing: str = ""
    physical_rationale: str = ""
    sub_specialty: str = ""


@dataclass
class TnaRequirementInput:
    """One row: a staff group needs a course at a frequency (3.4.2.I-III)."""

    course: str  # course code
    staff_group: str = "everyone"
    employment: str = ""  # "" for any
    ward: str = ""  # ward code, "" for any ward the analysis covers
    refresher_months: int | None = None  # None: the course's own


@dataclass
class TnaAgreementInput:
    """Who at the training provider agreed the analysis, and when (3.4.II)."""

    training_provider: str
    agreed_by: str
    agreed_on: dt.date | None
