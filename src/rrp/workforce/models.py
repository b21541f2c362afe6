"""The staff register, courses, training sessions and training records (Section 3 of the
standard; 1.3, 1.8, 1.9, 2.1, 2.5.2.I-II; Use of Force Act s.5).

Staff members are the people who work on the wards, whether or not they have an RRP account.
Nothing here is deleted: a person who leaves gets a leaving date, a course that stops being
taught a withdrawal date, and a training record recorded by mistake is marked "entered in
error" with a reason, so the figures can always be explained down to the person and session.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from rrp.core import limits
from rrp.core.scoping import OrganisationScopedQuerySet
from rrp.organisations.models import ServiceType
from rrp.workforce import status as st


class Employment(models.TextChoices):
    """How a person works for the organisation (1.8.III: volunteers and peer support workers
    with lived experience have inductions too; 1.9: bank and agency staff are shown apart)."""

    PERMANENT = "permanent", "Permanent or fixed-term"
    BANK = "bank", "Bank"
    AGENCY = "agency", "Agency"
    VOLUNTEER = "volunteer", "Volunteer"
    PEER_SUPPORT = "peer_support", "Peer support worker (lived experience)"


# Bank and agency staff are reported separately (standard 1.9.II); everyone else together.
TEMPORARY = (Employment.BANK, Employment.AGENCY)


class CourseLevel(models.TextChoices):
    AWARENESS = "awareness", "Awareness"
    PREVENTION = "prevention", "Prevention and de-escalation (no physical skills)"
    PHYSICAL = "physical", "Physical skills"
    SPECIALIST = "specialist", (
        "Specialist (seclusion, mechanical restraint, rapid tranquillisation, high secure)"
    )
    BLS = "bls", "Basic life support"
    ILS = "ils", "Immediate life support"


# Courses whose physical content needs the occupational health checklist first (3.4.2.XIV).
PHYSICAL_LEVELS = (CourseLevel.PHYSICAL, CourseLevel.SPECIALIST)


class Delivery(models.TextChoices):
    FACE_TO_FACE = "face_to_face", "Face to face"
    E_LEARNING = "e_learning", "E-learning"


class Outcome(models.TextChoices):
    COMPETENT = st.COMPETENT, "Competent"
    NOT_YET_COMPETENT = "not_yet_competent", "Not yet competent"
    EXCLUDED_HEALTH = "excluded_health", "Excluded on health grounds"


class TheoryResult(models.TextChoices):
    PASSED = "passed", "Passed"
    NOT_PASSED = "not_passed", "Not passed"
    NOT_ASSESSED = "not_assessed", "No theory test on this course"


class StaffMember(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    staff_number = models.CharField(
        max_length=20, help_text="The employee number in the national staff record (ESR)"
    )
    name = models.CharField(max_length=limits.NAME)
    job_title = models.CharField(max_length=limits.JOB_TITLE)
    grade = models.CharField("grade or band", max_length=40, blank=True)
    qualified = models.BooleanField(
        "registered professional", default=False,
        help_text="A registered nurse, doctor or allied health professional (ILS, 2.5.2.II)",
    )
    employment = models.CharField(max_length=16, choices=Employment.choices)
    wards = models.ManyToManyField("organisations.Ward", blank=True, related_name="+")
    start_date = models.DateField(null=True, blank=True)
    leaving_date = models.DateField(
        null=True, blank=True, help_text="The last day they work here: the register keeps them"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", help_text="Their RRP account, if they have one",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name", "staff_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "staff_number"], name="staff_number_unique_in_org"
            ),
            models.UniqueConstraint(
                fields=["organisation", "user"], condition=models.Q(user__isnull=False),
                name="staff_one_account_once_in_org",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.staff_number})"

    def works_on(self, day: dt.date) -> bool:
        """On the register that day: started (or no start date known) and not yet left."""
        started = self.start_date is None or self.start_date <= day
        return started and (self.leaving_date is None or self.leaving_date >= day)

    @property
    def is_temporary(self) -> bool:
        return self.employment in TEMPORARY

    @property
    def description(self) -> str:
        """Name, job title and grade in one line, as a picker or a list shows a person."""
        return ", ".join(p for p in (self.name, self.job_title, self.grade) if p)


class Course(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField(max_length=limits.CODE)
    title = models.CharField(max_length=limits.NAME)
    level = models.CharField(max_length=16, choices=CourseLevel.choices)
    delivery = models.CharField(
        max_length=16, choices=Delivery.choices, default=Delivery.FACE_TO_FACE
    )
    # standard 3.1: what is taught by e-learning needs a clear rationale for that approach.
    delivery_rationale = models.TextField("why it is taught this way", blank=True)
    duration_hours = models.DecimalField(
        "duration (hours)", max_digits=5, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )
    # Use of Force Act s.5 and the RRN standards: refresher training at regular intervals,
    # at least yearly for restrictive intervention content.
    refresher_months = models.PositiveSmallIntegerField(
        default=12, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    # RRN Training Standards certification by a UKAS-accredited body (usually for 3 years).
    certifying_body = models.CharField(max_length=limits.NAME, blank=True)
    certificate_number = models.CharField(max_length=60, blank=True)
    certificate_valid_until = models.DateField(null=True, blank=True)
    withdrawn_on = models.DateField(
        null=True, blank=True, help_text="No longer taught from this day: records stay"
    )
    # Standard 3.1 I-XV and Use of Force Act s.5(2)(a)-(k) it teaches, as codes of
    # rrp.workforce.outcomes, in that module's order.
    outcomes = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"], name="course_code_unique_in_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"

    @property
    def rrn_certified(self) -> bool:
        return bool(self.certifying_body and self.certificate_valid_until)

    def is_taught_on(self, day: dt.date) -> bool:
        return self.withdrawn_on is None or self.withdrawn_on > day


class TrainingSession(models.Model):
    """One class of a course on one day, recorded once for everyone who was booked on it."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions")
    held_on = models.DateField()
    trainer_name = models.CharField(max_length=limits.NAME)
    ward = models.ForeignKey(
        "organisations.Ward", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="The ward it was held on, or the ward it was for",
    )
    location = models.CharField(max_length=limits.NAME, blank=True)
    absent = models.ManyToManyField(
        StaffMember, blank=True, related_name="+", help_text="Booked but did not attend"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["organisation", "held_on"])]

    def __str__(self) -> str:
        return f"{self.course.code} on {self.held_on}"

    @property
    def where(self) -> str:
        return ", ".join(p for p in (self.ward.name if self.ward else "", self.location) if p)


