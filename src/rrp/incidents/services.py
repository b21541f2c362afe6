"""Every write to a use of force record and the duties that follow it.

Each function is keyword-only, runs in one transaction and audits in it. Validation happens
before anything is written: a problem raises ValidationError with every problem by field path,
and the record stays exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from rrp.audit.models import AuditAction
from rrp.audit.services import Actor, audit_record
from rrp.core.signals import bulk_create_checked
from rrp.incidents import codes, duty_permissions, duty_rules
from rrp.incidents.inputs import (
    IncidentInput,
    InjuryInput,
    InterventionInput,
    OtherPersonInput,
    StaffInput,
)
from rrp.incidents.models import (
    Debrief,
    Duty,
    DutyPolicySetting,
    Escalation,
    Incident,
    IncidentVersion,
    Injury,
    Intervention,
    MedicalReview,
    Observation,
    OtherPersonInvolved,
    PatientAccount,
    PostIncidentSupport,
    Review,
    StaffInvolvement,
)
from rrp.incidents.validation import FUTURE_GRACE, incident_problems
from rrp.organisations.models import Membership, Organisation, Role
from rrp.organisations.selectors import roles_in
from rrp.patients.models import Patient

logger = logging.getLogger(__name__)

# Reasons the system writes on duties it stops; a person's own reason is never overwritten.
RECORD_CHANGED_REASON = "No longer needed after the record changed"
ENTERED_IN_ERROR_REASON = "The record was entered in error"

# ---------------------------------------------------------------------------------------------
# Reading a record as plain data (versions, API, exports)
# ---------------------------------------------------------------------------------------------


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def patient_snapshot(patient: Patient, at: dt.datetime) -> dict[str, Any]:
    """s.6(5)(j)-(l): the patient's characteristics as they stood at the time of the incident."""
    return {
        "local_id": patient.local_id,
        "age": patient.age_on(timezone.localtime(at).date()),
        "sex": patient.sex,
        "gender_same_as_birth": patient.gender_same_as_birth,
        "sexual_orientation": patient.sexual_orientation,
        "religion": patient.religion,
        "ethnic_category": patient.ethnic_category,
        "disability": patient.disability,
        "pregnancy": patient.pregnancy,
        "marital_status": patient.marital_status,
        "mental_disorder": patient.mental_disorder,
        "learning_disability_autism": patient.learning_disability_autism,
        "legal_status": patient.legal_status,
    }


def incident_record(incident: Incident) -> dict[str, Any]:
    """The whole record as JSON-safe data: kept in versions and returned by the API."""
    interventions = list(incident.interventions.all())
    positions = {i.pk: n for n, i in enumerate(interventions)}
    return {
        "id": incident.pk,
        "reference": incident.reference,
        "status": incident.status,
        "version": incident.version,
        "ward": incident.ward.code,
        "patient": incident.patient_id,
        "started_at": _iso(incident.started_at),
        "ended_at": _iso(incident.ended_at),
        "duration_minutes": incident.duration_minutes,
        "reason": incident.reason,
        "reason_detail": incident.reason_detail,
        "description": incident.description,
        "de_escalation": list(incident.de_escalation),
        "efforts_to_avoid": incident.efforts_to_avoid,
        "in_care_plan": incident.in_care_plan,
        "outcome": incident.outcome,
        "death_or_serious_injury": incident.death_or_serious_injury,
        "notification": incident.notification,
        "planned": incident.planned,
        "negligible": incident.negligible,
        "harm": incident.harm,
        "psychological_harm": incident.psychological_harm,
        "patient_characteristics": incident.patient_snapshot,
        "interventions": [
            {
                "id": i.pk,
                "type": i.type_code,
                "type_label": i.get_type_code_display(),
                "started_at": _iso(i.started_at),
                "ended_at": _iso(i.ended_at),
                "duration_minutes": i.duration_minutes,
                "drug": i.drug,
                "dose": i.dose,
                "route": i.route,
                "high_risk": i.high_risk,
                "prone_reason": i.prone_reason,
            }
            for i in interventions
        ],
        "staff": [
            {
                "name": s.name,
                "job_title": s.job_title,
                "grade": s.grade,
                "role": s.role,
                "user_id": s.user_id,
                "injured": s.injured,
                "staff_id": s.staff_member_id,
                "training_on_the_day": s.training_on_the_day,
            }
            for s in incident.staff.all()
        ],
        "others": [
            {"kind": o.kind, "name": o.name, "reason": o.reason} for o in incident.others.all()
        ],
        "injuries": [
            {
                "person": j.person,
                "severity": j.severity,
                "description": j.description,
                "intervention_id": j.intervention_id,
                # Position in "interventions", as a record is sent in (None: not linked).
                "intervention": positions.get(j.intervention_id) if j.intervention_id else None,
            }
            for j in incident.injuries.all()
        ],
        "entered_in_error": incident.is_entered_in_error,
        "entered_in_error_reason": incident.entered_in_error_reason,
        "submitted_at": _iso(incident.submitted_at),
        "reviewed_at": _iso(incident.reviewed_at),
        "closed_at": _iso(incident.closed_at),
    }


def input_from_incident(incident: Incident) -> IncidentInput:
    """The stored record as an input, so an amendment can change only what it names."""
    interventions = list(incident.interventions.all())
    positions = {i.pk: n for n, i in enumerate(interventions)}
    return IncidentInput(
        ward=incident.ward,
        patient=incident.patient,
        started_at=incident.started_at,
        ended_at=incident.ended_at,
        reason=incident.reason,
        reason_detail=incident.reason_detail,
        description=incident.description,
        efforts_to_avoid=incident.efforts_to_avoid,
        de_escalation=list(incident.de_escalation),
        in_care_plan=incident.in_care_plan,
        outcome=incident.outcome,
        death_or_serious_injury=incident.death_or_serious_injury,
        notification=incident.notification,
        planned=incident.planned,
        negligible=incident.negligible,
        harm=incident.harm,
        psychological_harm=incident.psychological_harm,
        interventions=[
            InterventionInput(i.type_code, i.started_at, i.ended_at, i.drug, i.dose, i.route,
                              i.high_risk, i.prone_reason)
            for i in interventions
        ],
        staff=[
            StaffInput(s.name, s.job_title, s.role, s.grade, s.user_id, s.injured,
                       s.staff_member_id)
            for s in incident.staff.all()
        ],
        others=[OtherPersonInput(o.kind, o.reason, o.name) for o in incident.others.all()],
        injuries=[
            InjuryInput(j.person, j.severity, j.description,
                        positions.get(j.intervention_id) if j.intervention_id else None)
            for j in incident.injuries.all()
        ],
        draft_answers=dict(incident.draft_answers or {}),
    )


