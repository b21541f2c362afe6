"""Who may meet a duty or mark it not required (ADR 7, issue 10 finding 3): its owner role or
the restrictive practice lead; a ward manager also what ward staff do; a medical review only by
a doctor (the lead may still mark one not required); the care plan review by any clinical role.
The services enforce it, so the pages and the API refuse alike, with a 403 that says who may.
Wards do not limit it: staff cover other wards on a shift."""

from __future__ import annotations

from typing import Any

import pytest

from incidents.conftest import at, iso
from incidents.pages import error_links, text_of
from rrp.audit.models import AuditEvent
from rrp.audit.services import Actor
from rrp.incidents import duty_permissions, services
from rrp.incidents.duty_rules import DUTY_KINDS
from rrp.incidents.inputs import InterventionInput
from rrp.incidents.models import Duty

NOT_REQUIRED_REFUSED = (
    "Only a doctor or the restrictive practice lead can mark a medical review as not required. "
    "Your role does not allow it."
)

# Who may record what meets each kind of duty, written out so a change to the table is a
# change to this test too.
WARD = {"ward_staff", "ward_manager", "rrp_lead"}
MANAGER = {"ward_manager", "rrp_lead"}
DOCTOR_OR_LEAD = {"doctor", "rrp_lead"}
CLINICAL = {"ward_staff", "ward_manager", "doctor", "rrp_lead"}
MAY_RECORD = {
    "medical_review": {"doctor"},
    "mechanical_restraint_review": {"doctor"},
    "seclusion_medical_review": {"doctor"},
    "segregation_clinician_review": DOCTOR_OR_LEAD,
    "physical_observations": WARD,
    "rapid_tranquillisation_monitoring": WARD,
    "seclusion_nursing_review": WARD,
    "seclusion_mdt_review": MANAGER,
    "segregation_mdt_review": MANAGER,
    "post_incident_support_patient": WARD,
    "post_incident_support_staff": MANAGER,
    "post_incident_review": MANAGER,
    "patient_account_offer": WARD,
    "care_plan_review": CLINICAL,
}
MAY_MARK_NOT_REQUIRED = {
    **MAY_RECORD,
    "medical_review": DOCTOR_OR_LEAD,
    "mechanical_restraint_review": DOCTOR_OR_LEAD,
    "seclusion_medical_review": DOCTOR_OR_LEAD,
    "care_plan_review": WARD,
}
EVERY_ROLE = ("ward_staff", "ward_manager", "doctor", "rrp_lead", "board", "trainer", "auditor",
              "org_admin")


def test_the_table_says_who_may_act_on_every_kind_of_duty() -> None:
    assert set(MAY_RECORD) == set(DUTY_KINDS)
    for kind in DUTY_KINDS:
        for role in EVERY_ROLE:
            assert duty_permissions.may({role}, "record", kind) == (role in MAY_RECORD[kind]), (
                kind, role)
            assert duty_permissions.may({role}, "not_required", kind) == (
                role in MAY_MARK_NOT_REQUIRED[kind]), (kind, role)
    # A person with two roles may do what either allows.
    assert duty_permissions.may({"ward_staff", "doctor"}, "record", "medical_review")


def _medical_review(incident: Any) -> Duty:
    return Duty.objects.get(incident=incident, kind="medical_review")


# -- pages -------------------------------------------------------------------------------------


def test_a_ward_nurse_cannot_mark_a_doctors_medical_review_not_required_on_the_page(
    record: Any, client_as: Any, clock: Any,
) -> None:
    incident = record()
    duty = _medical_review(incident)
    nurse = client_as("ward_staff")
    url = f"/uses-of-force/{incident.pk}/not-required/?duty={duty.pk}"
    events = AuditEvent.objects.count()

    opened = nurse.get(url)
    sent = nurse.post(url, {"duty": duty.pk, "reason": "He seemed fine"})

    for response in (opened, sent):
        assert response.status_code == 403
        assert NOT_REQUIRED_REFUSED in text_of(response)
        assert "Nothing has been saved" in text_of(response)
    duty.refresh_from_db()
    assert duty.is_open and duty.not_required_reason == ""
    assert AuditEvent.objects.count() == events
    # The record page does not offer it either, but says whose it is.
    page = text_of(nurse.get(f"/uses-of-force/{incident.pk}/"))
    assert f"not-required/?duty={duty.pk}" not in nurse.get(
        f"/uses-of-force/{incident.pk}/").content.decode()
    assert "Medical review within 1 hour of restraint" in page and "A doctor records this" in page


