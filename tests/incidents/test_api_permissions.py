"""Who may read and write uses of force through the API, and another organisation's records
are never found (404), whatever the route."""

from __future__ import annotations

from typing import Any

import pytest

from incidents.conftest import restraint_body, restraint_input
from rrp.audit.models import AuditEvent
from rrp.incidents.models import Duty, Incident, MedicalReview

PATIENT_LEVEL_ROUTES = ("/api/v1/incidents", "/api/v1/duties")


@pytest.mark.parametrize("role", ["board", "trainer", "auditor", "org_admin"])
def test_roles_without_patient_care_cannot_read_or_record(
    role: Any, api_client_as: Any, record: Any, patient: Any, clock: Any
) -> None:
    incident = record()
    api = api_client_as(role)
    for url in (*PATIENT_LEVEL_ROUTES, f"/api/v1/incidents/{incident.pk}",
                f"/api/v1/incidents/{incident.pk}/duties"):
        assert api.get(url).status_code == 403, url
    assert api.post("/api/v1/incidents", restraint_body(patient.pk)).status_code == 403
    assert Incident.objects.count() == 1


@pytest.mark.parametrize("role", ["ward_staff", "ward_manager", "doctor", "rrp_lead"])
def test_people_caring_for_patients_can_read_and_record(
    role: Any, api_client_as: Any, record: Any, patient: Any, clock: Any
) -> None:
    incident = record()
    api = api_client_as(role)
    for url in (*PATIENT_LEVEL_ROUTES, f"/api/v1/incidents/{incident.pk}",
                f"/api/v1/incidents/{incident.pk}/duties"):
        assert api.get(url).status_code == 200, url
    assert api.post("/api/v1/incidents", restraint_body(patient.pk)).status_code == 201


def test_every_route_gives_404_for_another_organisations_record(
    api_client_as: Any, make_organisation: Any, make_ward: Any, make_patient: Any,
    make_user: Any, clock: Any,
) -> None:
    from rrp.audit.services import Actor
    from rrp.incidents import services

    other = make_organisation(ods_code="B2B")
    their_ward = make_ward(code="OAK", organisation=other)
    their_patient = make_patient(local_id="B1", organisation=other)
    theirs = services.incident_create(
        actor=Actor(user=make_user("ward_staff", organisation=other)), organisation=other,
        data=restraint_input(their_ward, their_patient),
    )
    duty = Duty.objects.filter(incident=theirs).first()
    events = AuditEvent.objects.filter(organisation=other).count()
    api = api_client_as("rrp_lead")
    base = f"/api/v1/incidents/{theirs.pk}"

    assert api.get(base).status_code == 404
    assert api.get(f"{base}/duties").status_code == 404
    assert api.patch(base, {"outcome": "Hijacked", "change_reason": "x"}).status_code == 404
    for action in ("submit", "review", "close", "entered-in-error", "medical-reviews",
                   "observations", "post-incident-support", "debriefs", "patient-account",
                   "reviews"):
        # {}: every body's fields have defaults, so the schema passes and the lookup answers.
        assert api.post(f"{base}/{action}", {}).status_code == 404, action
    assert api.post(f"/api/v1/duties/{duty.pk}/not-required", {"reason": "x"}).status_code == 404
    assert api.get("/api/v1/incidents").json()["items"] == []
    assert api.get("/api/v1/duties").json()["items"] == []

    theirs.refresh_from_db()
    assert theirs.outcome == "Settled in his room, no injury" and theirs.version == 1
    assert not theirs.is_entered_in_error and not MedicalReview.objects.exists()
    assert AuditEvent.objects.filter(organisation=other).count() == events
