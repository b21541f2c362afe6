"""Risk assessments, safety plans (versioned, each version dated and signed), the physical
health risk factors for restraint they record, and physical health checks.

RRP calls the restrictive-practice part of the care plan a safety plan; the standard calls
every local name (crisis plan, positive behaviour support plan, traffic light plan) "care plan".
Nothing here is ever deleted: a version or an assessment recorded by mistake is marked
"entered in error" with a reason and the previous one becomes current again.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from rrp.careplans import codes
from rrp.careplans import warnings as w
from rrp.careplans.due_rules import review_state
from rrp.core.scoping import OrganisationScopedQuerySet


class SafetyPlan(models.Model):
    """One person's safety plan: the versions are the plan over time."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    patient = models.OneToOneField(
        "patients.Patient", on_delete=models.PROTECT, related_name="safety_plan"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganisationScopedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Safety plan of {self.patient}"


class SafetyPlanVersion(models.Model):
    """One signed version. Never changed after signing: a review writes the next version."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    plan = models.ForeignKey(SafetyPlan, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    occasion = models.CharField(max_length=16, choices=codes.PlanOccasion.choices)
    incident = models.ForeignKey(
        "incidents.Incident",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The use of force this version reviews, if any",
    )
    changes = models.TextField(
        "what changed and why",
        blank=True,
        help_text="Required from version 2: what the review changed, or that nothing needed to",
    )
    # Co-production (standard 2.2.II, 2.3.I, 2.3.II, 2.5.1.VIII).
    agreed_on = models.DateField("date discussed with the person")
    person_took_part = models.CharField(max_length=16, choices=codes.Participation.choices)
    carer_took_part = models.CharField(max_length=16, choices=codes.CarerParticipation.choices)
    others_involved = models.TextField(
        "others who took part", blank=True, help_text="Advocate, named nurse, psychologist..."
    )
    persons_words = models.TextField("the person's own words", blank=True)
    advance_decisions = models.TextField("advance decisions and statements", blank=True)
    # Traffic-light plan: what the person is like and what helps, at each level (2.3.III, XIII).
    green_signs = models.TextField("when I am well, I am", blank=True)
    green_support = models.TextField("what helps me stay well (primary strategies)", blank=True)
    triggers = models.TextField("known triggers", blank=True)
    trigger_dates = models.TextField(
        "dates that may be difficult", blank=True, help_text="Anniversaries, court dates (2.3.XII)"
    )
    amber_signs = models.TextField("early warning signs", blank=True)
    amber_support = models.TextField(
        "what helps when I am becoming distressed (secondary strategies)", blank=True
    )
    red_signs = models.TextField("in a crisis, I may", blank=True)
    red_support = models.TextField("what staff should do in a crisis", blank=True)
    what_to_avoid = models.TextField("what makes things worse", blank=True)
    environmental_factors = models.TextField("environment", blank=True)  # 2.3.VI
    # Interventions as MHSDS RestrictiveIntType codes (standard 2.3.IV, 2.3.V).
    preferred_interventions = models.JSONField(default=list, blank=True)
    less_preferred_interventions = models.JSONField(default=list, blank=True)
    positions_to_avoid = models.JSONField(default=list, blank=True)
    intervention_preferences = models.TextField(
        "the person's preferences about restrictive interventions", blank=True
    )
    # Needs (standard 2.3.VII-XI, 2.3.XV, 2.3.XVII, 2.4).
    communication_needs = models.TextField(blank=True)
    communication_passport = models.BooleanField("has a communication passport", default=False)
    interpreter_language = models.CharField(
        "interpreter needed for", max_length=80, blank=True, help_text="Blank if none is needed"
    )
    sensory_needs = models.TextField("sensory needs and physical disability", blank=True)
    spiritual_cultural_needs = models.TextField(
        "spiritual, religious and cultural needs", blank=True
    )
    gender_trauma_needs = models.TextField("gender and trauma-related needs", blank=True)
    age_related_needs = models.TextField("age-related needs", blank=True)
    dignity = models.TextField("dignity during any intervention", blank=True)
    post_incident_support = models.TextField("monitoring and support after an incident", blank=True)
    notify_after_force = models.CharField(
        "who to tell after force is used",
        max_length=200,
        blank=True,
        help_text="Use of Force Act s.6(5)(p): the person named in the care plan",
    )
    review_on = models.DateField("review date")  # standard 2.3.XXI
    # Signature: who wrote and signed this version, and when (2.4.VII governance).
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_name = models.CharField(max_length=200)
    signed_job_title = models.CharField(max_length=120, blank=True)
    signed_at = models.DateTimeField()
    entered_in_error_at = models.DateTimeField(null=True, blank=True)
    entered_in_error_reason = models.TextField(blank=True)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="safety_plan_version_unique")
        ]
        indexes = [models.Index(fields=["organisation", "review_on"])]

    def __str__(self) -> str:
        return f"Safety plan version {self.number} of {self.plan.patient}"

    @property
    def patient(self) -> object:
        return self.plan.patient

    @property
    def is_entered_in_error(self) -> bool:
        return self.entered_in_error_at is not None

    @property
    def co_produced(self) -> bool:
        """standard 2.3.I: the person took part in writing this version."""
        return self.person_took_part == codes.Participation.YES

    @property
    def signature(self) -> str:
        return ", ".join(p for p in (self.signed_name, self.signed_job_title) if p)

    def _labels(self, codes_: list[str]) -> list[str]:
        names = [w.INTERVENTION_NAMES.get(code, code) for code in codes_]
        return [name[0].upper() + name[1:] for name in names]

    @property
    def preferred_labels(self) -> list[str]:
        return self._labels(self.preferred_interventions)

    @property
    def less_preferred_labels(self) -> list[str]:
        return self._labels(self.less_preferred_interventions)

    @property
    def avoid_labels(self) -> list[str]:
        return self._labels(self.positions_to_avoid)

    def review_state_on(self, today: dt.date | None = None) -> str:
        """in_date, due_soon or overdue (due_rules.review_state), today unless told."""
        return review_state(self.review_on, today or timezone.localdate())

    def risk_factor_list(self) -> list[RiskFactorEntry]:
        return list(self.risk_factors.all())

    def plan_facts(self) -> w.PlanFacts:
        """The facts the warning rules read (see warnings.py)."""
        return w.PlanFacts(
            version=self.number,
            signed_on=self.signed_at.date() if self.signed_at else None,
            risk_factors=tuple(
                w.RiskFactorFact(f.code, f.notes, f.strategies) for f in self.risk_factor_list()
            ),
            preferred=frozenset(self.preferred_interventions),
            less_preferred=frozenset(self.less_preferred_interventions),
            positions_to_avoid=frozenset(self.positions_to_avoid),
            persons_words=self.intervention_preferences,
        )


class RiskFactorEntry(models.Model):
    """A physical health risk factor for restraint in one version of the plan, with what it
    means for this person and the strategies to reduce the risk (standard 2.5.1.VI-VII)."""

    version = models.ForeignKey(
        SafetyPlanVersion, on_delete=models.PROTECT, related_name="risk_factors"
    )
    code = models.CharField(max_length=32, choices=codes.RiskFactor.choices)
    notes = models.TextField(blank=True)
    strategies = models.TextField("strategies to reduce the risk")

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="risk_factor_once_per_version")
        ]

    def __str__(self) -> str:
        return self.get_code_display()


class RiskAssessment(models.Model):
    """A clinical risk assessment using structured professional judgement (standard 2.2)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="risk_assessments"
    )
    assessed_on = models.DateField()
    occasion = models.CharField(max_length=16, choices=codes.AssessmentOccasion.choices)
    incident = models.ForeignKey(
        "incidents.Incident", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    method = models.CharField(
        "structured professional judgement tool",
        max_length=120,
        blank=True,
        help_text="For example HCR-20, START or your local tool",
    )
    summary = models.TextField("formulation and summary")
    risk_to_self = models.CharField(max_length=16, choices=codes.RiskLevel.choices)
    risk_to_self_detail = models.TextField(blank=True)
    risk_to_others = models.CharField(max_length=16, choices=codes.RiskLevel.choices)
    risk_to_others_detail = models.TextField(blank=True)
    other_risks = models.TextField(blank=True, help_text="Vulnerability, self-neglect...")
    sources = models.JSONField(default=list)
    sources_detail = models.TextField(blank=True)
    person_took_part = models.CharField(max_length=16, choices=codes.Participation.choices)
    carer_took_part = models.CharField(max_length=16, choices=codes.CarerParticipation.choices)
    communicated_to = models.JSONField(default=list)
    communicated_on = models.DateField(null=True, blank=True)
    review_on = models.DateField("review date")
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    assessor_name = models.CharField(max_length=200)
    assessor_job_title = models.CharField(max_length=120, blank=True)
    recorded_at = models.DateTimeField()
    entered_in_error_at = models.DateTimeField(null=True, blank=True)
    entered_in_error_reason = models.TextField(blank=True)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-assessed_on", "-recorded_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "assessed_on"])]

    def __str__(self) -> str:
        return f"Risk assessment of {self.patient} on {self.assessed_on}"

    @property
    def is_entered_in_error(self) -> bool:
        return self.entered_in_error_at is not None

    def review_state_on(self, today: dt.date | None = None) -> str:
        return review_state(self.review_on, today or timezone.localdate())

    @property
    def source_labels(self) -> str:
        labels = dict(codes.InformationSource.choices)
        return ", ".join(str(labels.get(s, s)) for s in self.sources)

    @property
    def communicated_labels(self) -> str:
        labels = dict(codes.CommunicatedTo.choices)
        return ", ".join(str(labels.get(s, s)) for s in self.communicated_to)