# ---------------------------------------------------------------------------------------------
# Writing the record
# ---------------------------------------------------------------------------------------------

_TOP_LEVEL = (
    "started_at", "ended_at", "reason", "reason_detail", "description", "efforts_to_avoid",
    "de_escalation", "in_care_plan", "outcome", "death_or_serious_injury", "notification",
    "planned", "negligible", "harm", "psychological_harm",
)


def incident_input_problems(
    data: IncidentInput, organisation: Organisation, now: dt.datetime, *, draft: bool
) -> dict[str, list[str]]:
    """Every problem with a record about to be written, by field path: the pure checks of
    validation.py plus the ones that need the database (ward, patient and staff belong to the
    organisation). A ward or patient of None means the caller could not find the one asked
    for; the caller may replace the message with a more exact one.

    People picked from the staff register are named from it first (`staff_from_register`),
    so their name and job title need not be sent."""
    register = staff_from_register(data, organisation)
    problems = incident_problems(data, now, draft=draft)
    for path, messages in register.items():
        problems.setdefault(path, []).extend(messages)
    if not draft:
        for path, messages in _unanswered_in_draft(data).items():
            problems.setdefault(path, []).extend(messages)
    if data.ward is None:
        problems.setdefault("ward", []).append("Choose the ward where force was used")
    elif data.ward.organisation_id != organisation.pk:
        problems.setdefault("ward", []).append("That ward is not in your organisation")
    if data.patient is None:
        problems.setdefault("patient", []).append("Choose the patient force was used on")
    elif data.patient.organisation_id != organisation.pk:
        problems.setdefault("patient", []).append("That patient is not in your organisation")
    user_ids = [s.user_id for s in data.staff if s.user_id is not None]
    if user_ids:
        members = set(
            Membership.objects.filter(organisation=organisation, user_id__in=user_ids)
            .values_list("user_id", flat=True)
        )
        for index, person in enumerate(data.staff):
            if person.user_id is not None and person.user_id not in members:
                problems.setdefault(f"staff.{index}.user_id", []).append(
                    "That person does not work in your organisation"
                )
    return problems


def incident_day(started_at: dt.datetime | None) -> dt.date | None:
    """The day of the use of force on the ward's clock, None while a draft has no time."""
    return timezone.localtime(started_at).date() if started_at is not None else None


def staff_from_register(data: IncidentInput, organisation: Organisation) -> dict[str, list[str]]:
    """Issue 13: each person picked from the staff register (`staff_id`) is named as the
    register names them - name, job title and grade are filled in on `data` from their entry,
    whatever was sent - so the Use of Force record still states every name and job title
    (s.6(5)(h)). Problems, by field path: an id that is not on this organisation's register
    (another organisation's staff are never found), and someone who had left before the day
    of the incident."""
    from rrp.workforce.models import StaffMember  # workforce does not build on incidents

    wanted = {s.staff_id for s in data.staff if s.staff_id is not None}
    if not wanted:
        return {}
    register = {
        m.pk: m for m in StaffMember.objects.for_organisation(organisation).filter(pk__in=wanted)
    }
    day = incident_day(data.started_at)
    problems: dict[str, list[str]] = {}
    for index, person in enumerate(data.staff):
        if person.staff_id is None:
            continue
        member = register.get(person.staff_id)
        path = f"staff.{index}.staff_id"
        if member is None:
            problems[path] = ["There is nobody with that id on your organisation's staff register"]
            continue
        if day is not None and member.leaving_date is not None and member.leaving_date < day:
            problems[path] = [
                f"{member.name} left on {member.leaving_date:%d/%m/%Y}, before the use of "
                "force: choose who was there, or type the name of someone not on the register"
            ]
        person.name, person.job_title, person.grade = member.name, member.job_title, member.grade
    return problems


# A draft's questions left unanswered (Incident.draft_answers): submitting it from its page must
# not take the record's defaults ("no harm", "no") for answers.
_UNANSWERED = {
    "death_or_serious_injury": "Say whether the patient died or suffered a serious injury",
    "anyone_injured": "Say whether anyone was injured",
    "harm": "Choose the degree of harm to the patient",
    "in_care_plan": "Say whether these types of force were in the care plan, or choose not known",
}


def _unanswered_in_draft(data: IncidentInput) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    for name, message in _UNANSWERED.items():
        if data.draft_answers.get(name, None) != "":
            continue
        if name == "in_care_plan" and in_care_plan_from_plan(data) is not None:
            continue  # the safety plan answers it (standard 2.3)
        problems[name] = [message]
    return problems


def _check(
    data: IncidentInput,
    organisation: Organisation,
    now: dt.datetime,
    *,
    draft: bool,
    more: dict[str, list[str]] | None = None,
    exact: dict[str, list[str]] | None = None,
) -> None:
    """Every problem at once. `more` adds to the rules' own; `exact` (what the caller found
    out, e.g. the API's "no ward with the code X") replaces the rules' words for that field."""
    problems = incident_input_problems(data, organisation, now, draft=draft)
    for path, messages in (more or {}).items():
        problems.setdefault(path, []).extend(messages)
    problems.update(exact or {})
    if problems:
        raise ValidationError(problems)


