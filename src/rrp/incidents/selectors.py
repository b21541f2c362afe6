"""Reads of uses of force and their duties, always inside one organisation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet

from rrp.incidents import duty_rules
from rrp.incidents.models import Duty, Incident


def incidents_of(
    organisation: Any,
    *,
    ward: str | None = None,
    started_from: dt.datetime | None = None,
    started_to: dt.datetime | None = None,
    type_code: str | None = None,
    status: str | None = None,
    patient_id: int | None = None,
    created_by: Any = None,
) -> QuerySet[Incident]:
    incidents = Incident.objects.for_organisation(organisation).select_related("ward", "patient")
    if created_by is not None:
        incidents = incidents.filter(created_by=created_by)
    if ward:
        incidents = incidents.filter(ward__code=ward)
    if started_from:
        incidents = incidents.filter(started_at__gte=started_from)
    if started_to:
        incidents = incidents.filter(started_at__lt=started_to)
    if type_code:
        incidents = incidents.filter(interventions__type_code=type_code).distinct()
    if status == "entered_in_error":
        incidents = incidents.filter(entered_in_error_at__isnull=False)
    elif status:
        incidents = incidents.filter(status=status, entered_in_error_at__isnull=True)
    if patient_id:
        incidents = incidents.filter(patient_id=patient_id)
    return incidents


@dataclass(frozen=True)
class DutyStatus:
    """A stored duty with its state at a moment (the shape duty_rules.sort_for_worklist takes)."""

    duty: Duty
    state: duty_rules.DutyState

    @property
    def kind(self) -> str:
        return self.duty.kind

    @property
    def due_at(self) -> dt.datetime:
        return self.duty.due_at


# "Due soon" on the home page and the worklist filter: the duties to plan the next shift hours
# around. Both read this, so the number on the home page is the number of rows on the list.
DUE_SOON = dt.timedelta(hours=4)


def state_of(duty: Duty, now: dt.datetime) -> duty_rules.DutyState:
    return duty_rules.duty_state(
        duty.due_at, duty.completed_at, bool(duty.not_required_reason), duty.late_reason or None,
        now,
    )


def open_duties(
    organisation: Any,
    *,
    now: dt.datetime,
    ward: str | None = None,
    state: str | None = None,
    owner_roles: frozenset[str] | None = None,
) -> list[DutyStatus]:
    """Duties not yet done, most urgent first (duty_rules.sort_for_worklist). `state` is
    "overdue", "due" (not yet overdue), "due_soon" (due within DUE_SOON) or None for all."""
    duties = (
        Duty.objects.for_organisation(organisation)
        .filter(completed_at__isnull=True, not_required_reason="")
        .filter(incident__entered_in_error_at__isnull=True)
        .select_related("incident", "incident__ward", "incident__patient")
    )
    if ward:
        duties = duties.filter(incident__ward__code=ward)
    if state == "overdue":
        duties = duties.filter(due_at__lt=now)
    elif state == "due":
        duties = duties.filter(due_at__gte=now)
    elif state == "due_soon":
        duties = duties.filter(due_at__gte=now, due_at__lte=now + DUE_SOON)
    if owner_roles is not None:
        duties = duties.filter(owner_role__in=owner_roles)
    return duty_rules.sort_for_worklist((DutyStatus(d, state_of(d, now)) for d in duties), now=now)


def duties_query(
    organisation: Any, *, now: dt.datetime, ward: str | None = None, state: str | None = None
) -> QuerySet[Duty]:
    """Duties in any state, filtered in the database by the state they have at `now`."""
    duties = Duty.objects.for_organisation(organisation).select_related(
        "incident", "incident__ward"
    )
    if ward:
        duties = duties.filter(incident__ward__code=ward)
    open_ = Q(completed_at__isnull=True, not_required_reason="")
    if state == "overdue":
        duties = duties.filter(open_, due_at__lt=now)
    elif state == "due":
        duties = duties.filter(open_, due_at__gte=now)
    elif state == "not_required":
        duties = duties.filter(completed_at__isnull=True).exclude(not_required_reason="")
    elif state == "done":
        duties = duties.filter(completed_at__isnull=False, completed_at__lte=F("due_at"))
    elif state == "done_late":
        duties = duties.filter(completed_at__isnull=False, completed_at__gt=F("due_at"))
    return duties.order_by("due_at")




def duties_of(incident: Incident) -> list[Duty]:
    """One incident's duties in every state, soonest due first."""
    return list(incident.duties.select_related("incident__ward").order_by("due_at", "pk"))


@dataclass(frozen=True)
class MedicalReviewFigure:
    """Standard 2.5.2.XI: of the uses of force with physical restraint, how many had a medical
    review within one hour of the restraint starting, and how many recorded why not."""

    restraints: int  # submitted, not entered in error, with a medical review duty
    within_the_hour: int  # done at or before the due time
    late_with_reason: int  # done after it, with the reason for the delay recorded
    not_done: int  # still open (due or overdue)
    not_required: int  # marked not required, with the reason

    @property
    def within_the_hour_percent(self) -> float | None:
        counted = self.restraints - self.not_required
        return None if counted <= 0 else 100 * self.within_the_hour / counted


def medical_review_figure(
    organisation: Any,
    *,
    ward: str | None = None,
    started_from: dt.datetime | None = None,
    started_to: dt.datetime | None = None,
) -> MedicalReviewFigure:
    """The 2.5.2.XI figure from the stored medical review duties (the first one after physical
    restraint; mechanical restraint reviews are a separate duty)."""
    duties = Duty.objects.for_organisation(organisation).filter(
        kind="medical_review", incident__entered_in_error_at__isnull=True
    )
    if ward:
        duties = duties.filter(incident__ward__code=ward)
    if started_from:
        duties = duties.filter(incident__started_at__gte=started_from)
    if started_to:
        duties = duties.filter(incident__started_at__lt=started_to)
    done = Q(completed_at__isnull=False)
    counts = duties.aggregate(
        restraints=Count("pk"),
        within=Count("pk", filter=done & Q(completed_at__lte=F("due_at"))),
        late=Count("pk", filter=done & Q(completed_at__gt=F("due_at"))),
        not_required=Count("pk", filter=Q(completed_at__isnull=True) & ~Q(not_required_reason="")),
    )
    return MedicalReviewFigure(
        restraints=counts["restraints"],
        within_the_hour=counts["within"],
        late_with_reason=counts["late"],
        not_done=counts["restraints"] - counts["within"] - counts["late"] - counts["not_required"],
        not_required=counts["not_required"],
    )