@pytest.mark.parametrize("role", ["doctor", "rrp_lead"])
def test_a_doctor_or_the_lead_marks_a_medical_review_not_required_with_a_reason(
    role: str, record: Any, client_as: Any, clock: Any,
) -> None:
    incident = record()
    duty = _medical_review(incident)
    client = client_as(role)
    url = f"/uses-of-force/{incident.pk}/not-required/?duty={duty.pk}"
    assert f"not-required/?duty={duty.pk}" in client.get(
        f"/uses-of-force/{incident.pk}/").content.decode()

    assert error_links(client.post(url, {"duty": duty.pk, "reason": "  "})) == {
        "Say why this duty is not required": "#id_reason"
    }
    duty.refresh_from_db()
    assert duty.is_open

    response = client.post(url, {"duty": duty.pk, "reason": "Seen by the psychiatrist at once"})
    assert response.status_code == 302
    duty.refresh_from_db()
    assert duty.not_required_reason == "Seen by the psychiatrist at once"


def test_a_ward_nurse_cannot_record_a_medical_review_on_the_page(
    record: Any, client_as: Any, clock: Any,
) -> None:
    incident = record()
    nurse = client_as("ward_staff")
    url = f"/uses-of-force/{incident.pk}/medical-review/"
    assert nurse.get(url).status_code == 403
    response = nurse.post(url, {"on_0": "5", "on_1": "10", "on_2": "2026", "at": "12:40",
                                "reviewer": "Dr Shah", "findings": "No injury"})
    assert response.status_code == 403
    assert "Only a doctor can record a medical review. Your role does not allow it." in (
        text_of(response))
    assert not incident.medical_reviews.exists() and _medical_review(incident).is_open


def test_a_nurse_still_records_the_nursing_duties(record: Any, client_as: Any, clock: Any
                                                  ) -> None:
    incident = record()
    nurse = client_as("ward_staff")
    response = nurse.post(f"/uses-of-force/{incident.pk}/observations/?kind=physical", {
        "on_0": "5", "on_1": "10", "on_2": "2026", "at": "12:30", "kind": "physical",
        "taken": "yes", "pulse": "88",
    })
    assert response.status_code == 302
    response = nurse.post(f"/uses-of-force/{incident.pk}/patient-account/", {
        "on_0": "5", "on_1": "10", "on_2": "2026", "at": "13:00", "response": "declined",
    })
    assert response.status_code == 302
    done = Duty.objects.filter(incident=incident, completed_at__isnull=False)
    assert set(done.values_list("kind", flat=True)) == {"physical_observations",
                                                         "patient_account_offer"}


@pytest.mark.parametrize("role", ["board", "trainer", "auditor", "org_admin"])
def test_roles_without_patient_care_write_nothing_on_the_pages(
    role: str, record: Any, client_as: Any, clock: Any,
) -> None:
    incident = record()
    duty = _medical_review(incident)
    client = client_as(role)
    assert client.post(f"/uses-of-force/{incident.pk}/not-required/?duty={duty.pk}",
                       {"duty": duty.pk, "reason": "x"}).status_code == 403
    assert client.post(f"/uses-of-force/{incident.pk}/observations/?kind=physical", {
        "on_0": "5", "on_1": "10", "on_2": "2026", "at": "12:30", "kind": "physical",
        "taken": "yes", "pulse": "88"}).status_code == 403
    assert not Duty.objects.filter(incident=incident, completed_at__isnull=False).exists()
    assert not Duty.objects.filter(incident=incident).exclude(not_required_reason="").exists()


