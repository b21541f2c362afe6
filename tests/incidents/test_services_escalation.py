"""A death or serious injury is escalated on submission to the restrictive practice lead: in
the app always, and by email when a mail server is configured. The email says where to look,
never who; a mail server that fails never loses the record."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from django.core import mail

from incidents.conftest import NOW
from rrp.incidents import services
from rrp.incidents.models import Escalation, Incident


@pytest.fixture
def lead(make_user: Any) -> Any:
    user = make_user("rrp_lead", username="lead_jo")
    user.email = "lead@example.nhs.uk"
    user.save()
    return user


def test_escalated_in_the_app_and_by_email_when_configured(
    record: Any, lead: Any, settings: Any, django_capture_on_commit_callbacks: Any, clock: Any
) -> None:
    settings.EMAIL_HOST = "smtp.example.nhs.uk"
    with django_capture_on_commit_callbacks(execute=True):
        incident = record(death_or_serious_injury=True, harm="severe")

    [escalation] = Escalation.objects.filter(incident=incident)
    assert escalation.acknowledged_at is None
    assert escalation.emailed_to == "lead@example.nhs.uk"
    assert incident.escalated_at == NOW
    [message] = mail.outbox
    assert message.to == ["lead@example.nhs.uk"]
    assert incident.reference in message.subject
    assert "Oak Ward" in message.body
    assert "Bloggs" not in message.body and "P1001" not in message.body  # no patient details


def test_in_the_app_only_without_a_mail_server(
    record: Any, lead: Any, settings: Any, django_capture_on_commit_callbacks: Any, clock: Any
) -> None:
    settings.EMAIL_HOST = ""
    with django_capture_on_commit_callbacks(execute=True):
        incident = record(death_or_serious_injury=True)
    assert Escalation.objects.filter(incident=incident).count() == 1
    assert mail.outbox == []


def test_no_escalation_for_a_draft_or_without_serious_harm(
    record: Any, lead: Any, clock: Any
) -> None:
    record(submit=False, death_or_serious_injury=True)
    record(harm="moderate")
    assert not Escalation.objects.exists()


def test_an_amendment_adding_a_serious_injury_escalates_once(
    record: Any, lead: Any, manager_actor: Any, clock: Any
) -> None:
    incident = record()
    for reason in ("Fracture found on X-ray", "Fracture confirmed by orthopaedics"):
        services.incident_update(
            actor=manager_actor, incident=incident,
            data=dataclasses.replace(services.input_from_incident(incident),
                                     death_or_serious_injury=True, harm="severe"),
            change_reason=reason,
        )
    assert Escalation.objects.filter(incident=incident).count() == 1


def test_a_failing_mail_server_never_loses_the_record(
    record: Any, lead: Any, settings: Any, django_capture_on_commit_callbacks: Any,
    monkeypatch: Any, clock: Any,
) -> None:
    settings.EMAIL_HOST = "smtp.example.nhs.uk"

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(services, "send_mail", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        incident = record(death_or_serious_injury=True)
    assert Incident.objects.filter(pk=incident.pk, status="submitted").exists()
    assert Escalation.objects.filter(incident=incident).exists()
