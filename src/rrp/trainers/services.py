"""Every write to trainers, their portfolios, reviews, competency monitoring and external
training providers (standard 3.5 I-XIII).

Each function is keyword-only, runs in one transaction and audits in it. Every problem is
found before anything is written and raised as one ValidationError naming each field, so a
form shows them all at once. Nothing is deleted: a trainer gets a date they stopped teaching, a
provider an end date, and an entry, review or observation recorded by mistake is marked entered
in error with a reason.

The yearly review and competency monitoring are the employing organisation's judgement of the
trainer (3.5.I, XIII): only those who may review (trainers.review) record them, and never of
themself.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from rrp.audit.models import AuditAction
from rrp.audit.services import Actor, audit_changed, audit_created, audit_record, snapshot
from rrp.core import limits
from rrp.organisations.models import Organisation
from rrp.trainers import standing
from rrp.trainers.inputs import (
    CompetencyCheckInput,
    PortfolioEntryInput,
    ProviderInput,
    ReviewInput,
    TrainerInput,
)
from rrp.trainers.models import (
    CompetencyCheck,
    EntryKind,
    MonitoringOutcome,
    PortfolioEntry,
    PortfolioReview,
    ReviewOutcome,
    Trainer,
    TrainingProvider,
)
from rrp.workforce.models import StaffMember

Problems = dict[str, list[str]]


def _user(actor: Actor) -> Any:
    user = actor.user
    return user if user is not None and user.is_authenticated else None


def _add(problems: Problems, name: str, message: str) -> None:
    problems.setdefault(name, []).append(message)


def _date(
    problems: Problems, name: str, value: dt.date | None, today: dt.date, missing: str = "",
    future: bool = False,
) -> None:
    """A date that must be given (when `missing` says how to ask) and, unless `future`, not
    after today."""
    if value is None:
        if missing:
            _add(problems, name, missing)
        return
    if not future and value > today:
        _add(problems, name, "The date cannot be in the future")
    elif not limits.EARLIEST_YEAR <= value.year <= limits.LATEST_YEAR:
        _add(problems, name, f"{value.year} is not a year RRP holds records for: check the year")


def _text(problems: Problems, name: str, value: str, most: int, missing: str = "") -> None:
    if missing and not value.strip():
        _add(problems, name, missing)
    elif len(value) > most:
        _add(problems, name, limits.too_long(most))


# ---------------------------------------------------------------------------------------------
# Trainers (3.5.II-IV)
# ---------------------------------------------------------------------------------------------


def trainer_problems(
    data: TrainerInput, *, organisation: Organisation, today: dt.date,
    existing: Trainer | None = None,
) -> Problems:
    problems: Problems = {}
    if existing is None:
        if (data.staff_id is None) == (data.provider_id is None):
            _add(problems, "staff_id", "Choose a person on the staff register, or an external "
                                       "training provider")
        elif data.staff_id is not None:
            member = StaffMember.objects.filter(organisation=organisation,
                                                pk=data.staff_id).first()
            if member is None:
                _add(problems, "staff_id", "There is no one with that id on the staff register "
                                           "here")
            elif member.leaving_date is not None and member.leaving_date < today:
                _add(problems, "staff_id", f"{member.name} left on "
                                           f"{member.leaving_date:%d/%m/%Y}")
            elif Trainer.objects.filter(organisation=organisation, staff=member).exists():
                _add(problems, "staff_id", f"{member.name} is already a trainer")
        else:
            provider = TrainingProvider.objects.filter(
                organisation=organisation, pk=int(data.provider_id or 0)
            ).first()
            if provider is None:
                _add(problems, "provider_id", "There is no training provider with that id here")
            elif not provider.is_used_on(today):
                _add(problems, "provider_id", f"{provider.name} is no longer commissioned")
    external = (existing.provider_id if existing is not None else data.provider_id) is not None
    if external:
        _text(problems, "name", data.name, limits.NAME, "Enter the trainer's name")
        _text(problems, "role", data.role, limits.JOB_TITLE)
    _date(problems, "teaching_since", data.teaching_since, today)
    _date(problems, "stopped_teaching_on", data.stopped_teaching_on, today, future=True)
    _date(problems, "code_of_conduct_accepted_on", data.code_of_conduct_accepted_on, today)
    if (data.teaching_since is not None and data.stopped_teaching_on is not None
            and data.stopped_teaching_on < data.teaching_since):
        _add(problems, "stopped_teaching_on", "They cannot stop teaching before they started")
    _text(problems, "clinical_credibility", data.clinical_credibility, limits.NARRATIVE)
    _text(problems, "teaching_qualification", data.teaching_qualification, limits.NARRATIVE)
    return problems


def _apply_trainer(trainer: Trainer, data: TrainerInput) -> None:
    if trainer.provider_id is not None:
        trainer.external_name = data.name.strip()
        trainer.external_role = data.role.strip()
    trainer.teaching_since = data.teaching_since
    trainer.stopped_teaching_on = data.stopped_teaching_on
    trainer.code_of_conduct_accepted_on = data.code_of_conduct_accepted_on
    trainer.clinical_credibility = data.clinical_credibility.strip()
    trainer.teaching_qualification = data.teaching_qualification.strip()


def _trainer_snapshot(trainer: Trainer) -> dict[str, Any]:
    return snapshot(trainer, exclude=("updated_at",))


@transaction.atomic
def trainer_create(
    *, actor: Actor, organisation: Organisation, data: TrainerInput,
    now: dt.datetime | None = None,
) -> Trainer:
    now = now or timezone.now()
    problems = trainer_problems(data, organisation=organisation, today=timezone.localdate(now))
    if problems:
        raise ValidationError(problems)
    trainer = Trainer(organisation=organisation, staff_id=data.staff_id,
                      provider_id=data.provider_id, created_by=_user(actor), created_at=now)
    _apply_trainer(trainer, data)
    trainer.save()
    audit_record(
        actor=actor, action=AuditAction.CREATE, organisation=organisation, obj=trainer,
        summary=f"Trainer {trainer.name} added ({trainer.works_for.lower()})",
        after=_trainer_snapshot(trainer),
    )
    return trainer


@transaction.atomic
def trainer_update(
    *, actor: Actor, trainer: Trainer, data: TrainerInput, now: dt.datetime | None = None
) -> Trainer:
    """Change a trainer's details; one who stops teaching keeps their portfolio."""
    today = timezone.localdate(now or timezone.now())
    problems = trainer_problems(data, organisation=trainer.organisation, today=today,
                                existing=trainer)
    if problems:
        raise ValidationError(problems)
    before = _trainer_snapshot(trainer)
    _apply_trainer(trainer, data)
    trainer.save()
    if _trainer_snapshot(trainer) != before:
        audit_record(
            actor=actor, action=AuditAction.CHANGE, organisation=trainer.organisation,
            obj=trainer, summary=f"Trainer {trainer.name} changed", before=before,
            after=_trainer_snapshot(trainer),
        )
    return trainer