# -- the API -------------------------------------------------------------------------------------


def test_a_ward_nurse_cannot_mark_a_medical_review_not_required_through_the_api(
    record: Any, api_client_as: Any, clock: Any,
) -> None:
    incident = record()
    duty = _medical_review(incident)
    reply = api_client_as("ward_staff").post(f"/api/v1/duties/{duty.pk}/not-required",
                                             {"reason": "He seemed fine"})
    assert reply.status_code == 403
    assert reply.json() == {"detail": NOT_REQUIRED_REFUSED}
    duty.refresh_from_db()
    assert duty.is_open


@pytest.mark.parametrize("role", ["doctor", "rrp_lead"])
def test_a_doctor_or_the_lead_marks_it_not_required_through_the_api_with_a_reason(
    role: str, record: Any, api_client_as: Any, clock: Any,
) -> None:
    incident = record()
    duty = _medical_review(incident)
    api = api_client_as(role)
    url = f"/api/v1/duties/{duty.pk}/not-required"
    missing = api.post(url, {"reason": " "})
    assert missing.status_code == 422
    assert missing.json()["detail"] == [
        {"loc": ["body", "reason"], "msg": "Say why this duty is not required"}]
    reply = api.post(url, {"reason": "Transferred to the general hospital"})
    assert reply.status_code == 200, reply.content
    assert (reply.json()["state"], reply.json()["not_required_reason"]) == (
        "not_required", "Transferred to the general hospital")


def test_the_api_refuses_a_nurses_medical_review_and_takes_a_doctors(
    record: Any, api_client_as: Any, clock: Any,
) -> None:
    incident = record()
    body = {"reviewed_at": iso(at(40)), "reviewer": "Dr Rao", "findings": "No injury"}
    url = f"/api/v1/incidents/{incident.pk}/medical-reviews"
    refused = api_client_as("ward_staff").post(url, body)
    assert refused.status_code == 403
    assert refused.json() == {
        "detail": "Only a doctor can record a medical review. Your role does not allow it."}
    # The refusal comes before the record's rules (no reviewer, no findings). A body that
    # cannot be read at all is refused by its schema first (rrp.api.schemas), as for anyone.
    assert api_client_as("ward_staff").post(url, {"reviewed_at": iso(at(40))}).status_code == 403
    assert not incident.medical_reviews.exists()
    assert api_client_as("doctor").post(url, body).status_code == 201


def test_the_api_takes_a_nurses_observations(record: Any, api_client_as: Any, clock: Any
                                            ) -> None:
    incident = record()
    reply = api_client_as("ward_staff").post(
        f"/api/v1/incidents/{incident.pk}/observations", {"taken_at": iso(at(30)), "pulse": 90})
    assert reply.status_code == 201, reply.content


@pytest.mark.parametrize("role", ["board", "trainer", "auditor", "org_admin"])
def test_roles_without_patient_care_write_nothing_through_the_api(
    role: str, record: Any, api_client_as: Any, clock: Any,
) -> None:
    incident = record()
    api = api_client_as(role)
    duty = _medical_review(incident)
    assert api.post(f"/api/v1/duties/{duty.pk}/not-required", {"reason": "x"}).status_code == 403
    assert api.post(f"/api/v1/incidents/{incident.pk}/observations",
                    {"taken_at": iso(at(30)), "pulse": 90}).status_code == 403
    duty.refresh_from_db()
    assert duty.is_open


# -- the services: the one place ---------------------------------------------------------------


def _seclusion_and_rt(record: Any) -> Any:
    return record(ended_at=None, interventions=[
        InterventionInput("07", at(0), at(4)),
        InterventionInput("14", at(3), at(3), drug="Lorazepam", dose="2 mg", route="im"),
        InterventionInput("05", at(5), None),
    ])


