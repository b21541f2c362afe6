"""The printed plan is one A4 page for the paper record, dated and versioned on every print
(standard 2.4.VII), and printing it is recorded in the audit trail."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path
from typing import Any

import pytest

from rrp.audit.models import AuditEvent
from rrp.careplans import services
from rrp.careplans.inputs import RiskFactorInput

from .conftest import NOW, plan_input

LONG = "Talk to me calmly, give me time, and tell me what is going to happen next. " * 6


def pdf_text(body: bytes, tmp_path: Path) -> str:
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(body)
    result = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    )
    return " ".join(result.stdout.split())


def pages(body: bytes, tmp_path: Path) -> int:
    pdf = tmp_path / "count.pdf"
    pdf.write_bytes(body)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])


@pytest.fixture
def nurse_client(client_for: Any, nurse: Any, organisation: Any) -> Any:
    return client_for(nurse, organisation)


def test_the_printed_plan_is_one_dated_versioned_page(
    clock: Any, jo: Any, nurse_actor: Any, nurse_client: Any, tmp_path: Path
) -> None:
    services.safety_plan_version_create(actor=nurse_actor, patient=jo, data=plan_input())
    response = nurse_client.get(f"/patients/{jo.pk}/safety-plan/print/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="safety-plan-P1001-v1.pdf"' in response["Content-Disposition"]
    assert pages(response.content, tmp_path) == 1
    text = pdf_text(response.content, tmp_path)
    assert "Jo Bloggs" in text and "943 476 5919" in text
    assert "Version 1, signed 10 March 2026 by Ada Okafor" in text
    assert "Who wrote this plan: written with Jo and their family or carer, on 9 March 2026" in text
    assert "Review by 6 April 2026" in text
    assert "Printed 10 March 2026, 10:00 by Ada Okafor from RRP" in text
    assert "Check RRP for a newer version before relying on it" in text
    assert "Page 1 of 1" in text
    assert "Asthma or another respiratory" in text
    assert "Reduce the risk: Inhaler to hand" in text
    assert "I asked not to have: prone restraint (face down)" in text
    event = AuditEvent.objects.get(action="export")
    assert event.summary == "Safety plan version 1 of P1001 printed"


def test_a_long_plan_still_prints_on_one_page(
    clock: Any, jo: Any, nurse_actor: Any, nurse_client: Any, tmp_path: Path
) -> None:
    factors = [
        RiskFactorInput(code, "Keep holds short; watch breathing and colour", "Noted at admission")
        for code in ("respiratory", "obesity", "heart_disease", "diabetes", "joint_impairment")
    ]
    data = plan_input(
        persons_words=LONG,
        green_support=LONG,
        amber_support=LONG,
        red_support=LONG,
        triggers=LONG,
        what_to_avoid=LONG,
        communication_needs=LONG,
        risk_factors=factors,
        dignity=LONG[:200],
        post_incident_support=LONG[:200],
    )
    services.safety_plan_version_create(actor=nurse_actor, patient=jo, data=data)
    response = nurse_client.get(f"/patients/{jo.pk}/safety-plan/print/")
    assert pages(response.content, tmp_path) == 1


def test_an_older_version_prints_saying_it_has_been_replaced(
    clock: Any, jo: Any, nurse_actor: Any, nurse_client: Any, tmp_path: Path
) -> None:
    services.safety_plan_version_create(actor=nurse_actor, patient=jo, data=plan_input())
    services.safety_plan_version_create(
        actor=nurse_actor, patient=jo, data=plan_input(changes="Nothing changed")
    )
    response = nurse_client.get(f"/patients/{jo.pk}/safety-plan/print/?version=1")
    assert "Not the current plan: version 2 replaced it" in pdf_text(response.content, tmp_path)


def test_an_overdue_plan_prints_with_the_review_overdue_banner(
    clock: Any, jo: Any, nurse_actor: Any, client_for: Any, nurse: Any, tmp_path: Path
) -> None:
    services.safety_plan_version_create(actor=nurse_actor, patient=jo, data=plan_input())
    clock.move_to(NOW + dt.timedelta(days=40))
    response = client_for(nurse, jo.organisation).get(f"/patients/{jo.pk}/safety-plan/print/")
    assert "This plan was due for review on 6 April 2026" in pdf_text(response.content, tmp_path)


def test_there_is_nothing_to_print_without_a_plan(clock: Any, jo: Any, nurse_client: Any) -> None:
    assert nurse_client.get(f"/patients/{jo.pk}/safety-plan/print/").status_code == 404
