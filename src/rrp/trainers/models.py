"""Trainers, their portfolios, the yearly portfolio review and competency monitoring, and the
external training providers they come from (standard 3.5 I-XIII).

An internal trainer is a person on the staff register (rrp.workforce.models.StaffMember of the
same organisation); an external trainer belongs to an external training provider the
organisation commissions (3.5, the introduction, X-XII). Nothing here is deleted: a trainer who
stops teaching gets a date, a provider no longer used an end date, and a portfolio entry, review
or observation recorded by mistake is marked "entered in error" with a reason, so the yearly
summary for the executive and non-executive leads (3.5.I) can always be explained.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

from rrp.core import limits
from rrp.core.scoping import OrganisationScopedQuerySet


class TrainingProvider(models.Model):
    """An external (commercial or non-service based) training provider whose trainers teach
    the organisation's staff, or train its own staff to deliver their programme."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(max_length=limits.NAME)
    # 3.5 (introduction): the training provider is certified (against the RRN Training
    # Standards, by a UKAS-accredited body such as BILD ACT).
    certifying_body = models.CharField(max_length=limits.NAME, blank=True)
    certificate_number = models.CharField(max_length=60, blank=True)
    certificate_valid_until = models.DateField(null=True, blank=True)
    # 3.5 (introduction): the provider has registered this organisation as an affiliate.
    affiliate_registered_on = models.DateField(
        "registered this organisation as an affiliate on", null=True, blank=True
    )
    affiliate_reference = models.CharField(max_length=60, blank=True)
    # 3.5.XI: issues of indemnity insurance are clarified.
    indemnity_clarified_on = models.DateField(null=True, blank=True)
    indemnity_valid_until = models.DateField(null=True, blank=True)
    indemnity_evidence = models.TextField(blank=True)
    # 3.5.X: evidence of the experience, qualifications and clinical credibility of trainers.
    trainer_evidence = models.TextField(blank=True)
    # 3.5.XII: a competency assessment framework for trainers.
    competency_framework = models.TextField(blank=True)
    ended_on = models.DateField(
        null=True, blank=True, help_text="No longer commissioned from this day: records stay"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="training_provider_name_unique_in_org"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def rrn_certified(self) -> bool:
        return bool(self.certificate_number and self.certificate_valid_until)

    def is_used_on(self, day: dt.date) -> bool:
        return self.ended_on is None or self.ended_on > day


class Trainer(models.Model):
    """Someone who teaches reducing restrictive practice to the organisation's staff: one of
    its own staff (`staff`) or a trainer of an external provider (`provider`, `name`)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    staff = models.ForeignKey(
        "workforce.StaffMember", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", help_text="An internal trainer: their place on the staff register",
    )
    provider = models.ForeignKey(
        TrainingProvider, null=True, blank=True, on_delete=models.PROTECT,
        related_name="trainers", help_text="An external trainer: the provider they work for",
    )
    external_name = models.CharField("name", max_length=limits.NAME, blank=True)
    external_role = models.CharField("role", max_length=limits.JOB_TITLE, blank=True)
    teaching_since = models.DateField(null=True, blank=True)
    stopped_teaching_on = models.DateField(
        null=True, blank=True, help_text="No longer teaches from this day: the portfolio stays"
    )
    # 3.5.II: the trainer's code of conduct, accepted.
    code_of_conduct_accepted_on = models.DateField(null=True, blank=True)
    # 3.5.III: clinically credible - clinical experience and/or professional qualifications.
    clinical_credibility = models.TextField(blank=True)
    # 3.5.IV: teaching skills - formal qualifications and/or organisational programmes.
    teaching_qualification = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "staff"], condition=models.Q(staff__isnull=False),
                name="trainer_staff_once_in_org",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(staff__isnull=False, provider__isnull=True)
                    | models.Q(staff__isnull=True, provider__isnull=False)
                ),
                name="trainer_internal_or_external",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_internal(self) -> bool:
        return self.staff_id is not None

    @property
    def name(self) -> str:
        return self.staff.name if self.staff is not None else self.external_name

    @property
    def role(self) -> str:
        return self.staff.job_title if self.staff is not None else self.external_role

    @property
    def works_for(self) -> str:
        return self.provider.name if self.provider is not None else "Internal (staff register)"

    @property
    def user_id(self) -> int | None:
        """Their RRP account, through the staff register (internal trainers only)."""
        return self.staff.user_id if self.staff is not None else None

    def first_day(self) -> dt.date:
        return self.teaching_since or self.created_at.date()

    def teaches_on(self, day: dt.date) -> bool:
        return self.stopped_teaching_on is None or self.stopped_teaching_on > day

    def teaches_during(self, first: dt.date, last: dt.date) -> bool:
        return self.first_day() <= last and (
            self.stopped_teaching_on is None or self.stopped_teaching_on > first
        )


class EntryKind(models.TextChoices):
    QUALIFICATION = "qualification", "Professional qualification"  # 3.5.III
    CLINICAL_EXPERIENCE = "clinical_experience", "Clinical experience"  # 3.5.III
    TEACHING_QUALIFICATION = "teaching_qualification", "Teaching qualification"  # 3.5.IV
    CPD = "cpd", "CPD and reflection on best practice literature"  # 3.5.VI
    ANNUAL_UPDATE = "annual_update", "Annual trainer update attended"  # 3.5.V
    LIVED_EXPERIENCE = "lived_experience", (
        "Working with people with lived experience"
    )  # 3.5.VII


class PortfolioEntry(models.Model):
    """One dated piece of a trainer's portfolio with its evidence."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    trainer = models.ForeignKey(Trainer, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=24, choices=EntryKind.choices)
    dated_on = models.DateField()
    title = models.CharField(max_length=limits.NAME)
    evidence = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    entered_in_error_at = models.DateTimeField(null=True, blank=True)
    entered_in_error_reason = models.TextField(blank=True)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-dated_on", "-pk"]
        verbose_name_plural = "portfolio entries"
        indexes = [models.Index(fields=["trainer", "kind", "dated_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.dated_on}: {self.title}"

    @property
    def is_entered_in_error(self) -> bool:
        return self.entered_in_error_at is not None


class ReviewOutcome(models.TextChoices):
    SATISFACTORY = "satisfactory", "Satisfactory"
    ACTIONS_AGREED = "actions_agreed", "Satisfactory with actions agreed"
    NOT_TO_TEACH = "not_to_teach", "Not to teach until actions are met"


# The outcomes that complete the yearly review (3.5.I); "not to teach" does not.
REVIEW_PASSES = (ReviewOutcome.SATISFACTORY, ReviewOutcome.ACTIONS_AGREED)


class PortfolioReview(models.Model):
    """The annual review of a trainer's portfolio by their employing organisation (3.5.I)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    trainer = models.ForeignKey(Trainer, on_delete=models.PROTECT, related_name="reviews")
    reviewed_on = models.DateField()
    reviewer_name = models.CharField("reviewer", max_length=limits.NAME)
    outcome = models.CharField(max_length=16, choices=ReviewOutcome.choices)
    actions = models.TextField("actions agreed", blank=True)
    not_to_teach_until = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    next_due_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    entered_in_error_at = models.DateTimeField(null=True, blank=True)
    entered_in_error_reason = models.TextField(blank=True)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-reviewed_on", "-pk"]
        indexes = [models.Index(fields=["trainer", "reviewed_on"])]

    def __str__(self) -> str:
        return f"Portfolio review of {self.reviewed_on}"

    @property
    def is_entered_in_error(self) -> bool:
        return self.entered_in_error_at is not None

    @property
    def passes(self) -> bool:
        return self.outcome in REVIEW_PASSES


class MonitoringOutcome(models.TextChoices):
    MEETS = "meets", "Meets the standard"
    DEVELOPMENT = "development", "Development needed, actions agreed"
    NOT_MET = "not_met", "Does not meet the standard: not to teach alone"


class CompetencyCheck(models.Model):
    """Annual competency monitoring of a trainer: their teaching observed (3.5.XIII)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    trainer = models.ForeignKey(Trainer, on_delete=models.PROTECT, related_name="checks")
    observed_on = models.DateField()
    observed_teaching = models.CharField(
        "teaching observed", max_length=limits.NAME,
        help_text="The course or session observed",
    )
    observer_name = models.CharField("observer", max_length=limits.NAME)
    outcome = models.CharField(max_length=16, choices=MonitoringOutcome.choices)
    actions = models.TextField("actions agreed", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    entered_in_error_at = models.DateTimeField(null=True, blank=True)
    entered_in_error_reason = models.TextField(blank=True)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-observed_on", "-pk"]
        indexes = [models.Index(fields=["trainer", "observed_on"])]

    def __str__(self) -> str:
        return f"Competency monitoring of {self.observed_on}"

    @property
    def is_entered_in_error(self) -> bool:
        return self.entered_in_error_at is not None
