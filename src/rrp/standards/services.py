"""Every change to compliance records: keyword-only functions, each in one transaction that
also writes the audit trail and, for a cycle, its own history.

A signed-off cycle is locked: its ratings, narratives, evidence and peer review can no longer
change, and later changes belong in a new cycle (which can start as a copy of it). Its action
plan stays live: recording progress on an action is delivering the plan, not re-assessing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import Resolver404, resolve
from django.utils import timezone

from rrp.audit.models import AuditAction
from rrp.audit.services import Actor, audit_changed, audit_created, audit_record, snapshot
from rrp.organisations.models import Membership, Organisation, Site, Ward
from rrp.organisations.roles import roles_allow
from rrp.organisations.selectors import roles_in
from rrp.standards import rules, storage
from rrp.standards.indicators import compute_for
from rrp.standards.loading import LoadResult, load_into
from rrp.standards.models import (
    ActionPlanItem,
    ActionProgressNote,
    ActionStatus,
    AssessmentCycle,
    AssessmentHistory,
    ComplianceStatement,
    CycleStatus,
    Evidence,
    EvidenceAttachment,
    EvidenceKind,
    HistoryKind,
    PeerReview,
    PeerReviewResponse,
    PeerReviewStatus,
    Rating,
    RecordKind,
    StandardsEdition,
    StatementAssessment,
    Verdict,
)
from rrp.standards.selectors import (
    display_name,
    indicator_period,
    is_member,
    latest_edition,
    may_own,
    open_peer_reviews,
    owners_of,
    unanswered_challenges,
    unrated_count,
)
from rrp.standards.uploads import DEFAULT_MAX_BYTES, UploadRejected, check_upload

ASSESSMENT_FIELDS = ("rating", "narrative", "owner_id", "na_rationale", "na_arrangements")


def max_upload_bytes() -> int:
    return int(getattr(settings, "RRP_EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


def _user(actor: Actor) -> Any:
    user = actor.user
    return user if user is not None and user.is_authenticated else None


def _actor_name(actor: Actor) -> str:
    user = _user(actor)
    return display_name(user) if user is not None else "RRP (system)"


def _history_entry(
    *,
    actor: Actor,
    cycle: AssessmentCycle,
    kind: str,
    summary: str,
    now: dt.datetime,
    assessment: StatementAssessment | None = None,
    changes: dict[str, Any] | None = None,
) -> AssessmentHistory:
    """An unsaved history entry, so that many can be written with one bulk_create."""
    return AssessmentHistory(
        cycle=cycle,
        assessment=assessment,
        occurred_at=now,
        actor=_user(actor),
        actor_name=_actor_name(actor),
        kind=kind,
        summary=summary[:300],
        changes=changes or {},
    )


def _recorded(
    *,
    actor: Actor,
    action: AuditAction,
    cycle: AssessmentCycle,
    obj: Any,
    kind: str,
    summary: str,
    now: dt.datetime,
    assessment: StatementAssessment | None = None,
    changes: dict[str, Any] | None = None,
    audit_summary: str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Write a change to the cycle's own history and to the audit trail together, so that
    the one can never be written without the other. The audit entry repeats `summary`
    unless it needs different words (`audit_summary`)."""
    _history_entry(
        actor=actor,
        cycle=cycle,
        assessment=assessment,
        kind=kind,
        summary=summary,
        now=now,
        changes=changes,
    ).save(force_insert=True)
    audit_record(
        actor=actor,
        action=action,
        organisation=cycle.organisation,
        obj=obj,
        summary=summary if audit_summary is None else audit_summary,
        before=before,
        after=after,
    )


def locked_message(cycle: AssessmentCycle) -> str:
    signed = cycle.signed_off_at.date() if cycle.signed_off_at else None
    when = f" on {signed.day} {signed:%B %Y}" if signed else ""
    return (
        f"{cycle.name} was signed off{when} and can no longer be changed. "
        "Start a new cycle to record changes"
    )


def _require_open(cycle: AssessmentCycle) -> None:
    if cycle.is_locked:
        raise ValidationError({"__all__": [locked_message(cycle)]})


def _require_rating_stage(cycle: AssessmentCycle) -> None:
    _require_open(cycle)
    if cycle.status == CycleStatus.PLANNED:
        raise ValidationError(
            {"__all__": ["Start the assessment before rating statements or adding evidence"]}
        )


def _require_owner(user: Any, organisation: Organisation, field: str, what: str) -> None:
    if user is not None and not may_own(user, organisation):
        raise ValidationError(
            {
                field: [
                    f"The {what} must be someone in {organisation.name} who can see the "
                    "compliance pages"
                ]
            }
        )


# -- editions ----------------------------------------------------------------------------------


@transaction.atomic
def edition_load(*, actor: Actor, code: str) -> LoadResult:
    """Load an edition's data file beside those already loaded (idempotent)."""
    try:
        result = load_into(StandardsEdition, ComplianceStatement, code)
    except (LookupError, ValueError) as error:
        raise ValidationError({"edition": [str(error)]}) from None
    if result.created:
        audit_record(
            actor=actor,
            action=AuditAction.IMPORT,
            organisation=None,
            object_type="standards.standardsedition",
            object_id=code,
            summary=f"Standards edition {code} loaded: {result.statements} statements",
        )
    return result


# -- cycles ------------------------------------------------------------------------------------


def _check_scope(organisation: Organisation, sites: Sequence[Site], wards: Sequence[Ward]) -> None:
    if any(site.organisation_id != organisation.pk for site in sites):
        raise ValidationError({"scope_sites": ["Choose sites of your own organisation"]})
    if any(ward.organisation_id != organisation.pk for ward in wards):
        raise ValidationError({"scope_wards": ["Choose wards of your own organisation"]})


