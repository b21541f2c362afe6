"""Competence per physical technique on a training session (issue 13: "competence per
technique: competent, not yet competent, excluded on health grounds"; standard 3.4.2.XXXIX).
Once the class is recorded the trainer records each attendee's result in each technique of the
course's training manual taught that day, on a matrix starting from their overall outcome. The
session page, the person's page and the training manual show the results; a record entered in
error takes its results with it."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from rrp.audit.models import AuditEvent
from rrp.standards.indicators import IndicatorPeriod, indicators_for
from rrp.workforce import course_content, indicators, services, technique_results
from rrp.workforce.inputs import OutcomeInput, SessionInput, TechniqueResultInput
from rrp.workforce.models import TechniqueResult
from rrp.workforce.technique_results import field_name, result_problem

from .conftest import LONDON, NOW, TODAY
from .test_techniques import HOLD

HELD = TODAY - dt.timedelta(days=1)
ROLES = ("ward_staff", "ward_manager", "doctor", "rrp_lead", "board", "trainer", "auditor",
         "org_admin")


# ---------------------------------------------------------------------------------------------
# The rule
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("outcome", "result", "adjustments", "refused"), [
    ("competent", "competent", "", False),
    ("competent", "not_assessed", "", False),
    ("competent", "not_yet_competent", "", True),
    ("competent", "not_yet_competent", "Knee support", True),
    ("competent", "excluded_health", "", True),
    ("competent", "excluded_health", "  ", True),
    ("competent", "excluded_health", "Knee injury: no kneeling holds", False),
    ("not_yet_competent", "not_yet_competent", "", False),
    ("not_yet_competent", "competent", "", False),
    ("not_yet_competent", "excluded_health", "", False),
    ("excluded_health", "excluded_health", "", False),
    ("excluded_health", "competent", "", False),
    ("competent", "passed", "", True),
    ("not_yet_competent", "", "", True),
])
def test_the_rule(outcome: str, result: str, adjustments: str, refused: bool) -> None:
    problem = result_problem(outcome=outcome, result=result, adjustments=adjustments,
                             person="Ada", technique="Seated hold")
    assert (problem is not None) == refused
    if refused and result == "not_yet_competent":
        assert problem is not None and "3.4.2.XXXIX" in problem and "interim" in problem
        assert "Ada" in problem and "Seated hold" in problem
    if refused and result == "excluded_health":
        assert problem is not None and "3.4.2.XV" in problem


# ---------------------------------------------------------------------------------------------
# The service
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def course(clock: Any, make_course: Any) -> Any:
    return make_course("RRN-L2", level="physical", title="Physical skills")


@pytest.fixture
def techniques(course: Any, actor: Any) -> list[Any]:
    hold = course_content.technique_add(actor=actor, course=course, data=HOLD)
    seated = course_content.technique_add(actor=actor, course=course,
                                          data=replace(HOLD, name="Seated hold"))
    return [seated, hold]  # in the matrix's order: by name


@pytest.fixture
def people(clock: Any, make_staff: Any) -> list[Any]:
    return [make_staff(name) for name in ("Ada Competent", "Ben Knee", "Cal Short", "Dee Ill")]


def record_session(actor: Any, organisation: Any, people: list[Any], code: str = "RRN-L2",
                   held_on: dt.date = HELD) -> Any:
    ada, ben, cal, dee = people
    return services.training_session_record(actor=actor, organisation=organisation, data=(
        SessionInput(course=code, held_on=held_on, trainer_name="Sam Patel", attendees=[
            OutcomeInput(staff_id=ada.pk, outcome="competent", occupational_health_checked=True),
            OutcomeInput(staff_id=ben.pk, outcome="competent", occupational_health_checked=True,
                         adjustments="Knee injury: no kneeling holds"),
            OutcomeInput(staff_id=cal.pk, outcome="not_yet_competent",
                         occupational_health_checked=True,
                         competence_plan="Two practice sessions", interim_plan="Not in team"),
            OutcomeInput(staff_id=dee.pk, outcome="excluded_health",
                         occupational_health_checked=True, interim_plan="OH review"),
        ])))


@pytest.fixture
def session(techniques: list[Any], people: list[Any], actor: Any, organisation: Any) -> Any:
    return record_session(actor, organisation, people)


def records_by_name(session: Any) -> dict[str, Any]:
    return {r.staff.name.split()[0]: r for r in technique_results.attendees(session)}


def test_the_matrix_starts_from_the_overall_outcome(session: Any, techniques: list[Any]) -> None:
    records = records_by_name(session)
    initial = technique_results.initial_results(session)
    seated, hold = techniques
    assert {name: initial[(r.pk, hold.pk)] for name, r in records.items()} == {
        "Ada": "competent", "Ben": "competent", "Cal": "not_assessed",
        "Dee": "excluded_health"}
    assert len(initial) == 4 * 2


def test_results_are_recorded_corrected_and_audited(session: Any, techniques: list[Any],
                                                    actor: Any) -> None:
    records = records_by_name(session)
    seated, hold = techniques
    cells = [
        TechniqueResultInput(records["Ada"].pk, seated.pk, "competent"),
        TechniqueResultInput(records["Ben"].pk, seated.pk, "excluded_health"),
        TechniqueResultInput(records["Cal"].pk, seated.pk, "not_yet_competent"),
        TechniqueResultInput(records["Cal"].pk, hold.pk, "competent"),
    ]
    saved = technique_results.technique_results_record(actor=actor, session=session,
                                                       results=cells)
    assert len(saved) == 4 and TechniqueResult.objects.count() == 4
    [event] = AuditEvent.objects.filter(object_type="workforce.trainingsession",
                                        summary__startswith="Competence by technique")
    assert event.after == {"Ada Competent: Seated hold": "Competent",
                           "Ben Knee: Seated hold": "Excluded on health grounds",
                           "Cal Short: Seated hold": "Not yet competent",
                           "Cal Short: Two-person standing hold": "Competent"}
    assert event.before == {}

    # The same again changes nothing and audits nothing; a correction is one event.
    technique_results.technique_results_record(actor=actor, session=session, results=cells)
    assert AuditEvent.objects.filter(summary__startswith="Competence by technique").count() == 1
    technique_results.technique_results_record(actor=actor, session=session, results=[
        TechniqueResultInput(records["Cal"].pk, hold.pk, "not_yet_competent")])
    latest = AuditEvent.objects.filter(summary__startswith="Competence by technique") \
        .order_by("-id").first()
    assert latest is not None
    assert latest.before == {"Cal Short: Two-person standing hold": "Competent"}
    assert latest.after == {"Cal Short: Two-person standing hold": "Not yet competent"}
    assert TechniqueResult.objects.get(record=records["Cal"], technique=hold).result == \
        "not_yet_competent"


def test_every_refusal_is_named_and_nothing_is_written(session: Any, techniques: list[Any],
                                                       actor: Any, make_course: Any) -> None:
    records = records_by_name(session)
    seated, hold = techniques
    other = make_course("SPEC", level="specialist")
    elsewhere = course_content.technique_add(actor=actor, course=other, data=HOLD)
    with pytest.raises(ValidationError) as raised:
        technique_results.technique_results_record(actor=actor, session=session, results=[
            TechniqueResultInput(records["Ada"].pk, seated.pk, "competent"),
            TechniqueResultInput(records["Ada"].pk, hold.pk, "not_yet_competent"),
            TechniqueResultInput(records["Ben"].pk, hold.pk, "maybe"),
            TechniqueResultInput(records["Dee"].pk, elsewhere.pk, "competent"),
            TechniqueResultInput(999999, hold.pk, "competent"),
        ])
    problems = raised.value.message_dict
    assert set(problems) == {
        field_name(records["Ada"].pk, hold.pk), field_name(records["Ben"].pk, hold.pk),
        field_name(records["Dee"].pk, elsewhere.pk), field_name(999999, hold.pk)}
    assert "3.4.2.XXXIX" in problems[field_name(records["Ada"].pk, hold.pk)][0]
    assert not TechniqueResult.objects.exists()
    assert not AuditEvent.objects.filter(summary__startswith="Competence by technique").exists()


def test_excluded_while_competent_needs_the_adjustments(session: Any, techniques: list[Any],
                                                        actor: Any) -> None:
    records = records_by_name(session)
    seated, _hold = techniques
    with pytest.raises(ValidationError) as raised:
        technique_results.technique_results_record(actor=actor, session=session, results=[
            TechniqueResultInput(records["Ada"].pk, seated.pk, "excluded_health")])
    assert "3.4.2.XV" in raised.value.message_dict[field_name(records["Ada"].pk, seated.pk)][0]
    technique_results.technique_results_record(actor=actor, session=session, results=[
        TechniqueResultInput(records["Ben"].pk, seated.pk, "excluded_health")])
    assert TechniqueResult.objects.get().result == "excluded_health"


def test_a_technique_withdrawn_by_the_session_day_is_not_on_it(
    techniques: list[Any], people: list[Any], actor: Any, organisation: Any
) -> None:
    seated, hold = techniques
    yesterday = record_session(actor, organisation, people)
    course_content.technique_withdraw(actor=actor, technique=seated, reason="No longer used")
    today = record_session(actor, organisation, people, held_on=TODAY)
    assert technique_results.techniques_taught(yesterday) == [seated, hold]
    assert technique_results.techniques_taught(today) == [hold]
    record = technique_results.attendees(today)[0]
    with pytest.raises(ValidationError) as raised:
        technique_results.technique_results_record(actor=actor, session=today, results=[
            TechniqueResultInput(record.pk, seated.pk, "competent")])
    assert list(raised.value.message_dict) == [field_name(record.pk, seated.pk)]


def test_results_of_a_record_entered_in_error_stop_counting(
    session: Any, techniques: list[Any], actor: Any, people: list[Any], organisation: Any
) -> None:
    records = records_by_name(session)
    seated, hold = techniques
    technique_results.technique_results_record(actor=actor, session=session, results=[
        TechniqueResultInput(records["Ada"].pk, t.pk, "competent") for t in techniques])
    assert technique_results.competent_counts(organisation, session.course_id, TODAY) == {
        seated.pk: 1, hold.pk: 1}
    assert technique_results.person_competence(people[0]) is not None
    services.training_record_mark_entered_in_error(actor=actor, record=records["Ada"],
                                                   reason="Wrong person")
    assert technique_results.results_of(session) == {}
    assert technique_results.competent_counts(organisation, session.course_id, TODAY) == {}
    assert technique_results.person_competence(people[0]) is None
    assert TechniqueResult.objects.count() == 2  # kept, not deleted
    with pytest.raises(ValidationError):
        technique_results.technique_results_record(actor=actor, session=session, results=[
            TechniqueResultInput(records["Ada"].pk, seated.pk, "competent")])


def test_competent_counts_only_people_in_date_on_the_register(
    session: Any, techniques: list[Any], actor: Any, organisation: Any, people: list[Any],
    make_staff: Any,
) -> None:
    records = records_by_name(session)
    seated, hold = techniques
    technique_results.technique_results_record(actor=actor, session=session, results=[
        TechniqueResultInput(records["Ada"].pk, seated.pk, "competent"),
        TechniqueResultInput(records["Ada"].pk, hold.pk, "competent"),
        TechniqueResultInput(records["Ben"].pk, hold.pk, "competent"),
        TechniqueResultInput(records["Cal"].pk, hold.pk, "competent"),  # not competent overall
    ])
    counts = technique_results.competent_counts(organisation, session.course_id, TODAY)
    assert counts == {seated.pk: 1, hold.pk: 2}
    # A year and more later their training has run out: nobody is counted.
    later = TODAY + dt.timedelta(days=400)
    assert technique_results.competent_counts(organisation, session.course_id, later) == {}


# ---------------------------------------------------------------------------------------------
# The pages
# ---------------------------------------------------------------------------------------------


def page_url(session: Any) -> str:
    return f"/training/sessions/{session.pk}/techniques/"


def post_data(session: Any, **changes: str) -> dict[str, str]:
    data = {field_name(r, t): v for (r, t), v in
            technique_results.initial_results(session).items()}
    data.update(changes)
    return data


def test_the_matrix_page_defaults_labels_and_saves(
    session: Any, techniques: list[Any], trainer_client: Any
) -> None:
    records = records_by_name(session)
    seated, hold = techniques
    page = trainer_client.get(page_url(session)).content.decode()
    assert page.count("<select") == 8
    assert '<th scope="col"' in page and '<th scope="row"' in page
    ada_hold = field_name(records["Ada"].pk, hold.pk)
    cal_hold = field_name(records["Cal"].pk, hold.pk)
    label = re.search(r'<label([^>]*)>\s*Ada Competent: Two-person standing hold\s*</label>',
                      page)
    assert label and f'for="id_{ada_hold}"' in label[1]
    assert "nhsuk-u-visually-hidden" in label[1]
    assert 'value="not_assessed" selected' in page.split(f'id="id_{cal_hold}"')[1] \
        .split("</select>")[0]
    response = trainer_client.post(page_url(session), post_data(
        session, **{cal_hold: "not_yet_competent"}))
    assert response.status_code == 302 and response.url == f"/training/sessions/{session.pk}/"
    assert TechniqueResult.objects.count() == 8
    assert TechniqueResult.objects.get(record=records["Cal"], technique=hold).result == \
        "not_yet_competent"
    detail = trainer_client.get(f"/training/sessions/{session.pk}/").content.decode()
    assert "Competence by technique" in detail and "Not yet competent" in detail
    assert "Change competence by technique" in detail


def test_errors_are_shown_on_the_right_select_with_a_summary(
    session: Any, techniques: list[Any], trainer_client: Any
) -> None:
    records = records_by_name(session)
    seated, hold = techniques
    wrong = field_name(records["Ada"].pk, seated.pk)
    response = trainer_client.post(page_url(session), post_data(
        session, **{wrong: "not_yet_competent"}))
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and f'href="#id_{wrong}"' in page
    assert page.count("nhsuk-error-message") == 1
    cell = page.split(f'for="id_{wrong}"')[1].split("</select>")[0]
    assert "nhsuk-error-message" in cell and "3.4.2.XXXIX" in cell
    assert not TechniqueResult.objects.exists()


def test_a_session_without_techniques_has_no_matrix(
    people: list[Any], make_course: Any, actor: Any, organisation: Any, trainer_client: Any
) -> None:
    make_course("RRN-L2", level="physical")
    session = record_session(actor, organisation, people)
    assert trainer_client.get(page_url(session)).status_code == 404
    assert "Competence by technique" not in trainer_client.get(
        f"/training/sessions/{session.pk}/").content.decode()


def test_the_persons_page_and_the_manual_show_the_results(
    session: Any, techniques: list[Any], actor: Any, people: list[Any], trainer_client: Any
) -> None:
    records = records_by_name(session)
    seated, hold = techniques
    technique_results.technique_results_record(actor=actor, session=session, results=[
        TechniqueResultInput(records["Ada"].pk, seated.pk, "competent"),
        TechniqueResultInput(records["Ada"].pk, hold.pk, "not_assessed"),
    ])
    page = trainer_client.get(f"/training/staff/{people[0].pk}/").content.decode()
    competent = page.split("Competent in")[1].split("</dd>")[0]
    assert "Seated hold" in competent and "Two-person" not in competent
    assert "Two-person standing hold: Not assessed" in page.split("Not competent in")[1]
    manual = trainer_client.get("/training/courses/RRN-L2/").content.decode()
    seated_card = manual.split(f'id="technique-{seated.pk}"')[1].split('class="nhsuk-card"')[0]
    hold_card = manual.split(f'id="technique-{hold.pk}"')[1].split('class="nhsuk-card"')[0]
    assert "Staff competent now" in seated_card
    assert re.search(r">\s*1 on the register", seated_card)
    assert re.search(r">\s*0 on the register", hold_card)


@pytest.mark.parametrize("role", [r for r in ROLES if r != "trainer"])
def test_only_the_trainer_records_competence_by_technique(
    role: str, session: Any, client_as: Any
) -> None:
    client = client_as(role)
    assert client.get(page_url(session)).status_code == 403
    assert client.post(page_url(session), post_data(session)).status_code == 403
    assert not TechniqueResult.objects.exists()


def test_another_organisations_session_is_404(
    session: Any, make_organisation: Any, make_course: Any, make_staff: Any, actor: Any,
    trainer_client: Any,
) -> None:
    other = make_organisation(ods_code="R2B")
    course = make_course("RRN-L2", level="physical", organisation=other)
    course_content.technique_add(actor=actor, course=course, data=HOLD)
    theirs = record_session(actor, other, [make_staff(f"Theirs {n}", organisation=other)
                                           for n in range(4)])
    assert trainer_client.get(page_url(theirs)).status_code == 404
    assert trainer_client.post(page_url(theirs), post_data(theirs)).status_code == 404
    assert not TechniqueResult.objects.exists()


# ---------------------------------------------------------------------------------------------
# The live indicator (3.4.2.XXXIX)
# ---------------------------------------------------------------------------------------------


def test_the_indicator_counts_physical_sessions_with_every_result(
    session: Any, techniques: list[Any], actor: Any, organisation: Any, people: list[Any],
    make_course: Any,
) -> None:
    assert indicators_for("3.4.2.XXXIX")
    period = IndicatorPeriod(dt.datetime.combine(dt.date(2026, 1, 1), dt.time.min,
                                                 tzinfo=LONDON), NOW)
    make_course("PREV", level="prevention")
    services.training_session_record(actor=actor, organisation=organisation, data=SessionInput(
        course="PREV", held_on=HELD, trainer_name="Sam", attendees=[
            OutcomeInput(staff_id=people[0].pk, outcome="competent")]))
    second = record_session(actor, organisation, people, held_on=HELD - dt.timedelta(days=7))
    result = indicators.sessions_with_technique_results(organisation, period)
    assert (result.numerator, result.denominator, result.value) == (0, 2, 0.0)
    # One cell short is not done.
    cells = [TechniqueResultInput(r, t, v) for (r, t), v in
             technique_results.initial_results(session).items()]
    technique_results.technique_results_record(actor=actor, session=session,
                                               results=cells[:-1])
    assert indicators.sessions_with_technique_results(organisation, period).numerator == 0
    technique_results.technique_results_record(actor=actor, session=session, results=cells)
    result = indicators.sessions_with_technique_results(organisation, period)
    assert (result.numerator, result.denominator, result.value) == (1, 2, 50.0)
    assert second.pk  # the other physical session is still to do
