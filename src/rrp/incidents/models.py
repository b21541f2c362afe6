"""A use of force: the incident, its timed interventions, who was involved, injuries, the
versions kept after submission, and the duties that follow with the records that meet them.

One incident holds every item of the Mental Health Units (Use of Force) Act 2018 s.6(5)
(a)-(p) and the MHSDS MHS505 / MHS515 data; the comments name the item each field carries.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from rrp.core.scoping import OrganisationScopedQuerySet
from rrp.incidents import codes


class Incident(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="incidents"
    )
    ward = models.ForeignKey(  # s.6(5)(b) place
        "organisations.Ward", on_delete=models.PROTECT, related_name="incidents"
    )
    patient = models.ForeignKey(  # s.6(5)(e), (g)
        "patients.Patient", on_delete=models.PROTECT, related_name="incidents"
    )
    status = models.CharField(
        max_length=16, choices=codes.Status.choices, default=codes.Status.DRAFT
    )
    # s.6(5)(b) date. Empty only on a draft saved before any time was typed: submission
    # refuses a record without one.
    started_at = models.DateTimeField(null=True, blank=True, db_index=True)
    ended_at = models.DateTimeField(null=True, blank=True)  # s.6(5)(b) duration; None while ongoing
    reason = models.CharField(max_length=2, choices=codes.Reason.choices)  # s.6(5)(a)
    reason_detail = models.TextField(blank=True)
    description = models.TextField()  # s.6(5)(f) how force was used
    de_escalation = models.JSONField(default=list, blank=True)  # s.6(5)(o) checklist
    efforts_to_avoid = models.TextField()  # s.6(5)(o) in words
    in_care_plan = models.BooleanField(null=True)  # s.6(5)(d)
    outcome = models.TextField()  # s.6(5)(m)
    death_or_serious_injury = models.BooleanField(default=False)  # s.6(5)(n)
    notification = models.CharField(  # s.6(5)(p)
        max_length=16, choices=codes.Notification.choices
    )
    planned = models.BooleanField(default=False)
    negligible = models.BooleanField(
        default=False, help_text="Light, non-resisted guiding: outside the s.6 recording duty"
    )
    harm = models.CharField(max_length=16, choices=codes.Harm.choices, default=codes.Harm.NONE)
    psychological_harm = models.CharField(
        max_length=16,
        choices=codes.PsychologicalHarm.choices,
        default=codes.PsychologicalHarm.NOT_KNOWN,
    )
    # s.6(5)(j)-(l): the patient's characteristics as they stood at the time.
    patient_snapshot = models.JSONField(default=dict, blank=True)
    # A draft's answers the record's own fields cannot hold: a question not answered yet
    # (harm, death or serious injury, the care plan question, "was anyone injured?") and the
    # date typed before any time. Reopening the draft shows exactly what was typed, never a
    # default nobody chose. Emptied on submission.
    draft_answers = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_notes = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    entered_in_error_at = models.DateTimeField(null=True, blank=True)
    entered_in_error_reason = models.TextField(blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["organisation", "started_at"]),
            models.Index(fields=["ward", "started_at"]),
        ]

    def __str__(self) -> str:
        return f"Use of force {self.pk} on {self.ward.code}"

    @property
    def reference(self) -> str:
        return f"UOF-{self.pk:06d}"

    @property
    def is_entered_in_error(self) -> bool:
        return self.entered_in_error_at is not None

    @property
    def duration_minutes(self) -> float | None:
        if self.ended_at is None or self.started_at is None:
            return None
        return (self.ended_at - self.started_at).total_seconds() / 60

    @property
    def is_draft(self) -> bool:
        return self.status == codes.Status.DRAFT and not self.is_entered_in_error


class Intervention(models.Model):
    """One type of force with its own times (MHS515): prone for 4 minutes then supine for 6
    is two interventions."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="interventions")
    type_code = models.CharField(max_length=2, choices=codes.InterventionType.choices)  # s.6(5)(c)
    started_at = models.DateTimeField(null=True, blank=True)  # empty only on a draft
    ended_at = models.DateTimeField(null=True, blank=True)
    # Prone restraint (MHSDS RestrictiveIntType 01): why it was used. Department of Health,
    # "Positive and Proactive Care" (2014): prone only in exceptional circumstances, for the
    # shortest time, and the reason recorded (check the current wording). Required at
    # submission for every prone intervention; how long it lasted is its start and end.
    # Empty for every other type.
    prone_reason = models.TextField(blank=True)
    # Rapid tranquillisation and other medication.
    drug = models.CharField(max_length=120, blank=True)
    dose = models.CharField(max_length=60, blank=True)
    route = models.CharField(max_length=8, choices=codes.Route.choices, blank=True)
    high_risk = models.BooleanField(
        default=False,
        help_text="Above BNF maximum, asleep or sedated, drugs or alcohol, physical illness or "
        "harm from restraint: checks every 15 minutes (NICE NG10)",
    )

    class Meta:
        ordering = ["started_at", "pk"]

    def __str__(self) -> str:
        if self.started_at is None:
            return str(self.get_type_code_display())
        return f"{self.get_type_code_display()} from {self.started_at:%H:%M}"

    @property
    def duration_minutes(self) -> float | None:
        if self.ended_at is None or self.started_at is None:
            return None
        return (self.ended_at - self.started_at).total_seconds() / 60

    @property
    def is_prone(self) -> bool:
        return self.type_code == codes.InterventionType.PRONE

    @property
    def category(self) -> str:
        return codes.category(self.type_code)


