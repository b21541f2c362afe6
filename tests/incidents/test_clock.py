"""The clock (rrp.incidents.clock), with a frozen clock: recurring reviews fall due without
anyone saving, overdue duties are marked and their owners told once, a medical review still
not done 30 minutes after it fell due is escalated, and email goes at most once an hour per
person with no patient's name in it."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

LONDON = ZoneInfo("Europe/London")
START = dt.datetime(2026, 3, 29, 0, 30, tzinfo=LONDON)  # the night the clocks go forward


@pytest.fixture
def restrained(system_actor: Any, ward: Any, patient: Any) -> Any:
    """A restraint (standing, 10 minutes) and a seclusion still going on, from START."""
    from rrp.incidents.inputs import IncidentInput, InterventionInput, StaffInput
    from rrp.incidents.services import incident_create

    data = IncidentInput(
        ward=ward, patient=patient, started_at=START, ended_at=None, reason="10",
        description="Held to keep others safe", efforts_to_avoid="Talked calmly",
        outcome="Secluded", notification="not_applicable",
        interventions=[
            InterventionInput("07", START, START + dt.timedelta(minutes=10)),
            InterventionInput("05", START + dt.timedelta(minutes=10), None),
        ],
        staff=[StaffInput("Staff A", "Nurse", "lead"),
               StaffInput("Staff B", "Nurse", "monitoring_wellbeing")],
    )
    return incident_create(actor=system_actor, organisation=ward.organisation, data=data,
                           submit=True, now=START + dt.timedelta(minutes=15))


def _people(make_user: Any, ward: Any, system_actor: Any) -> dict[str, Any]:
    from rrp.organisations.models import Membership

    people = {role: make_user(role) for role in ("doctor", "ward_manager", "rrp_lead",
                                                 "ward_staff")}
    for person in people.values():
        person.email = f"{person.username}@example.nhs.uk"
        person.save()
    Membership.objects.filter(user=people["ward_manager"]).update(home_ward=ward)
    return people


def test_recurring_seclusion_reviews_fall_due_with_nobody_saving(restrained: Any) -> None:
    from rrp.audit.models import AuditEvent
    from rrp.incidents import clock

    before = set(restrained.duties.values_list("key", flat=True))
    later = START + dt.timedelta(hours=9)
    created = clock.recurring_reviews(now=later)
    assert created > 0
    new = set(restrained.duties.values_list("key", flat=True)) - before
    assert len(new) == created
    assert any(k.startswith("seclusion_nursing_review") for k in new)
    assert AuditEvent.objects.filter(summary__contains="recurring review").exists()
    assert clock.recurring_reviews(now=later) == 0  # the same minute again: nothing new


def test_an_overdue_duty_tells_its_owners_once(
    restrained: Any, make_user: Any, ward: Any, system_actor: Any,
) -> None:
    from rrp.incidents import clock
    from rrp.notifications.models import Notification

    people = _people(make_user, ward, system_actor)
    review = restrained.duties.get(kind="medical_review")
    now = review.due_at + dt.timedelta(minutes=5)
    assert clock.overdue_duties(now=now) >= 1
    review.refresh_from_db()
    assert review.overdue_noticed_at == now
    told = Notification.objects.filter(duty=review, kind="duty_overdue")
    assert [n.recipient for n in told] == [people["doctor"]]  # the duty's owner role
    assert "Bloggs" not in told[0].title and "Jo" not in told[0].title.split()
    assert restrained.reference in told[0].title
    assert clock.overdue_duties(now=now + dt.timedelta(minutes=1)) == 0  # once only
    assert told.count() == 1


def test_a_medical_review_30_minutes_overdue_is_escalated(
    restrained: Any, make_user: Any, ward: Any, system_actor: Any, settings: Any,
) -> None:
    from rrp.incidents import clock
    from rrp.notifications.models import Notification

    people = _people(make_user, ward, system_actor)
    review = restrained.duties.get(kind="medical_review")
    assert clock.late_medical_reviews(now=review.due_at + dt.timedelta(minutes=29)) == 0
    assert clock.late_medical_reviews(now=review.due_at + dt.timedelta(minutes=31)) == 1
    escalated = Notification.objects.filter(duty=review, kind="medical_review_escalated")
    assert {n.recipient for n in escalated} == {people["ward_manager"], people["rrp_lead"]}
    assert clock.late_medical_reviews(now=review.due_at + dt.timedelta(minutes=40)) == 0

    settings.RRP_ESCALATE_MEDICAL_REVIEW_TO = ("doctor",)  # configurable
    review.escalated_at = None
    review.save()
    clock.late_medical_reviews(now=review.due_at + dt.timedelta(minutes=45))
    assert escalated.filter(recipient=people["doctor"]).exists()


def test_a_done_review_is_neither_overdue_nor_escalated(
    restrained: Any, make_user: Any, ward: Any, system_actor: Any,
) -> None:
    from rrp.incidents import clock

    _people(make_user, ward, system_actor)
    review = restrained.duties.get(kind="medical_review")
    review.completed_at = review.due_at - dt.timedelta(minutes=5)
    review.save()
    later = review.due_at + dt.timedelta(hours=1)
    clock.overdue_duties(now=later)
    clock.late_medical_reviews(now=later)
    review.refresh_from_db()
    assert review.overdue_noticed_at is None and review.escalated_at is None


def test_email_at_most_once_an_hour_per_person_without_names(
    restrained: Any, make_user: Any, ward: Any, system_actor: Any, settings: Any,
) -> None:
    from rrp.incidents import clock
    from rrp.notifications import services

    settings.EMAIL_HOST = "smtp.example.nhs.uk"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    people = _people(make_user, ward, system_actor)
    review = restrained.duties.get(kind="medical_review")
    first = review.due_at + dt.timedelta(minutes=1)
    clock.run(now=first)
    to_doctor = [m for m in mail.outbox if m.to == [people["doctor"].email]]
    assert len(to_doctor) == 1
    assert "Bloggs" not in to_doctor[0].subject and "Bloggs" not in to_doctor[0].body
    # The escalation 30 minutes later waits for the hour to pass for whoever was emailed.
    clock.run(now=review.due_at + dt.timedelta(minutes=31))
    assert len([m for m in mail.outbox if m.to == [people["doctor"].email]]) == 1
    assert services.send_emails(now=first + dt.timedelta(minutes=61)) >= 0
    manager = [m for m in mail.outbox if m.to == [people["ward_manager"].email]]
    assert len(manager) == 1 and "need" in manager[0].subject


def test_without_an_email_host_nothing_is_emailed(
    restrained: Any, make_user: Any, ward: Any, system_actor: Any, settings: Any,
) -> None:
    from rrp.incidents import clock

    settings.EMAIL_HOST = ""
    _people(make_user, ward, system_actor)
    review = restrained.duties.get(kind="medical_review")
    assert clock.run(now=review.due_at + dt.timedelta(minutes=45))["emails"] == 0
    assert mail.outbox == []