class TrainingRecord(models.Model):
    """One person's outcome in one course on one day: from a session, or previous training
    accepted as equivalent for a new starter (Use of Force Act s.5)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    staff = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="records")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="records")
    session = models.ForeignKey(
        TrainingSession, null=True, blank=True, on_delete=models.PROTECT, related_name="records"
    )
    completed_on = models.DateField()
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    theory_result = models.CharField(max_length=16, choices=TheoryResult.choices, blank=True)
    occupational_health_checked = models.BooleanField(
        "occupational health checklist completed", default=False
    )  # 3.4.2.XIV
    adjustments = models.TextField(blank=True)  # 3.4.2.XV
    # 3.4.2.XXXIX: a written plan to reach competence and an interim management plan.
    competence_plan = models.TextField(blank=True)
    interim_plan = models.TextField("interim management plan", blank=True)
    equivalent_previous = models.BooleanField(
        "previous training accepted as equivalent", default=False
    )
    evidence = models.TextField(blank=True, help_text="What shows the previous training")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    entered_in_error_at = models.DateTimeField(null=True, blank=True)
    entered_in_error_reason = models.TextField(blank=True)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-completed_on", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "course", "completed_on"]),
            models.Index(fields=["staff", "course"]),
        ]

    def __str__(self) -> str:
        return f"{self.course.code} for {self.staff} on {self.completed_on}"

    @property
    def is_entered_in_error(self) -> bool:
        return self.entered_in_error_at is not None

    @property
    def expires_on(self) -> dt.date | None:
        if self.outcome != Outcome.COMPETENT:
            return None
        return st.expiry(self.completed_on, self.course.refresher_months)


# ---------------------------------------------------------------------------------------------
# The training needs analysis (standard 3.4.II-III, 3.4.1, 3.4.2 I-XIX)
# ---------------------------------------------------------------------------------------------


class TnaState(models.TextChoices):
    """draft -> agreed with the training provider (3.4.II) -> in force once the executive
    lead signs it off (3.4.II-III) -> superseded when a later version is signed off."""

    DRAFT = "draft", "Draft"
    AGREED = "agreed", "Agreed with the training provider"
    IN_FORCE = "in_force", "In force"
    SUPERSEDED = "superseded", "Superseded"


class StaffGroup(models.TextChoices):
    """Who a requirement is for by registration (2.5.2.II: ILS for qualified staff)."""

    EVERYONE = "everyone", "Everyone"
    QUALIFIED = "qualified", "Registered (qualified) staff"
    UNQUALIFIED = "unqualified", "Staff who are not registered"


class TrainingNeedsAnalysis(models.Model):
    """One version of the organisation's training needs analysis, for every service or for one
    service type. Versions are numbered within that scope; only one per scope is in force."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    # "" is the whole organisation; a service type narrows it to the wards of that type
    # (standard 3.4.1: proportional to the needs of the people supported, no blanket training).
    service_type = models.CharField(max_length=20, choices=ServiceType.choices, blank=True)
    version = models.PositiveIntegerField()
    state = models.CharField(max_length=12, choices=TnaState.choices, default=TnaState.DRAFT)
    # The document's sections (3.4.2.IV-IX, 3.4.1 elevated risks).
    risks = models.TextField("needs and elevated risks considered", blank=True)  # 3.4.1
    content = models.TextField("non-physical and physical content", blank=True)  # 3.4.2.IV
    learning_outcomes = models.TextField(blank=True)  # 3.4.2.V
    competence_testing = models.TextField(
        "how knowledge, competence and attitudes are tested", blank=True
    )  # 3.4.2.VI
    physical_rationale = models.TextField(
        "rationale for each physical intervention taught", blank=True
    )  # 3.4.2.VII
    sub_specialty = models.TextField("sub-specialty needs", blank=True)  # 3.4.2.VIII
    # 3.4.II: agreed between the service provider and the training provider.
    training_provider = models.CharField(max_length=limits.NAME, blank=True)
    agreed_by = models.CharField(
        "agreed for the training provider by", max_length=limits.NAME, blank=True
    )
    agreed_on = models.DateField(null=True, blank=True)
    agreement_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    # 3.4.II-III: signed off by the executive lead for reducing restrictive practice.
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    review_due_on = models.DateField(null=True, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The incident profile it was built on, as it stood at sign-off (anonymised, suppressed):
    # what was signed must not change when later incidents are recorded. Empty until then.
    incident_profile = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["service_type", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "service_type", "version"],
                name="tna_version_unique_in_scope",
            ),
            models.UniqueConstraint(
                fields=["organisation", "service_type"], condition=models.Q(state="in_force"),
                name="tna_one_in_force_per_scope",
            ),
        ]

    def __str__(self) -> str:
        return f"Training needs analysis version {self.version}"

    @property
    def is_editable(self) -> bool:
        return self.state in (TnaState.DRAFT, TnaState.AGREED)