class StaffInvolvement(models.Model):
    """s.6(5)(h): name and job title of every member of staff who used force."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="staff")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=120)
    grade = models.CharField(max_length=40, blank=True)
    role = models.CharField(max_length=24, choices=codes.StaffRole.choices)
    injured = models.BooleanField(default=False)
    # The person's entry on the staff register (issue 13), when they are on it. Empty for
    # people who are not (agency staff on their first shift): their name and job title are
    # typed. Either way name and job title above are what the Use of Force record states.
    staff_member = models.ForeignKey(
        "workforce.StaffMember", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    # Standard 1.5.V asks whether the staff who held the patient were trained: the person's
    # standing in each course they need (or had) on the day of the incident, frozen when the
    # record is saved so later training never rewrites it. A list of {"course", "title",
    # "level", "required", "status", "expires_on"} (rrp.workforce.selectors.training_on_the_day);
    # None for someone not on the register, whose training RRP cannot know.
    training_on_the_day = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.name}, {self.job_title}"

    @property
    def on_register(self) -> bool:
        return self.staff_member_id is not None

    @property
    def used_force(self) -> bool:
        return self.role not in codes.NO_FORCE_ROLES


class OtherPersonInvolved(models.Model):
    """s.6(5)(i): anyone who was not unit staff (police, security...) and why."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="others")
    kind = models.CharField(max_length=16, choices=codes.OtherPersonKind.choices)
    name = models.CharField(max_length=200, blank=True)
    reason = models.TextField()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.get_kind_display()


class Injury(models.Model):
    """MHSDS RestraintInjuryPatient / CarePers / OtherPers, with severity."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="injuries")
    person = models.CharField(max_length=8, choices=codes.InjuredPerson.choices)
    severity = models.CharField(max_length=8, choices=codes.InjurySeverity.choices)
    description = models.TextField()
    intervention = models.ForeignKey(
        Intervention, null=True, blank=True, on_delete=models.PROTECT, related_name="injuries"
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_person_display()}: {self.get_severity_display()}"


class IncidentVersion(models.Model):
    """Every change after submission keeps the whole previous record with who, when and why."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField()
    changed_at = models.DateTimeField(auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    change_reason = models.TextField()
    record = models.JSONField(help_text="The record as it was before this change")

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "version"], name="incident_version_unique")
        ]


class Duty(models.Model):
    """A timed duty that follows a use of force (rules in duty_rules.py)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="duties")
    kind = models.CharField(max_length=40, db_index=True)
    sequence = models.PositiveSmallIntegerField(default=1)
    intervention = models.ForeignKey(
        Intervention, null=True, blank=True, on_delete=models.PROTECT, related_name="duties"
    )
    # kind, intervention position and sequence: what identifies a duty when the record changes.
    key = models.CharField(max_length=80)
    label = models.CharField(max_length=200)
    source = models.CharField(max_length=200)
    owner_role = models.CharField(max_length=16)
    due_at = models.DateTimeField(db_index=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    late_reason = models.TextField(blank=True)
    not_required_reason = models.TextField(blank=True)
    # Set by the clock (rrp.incidents.clock): when RRP saw the duty overdue and told its owners,
    # and when a late medical review was escalated. Neither changes the duty's state.
    overdue_noticed_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "key"], name="duty_key_unique")
        ]
        indexes = [models.Index(fields=["organisation", "completed_at", "due_at"])]

    def __str__(self) -> str:
        return f"{self.label} (due {self.due_at:%Y-%m-%d %H:%M})"

    @property
    def is_open(self) -> bool:
        return self.completed_at is None and not self.not_required_reason


class MedicalReview(models.Model):
    """Standard 2.5.2.XI: within 1 hour of restraint, or a documented reason for the delay."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="medical_reviews")
    reviewed_at = models.DateTimeField()
    reviewer = models.CharField(max_length=200)
    findings = models.TextField()
    delay_reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["reviewed_at"]


