"""The JSON API for uses of force and the duties that follow them.

Thin: every write goes through rrp.incidents.services (the same functions the pages call),
every read through the token's organisation. Another organisation's id in the path is a 404;
a ward code or patient id in a body that is not in the organisation is a 422 on that field.

Times are ISO 8601. A time without an offset is read as UK local time (Europe/London), the
time on the ward clock; every time the API returns carries its offset.

Request bodies are strict about their shape (rrp.api.schemas: only the names they list, typed
values, every text and list with a maximum) and lenient about what is missing, so the services
can report every problem of substance at once by field path (a missing start, an end before
the start, an unknown code...) rather than stopping at the first.

Staff (issue 13; the names are a contract): `staff[].staff_id` names an entry on the staff
register, whose name, job title and grade are then used; another organisation's entry or
someone who had left before the day is a 422 on `staff.N.staff_id`. Someone not on the register
is sent with `name` and `job_title`. `GET /api/v1/incidents/{id}` shows each involvement's
`training_on_the_day`, kept as it was when the record was saved (null when not on the register).
"""


import datetime as dt
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any, Literal, TypeVar

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import PlainSerializer, StrictInt

from rrp.api.errors import query_problem
from rrp.api.pagination import AuditedPagination
from rrp.api.permissions import api_actor, require
from rrp.api.schemas import (
    Body,
    Code,
    Flag,
    Id,
    JobTitle,
    Name,
    Narrative,
    Note,
    Text,
    When,
    items,
)
from rrp.audit.services import Actor, audit_list_view, audit_view
from rrp.core import limits
from rrp.core.scoping import get_in_organisation
from rrp.incidents import codes, duty_rules, selectors, services
from rrp.incidents.inputs import (
    IncidentInput,
    InjuryInput,
    InterventionInput,
    OtherPersonInput,
    StaffInput,
)
from rrp.incidents.models import Duty, Incident, Intervention
from rrp.organisations.models import Ward
from rrp.patients.models import Patient

router = Router(tags=["uses of force"])

VIEW = "incidents.view_incident"
RECORD = "incidents.record_incident"
REVIEW = "incidents.review_incident"

T = TypeVar("T")


# Every time the API returns is UK local time with its offset, as the ward clock shows it.
Moment = Annotated[
    dt.datetime, PlainSerializer(lambda value: timezone.localtime(value).isoformat())
]


# ---------------------------------------------------------------------------------------------
# Request bodies: their limits are rrp.core.limits, the pages' own (rrp.api.schemas)
# ---------------------------------------------------------------------------------------------


class InterventionIn(Body):
    type: Code = Field("", description="MHSDS RestrictiveIntType: 01, 04-17")
    started_at: When | None = None
    ended_at: When | None = Field(None, description="Empty while it goes on")
    drug: Text = Field("", max_length=120,
                      description="Rapid tranquillisation (14): the drug given")
    dose: Text = Field("", max_length=60)
    route: Code = Field("", description="im, iv, oral or other")
    high_risk: Flag = Field(
        False, description="Rapid tranquillisation in a higher-risk case: checks every 15 minutes"
    )
    prone_reason: Note = Field(
        "", description="Prone restraint (01) only, and needed on submission: why the patient "
        "was held face down. How long is started_at to ended_at"
    )


class StaffIn(Body):
    staff_id: Id | None = Field(
        None, description="Their entry on the staff register (GET /api/v1/staff/{id}): name, "
        "job title and grade are then taken from it and need not be sent. Leave it out for "
        "someone not on the register, and send name and job_title",
    )
    name: Name = ""
    job_title: JobTitle = ""
    grade: Text = Field("", max_length=40)
    role: Code = Field("", description="lead, head_airway, monitoring_wellbeing, upper_limbs, "
                       "lower_limbs, medication, observer or other")
    user_id: Id | None = Field(None, description="The staff member's RRP account, if they have one")
    injured: Flag = False


class OtherPersonIn(Body):
    kind: Code = Field("", description="police, security, ambulance, other_agency or other")
    name: Name = ""
    reason: Note = ""


class InjuryIn(Body):
    person: Code = Field("", description="patient, staff or other")
    severity: Code = Field("", description="minor, moderate or serious")
    description: Note = ""
    intervention: StrictInt | None = Field(
        None, ge=0, le=limits.LIST - 1,
        description="Position (from 0) in `interventions` of the intervention it came from",
    )