def _write_children(
    incident: Incident,
    data: IncidentInput,
    *,
    new: bool = False,
    previous_start: dt.datetime | None = None,
) -> None:
    """Replace the record's parts (a new record has none to replace). Earlier parts survive
    in the version history.

    Training on the day is frozen (standard 1.5.V): once a record is submitted, a person who
    stays on it through an amendment keeps the snapshot, name, job title and grade taken when
    they were first recorded - unless the amendment moves the incident to another day, when
    "on the day" means the new day. A draft takes a fresh snapshot each time it is saved, and
    again when it is submitted (`incident_submit`)."""
    kept: dict[int, StaffInvolvement] = {}
    if not new and incident.status != codes.Status.DRAFT and (
        incident_day(previous_start) == incident_day(incident.started_at)
    ):
        kept = {s.staff_member_id: s for s in incident.staff.all() if s.staff_member_id}
    if not new:
        for related in (incident.injuries, incident.others, incident.staff):
            related.all().delete()
        # Interventions may have duties pointing at them: detach, then remove the old ones.
        Duty.objects.filter(incident=incident).update(intervention=None)
        incident.interventions.all().delete()
    # In time order; a draft's rows with no start yet keep their place after the timed ones.
    order = sorted(range(len(data.interventions)),
                   key=lambda n: _start_order(data.interventions[n].started_at, n))
    created = bulk_create_checked(Intervention, (
        Intervention(
            incident=incident, type_code=i.type_code, started_at=i.started_at,
            ended_at=i.ended_at, drug=i.drug, dose=i.dose, route=i.route, high_risk=i.high_risk,
            prone_reason=i.prone_reason.strip(),
        )
        for i in (data.interventions[n] for n in order)
    ))
    by_input_index = {original: created[position] for position, original in enumerate(order)}
    fresh = [s.staff_id for s in data.staff if s.staff_id is not None and s.staff_id not in kept]
    snapshots = _training_snapshots(incident, fresh)
    involvements = []
    for s in data.staff:
        involvement = StaffInvolvement(
            incident=incident, user_id=s.user_id, name=s.name.strip(),
            job_title=s.job_title.strip(), grade=s.grade, role=s.role, injured=s.injured,
            staff_member_id=s.staff_id,
        )
        earlier = kept.get(s.staff_id) if s.staff_id is not None else None
        if earlier is not None:
            involvement.name, involvement.job_title = earlier.name, earlier.job_title
            involvement.grade = earlier.grade
            involvement.training_on_the_day = earlier.training_on_the_day
        elif s.staff_id is not None:
            involvement.training_on_the_day = snapshots.get(s.staff_id, [])
        involvements.append(involvement)
    StaffInvolvement.objects.bulk_create(involvements)
    OtherPersonInvolved.objects.bulk_create(
        OtherPersonInvolved(incident=incident, kind=o.kind, name=o.name, reason=o.reason)
        for o in data.others
    )
    Injury.objects.bulk_create(
        Injury(incident=incident, person=j.person, severity=j.severity,
               description=j.description,
               intervention=by_input_index.get(j.intervention_index)
               if j.intervention_index is not None else None)
        for j in data.injuries
    )


def _training_snapshots(incident: Incident, staff_ids: list[int]) -> dict[int, list[Any]]:
    """Where each register entry stood in their training on the day of the incident (today
    while a draft has no time yet)."""
    if not staff_ids:
        return {}
    from rrp.workforce.selectors import training_on_the_day

    day = incident_day(incident.started_at) or timezone.localdate()
    return training_on_the_day(incident.organisation, staff_ids, day)


def _freeze_training(incident: Incident) -> None:
    """On submission, the snapshot of each person on the register is taken again, as the
    patient's is: a draft may have waited while training records were brought up to date."""
    involvements = [s for s in incident.staff.all() if s.staff_member_id is not None]
    snapshots = _training_snapshots(incident, [s.staff_member_id for s in involvements
                                               if s.staff_member_id is not None])
    for involvement in involvements:
        assert involvement.staff_member_id is not None
        involvement.training_on_the_day = snapshots.get(involvement.staff_member_id, [])
    StaffInvolvement.objects.bulk_update(involvements, ["training_on_the_day"])


@transaction.atomic
def incident_staff_link_register(*, actor: Actor, organisation: Organisation) -> int:
    """Link the people on records made before they were on the staff register (issue 13: the
    demo's past uses of force; a register imported after records exist) to their entries: by
    the RRP account recorded, when it is linked to an entry of the same name, else by name - an
    involvement not linked yet whose name is that of exactly one person on the register that
    day, preferring those whose wards include the incident's ward. Name, job
    title and grade stay as recorded (the Use of Force record states them as they were); the
    training on the day is taken from the training records held now. Records entered in error
    and drafts are left alone. One audit event per record changed; returns how many people
    were linked."""
    from rrp.workforce.models import StaffMember
    from rrp.workforce.selectors import training_on_the_day

    register: dict[str, list[StaffMember]] = {}
    by_account: dict[int, StaffMember] = {}
    for member in StaffMember.objects.for_organisation(organisation).prefetch_related("wards"):
        register.setdefault(member.name.casefold(), []).append(member)
        if member.user_id is not None:
            by_account[member.user_id] = member
    unlinked = (
        StaffInvolvement.objects.filter(
            incident__organisation=organisation, staff_member__isnull=True,
            incident__entered_in_error_at__isnull=True, incident__started_at__isnull=False,
        )
        .exclude(incident__status=codes.Status.DRAFT)
        .select_related("incident")
        .order_by("incident__started_at", "pk")
    )
    by_day: dict[dt.date, list[tuple[StaffInvolvement, StaffMember]]] = {}
    for involvement in unlinked:
        incident = involvement.incident
        day = incident_day(incident.started_at)
        assert day is not None
        account = by_account.get(involvement.user_id) if involvement.user_id else None
        if account is not None and account.name.casefold() == involvement.name.casefold():
            # Their RRP account is linked to their entry: no doubt who it was.
            by_day.setdefault(day, []).append((involvement, account))
            continue
        there = [m for m in register.get(involvement.name.casefold(), []) if m.works_on(day)]
        on_ward = [m for m in there if any(w.pk == incident.ward_id for w in m.wards.all())]
        match = on_ward if on_ward else there
        if len(match) == 1:
            by_day.setdefault(day, []).append((involvement, match[0]))
    linked: list[StaffInvolvement] = []
    changed: dict[int, list[StaffInvolvement]] = {}
    for day, pairs in by_day.items():
        snapshots = training_on_the_day(organisation, {m.pk for _, m in pairs}, day)
        for involvement, member in pairs:
            involvement.staff_member = member
            involvement.training_on_the_day = snapshots.get(member.pk, [])
            linked.append(involvement)
            changed.setdefault(involvement.incident_id, []).append(involvement)
    StaffInvolvement.objects.bulk_update(
        linked, ["staff_member", "training_on_the_day"], batch_size=500
    )
    for people in changed.values():
        incident = people[0].incident
        audit_record(actor=actor, action=AuditAction.CHANGE, organisation=organisation,
                     obj=incident,
                     summary=f"Staff on {incident.reference} linked to the staff register",
                     after={"staff": [{"name": s.name, "staff_id": s.staff_member_id}
                                      for s in people]})
    return len(linked)


def _start_order(started_at: dt.datetime | None, position: int) -> tuple[int, float, int]:
    return (started_at is None, started_at.timestamp() if started_at else 0.0, position)


