"""Compliance with the National Minimum Standards: the catalogue as database rows, assessment
cycles, per-statement assessments with their history, evidence, the action plan and peer
review by another provider.

The catalogue data file (data/<edition>.json, read by catalogue.py) is loaded into
StandardsEdition / ComplianceStatement by a data migration or `rrp standards load`, so a
later edition of the standard sits beside the first and each cycle says which it used.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from rrp.core.scoping import OrganisationScopedQuerySet


class StandardsEdition(models.Model):
    """One published edition of the standard, loaded from its data file."""

    code = models.CharField(max_length=40, unique=True, help_text="e.g. nms-2019-12")
    title = models.CharField(max_length=300)
    published = models.DateField()
    status = models.CharField(max_length=20, help_text="As printed: draft or final")
    source_sha256 = models.CharField(max_length=64, blank=True)
    data_sha256 = models.CharField(
        max_length=64, help_text="SHA-256 of the data file loaded, to detect a changed file"
    )
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-published", "code"]

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"

    @property
    def described(self) -> str:
        """Which edition, in words for people: "Draft of 14 December 2019"."""
        return f"{self.status.capitalize()} of {self.published.day} {self.published:%B %Y}"


class ComplianceStatement(models.Model):
    """A numbered compliance statement (``1.4.1.III``) of one edition."""

    edition = models.ForeignKey(
        StandardsEdition, on_delete=models.PROTECT, related_name="statements"
    )
    ref = models.CharField("statement id", max_length=24)
    position = models.PositiveIntegerField(help_text="Order in the document")
    section = models.CharField(max_length=4)
    section_title = models.CharField(max_length=200)
    subsection = models.CharField(max_length=16)
    title = models.CharField(max_length=300, help_text="Title of the subsection it sits under")
    text = models.TextField()
    sub_points = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["edition", "position"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "ref"], name="statement_ref_unique"),
        ]

    def __str__(self) -> str:
        return self.ref

    @property
    def is_care_planning(self) -> bool:
        """Section 2 statements apply ward by ward, so a cycle's scope applies to them."""
        return self.section == "2"


class CycleStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    IN_REVIEW = "in_review", "In review"
    SIGNED_OFF = "signed_off", "Signed off"


class AssessmentCycle(models.Model):
    """One self-assessment against every statement of an edition (e.g. "2026/27 annual")."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="assessment_cycles"
    )
    edition = models.ForeignKey(StandardsEdition, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=120)
    period_start = models.DateField("start of the period assessed")
    period_end = models.DateField("end of the period assessed")
    status = models.CharField(
        max_length=16, choices=CycleStatus.choices, default=CycleStatus.PLANNED
    )
    # Section 2 statements may be assessed for some sites or wards only.
    scope_sites = models.ManyToManyField("organisations.Site", blank=True, related_name="+")
    scope_wards = models.ManyToManyField("organisations.Ward", blank=True, related_name="+")
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sign_off_statement = models.TextField(blank=True)
    # Live indicator figures frozen when the cycle is signed off: {statement id: [result, ...]}.
    indicators_at_sign_off = models.JSONField(default=dict, blank=True)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="cycle_name_unique_in_org"
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="cycle_period_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_locked(self) -> bool:
        return self.status == CycleStatus.SIGNED_OFF

    @property
    def accepts_ratings(self) -> bool:
        return self.status in {CycleStatus.IN_PROGRESS, CycleStatus.IN_REVIEW}


class Rating(models.TextChoices):
    MET = "met", "Met"
    PARTIALLY_MET = "partially_met", "Partially met"
    NOT_MET = "not_met", "Not met"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class StatementAssessment(models.Model):
    """The organisation's assessment of one statement in one cycle."""

    cycle = models.ForeignKey(AssessmentCycle, on_delete=models.PROTECT, related_name="assessments")
    statement = models.ForeignKey(
        ComplianceStatement, on_delete=models.PROTECT, related_name="assessments"
    )
    rating = models.CharField(max_length=16, choices=Rating.choices, blank=True)
    narrative = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # standard 1.15.II: "a documented rationale must be provided and the bespoke safe practice
    # arrangements in place described" whenever a statement is not applicable.
    na_rationale = models.TextField("rationale for not applicable", blank=True)
    na_arrangements = models.TextField("alternative arrangements in place", blank=True)
    carried_forward = models.BooleanField(
        default=False, help_text="Copied from the previous cycle and not yet changed in this one"
    )
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["cycle", "statement__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "statement"], name="assessment_one_per_statement"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.statement.ref} in {self.cycle}"

    @property
    def is_fully_met(self) -> bool:
        return self.rating == Rating.MET


class HistoryKind(models.TextChoices):
    CYCLE = "cycle", "Cycle"
    ASSESSMENT = "assessment", "Assessment changed"
    CARRIED_FORWARD = "carried_forward", "Carried forward"
    IMPORTED = "imported", "Imported"
    EVIDENCE_ADDED = "evidence_added", "Evidence added"
    EVIDENCE_REMOVED = "evidence_removed", "Evidence removed"
    ACTION = "action", "Action"
    PEER_REVIEW = "peer_review", "Peer review"
    CHALLENGE_ANSWERED = "challenge_answered", "Challenge answered"


class AssessmentHistory(models.Model):
    """Every change to a cycle and its assessments, in words and as before/after values,
    shown on the statement page (the audit trail holds the same events, organisation-wide)."""

    cycle = models.ForeignKey(AssessmentCycle, on_delete=models.PROTECT, related_name="history")
    assessment = models.ForeignKey(
        StatementAssessment,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="history",
    )
    occurred_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=20, choices=HistoryKind.choices)
    summary = models.CharField(max_length=300)
    changes = models.JSONField(default=dict, blank=True, help_text="{field: [before, after]}")

    class Meta:
        ordering = ["-occurred_at", "-pk"]

    def __str__(self) -> str:
        return self.summary