class IncidentFields(Body):
    ward: Code = Field("", description="The ward's code, e.g. OAK")
    patient: Id | None = Field(None, description="The patient's id (POST /api/v1/patients)")
    started_at: When | None = None
    ended_at: When | None = Field(None, description="Empty while force is still being used")
    reason: Code = Field("", description="MHSDS RestrictiveIntReason, e.g. 10")
    reason_detail: Note = ""
    description: Narrative = ""
    de_escalation: list[Code] = items()
    efforts_to_avoid: Narrative = ""
    in_care_plan: Flag | None = None
    outcome: Narrative = ""
    death_or_serious_injury: Flag = False
    notification: Code = Field("", description="yes, no or not_applicable")
    planned: Flag = False
    negligible: Flag = False
    harm: Code = Field("none", description="none, low, moderate, severe or fatal")
    psychological_harm: Code = Field(
        "not_known", description="none, low, moderate, severe or not_known"
    )
    interventions: list[InterventionIn] = items()
    staff: list[StaffIn] = items()
    others: list[OtherPersonIn] = items()
    injuries: list[InjuryIn] = items()


class IncidentIn(IncidentFields):
    status: Literal["submitted", "draft"] = Field(
        "submitted", description="draft saves whatever is sent, needing only the ward and the "
        "patient; it is checked in full, and its duties start, when it is submitted"
    )


class IncidentPatch(IncidentFields):
    """Only the fields sent change; a list sent replaces the whole list."""

    change_reason: Note = Field("", description="Why: needed once the record is submitted")


class ReasonIn(Body):
    reason: Note = ""


class ReviewNotesIn(Body):
    notes: Narrative = ""


class MedicalReviewIn(Body):
    reviewed_at: When | None = None
    reviewer: Name = ""
    findings: Narrative = ""
    delay_reason: Note | None = Field(
        None, description="Needed when the review was more than an hour after restraint started"
    )


# Ranges no living patient's reading falls outside: beyond them it is a typing mistake (and
# 1e308 once reached the database layer as a 500, issue 11).
class ObservationIn(Body):
    kind: Code = Field("physical", description="physical or rapid_tranquillisation")
    taken_at: When | None = None
    pulse: StrictInt | None = Field(None, ge=0, le=300, description="Beats a minute, 0 to 300")
    bp_systolic: StrictInt | None = Field(None, ge=0, le=300, description="mmHg, 0 to 300")
    bp_diastolic: StrictInt | None = Field(None, ge=0, le=300, description="mmHg, 0 to 300")
    respiratory_rate: StrictInt | None = Field(None, ge=0, le=100,
                                               description="Breaths a minute, 0 to 100")
    temperature: float | None = Field(None, ge=25, le=45, description="Degrees Celsius, 25 to 45")
    spo2: StrictInt | None = Field(None, ge=0, le=100, description="Per cent, 0 to 100")
    consciousness: Code = Field("", description="ACVPU: A, C, V, P or U")
    hydration: Text = Field("", max_length=300, description="Fluid and food intake and output")
    not_taken_reason: Note = ""
    action_instead: Note = ""
    no_further_concerns: Flag = Field(
        False, description="Rapid tranquillisation: no further checks needed"
    )
    late_reason: Note | None = None


class SupportIn(Body):
    support_for: Code = Field("", description="patient or staff")
    held: Flag = True
    held_at: When | None = None
    not_held_reason: Code = Field("", description="01-04 or 98")
    notes: Narrative = ""
    late_reason: Note | None = None


class DebriefIn(Body):
    held: Flag = True
    held_at: When | None = None
    patient_took_part: Flag = False
    not_held_reason: Code = Field("", description="01-04 or 98")
    carer_took_part: Flag = False
    attendees: Note = ""
    learning: Narrative = ""
    late_reason: Note | None = None


class PatientAccountIn(Body):
    offered_at: When | None = None
    response: Code = Field("", description="accepted, declined or later")
    account: Narrative = ""
    late_reason: Note | None = None


class ReviewIn(Body):
    kind: Code = Field("", description=", ".join(codes.ReviewKind.values))
    reviewed_at: When | None = None
    reviewer: Name = ""
    notes: Narrative = ""
    late_reason: Note | None = None


# ---------------------------------------------------------------------------------------------
# Responses
# ---------------------------------------------------------------------------------------------


class DutyOut(Schema):
    id: int
    duty: str = Field(description="medical_review, physical_observations, ...")
    label: str
    due_at: Moment
    state: Literal["due", "overdue", "done", "done_late", "not_required"]
    owner_role: str
    sequence: int
    completed_at: Moment | None
    late_reason: str
    not_required_reason: str
    source: str
    incident: int
    incident_reference: str
    ward: str
    intervention: int | None


class InterventionOut(Schema):
    id: int
    type: str
    type_label: str
    started_at: Moment | None = Field(description="Empty only on a draft")
    ended_at: Moment | None
    duration_minutes: float | None
    drug: str
    dose: str
    route: str
    high_risk: bool
    prone_reason: str = Field(description="Why prone restraint was used; empty for other types")