def trainer_input_of(trainer: Trainer) -> TrainerInput:
    return TrainerInput(
        staff_id=trainer.staff_id, provider_id=trainer.provider_id,
        name=trainer.external_name, role=trainer.external_role,
        teaching_since=trainer.teaching_since, stopped_teaching_on=trainer.stopped_teaching_on,
        code_of_conduct_accepted_on=trainer.code_of_conduct_accepted_on,
        clinical_credibility=trainer.clinical_credibility,
        teaching_qualification=trainer.teaching_qualification,
    )


# ---------------------------------------------------------------------------------------------
# Portfolio entries (3.5.III-VII)
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def portfolio_entry_add(
    *, actor: Actor, trainer: Trainer, data: PortfolioEntryInput, now: dt.datetime | None = None
) -> PortfolioEntry:
    now = now or timezone.now()
    problems: Problems = {}
    if data.kind not in EntryKind.values:
        _add(problems, "kind", "Choose what the entry shows")
    _date(problems, "dated_on", data.dated_on, timezone.localdate(now), "Enter the date")
    _text(problems, "title", data.title, limits.NAME, "Enter a title for the entry")
    _text(problems, "evidence", data.evidence, limits.NARRATIVE,
          "Describe the evidence: the certificate, the course or the reflection")
    if problems:
        raise ValidationError(problems)
    assert data.dated_on is not None
    entry = PortfolioEntry.objects.create(
        organisation=trainer.organisation, trainer=trainer, kind=data.kind,
        dated_on=data.dated_on, title=data.title.strip(), evidence=data.evidence.strip(),
        recorded_by=_user(actor), recorded_at=now,
    )
    audit_created(
        actor=actor, organisation=trainer.organisation, obj=entry,
        summary=f"{entry.get_kind_display()} added to the portfolio of {trainer.name}",
    )
    return entry


