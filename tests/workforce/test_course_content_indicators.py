"""Live figures for what the courses teach and how their sessions went: 2.1.IV (the Human
Rights Act taught), 3.1 I-XV (each outcome taught by a course in use), 3.4.2.XXIV, XXV and
XXIX (the manual's techniques recorded, signed off, reviewed within a year), XXXVII and XLI
(injuries and incidents in training reported and reviewed), XXXVIII and XL (sessions with a
course report, with an evaluation)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from rrp.audit.services import Actor
from rrp.standards.indicators import IndicatorPeriod, indicators_for, registered
from rrp.workforce import course_content, indicators, services
from rrp.workforce.inputs import (
    CourseReportInput,
    EvaluationInput,
    OutcomeInput,
    SessionInput,
    TrainingEventInput,
)

from .conftest import LONDON, NOW, TODAY
from .test_techniques import HOLD

CATALOGUE = Path(indicators.__file__).parents[1] / "standards" / "data" / "nms-2019-12.json"


def _period(start: dt.date = dt.date(2026, 1, 1)) -> IndicatorPeriod:
    return IndicatorPeriod(dt.datetime.combine(start, dt.time.min, tzinfo=LONDON), NOW)


def test_the_new_indicators_measure_statements_of_the_catalogue() -> None:
    ids = {s["id"] for s in json.loads(CATALOGUE.read_text())["statements"]}
    ours = {ref for i in registered() if i.compute.__module__ == indicators.__name__
            for ref in i.statement_ids}
    assert ours <= ids
    for ref in ("2.1.IV", "3.1.I", "3.1.XV", "3.4.2.XXIV", "3.4.2.XXV", "3.4.2.XXIX",
                "3.4.2.XXXVII", "3.4.2.XXXVIII", "3.4.2.XL", "3.4.2.XLI"):
        assert indicators_for(ref), ref


def test_outcomes_taught_by_courses_in_use(clock: Any, make_course: Any,
                                           organisation: Any) -> None:
    assert indicators.human_rights_taught(organisation, _period()).value == 0.0
    make_course("OLD", level="prevention", outcomes=["3.1.V"],
                withdrawn_on=TODAY - dt.timedelta(days=3))
    assert indicators.human_rights_taught(organisation, _period()).value == 0.0
    make_course("LAW", level="awareness", delivery="e_learning", delivery_rationale="Quiz",
                outcomes=["3.1.V", "3.1.II"])
    result = indicators.human_rights_taught(organisation, _period())
    assert (result.value, result.numerator) == (100.0, 1) and "LAW" in result.text
    [second] = indicators_for("3.1.II")
    [eighth] = indicators_for("3.1.VIII")
    assert second.compute(organisation, _period()).value == 100.0
    assert eighth.compute(organisation, _period()).value == 0.0


def test_techniques_recorded_signed_off_and_reviewed(
    clock: Any, make_course: Any, organisation: Any, actor: Any, lead: Any
) -> None:
    physical = make_course("PHYS", level="physical")
    make_course("SPEC", level="specialist")
    assert indicators.techniques_signed_off(organisation, _period()).value is None
    first = course_content.technique_add(actor=actor, course=physical, data=HOLD)
    course_content.technique_add(actor=actor, course=physical, data=HOLD)
    recorded = indicators.techniques_recorded(organisation, _period())
    assert (recorded.numerator, recorded.denominator) == (1, 2)
    course_content.technique_sign_off(actor=Actor(user=lead), technique=first,
                                      now=NOW - dt.timedelta(days=400))
    signed = indicators.techniques_signed_off(organisation, _period())
    assert (signed.numerator, signed.denominator) == (1, 2)
    reviewed = indicators.techniques_reviewed(organisation, _period())
    assert (reviewed.numerator, reviewed.denominator) == (0, 2)
    course_content.technique_sign_off(actor=Actor(user=lead), technique=first)
    assert indicators.techniques_reviewed(organisation, _period()).numerator == 1


def test_sessions_with_reports_and_evaluations_and_events_reported_and_reviewed(
    clock: Any, make_course: Any, make_staff: Any, organisation: Any, actor: Any, lead: Any
) -> None:
    make_course("PHYS", level="physical")
    person = make_staff("Ada")
    sessions = [
        services.training_session_record(actor=actor, organisation=organisation, data=(
            SessionInput(course="PHYS", held_on=day, trainer_name="Sam", attendees=[
                OutcomeInput(staff_id=person.pk, outcome="competent",
                             occupational_health_checked=True)])))
        for day in (TODAY - dt.timedelta(days=3), TODAY - dt.timedelta(days=10),
                    dt.date(2025, 6, 1))
    ]
    assert indicators.sessions_reported(organisation, _period()).value == 0.0
    for session in sessions:
        course_content.course_report_save(actor=actor, session=session,
                                          data=CourseReportInput(content_delivered="All"))
    course_content.evaluation_save(actor=actor, session=sessions[0],
                                   data=EvaluationInput(forms_returned=1, rating_5=1))
    reported = indicators.sessions_reported(organisation, _period())
    assert (reported.numerator, reported.denominator) == (2, 2)
    evaluated = indicators.sessions_evaluated(organisation, _period())
    assert (evaluated.numerator, evaluated.denominator) == (1, 2)
    assert indicators.training_events_reported(organisation, _period()).value is None
    hurt = course_content.training_event_record(actor=actor, session=sessions[0], data=(
        TrainingEventInput(kind="injury", staff_id=person.pk, occurred_on=sessions[0].held_on,
                           what_happened="Wrist", severity="minor", incident_reference="D1")))
    course_content.training_event_record(actor=actor, session=sessions[1], data=(
        TrainingEventInput(kind="near_miss", staff_id=None, occurred_on=sessions[1].held_on,
                           what_happened="Slipped", severity="none")))
    events = indicators.training_events_reported(organisation, _period())
    assert (events.numerator, events.denominator) == (1, 2)
    assert indicators.training_events_reviewed(organisation, _period()).numerator == 0
    course_content.training_event_review(actor=Actor(user=lead), event=hurt, note="Seen",
                                         now=NOW - dt.timedelta(hours=1))
    review = indicators.training_events_reviewed(organisation, _period())
    assert (review.numerator, review.denominator, review.value) == (1, 2, 50.0)