class TrainingOnTheDayOut(Schema):
    course: str = Field(description="The course code")
    title: str
    level: str = Field(description="awareness, prevention, physical, specialist, bls or ils")
    required: bool = Field(description="Whether the person needed the course that day")
    status: str = Field(description="in_date, expiring, expired or never, on the day")
    expires_on: dt.date | None = Field(description="The last day in date, if ever trained")


class StaffOut(Schema):
    name: str
    job_title: str
    grade: str
    role: str
    user_id: int | None
    injured: bool
    staff_id: int | None = Field(description="Their staff register entry, if on the register")
    training_on_the_day: list[TrainingOnTheDayOut] | None = Field(
        description="Their training on the day of the incident, kept as it was when the record "
        "was saved (standard 1.5.V); null for someone not on the staff register"
    )


class OtherPersonOut(Schema):
    kind: str
    name: str
    reason: str


class InjuryOut(Schema):
    person: str
    severity: str
    description: str
    intervention: int | None
    intervention_id: int | None


class VersionOut(Schema):
    version: int
    changed_at: Moment
    changed_by: str | None
    change_reason: str


class MedicalReviewOut(Schema):
    id: int
    reviewed_at: Moment
    reviewer: str
    findings: str
    delay_reason: str
    recorded_at: Moment


class ObservationOut(Schema):
    id: int
    kind: str
    taken_at: Moment
    pulse: int | None
    bp_systolic: int | None
    bp_diastolic: int | None
    respiratory_rate: int | None
    temperature: float | None
    spo2: int | None
    consciousness: str
    hydration: str
    not_taken_reason: str
    action_instead: str
    no_further_concerns: bool
    late_reason: str
    recorded_at: Moment


class SupportOut(Schema):
    id: int
    support_for: str
    held: bool
    held_at: Moment
    not_held_reason: str
    notes: str
    late_reason: str
    recorded_at: Moment


class DebriefOut(Schema):
    id: int
    held: bool
    held_at: Moment
    patient_took_part: bool
    not_held_reason: str
    carer_took_part: bool
    attendees: str
    learning: str
    late_reason: str
    recorded_at: Moment


class PatientAccountOut(Schema):
    id: int
    offered_at: Moment
    response: str
    account: str
    late_reason: str
    recorded_at: Moment


class ReviewOut(Schema):
    id: int
    kind: str
    reviewed_at: Moment
    reviewer: str
    notes: str
    late_reason: str
    recorded_at: Moment


class IncidentOut(Schema):
    id: int
    reference: str
    status: str
    version: int
    ward: str
    patient: int
    started_at: Moment | None = Field(description="Empty only on a draft saved before any time")
    ended_at: Moment | None
    duration_minutes: float | None
    reason: str
    reason_detail: str
    description: str
    de_escalation: list[str]
    efforts_to_avoid: str
    in_care_plan: bool | None
    outcome: str
    death_or_serious_injury: bool
    notification: str
    planned: bool
    negligible: bool
    harm: str
    psychological_harm: str
    patient_characteristics: dict[str, Any] = Field(
        description="The patient's characteristics as they stood at the time (s.6(5)(j)-(l))"
    )
    interventions: list[InterventionOut]
    staff: list[StaffOut]
    others: list[OtherPersonOut]
    injuries: list[InjuryOut]
    entered_in_error: bool
    entered_in_error_reason: str
    submitted_at: Moment | None
    reviewed_at: Moment | None
    review_notes: str
    closed_at: Moment | None
    escalated_at: Moment | None
    duties: list[DutyOut]
    versions: list[VersionOut]
    medical_reviews: list[MedicalReviewOut]
    observations: list[ObservationOut]
    post_incident_support: list[SupportOut]
    debriefs: list[DebriefOut]
    patient_accounts: list[PatientAccountOut]
    reviews: list[ReviewOut]


class IncidentSummaryOut(Schema):
    id: int
    reference: str
    status: str
    version: int
    ward: str
    patient: int
    started_at: Moment | None = Field(description="Empty only on a draft saved before any time")
    ended_at: Moment | None
    duration_minutes: float | None
    reason: str
    types: list[str]
    death_or_serious_injury: bool
    harm: str
    negligible: bool
    entered_in_error: bool
    submitted_at: Moment | None

    @staticmethod
    def resolve_ward(obj: Incident) -> str:
        return obj.ward.code

    @staticmethod
    def resolve_patient(obj: Incident) -> int:
        return obj.patient_id

    @staticmethod
    def resolve_types(obj: Incident) -> list[str]:
        return [i.type_code for i in obj.interventions.all()]

    @staticmethod
    def resolve_entered_in_error(obj: Incident) -> bool:
        return obj.is_entered_in_error


