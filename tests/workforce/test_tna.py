"""The training needs analysis goes draft -> agreed with the training provider -> signed off by
the executive lead and in force (standard 3.4.II-III); a new version supersedes the old one;
only one is in force; review is due a year after sign-off (3.4.1); every step is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from rrp.audit.models import AuditEvent
from rrp.audit.services import Actor
from rrp.workforce import services
from rrp.workforce.inputs import TnaAgreementInput, TnaInput, TnaRequirementInput
from rrp.workforce.models import TnaRequirement, TnaState, TrainingNeedsAnalysis

from .conftest import TNA_TEXT, TODAY

PHYSICAL = TnaRequirementInput(course="RRN-L2")


def test_a_draft_agreed_and_signed_off_comes_into_force_with_its_review_a_year_on(
    make_tna: Any, make_course: Any, lead: Any
) -> None:
    make_course("RRN-L2")
    analysis = make_tna([PHYSICAL])
    assert analysis.state == TnaState.IN_FORCE
    assert analysis.version == 1
    assert (analysis.training_provider, analysis.agreed_on) == ("Calm Training Ltd", TODAY)
    assert analysis.signed_off_by == lead
    assert analysis.review_due_on == dt.date(2027, 3, 10)
    steps = list(AuditEvent.objects.filter(
        object_type="workforce.trainingneedsanalysis", object_id=str(analysis.pk)
    ).order_by("pk").values_list("summary", flat=True))
    assert len(steps) == 4, steps  # drafted, requirement added, agreed, signed off
    assert "agreed with Calm Training Ltd" in steps[2]
    assert "signed off and in force" in steps[3]


def test_a_new_version_supersedes_the_one_in_force_only_when_signed_off(
    make_tna: Any, make_course: Any
) -> None:
    make_course("RRN-L2")
    first = make_tna([PHYSICAL])
    second = make_tna([PHYSICAL], state="agreed")
    first.refresh_from_db()
    assert second.version == 2
    assert first.state == TnaState.IN_FORCE  # agreeing is not enough
    services.tna_sign_off(actor=Actor(user=second.signed_off_by or first.signed_off_by),
                          analysis=second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, first.superseded_by) == (TnaState.SUPERSEDED, second)
    assert second.state == TnaState.IN_FORCE
    assert TrainingNeedsAnalysis.objects.filter(state=TnaState.IN_FORCE).count() == 1


def test_a_service_type_has_its_own_versions_and_one_in_force_beside_the_organisations(
    make_tna: Any, make_course: Any
) -> None:
    make_course("RRN-L2")
    whole = make_tna([PHYSICAL])
    picu = make_tna([PHYSICAL], service_type="picu")
    assert (whole.version, picu.version) == (1, 1)
    assert TrainingNeedsAnalysis.objects.filter(state=TnaState.IN_FORCE).count() == 2


def test_it_cannot_be_agreed_until_every_section_and_a_requirement_are_written(
    actor: Actor, organisation: Any, clock: Any
) -> None:
    analysis = services.tna_create(actor=actor, organisation=organisation,
                                   data=TnaInput(content="Prevention first"))
    with pytest.raises(ValidationError) as error:
        services.tna_record_agreement(
            actor=actor, analysis=analysis,
            data=TnaAgreementInput(training_provider="", agreed_by="", agreed_on=None),
        )
    problems = error.value.message_dict
    for name in ("risks", "learning_outcomes", "competence_testing", "physical_rationale",
                 "sub_specialty", "requirements", "training_provider", "agreed_by",
                 "agreed_on"):
        assert name in problems, name
    assert "content" not in problems
    assert "3.4.2.VII" in problems["physical_rationale"][0]
    analysis.refresh_from_db()
    assert analysis.state == TnaState.DRAFT


def test_a_change_after_agreement_sends_it_back_to_the_training_provider(
    make_tna: Any, make_course: Any, actor: Actor
) -> None:
    make_course("RRN-L2")
    analysis = make_tna([PHYSICAL], state="agreed")
    services.tna_update(actor=actor, analysis=analysis,
                        data=TnaInput(**{**services.tna_input_of(analysis).__dict__,
                                         "content": "Changed content"}))
    analysis.refresh_from_db()
    assert analysis.state == TnaState.DRAFT
    assert analysis.agreed_on is None and analysis.training_provider == ""


def test_a_version_in_force_cannot_be_changed(make_tna: Any, make_course: Any,
                                              actor: Actor) -> None:
    make_course("RRN-L2")
    analysis = make_tna([PHYSICAL])
    with pytest.raises(ValidationError):
        services.tna_update(actor=actor, analysis=analysis, data=TnaInput(content="New"))
    with pytest.raises(ValidationError):
        services.tna_requirement_add(actor=actor, analysis=analysis, data=PHYSICAL)
    with pytest.raises(ValidationError):
        services.tna_requirement_remove(actor=actor, requirement=analysis.requirements.get())


def test_removing_a_requirement_from_a_draft_keeps_it_marked(make_tna: Any, make_course: Any,
                                                             actor: Actor) -> None:
    make_course("RRN-L2")
    analysis = make_tna([PHYSICAL], state="draft")
    row = analysis.requirements.get()
    services.tna_requirement_remove(actor=actor, requirement=row)
    row.refresh_from_db()
    assert row.removed_at is not None
    assert TnaRequirement.objects.count() == 1


def test_only_the_executive_lead_signs_off(make_tna: Any, make_course: Any,
                                           trainer: Any) -> None:
    make_course("RRN-L2")
    analysis = make_tna([PHYSICAL], state="agreed")
    with pytest.raises(PermissionDenied):
        services.tna_sign_off(actor=Actor(user=trainer), analysis=analysis)
    with pytest.raises(PermissionDenied):
        services.tna_sign_off(actor=Actor(user=None, via="cli"), analysis=analysis)
    analysis.refresh_from_db()
    assert analysis.state == TnaState.AGREED


def test_a_draft_cannot_be_signed_off_before_the_provider_agrees(
    make_tna: Any, make_course: Any, lead: Any
) -> None:
    make_course("RRN-L2")
    analysis = make_tna([PHYSICAL], state="draft")
    with pytest.raises(ValidationError):
        services.tna_sign_off(actor=Actor(user=lead), analysis=analysis)


def test_the_journey_on_the_pages(trainer_client: Any, lead_client: Any, make_course: Any,
                                  clock: Any, ward: Any) -> None:
    make_course("RRN-L2")
    response = trainer_client.post("/training/needs-analysis/new/", {"service_type": "",
                                                                     **_text()})
    assert response.status_code == 302
    analysis = TrainingNeedsAnalysis.objects.get()
    base = f"/training/needs-analysis/{analysis.pk}/"
    assert response["Location"] == base
    assert trainer_client.post(base + "requirements/add/", {
        "course": "RRN-L2", "staff_group": "everyone", "employment": "", "ward": "OAK",
        "refresher_months": "6"}).status_code == 302
    assert trainer_client.post(base + "agreement/", {
        "training_provider": "Calm Training Ltd", "agreed_by": "Pat Provider",
        "agreed_on_0": "10", "agreed_on_1": "3", "agreed_on_2": "2026"}).status_code == 302
    assert trainer_client.get(base + "sign-off/").status_code == 403
    page = lead_client.get(base + "sign-off/")
    assert page.status_code == 200
    assert lead_client.post(base + "sign-off/").status_code == 302
    analysis.refresh_from_db()
    assert analysis.state == TnaState.IN_FORCE
    detail = lead_client.get(base).content.decode()
    assert "Every 6 months" in detail
    assert "Calm Training Ltd" in detail
    assert "Lee Lead" in detail
    assert trainer_client.get(base + "edit/").status_code == 404


def test_the_form_shows_what_is_missing(trainer_client: Any, make_tna: Any,
                                        make_course: Any) -> None:
    analysis = make_tna([], state="draft", sub_specialty="")
    page = trainer_client.post(f"/training/needs-analysis/{analysis.pk}/agreement/", {
        "training_provider": "Calm", "agreed_by": "Pat", "agreed_on_0": "9",
        "agreed_on_1": "3", "agreed_on_2": "2026"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "sub-specialty" in text and "3.4.2.I-III" in text


def _text() -> dict[str, str]:


    return dict(TNA_TEXT)
