"""Each course records which of standard 3.1 I-XV and Use of Force Act s.5(2)(a)-(k) it
teaches (issue 13); the matrix shows the courses in use against every outcome and each one no
course teaches. Withdrawn courses fill no gap."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from rrp.audit.models import AuditEvent
from rrp.workforce import content_selectors, services
from rrp.workforce.inputs import CourseInput
from rrp.workforce.models import Course
from rrp.workforce.outcomes import BY_CODE, STANDARD_3_1, USE_OF_FORCE_ACT_S5

from .conftest import TODAY


def test_the_lists_are_the_standards_and_the_acts() -> None:
    assert [o.code for o in STANDARD_3_1][:2] == ["3.1.I", "3.1.II"]
    assert len(STANDARD_3_1) == 15 and STANDARD_3_1[-1].code == "3.1.XV"
    assert len(USE_OF_FORCE_ACT_S5) == 11
    assert [o.label for o in USE_OF_FORCE_ACT_S5][::10] == ["s.5(2)(a)", "s.5(2)(k)"]
    assert "Human Rights Act" in BY_CODE["3.1.V"].text


def test_a_course_keeps_its_outcomes_once_each_in_the_lists_order(
    make_course: Any, actor: Any
) -> None:
    course = make_course("PREV", level="prevention",
                         outcomes=["s5.e", "3.1.X", "3.1.II", "3.1.X"])
    assert course.outcomes == ["3.1.II", "3.1.X", "s5.e"]
    assert AuditEvent.objects.filter(object_type="workforce.course").count() == 1


def test_an_unknown_outcome_is_refused_naming_its_place(make_course: Any, actor: Any,
                                                        organisation: Any) -> None:
    with pytest.raises(ValidationError) as raised:
        services.course_create(actor=actor, organisation=organisation, data=CourseInput(
            code="X", title="X", level="prevention", outcomes=["3.1.I", "3.1.XVI"]))
    assert list(raised.value.message_dict) == ["outcomes.1"]
    assert not Course.objects.exists()


def test_the_course_form_ticks_outcomes_by_list_and_saves_them(
    make_course: Any, trainer_client: Any
) -> None:
    make_course("PREV", level="prevention", outcomes=["3.1.X", "s5.e"])
    page = trainer_client.get("/training/courses/PREV/edit/").content.decode()
    assert "Standard 3.1: learning outcomes it teaches" in page
    assert "Use of Force Act s.5(2): training topics it covers" in page
    assert page.count('type="checkbox"') == 26
    ticked = re.findall(r'type="checkbox"[^>]*value="([^"]+)"[^>]*checked', page)
    assert ticked == ["3.1.X", "s5.e"]
    response = trainer_client.post("/training/courses/PREV/edit/", {
        "code": "PREV", "title": "Prevention", "level": "prevention",
        "delivery": "face_to_face", "refresher_months": "12",
        "outcomes_standard": ["3.1.I", "3.1.V"], "outcomes_act": ["s5.k"],
    })
    assert response.status_code == 302
    assert Course.objects.get().outcomes == ["3.1.I", "3.1.V", "s5.k"]
    change = AuditEvent.objects.filter(object_type="workforce.course", action="change").get()
    assert change.before["outcomes"] == ["3.1.X", "s5.e"]
    assert change.after["outcomes"] == ["3.1.I", "3.1.V", "s5.k"]


def test_the_matrix_shows_each_gap_and_ignores_withdrawn_courses(
    clock: Any, make_course: Any, client_as: Any
) -> None:
    every = [o.code for o in STANDARD_3_1 + USE_OF_FORCE_ACT_S5]
    make_course("PREV", level="prevention",
                outcomes=[c for c in every if c not in ("3.1.VIII", "s5.i", "3.1.XIII")])
    make_course("OLD", level="physical", outcomes=["3.1.VIII"],
                withdrawn_on=TODAY - dt.timedelta(days=1))
    make_course("PHYS", level="physical", outcomes=["3.1.XIII"])
    matrix = content_selectors.outcome_matrix(Course.objects.get(code="PREV").organisation,
                                              TODAY)
    assert [c.code for c in matrix.courses] == ["PHYS", "PREV"]
    assert [o.code for o in matrix.gaps] == ["3.1.VIII", "s5.i"]
    page = client_as("ward_manager").get("/training/courses/outcomes/").content.decode()
    assert page.count("Not taught by any course") == 2
    assert "2 not taught by any course" in page
    assert '<th scope="row"' in page and '<th scope="col"' in page
    assert ">OLD<" not in page


def test_with_nothing_missing_the_matrix_says_so(clock: Any, make_course: Any,
                                                 client_as: Any) -> None:
    make_course("ALL", level="prevention",
                outcomes=[o.code for o in STANDARD_3_1 + USE_OF_FORCE_ACT_S5])
    page = client_as("rrp_lead").get("/training/courses/outcomes/").content.decode()
    assert "Every outcome is taught" in page and "Not taught by any course" not in page


@pytest.mark.parametrize("role", ["ward_staff", "doctor", "board", "auditor", "org_admin"])
def test_the_matrix_is_for_those_who_see_the_courses(role: str, client_as: Any) -> None:
    assert client_as(role).get("/training/courses/outcomes/").status_code == 403


def test_the_api_gives_and_takes_outcome_codes(
    clock: Any, api_client_for: Any, trainer: Any, organisation: Any
) -> None:
    api = api_client_for(trainer, organisation)
    response = api.post("/api/v1/courses", {"code": "PREV", "title": "Prevention",
                                            "level": "prevention",
                                            "outcomes": ["s5.a", "3.1.V"]})
    assert response.status_code == 201, response.json()
    assert response.json()["outcomes"] == ["3.1.V", "s5.a"]
    plain = api.post("/api/v1/courses", {"code": "BLS", "title": "BLS", "level": "bls"})
    assert plain.status_code == 201 and plain.json()["outcomes"] == []
    wrong = api.post("/api/v1/courses", {"code": "X", "title": "X", "level": "bls",
                                         "outcomes": ["3.1.V", "s6.a"]})
    assert wrong.status_code == 422
    assert wrong.json()["detail"][0]["loc"] == ["body", "outcomes", 1]
    assert not Course.objects.filter(code="X").exists()