class DutyListOut(DutyOut):
    @staticmethod
    def resolve_duty(obj: Duty) -> str:
        return obj.kind

    @staticmethod
    def resolve_state(obj: Duty, context: dict[str, Any]) -> str:
        return selectors.state_of(obj, context["request"].rrp_now)

    @staticmethod
    def resolve_incident(obj: Duty) -> int:
        return obj.incident_id

    @staticmethod
    def resolve_incident_reference(obj: Duty) -> str:
        return obj.incident.reference

    @staticmethod
    def resolve_ward(obj: Duty) -> str:
        return obj.incident.ward.code

    @staticmethod
    def resolve_intervention(obj: Duty) -> int | None:
        return obj.intervention_id


class MedicalReviewCreated(MedicalReviewOut):
    duties: list[DutyOut]


class ObservationCreated(ObservationOut):
    duties: list[DutyOut]


class SupportCreated(SupportOut):
    duties: list[DutyOut]


class DebriefCreated(DebriefOut):
    duties: list[DutyOut]


class PatientAccountCreated(PatientAccountOut):
    duties: list[DutyOut]


class ReviewCreated(ReviewOut):
    duties: list[DutyOut]


# ---------------------------------------------------------------------------------------------
# Query filters
# ---------------------------------------------------------------------------------------------


class IncidentFilters(Schema):
    ward: str | None = Field(None, description="Ward code")
    started_from: str | None = Field(
        None, alias="from", description="Started on or after: a date (2026-10-01) or date and time"
    )
    to: str | None = Field(
        None, description="Started before: a date (that whole day included) or a date and time"
    )
    type: str | None = Field(None, description="Only those using this intervention type code")
    status: Literal["draft", "submitted", "reviewed", "closed", "entered_in_error"] | None = None
    patient: int | None = Field(None, ge=1, le=2**63 - 1, description="A patient's id")


class DutyFilters(Schema):
    state: Literal["due", "overdue", "done", "done_late", "not_required"] | None = None
    ward: str | None = Field(None, description="Ward code")
    owner_role: str | None = Field(None, description="ward_staff, ward_manager, doctor, rrp_lead")


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _write(write: Callable[[], T]) -> T:
    """Run a service. A role that may not act on the duty (ADR 7) is a 403 with the sentence
    saying who may; the service's ValidationError becomes the 422 (rrp.api.errors)."""
    try:
        return write()
    except services.DutyRefused as refusal:
        raise HttpError(403, str(refusal)) from None


def _write_on_incident(
    request: HttpRequest, incident_id: int, permission: str, payload: Schema,
    write: Callable[[Actor, Incident], T],
) -> tuple[Incident, T]:
    """Every write on one use of force, in this order: the permission, the incident within
    the token's organisation (404 otherwise), then the service (`_write`). The body itself
    was checked by its schema before the view ran."""
    require(request, permission)
    incident = _incident(request, incident_id)
    return incident, _write(lambda: write(api_actor(request), incident))


def _organisation(request: HttpRequest) -> Any:
    return request.organisation  # type: ignore[attr-defined]


def _incident(request: HttpRequest, incident_id: int) -> Incident:
    return get_in_organisation(
        Incident.objects.select_related("ward", "patient", "organisation"),
        _organisation(request),
        pk=incident_id,
    )


def _moment(name: str, value: str | None, *, end_of_day: bool = False) -> dt.datetime | None:
    """A date or a date and time from the query string; a date alone means the start of that
    day (or, for an end, the start of the next day, so the whole day is included)."""
    if not value:
        return None
    text = value.strip().replace(" ", "+")  # an unencoded "+01:00" arrives as " 01:00"
    try:
        day = parse_date(text)  # first: a date alone would also read as midnight
        moment = None if day is not None else parse_datetime(text)
    except ValueError:
        day = moment = None
    if moment is not None:
        return moment if timezone.is_aware(moment) else timezone.make_aware(moment)
    if day is None:
        raise query_problem(name, f"'{value}' is not a date like 2026-10-01 or a date and time "
                             "like 2026-10-01T14:30:00+01:00")
    if end_of_day:
        day += dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _ward_in_query(request: HttpRequest, code: str | None) -> str | None:
    if not code:
        return None
    ward = Ward.objects.filter(organisation=_organisation(request), code__iexact=code.strip())
    found = ward.values_list("code", flat=True).first()
    if found is None:
        # A mistyped ward code must not look like a ward with nothing overdue.
        raise query_problem("ward", f"There is no ward with the code {code} in your organisation")
    return found


