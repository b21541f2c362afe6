"""The training manual of a physical or specialist course (standard 3.4.2.XXIV): each
technique with its risks in training and in practice, physical and psychological (XXVI,
XXXI), the mitigations in clinical practice (XXX) and who assessed them with what
qualification (XXVI), signed off by the executive lead (XXV) and reviewed yearly (XXIX). A
change to a signed-off technique returns it to awaiting sign-off; a technique no longer
taught is withdrawn, not deleted."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from rrp.audit.models import AuditEvent
from rrp.audit.services import Actor
from rrp.workforce import course_content
from rrp.workforce.inputs import TechniqueInput
from rrp.workforce.models import PhysicalTechnique

from .conftest import LONDON, NOW, TODAY

HOLD = TechniqueInput(
    name="Two-person standing hold", description="Figure-of-four hold, two staff",
    training_risks="Shoulder strain", physical_risks="Joint injury, bruising",
    psychological_risks="Re-traumatisation", mitigations="Shortest duration; monitoring",
    assessed_by="Dr Helen Marsh", assessor_qualification="Consultant psychiatrist",
    assessed_on=dt.date(2026, 3, 2),
)

FORM = {
    "name": "Two-person standing hold", "description": "Figure-of-four hold",
    "training_risks": "Shoulder strain", "physical_risks": "Joint injury",
    "psychological_risks": "Re-traumatisation", "mitigations": "Monitoring",
    "assessed_by": "Dr Helen Marsh", "assessor_qualification": "Consultant psychiatrist",
    "assessed_on_0": "2", "assessed_on_1": "3", "assessed_on_2": "2026",
}


@pytest.fixture
def physical(clock: Any, make_course: Any) -> Any:
    return make_course("RRN-L2", level="physical")


@pytest.fixture
def technique(physical: Any, actor: Any) -> Any:
    return course_content.technique_add(actor=actor, course=physical, data=HOLD)


def test_a_technique_starts_awaiting_sign_off(technique: Any) -> None:
    assert not technique.is_signed_off and technique.review_due_on is None
    event = AuditEvent.objects.get(object_type="workforce.physicaltechnique")
    assert "awaiting sign-off" in event.summary


def test_every_part_of_the_risk_assessment_is_needed(physical: Any, actor: Any) -> None:
    with pytest.raises(ValidationError) as raised:
        course_content.technique_add(actor=actor, course=physical, data=TechniqueInput(
            name="Hold", assessed_on=TODAY + dt.timedelta(days=1)))
    assert set(raised.value.message_dict) == {
        "description", "training_risks", "physical_risks", "psychological_risks",
        "mitigations", "assessed_by", "assessor_qualification", "assessed_on"}
    assert not PhysicalTechnique.objects.exists()


def test_only_physical_and_specialist_courses_have_techniques(
    clock: Any, make_course: Any, actor: Any
) -> None:
    prevention = make_course("PREV", level="prevention")
    with pytest.raises(ValidationError) as raised:
        course_content.technique_add(actor=actor, course=prevention, data=HOLD)
    assert list(raised.value.message_dict) == ["course"]
    specialist = make_course("SPEC", level="specialist")
    assert course_content.technique_add(actor=actor, course=specialist, data=HOLD).pk


def test_the_lead_signs_off_and_the_review_comes_due_in_a_year(technique: Any,
                                                               lead: Any) -> None:
    course_content.technique_sign_off(actor=Actor(user=lead), technique=technique)
    technique.refresh_from_db()
    assert technique.signed_off_by == lead and technique.review_due_on == dt.date(2027, 3, 10)
    assert not technique.review_overdue(dt.date(2027, 3, 10))
    assert technique.review_overdue(dt.date(2027, 3, 11))


def test_nobody_else_signs_off(technique: Any, trainer: Any, actor: Any) -> None:
    for who in (Actor(user=trainer), actor):
        with pytest.raises(PermissionDenied):
            course_content.technique_sign_off(actor=who, technique=technique)
    technique.refresh_from_db()
    assert not technique.is_signed_off


def test_changing_a_signed_off_technique_returns_it_to_awaiting_sign_off(
    technique: Any, lead: Any, actor: Any
) -> None:
    course_content.technique_sign_off(actor=Actor(user=lead), technique=technique)
    # Saving it unchanged keeps the sign-off and writes nothing.
    events = AuditEvent.objects.count()
    course_content.technique_update(actor=actor, technique=technique, data=HOLD)
    technique.refresh_from_db()
    assert technique.is_signed_off and AuditEvent.objects.count() == events
    course_content.technique_update(actor=actor, technique=technique, data=replace(
        HOLD, psychological_risks="Re-traumatisation; loss of trust"))
    technique.refresh_from_db()
    assert not technique.is_signed_off and technique.review_due_on is None
    change = AuditEvent.objects.filter(object_type="workforce.physicaltechnique").latest("id")
    assert "back to awaiting sign-off" in change.summary
    assert change.before["signed_off_by_id"] == lead.pk
    assert change.after["signed_off_by_id"] is None


def test_a_withdrawn_technique_stays_and_cannot_change(technique: Any, actor: Any,
                                                       lead: Any) -> None:
    with pytest.raises(ValidationError):
        course_content.technique_withdraw(actor=actor, technique=technique, reason=" ")
    course_content.technique_withdraw(actor=actor, technique=technique,
                                      reason="No longer in the TNA")
    technique.refresh_from_db()
    assert technique.withdrawn_on == TODAY and PhysicalTechnique.objects.count() == 1
    with pytest.raises(ValidationError):
        course_content.technique_update(actor=actor, technique=technique,
                                        data=replace(HOLD, name="Other"))
    with pytest.raises(ValidationError):
        course_content.technique_sign_off(actor=Actor(user=lead), technique=technique)


def test_the_course_page_is_the_training_manual(technique: Any, client_as: Any) -> None:
    page = client_as("ward_manager").get("/training/courses/RRN-L2/").content.decode()
    assert "Training manual" in page and "Two-person standing hold" in page
    assert "Awaiting sign-off" in page and "Re-traumatisation" in page
    assert "Consultant psychiatrist" in page


def test_the_trainer_adds_and_changes_and_the_lead_signs_off_on_the_pages(
    physical: Any, trainer_client: Any, lead_client: Any
) -> None:
    response = trainer_client.post("/training/courses/RRN-L2/techniques/add/", FORM)
    assert response.status_code == 302, response.content.decode()[:2000]
    technique = PhysicalTechnique.objects.get()
    page = lead_client.get("/").content.decode()
    assert "Technique awaiting your sign-off" in page
    assert lead_client.post(f"/training/techniques/{technique.pk}/sign-off/").status_code == 302
    technique.refresh_from_db()
    assert technique.is_signed_off
    assert "Technique awaiting your sign-off" not in lead_client.get("/").content.decode()
    edit = trainer_client.get(f"/training/techniques/{technique.pk}/edit/").content.decode()
    assert "It will need signing off again" in edit
    changed = {**FORM, "mitigations": "Monitoring by a named staff member"}
    assert trainer_client.post(f"/training/techniques/{technique.pk}/edit/",
                               changed).status_code == 302
    technique.refresh_from_db()
    assert not technique.is_signed_off
    missing = trainer_client.post("/training/courses/RRN-L2/techniques/add/",
                                  {**FORM, "mitigations": ""})
    assert missing.status_code == 200 and "nhsuk-error-summary" in missing.content.decode()


def test_an_overdue_review_is_on_the_leads_home_page(technique: Any, lead: Any,
                                                     lead_client: Any) -> None:
    course_content.technique_sign_off(actor=Actor(user=lead), technique=technique,
                                      now=NOW - dt.timedelta(days=400))
    page = lead_client.get("/").content.decode()
    assert "Technique review overdue" in page
    assert "Technique awaiting your sign-off" not in page


ROLES = ("ward_staff", "ward_manager", "doctor", "rrp_lead", "board", "trainer", "auditor",
         "org_admin")


@pytest.mark.parametrize("role", [r for r in ROLES if r != "trainer"])
def test_only_the_trainer_writes_the_manual(role: str, technique: Any, client_as: Any) -> None:
    client = client_as(role)
    for url, data in [
        ("/training/courses/RRN-L2/techniques/add/", FORM),
        (f"/training/techniques/{technique.pk}/edit/", {**FORM, "name": "Changed"}),
        (f"/training/techniques/{technique.pk}/withdraw/", {"reason": "Gone"}),
    ]:
        assert client.get(url).status_code == 403, url
        assert client.post(url, data).status_code == 403, url
    technique.refresh_from_db()
    assert technique.name == HOLD.name and technique.withdrawn_on is None
    assert PhysicalTechnique.objects.count() == 1


@pytest.mark.parametrize("role", [r for r in ROLES if r != "rrp_lead"])
def test_only_the_lead_signs_off_on_the_page(role: str, technique: Any,
                                             client_as: Any) -> None:
    url = f"/training/techniques/{technique.pk}/sign-off/"
    client = client_as(role)
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    technique.refresh_from_db()
    assert not technique.is_signed_off


def test_another_organisations_course_and_technique_are_404(
    technique: Any, make_organisation: Any, make_course: Any, actor: Any,
    trainer_client: Any, lead_client: Any,
) -> None:
    other = make_organisation(ods_code="R2B")
    theirs = course_content.technique_add(
        actor=actor, course=make_course("THEIRS", level="physical", organisation=other),
        data=HOLD)
    assert trainer_client.get("/training/courses/THEIRS/").status_code == 404
    assert trainer_client.get("/training/courses/THEIRS/techniques/add/").status_code == 404
    assert trainer_client.get(f"/training/techniques/{theirs.pk}/edit/").status_code == 404
    assert lead_client.post(f"/training/techniques/{theirs.pk}/sign-off/").status_code == 404
    theirs.refresh_from_db()
    assert not theirs.is_signed_off


def test_dates_are_local(technique: Any) -> None:
    assert technique.created_at.astimezone(LONDON).date() == TODAY


def test_a_withdrawn_technique_is_listed_apart_on_the_course_page(
    technique: Any, trainer_client: Any
) -> None:
    response = trainer_client.post(f"/training/techniques/{technique.pk}/withdraw/",
                                   {"reason": "Removed from the TNA at review"})
    assert response.status_code == 302
    page = trainer_client.get("/training/courses/RRN-L2/").content.decode()
    assert "No longer taught" in page and "Removed from the TNA at review" in page
    assert f"/training/techniques/{technique.pk}/edit/" not in page
    assert trainer_client.get(f"/training/techniques/{technique.pk}/edit/").status_code == 404


def test_a_course_without_physical_skills_has_no_manual(clock: Any, make_course: Any,
                                                        trainer_client: Any) -> None:
    make_course("PREV", level="prevention", outcomes=["3.1.X"])
    page = trainer_client.get("/training/courses/PREV/").content.decode()
    assert "effective use of de-escalation techniques" in page
    assert "Training manual" not in page
    assert trainer_client.get("/training/courses/PREV/techniques/add/").status_code == 404