class Observation(models.Model):
    """Physical observations after restraint (2.5.2.XIV, XVII) and rapid tranquillisation
    monitoring (NICE QS154 statement 4). When they could not be taken, the reason and what
    was done instead are recorded."""

    KIND_PHYSICAL = "physical"
    KIND_RT = "rapid_tranquillisation"
    KINDS = [(KIND_PHYSICAL, "Physical observations"), (KIND_RT, "Rapid tranquillisation check")]

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="observations")
    kind = models.CharField(max_length=24, choices=KINDS, default=KIND_PHYSICAL)
    taken_at = models.DateTimeField()
    pulse = models.PositiveSmallIntegerField(null=True, blank=True)
    bp_systolic = models.PositiveSmallIntegerField(null=True, blank=True)
    bp_diastolic = models.PositiveSmallIntegerField(null=True, blank=True)
    respiratory_rate = models.PositiveSmallIntegerField(null=True, blank=True)
    temperature = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    spo2 = models.PositiveSmallIntegerField("SpO2", null=True, blank=True)
    consciousness = models.CharField(max_length=1, choices=codes.Consciousness.choices, blank=True)
    hydration = models.CharField("fluid and food intake and output", max_length=300, blank=True)
    not_taken_reason = models.TextField(blank=True)
    action_instead = models.TextField(blank=True)
    no_further_concerns = models.BooleanField(
        default=False, help_text="Rapid tranquillisation monitoring can stop"
    )
    late_reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["taken_at"]


class PostIncidentSupport(models.Model):
    """Support for the patient or for staff after the incident ('Review, support and debrief')."""

    FOR_PATIENT = "patient"
    FOR_STAFF = "staff"
    FOR_CHOICES = [(FOR_PATIENT, "The patient"), (FOR_STAFF, "Staff")]

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="support")
    support_for = models.CharField(max_length=8, choices=FOR_CHOICES)
    held = models.BooleanField()
    held_at = models.DateTimeField()
    not_held_reason = models.CharField(
        max_length=2, choices=codes.NotHeldReason.choices, blank=True
    )
    notes = models.TextField(blank=True)
    late_reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_at"]


class Debrief(models.Model):
    """The post-incident reflection and learning review, separate from support. Feeds MHSDS
    RestrictiveIntPIReviewHeldPat / NotHeldReasPat / HeldCarePers."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="debriefs")
    held = models.BooleanField()
    held_at = models.DateTimeField()
    patient_took_part = models.BooleanField(default=False)
    not_held_reason = models.CharField(
        max_length=2, choices=codes.NotHeldReason.choices, blank=True
    )
    carer_took_part = models.BooleanField(default=False)
    attendees = models.TextField(blank=True)
    learning = models.TextField(blank=True)
    late_reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_at"]


class PatientAccount(models.Model):
    """The patient's own account of the incident: offered, and accepted or declined."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="accounts")
    offered_at = models.DateTimeField()
    response = models.CharField(max_length=16, choices=codes.AccountResponse.choices)
    account = models.TextField(blank=True)
    late_reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["offered_at"]


class Review(models.Model):
    """Seclusion, segregation and mechanical restraint reviews, and the care plan review."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="reviews")
    kind = models.CharField(max_length=40, choices=codes.ReviewKind.choices)
    reviewed_at = models.DateTimeField()
    reviewer = models.CharField(max_length=200)
    notes = models.TextField()
    late_reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["reviewed_at"]


class Escalation(models.Model):
    """A death or serious injury, raised to the restrictive practice lead on submission
    (Use of Force Act s.8/s.9: impossible to miss)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="escalations")
    raised_at = models.DateTimeField(auto_now_add=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    emailed_to = models.TextField(blank=True)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at"]


class DutyPolicySetting(models.Model):
    """An organisation's local timings where stricter than the defaults in duty_rules.py.
    `values` maps DutyPolicy field names to minutes (validated by policy_from_mapping)."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="duty_policy"
    )
    values = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