def _duty_out(duty: Duty, now: dt.datetime) -> dict[str, Any]:
    return {
        "id": duty.pk,
        "duty": duty.kind,
        "label": duty.label,
        "due_at": duty.due_at,
        "state": selectors.state_of(duty, now),
        "owner_role": duty.owner_role,
        "sequence": duty.sequence,
        "completed_at": duty.completed_at,
        "late_reason": duty.late_reason,
        "not_required_reason": duty.not_required_reason,
        "source": duty.source,
        "incident": duty.incident_id,
        "incident_reference": duty.incident.reference,
        "ward": duty.incident.ward.code,
        "intervention": duty.intervention_id,
    }


def _duties_out(incident: Incident, now: dt.datetime) -> list[dict[str, Any]]:
    return [_duty_out(d, now) for d in selectors.duties_of(incident)]


def _fields(record: Any, schema: type[Schema]) -> dict[str, Any]:
    data = {name: getattr(record, name) for name in schema.model_fields if name != "duties"}
    if "temperature" in data and data["temperature"] is not None:
        data["temperature"] = float(data["temperature"])
    return data


def _incident_out(incident_id: int) -> dict[str, Any]:
    now = timezone.now()
    incident = (
        Incident.objects.select_related("ward", "patient")
        .prefetch_related(
            Prefetch("interventions", queryset=Intervention.objects.order_by("started_at", "pk")),
            "staff", "others", "injuries", "medical_reviews", "observations", "support",
            "debriefs", "accounts", "reviews", "versions__changed_by",
        )
        .get(pk=incident_id)
    )
    record = services.incident_record(incident)
    record.update(
        review_notes=incident.review_notes,
        escalated_at=incident.escalated_at,
        duties=_duties_out(incident, now),
        versions=[
            {
                "version": v.version,
                "changed_at": v.changed_at,
                "changed_by": v.changed_by.get_username() if v.changed_by else None,
                "change_reason": v.change_reason,
            }
            for v in incident.versions.all()
        ],
        medical_reviews=[_fields(r, MedicalReviewOut) for r in incident.medical_reviews.all()],
        observations=[_fields(r, ObservationOut) for r in incident.observations.all()],
        post_incident_support=[_fields(r, SupportOut) for r in incident.support.all()],
        debriefs=[_fields(r, DebriefOut) for r in incident.debriefs.all()],
        patient_accounts=[_fields(r, PatientAccountOut) for r in incident.accounts.all()],
        reviews=[_fields(r, ReviewOut) for r in incident.reviews.all()],
    )
    return record


def _created(record: Any, schema: type[Schema], incident: Incident) -> Status[dict[str, Any]]:
    return Status(201, {**_fields(record, schema), "duties": _duties_out(incident, timezone.now())})


def _intervention_input(item: InterventionIn) -> InterventionInput:
    return InterventionInput(
        type_code=item.type.strip(), started_at=item.started_at, ended_at=item.ended_at,
        drug=item.drug.strip(), dose=item.dose.strip(), route=item.route.strip(),
        high_risk=item.high_risk, prone_reason=item.prone_reason.strip(),
    )


def _staff_input(item: StaffIn) -> StaffInput:
    return StaffInput(name=item.name, job_title=item.job_title, role=item.role.strip(),
                      grade=item.grade.strip(), user_id=item.user_id, injured=item.injured,
                      staff_id=item.staff_id)


def _other_input(item: OtherPersonIn) -> OtherPersonInput:
    return OtherPersonInput(kind=item.kind.strip(), reason=item.reason, name=item.name.strip())


def _injury_input(item: InjuryIn) -> InjuryInput:
    return InjuryInput(person=item.person.strip(), severity=item.severity.strip(),
                       description=item.description, intervention_index=item.intervention)


def _resolve_ward(request: HttpRequest, code: str, problems: dict[str, list[str]]) -> Ward | None:
    code = code.strip()
    if not code:
        return None  # the services say "Choose the ward"
    ward = Ward.objects.filter(organisation=_organisation(request), code__iexact=code).first()
    if ward is None:
        problems["ward"] = [f"There is no ward with the code {code} in your organisation"]
    return ward


def _resolve_patient(
    request: HttpRequest, patient_id: int | None, problems: dict[str, list[str]]
) -> Patient | None:
    if patient_id is None:
        return None  # the services say "Choose the patient"
    patient = Patient.objects.filter(organisation=_organisation(request), pk=patient_id).first()
    if patient is None:
        problems["patient"] = [f"There is no patient with the id {patient_id} in your organisation"]
    elif patient.entered_in_error_reason:
        problems["patient"] = ["This patient's record was entered in error: choose the right one"]
    return patient