def _check_cycle_fields(
    organisation: Organisation,
    name: str,
    period_start: dt.date,
    period_end: dt.date,
    exclude_pk: int | None = None,
) -> None:
    problems: dict[str, list[str]] = {}
    if not name.strip():
        problems["name"] = ["Enter a name for the cycle, like 2026/27 annual"]
    elif (
        AssessmentCycle.objects.filter(organisation=organisation, name__iexact=name.strip())
        .exclude(pk=exclude_pk or 0)
        .exists()
    ):
        problems["name"] = [f"A cycle called {name.strip()} already exists. Choose another name"]
    if period_end < period_start:
        problems["period_end"] = ["The end of the period must be on or after its start"]
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def cycle_create(
    *,
    actor: Actor,
    organisation: Organisation,
    name: str,
    period_start: dt.date,
    period_end: dt.date,
    edition: StandardsEdition | None = None,
    scope_sites: Sequence[Site] = (),
    scope_wards: Sequence[Ward] = (),
    copy_from: AssessmentCycle | None = None,
    now: dt.datetime | None = None,
) -> AssessmentCycle:
    """Plan a cycle with one assessment per statement of the edition; with `copy_from`,
    each starts from the earlier cycle's rating, narrative, owner and evidence."""
    now = now or timezone.now()
    edition = edition or latest_edition()
    if edition is None:
        raise ValidationError(
            {"edition": ["No edition of the standard is loaded: run rrp standards load"]}
        )
    _check_cycle_fields(organisation, name, period_start, period_end)
    _check_scope(organisation, scope_sites, scope_wards)
    if copy_from is not None and copy_from.organisation_id != organisation.pk:
        raise ValidationError({"copy_from": ["Choose one of your own organisation's cycles"]})
    cycle = AssessmentCycle.objects.create(
        organisation=organisation,
        edition=edition,
        name=name.strip(),
        period_start=period_start,
        period_end=period_end,
        copied_from=copy_from,
        created_at=now,
        created_by=_user(actor),
    )
    cycle.scope_sites.set(scope_sites)
    cycle.scope_wards.set(scope_wards)
    statements = list(ComplianceStatement.objects.filter(edition=edition).order_by("position"))
    earlier: dict[str, StatementAssessment] = {}
    if copy_from is not None:
        earlier = {
            a.statement.ref: a
            for a in StatementAssessment.objects.filter(cycle=copy_from).select_related("statement")
        }
    assessments = []
    for statement in statements:
        source = earlier.get(statement.ref)
        assessments.append(
            StatementAssessment(
                cycle=cycle,
                statement=statement,
                rating=source.rating if source else "",
                narrative=source.narrative if source else "",
                owner_id=source.owner_id if source else None,
                na_rationale=source.na_rationale if source else "",
                na_arrangements=source.na_arrangements if source else "",
                carried_forward=bool(source and source.rating),
            )
        )
    StatementAssessment.objects.bulk_create(assessments)
    copied = 0
    if copy_from is not None:
        created = {
            a.statement.ref: a
            for a in StatementAssessment.objects.filter(cycle=cycle).select_related("statement")
        }
        attachments = []
        history = []
        for ref, source in earlier.items():
            target = created.get(ref)
            if target is None:
                continue  # the new edition has no such statement
            if source.rating:
                copied += 1
                history.append(
                    _history_entry(
                        actor=actor,
                        cycle=cycle,
                        assessment=target,
                        kind=HistoryKind.CARRIED_FORWARD,
                        summary=f"Carried forward from {copy_from.name}: "
                        f"{rules.RATING_LABELS[source.rating]}",
                        now=now,
                        changes={"rating": ["", source.rating]},
                    )
                )
            for attachment in source.attachments.filter(
                removed_at__isnull=True, evidence__withdrawn_at__isnull=True
            ):
                attachments.append(
                    EvidenceAttachment(
                        assessment=target,
                        evidence_id=attachment.evidence_id,
                        added_at=now,
                        added_by=_user(actor),
                    )
                )
        EvidenceAttachment.objects.bulk_create(attachments)
        AssessmentHistory.objects.bulk_create(history)
    summary = f"Assessment cycle {cycle.name} planned"
    if copy_from is not None:
        summary += f", copying {copied} ratings from {copy_from.name}"
    _recorded(
        actor=actor,
        action=AuditAction.CREATE,
        cycle=cycle,
        obj=cycle,
        kind=HistoryKind.CYCLE,
        summary=summary,
        now=now,
        after=snapshot(cycle),
    )
    return cycle


@transaction.atomic
def cycle_update(
    *,
    actor: Actor,
    cycle: AssessmentCycle,
    name: str,
    period_start: dt.date,
    period_end: dt.date,
    scope_sites: Sequence[Site] = (),
    scope_wards: Sequence[Ward] = (),
    now: dt.datetime | None = None,
) -> AssessmentCycle:
    now = now or timezone.now()
    _require_open(cycle)
    organisation = cycle.organisation
    _check_cycle_fields(organisation, name, period_start, period_end, exclude_pk=cycle.pk)
    _check_scope(organisation, scope_sites, scope_wards)
    before = {
        **snapshot(cycle),
        "scope_sites": sorted(s.pk for s in cycle.scope_sites.all()),
        "scope_wards": sorted(w.pk for w in cycle.scope_wards.all()),
    }
    cycle.name = name.strip()
    cycle.period_start = period_start
    cycle.period_end = period_end
    cycle.save()
    cycle.scope_sites.set(scope_sites)
    cycle.scope_wards.set(scope_wards)
    after = {
        **snapshot(cycle),
        "scope_sites": sorted(s.pk for s in scope_sites),
        "scope_wards": sorted(w.pk for w in scope_wards),
    }
    changes = {k: [before[k], after[k]] for k in after if before.get(k) != after[k]}
    _recorded(
        actor=actor,
        action=AuditAction.CHANGE,
        cycle=cycle,
        obj=cycle,
        kind=HistoryKind.CYCLE,
        summary=f"Cycle details changed: {', '.join(changes) or 'no change'}",
        now=now,
        changes=changes,
        audit_summary=f"Assessment cycle {cycle.name} changed",
        before=before,
        after=after,
    )
    return cycle