def _mark_entered_in_error(
    *, actor: Actor, record: models.Model, reason: str, now: dt.datetime | None, what: str
) -> None:
    """Never a deletion: the record stays, marked with when and why, and stops counting."""
    if not reason.strip():
        raise ValidationError({"reason": ["Say why this was entered in error"]})
    if len(reason) > limits.NOTE:
        raise ValidationError({"reason": [limits.too_long(limits.NOTE)]})
    if record.entered_in_error_at is not None:  # type: ignore[attr-defined]
        raise ValidationError({"reason": ["This is already marked as entered in error"]})
    record.entered_in_error_at = now or timezone.now()  # type: ignore[attr-defined]
    record.entered_in_error_reason = reason.strip()  # type: ignore[attr-defined]
    record.save(update_fields=["entered_in_error_at", "entered_in_error_reason"])
    audit_record(
        actor=actor, action=AuditAction.ENTERED_IN_ERROR,
        organisation=record.organisation,  # type: ignore[attr-defined]
        obj=record, summary=f"{what} marked as entered in error",
        after={"reason": reason.strip()},
    )


@transaction.atomic
def portfolio_entry_mark_entered_in_error(
    *, actor: Actor, entry: PortfolioEntry, reason: str, now: dt.datetime | None = None
) -> PortfolioEntry:
    _mark_entered_in_error(
        actor=actor, record=entry, reason=reason, now=now,
        what=f"{entry.get_kind_display()} of {entry.dated_on:%d/%m/%Y} in the portfolio of "
             f"{entry.trainer.name}",
    )
    return entry


# ---------------------------------------------------------------------------------------------
# The yearly portfolio review (3.5.I) and competency monitoring (3.5.XIII)
# ---------------------------------------------------------------------------------------------


def _may_review(actor: Actor, trainer: Trainer) -> None:
    """Checked here as well as on the page: the demo and any later CLI or API come through
    here. The review is of the trainer by their employer, so never by the trainer."""
    user = _user(actor)
    if user is None or not user.has_perm("trainers.review", trainer.organisation):
        raise PermissionDenied("Only the restrictive practice lead records portfolio reviews "
                               "and competency monitoring (standard 3.5.I, XIII)")
    if trainer.user_id is not None and trainer.user_id == user.pk:
        raise PermissionDenied("A trainer cannot review their own portfolio or monitor their "
                               "own competence")


def review_problems(data: ReviewInput, *, trainer: Trainer, today: dt.date) -> Problems:
    problems: Problems = {}
    _date(problems, "reviewed_on", data.reviewed_on, today, "Enter the date of the review")
    _text(problems, "reviewer_name", data.reviewer_name, limits.NAME,
          "Enter who reviewed the portfolio")
    if data.outcome not in ReviewOutcome.values:
        _add(problems, "outcome", "Choose the outcome of the review")
    if data.outcome in (ReviewOutcome.ACTIONS_AGREED, ReviewOutcome.NOT_TO_TEACH):
        _text(problems, "actions", data.actions, limits.NARRATIVE,
              "Write the actions agreed and by when")
    else:
        _text(problems, "actions", data.actions, limits.NARRATIVE)
    if data.outcome == ReviewOutcome.NOT_TO_TEACH:
        if data.not_to_teach_until is None:
            _add(problems, "not_to_teach_until", "Enter the date until which they are not to "
                                                 "teach")
        elif data.reviewed_on is not None and data.not_to_teach_until <= data.reviewed_on:
            _add(problems, "not_to_teach_until", "The date must be after the review")
        else:
            _date(problems, "not_to_teach_until", data.not_to_teach_until, today, future=True)
    elif data.not_to_teach_until is not None:
        _add(problems, "not_to_teach_until", "Only a review that stops them teaching has a date "
                                             "until which they are not to teach")
    _text(problems, "notes", data.notes, limits.NARRATIVE)
    if data.reviewed_on is not None and trainer.reviews.filter(
        reviewed_on=data.reviewed_on, entered_in_error_at__isnull=True
    ).exists():
        _add(problems, "reviewed_on", f"{trainer.name} already has a review on this date")
    return problems