def _changes(data: IncidentInput, request: HttpRequest, payload: IncidentFields,
             sent: set[str], problems: dict[str, list[str]]) -> IncidentInput:
    """Apply the fields sent in a body to an input (all of them for a new record)."""
    before = list(data.interventions)
    # A draft's answers kept from the form (Incident.draft_answers) give way to what is sent.
    for name in sent:
        data.draft_answers.pop(name, None)
    if "injuries" in sent:
        data.draft_answers.pop("anyone_injured", None)
    if sent & {"started_at", "interventions"}:
        data.draft_answers.pop("date", None)
    for name in sent:
        value = getattr(payload, name)
        if name == "ward":
            data.ward = _resolve_ward(request, value, problems)
        elif name == "patient":
            data.patient = _resolve_patient(request, value, problems)
        elif name == "interventions":
            data.interventions = [_intervention_input(i) for i in value]
        elif name == "staff":
            data.staff = [_staff_input(s) for s in value]
        elif name == "others":
            data.others = [_other_input(o) for o in value]
        elif name == "injuries":
            data.injuries = [_injury_input(j) for j in value]
        elif name in {"reason", "notification", "harm", "psychological_harm"}:
            setattr(data, name, value.strip())
        elif name == "de_escalation":
            data.de_escalation = [item.strip() for item in value]
        elif hasattr(data, name):
            setattr(data, name, value)
    if "interventions" in sent and "injuries" not in sent:
        # Injuries kept as they were follow their intervention into the new list when it is
        # still there (same type and start); otherwise they stay, no longer linked to one.
        for injury in data.injuries:
            if injury.intervention_index is None or injury.intervention_index >= len(before):
                continue
            was = before[injury.intervention_index]
            injury.intervention_index = next(
                (n for n, now in enumerate(data.interventions)
                 if now.type_code == was.type_code and now.started_at == was.started_at),
                None,
            )
    return data


def _new_input() -> IncidentInput:
    return IncidentInput(ward=None, patient=None, started_at=None, ended_at=None, reason="",
                         description="", efforts_to_avoid="", outcome="", notification="")


# ---------------------------------------------------------------------------------------------
# Uses of force
# ---------------------------------------------------------------------------------------------


def _audit_incidents_shown(request: HttpRequest, shown: list[Any], query: dict[str, Any]) -> None:
    audit_list_view(actor=api_actor(request), organisation=_organisation(request),
                    object_type="incidents.incident",
                    summary="Uses of force listed through the API",
                    query=query, ids=[incident.pk for incident in shown])


@router.get("/incidents", response=list[IncidentSummaryOut])
@paginate(AuditedPagination, audit=_audit_incidents_shown)
def incident_list(request: HttpRequest, filters: Query[IncidentFilters]) -> QuerySet[Incident]:
    """Uses of force, newest first. Records entered in error are included, marked."""
    require(request, VIEW)
    if filters.type and filters.type not in codes.InterventionType.values:
        raise query_problem(
            "type", f"'{filters.type}' is not a restrictive intervention type code"
        )
    return selectors.incidents_of(
        _organisation(request),
        ward=_ward_in_query(request, filters.ward),
        started_from=_moment("from", filters.started_from),
        started_to=_moment("to", filters.to, end_of_day=True),
        type_code=filters.type,
        status=filters.status,
        patient_id=filters.patient,
    ).prefetch_related("interventions")


@router.post("/incidents", response={201: IncidentOut})
def incident_create(request: HttpRequest, payload: IncidentIn) -> Status[dict[str, Any]]:
    """Record a use of force. Submitted unless `"status": "draft"`; on submission the duties
    that follow are worked out and a death or serious injury is escalated."""
    require(request, RECORD)
    problems: dict[str, list[str]] = {}
    sent = set(IncidentFields.model_fields)
    data = _changes(_new_input(), request, payload, sent, problems)
    incident = services.incident_create(
        actor=api_actor(request), organisation=_organisation(request), data=data,
        submit=payload.status == "submitted", problems=problems,
    )
    return Status(201, _incident_out(incident.pk))


@router.get("/incidents/{incident_id}", response=IncidentOut)
def incident_detail(request: HttpRequest, incident_id: int) -> dict[str, Any]:
    """The whole record with its duties, versions and what followed. Every read is audited."""
    require(request, VIEW)
    incident = _incident(request, incident_id)
    audit_view(actor=api_actor(request), organisation=incident.organisation, obj=incident,
               summary=f"{incident.reference} read through the API")
    return _incident_out(incident.pk)


