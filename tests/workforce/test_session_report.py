"""On a training session the trainer records injuries, incidents and near misses (standard
3.4.2.XXXVII), their course report (XXXVIII) and the evaluation (XL); the lead lists the
injuries and incidents of the last 12 months by course and reviews each (XLI)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from rrp.audit.models import AuditEvent
from rrp.audit.services import Actor
from rrp.workforce import course_content, services
from rrp.workforce.inputs import (
    CourseReportInput,
    EvaluationInput,
    OutcomeInput,
    SessionInput,
    TrainingEventInput,
)
from rrp.workforce.models import CourseReport, SessionEvaluation, TrainingEvent

from .conftest import TODAY

HELD = TODAY - dt.timedelta(days=1)


@pytest.fixture
def people(clock: Any, make_staff: Any) -> list[Any]:
    return [make_staff(f"Learner {n}") for n in range(4)]


def record_session(actor: Any, organisation: Any, people: list[Any], code: str = "RRN-L2",
                   held_on: dt.date = HELD) -> Any:
    return services.training_session_record(actor=actor, organisation=organisation, data=(
        SessionInput(course=code, held_on=held_on, trainer_name="Sam Patel", attendees=[
            OutcomeInput(staff_id=p.pk, outcome="competent", occupational_health_checked=True)
            for p in people])))


@pytest.fixture
def session(people: list[Any], make_course: Any, actor: Any, organisation: Any) -> Any:
    make_course("RRN-L2", level="physical")
    return record_session(actor, organisation, people[:3])


def injury(staff_id: int | None, **values: Any) -> TrainingEventInput:
    return TrainingEventInput(**{
        "kind": "injury", "staff_id": staff_id, "occurred_on": HELD,
        "what_happened": "Sprained wrist in breakaway practice", "severity": "minor",
        "incident_reference": "DATIX-123", **values})


def test_an_injury_to_an_attendee_and_a_near_miss_of_the_trainer(
    session: Any, people: list[Any], actor: Any
) -> None:
    hurt = course_content.training_event_record(actor=actor, session=session,
                                                data=injury(people[0].pk))
    near = course_content.training_event_record(actor=actor, session=session, data=injury(
        None, kind="near_miss", severity="none", incident_reference=""))
    assert hurt.who == people[0].name and near.who == "The trainer (Sam Patel)"
    assert AuditEvent.objects.filter(object_type="workforce.trainingevent").count() == 2


def test_an_event_is_checked_before_it_is_written(session: Any, people: list[Any],
                                                   actor: Any) -> None:
    with pytest.raises(ValidationError) as raised:
        course_content.training_event_record(actor=actor, session=session, data=injury(
            people[3].pk, incident_reference="", occurred_on=HELD - dt.timedelta(days=1),
            what_happened=" ", kind="fall", severity="awful"))
    assert set(raised.value.message_dict) == {
        "staff", "occurred_on", "what_happened", "kind", "severity"}
    with pytest.raises(ValidationError) as raised:
        # An injury must be reported through the trust's system (3.4.2.XXXVII).
        course_content.training_event_record(actor=actor, session=session,
                                             data=injury(people[0].pk, incident_reference=""))
    assert list(raised.value.message_dict) == ["incident_reference"]
    assert not TrainingEvent.objects.exists()


def test_the_course_report_is_one_per_session_and_every_version_is_audited(
    session: Any, actor: Any
) -> None:
    first = course_content.course_report_save(actor=actor, session=session, data=(
        CourseReportInput(content_delivered="Full syllabus")))
    second = course_content.course_report_save(actor=actor, session=session, data=(
        CourseReportInput(content_delivered="Full syllabus", issues_arising="Mats worn")))
    assert first.pk == second.pk and CourseReport.objects.count() == 1
    events = AuditEvent.objects.filter(object_type="workforce.coursereport").order_by("id")
    assert [e.action for e in events] == ["create", "change"]
    assert events[1].before["issues_arising"] == "" and events[1].after["issues_arising"] == (
        "Mats worn")
    with pytest.raises(ValidationError):
        course_content.course_report_save(actor=actor, session=session,
                                          data=CourseReportInput(content_delivered=" "))


def test_the_evaluation_adds_up(session: Any, actor: Any) -> None:
    with pytest.raises(ValidationError) as raised:
        course_content.evaluation_save(actor=actor, session=session,
                                       data=EvaluationInput(forms_returned=4))
    assert "3 people attended" in raised.value.message_dict["forms_returned"][0]
    with pytest.raises(ValidationError) as raised:
        course_content.evaluation_save(actor=actor, session=session, data=EvaluationInput(
            forms_returned=2, rating_4=2, rating_5=1))
    assert "3 ratings" in raised.value.message_dict["forms_returned"][0]
    saved = course_content.evaluation_save(actor=actor, session=session, data=EvaluationInput(
        forms_returned=3, rating_4=1, rating_5=2, themes="More scenarios"))
    assert saved.mean_rating == 4.7 and saved.ratings[3:] == [(4, 1), (5, 2)]
    course_content.evaluation_save(actor=actor, session=session, data=EvaluationInput(
        forms_returned=3, rating_3=1, rating_5=2))
    assert SessionEvaluation.objects.get().rating_3 == 1
    assert list(AuditEvent.objects.filter(object_type="workforce.sessionevaluation")
                .values_list("action", flat=True).order_by("id")) == ["create", "change"]


def test_the_trainer_records_all_three_on_the_session_pages(
    session: Any, people: list[Any], trainer_client: Any
) -> None:
    base = f"/training/sessions/{session.pk}/"
    form = trainer_client.get(base + "incidents/add/").content.decode()
    assert people[0].name in form and people[3].name not in form
    response = trainer_client.post(base + "incidents/add/", {
        "kind": "injury", "who": str(people[1].pk), "occurred_on_0": str(HELD.day),
        "occurred_on_1": str(HELD.month), "occurred_on_2": str(HELD.year),
        "what_happened": "Bruised knee", "severity": "minor", "incident_reference": "D-9"})
    assert response.status_code == 302, response.content.decode()[:2000]
    unreported = trainer_client.post(base + "incidents/add/", {
        "kind": "injury", "who": "trainer", "occurred_on_0": str(HELD.day),
        "occurred_on_1": str(HELD.month), "occurred_on_2": str(HELD.year),
        "what_happened": "Bruised knee", "severity": "minor"})
    assert unreported.status_code == 200 and "incident system" in unreported.content.decode()
    assert trainer_client.post(base + "report/", {
        "content_delivered": "Breakaway and standing holds"}).status_code == 302
    assert trainer_client.post(base + "evaluation/", {
        "forms_returned": "3", "rating_1": "0", "rating_2": "0", "rating_3": "0",
        "rating_4": "1", "rating_5": "2", "themes": "Useful"}).status_code == 302
    page = trainer_client.get(base).content.decode()
    assert "Bruised knee" in page and "Breakaway and standing holds" in page
    assert "3 evaluation forms returned" in page and "Change the course report" in page
    assert TrainingEvent.objects.get().staff == people[1]


def test_the_leads_list_counts_by_course_and_the_lead_reviews(
    session: Any, people: list[Any], actor: Any, make_course: Any, organisation: Any,
    lead: Any, lead_client: Any, trainer: Any,
) -> None:
    make_course("PREV", level="prevention")
    other = record_session(actor, organisation, people[:2], code="PREV")
    old = record_session(actor, organisation, people[:2], held_on=TODAY - dt.timedelta(days=400))
    course_content.training_event_record(actor=actor, session=session, data=injury(
        people[0].pk))
    course_content.training_event_record(actor=actor, session=session, data=injury(
        None, kind="near_miss", severity="none"))
    course_content.training_event_record(actor=actor, session=other, data=injury(
        people[1].pk, kind="incident"))
    ancient = course_content.training_event_record(actor=actor, session=old, data=injury(
        people[0].pk, occurred_on=old.held_on))
    page = lead_client.get("/training/injuries-and-incidents/").content.decode()
    assert "Sprained wrist" in page
    assert page.count("RRN-L2: RRN-L2 course") == 1 and "PREV: PREV course" in page
    # Older than the year's audit table, but not yet reviewed: listed once, to review.
    assert page.count(f"/training/injuries-and-incidents/{ancient.pk}/review/") == 1
    awaiting = page[page.index('id="awaiting-review"'):page.index("</ul>", page.index(
        'id="awaiting-review"'))]
    assert f"/training/injuries-and-incidents/{ancient.pk}/review/" in awaiting
    assert "Injuries and incidents in training to review" in lead_client.get("/").content.decode()
    event = TrainingEvent.objects.filter(session=other).get()
    response = lead_client.post(f"/training/injuries-and-incidents/{event.pk}/review/",
                                {"review_note": "Discussed at the quality meeting"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.reviewed_by == lead and event.review_note.startswith("Discussed")
    with pytest.raises(PermissionDenied):
        course_content.training_event_review(actor=Actor(user=trainer), event=ancient,
                                             note="x")


ROLES = ("ward_staff", "ward_manager", "doctor", "rrp_lead", "board", "trainer", "auditor",
         "org_admin")


@pytest.mark.parametrize("role", [r for r in ROLES if r != "trainer"])
def test_only_the_trainer_records_on_a_session(role: str, session: Any, people: list[Any],
                                               client_as: Any) -> None:
    client = client_as(role)
    base = f"/training/sessions/{session.pk}/"
    for url, data in [
        (base + "incidents/add/", {"kind": "near_miss", "who": "trainer",
                                   "occurred_on_0": "9", "occurred_on_1": "3",
                                   "occurred_on_2": "2026", "what_happened": "x",
                                   "severity": "none"}),
        (base + "report/", {"content_delivered": "x"}),
        (base + "evaluation/", {"forms_returned": "1", "rating_1": "0", "rating_2": "0",
                                "rating_3": "0", "rating_4": "0", "rating_5": "1"}),
    ]:
        assert client.get(url).status_code == 403, url
        assert client.post(url, data).status_code == 403, url
    assert not TrainingEvent.objects.exists() and not CourseReport.objects.exists()
    assert not SessionEvaluation.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_the_list_is_for_the_trainer_and_the_lead_and_only_the_lead_reviews(
    role: str, session: Any, people: list[Any], actor: Any, client_as: Any
) -> None:
    event = course_content.training_event_record(actor=actor, session=session,
                                                 data=injury(people[0].pk))
    client = client_as(role)
    listed = client.get("/training/injuries-and-incidents/").status_code
    assert listed == (200 if role in ("trainer", "rrp_lead") else 403)
    review = client.post(f"/training/injuries-and-incidents/{event.pk}/review/",
                         {"review_note": "Seen"})
    assert review.status_code == (302 if role == "rrp_lead" else 403)
    event.refresh_from_db()
    assert (event.reviewed_at is not None) == (role == "rrp_lead")


def test_another_organisations_session_is_404(
    session: Any, make_organisation: Any, make_course: Any, make_staff: Any, actor: Any,
    trainer_client: Any, lead_client: Any,
) -> None:
    other = make_organisation(ods_code="R2B")
    make_course("RRN-L2", level="physical", organisation=other)
    member = make_staff("Theirs", organisation=other)
    theirs = record_session(actor, other, [member])
    event = course_content.training_event_record(actor=actor, session=theirs,
                                                 data=injury(member.pk))
    for url in ("", "incidents/add/", "report/", "evaluation/"):
        assert trainer_client.get(f"/training/sessions/{theirs.pk}/{url}").status_code == 404
    assert trainer_client.post(f"/training/sessions/{theirs.pk}/report/",
                               {"content_delivered": "x"}).status_code == 404
    assert lead_client.post(f"/training/injuries-and-incidents/{event.pk}/review/",
                            {"review_note": "x"}).status_code == 404
    assert "Theirs" not in lead_client.get("/training/injuries-and-incidents/").content.decode()
    assert not CourseReport.objects.exists()


def test_an_event_recorded_by_mistake_is_marked_not_deleted(
    session: Any, people: list[Any], actor: Any, trainer_client: Any, lead_client: Any,
    client_as: Any,
) -> None:
    event = course_content.training_event_record(actor=actor, session=session,
                                                 data=injury(people[0].pk))
    url = f"/training/injuries-and-incidents/{event.pk}/entered-in-error/"
    assert client_as("rrp_lead").post(url, {"reason": "x"}).status_code == 403
    assert trainer_client.post(url, {"reason": ""}).status_code == 200
    assert trainer_client.post(url, {"reason": "Wrong session"}).status_code == 302
    event.refresh_from_db()
    assert event.entered_in_error_reason == "Wrong session" and TrainingEvent.objects.count() == 1
    assert AuditEvent.objects.filter(object_type="workforce.trainingevent",
                                     action="entered_in_error").count() == 1
    assert "Sprained wrist" not in trainer_client.get(
        f"/training/sessions/{session.pk}/").content.decode()
    assert "Sprained wrist" not in lead_client.get(
        "/training/injuries-and-incidents/").content.decode()
    assert trainer_client.get(url).status_code == 404