@pytest.mark.parametrize("role", EVERY_ROLE)
def test_every_role_is_held_to_the_table_by_the_services(
    role: str, record: Any, make_user: Any, clock: Any,
) -> None:
    """Each role tries to mark every duty of a record not required: only the ones the table
    allows are; the rest are refused with nothing written."""
    incident = _seclusion_and_rt(record)
    actor = Actor(user=make_user(role), via="web")
    for duty in Duty.objects.filter(incident=incident):
        allowed = role in MAY_MARK_NOT_REQUIRED[duty.kind]
        if allowed:
            services.duty_mark_not_required(actor=actor, duty=duty, reason="Not needed")
        else:
            with pytest.raises(services.DutyRefused):
                services.duty_mark_not_required(actor=actor, duty=duty, reason="Not needed")
        duty.refresh_from_db()
        assert duty.is_open is not allowed, (role, duty.kind)


@pytest.mark.parametrize("role", EVERY_ROLE)
def test_only_a_doctor_records_any_kind_of_medical_review(
    role: str, record: Any, make_user: Any, clock: Any,
) -> None:
    incident = _seclusion_and_rt(record)
    actor = Actor(user=make_user(role), via="web")
    attempts = [
        lambda: services.medical_review_record(
            actor=actor, incident=incident, reviewed_at=at(30), reviewer="Dr Rao",
            findings="No injury"),
        lambda: services.review_record(
            actor=actor, incident=incident, kind="seclusion_medical_review",
            reviewed_at=at(30), reviewer="Dr Rao", notes="Continue"),
    ]
    for attempt in attempts:
        if role == "doctor":
            attempt()
        else:
            with pytest.raises(services.DutyRefused):
                attempt()
    expected = 1 if role == "doctor" else 0
    assert incident.medical_reviews.count() == expected
    assert incident.reviews.count() == expected


def test_wards_do_not_limit_who_records(
    record: Any, make_ward: Any, organisation: Any, clock: Any,
) -> None:
    """ADR 7: a nurse whose home ward is Ash covers Oak on a shift and records there; the duty
    says who met it."""
    from rrp.organisations.services import user_add

    ash = make_ward(code="ASH", name="Ash Ward")
    cover = user_add(actor=Actor(user=None, via="cli"), username="bank_nurse",
                     organisation=organisation, role="ward_staff", password=None,
                     full_name="Bo Bank", home_ward=ash)
    incident = record()
    services.observation_record(actor=Actor(user=cover, via="web"), incident=incident,
                                taken_at=at(30), pulse=84)
    met = Duty.objects.get(incident=incident, kind="physical_observations")
    assert met.completed_by == cover and incident.ward.code == "OAK"


def test_the_system_itself_is_not_limited(record: Any, system_actor: Any, clock: Any) -> None:
    incident = record()
    services.duty_mark_not_required(actor=system_actor, duty=_medical_review(incident),
                                    reason="Imported: reviewed on paper")
    assert not _medical_review(incident).is_open


def test_the_ward_pages_duty_rows_say_who_may_follow_them(
    record: Any, organisation: Any, ward: Any, clock: Any,
) -> None:
    """For the ward page (organisations/ward_detail.html): each row answers for a role."""
    from incidents.conftest import NOW
    from rrp.incidents.presenters import ward_summary

    record()
    rows = {item.row.duty.kind: item for item in ward_summary(organisation, ward, now=NOW)[
        "ward_duties"]}
    medical = rows["medical_review"]
    assert not medical.may_record({"ward_staff"}) and medical.may_record({"doctor"})
    assert medical.who_records() == "A doctor records this"
    assert rows["physical_observations"].may_record({"ward_manager"})


def test_the_ward_page_offers_a_nurse_no_medical_review_link(
    record: Any, ward: Any, client_as: Any, clock: Any
) -> None:
    incident = record()
    nurse_page = text_of(client_as("ward_staff").get(f"/wards/{ward.code}/"))
    assert "A doctor records this" in nurse_page
    doctor = client_as("doctor").get(f"/wards/{ward.code}/").content.decode()
    assert f"/uses-of-force/{incident.pk}/medical-review/" in doctor