@router.patch("/incidents/{incident_id}", response=IncidentOut)
def incident_update(
    request: HttpRequest, incident_id: int, payload: IncidentPatch
) -> dict[str, Any]:
    """Change only the fields sent. Once submitted, every change is a new version and needs a
    `change_reason`; nothing changes when there is any problem."""
    require(request, RECORD)
    incident = _incident(request, incident_id)
    problems: dict[str, list[str]] = {}
    sent = payload.model_fields_set & set(IncidentFields.model_fields)
    data = _changes(services.input_from_incident(incident), request, payload, sent, problems)
    services.incident_update(
        actor=api_actor(request), incident=incident, data=data,
        change_reason=payload.change_reason, problems=problems,
    )
    return _incident_out(incident.pk)


@router.post("/incidents/{incident_id}/submit", response=IncidentOut)
def incident_submit(request: HttpRequest, incident_id: int) -> dict[str, Any]:
    require(request, RECORD)
    incident = _incident(request, incident_id)
    services.incident_submit(actor=api_actor(request), incident=incident)
    return _incident_out(incident.pk)


@router.post("/incidents/{incident_id}/review", response=IncidentOut)
def incident_review(
    request: HttpRequest, incident_id: int, payload: ReviewNotesIn
) -> dict[str, Any]:
    """The ward manager's review of a submitted record."""
    incident, _ = _write_on_incident(
        request, incident_id, REVIEW, payload,
        lambda actor, incident: services.incident_review(
            actor=actor, incident=incident, notes=payload.notes.strip()),
    )
    return _incident_out(incident.pk)


@router.post("/incidents/{incident_id}/close", response=IncidentOut)
def incident_close(request: HttpRequest, incident_id: int) -> dict[str, Any]:
    require(request, REVIEW)
    incident = _incident(request, incident_id)
    services.incident_close(actor=api_actor(request), incident=incident)
    return _incident_out(incident.pk)


@router.post("/incidents/{incident_id}/entered-in-error", response=IncidentOut)
def incident_entered_in_error(
    request: HttpRequest, incident_id: int, payload: ReasonIn
) -> dict[str, Any]:
    """Never a deletion: the record stays, marked, with the reason; its open duties stop."""
    incident, _ = _write_on_incident(
        request, incident_id, RECORD, payload,
        lambda actor, incident: services.incident_mark_entered_in_error(
            actor=actor, incident=incident, reason=payload.reason),
    )
    return _incident_out(incident.pk)


# ---------------------------------------------------------------------------------------------
# What follows a use of force
# ---------------------------------------------------------------------------------------------


@router.post("/incidents/{incident_id}/medical-reviews", response={201: MedicalReviewCreated})
def medical_review_create(
    request: HttpRequest, incident_id: int, payload: MedicalReviewIn
) -> Status[dict[str, Any]]:
    """Standard 2.5.2.XI: within one hour of restraint starting, or `delay_reason` recorded."""
    incident, review = _write_on_incident(
        request, incident_id, RECORD, payload,
        lambda actor, incident: services.medical_review_record(
            actor=actor, incident=incident, reviewed_at=payload.reviewed_at,
            reviewer=payload.reviewer, findings=payload.findings,
            delay_reason=payload.delay_reason or "",
        ),
    )
    return _created(review, MedicalReviewOut, incident)


@router.post("/incidents/{incident_id}/observations", response={201: ObservationCreated})
def observation_create(
    request: HttpRequest, incident_id: int, payload: ObservationIn
) -> Status[dict[str, Any]]:
    """Physical observations (standard 2.5.2.XIV, XVII) or a rapid tranquillisation check
    (NICE QS154 statement 4): the values, or why they could not be taken and what was done."""
    def write(actor: Actor, incident: Incident) -> Any:
        values = {
            name: getattr(payload, name)
            for name in ("pulse", "bp_systolic", "bp_diastolic", "respiratory_rate",
                         "temperature", "spo2", "consciousness", "hydration", "not_taken_reason",
                         "action_instead", "no_further_concerns")
        }
        if values["temperature"] is not None:
            # Kept to one decimal place, as a thermometer shows it (36.85 -> 36.9).
            values["temperature"] = Decimal(str(values["temperature"])).quantize(
                Decimal("0.1"), rounding=ROUND_HALF_UP
            )
        return services.observation_record(
            actor=actor, incident=incident, taken_at=payload.taken_at,
            kind=payload.kind.strip(), late_reason=payload.late_reason or "", **values,
        )

    incident, observation = _write_on_incident(request, incident_id, RECORD, payload, write)
    return _created(observation, ObservationOut, incident)


