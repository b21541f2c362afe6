"""Another provider's uses of force do not exist here: every page for one of its records is a
404, with or without a record of our own in the way, and no list shows it."""

from __future__ import annotations

from typing import Any

import pytest

from incidents.conftest import NOW, restraint_input
from incidents.test_pages_permissions import pages_of
from rrp.audit.services import Actor
from rrp.incidents import services
from rrp.incidents.models import Duty, Escalation, Incident

ALL_CLINICAL = ("ward_staff", "ward_manager", "doctor", "rrp_lead")


@pytest.fixture
def theirs(make_organisation: Any, make_ward: Any, make_patient: Any, make_user: Any) -> Incident:
    """A restraint at Bravo Trust on its ward BXW, of its patient BSECRET1, with a death."""
    bravo = make_organisation(ods_code="B2B", name="Bravo Secret Trust")
    ward = make_ward(code="BXW", name="Bravoward", organisation=bravo)
    patient = make_patient(local_id="BSECRET1", organisation=bravo)
    staff = make_user("ward_staff", organisation=bravo, username="bravo_nurse")
    return services.incident_create(
        actor=Actor(user=staff), organisation=bravo, now=NOW,
        data=restraint_input(ward, patient, death_or_serious_injury=True,
                             description="Bravo secret description"),
    )


@pytest.fixture
def ours(record: Any) -> Incident:
    return record()


def test_every_page_of_their_record_is_not_found(
    theirs: Incident, ours: Incident, make_user: Any, client_for: Any, organisation: Any,
    clock: Any,
) -> None:
    everyone = make_user(username="alex_all", roles=ALL_CLINICAL)
    client = client_for(everyone, organisation)
    for url in pages_of(theirs):
        if f"/{theirs.pk}/" not in url:
            continue
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"reason": "hijack", "notes": "hijack"}).status_code == 404, url
    assert client.post(f"/uses-of-force/{theirs.pk}/submit/").status_code == 404
    # Their duty through our record, and their escalation through our page.
    their_duty = Duty.objects.filter(incident=theirs).first()
    assert client.get(f"/uses-of-force/{ours.pk}/not-required/?duty={their_duty.pk}"
                      ).status_code == 404
    their_escalation = Escalation.objects.get(incident=theirs)
    assert client.post("/uses-of-force/escalations/", {"escalation": their_escalation.pk}
                       ).status_code == 404
    their_escalation.refresh_from_db()
    assert their_escalation.acknowledged_at is None
    assert Incident.objects.get(pk=theirs.pk).status == "submitted"


def test_no_list_shows_their_records(
    theirs: Incident, ours: Incident, make_user: Any, client_for: Any, organisation: Any,
    clock: Any,
) -> None:
    client = client_for(make_user(username="alex_all", roles=ALL_CLINICAL), organisation)
    for url in ("/uses-of-force/", "/uses-of-force/duties/", "/uses-of-force/escalations/",
                "/uses-of-force/?ward=BXW", "/uses-of-force/duties/?ward=BXW"):
        page = client.get(url).content.decode()
        assert theirs.reference not in page or ours.reference == theirs.reference, url
        for secret in ("BSECRET1", "Bravoward", "Bravo secret"):
            assert secret not in page, (url, secret)
    assert ours.reference in client.get("/uses-of-force/").content.decode()


def test_recording_cannot_name_their_patient_or_ward(
    theirs: Incident, make_user: Any, client_for: Any, organisation: Any, ward: Any,
    clock: Any,
) -> None:
    client = client_for(make_user(username="alex_all", roles=ALL_CLINICAL), organisation)
    page = client.post("/uses-of-force/record/", {
        "action": "submit", "ward": "BXW", "patient": str(theirs.patient_id),
        "patient_local_id": "BSECRET1", "date_0": "5", "date_1": "10", "date_2": "2026",
    }).content.decode()
    assert "No patient has the local identifier BSECRET1" in page
    assert "Choose the ward where force was used" in page
    assert Incident.objects.filter(organisation=organisation).count() == 0
