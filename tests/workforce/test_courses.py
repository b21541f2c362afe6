"""Courses: level, delivery (e-learning needs its rationale, standard 3.1), refresher interval,
RRN certification (all three details or none), added and changed by the trainer."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from rrp.audit.models import AuditEvent
from rrp.workforce import services
from rrp.workforce.inputs import CourseInput
from rrp.workforce.models import Course


def test_a_course_is_added_with_a_yearly_refresher_by_default(actor: Any,
                                                              organisation: Any) -> None:
    course = services.course_create(
        actor=actor, organisation=organisation,
        data=CourseInput(code="rrn-l2", title="Physical skills", level="physical"),
    )
    assert (course.code, course.refresher_months, course.delivery) == (
        "RRN-L2", 12, "face_to_face")
    assert AuditEvent.objects.filter(object_type="workforce.course", action="create").exists()


def test_e_learning_needs_its_rationale_and_physical_skills_cannot_be_e_learning(
    actor: Any, organisation: Any
) -> None:
    with pytest.raises(ValidationError) as error:
        services.course_create(actor=actor, organisation=organisation, data=CourseInput(
            code="X", title="X", level="physical", delivery="e_learning"))
    assert set(error.value.message_dict) == {"delivery", "delivery_rationale"}
    services.course_create(actor=actor, organisation=organisation, data=CourseInput(
        code="AW", title="Awareness", level="awareness", delivery="e_learning",
        delivery_rationale="Legal framework only; the skills are taught face to face"))


def test_certification_needs_body_number_and_date_together(actor: Any,
                                                           organisation: Any) -> None:
    with pytest.raises(ValidationError) as error:
        services.course_create(actor=actor, organisation=organisation, data=CourseInput(
            code="X", title="X", level="physical", certifying_body="BILD ACT"))
    assert set(error.value.message_dict) == {"certificate_number", "certificate_valid_until"}


def test_codes_are_unique_and_the_refresher_is_1_to_120_months(
    actor: Any, organisation: Any, make_course: Any
) -> None:
    make_course("RRN-L2")
    with pytest.raises(ValidationError) as error:
        services.course_create(actor=actor, organisation=organisation, data=CourseInput(
            code="RRN-L2", title="Again", level="physical", refresher_months=0))
    assert set(error.value.message_dict) == {"code", "refresher_months"}


def test_the_trainer_adds_and_changes_a_course_with_the_form(
    clock: Any, trainer_client: Any
) -> None:
    response = trainer_client.post("/training/courses/add/", {
        "code": "RRN-L2", "title": "Physical skills", "level": "physical",
        "delivery": "face_to_face", "refresher_months": "12", "duration_hours": "15",
        "certifying_body": "BILD ACT", "certificate_number": "BA-123",
        "certificate_valid_until_0": "30", "certificate_valid_until_1": "4",
        "certificate_valid_until_2": "2026",
    })
    assert response.status_code == 302
    course = Course.objects.get(code="RRN-L2")
    assert course.certificate_valid_until == dt.date(2026, 4, 30)
    page = trainer_client.get("/training/courses/").content.decode()
    assert "Certificate running out" in page  # within 90 days of 10 March 2026
    response = trainer_client.post("/training/courses/RRN-L2/edit/", {
        "code": "RRN-L2", "title": "Physical skills (v2)", "level": "physical",
        "delivery": "face_to_face", "refresher_months": "6",
    })
    assert response.status_code == 302
    course.refresh_from_db()
    assert (course.title, course.refresher_months, course.certifying_body) == (
        "Physical skills (v2)", 6, "")
    change = AuditEvent.objects.get(object_type="workforce.course", action="change")
    assert change.before["refresher_months"] == 12


def test_the_course_form_names_its_problems(clock: Any, trainer_client: Any) -> None:
    page = trainer_client.post("/training/courses/add/", {
        "code": "EL", "title": "E", "level": "awareness", "delivery": "e_learning",
        "refresher_months": "12",
    }).content.decode()
    assert "Say why this is taught by e-learning (standard 3.1)" in page
