"""The demo's competence by technique (issue 13, 3.4.2.XXXIX): results on the recent physical
skills sessions, consistent with each attendee's overall outcome (the same rule the trainer's
page applies), most competent, a few not assessed. Drawn from a stream of its own: everything
before it is the same with or without it."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest

from rrp.organisations.models import Organisation
from rrp.workforce import demo, technique_results
from rrp.workforce.models import (
    CourseReport,
    SessionEvaluation,
    TechniqueResult,
    TrainingEvent,
    TrainingRecord,
    TrainingSession,
)

from .test_demo_course_content import TODAY, build


def _results(org: Organisation) -> list[TechniqueResult]:
    return list(TechniqueResult.objects.filter(organisation=org)
                .select_related("record", "technique"))


def test_the_demos_technique_results(
    make_organisation: Any, make_ward: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    org = build(make_organisation, make_ward, "ZT1")
    results = _results(org)
    assert results
    for result in results:
        record = result.record
        assert record.entered_in_error_at is None and record.session is not None
        assert technique_results.result_problem(
            outcome=record.outcome, result=result.result,
            adjustments=record.adjustments) is None, (record, result.result)
    # Of the techniques in the manual by the session day, most people are competent in each.
    taught = [r for r in results if r.technique.assessed_on <= r.record.completed_on]
    counts = Counter(r.result for r in taught)
    assert counts["competent"] > 0.85 * len(taught)
    assert counts["not_assessed"] > 0
    # Someone not yet competent overall falls short in at least one technique.
    short = {r.record_id for r in results if r.result == "not_yet_competent"}
    failed = {r.record_id for r in results if r.record.outcome == "not_yet_competent"}
    assert failed <= short

    # Every recent physical session with techniques and attendees is complete but the
    # latest, which is left for the trainer to record.
    recent = [s for s in TrainingSession.objects.filter(
        organisation=org, held_on__gte=TODAY - dt.timedelta(days=demo.RECENT_DAYS),
        course__code="RRN-PHYS").order_by("held_on", "pk")
        if technique_results.attendees(s)]
    assert len(recent) > 2
    for session in recent:
        taught = technique_results.techniques_taught(session)
        recorded = technique_results.results_of(session)
        complete = all((r.pk, t.pk) in recorded for r in technique_results.attendees(session)
                       for t in taught)
        assert complete == (session != recent[-1]), session
    # A technique added to the manual after a session was not assessed at it.
    for result in results:
        if result.technique.assessed_on > result.record.completed_on:
            assert result.result == "not_assessed"

    # Without this step everything before it is exactly as it was.
    def before(o: Organisation) -> tuple[Any, ...]:
        return (
            list(TrainingRecord.objects.filter(organisation=o).order_by("completed_on", "pk")
                 .values_list("staff__staff_number", "course__code", "completed_on",
                              "outcome")),
            CourseReport.objects.filter(organisation=o).count(),
            list(SessionEvaluation.objects.filter(organisation=o).order_by("pk")
                 .values_list("forms_returned", flat=True)),
            list(TrainingEvent.objects.filter(organisation=o).values_list("kind", "staff__name")),
        )

    monkeypatch.setattr(demo, "seed_technique_results", lambda ctx, actor: None)
    without = build(make_organisation, make_ward, "ZT2")
    assert not TechniqueResult.objects.filter(organisation=without).exists()
    assert before(without) == before(org)