class TnaRequirement(models.Model):
    """One row of the analysis: a staff group needs a course at a frequency (3.4.2.I-III).
    A person is in the group when every criterion set matches: their registration, their
    employment (any if blank) and the ward (any ward of the scope if none)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    analysis = models.ForeignKey(
        TrainingNeedsAnalysis, on_delete=models.PROTECT, related_name="requirements"
    )
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="+")
    staff_group = models.CharField(
        max_length=12, choices=StaffGroup.choices, default=StaffGroup.EVERYONE
    )
    employment = models.CharField(max_length=16, choices=Employment.choices, blank=True)
    ward = models.ForeignKey(
        "organisations.Ward", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # None: the course's own refresher interval.
    refresher_months = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    # Never deleted: a row taken out of a draft keeps when, so the audit trail can show it.
    removed_at = models.DateTimeField(null=True, blank=True)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["course__code", "pk"]

    def __str__(self) -> str:
        return f"{self.course.code} for {self.group_label}"

    @property
    def group_label(self) -> str:
        parts = [self.get_staff_group_display()]
        if self.employment:
            employment = f"{self.get_employment_display()} staff"
            if self.staff_group == StaffGroup.EVERYONE:
                parts = [employment]
            else:
                parts.append(employment.lower())
        if self.ward is not None:
            parts.append(f"on {self.ward.name}")
        return ", ".join(parts)

    @property
    def months(self) -> int:
        return self.refresher_months or self.course.refresher_months


# ---------------------------------------------------------------------------------------------
# What a course teaches and how it went (standard 3.4.2.XXIV-XXXI, XXXVII-XLI)
# ---------------------------------------------------------------------------------------------


class PhysicalTechnique(models.Model):
    """One physical intervention of a physical or specialist course's training manual
    (3.4.2.XXIV), with its risk assessment (XXVI, XXX, XXXI) signed off by the executive lead
    (XXV) and reviewed yearly (XXIX). Any change to what was assessed returns it to awaiting
    sign-off: the lead signed off the balance of the risks as they were written then.
    Withdrawn, never deleted, when it stops being taught."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="techniques")
    name = models.CharField(max_length=limits.NAME)
    description = models.TextField()
    training_risks = models.TextField("risks in training")  # 3.4.2.XXVI
    physical_risks = models.TextField("physical risks in practice")  # XXVI, XXXI
    psychological_risks = models.TextField("psychological risks in practice")  # XXXI
    mitigations = models.TextField("how the risks are reduced in clinical practice")  # XXX
    # XXVI: conducted by an appropriately qualified professional (medical or legal staff).
    assessed_by = models.CharField("risk assessed by", max_length=limits.NAME)
    assessor_qualification = models.CharField(max_length=limits.NAME)
    assessed_on = models.DateField()
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    review_due_on = models.DateField(null=True, blank=True)
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["course__code", "name", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.course.code})"

    @property
    def is_signed_off(self) -> bool:
        return self.signed_off_at is not None

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_on is not None

    def review_overdue(self, day: dt.date) -> bool:
        return self.review_due_on is not None and self.review_due_on < day