@transaction.atomic
def portfolio_review_record(
    *, actor: Actor, trainer: Trainer, data: ReviewInput, now: dt.datetime | None = None
) -> PortfolioReview:
    """The yearly review of the trainer's portfolio (3.5.I); the next is due 12 months on."""
    now = now or timezone.now()
    _may_review(actor, trainer)
    problems = review_problems(data, trainer=trainer, today=timezone.localdate(now))
    if problems:
        raise ValidationError(problems)
    assert data.reviewed_on is not None
    review = PortfolioReview.objects.create(
        organisation=trainer.organisation, trainer=trainer, reviewed_on=data.reviewed_on,
        reviewer_name=data.reviewer_name.strip(), outcome=data.outcome,
        actions=data.actions.strip(), not_to_teach_until=data.not_to_teach_until,
        notes=data.notes.strip(), next_due_on=standing.next_due(data.reviewed_on),
        recorded_by=_user(actor), recorded_at=now,
    )
    audit_created(
        actor=actor, organisation=trainer.organisation, obj=review,
        summary=f"Portfolio review of {trainer.name} on {review.reviewed_on:%d/%m/%Y}: "
                f"{review.get_outcome_display().lower()}",
    )
    return review


@transaction.atomic
def portfolio_review_mark_entered_in_error(
    *, actor: Actor, review: PortfolioReview, reason: str, now: dt.datetime | None = None
) -> PortfolioReview:
    _may_review(actor, review.trainer)
    _mark_entered_in_error(
        actor=actor, record=review, reason=reason, now=now,
        what=f"Portfolio review of {review.trainer.name} on {review.reviewed_on:%d/%m/%Y}",
    )
    return review


@transaction.atomic
def competency_check_record(
    *, actor: Actor, trainer: Trainer, data: CompetencyCheckInput,
    now: dt.datetime | None = None,
) -> CompetencyCheck:
    """Annual competency monitoring: the trainer's teaching observed (3.5.XIII)."""
    now = now or timezone.now()
    _may_review(actor, trainer)
    problems: Problems = {}
    _date(problems, "observed_on", data.observed_on, timezone.localdate(now),
          "Enter the date the teaching was observed")
    _text(problems, "observed_teaching", data.observed_teaching, limits.NAME,
          "Enter the course or session observed")
    _text(problems, "observer_name", data.observer_name, limits.NAME,
          "Enter who observed the teaching")
    if data.outcome not in MonitoringOutcome.values:
        _add(problems, "outcome", "Choose the outcome of the observation")
    _text(problems, "actions", data.actions, limits.NARRATIVE,
          "Write the actions agreed" if data.outcome in (
              MonitoringOutcome.DEVELOPMENT, MonitoringOutcome.NOT_MET) else "")
    if data.observed_on is not None and trainer.checks.filter(
        observed_on=data.observed_on, entered_in_error_at__isnull=True
    ).exists():
        _add(problems, "observed_on", f"{trainer.name} already has an observation on this date")
    if problems:
        raise ValidationError(problems)
    assert data.observed_on is not None
    check = CompetencyCheck.objects.create(
        organisation=trainer.organisation, trainer=trainer, observed_on=data.observed_on,
        observed_teaching=data.observed_teaching.strip(),
        observer_name=data.observer_name.strip(), outcome=data.outcome,
        actions=data.actions.strip(), recorded_by=_user(actor), recorded_at=now,
    )
    audit_created(
        actor=actor, organisation=trainer.organisation, obj=check,
        summary=f"Competency monitoring of {trainer.name} on {check.observed_on:%d/%m/%Y}: "
                f"{check.get_outcome_display().lower()}",
    )
    return check


@transaction.atomic
def competency_check_mark_entered_in_error(
    *, actor: Actor, check: CompetencyCheck, reason: str, now: dt.datetime | None = None
) -> CompetencyCheck:
    _may_review(actor, check.trainer)
    _mark_entered_in_error(
        actor=actor, record=check, reason=reason, now=now,
        what=f"Competency monitoring of {check.trainer.name} on {check.observed_on:%d/%m/%Y}",
    )
    return check


# ---------------------------------------------------------------------------------------------
# External training providers (3.5 introduction, X-XII)
# ---------------------------------------------------------------------------------------------


