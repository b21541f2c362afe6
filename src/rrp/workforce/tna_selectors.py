"""Reads of the training needs analysis, always within one organisation (kept apart from
selectors.py, which reads the register and training records)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from rrp.organisations.models import Organisation
from rrp.workforce.models import TnaRequirement, TnaState, TrainingNeedsAnalysis
from rrp.workforce.tna_profile import incident_profile

# The lead's home page shows a review this many days before it is due, and until it is done
# (standard 3.4.1: reviewed regularly; at least yearly).
REVIEW_NOTICE_DAYS = 30


def analyses_of(organisation: Organisation | None) -> QuerySet[TrainingNeedsAnalysis]:
    return TrainingNeedsAnalysis.objects.for_organisation(organisation).select_related(
        "signed_off_by", "created_by", "superseded_by"
    )


def in_force(organisation: Organisation | None) -> list[TrainingNeedsAnalysis]:
    """Every analysis in force: at most one per scope (the whole organisation, a service)."""
    return list(analyses_of(organisation).filter(state=TnaState.IN_FORCE))


def requirements_of(analysis: TrainingNeedsAnalysis) -> QuerySet[TnaRequirement]:
    return (
        TnaRequirement.objects.filter(organisation=analysis.organisation, analysis=analysis,
                                      removed_at__isnull=True)
        .select_related("course", "ward")
        .order_by("course__code", "staff_group", "employment", "ward__name", "pk")
    )


def reviews_due(
    organisation: Organisation | None, today: dt.date
) -> list[TrainingNeedsAnalysis]:
    """Analyses in force whose yearly review is due within REVIEW_NOTICE_DAYS or overdue."""
    last_day = today + dt.timedelta(days=REVIEW_NOTICE_DAYS)
    return list(
        analyses_of(organisation)
        .filter(state=TnaState.IN_FORCE, review_due_on__lte=last_day)
        .order_by("review_due_on")
    )


def profile_of(analysis: TrainingNeedsAnalysis, today: dt.date) -> dict[str, Any]:
    """The profile a signed-off version was signed on; a draft's, live, as of today."""
    if analysis.incident_profile:
        return analysis.incident_profile
    return incident_profile(analysis.organisation, today, service_type=analysis.service_type)


def review_state(analysis: TrainingNeedsAnalysis, today: dt.date) -> str:
    """"overdue", "due" (within REVIEW_NOTICE_DAYS) or "" for an analysis in force."""
    if analysis.state != TnaState.IN_FORCE or analysis.review_due_on is None:
        return ""
    if analysis.review_due_on < today:
        return "overdue"
    if (analysis.review_due_on - today).days <= REVIEW_NOTICE_DAYS:
        return "due"
    return ""
