"""Every write checks everything first (naming each field), writes and audits in one
transaction, and never deletes: entries, reviews and observations are entered in error with a
reason. Only the lead records reviews and monitoring, and never of themself (3.5.I, XIII)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from rrp.audit.models import AuditAction, AuditEvent
from rrp.audit.services import Actor
from rrp.trainers import selectors, services
from rrp.trainers.inputs import (
    PortfolioEntryInput,
    ProviderInput,
    ReviewInput,
    TrainerInput,
)
from rrp.trainers.models import PortfolioEntry, PortfolioReview, Trainer

from .conftest import TODAY


def problems(call: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as error:
        call()
    return error.value.message_dict


def test_a_trainer_is_someone_on_the_register_or_a_providers_trainer(
    clock: Any, actor: Actor, organisation: Any, make_staff: Any, make_provider: Any,
    make_organisation: Any,
) -> None:
    create = services.trainer_create
    found = problems(lambda: create(actor=actor, organisation=organisation,
                                    data=TrainerInput()))
    assert "staff_id" in found
    provider = make_provider()
    member = make_staff("Ada")
    found = problems(lambda: create(actor=actor, organisation=organisation,
                                    data=TrainerInput(staff_id=member.pk,
                                                      provider_id=provider.pk)))
    assert "staff_id" in found
    # Someone of another organisation's register is not here.
    other = make_organisation(ods_code="R2B")
    stranger = make_staff("Stranger", organisation=other)
    found = problems(lambda: create(actor=actor, organisation=organisation,
                                    data=TrainerInput(staff_id=stranger.pk)))
    assert "staff_id" in found
    # An external trainer needs a name; every problem is named at once.
    found = problems(lambda: create(
        actor=actor, organisation=organisation,
        data=TrainerInput(provider_id=provider.pk,
                          code_of_conduct_accepted_on=TODAY + dt.timedelta(days=1),
                          teaching_since=dt.date(2025, 1, 1),
                          stopped_teaching_on=dt.date(2024, 1, 1))))
    assert set(found) == {"name", "code_of_conduct_accepted_on", "stopped_teaching_on"}
    assert not Trainer.objects.exists()

    trainer = create(actor=actor, organisation=organisation,
                     data=TrainerInput(staff_id=member.pk))
    assert trainer.name == "Ada" and trainer.is_internal
    event = AuditEvent.objects.get(object_type="trainers.trainer", object_id=str(trainer.pk))
    assert event.action == AuditAction.CREATE
    # Once a trainer, not twice.
    found = problems(lambda: create(actor=actor, organisation=organisation,
                                    data=TrainerInput(staff_id=member.pk)))
    assert "already a trainer" in found["staff_id"][0]


def test_nothing_is_written_when_the_audit_fails(
    clock: Any, actor: Actor, organisation: Any, make_staff: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    member = make_staff("Ada")

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("audit trail unavailable")

    monkeypatch.setattr(services, "audit_record", broken)
    with pytest.raises(RuntimeError):
        services.trainer_create(actor=actor, organisation=organisation,
                                data=TrainerInput(staff_id=member.pk))
    assert not Trainer.objects.exists()


def test_portfolio_entries_are_checked_and_entered_in_error_never_deleted(
    make_trainer: Any, add_entry: Any, actor: Actor
) -> None:
    ada = make_trainer("Ada")
    found = problems(lambda: services.portfolio_entry_add(
        actor=actor, trainer=ada,
        data=PortfolioEntryInput(kind="hobby", dated_on=TODAY + dt.timedelta(days=3),
                                 title=" ", evidence="")))
    assert set(found) == {"kind", "dated_on", "title", "evidence"}
    update = add_entry(ada, "annual_update", on=dt.date(2025, 10, 1))
    assert AuditEvent.objects.filter(object_type="trainers.portfolioentry",
                                     object_id=str(update.pk),
                                     action=AuditAction.CREATE).exists()
    assert selectors.trainer_standing(ada, TODAY).annual_update == "in_date"

    found = problems(lambda: services.portfolio_entry_mark_entered_in_error(
        actor=actor, entry=update, reason="  "))
    assert "reason" in found
    services.portfolio_entry_mark_entered_in_error(actor=actor, entry=update,
                                                   reason="Another trainer's update")
    update.refresh_from_db()
    assert update.is_entered_in_error
    assert PortfolioEntry.objects.filter(pk=update.pk).exists()  # kept
    assert selectors.trainer_standing(ada, TODAY).annual_update == "never"  # not counted
    event = AuditEvent.objects.get(action=AuditAction.ENTERED_IN_ERROR,
                                   object_id=str(update.pk))
    assert event.after == {"reason": "Another trainer's update"}
    with pytest.raises(ValidationError):
        services.portfolio_entry_mark_entered_in_error(actor=actor, entry=update,
                                                       reason="Again")


def test_a_review_needs_actions_and_a_date_when_they_are_not_to_teach(
    make_trainer: Any, lead_actor: Actor
) -> None:
    ada = make_trainer("Ada")

    def record(**values: Any) -> Any:
        values.setdefault("reviewed_on", dt.date(2026, 3, 2))
        values.setdefault("reviewer_name", "Lee Lead")
        return services.portfolio_review_record(actor=lead_actor, trainer=ada,
                                                data=ReviewInput(**values))

    assert set(problems(lambda: record(outcome="actions_agreed"))) == {"actions"}
    assert set(problems(lambda: record(outcome="not_to_teach"))) == {
        "actions", "not_to_teach_until"}
    assert set(problems(lambda: record(outcome="great", reviewer_name="",
                                       reviewed_on=None))) == {
        "outcome", "reviewer_name", "reviewed_on"}
    assert "not_to_teach_until" in problems(lambda: record(
        outcome="not_to_teach", actions="Shadow", not_to_teach_until=dt.date(2026, 3, 1)))
    assert not PortfolioReview.objects.exists()

    done = record(outcome="satisfactory")
    assert done.next_due_on == dt.date(2027, 3, 2)
    assert AuditEvent.objects.filter(object_type="trainers.portfolioreview",
                                     object_id=str(done.pk)).exists()
    assert "reviewed_on" in problems(lambda: record(outcome="satisfactory"))  # same day twice


def test_only_the_lead_reviews_and_never_their_own_portfolio(
    make_trainer: Any, make_user: Any, make_staff: Any, organisation: Any, actor: Actor
) -> None:
    ada = make_trainer("Ada")
    data = ReviewInput(reviewed_on=dt.date(2026, 3, 2), reviewer_name="X",
                       outcome="satisfactory")
    trainer_user = make_user("trainer")
    for who in (actor, Actor(user=trainer_user), Actor(user=make_user("board"))):
        with pytest.raises(PermissionDenied):
            services.portfolio_review_record(actor=who, trainer=ada, data=data)
    # A lead who also teaches, linked to their place on the register, cannot review themself.
    both = make_user(roles=("rrp_lead", "trainer"), username="lead_and_trainer")
    member = make_staff("Lead Trainer", user_id=both.pk)
    themself = make_trainer(member=member)
    with pytest.raises(PermissionDenied):
        services.portfolio_review_record(actor=Actor(user=both), trainer=themself, data=data)
    # ...but reviews another trainer.
    services.portfolio_review_record(actor=Actor(user=both), trainer=ada, data=data)
    assert list(PortfolioReview.objects.values_list("trainer_id", flat=True)) == [ada.pk]


def test_a_provider_certificate_is_all_or_nothing_and_insurance_needs_evidence(
    clock: Any, actor: Actor, organisation: Any, make_provider: Any
) -> None:
    found = problems(lambda: services.provider_create(
        actor=actor, organisation=organisation,
        data=ProviderInput(name="", certificate_number="BA-1",
                           indemnity_clarified_on=dt.date(2026, 1, 5))))
    assert set(found) == {"name", "certifying_body", "certificate_valid_until",
                          "indemnity_evidence"}
    make_provider("Calm Training Ltd")
    found = problems(lambda: services.provider_create(
        actor=actor, organisation=organisation, data=ProviderInput(name="calm training ltd")))
    assert "name" in found
