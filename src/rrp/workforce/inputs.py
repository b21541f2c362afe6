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
    # Codes of rrp.workforce.outcomes: standard 3.1 I-XV and Use of Force Act s.5(2)(a)-(k).
    outcomes: list[str] = field(default_factory=list)


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


@dataclass
class TechniqueInput:
    """A physical intervention in the training manual with its risk assessment
    (3.4.2.XXIV-XXVI, XXX, XXXI)."""

    name: str
    description: str = ""
    training_risks: str = ""
    physical_risks: str = ""
    psychological_risks: str = ""
    mitigations: str = ""
    assessed_by: str = ""
    assessor_qualification: str = ""
    assessed_on: dt.date | None = None


@dataclass
class TrainingEventInput:
    """An injury, incident or near miss during a session (3.4.2.XXXVII)."""

    kind: str
    staff_id: int | None  # an attendee of the session; None for the trainer
    occurred_on: dt.date | None
    what_happened: str
    severity: str
    incident_reference: str = ""


@dataclass
class CourseReportInput:
    """The trainer's course report (3.4.2.XXXVIII)."""

    content_delivered: str
    issues_arising: str = ""


@dataclass
class EvaluationInput:
    """The evaluation forms of a session (3.4.2.XL): ratings from 1 to 5."""

    forms_returned: int
    rating_1: int = 0
    rating_2: int = 0
    rating_3: int = 0
    rating_4: int = 0
    rating_5: int = 0
    themes: str = ""


@dataclass
class TechniqueResultInput:
    """One attendee's result in one technique of the session's course (3.4.2.XXXIX)."""

    record_id: int
    technique_id: int
    result: str