def _apply_top_level(incident: Incident, data: IncidentInput) -> None:
    incident.ward = data.ward
    incident.patient = data.patient
    for name in _TOP_LEVEL:
        setattr(incident, name, getattr(data, name))
    answer = in_care_plan_from_plan(data)
    if answer is not None:
        incident.in_care_plan = answer


def in_care_plan_from_plan(data: IncidentInput) -> bool | None:
    """s.6(5)(d) answered from the safety plan in force when force was first used (standard
    2.3), so pages and API give the same answer; None when there was no plan to answer from."""
    from rrp.careplans.selectors import safety_plan_at  # careplans builds on incidents
    from rrp.careplans.warnings import types_in_plan

    if data.started_at is None or data.patient is None:
        return None
    plan = safety_plan_at(data.patient, data.started_at)
    return types_in_plan(plan, [i.type_code for i in data.interventions]) if plan else None


@transaction.atomic
def incident_create(
    *,
    actor: Actor,
    organisation: Organisation,
    data: IncidentInput,
    submit: bool = True,
    now: dt.datetime | None = None,
    problems: dict[str, list[str]] | None = None,
) -> Incident:
    """Record a use of force. `problems` are ones the caller found in what it was sent (an
    unknown ward code): reported with the rest, and nothing is written."""
    now = now or timezone.now()
    _check(data, organisation, now, draft=not submit, exact=problems)
    incident = Incident(organisation=organisation, created_by=_user(actor))
    _apply_top_level(incident, data)
    incident.draft_answers = {} if submit else dict(data.draft_answers)
    incident.patient_snapshot = patient_snapshot(data.patient, data.started_at or now)
    incident.save()
    _write_children(incident, data, new=True)
    audit_record(actor=actor, action=AuditAction.CREATE, organisation=organisation, obj=incident,
                 summary=f"{incident.reference} recorded on {incident.ward.code}",
                 after=incident_record(incident))
    if submit:
        _submit(actor=actor, incident=incident, now=now)
    return incident


@transaction.atomic
def incident_submit(
    *, actor: Actor, incident: Incident, now: dt.datetime | None = None
) -> Incident:
    now = now or timezone.now()
    _refuse_entered_in_error(incident)
    if incident.status != codes.Status.DRAFT:
        raise ValidationError({"status": "Only a draft can be submitted"})
    _check(input_from_incident(incident), incident.organisation, now, draft=False)
    _freeze_training(incident)
    _submit(actor=actor, incident=incident, now=now)
    return incident


def _submit(*, actor: Actor, incident: Incident, now: dt.datetime) -> None:
    incident.status = codes.Status.SUBMITTED
    incident.submitted_at = now
    incident.submitted_by = _user(actor)
    incident.draft_answers = {}  # every question is answered in the record itself now
    incident.patient_snapshot = patient_snapshot(incident.patient, incident.started_at or now)
    incident.save()
    duties_sync(incident=incident, now=now)
    audit_record(actor=actor, action=AuditAction.CHANGE, organisation=incident.organisation,
                 obj=incident, summary=f"{incident.reference} submitted",
                 after={"status": incident.status})
    if needs_escalation(incident):
        _escalate(actor=actor, incident=incident, now=now)


def needs_escalation(incident: Incident) -> bool:
    """A death or serious injury (Use of Force Act s.6(5)(n)), or harm graded severe or fatal,
    goes to the restrictive practice lead at once."""
    return incident.death_or_serious_injury or incident.harm in {
        codes.Harm.SEVERE, codes.Harm.FATAL,
    }


def _refuse_entered_in_error(incident: Incident) -> None:
    if incident.is_entered_in_error:
        raise ValidationError({"status": "This record was entered in error and cannot be changed"})


@transaction.atomic
def incident_update(
    *,
    actor: Actor,
    incident: Incident,
    data: IncidentInput,
    change_reason: str = "",
    now: dt.datetime | None = None,
    problems: dict[str, list[str]] | None = None,
) -> Incident:
    """Change a record. After submission every change is a new version with who/when/why.
    `problems` as for incident_create."""
    now = now or timezone.now()
    _refuse_entered_in_error(incident)
    if incident.status == codes.Status.CLOSED:
        raise ValidationError({"status": "This record is closed and cannot be changed"})
    draft = incident.status == codes.Status.DRAFT
    more: dict[str, list[str]] = {}
    if not draft and not change_reason.strip():
        more["change_reason"] = ["Say why the submitted record is being changed"]
    # Every problem at once (the change reason with the rest), and nothing written before.
    _check(data, incident.organisation, now, draft=draft, more=more, exact=problems)
    before = incident_record(incident)
    if not draft:
        IncidentVersion.objects.create(incident=incident, version=incident.version,
                                       changed_by=_user(actor), change_reason=change_reason.strip(),
                                       record=before)
        incident.version += 1
    previous_patient_id, previous_start = incident.patient_id, incident.started_at
    _apply_top_level(incident, data)
    if draft:
        incident.draft_answers = dict(data.draft_answers)
    if draft or incident.patient_id != previous_patient_id:
        incident.patient_snapshot = patient_snapshot(incident.patient,
                                                     incident.started_at or now)
    elif incident.started_at != previous_start:
        # s.6(5)(j)-(l) are kept as they stood at the time: only the age moves with the start.
        incident.patient_snapshot = {
            **incident.patient_snapshot,
            "age": incident.patient.age_on(timezone.localtime(incident.started_at).date()),
        }
    incident.save()
    _write_children(incident, data, previous_start=previous_start)
    if not draft:
        duties_sync(incident=incident, now=now)
        if needs_escalation(incident) and incident.escalated_at is None:
            _escalate(actor=actor, incident=incident, now=now)
    audit_record(actor=actor, action=AuditAction.CHANGE, organisation=incident.organisation,
                 obj=incident, summary=f"{incident.reference} changed: {change_reason}"[:300],
                 before=before, after=incident_record(incident))
    return incident


@transaction.atomic
def incident_review(
    *, actor: Actor, incident: Incident, notes: str, now: dt.datetime | None = None
) -> Incident:
    _refuse_entered_in_error(incident)
    if incident.status != codes.Status.SUBMITTED:
        raise ValidationError({"status": "Only a submitted record can be reviewed"})
    incident.status = codes.Status.REVIEWED
    incident.reviewed_at = now or timezone.now()
    incident.reviewed_by = _user(actor)
    incident.review_notes = notes
    incident.save()
    audit_record(actor=actor, action=AuditAction.CHANGE, organisation=incident.organisation,
                 obj=incident, summary=f"{incident.reference} reviewed",
                 after={"status": incident.status, "review_notes": notes})
    return incident