def provider_problems(
    data: ProviderInput, *, organisation: Organisation, today: dt.date,
    existing: TrainingProvider | None = None,
) -> Problems:
    problems: Problems = {}
    name = data.name.strip()
    _text(problems, "name", data.name, limits.NAME, "Enter the provider's name")
    clash = TrainingProvider.objects.filter(organisation=organisation, name__iexact=name)
    if existing is not None:
        clash = clash.exclude(pk=existing.pk)
    if name and clash.exists():
        _add(problems, "name", f"There is already a training provider called {name}")
    certificate = (data.certifying_body.strip(), data.certificate_number.strip(),
                   data.certificate_valid_until)
    if any(certificate) and not all(certificate):
        for field_name, value in zip(
            ("certifying_body", "certificate_number", "certificate_valid_until"), certificate,
            strict=True,
        ):
            if not value:
                _add(problems, field_name, "Enter the certifying body, the certificate number "
                                           "and the date it is valid until, or none of them")
    _text(problems, "certifying_body", data.certifying_body, limits.NAME)
    _text(problems, "certificate_number", data.certificate_number, 60)
    _text(problems, "affiliate_reference", data.affiliate_reference, 60)
    _date(problems, "certificate_valid_until", data.certificate_valid_until, today, future=True)
    _date(problems, "affiliate_registered_on", data.affiliate_registered_on, today)
    if data.affiliate_reference.strip() and data.affiliate_registered_on is None:
        _add(problems, "affiliate_registered_on", "Enter the date the provider registered this "
                                                  "organisation as an affiliate")
    _date(problems, "indemnity_clarified_on", data.indemnity_clarified_on, today)
    _date(problems, "indemnity_valid_until", data.indemnity_valid_until, today, future=True)
    if data.indemnity_clarified_on is not None and not data.indemnity_evidence.strip():
        _add(problems, "indemnity_evidence", "Describe the evidence of the indemnity insurance "
                                             "(standard 3.5.XI)")
    if data.indemnity_clarified_on is None and (
        data.indemnity_evidence.strip() or data.indemnity_valid_until is not None
    ):
        _add(problems, "indemnity_clarified_on", "Enter the date indemnity insurance was "
                                                 "clarified")
    for field_name in ("indemnity_evidence", "trainer_evidence", "competency_framework"):
        _text(problems, field_name, getattr(data, field_name), limits.NARRATIVE)
    _date(problems, "ended_on", data.ended_on, today, future=True)
    return problems


def _apply_provider(provider: TrainingProvider, data: ProviderInput) -> None:
    provider.name = data.name.strip()
    provider.certifying_body = data.certifying_body.strip()
    provider.certificate_number = data.certificate_number.strip()
    provider.certificate_valid_until = data.certificate_valid_until
    provider.affiliate_registered_on = data.affiliate_registered_on
    provider.affiliate_reference = data.affiliate_reference.strip()
    provider.indemnity_clarified_on = data.indemnity_clarified_on
    provider.indemnity_valid_until = data.indemnity_valid_until
    provider.indemnity_evidence = data.indemnity_evidence.strip()
    provider.trainer_evidence = data.trainer_evidence.strip()
    provider.competency_framework = data.competency_framework.strip()
    provider.ended_on = data.ended_on


@transaction.atomic
def provider_create(
    *, actor: Actor, organisation: Organisation, data: ProviderInput,
    now: dt.datetime | None = None,
) -> TrainingProvider:
    problems = provider_problems(data, organisation=organisation,
                                 today=timezone.localdate(now or timezone.now()))
    if problems:
        raise ValidationError(problems)
    provider = TrainingProvider(organisation=organisation)
    _apply_provider(provider, data)
    provider.save()
    audit_created(actor=actor, organisation=organisation, obj=provider,
                  summary=f"Training provider {provider.name} added")
    return provider


@transaction.atomic
def provider_update(
    *, actor: Actor, provider: TrainingProvider, data: ProviderInput,
    now: dt.datetime | None = None,
) -> TrainingProvider:
    problems = provider_problems(data, organisation=provider.organisation,
                                 today=timezone.localdate(now or timezone.now()),
                                 existing=provider)
    if problems:
        raise ValidationError(problems)
    before = snapshot(provider, exclude=("updated_at",))
    _apply_provider(provider, data)
    provider.save()
    audit_changed(actor=actor, organisation=provider.organisation, obj=provider,
                  summary=f"Training provider {provider.name} changed", before=before)
    return provider


def provider_input_of(provider: TrainingProvider) -> ProviderInput:
    names = ProviderInput.__dataclass_fields__
    return ProviderInput(**{name: getattr(provider, name) for name in names})


def export_audited(*, actor: Actor, organisation: Organisation, what: str, rows: int) -> None:
    """The yearly summary leaves the system as a file: named trainers, so audited."""
    with transaction.atomic():
        audit_record(
            actor=actor, action=AuditAction.EXPORT, organisation=organisation,
            object_type="trainers.trainer", summary=f"{what}: {rows} rows exported",
        )
