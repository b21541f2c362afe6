"""A message to one person in RRP: a duty gone overdue on their ward, a late medical review
escalated. Shown in their notification list (a count in the header) and, when RRP_EMAIL_HOST
is set, sent by email at most once an hour per person (rrp.notifications.services)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from rrp.core.scoping import OrganisationScopedQuerySet


class Kind(models.TextChoices):
    DUTY_OVERDUE = "duty_overdue", "Duty overdue"
    MEDICAL_REVIEW_ESCALATED = "medical_review_escalated", "Medical review escalated"


class Notification(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notifications"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    # Never a patient's name: a notification says where to look (ward, reference, duty).
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=300, blank=True)
    duty = models.ForeignKey(
        "incidents.Duty", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # The clock may run twice for a minute (a worker lost mid-job): one message each.
            models.UniqueConstraint(fields=["recipient", "duty", "kind"],
                                    name="notification_once_per_duty"),
        ]
        indexes = [models.Index(fields=["recipient", "organisation", "read_at"])]

    def __str__(self) -> str:
        return self.title