@router.post("/incidents/{incident_id}/post-incident-support", response={201: SupportCreated})
def support_create(
    request: HttpRequest, incident_id: int, payload: SupportIn
) -> Status[dict[str, Any]]:
    """Support for the patient or for staff: held, or why not."""
    incident, support = _write_on_incident(
        request, incident_id, RECORD, payload,
        lambda actor, incident: services.support_record(
            actor=actor, incident=incident, support_for=payload.support_for.strip(),
            held=payload.held, held_at=payload.held_at,
            not_held_reason=payload.not_held_reason.strip(), notes=payload.notes,
            late_reason=payload.late_reason or "",
        ),
    )
    return _created(support, SupportOut, incident)


@router.post("/incidents/{incident_id}/debriefs", response={201: DebriefCreated})
def debrief_create(
    request: HttpRequest, incident_id: int, payload: DebriefIn
) -> Status[dict[str, Any]]:
    """The post-incident reflection and learning review (separate from support)."""
    incident, debrief = _write_on_incident(
        request, incident_id, RECORD, payload,
        lambda actor, incident: services.debrief_record(
            actor=actor, incident=incident, held=payload.held, held_at=payload.held_at,
            patient_took_part=payload.patient_took_part,
            not_held_reason=payload.not_held_reason.strip(),
            carer_took_part=payload.carer_took_part, attendees=payload.attendees,
            learning=payload.learning, late_reason=payload.late_reason or "",
        ),
    )
    return _created(debrief, DebriefOut, incident)


@router.post("/incidents/{incident_id}/patient-account", response={201: PatientAccountCreated})
def patient_account_create(
    request: HttpRequest, incident_id: int, payload: PatientAccountIn
) -> Status[dict[str, Any]]:
    """The offer to the patient to give their own account (standard 1.6.IV): never compulsory."""
    incident, account = _write_on_incident(
        request, incident_id, RECORD, payload,
        lambda actor, incident: services.patient_account_record(
            actor=actor, incident=incident, offered_at=payload.offered_at,
            response=payload.response.strip(), account=payload.account,
            late_reason=payload.late_reason or "",
        ),
    )
    return _created(account, PatientAccountOut, incident)


@router.post("/incidents/{incident_id}/reviews", response={201: ReviewCreated})
def review_create(
    request: HttpRequest, incident_id: int, payload: ReviewIn
) -> Status[dict[str, Any]]:
    """Seclusion, segregation and mechanical restraint reviews, and the care plan review."""
    incident, review = _write_on_incident(
        request, incident_id, RECORD, payload,
        lambda actor, incident: services.review_record(
            actor=actor, incident=incident, kind=payload.kind.strip(),
            reviewed_at=payload.reviewed_at, reviewer=payload.reviewer, notes=payload.notes,
            late_reason=payload.late_reason or "",
        ),
    )
    return _created(review, ReviewOut, incident)


# ---------------------------------------------------------------------------------------------
# Duties
# ---------------------------------------------------------------------------------------------


@router.get("/incidents/{incident_id}/duties", response=list[DutyOut])
def incident_duties(request: HttpRequest, incident_id: int) -> list[dict[str, Any]]:
    """Every duty that follows this use of force, soonest due first, with its state now."""
    require(request, VIEW)
    incident = _incident(request, incident_id)
    return _duties_out(incident, timezone.now())


@router.get("/duties", response=list[DutyListOut])
@paginate(AuditedPagination)
def duty_list(request: HttpRequest, filters: Query[DutyFilters]) -> QuerySet[Duty]:
    """Duties across the organisation by their state now, soonest due first (so the longest
    overdue comes first)."""
    require(request, VIEW)
    if filters.owner_role and filters.owner_role not in duty_rules.OWNER_ROLES:
        raise query_problem(
            "owner_role", f"Use one of {', '.join(duty_rules.OWNER_ROLES)}"
        )
    now = timezone.now()
    request.rrp_now = now  # type: ignore[attr-defined]  # one moment for every row's state
    duties = selectors.duties_query(
        _organisation(request), now=now, ward=_ward_in_query(request, filters.ward),
        state=filters.state,
    )
    if filters.owner_role:
        duties = duties.filter(owner_role=filters.owner_role)
    return duties.order_by("due_at", "pk")


@router.post("/duties/{duty_id}/not-required", response=DutyOut)
def duty_not_required(request: HttpRequest, duty_id: int, payload: ReasonIn) -> dict[str, Any]:
    """A duty that does not apply, with the reason (e.g. a psychiatrist authorised the
    seclusion, so no first medical review is needed)."""
    require(request, RECORD)
    duty = get_in_organisation(Duty.objects.select_related("incident__ward"),
                               _organisation(request), pk=duty_id)
    duty = _write(lambda: services.duty_mark_not_required(
        actor=api_actor(request), duty=duty, reason=payload.reason))
    return _duty_out(duty, timezone.now())