class EvidenceKind(models.TextChoices):
    FILE = "file", "Uploaded file"
    LINK = "link", "Link to a web page"
    RECORD = "record", "Record in RRP"


class RecordKind(models.TextChoices):
    POLICY = "policy", "Policy"
    REPORT = "report", "Report"
    DASHBOARD = "dashboard", "Dashboard view"
    PLAN = "plan", "Plan"
    OTHER = "other", "Other record"


class Evidence(models.Model):
    """A piece of evidence the organisation holds: a file, a link, or a record in RRP. It can
    support several statements, and later cycles."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=8, choices=EvidenceKind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_on = models.DateField("review or expiry date", null=True, blank=True)
    # Uploaded files: stored outside the web root under a random name, checked by their hash.
    original_name = models.CharField(max_length=255, blank=True)
    stored_name = models.CharField(max_length=80, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    url = models.URLField("web address", max_length=1000, blank=True)
    record_kind = models.CharField(max_length=16, choices=RecordKind.choices, blank=True)
    record_path = models.CharField("address in RRP", max_length=500, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["stored_name"],
                condition=~models.Q(stored_name=""),
                name="evidence_stored_name_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def reference(self) -> str:
        return f"E{self.pk}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class EvidenceAttachment(models.Model):
    """Evidence offered for one statement assessment. Removing it keeps the row (history)."""

    assessment = models.ForeignKey(
        StatementAssessment, on_delete=models.PROTECT, related_name="attachments"
    )
    evidence = models.ForeignKey(Evidence, on_delete=models.PROTECT, related_name="attachments")
    added_at = models.DateTimeField()
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "evidence"],
                condition=models.Q(removed_at__isnull=True),
                name="evidence_attached_once",
            ),
        ]


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    STOPPED = "stopped", "Stopped"


OPEN_ACTION_STATUSES = (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS)


class ActionPlanItem(models.Model):
    """An improvement action raised from a statement that is not fully met. Open actions
    carry into later cycles: they are the organisation's plan, not a cycle's snapshot."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    statement = models.ForeignKey(ComplianceStatement, on_delete=models.PROTECT, related_name="+")
    raised_in = models.ForeignKey(AssessmentCycle, on_delete=models.PROTECT, related_name="actions")
    assessment = models.ForeignKey(
        StatementAssessment, on_delete=models.PROTECT, related_name="actions"
    )
    description = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField("due date")
    status = models.CharField(
        max_length=16, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    completed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["organisation", "status", "due_on"])]

    def __str__(self) -> str:
        return f"{self.reference}: {self.description[:60]}"

    @property
    def reference(self) -> str:
        return f"A{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ACTION_STATUSES


class ActionProgressNote(models.Model):
    action = models.ForeignKey(
        ActionPlanItem, on_delete=models.PROTECT, related_name="progress_notes"
    )
    note = models.TextField()
    status = models.CharField(
        "status after this update", max_length=16, choices=ActionStatus.choices
    )
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-recorded_at", "-pk"]


class PeerReviewStatus(models.TextChoices):
    INVITED = "invited", "Invited"
    SIGNED_OFF = "signed_off", "Signed off"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


ACTIVE_PEER_REVIEW_STATUSES = (PeerReviewStatus.INVITED, PeerReviewStatus.SIGNED_OFF)


class PeerReview(models.Model):
    """standard 1.15.III, 1.15.1.II: a named reviewer from another provider in the same
    deployment reviews one cycle, and nothing else of the assessing organisation."""

    cycle = models.ForeignKey(
        AssessmentCycle, on_delete=models.PROTECT, related_name="peer_reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewer_organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    message = models.TextField(blank=True)
    respond_by = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=PeerReviewStatus.choices, default=PeerReviewStatus.INVITED
    )
    invited_at = models.DateTimeField()
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    conclusion = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-invited_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "reviewer"],
                condition=models.Q(status__in=["invited", "signed_off"]),
                name="peer_review_one_active_per_reviewer",
            ),
        ]

    def __str__(self) -> str:
        return f"Peer review of {self.cycle} by {self.reviewer}"

    @property
    def is_open(self) -> bool:
        return self.status == PeerReviewStatus.INVITED


class Verdict(models.TextChoices):
    AGREE = "agree", "Agree"
    CHALLENGE = "challenge", "Challenge"


class PeerReviewResponse(models.Model):
    """The reviewer's view of one statement assessment, and the organisation's answer."""

    peer_review = models.ForeignKey(PeerReview, on_delete=models.PROTECT, related_name="responses")
    assessment = models.ForeignKey(
        StatementAssessment, on_delete=models.PROTECT, related_name="peer_responses"
    )
    verdict = models.CharField(max_length=12, choices=Verdict.choices)
    comment = models.TextField(blank=True)
    responded_at = models.DateTimeField()
    answer = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["assessment__statement__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["peer_review", "assessment"], name="peer_response_one_per_statement"
            ),
        ]

    @property
    def awaits_answer(self) -> bool:
        return self.verdict == Verdict.CHALLENGE and not self.answer
