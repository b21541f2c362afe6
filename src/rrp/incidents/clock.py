"""What the clock does every minute for uses of force (run by `rrp worker`, rrp.jobs.schedule):

* **recurring reviews fall due**: while mechanical restraint, seclusion or segregation lasts,
  the next review is created when it falls due, not only when someone next saves the record
  (standard 2.5.2.XII; MHA Code of Practice 26.82, 26.118-26.125, 26.152);
* **overdue duties are noticed**: each duty that has gone past its due time is marked and the
  people who own it on its ward are told (in RRP, and by email when set up);
* **late medical reviews are escalated**: a medical review still not done
  `RRP_ESCALATE_MEDICAL_REVIEW_AFTER_MINUTES` after it fell due goes to the roles in
  `RRP_ESCALATE_MEDICAL_REVIEW_TO` (the nurse in charge, i.e. the ward manager, and the lead):
  a restrained person must be seen by a doctor within the hour (standard 2.5.2.XI).

Each step reads the records as they stand and marks what it did, so running a minute twice
(a worker lost mid-job) or missing minutes (no worker running) tells nobody twice and loses
nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Final

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse

from rrp.audit.models import AuditAction
from rrp.audit.services import audit_record, system_actor
from rrp.incidents import codes, duty_rules
from rrp.incidents.models import Duty, Incident
from rrp.incidents.presenters import how_long
from rrp.incidents.services import duties_sync
from rrp.notifications import services as notifications
from rrp.notifications.models import Kind

logger = logging.getLogger(__name__)

RECURRING_TYPES: Final = (
    duty_rules.MECHANICAL_RESTRAINT, duty_rules.SECLUSION, duty_rules.SEGREGATION,
)
# A duty overdue for longer than this when first noticed (RRP was not running, or the data
# was imported) is marked but tells nobody: it is on every worklist already, and a flood of
# old news would bury today's.
TELL_WITHIN: Final = dt.timedelta(hours=24)
MEDICAL_REVIEW_KINDS: Final = ("medical_review", "seclusion_medical_review")


def _open_duties() -> QuerySet[Duty]:
    return Duty.objects.filter(
        completed_at__isnull=True, not_required_reason="",
        incident__entered_in_error_at__isnull=True,
    ).exclude(incident__status=codes.Status.DRAFT)


def _link(incident: Incident) -> str:
    return reverse("incidents:detail", kwargs={"pk": incident.pk})


def _unmarked(duties: QuerySet[Duty], mark: str) -> QuerySet[Duty]:
    return (duties.filter(**{f"{mark}__isnull": True})
            .select_related("incident", "incident__ward", "organisation")
            .order_by("due_at", "pk"))


def _mark_once(duty: Duty, mark: str, now: dt.datetime) -> bool:
    """Set the clock's mark on the duty unless it is set already: of two workers running the
    same minute, only one marks it (and so only one tells anyone)."""
    return bool(Duty.objects.filter(pk=duty.pk, **{f"{mark}__isnull": True})
                .update(**{mark: now}))


def recurring_reviews(*, now: dt.datetime) -> int:
    """Create every recurring review that has fallen due. Returns how many were created."""
    ongoing = (
        Incident.objects.filter(
            interventions__type_code__in=RECURRING_TYPES, interventions__ended_at__isnull=True,
            entered_in_error_at__isnull=True,
        )
        .exclude(status=codes.Status.DRAFT)
        .distinct()
    )
    created = 0
    for incident in ongoing.select_related("organisation"):
        with transaction.atomic():
            before = set(incident.duties.values_list("key", flat=True))
            duties = duties_sync(incident=incident, now=now)
            new = [d for d in duties if d.key not in before]
            if new:
                audit_record(
                    actor=system_actor(), action=AuditAction.CREATE,
                    organisation=incident.organisation, obj=incident,
                    summary=f"{incident.reference}: {len(new)} recurring review(s) fell due",
                    after={"duties": [d.key for d in new]},
                )
                created += len(new)
    return created


def overdue_duties(*, now: dt.datetime) -> int:
    """Mark each newly overdue duty and tell its owners on the ward. Returns how many
    duties were marked."""
    marked = 0
    for duty in _unmarked(_open_duties().filter(due_at__lt=now), "overdue_noticed_at"):
        incident = duty.incident
        with transaction.atomic():
            if not _mark_once(duty, "overdue_noticed_at", now):
                continue  # another worker got there first
            audit_record(actor=system_actor(), action=AuditAction.CHANGE,
                         organisation=duty.organisation, obj=duty,
                         summary=f"{incident.reference}: {duty.label} overdue",
                         after={"overdue_noticed_at": now.isoformat()})
            if now - duty.due_at <= TELL_WITHIN:
                notifications.notify(
                    organisation=duty.organisation,
                    recipients=notifications.people_with_roles(
                        duty.organisation, incident.ward, [duty.owner_role]),
                    kind=Kind.DUTY_OVERDUE, duty=duty, now=now, link=_link(incident),
                    title=f"Overdue: {duty.label}, {incident.ward.name} ({incident.reference})",
                    body=f"Due at {_local_time(duty.due_at)}; {how_long(now - duty.due_at)} "
                         "overdue.",
                )
            marked += 1
    return marked


def late_medical_reviews(*, now: dt.datetime) -> int:
    """Escalate each medical review still open long after it fell due. Returns how many."""
    after = dt.timedelta(minutes=settings.RRP_ESCALATE_MEDICAL_REVIEW_AFTER_MINUTES)
    late = _open_duties().filter(kind__in=MEDICAL_REVIEW_KINDS, due_at__lt=now - after,
                                 due_at__gte=now - TELL_WITHIN)
    escalated = 0
    for duty in _unmarked(late, "escalated_at"):
        incident = duty.incident
        with transaction.atomic():
            if not _mark_once(duty, "escalated_at", now):
                continue
            audit_record(actor=system_actor(), action=AuditAction.CHANGE,
                         organisation=duty.organisation, obj=duty,
                         summary=f"{incident.reference}: {duty.label} escalated, "
                                 f"{how_long(now - duty.due_at)} overdue",
                         after={"escalated_at": now.isoformat()})
            notifications.notify(
                organisation=duty.organisation,
                recipients=notifications.people_with_roles(
                    duty.organisation, incident.ward, settings.RRP_ESCALATE_MEDICAL_REVIEW_TO),
                kind=Kind.MEDICAL_REVIEW_ESCALATED, duty=duty, now=now, link=_link(incident),
                title=f"Medical review not done: {incident.ward.name} ({incident.reference}), "
                      f"{how_long(now - duty.due_at)} overdue",
                body=f"{duty.label}: due at {_local_time(duty.due_at)}. Ask a doctor to see "
                     "the person now.",
            )
            escalated += 1
    return escalated


def _local_time(value: dt.datetime) -> str:
    from django.utils import timezone

    local = timezone.localtime(value)
    return f"{local:%H:%M} on {local.day} {local:%B}"


def run(*, now: dt.datetime) -> dict[str, int]:
    """One minute of the clock, in order: new reviews first, so a review that fell due and
    went overdue while no worker ran is noticed in the same minute."""
    return {
        "recurring_reviews": recurring_reviews(now=now),
        "overdue": overdue_duties(now=now),
        "escalated": late_medical_reviews(now=now),
        "emails": notifications.send_emails(now=now),
    }