@transaction.atomic
def incident_close(*, actor: Actor, incident: Incident, now: dt.datetime | None = None) -> Incident:
    _refuse_entered_in_error(incident)
    if incident.status != codes.Status.REVIEWED:
        raise ValidationError({"status": "Only a reviewed record can be closed"})
    incident.status = codes.Status.CLOSED
    incident.closed_at = now or timezone.now()
    incident.closed_by = _user(actor)
    incident.save()
    audit_record(actor=actor, action=AuditAction.CHANGE, organisation=incident.organisation,
                 obj=incident, summary=f"{incident.reference} closed",
                 after={"status": incident.status})
    return incident


@transaction.atomic
def incident_mark_entered_in_error(
    *, actor: Actor, incident: Incident, reason: str, now: dt.datetime | None = None
) -> Incident:
    """Never a deletion: the record stays visible, marked, with the reason."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why this record was entered in error"})
    if incident.is_entered_in_error:
        raise ValidationError({"reason": "This record is already marked as entered in error"})
    incident.entered_in_error_at = now or timezone.now()
    incident.entered_in_error_reason = reason.strip()
    incident.save()
    Duty.objects.filter(
        incident=incident, completed_at__isnull=True, not_required_reason=""
    ).update(not_required_reason=ENTERED_IN_ERROR_REASON)
    audit_record(actor=actor, action=AuditAction.ENTERED_IN_ERROR,
                 organisation=incident.organisation, obj=incident,
                 summary=f"{incident.reference} marked as entered in error",
                 after={"reason": incident.entered_in_error_reason})
    return incident


def _user(actor: Actor) -> Any:
    user = actor.user
    return user if user is not None and user.is_authenticated else None


# ---------------------------------------------------------------------------------------------
# Escalation of a death or serious injury (Use of Force Act s.8/s.9)
# ---------------------------------------------------------------------------------------------


def _escalate(*, actor: Actor, incident: Incident, now: dt.datetime) -> Escalation:
    leads = get_user_model().objects.filter(
        memberships__organisation=incident.organisation,
        memberships__role=Role.RRP_LEAD,
        memberships__is_active=True,
    ).distinct()
    addresses = sorted({u.email for u in leads if u.email})
    escalation = Escalation.objects.create(
        organisation=incident.organisation, incident=incident,
        emailed_to=", ".join(addresses) if settings.EMAIL_HOST else "",
    )
    incident.escalated_at = now
    incident.save(update_fields=["escalated_at"])
    if settings.EMAIL_HOST and addresses:
        # Says where to look, never who: no patient details leave RRP by email.
        subject = f"RRP: death or serious injury recorded ({incident.reference})"
        message = (
            f"A use of force on {incident.ward.name} recorded a death or serious injury. "
            f"Open {incident.reference} in RRP to review it now."
        )

        def send() -> None:
            # After the commit, so a mail server that is down can never lose the record; the
            # in-app escalation is already stored and shows on the lead's home page.
            try:
                send_mail(subject=subject, message=message,
                          from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=addresses)
            except Exception:  # any mail failure is logged, never raised
                logger.exception("Escalation email for %s could not be sent", incident.reference)

        transaction.on_commit(send)
    audit_record(actor=actor, action=AuditAction.CREATE, organisation=incident.organisation,
                 obj=escalation, summary=f"{incident.reference} escalated to the restrictive "
                 "practice lead (death or serious injury)")
    return escalation


@transaction.atomic
def escalation_acknowledge(*, actor: Actor, escalation: Escalation) -> Escalation:
    escalation.acknowledged_at = timezone.now()
    escalation.acknowledged_by = _user(actor)
    escalation.save()
    audit_record(actor=actor, action=AuditAction.CHANGE, organisation=escalation.organisation,
                 obj=escalation,
                 summary=f"Escalation of {escalation.incident.reference} acknowledged")
    return escalation


# ---------------------------------------------------------------------------------------------
# Duties: generated from the rules, reconciled whenever the record changes
# ---------------------------------------------------------------------------------------------


def policy_for(organisation: Organisation) -> duty_rules.DutyPolicy:
    setting = DutyPolicySetting.objects.filter(organisation=organisation).first()
    return duty_rules.policy_from_mapping(setting.values) if setting else duty_rules.DEFAULT_POLICY


def _timed(value: dt.datetime | None) -> dt.datetime:
    """A time a submitted record always has (only a draft may lack it, and drafts have no
    duties)."""
    if value is None:
        raise ValueError("A submitted record is missing a start time")
    return value


def _facts(incident: Incident, interventions: list[Intervention]) -> duty_rules.IncidentFacts:
    started_at = _timed(incident.started_at)
    window_start = started_at - dt.timedelta(hours=48)
    earlier = [
        (_timed(i.started_at), i.ended_at)
        for i in Intervention.objects.filter(
            incident__patient=incident.patient,
            incident__entered_in_error_at__isnull=True,
            # A draft is not yet a record of seclusion (and may still change or be dropped).
            incident__status__in=[codes.Status.SUBMITTED, codes.Status.REVIEWED,
                                  codes.Status.CLOSED],
            type_code=codes.InterventionType.SECLUSION,
            ended_at__isnull=False,
            ended_at__gte=window_start,
            started_at__lt=started_at,
        ).exclude(incident=incident)
        if i.ended_at is not None
    ]
    return duty_rules.IncidentFacts(
        started_at=started_at,
        ended_at=incident.ended_at,
        interventions=[
            duty_rules.InterventionFacts(i.type_code, _timed(i.started_at), i.ended_at,
                                         i.high_risk)
            for i in interventions
        ],
        negligible=incident.negligible,
        entered_in_error=incident.is_entered_in_error,
        earlier_seclusion=earlier,
    )


def duty_key(kind: str, intervention_index: int | None, sequence: int) -> str:
    return f"{kind}:{'-' if intervention_index is None else intervention_index}:{sequence}"


def _is_follow_up_rt(duty: Duty) -> bool:
    # Later rapid tranquillisation checks are made from the previous check, not from the rules.
    return duty.kind == "rapid_tranquillisation_monitoring" and duty.sequence > 1


def _position(key: str) -> int | None:
    index = key.split(":")[1]
    return None if index == "-" else int(index)


def duties_sync(*, incident: Incident, now: dt.datetime) -> list[Duty]:
    """Make the stored duties match the rules for the record as it now stands. Completed
    duties are kept; open duties no longer needed are marked not required (never deleted),
    and a reason a person gave for not needing a duty is never overwritten."""
    interventions = list(incident.interventions.order_by("started_at", "pk"))
    specs = duty_rules.duties_for(
        _facts(incident, interventions), policy_for(incident.organisation), now
    )
    existing = {d.key: d for d in incident.duties.all()}
    wanted: set[str] = set()
    new_duties: list[Duty] = []
    for spec in specs:
        key = duty_key(spec.kind, spec.intervention_index, spec.sequence)
        wanted.add(key)
        intervention = (
            interventions[spec.intervention_index] if spec.intervention_index is not None else None
        )
        duty = existing.get(key)
        if duty is None:
            new_duties.append(Duty(
                organisation=incident.organisation, incident=incident, kind=spec.kind,
                sequence=spec.sequence, intervention=intervention, key=key, label=spec.label,
                source=spec.source, owner_role=spec.owner_role, due_at=spec.due_at,
            ))
        elif duty.completed_at is None:
            duty.due_at, duty.label, duty.intervention = spec.due_at, spec.label, intervention
            if duty.not_required_reason == RECORD_CHANGED_REASON:
                duty.not_required_reason = ""  # needed again after a later change
            duty.save()
        elif duty.intervention_id is None and intervention is not None:
            duty.intervention = intervention
            duty.save(update_fields=["intervention"])
    for key, duty in existing.items():
        if key in wanted:
            continue
        if _is_follow_up_rt(duty):
            position = _position(key)
            if duty_key(duty.kind, position, 1) in wanted and position is not None:
                # The checks go on while the rapid tranquillisation stays in the record; keep
                # the check pointing at the intervention as it now stands.
                if duty.intervention_id != interventions[position].pk:
                    duty.intervention = interventions[position]
                    duty.save(update_fields=["intervention"])
                continue
        if duty.is_open:
            duty.not_required_reason = RECORD_CHANGED_REASON
            duty.save(update_fields=["not_required_reason"])
    bulk_create_checked(Duty, new_duties)
    return list(incident.duties.all())


def _open_duty(incident: Incident, kinds: Iterable[str]) -> Duty | None:
    """The soonest open duty of these kinds: the one a record of this kind meets."""
    return (
        Duty.objects.filter(incident=incident, kind__in=list(kinds), completed_at__isnull=True,
                            not_required_reason="")
        .order_by("due_at", "pk")
        .first()
    )


def _completion_problems(
    *,
    incident: Incident,
    duty: Duty | None,
    completed_at: dt.datetime | None,
    late_reason: str,
    now: dt.datetime,
    time_field: str,
    reason_field: str,
    what: str,
) -> dict[str, list[str]]:
    """Problems with the time a duty was met, on the time field, and a missing reason for
    lateness, on the reason field (standard 2.5.2.XI: the reason for the delay is recorded)."""
    if completed_at is None:
        return {time_field: [f"Enter when the {what} took place"]}
    if completed_at > now + FUTURE_GRACE:
        return {time_field: ["This time is in the future: check the date and time"]}
    if incident.started_at is not None and completed_at < incident.started_at:
        return {time_field: [f"The {what} cannot be before the use of force started"]}
    if duty is None:
        return {}
    policy = policy_for(incident.organisation)
    # Within the minute's grace a time is not "in the future": judge it at that time.
    judged_at = max(now, completed_at)
    about_time = duty_rules.completion_problems(
        duty.kind, duty.due_at, completed_at, "given", judged_at, policy
    )
    every = duty_rules.completion_problems(
        duty.kind, duty.due_at, completed_at, late_reason or None, judged_at, policy
    )
    problems: dict[str, list[str]] = {}
    if about_time:
        problems[time_field] = about_time
    lateness = [message for message in every if message not in about_time]
    if lateness:
        problems[reason_field] = lateness
    return problems


def _raise_all(*groups: dict[str, list[str]]) -> None:
    """Raise every problem at once; a field already reported is not reported twice."""
    problems: dict[str, list[str]] = {}
    for group in groups:
        for field, messages in group.items():
            problems.setdefault(field, list(messages))
    if problems:
        raise ValidationError(problems)


def _meet(
    *, actor: Actor, incident: Incident, duty: Duty | None, completed_at: dt.datetime,
    late_reason: str, now: dt.datetime,
) -> None:
    if duty is not None:
        duty.completed_at = completed_at
        duty.completed_by = _user(actor)
        duty.late_reason = late_reason.strip()
        duty.save()
    # A review recurring while an intervention still lasts: the rules make the occurrences up
    # to a moment plus the next one, so meeting one early (before its due time) must still
    # bring the next one onto the worklist at once.
    if incident.interventions.filter(ended_at__isnull=True).exists():
        duties_sync(incident=incident, now=max(now, duty.due_at) if duty is not None else now)


class DutyRefused(PermissionDenied):
    """The person's role may not meet this duty or mark it not required (ADR 7). Pages and the
    API answer 403 with the sentence."""


def roles_of(actor: Actor, organisation: Organisation) -> frozenset[str] | None:
    """The actor's roles in the organisation; None for the system itself (the CLI), which
    acts with no role of its own."""
    user = _user(actor)
    return None if user is None else roles_in(user, organisation)


def may_act(
    actor: Actor, organisation: Organisation, action: duty_permissions.Action, kind: str
) -> bool:
    roles = roles_of(actor, organisation)
    return roles is None or duty_permissions.may(roles, action, kind)


def _require_role(
    actor: Actor, organisation: Organisation, action: duty_permissions.Action, kind: str
) -> None:
    """ADR 7: a duty is met or marked not required only by the roles that may, on any ward
    of the organisation. Checked before anything else, so a refusal says only that."""
    if not may_act(actor, organisation, action, kind):
        raise DutyRefused(duty_permissions.refusal(action, kind))


def _check_open(incident: Incident) -> None:
    if incident.is_entered_in_error:
        raise ValidationError({"incident": "This record was entered in error"})
    if incident.status == codes.Status.DRAFT:
        raise ValidationError({"incident": "Submit the record before recording what followed"})


@transaction.atomic
def medical_review_record(
    *, actor: Actor, incident: Incident, reviewed_at: dt.datetime | None, reviewer: str,
    findings: str, delay_reason: str = "", now: dt.datetime | None = None,
) -> MedicalReview:
    """Standard 2.5.2.XI: within one hour of the restraint starting, or the reason for the
    delay recorded. Only a doctor records one (ADR 7)."""
    now = now or timezone.now()
    _require_role(actor, incident.organisation, "record", "medical_review")
    _check_open(incident)
    problems: dict[str, list[str]] = {}
    if not reviewer.strip():
        problems["reviewer"] = ["Enter who carried out the medical review"]
    if not findings.strip():
        problems["findings"] = ["Enter what the medical review found"]
    duty = _open_duty(incident, ["medical_review"])
    _raise_all(problems, _completion_problems(
        incident=incident, duty=duty, completed_at=reviewed_at, late_reason=delay_reason, now=now,
        time_field="reviewed_at", reason_field="delay_reason", what="medical review",
    ))
    assert reviewed_at is not None  # _completion_problems refused None
    _meet(actor=actor, incident=incident, duty=duty, completed_at=reviewed_at,
          late_reason=delay_reason, now=now)
    review = MedicalReview.objects.create(incident=incident, reviewed_at=reviewed_at,
                                          reviewer=reviewer.strip(), findings=findings,
                                          delay_reason=delay_reason.strip(),
                                          recorded_by=_user(actor))
    audit_record(actor=actor, action=AuditAction.CREATE, organisation=incident.organisation,
                 obj=review, summary=f"Medical review recorded for {incident.reference}")
    return review


@transaction.atomic
def observation_record(
    *, actor: Actor, incident: Incident, taken_at: dt.datetime | None,
    kind: str = Observation.KIND_PHYSICAL, late_reason: str = "", now: dt.datetime | None = None,
    **values: Any,
) -> Observation:
    now = now or timezone.now()
    duty_kind = (
        "rapid_tranquillisation_monitoring" if kind == Observation.KIND_RT
        else "physical_observations"
    )
    if kind in {Observation.KIND_PHYSICAL, Observation.KIND_RT}:
        _require_role(actor, incident.organisation, "record", duty_kind)
    _check_open(incident)
    observation = Observation(incident=incident, kind=kind, late_reason=late_reason.strip(),
                              recorded_by=_user(actor), **values)
    vitals = ("pulse", "bp_systolic", "respiratory_rate", "temperature", "spo2", "consciousness")
    taken_any = any(getattr(observation, name) not in (None, "") for name in vitals)
    problems: dict[str, list[str]] = {}
    if kind not in {Observation.KIND_PHYSICAL, Observation.KIND_RT}:
        problems["kind"] = ["Choose physical observations or a rapid tranquillisation check"]
    if not taken_any and not observation.not_taken_reason.strip():
        # standard 2.5.2.XIV: if observations cannot be taken, record why and what was done.
        problems["not_taken_reason"] = [
            "Record the observations, or why they could not be taken and what was done instead"
        ]
    if observation.not_taken_reason.strip() and not observation.action_instead.strip():
        problems["action_instead"] = ["Record what was done instead of taking observations"]
    try:
        observation.full_clean(exclude=["incident", "recorded_by", "taken_at"])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            problems.setdefault(field, []).extend(messages)
    duty = _open_duty(incident, [duty_kind])
    what = "check" if kind == Observation.KIND_RT else "observations"
    _raise_all(problems, _completion_problems(
        incident=incident, duty=duty, completed_at=taken_at, late_reason=late_reason, now=now,
        time_field="taken_at", reason_field="late_reason", what=what,
    ))
    assert taken_at is not None  # _completion_problems refused None
    _meet(actor=actor, incident=incident, duty=duty, completed_at=taken_at,
          late_reason=late_reason, now=now)
    observation.taken_at = taken_at
    observation.save()
    if (
        duty is not None
        and duty.kind == "rapid_tranquillisation_monitoring"
        and not observation.no_further_concerns
    ):
        _next_rt_check(incident=incident, previous=duty, checked_at=taken_at)
    audit_record(actor=actor, action=AuditAction.CREATE, organisation=incident.organisation,
                 obj=observation, summary=f"Observations recorded for {incident.reference}")
    return observation


def _next_rt_check(*, incident: Incident, previous: Duty, checked_at: dt.datetime) -> Duty:
    """NICE QS154 statement 4: check again at the policy interval until no further concerns."""
    intervention = previous.intervention
    high_risk = bool(intervention and intervention.high_risk)
    spec = duty_rules.next_rapid_tranquillisation_check(
        duty_rules.DutySpec(kind="rapid_tranquillisation_monitoring", sequence=previous.sequence,
                            due_at=previous.due_at, owner_role=previous.owner_role,  # type: ignore[arg-type]
                            source=previous.source, label=previous.label),
        checked_at, policy_for(incident.organisation), high_risk=high_risk,
    )
    index = previous.key.split(":")[1]
    return Duty.objects.create(
        organisation=incident.organisation, incident=incident, kind=spec.kind,
        sequence=spec.sequence, intervention=intervention,
        key=f"{spec.kind}:{index}:{spec.sequence}", label=spec.label, source=spec.source,
        owner_role=spec.owner_role, due_at=spec.due_at,
    )


@transaction.atomic
def support_record(
    *, actor: Actor, incident: Incident, support_for: str, held: bool,
    held_at: dt.datetime | None, not_held_reason: str = "", notes: str = "", late_reason: str = "",
    now: dt.datetime | None = None,
) -> PostIncidentSupport:
    """Support for the patient or for staff ('Review, support and debrief'): held, or the
    reason it was not."""
    now = now or timezone.now()
    known_for = support_for in {PostIncidentSupport.FOR_PATIENT, PostIncidentSupport.FOR_STAFF}
    if known_for:
        _require_role(actor, incident.organisation, "record",
                      f"post_incident_support_{support_for}")
    _check_open(incident)
    problems: dict[str, list[str]] = {}
    if not known_for:
        problems["support_for"] = ["Say whether the support was for the patient or for staff"]
    if not held and not not_held_reason:
        problems["not_held_reason"] = ["Say why the support did not happen"]
    if not_held_reason and not_held_reason not in codes.NotHeldReason.values:
        problems["not_held_reason"] = ["Choose a reason from the list"]
    duty = _open_duty(incident, [f"post_incident_support_{support_for}"]) if known_for else None
    _raise_all(problems, _completion_problems(
        incident=incident, duty=duty, completed_at=held_at, late_reason=late_reason, now=now,
        time_field="held_at", reason_field="late_reason", what="support",
    ))
    assert held_at is not None  # _completion_problems refused None
    _meet(actor=actor, incident=incident, duty=duty, completed_at=held_at,
          late_reason=late_reason, now=now)
    record = PostIncidentSupport.objects.create(
        incident=incident, support_for=support_for, held=held, held_at=held_at,
        not_held_reason=not_held_reason, notes=notes, late_reason=late_reason.strip(),
        recorded_by=_user(actor),
    )
    audit_record(actor=actor, action=AuditAction.CREATE, organisation=incident.organisation,
                 obj=record,
                 summary=f"Post-incident support ({support_for}) for {incident.reference}")
    return record


@transaction.atomic
def debrief_record(
    *, actor: Actor, incident: Incident, held: bool, held_at: dt.datetime | None,
    patient_took_part: bool = False, not_held_reason: str = "", carer_took_part: bool = False,
    attendees: str = "", learning: str = "", late_reason: str = "", now: dt.datetime | None = None,
) -> Debrief:
    """The post-incident reflection and learning review, separate from support; held, or the
    reason recorded (MHSDS RestrictiveIntPIReviewHeldPat / NotHeldReasPat / HeldCarePers)."""
    now = now or timezone.now()
    _require_role(actor, incident.organisation, "record", "post_incident_review")
    _check_open(incident)
    problems: dict[str, list[str]] = {}
    if held and not learning.strip():
        problems["learning"] = ["Record what was learned, even if it was 'nothing new'"]
    if (not held or not patient_took_part) and not not_held_reason:
        problems["not_held_reason"] = ["Say why the patient did not take part in the review"]
    if not_held_reason and not_held_reason not in codes.NotHeldReason.values:
        problems["not_held_reason"] = ["Choose a reason from the list"]
    duty = _open_duty(incident, ["post_incident_review"])
    _raise_all(problems, _completion_problems(
        incident=incident, duty=duty, completed_at=held_at, late_reason=late_reason, now=now,
        time_field="held_at", reason_field="late_reason", what="review",
    ))
    assert held_at is not None  # _completion_problems refused None
    _meet(actor=actor, incident=incident, duty=duty, completed_at=held_at,
          late_reason=late_reason, now=now)
    record = Debrief.objects.create(
        incident=incident, held=held, held_at=held_at, patient_took_part=patient_took_part,
        not_held_reason=not_held_reason if not (held and patient_took_part) else "",
        carer_took_part=carer_took_part, attendees=attendees, learning=learning,
        late_reason=late_reason.strip(), recorded_by=_user(actor),
    )
    audit_record(actor=actor, action=AuditAction.CREATE, organisation=incident.organisation,
                 obj=record, summary=f"Reflection and learning review for {incident.reference}")
    return record


@transaction.atomic
def patient_account_record(
    *, actor: Actor, incident: Incident, offered_at: dt.datetime | None, response: str,
    account: str = "", late_reason: str = "", now: dt.datetime | None = None,
) -> PatientAccount:
    """Standard 1.6.IV: the offer is the duty; giving an account is never compulsory."""
    now = now or timezone.now()
    _require_role(actor, incident.organisation, "record", "patient_account_offer")
    _check_open(incident)
    problems: dict[str, list[str]] = {}
    if response not in codes.AccountResponse.values:
        problems["response"] = ["Say whether the patient accepted or declined"]
    duty = _open_duty(incident, ["patient_account_offer"])
    _raise_all(problems, _completion_problems(
        incident=incident, duty=duty, completed_at=offered_at, late_reason=late_reason, now=now,
        time_field="offered_at", reason_field="late_reason", what="offer",
    ))
    assert offered_at is not None  # _completion_problems refused None
    _meet(actor=actor, incident=incident, duty=duty, completed_at=offered_at,
          late_reason=late_reason, now=now)
    record = PatientAccount.objects.create(incident=incident, offered_at=offered_at,
                                           response=response, account=account,
                                           late_reason=late_reason.strip(),
                                           recorded_by=_user(actor))
    audit_record(actor=actor, action=AuditAction.CREATE, organisation=incident.organisation,
                 obj=record, summary=f"Patient's account offered for {incident.reference}")
    return record


@transaction.atomic
def review_record(
    *, actor: Actor, incident: Incident, kind: str, reviewed_at: dt.datetime | None, reviewer: str,
    notes: str, late_reason: str = "", now: dt.datetime | None = None,
) -> Review:
    """Seclusion, segregation and mechanical restraint reviews and the care plan review, each
    meeting the soonest open duty of the same kind."""
    now = now or timezone.now()
    known_kind = kind in codes.ReviewKind.values
    if known_kind:
        _require_role(actor, incident.organisation, "record", kind)
    _check_open(incident)
    problems: dict[str, list[str]] = {}
    if not known_kind:
        problems["kind"] = ["Choose which review this is"]
    if not reviewer.strip():
        problems["reviewer"] = ["Enter who carried out the review"]
    if not notes.strip():
        problems["notes"] = ["Record what the review found and decided"]
    duty = _open_duty(incident, [kind]) if known_kind else None
    _raise_all(problems, _completion_problems(
        incident=incident, duty=duty, completed_at=reviewed_at, late_reason=late_reason, now=now,
        time_field="reviewed_at", reason_field="late_reason", what="review",
    ))
    assert reviewed_at is not None  # _completion_problems refused None
    _meet(actor=actor, incident=incident, duty=duty, completed_at=reviewed_at,
          late_reason=late_reason, now=now)
    record = Review.objects.create(incident=incident, kind=kind, reviewed_at=reviewed_at,
                                   reviewer=reviewer.strip(), notes=notes,
                                   late_reason=late_reason.strip(), recorded_by=_user(actor))
    audit_record(actor=actor, action=AuditAction.CREATE, organisation=incident.organisation,
                 obj=record, summary=f"{record.get_kind_display()} for {incident.reference}")
    return record


@transaction.atomic
def duty_mark_not_required(*, actor: Actor, duty: Duty, reason: str) -> Duty:
    """E.g. seclusion authorised by a psychiatrist needs no first medical review. Only the
    duty's owner role or the restrictive practice lead may say so (ADR 7), with the reason."""
    _require_role(actor, duty.organisation, "not_required", duty.kind)
    if not reason.strip():
        raise ValidationError({"reason": ["Say why this duty is not required"]})
    if duty.completed_at is not None:
        raise ValidationError({"reason": ["This duty has already been done"]})
    duty.not_required_reason = reason.strip()
    duty.save(update_fields=["not_required_reason"])
    audit_record(actor=actor, action=AuditAction.CHANGE, organisation=duty.organisation, obj=duty,
                 summary=f"{duty.label} marked not required for {duty.incident.reference}",
                 after={"reason": duty.not_required_reason})
    return duty