def _move(
    *, actor: Actor, cycle: AssessmentCycle, target: str, summary: str, now: dt.datetime
) -> None:
    if not rules.can_move(cycle.status, target):
        current = CycleStatus(cycle.status).label.lower()
        wanted = CycleStatus(target).label.lower()
        raise ValidationError(
            {"__all__": [f"A cycle that is {current} cannot be moved to {wanted}"]}
        )
    before = cycle.status
    cycle.status = target
    cycle.save()
    _recorded(
        actor=actor,
        action=AuditAction.CHANGE,
        cycle=cycle,
        obj=cycle,
        kind=HistoryKind.CYCLE,
        summary=summary,
        now=now,
        changes={"status": [before, target]},
        before={"status": before},
        after={"status": target},
    )


@transaction.atomic
def cycle_start(
    *, actor: Actor, cycle: AssessmentCycle, now: dt.datetime | None = None
) -> AssessmentCycle:
    now = now or timezone.now()
    cycle.started_at = now
    _move(
        actor=actor,
        cycle=cycle,
        target=CycleStatus.IN_PROGRESS,
        summary=f"Assessment {cycle.name} started",
        now=now,
    )
    return cycle


@transaction.atomic
def cycle_submit_for_review(
    *, actor: Actor, cycle: AssessmentCycle, now: dt.datetime | None = None
) -> AssessmentCycle:
    now = now or timezone.now()
    problems = submission_blockers(cycle)
    if problems:
        raise ValidationError({"__all__": problems})
    cycle.submitted_at = now
    cycle.submitted_by = _user(actor)
    _move(
        actor=actor,
        cycle=cycle,
        target=CycleStatus.IN_REVIEW,
        summary=f"Assessment {cycle.name} submitted for review",
        now=now,
    )
    return cycle


def submission_blockers(cycle: AssessmentCycle) -> list[str]:
    if cycle.status != CycleStatus.IN_PROGRESS:
        return ["Only an assessment in progress can be submitted for review"]
    return rules.submission_problems(unrated=unrated_count(cycle))


@transaction.atomic
def cycle_return_for_changes(
    *, actor: Actor, cycle: AssessmentCycle, reason: str, now: dt.datetime | None = None
) -> AssessmentCycle:
    now = now or timezone.now()
    if not reason.strip():
        raise ValidationError({"reason": ["Say what needs to change before it is signed off"]})
    _move(
        actor=actor,
        cycle=cycle,
        target=CycleStatus.IN_PROGRESS,
        summary=f"Returned for changes: {reason.strip()}",
        now=now,
    )
    return cycle


def sign_off_blockers(cycle: AssessmentCycle) -> list[str]:
    return rules.sign_off_problems(
        status=cycle.status,
        unanswered_challenges=unanswered_challenges(cycle).count(),
        open_peer_reviews=open_peer_reviews(cycle).count(),
    )


@transaction.atomic
def cycle_sign_off(
    *, actor: Actor, cycle: AssessmentCycle, statement: str, now: dt.datetime | None = None
) -> AssessmentCycle:
    """The executive lead signs the self-assessment off; it is locked from then on and its
    live indicator figures are frozen as they stood."""
    now = now or timezone.now()
    user = _user(actor)
    if user is None or not roles_allow(roles_in(user, cycle.organisation), "standards.sign_off"):
        raise PermissionDenied("Only the executive lead can sign off a self-assessment")
    problems: dict[str, list[str]] = {}
    blockers = sign_off_blockers(cycle)
    if blockers:
        problems["__all__"] = blockers
    if not statement.strip():
        problems["statement"] = ["Enter the sign-off statement for the board"]
    if problems:
        raise ValidationError(problems)
    frozen: dict[str, list[dict[str, Any]]] = {}
    for assessment in StatementAssessment.objects.filter(cycle=cycle).select_related("statement"):
        period = indicator_period(cycle, section=assessment.statement.section, now=now)
        figures = compute_for(assessment.statement.ref, cycle.organisation, period)
        if figures:
            frozen[assessment.statement.ref] = [figure.as_dict() for figure in figures]
    cycle.indicators_at_sign_off = frozen
    cycle.signed_off_at = now
    cycle.signed_off_by = user
    cycle.sign_off_statement = statement.strip()
    _move(
        actor=actor,
        cycle=cycle,
        target=CycleStatus.SIGNED_OFF,
        summary=f"Assessment {cycle.name} signed off by {display_name(user)}",
        now=now,
    )
    return cycle


# -- statement assessments ---------------------------------------------------------------------


def _assessment_values(assessment: StatementAssessment) -> dict[str, Any]:
    return {name: getattr(assessment, name) for name in ASSESSMENT_FIELDS}


