"""Competence per physical technique on a training session (issue 13: "competence per
technique: competent, not yet competent, excluded on health grounds"; standard 3.4.2.XXXIX).

The class form records one overall outcome per person; once the session is recorded the
trainer records, for each attendee, a result in each technique of the course's training manual
that was taught on the day (not withdrawn by then). The rules are in `result_problem`, a plain
function, so the page, the demo and any later API agree. Results hang on the training record:
a record marked entered in error takes them with it and they stop counting everywhere here.

As in services.py: keyword-only, every problem found before anything is written and raised as
one ValidationError naming each field, one transaction, audited in it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from rrp.audit.models import AuditAction
from rrp.audit.services import Actor, audit_record
from rrp.workforce.inputs import TechniqueResultInput
from rrp.workforce.models import (
    PHYSICAL_LEVELS,
    Outcome,
    PhysicalTechnique,
    StaffMember,
    TechniqueOutcome,
    TechniqueResult,
    TrainingRecord,
    TrainingSession,
)
from rrp.workforce.services import Problems, _add, _user

# What the matrix starts from: the attendee's overall outcome. Not yet competent overall says
# nothing about which technique fell short, so the trainer chooses (it starts "not assessed").
DEFAULT_FOR_OUTCOME: dict[str, str] = {
    Outcome.COMPETENT: TechniqueOutcome.COMPETENT,
    Outcome.NOT_YET_COMPETENT: TechniqueOutcome.NOT_ASSESSED,
    Outcome.EXCLUDED_HEALTH: TechniqueOutcome.EXCLUDED_HEALTH,
}


def field_name(record_id: int, technique_id: int) -> str:
    """The name of one cell of the matrix, in the service's problems and on the form."""
    return f"result_{record_id}_{technique_id}"


def result_problem(
    *, outcome: str, result: str, adjustments: str, person: str = "This person",
    technique: str = "this technique",
) -> str | None:
    """What is wrong with `result` in a technique for someone whose overall outcome in the
    session is `outcome`, or None.

    - Competent overall but not yet competent in a technique is refused: someone not safe in
      a technique they may use on the ward is not yet competent, and that needs the written
      plan to reach competence and the interim management plan, and tells the line manager
      (3.4.2.XXXIX). The trainer records them not yet competent overall, with the plans.
    - Competent overall but excluded from a technique on health grounds is allowed only when
      the record's adjustments say why (3.4.2.XV: reasonable adjustments for a health
      condition). That is what a trainer expects for, say, a knee injury that rules out
      kneeling holds while the person is competent in everything else; without the reason
      the exclusion cannot be explained later, so it is refused until it is written down.
    - Not yet competent or excluded overall: any result, since people who fell short overall
      are often competent in some techniques, and that is worth keeping.
    """
    if result not in TechniqueOutcome.values:
        return ("Choose competent, not yet competent, excluded on health grounds or not "
                "assessed")
    if outcome != Outcome.COMPETENT:
        return None
    if result == TechniqueOutcome.NOT_YET_COMPETENT:
        return (f"{person} is recorded competent overall: to record them not yet competent "
                f"in {technique}, record them not yet competent overall with the written plan "
                "and the interim management plan (standard 3.4.2.XXXIX)")
    if result == TechniqueOutcome.EXCLUDED_HEALTH and not adjustments.strip():
        return (f"{person} is recorded competent overall with no adjustments: excluding them "
                f"from {technique} on health grounds needs the adjustments on their training "
                "record to say why (standard 3.4.2.XV), or record them excluded overall")
    return None


def techniques_taught(session: TrainingSession) -> list[PhysicalTechnique]:
    """The course's techniques still in its training manual on the session day."""
    return [
        t for t in PhysicalTechnique.objects.filter(
            organisation=session.organisation, course=session.course_id
        ).order_by("name", "pk")
        if t.withdrawn_on is None or t.withdrawn_on > session.held_on
    ]


def attendees(session: TrainingSession) -> list[TrainingRecord]:
    """The session's records that count (not entered in error), by name."""
    return list(session.records.filter(entered_in_error_at__isnull=True)
                .select_related("staff").order_by("staff__name", "pk"))


def results_of(session: TrainingSession) -> dict[tuple[int, int], str]:
    """(record id, technique id) -> result, for the records that count."""
    return {
        (r.record_id, r.technique_id): r.result
        for r in TechniqueResult.objects.filter(
            organisation=session.organisation, record__session=session,
            record__entered_in_error_at__isnull=True,
        )
    }


def initial_results(session: TrainingSession) -> dict[tuple[int, int], str]:
    """What each cell of the matrix shows first: what is recorded, else the default from the
    attendee's overall outcome."""
    recorded = results_of(session)
    return {
        (record.pk, technique.pk): recorded.get(
            (record.pk, technique.pk),
            DEFAULT_FOR_OUTCOME.get(record.outcome, TechniqueOutcome.NOT_ASSESSED))
        for record in attendees(session) for technique in techniques_taught(session)
    }


def _label(result: str) -> str:
    return str(TechniqueOutcome(result).label)