class TrainingEventKind(models.TextChoices):
    INJURY = "injury", "Injury"
    INCIDENT = "incident", "Incident"
    NEAR_MISS = "near_miss", "Near miss"


class TrainingEventSeverity(models.TextChoices):
    NONE = "none", "No harm"
    MINOR = "minor", "Minor"
    MODERATE = "moderate", "Moderate"
    SEVERE = "severe", "Severe"


class TrainingEvent(models.Model):
    """An injury, incident or near miss during a training session (3.4.2.XXXVII), recorded by
    the trainer with the trust's incident system reference, and reviewed by the executive lead
    in their regular audit (XLI)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    session = models.ForeignKey(TrainingSession, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=12, choices=TrainingEventKind.choices)
    # An attendee of the session, or the trainer when `staff` is empty.
    staff = models.ForeignKey(
        StaffMember, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    occurred_on = models.DateField()
    what_happened = models.TextField()
    severity = models.CharField(max_length=10, choices=TrainingEventSeverity.choices)
    incident_reference = models.CharField(
        "reference in the trust's incident reporting system", max_length=60, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)
    # Recorded by mistake (the wrong session, say): kept, marked, and no longer counted.
    entered_in_error_at = models.DateTimeField(null=True, blank=True)
    entered_in_error_reason = models.TextField(blank=True)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        indexes = [models.Index(fields=["organisation", "occurred_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.occurred_on}"

    @property
    def who(self) -> str:
        return self.staff.name if self.staff else f"The trainer ({self.session.trainer_name})"


class CourseReport(models.Model):
    """The trainer's report of one session (3.4.2.XXXVIII): the content delivered and any
    issues arising, for quality assurance. One per session; each change is audited."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    session = models.OneToOneField(
        TrainingSession, on_delete=models.PROTECT, related_name="report"
    )
    content_delivered = models.TextField()
    issues_arising = models.TextField(blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganisationScopedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Course report of {self.session}"


RATINGS = (1, 2, 3, 4, 5)


class SessionEvaluation(models.Model):
    """What the attendees' evaluation forms said (3.4.2.XL: the efficacy of training): how
    many came back, how many gave each rating from 1 (strongly disagree) to 5 (strongly agree)
    to "this training will help me keep people safe", and the themes of their comments."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    session = models.OneToOneField(
        TrainingSession, on_delete=models.PROTECT, related_name="evaluation"
    )
    forms_returned = models.PositiveSmallIntegerField()
    rating_1 = models.PositiveSmallIntegerField(default=0)
    rating_2 = models.PositiveSmallIntegerField(default=0)
    rating_3 = models.PositiveSmallIntegerField(default=0)
    rating_4 = models.PositiveSmallIntegerField(default=0)
    rating_5 = models.PositiveSmallIntegerField(default=0)
    themes = models.TextField("themes and comments", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganisationScopedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Evaluation of {self.session}"

    @property
    def ratings(self) -> list[tuple[int, int]]:
        return [(r, getattr(self, f"rating_{r}")) for r in RATINGS]

    @property
    def mean_rating(self) -> float | None:
        rated = sum(count for _r, count in self.ratings)
        if not rated:
            return None
        return round(sum(r * count for r, count in self.ratings) / rated, 1)


# ---------------------------------------------------------------------------------------------
# Competence per physical technique (issue 13; standard 3.4.2.XXXIX)
# ---------------------------------------------------------------------------------------------


class TechniqueOutcome(models.TextChoices):
    """One attendee's result in one technique of the training manual. "Not assessed" is for a
    technique the trainer did not see them practise (they left early, it was not taught that
    day): it is neither competent nor a failure."""

    COMPETENT = st.COMPETENT, "Competent"
    NOT_YET_COMPETENT = "not_yet_competent", "Not yet competent"
    EXCLUDED_HEALTH = "excluded_health", "Excluded on health grounds"
    NOT_ASSESSED = "not_assessed", "Not assessed"


class TechniqueResult(models.Model):
    """What the trainer found for one attendee in one technique taught at the session
    (issue 13: "competence per technique"). Hangs on the attendee's training record, so a
    record marked entered in error takes its technique results with it: they stop counting."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    record = models.ForeignKey(
        TrainingRecord, on_delete=models.PROTECT, related_name="technique_results"
    )
    technique = models.ForeignKey(
        PhysicalTechnique, on_delete=models.PROTECT, related_name="results"
    )
    result = models.CharField(max_length=20, choices=TechniqueOutcome.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["technique__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["record", "technique"], name="technique_result_once_per_record"
            )
        ]

    def __str__(self) -> str:
        return f"{self.technique.name}: {self.get_result_display()}"
