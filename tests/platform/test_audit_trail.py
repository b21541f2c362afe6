"""Every clinical write and every read of a patient-identifiable record leaves an audit event
saying who, what, when, in which organisation and, for changes, what it was before and after.
Audit events themselves can never be changed or removed: not by the model, not by a queryset,
not by SQL (a trigger in the database refuses)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from rrp.audit.models import AppendOnlyError, AuditAction, AuditEvent

PATIENT_FORM = {
    "local_id": "P2001",
    "nhs_number": "943 476 5919",
    "given_name": "Ana",
    "family_name": "Silva",
    "date_of_birth_0": "2",
    "date_of_birth_1": "7",
    "date_of_birth_2": "1990",
    "sex": "female",
    "gender_same_as_birth": "yes",
    "ethnic_category": "C",
    "religion": "christian",
    "sexual_orientation": "prefers_not_to_say",
    "disability": "no",
    "pregnancy": "neither",
    "marital_status": "single",
    "mental_disorder": "F30-F39",
    "learning_disability_autism": "neither",
    "legal_status": "03",
}


def only_event(user: Any, action: str, object_type: str) -> AuditEvent:
    events = list(AuditEvent.objects.filter(actor=user, action=action, object_type=object_type))
    assert len(events) == 1, f"expected one {action} of {object_type} by {user}, got {events}"
    return events[0]


@pytest.fixture
def nurse(make_user: Any) -> Any:
    return make_user("ward_staff", username="nina_nurse")


@pytest.fixture
def admin(make_user: Any) -> Any:
    return make_user("org_admin", username="adam_admin")


# -- pages -------------------------------------------------------------------------------------


def test_adding_a_patient_is_audited_with_what_was_recorded(
    nurse: Any, organisation: Any, client_for: Any
) -> None:
    response = client_for(nurse).post("/patients/add/", PATIENT_FORM)
    assert response.status_code == 302
    event = only_event(nurse, AuditAction.CREATE, "patients.patient")
    assert event.organisation == organisation
    assert event.actor_username == "nina_nurse"
    assert event.via == "web"
    assert event.ip_address == "127.0.0.1"
    assert event.before is None
    assert event.after["local_id"] == "P2001"
    assert event.after["nhs_number"] == "9434765919"
    assert event.after["ethnic_category"] == "C"


def test_changing_a_patient_is_audited_with_before_and_after(
    nurse: Any, patient: Any, client_for: Any
) -> None:
    changed = dict(PATIENT_FORM, local_id="P1001", family_name="Bloggs-Smith")
    response = client_for(nurse).post(f"/patients/{patient.pk}/change/", changed)
    assert response.status_code == 302
    event = only_event(nurse, AuditAction.CHANGE, "patients.patient")
    assert event.object_id == str(patient.pk)
    assert event.before["family_name"] == "Bloggs"
    assert event.after["family_name"] == "Bloggs-Smith"


def test_adding_a_ward_stay_is_audited(
    nurse: Any, patient: Any, ward: Any, organisation: Any, client_for: Any
) -> None:
    response = client_for(nurse).post(
        f"/patients/{patient.pk}/admissions/add/",
        {"ward": ward.pk, "admitted_on_0": "3", "admitted_on_1": "3", "admitted_on_2": "2026"},
    )
    assert response.status_code == 302
    event = only_event(nurse, AuditAction.CREATE, "patients.admission")
    assert event.organisation == organisation
    assert event.after["ward_id"] == ward.pk
    assert event.after["patient_id"] == patient.pk
    assert event.after["admitted_on"] == "2026-03-03"


def test_entering_bed_days_is_audited_and_a_correction_keeps_the_old_figure(
    make_user: Any, ward: Any, organisation: Any, client_for: Any
) -> None:
    manager = make_user("ward_manager")
    client = client_for(manager)
    form = {"ward": ward.pk, "month": "2026-02", "bed_days": "400"}
    assert client.post("/bed-days/", form).status_code == 302
    assert client.post("/bed-days/", dict(form, bed_days="450")).status_code == 302
    created = only_event(manager, AuditAction.CREATE, "organisations.occupiedbeddays")
    assert created.organisation == organisation
    assert created.after["bed_days"] == 400
    corrected = only_event(manager, AuditAction.CHANGE, "organisations.occupiedbeddays")
    assert corrected.before["bed_days"] == 400
    assert corrected.after["bed_days"] == 450


def test_adding_a_ward_is_audited(admin: Any, organisation: Any, client_for: Any) -> None:
    response = client_for(admin).post(
        "/wards/add/",
        {"code": "ELM", "name": "Elm Ward", "service_type": "picu", "beds": "10", "site": ""},
    )
    assert response.status_code == 302
    event = only_event(admin, AuditAction.CREATE, "organisations.ward")
    assert event.organisation == organisation
    assert event.after["code"] == "ELM"
    assert event.after["beds"] == 10


def test_opening_a_patients_page_is_audited_every_time(
    nurse: Any, patient: Any, organisation: Any, client_for: Any
) -> None:
    client = client_for(nurse)
    assert client.get(f"/patients/{patient.pk}/").status_code == 200
    assert client.get(f"/patients/{patient.pk}/").status_code == 200
    views = AuditEvent.objects.filter(actor=nurse, action=AuditAction.VIEW)
    assert views.count() == 2
    event = views.first()
    assert event is not None
    assert (event.object_type, event.object_id) == ("patients.patient", str(patient.pk))
    assert event.organisation == organisation


def test_opening_a_patient_for_editing_is_audited(
    nurse: Any, patient: Any, client_for: Any
) -> None:
    assert client_for(nurse).get(f"/patients/{patient.pk}/change/").status_code == 200
    only_event(nurse, AuditAction.VIEW, "patients.patient")


def test_importing_bed_days_is_audited_row_by_row(
    admin: Any, ward: Any, client_for: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(
        "bed-days.csv", b"ward,month,bed_days\nOAK,2026-01,500\nOAK,2026-02,480\n", "text/csv"
    )
    response = client_for(admin).post("/bed-days/import/", {"file": upload})
    assert response.status_code == 302
    rows = AuditEvent.objects.filter(actor=admin, object_type="organisations.occupiedbeddays")
    assert sorted(rows.values_list("action", flat=True)) == ["create", "create", "import"]


# -- API ---------------------------------------------------------------------------------------


def test_reading_a_patient_through_the_api_is_audited(
    nurse: Any, patient: Any, organisation: Any, api_client_for: Any
) -> None:
    response = api_client_for(nurse).get(f"/api/v1/patients/{patient.pk}")
    assert response.status_code == 200
    event = only_event(nurse, AuditAction.VIEW, "patients.patient")
    assert event.via == "api"
    assert event.organisation == organisation
    assert event.object_id == str(patient.pk)


def test_api_writes_are_audited_with_before_and_after(
    make_user: Any, organisation: Any, ward: Any, api_client_for: Any
) -> None:
    lead = make_user("rrp_lead")
    api = api_client_for(lead)
    created = api.post("/api/v1/patients", {"local_id": "P3001", "date_of_birth": "1975-05-05"})
    assert created.status_code == 201
    patient_id = created.json()["id"]
    assert api.patch(f"/api/v1/patients/{patient_id}", {"sex": "male"}).status_code == 200
    assert api.put(
        "/api/v1/bed-days", {"ward": "OAK", "month": "2026-01", "bed_days": 300}
    ).status_code == 200

    create = only_event(lead, AuditAction.CREATE, "patients.patient")
    assert (create.via, create.organisation, create.after["local_id"]) == (
        "api", organisation, "P3001"
    )
    change = only_event(lead, AuditAction.CHANGE, "patients.patient")
    assert (change.before["sex"], change.after["sex"]) == ("not_known", "male")
    bed_days = only_event(lead, AuditAction.CREATE, "organisations.occupiedbeddays")
    assert bed_days.after["bed_days"] == 300


def test_a_refused_write_leaves_no_half_record(
    nurse: Any, organisation: Any, client_for: Any
) -> None:
    """The record and its audit event commit together or not at all."""
    client = client_for(nurse)  # signing in is itself audited, so count after it
    before = AuditEvent.objects.count()
    bad = dict(PATIENT_FORM, nhs_number="9434765918")
    response = client.post("/patients/add/", bad)
    assert response.status_code == 200
    assert AuditEvent.objects.count() == before


# -- append-only -------------------------------------------------------------------------------


@pytest.fixture
def event(organisation: Any) -> AuditEvent:
    found = AuditEvent.objects.filter(organisation=organisation).first()
    assert found is not None
    return found


def test_an_audit_event_cannot_be_changed_through_the_model(event: AuditEvent) -> None:
    event.summary = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_audit_events_cannot_be_changed_in_bulk(event: AuditEvent) -> None:
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(summary="rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_update([event], ["summary"])


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET summary = 'rewritten' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ],
)
def test_the_database_refuses_to_change_an_audit_event(event: AuditEvent, statement: str) -> None:
    with (
        # The trigger, or on PostgreSQL first the app role's missing privilege (test_audit_tamper
        # shows the trigger refusing the owner too).
        pytest.raises(DatabaseError, match="append-only|permission denied"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, summary=event.summary).exists()


def test_audit_search_is_for_administrators_only(
    admin: Any, nurse: Any, patient: Any, client_for: Any
) -> None:
    client_for(nurse).get(f"/patients/{patient.pk}/")
    page = client_for(admin).get("/audit/", {"user": "nina_nurse", "action": "view"})
    assert page.status_code == 200
    # The administrator has no patient access, so the local id is hidden (issue 11).
    assert "Patient page [patient] viewed" in page.content.decode()
    assert client_for(nurse).get("/audit/").status_code == 403


def test_a_search_with_a_date_that_is_not_a_date_still_shows_the_trail(
    admin: Any, client_for: Any
) -> None:
    page = client_for(admin).get("/audit/", {"from": "not a date", "to": str(dt.date.today())})
    assert page.status_code == 200
    assert "adam_admin given the role" in page.content.decode()


def test_a_non_clinical_administrator_does_not_see_patients_local_ids_in_the_trail(
    admin: Any, nurse: Any, patient: Any, client_for: Any, make_user: Any
) -> None:
    """Issue 11: the org admin's audit page showed "Patient P1001 viewed"."""
    client_for(nurse).get(f"/patients/{patient.pk}/")
    page = client_for(admin).get("/audit/", {"user": "nina_nurse", "action": "view"})
    text = page.content.decode()
    assert "Patient page [patient] viewed" in text
    assert patient.local_id not in text
    # An administrator who also cares for patients reads the trail as it is.
    both = make_user("org_admin", username="clinical_admin", roles=("org_admin", "ward_staff"))
    text = client_for(both).get("/audit/", {"user": "nina_nurse", "action": "view"}).content
    assert f"Patient page {patient.local_id} viewed" in text.decode()