@transaction.atomic
def technique_results_record(
    *, actor: Actor, session: TrainingSession, results: Iterable[TechniqueResultInput],
    now: dt.datetime | None = None,
) -> list[TechniqueResult]:
    """Record or correct the attendees' results in the session's techniques. Every cell is
    checked (problems named `result_<record>_<technique>`) before anything is written; what
    changed is audited as one event on the session, before and after by person and
    technique. Returns the session's results as they now stand."""
    now = now or timezone.now()
    taught = {t.pk: t for t in techniques_taught(session)}
    records = {r.pk: r for r in attendees(session)}
    problems: Problems = {}
    if not taught:
        _add(problems, "technique", f"{session.course.code} has no techniques in its training "
                                    "manual on the session day (standard 3.4.2.XXIV)")
    wanted: dict[tuple[int, int], str] = {}
    for item in results:
        name = field_name(item.record_id, item.technique_id)
        record = records.get(item.record_id)
        technique = taught.get(item.technique_id)
        if record is None:
            _add(problems, name, "Choose someone who attended this session")
            continue
        if technique is None:
            _add(problems, name, "Choose a technique taught at this session")
            continue
        problem = result_problem(outcome=record.outcome, result=item.result,
                                 adjustments=record.adjustments, person=record.staff.name,
                                 technique=technique.name)
        if problem:
            _add(problems, name, problem)
        wanted[(record.pk, technique.pk)] = item.result
    if problems:
        raise ValidationError(problems)

    existing = {
        (r.record_id, r.technique_id): r
        for r in TechniqueResult.objects.filter(record_id__in=records, technique_id__in=taught)
    }
    before: dict[str, str] = {}
    after: dict[str, str] = {}
    user = _user(actor)
    for (record_id, technique_id), result in wanted.items():
        key = f"{records[record_id].staff.name}: {taught[technique_id].name}"
        current = existing.get((record_id, technique_id))
        if current is not None and current.result == result:
            continue
        if current is None:
            TechniqueResult.objects.create(
                organisation=session.organisation, record_id=record_id,
                technique_id=technique_id, result=result, recorded_by=user, recorded_at=now)
        else:
            before[key] = _label(current.result)
            current.result = result
            current.recorded_by = user
            current.recorded_at = now
            current.save(update_fields=["result", "recorded_by", "recorded_at", "updated_at"])
        after[key] = _label(result)
    if after:
        audit_record(
            actor=actor, action=AuditAction.CHANGE, organisation=session.organisation,
            obj=session,
            summary=f"Competence by technique recorded for the {session.course.code} session "
                    f"of {session.held_on:%d/%m/%Y}: {len(after)} result"
                    f"{'' if len(after) == 1 else 's'}",
            before=before, after=after,
        )
    return list(TechniqueResult.objects.filter(record__session=session)
                .select_related("technique").order_by("record_id", "technique__name"))


# ---------------------------------------------------------------------------------------------
# Reads: a person's latest physical record, and the manual's counts of competent staff
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonCompetence:
    record: TrainingRecord
    competent: list[str]  # technique names
    not_competent: list[tuple[str, str]]  # (technique name, result or "Not recorded")


def person_competence(member: StaffMember) -> PersonCompetence | None:
    """For the person's latest physical or specialist record from a session (not entered in
    error): the techniques taught that day they are competent in, and the others with why."""
    record = (
        TrainingRecord.objects.filter(
            organisation=member.organisation, staff=member, session__isnull=False,
            entered_in_error_at__isnull=True, course__level__in=PHYSICAL_LEVELS,
        ).select_related("session__course").order_by("-completed_on", "-pk").first()
    )
    if record is None or record.session is None:
        return None
    taught = techniques_taught(record.session)
    if not taught:
        return None
    results = {r.technique_id: r.result for r in record.technique_results.all()}
    competent = [t.name for t in taught if results.get(t.pk) == TechniqueOutcome.COMPETENT]
    others = [
        (t.name, _label(results[t.pk]) if t.pk in results else "Not recorded")
        for t in taught if results.get(t.pk) != TechniqueOutcome.COMPETENT
    ]
    return PersonCompetence(record, competent, others)


def competent_counts(organisation: Any, course_id: int, day: dt.date) -> dict[int, int]:
    """Technique id -> how many people on the register on `day` are competent in it: their
    latest record of the course that counts is competent overall and in date on `day`, and
    records them competent in the technique. Someone whose training has run out, or whose
    latest assessment found them not yet competent, is not counted."""
    on_register = {
        m.pk for m in StaffMember.objects.filter(organisation=organisation) if m.works_on(day)
    }
    latest: dict[int, TrainingRecord] = {}
    for record in (TrainingRecord.objects.filter(
            organisation=organisation, course_id=course_id, entered_in_error_at__isnull=True,
            completed_on__lte=day).select_related("course").order_by("-completed_on", "-pk")):
        if record.staff_id in on_register:
            latest.setdefault(record.staff_id, record)
    in_date = [
        r.pk for r in latest.values()
        if r.outcome == Outcome.COMPETENT
        and (r.expires_on is None or r.expires_on >= day)
    ]
    counts: dict[int, int] = {}
    for technique_id in TechniqueResult.objects.filter(
            organisation=organisation, record_id__in=in_date,
            result=TechniqueOutcome.COMPETENT).values_list("technique_id", flat=True):
        counts[technique_id] = counts.get(technique_id, 0) + 1
    return counts

