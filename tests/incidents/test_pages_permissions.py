"""Who may open which use of force page: clinical roles read and record; ward managers and
the restrictive practice lead review and close; only the lead acknowledges an escalation.
Board members, trainers, auditors and administrators see no patient-level records."""

from __future__ import annotations

from typing import Any

import pytest

from rrp.incidents.models import Duty


def pages_of(incident: Any) -> list[str]:
    base = f"/uses-of-force/{incident.pk}"
    duty = Duty.objects.filter(incident=incident).first()
    return [
        "/uses-of-force/", "/uses-of-force/record/", "/uses-of-force/duties/",
        "/uses-of-force/escalations/", f"{base}/", f"{base}/change/", f"{base}/review/",
        f"{base}/close/", f"{base}/entered-in-error/", f"{base}/medical-review/",
        f"{base}/observations/?kind=physical", f"{base}/support/?for=patient",
        f"{base}/reflection-review/", f"{base}/patient-account/",
        f"{base}/reviews/?kind=care_plan_review", f"{base}/not-required/?duty={duty.pk}",
    ]


@pytest.mark.parametrize("role", ["board", "trainer", "auditor", "org_admin"])
def test_roles_without_patient_records_are_refused_every_page(
    role: str, record: Any, client_as: Any, clock: Any,
) -> None:
    incident = record()
    client = client_as(role)
    for url in pages_of(incident):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/uses-of-force/{incident.pk}/submit/").status_code == 403
    assert "Uses of force" not in client.get("/wards/").content.decode()


# The follow-up pages each record one kind of duty: only the roles that may meet it can open
# them (ADR 7), the rest get a 403 saying who may.
FOLLOW_UP_OWNERS = {
    "medical-review/": {"doctor"},
    "observations/?kind=physical": {"ward_staff", "ward_manager", "rrp_lead"},
    "support/?for=patient": {"ward_staff", "ward_manager", "rrp_lead"},
    "reflection-review/": {"ward_manager", "rrp_lead"},
    "patient-account/": {"ward_staff", "ward_manager", "rrp_lead"},
    "reviews/?kind=care_plan_review": {"ward_staff", "ward_manager", "doctor", "rrp_lead"},
}


@pytest.mark.parametrize("role", ["ward_staff", "doctor"])
def test_ward_staff_and_doctors_record_but_do_not_review(
    role: str, record: Any, client_as: Any, clock: Any,
) -> None:
    incident = record()
    client = client_as(role)
    base = f"/uses-of-force/{incident.pk}/"
    reviewing = {f"{base}review/", f"{base}close/", "/uses-of-force/escalations/"}
    duty = Duty.objects.filter(incident=incident).first()
    dismissing = {f"{base}not-required/?duty={duty.pk}"}
    for url in pages_of(incident):
        if url in reviewing:
            expected = 403
        elif url.removeprefix(base) in FOLLOW_UP_OWNERS:
            expected = 200 if role in FOLLOW_UP_OWNERS[url.removeprefix(base)] else 403
        elif url in dismissing:
            owner = {"medical_review": "doctor"}.get(duty.kind, "ward_staff")
            expected = 200 if owner == role else 403
        else:
            expected = 200
        assert client.get(url).status_code == expected, url
    assert 'href="/uses-of-force/"' in client.get("/wards/").content.decode()


def test_a_ward_manager_reviews_but_does_not_acknowledge_escalations(
    record: Any, client_as: Any, clock: Any,
) -> None:
    incident = record(death_or_serious_injury=True)
    client = client_as("ward_manager")
    assert client.get(f"/uses-of-force/{incident.pk}/review/").status_code == 200
    page = client.get("/uses-of-force/escalations/")
    assert page.status_code == 200 and incident.reference in page.content.decode()
    escalation = incident.escalations.get()
    assert client.post("/uses-of-force/escalations/", {"escalation": escalation.pk}
                       ).status_code == 403
    escalation.refresh_from_db()
    assert escalation.acknowledged_at is None