class HealthCheck(models.Model):
    """A physical health check the standard asks for (2.5.1): the examination on admission,
    the capacity assessment for 'as needed' medication, and medication reviews (STOMP for
    people with a learning disability or autism)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="health_checks"
    )
    admission = models.ForeignKey(
        "patients.Admission", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=codes.HealthCheckKind.choices)
    done_on = models.DateField()
    outcome = models.CharField(max_length=20)
    notes = models.TextField(blank=True)
    stomp = models.BooleanField("STOMP review", default=False)
    next_due_on = models.DateField("next due", null=True, blank=True)
    done_by_name = models.CharField(max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    entered_in_error_at = models.DateTimeField(null=True, blank=True)
    entered_in_error_reason = models.TextField(blank=True)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-done_on", "-recorded_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "kind", "done_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.patient} on {self.done_on}"

    @property
    def outcome_label(self) -> str:
        choices = {
            codes.HealthCheckKind.EXAMINATION: codes.ExaminationOutcome,
            codes.HealthCheckKind.CAPACITY_PRN: codes.CapacityOutcome,
            codes.HealthCheckKind.MEDICATION_REVIEW: codes.MedicationReviewOutcome,
        }[codes.HealthCheckKind(self.kind)]
        return str(dict(choices.choices).get(self.outcome, self.outcome))