def _apply_assessment(
    *,
    actor: Actor,
    assessment: StatementAssessment,
    rating: str,
    narrative: str,
    owner: Any,
    na_rationale: str,
    na_arrangements: str,
    now: dt.datetime,
    kind: str,
) -> bool:
    """Validate and save one assessment; True when something changed."""
    cycle = assessment.cycle
    problems = rules.assessment_problems(
        rating=rating,
        narrative=narrative,
        na_rationale=na_rationale,
        na_arrangements=na_arrangements,
    )
    if problems:
        raise ValidationError(problems)
    _require_owner(owner, cycle.organisation, "owner", "owner")
    if rating != Rating.NOT_APPLICABLE:
        # The rationale belongs to a not applicable rating only; history keeps the old text.
        na_rationale = na_arrangements = ""
    before = _assessment_values(assessment)
    assessment.rating = rating
    assessment.narrative = narrative.strip()
    assessment.owner = owner
    assessment.na_rationale = na_rationale.strip()
    assessment.na_arrangements = na_arrangements.strip()
    after = _assessment_values(assessment)
    changes = {
        name: [before[name], after[name]]
        for name in ASSESSMENT_FIELDS
        if before[name] != after[name]
    }
    was_carried = assessment.carried_forward
    if not changes and not was_carried:
        return False
    assessment.carried_forward = False
    assessment.version += 1
    assessment.updated_at = now
    assessment.updated_by = _user(actor)
    assessment.save()
    ref = assessment.statement.ref
    if changes:
        label = rules.RATING_LABELS[rating]
        summary = f"{ref} rated {label.lower()}" if "rating" in changes else f"{ref} updated"
        if set(changes) - {"rating"}:
            fields = ", ".join(
                {
                    "narrative": "narrative",
                    "owner_id": "owner",
                    "na_rationale": "rationale",
                    "na_arrangements": "alternative arrangements",
                }[f]
                for f in changes
                if f != "rating"
            )
            summary += f" ({fields} changed)"
    else:
        summary = f"{ref}: carried-forward assessment confirmed"
    _recorded(
        actor=actor,
        action=AuditAction.CHANGE,
        cycle=cycle,
        obj=assessment,
        assessment=assessment,
        kind=kind,
        summary=summary,
        now=now,
        changes=changes,
        audit_summary=f"{cycle.name}: {summary}",
        before=before,
        after=after,
    )
    return True


@transaction.atomic
def assessment_update(
    *,
    actor: Actor,
    assessment: StatementAssessment,
    rating: str,
    narrative: str = "",
    owner: Any = None,
    na_rationale: str = "",
    na_arrangements: str = "",
    now: dt.datetime | None = None,
) -> StatementAssessment:
    _require_rating_stage(assessment.cycle)
    _apply_assessment(
        actor=actor,
        assessment=assessment,
        rating=rating,
        narrative=narrative,
        owner=owner,
        na_rationale=na_rationale,
        na_arrangements=na_arrangements,
        now=now or timezone.now(),
        kind=HistoryKind.ASSESSMENT,
    )
    return assessment


# -- evidence ----------------------------------------------------------------------------------


def _check_evidence_fields(organisation: Organisation, title: str, owner: Any) -> None:
    if not title.strip():
        raise ValidationError({"title": ["Enter a title for the evidence"]})
    _require_owner(owner, organisation, "owner", "evidence owner")


def _evidence_created(actor: Actor, evidence: Evidence) -> Evidence:
    audit_created(
        actor=actor,
        organisation=evidence.organisation,
        obj=evidence,
        summary=f"Evidence {evidence.reference} added: {evidence.title}",
    )
    return evidence


@transaction.atomic
def evidence_upload(
    *,
    actor: Actor,
    organisation: Organisation,
    upload: BinaryIO,
    filename: str,
    size: int,
    title: str,
    description: str = "",
    owner: Any = None,
    review_on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Evidence:
    """Check the file from its content, store it under a random name and keep its hash."""
    now = now or timezone.now()
    _check_evidence_fields(organisation, title, owner)
    try:
        accepted = check_upload(filename, upload, size, max_bytes=max_upload_bytes())
    except UploadRejected as rejected:
        raise ValidationError({"upload": [str(rejected)]}) from None
    stored = storage.store(upload, organisation_id=organisation.pk)
    try:
        evidence = Evidence.objects.create(
            organisation=organisation,
            kind=EvidenceKind.FILE,
            title=title.strip(),
            description=description.strip(),
            owner=owner,
            review_on=review_on,
            original_name=_clean_filename(filename),
            stored_name=stored.stored_name,
            content_type=accepted.content_type,
            size=stored.size,
            sha256=stored.sha256,
            created_at=now,
            created_by=_user(actor),
        )
        return _evidence_created(actor, evidence)
    except Exception:
        # Nothing refers to the file if the record could not be written: do not keep it.
        storage.path_of(stored.stored_name).unlink(missing_ok=True)
        raise


def _clean_filename(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(ch for ch in base if ch.isprintable() and ch not in '"<>:|?*')
    return cleaned.strip()[:255] or "evidence"


@transaction.atomic
def evidence_link_create(
    *,
    actor: Actor,
    organisation: Organisation,
    url: str,
    title: str,
    description: str = "",
    owner: Any = None,
    review_on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Evidence:
    now = now or timezone.now()
    _check_evidence_fields(organisation, title, owner)
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ValidationError({"url": ["Enter a web address starting with https://"]})
    evidence = Evidence(
        organisation=organisation,
        kind=EvidenceKind.LINK,
        title=title.strip(),
        description=description.strip(),
        owner=owner,
        review_on=review_on,
        url=url.strip(),
        created_at=now,
        created_by=_user(actor),
    )
    try:
        evidence.full_clean(exclude=["organisation", "created_by", "owner"])
    except ValidationError as error:
        raise ValidationError(
            {"url": ["Enter a real web address, like https://www.example.nhs.uk/policy"]}
        ) from error
    evidence.save()
    return _evidence_created(actor, evidence)


def check_record_path(path: str) -> str:
    """An address inside this RRP (like /dashboards/?ward=OAK), never another site."""
    path = path.strip()
    parts = urlsplit(path)
    # Browsers read "/\\host" like "//host" (another site), so backslashes and control
    # characters are refused outright.
    unsafe = "\\" in path or any(ord(ch) < 32 for ch in path)
    if unsafe or not path.startswith("/") or path.startswith("//") or parts.scheme or parts.netloc:
        raise ValidationError(
            {"record_path": ["Enter an address in RRP starting with /, like /dashboards/"]}
        )
    try:
        resolve(parts.path)
    except Resolver404:
        raise ValidationError(
            {"record_path": ["There is no page at that address in RRP"]}
        ) from None
    return path


@transaction.atomic
def evidence_record_create(
    *,
    actor: Actor,
    organisation: Organisation,
    record_kind: str,
    record_path: str,
    title: str,
    description: str = "",
    owner: Any = None,
    review_on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Evidence:
    now = now or timezone.now()
    _check_evidence_fields(organisation, title, owner)
    if record_kind not in RecordKind.values:
        raise ValidationError({"record_kind": ["Choose what kind of record it is"]})
    evidence = Evidence.objects.create(
        organisation=organisation,
        kind=EvidenceKind.RECORD,
        title=title.strip(),
        description=description.strip(),
        owner=owner,
        review_on=review_on,
        record_kind=record_kind,
        record_path=check_record_path(record_path),
        created_at=now,
        created_by=_user(actor),
    )
    return _evidence_created(actor, evidence)


@transaction.atomic
def evidence_update(
    *,
    actor: Actor,
    evidence: Evidence,
    title: str,
    description: str = "",
    owner: Any = None,
    review_on: dt.date | None = None,
) -> Evidence:
    if evidence.is_withdrawn:
        raise ValidationError({"__all__": ["Withdrawn evidence cannot be changed"]})
    _check_evidence_fields(evidence.organisation, title, owner)
    before = snapshot(evidence)
    evidence.title = title.strip()
    evidence.description = description.strip()
    evidence.owner = owner
    evidence.review_on = review_on
    evidence.save()
    audit_changed(
        actor=actor,
        organisation=evidence.organisation,
        obj=evidence,
        summary=f"Evidence {evidence.reference} changed",
        before=before,
    )
    return evidence


@transaction.atomic
def evidence_withdraw(
    *, actor: Actor, evidence: Evidence, reason: str, now: dt.datetime | None = None
) -> Evidence:
    """Evidence is never deleted. Withdrawn evidence leaves the cycles still open; signed-off
    cycles keep it, as they were signed off with it."""
    now = now or timezone.now()
    if not reason.strip():
        raise ValidationError({"reason": ["Say why the evidence is being withdrawn"]})
    if evidence.is_withdrawn:
        raise ValidationError({"__all__": ["This evidence has already been withdrawn"]})
    evidence.withdrawn_at = now
    evidence.withdrawn_reason = reason.strip()
    evidence.save()
    open_attachments = (
        EvidenceAttachment.objects.filter(evidence=evidence, removed_at__isnull=True)
        .exclude(assessment__cycle__status=CycleStatus.SIGNED_OFF)
        .select_related("assessment__cycle", "assessment__statement")
    )
    for attachment in open_attachments:
        _detach(
            actor=actor,
            attachment=attachment,
            now=now,
            summary=f"Evidence {evidence.reference} withdrawn: {evidence.withdrawn_reason}",
        )
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        organisation=evidence.organisation,
        obj=evidence,
        summary=f"Evidence {evidence.reference} withdrawn",
        after={"withdrawn_reason": evidence.withdrawn_reason},
    )
    return evidence


@transaction.atomic
def evidence_attach(
    *,
    actor: Actor,
    assessment: StatementAssessment,
    evidence: Evidence,
    now: dt.datetime | None = None,
) -> EvidenceAttachment:
    now = now or timezone.now()
    cycle = assessment.cycle
    _require_rating_stage(cycle)
    if evidence.organisation_id != cycle.organisation_id:
        raise ValidationError({"evidence": ["Choose evidence of your own organisation"]})
    if evidence.is_withdrawn:
        raise ValidationError({"evidence": ["That evidence has been withdrawn"]})
    if EvidenceAttachment.objects.filter(
        assessment=assessment, evidence=evidence, removed_at__isnull=True
    ).exists():
        raise ValidationError(
            {"evidence": [f"{evidence.title} is already evidence for this statement"]}
        )
    try:
        with transaction.atomic():
            attachment = EvidenceAttachment.objects.create(
                assessment=assessment, evidence=evidence, added_at=now, added_by=_user(actor)
            )
    except IntegrityError:
        raise ValidationError(
            {"evidence": [f"{evidence.title} is already evidence for this statement"]}
        ) from None
    ref = assessment.statement.ref
    summary = f"{ref}: evidence {evidence.reference} added ({evidence.title})"
    _recorded(
        actor=actor,
        action=AuditAction.CREATE,
        cycle=cycle,
        obj=attachment,
        assessment=assessment,
        kind=HistoryKind.EVIDENCE_ADDED,
        summary=summary,
        now=now,
        audit_summary=f"{cycle.name}: {summary}",
    )
    return attachment


def _detach(
    *, actor: Actor, attachment: EvidenceAttachment, now: dt.datetime, summary: str
) -> None:
    attachment.removed_at = now
    attachment.removed_by = _user(actor)
    attachment.save()
    assessment = attachment.assessment
    _recorded(
        actor=actor,
        action=AuditAction.CHANGE,
        cycle=assessment.cycle,
        obj=attachment,
        assessment=assessment,
        kind=HistoryKind.EVIDENCE_REMOVED,
        summary=f"{assessment.statement.ref}: {summary}",
        now=now,
        audit_summary=f"{assessment.cycle.name}: {assessment.statement.ref}: {summary}",
    )


@transaction.atomic
def evidence_detach(
    *, actor: Actor, attachment: EvidenceAttachment, now: dt.datetime | None = None
) -> EvidenceAttachment:
    _require_rating_stage(attachment.assessment.cycle)
    if attachment.removed_at is not None:
        raise ValidationError({"__all__": ["This evidence was already removed"]})
    evidence = attachment.evidence
    _detach(
        actor=actor,
        attachment=attachment,
        now=now or timezone.now(),
        summary=f"evidence {evidence.reference} removed ({evidence.title})",
    )
    return attachment


# -- action plan -------------------------------------------------------------------------------


def _check_action_fields(
    organisation: Organisation,
    description: str,
    owner: Any,
    due_on: dt.date | None,
    today: dt.date,
) -> None:
    problems: dict[str, list[str]] = {}
    if not description.strip():
        problems["description"] = ["Describe the action to be taken"]
    if owner is None:
        problems["owner"] = ["Choose who owns the action"]
    elif not may_own(owner, organisation):
        problems["owner"] = [
            f"The owner must be someone in {organisation.name} who can see the compliance pages"
        ]
    if due_on is None:
        problems["due_on"] = ["Enter the date the action is due"]
    elif due_on < today:
        problems["due_on"] = ["The due date must be today or in the future"]
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def action_raise(
    *,
    actor: Actor,
    assessment: StatementAssessment,
    description: str,
    owner: Any,
    due_on: dt.date | None,
    now: dt.datetime | None = None,
) -> ActionPlanItem:
    now = now or timezone.now()
    cycle = assessment.cycle
    _require_rating_stage(cycle)
    if not rules.can_raise_action(assessment.rating):
        raise ValidationError(
            {"__all__": ["Actions are raised from statements rated partially met or not met"]}
        )
    _check_action_fields(
        cycle.organisation, description, owner, due_on, timezone.localtime(now).date()
    )
    assert due_on is not None
    action = ActionPlanItem.objects.create(
        organisation=cycle.organisation,
        statement=assessment.statement,
        raised_in=cycle,
        assessment=assessment,
        description=description.strip(),
        owner=owner,
        due_on=due_on,
        created_at=now,
        created_by=_user(actor),
    )
    summary = (
        f"{assessment.statement.ref}: action {action.reference} raised for "
        f"{display_name(owner)}, due {due_on.isoformat()}"
    )
    _recorded(
        actor=actor,
        action=AuditAction.CREATE,
        cycle=cycle,
        obj=action,
        assessment=assessment,
        kind=HistoryKind.ACTION,
        summary=summary,
        now=now,
        after=snapshot(action),
    )
    return action


@transaction.atomic
def action_update(
    *,
    actor: Actor,
    action: ActionPlanItem,
    description: str,
    owner: Any,
    due_on: dt.date | None,
    now: dt.datetime | None = None,
) -> ActionPlanItem:
    now = now or timezone.now()
    if not action.is_open:
        raise ValidationError({"__all__": ["This action is closed and can no longer be changed"]})
    today = timezone.localtime(now).date()
    # An existing due date may already be past (that is what overdue means); moving it must
    # not put it further into the past.
    earliest = min(today, action.due_on)
    _check_action_fields(action.organisation, description, owner, due_on, earliest)
    before = snapshot(action)
    action.description = description.strip()
    action.owner = owner
    assert due_on is not None
    action.due_on = due_on
    action.save()
    after = snapshot(action)
    _recorded(
        actor=actor,
        action=AuditAction.CHANGE,
        cycle=action.assessment.cycle,
        obj=action,
        assessment=action.assessment,
        kind=HistoryKind.ACTION,
        summary=f"Action {action.reference} changed",
        now=now,
        changes={k: [before[k], v] for k, v in after.items() if before[k] != v},
        before=before,
        after=after,
    )
    return action


@transaction.atomic
def action_progress_record(
    *,
    actor: Actor,
    action: ActionPlanItem,
    note: str,
    status: str,
    now: dt.datetime | None = None,
) -> ActionProgressNote:
    """Progress on an action, by its owner or the lead. Allowed after the cycle it came from
    was signed off: delivering the plan goes on after the assessment."""
    now = now or timezone.now()
    if not action.is_open:
        raise ValidationError(
            {"__all__": ["This action is closed; raise a new one if more is needed"]}
        )
    problems: dict[str, list[str]] = {}
    if not note.strip():
        problems["note"] = ["Describe the progress made"]
    if status not in ActionStatus.values:
        problems["status"] = ["Choose the status of the action"]
    if problems:
        raise ValidationError(problems)
    progress = ActionProgressNote.objects.create(
        action=action, note=note.strip(), status=status, recorded_at=now, recorded_by=_user(actor)
    )
    before = action.status
    action.status = status
    action.completed_on = timezone.localtime(now).date() if status == ActionStatus.DONE else None
    action.save()
    _recorded(
        actor=actor,
        action=AuditAction.CHANGE,
        cycle=action.raised_in,
        obj=action,
        assessment=action.assessment,
        kind=HistoryKind.ACTION,
        summary=f"Action {action.reference}: progress recorded "
        f"({ActionStatus(status).label.lower()})",
        now=now,
        changes={"status": [before, status]} if before != status else {},
        before={"status": before},
        after={"status": status, "note": progress.note},
    )
    return progress


def may_record_progress(user: Any, action: ActionPlanItem, roles: frozenset[str]) -> bool:
    return action.owner_id == getattr(user, "pk", None) or roles_allow(
        roles, "standards.manage_assessment"
    )


# -- peer review -------------------------------------------------------------------------------


def _reviewer_organisation(reviewer: Any, assessing: Organisation) -> Organisation:
    membership = (
        Membership.objects.filter(user=reviewer, is_active=True)
        .exclude(organisation=assessing)
        .select_related("organisation")
        .order_by("organisation__name")
        .first()
    )
    if membership is None or is_member(reviewer, assessing):
        raise ValidationError(
            {
                "reviewer": [
                    "Choose a reviewer from another organisation: a peer review is "
                    "done by someone outside your organisation"
                ]
            }
        )
    return membership.organisation


@transaction.atomic
def peer_review_invite(
    *,
    actor: Actor,
    cycle: AssessmentCycle,
    reviewer: Any,
    message: str = "",
    respond_by: dt.date | None = None,
    now: dt.datetime | None = None,
) -> PeerReview:
    """standard 1.15.III: invite a named person from another provider to review one cycle."""
    now = now or timezone.now()
    _require_open(cycle)
    if cycle.status not in (CycleStatus.IN_PROGRESS, CycleStatus.IN_REVIEW):
        raise ValidationError({"__all__": ["Start the assessment before inviting a peer reviewer"]})
    if reviewer is None:
        raise ValidationError({"reviewer": ["Choose who will review the assessment"]})
    reviewer_organisation = _reviewer_organisation(reviewer, cycle.organisation)
    if PeerReview.objects.filter(
        cycle=cycle,
        reviewer=reviewer,
        status__in=[PeerReviewStatus.INVITED, PeerReviewStatus.SIGNED_OFF],
    ).exists():
        raise ValidationError(
            {"reviewer": [f"{display_name(reviewer)} is already reviewing this cycle"]}
        )
    if respond_by is not None and respond_by < timezone.localtime(now).date():
        raise ValidationError({"respond_by": ["The date to respond by must be today or later"]})
    review = PeerReview.objects.create(
        cycle=cycle,
        reviewer=reviewer,
        reviewer_organisation=reviewer_organisation,
        message=message.strip(),
        respond_by=respond_by,
        invited_at=now,
        invited_by=_user(actor),
    )
    summary = (
        f"{display_name(reviewer)} of {reviewer_organisation.name} invited to peer "
        f"review {cycle.name}"
    )
    _recorded(
        actor=actor,
        action=AuditAction.CREATE,
        cycle=cycle,
        obj=review,
        kind=HistoryKind.PEER_REVIEW,
        summary=summary,
        now=now,
        after=snapshot(review),
    )
    return review


def _close_review(
    *, actor: Actor, review: PeerReview, status: str, reason: str, verb: str, now: dt.datetime
) -> PeerReview:
    if review.status != PeerReviewStatus.INVITED:
        raise ValidationError({"__all__": ["Only an open peer review can be " + verb]})
    review.status = status
    review.closed_at = now
    review.closed_reason = reason.strip()
    review.save()
    summary = f"Peer review by {display_name(review.reviewer)} {verb}"
    if reason.strip():
        summary += f": {reason.strip()}"
    _recorded(
        actor=actor,
        action=AuditAction.CHANGE,
        cycle=review.cycle,
        obj=review,
        kind=HistoryKind.PEER_REVIEW,
        summary=summary,
        now=now,
        after={"status": status},
    )
    return review


@transaction.atomic
def peer_review_withdraw(
    *, actor: Actor, review: PeerReview, reason: str = "", now: dt.datetime | None = None
) -> PeerReview:
    return _close_review(
        actor=actor,
        review=review,
        status=PeerReviewStatus.WITHDRAWN,
        reason=reason,
        verb="withdrawn",
        now=now or timezone.now(),
    )


def _require_reviewer(actor: Actor, review: PeerReview) -> None:
    if _user(actor) is None or review.reviewer_id != _user(actor).pk:
        raise PermissionDenied("Only the invited reviewer can do this")


@transaction.atomic
def peer_review_decline(
    *, actor: Actor, review: PeerReview, reason: str = "", now: dt.datetime | None = None
) -> PeerReview:
    _require_reviewer(actor, review)
    return _close_review(
        actor=actor,
        review=review,
        status=PeerReviewStatus.DECLINED,
        reason=reason,
        verb="declined",
        now=now or timezone.now(),
    )


@transaction.atomic
def peer_review_respond(
    *,
    actor: Actor,
    review: PeerReview,
    assessment: StatementAssessment,
    verdict: str,
    comment: str = "",
    now: dt.datetime | None = None,
) -> PeerReviewResponse:
    now = now or timezone.now()
    _require_reviewer(actor, review)
    if review.status != PeerReviewStatus.INVITED:
        raise ValidationError(
            {"__all__": ["You have signed off this peer review; it can no longer change"]}
        )
    if assessment.cycle_id != review.cycle_id:
        raise ValidationError(
            {"__all__": ["That statement is not part of the cycle you are reviewing"]}
        )
    _require_open(review.cycle)
    problems: dict[str, list[str]] = {}
    if verdict not in Verdict.values:
        problems["verdict"] = ["Choose whether you agree with the assessment or challenge it"]
    elif verdict == Verdict.CHALLENGE and not comment.strip():
        problems["comment"] = ["Explain what you challenge and why"]
    if problems:
        raise ValidationError(problems)
    response = PeerReviewResponse.objects.filter(peer_review=review, assessment=assessment).first()
    before = snapshot(response) if response else None
    if response is None:
        response = PeerReviewResponse(peer_review=review, assessment=assessment)
    elif response.answer and (verdict != response.verdict or comment.strip() != response.comment):
        # A changed challenge needs answering again; the old answer stays in the audit trail.
        response.answer = ""
        response.answered_at = None
        response.answered_by = None
    response.verdict = verdict
    response.comment = comment.strip()
    response.responded_at = now
    response.save()
    ref = assessment.statement.ref
    view = "agrees" if verdict == Verdict.AGREE else "challenges the assessment"
    _recorded(
        actor=actor,
        action=AuditAction.CREATE if before is None else AuditAction.CHANGE,
        cycle=review.cycle,
        obj=response,
        assessment=assessment,
        kind=HistoryKind.PEER_REVIEW,
        summary=f"{ref}: peer reviewer {display_name(review.reviewer)} {view}",
        now=now,
        changes={"comment": [before["comment"] if before else "", response.comment]},
        before=before,
        after=snapshot(response),
    )
    return response


@transaction.atomic
def peer_review_sign_off(
    *, actor: Actor, review: PeerReview, conclusion: str, now: dt.datetime | None = None
) -> PeerReview:
    now = now or timezone.now()
    _require_reviewer(actor, review)
    if review.status != PeerReviewStatus.INVITED:
        raise ValidationError({"__all__": ["This peer review is not open"]})
    problems: dict[str, list[str]] = {}
    if not conclusion.strip():
        problems["conclusion"] = ["Enter your overall conclusion"]
    if not review.responses.exists():
        problems["__all__"] = ["Give your view on at least one statement before signing off"]
    if problems:
        raise ValidationError(problems)
    review.status = PeerReviewStatus.SIGNED_OFF
    review.signed_off_at = now
    review.conclusion = conclusion.strip()
    review.save()
    challenges = review.responses.filter(verdict=Verdict.CHALLENGE).count()
    summary = (
        f"Peer review signed off by {display_name(review.reviewer)} "
        f"with {challenges} challenge{'s' if challenges != 1 else ''}"
    )
    _recorded(
        actor=actor,
        action=AuditAction.CHANGE,
        cycle=review.cycle,
        obj=review,
        kind=HistoryKind.PEER_REVIEW,
        summary=summary,
        now=now,
        after={"status": review.status, "conclusion": review.conclusion},
    )
    return review


@transaction.atomic
def challenge_answer(
    *, actor: Actor, response: PeerReviewResponse, answer: str, now: dt.datetime | None = None
) -> PeerReviewResponse:
    """The assessing organisation answers a reviewer's challenge (before sign-off)."""
    now = now or timezone.now()
    cycle = response.assessment.cycle
    _require_open(cycle)
    if response.verdict != Verdict.CHALLENGE:
        raise ValidationError({"__all__": ["Only a challenge needs an answer"]})
    if not answer.strip():
        raise ValidationError({"answer": ["Enter your answer to the challenge"]})
    before = snapshot(response)
    response.answer = answer.strip()
    response.answered_at = now
    response.answered_by = _user(actor)
    response.save()
    reviewer = display_name(response.peer_review.reviewer)
    _recorded(
        actor=actor,
        action=AuditAction.CHANGE,
        cycle=cycle,
        obj=response,
        assessment=response.assessment,
        kind=HistoryKind.CHALLENGE_ANSWERED,
        summary=f"{response.assessment.statement.ref}: challenge from {reviewer} answered",
        now=now,
        changes={"answer": [before["answer"], response.answer]},
        before=before,
        after=snapshot(response),
    )
    return response


# -- import ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportRow:
    line: int
    ref: str
    rating: str | None
    """None leaves the rating as it is (a blank cell)."""
    narrative: str | None
    owner: str | None
    """A username; None leaves the owner as it is."""
    na_rationale: str | None
    na_arrangements: str | None


@dataclass(frozen=True)
class ImportOutcome:
    changed: int
    unchanged: int
    problems: list[str]


@transaction.atomic
def cycle_import(
    *,
    actor: Actor,
    cycle: AssessmentCycle,
    rows: Iterable[ImportRow],
    source: str,
    now: dt.datetime | None = None,
) -> ImportOutcome:
    """Apply ratings from a spreadsheet. All or nothing: any problem changes nothing, and
    every problem is reported with its row number."""
    now = now or timezone.now()
    _require_rating_stage(cycle)
    assessments = {
        a.statement.ref: a
        for a in StatementAssessment.objects.filter(cycle=cycle).select_related(
            "statement", "owner", "cycle"
        )
    }
    members = {user.get_username().lower(): user for user in owners_of(cycle.organisation)}
    problems: list[str] = []
    seen: set[str] = set()
    planned: list[tuple[ImportRow, StatementAssessment, Any]] = []
    for row in rows:
        assessment = assessments.get(row.ref)
        if assessment is None:
            problems.append(
                f"Row {row.line}: there is no statement {row.ref or '(blank)'} "
                f"in {cycle.edition.code}"
            )
            continue
        if row.ref in seen:
            problems.append(f"Row {row.line}: statement {row.ref} appears more than once")
            continue
        seen.add(row.ref)
        owner = assessment.owner
        if row.owner is not None:
            owner = members.get(row.owner.lower()) if row.owner else None
            if row.owner and owner is None:
                problems.append(
                    f"Row {row.line}: {row.owner} is not someone in {cycle.organisation.name} "
                    "who can see the compliance pages"
                )
                continue
        rating = assessment.rating if row.rating is None else row.rating
        narrative = assessment.narrative if row.narrative is None else row.narrative
        rationale = assessment.na_rationale if row.na_rationale is None else row.na_rationale
        arrangements = (
            assessment.na_arrangements if row.na_arrangements is None else row.na_arrangements
        )
        row_problems = rules.assessment_problems(
            rating=rating, narrative=narrative, na_rationale=rationale, na_arrangements=arrangements
        )
        for messages in row_problems.values():
            problems.extend(f"Row {row.line} ({row.ref}): {message}" for message in messages)
        if not row_problems:
            planned.append((row, assessment, owner))
    if problems:
        return ImportOutcome(changed=0, unchanged=0, problems=problems)
    changed = 0
    for row, assessment, owner in planned:
        values = {
            "rating": assessment.rating if row.rating is None else row.rating,
            "narrative": assessment.narrative if row.narrative is None else row.narrative,
            "na_rationale": assessment.na_rationale
            if row.na_rationale is None
            else row.na_rationale,
            "na_arrangements": assessment.na_arrangements
            if row.na_arrangements is None
            else row.na_arrangements,
        }
        unchanged = (
            values["rating"] == assessment.rating
            and values["narrative"].strip() == assessment.narrative
            and owner == assessment.owner
            and (
                values["rating"] != Rating.NOT_APPLICABLE
                or (
                    values["na_rationale"].strip() == assessment.na_rationale
                    and values["na_arrangements"].strip() == assessment.na_arrangements
                )
            )
        )
        if unchanged:
            continue  # an unchanged row must not confirm a carried-forward rating by accident
        if _apply_assessment(
            actor=actor,
            assessment=assessment,
            owner=owner,
            now=now,
            kind=HistoryKind.IMPORTED,
            **values,
        ):
            changed += 1
    total = len(planned)
    _recorded(
        actor=actor,
        action=AuditAction.IMPORT,
        cycle=cycle,
        obj=cycle,
        kind=HistoryKind.IMPORTED,
        summary=f"Imported {source}: {changed} of {total} statements changed",
        now=now,
        audit_summary=f"{cycle.name}: imported {source}, {changed} statements changed",
    )
    return ImportOutcome(changed=changed, unchanged=total - changed, problems=[])
