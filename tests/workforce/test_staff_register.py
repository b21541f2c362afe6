"""The staff register: people on the wards with or without an RRP account, added and changed
through the service (audited), listed with bank and agency staff apart (standard 1.9.II);
nobody is deleted, a leaver gets a leaving date."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from rrp.audit.models import AuditEvent
from rrp.workforce import services
from rrp.workforce.inputs import StaffInput
from rrp.workforce.models import StaffMember


def staff_input(**values: Any) -> StaffInput:
    base: dict[str, Any] = {
        "staff_number": "E1001", "name": "Ada Okafor", "job_title": "Staff nurse",
        "grade": "Band 5", "qualified": True, "employment": "permanent", "wards": ["OAK"],
    }
    base.update(values)
    return StaffInput(**base)


def test_a_person_is_added_with_their_wards_and_audited(actor: Any, organisation: Any,
                                                        ward: Any) -> None:
    member = services.staff_member_create(actor=actor, organisation=organisation,
                                          data=staff_input())
    assert [w.code for w in member.wards.all()] == ["OAK"]
    event = AuditEvent.objects.get(object_type="workforce.staffmember", object_id=str(member.pk))
    assert event.action == "create"
    assert event.after["wards"] == ["OAK"]


def test_staff_numbers_are_unique_within_an_organisation_only(
    actor: Any, organisation: Any, ward: Any, make_organisation: Any
) -> None:
    services.staff_member_create(actor=actor, organisation=organisation, data=staff_input())
    with pytest.raises(ValidationError) as error:
        services.staff_member_create(actor=actor, organisation=organisation, data=staff_input())
    assert "staff_number" in error.value.message_dict
    other = make_organisation(ods_code="R2B")
    services.staff_member_create(actor=actor, organisation=other,
                                 data=staff_input(wards=[]))


def test_another_organisations_ward_is_refused_by_name(
    actor: Any, organisation: Any, ward: Any, make_organisation: Any, make_ward: Any
) -> None:
    other = make_organisation(ods_code="R2B")
    make_ward(code="FIR", organisation=other)
    with pytest.raises(ValidationError) as error:
        services.staff_member_create(actor=actor, organisation=organisation,
                                     data=staff_input(wards=["OAK", "FIR"]))
    assert error.value.message_dict == {"wards.1": ["There is no ward with code 'FIR' here"]}
    assert not StaffMember.objects.exists()


def test_every_problem_is_named_at_once(actor: Any, organisation: Any, ward: Any) -> None:
    with pytest.raises(ValidationError) as error:
        services.staff_member_create(
            actor=actor, organisation=organisation,
            data=staff_input(staff_number=" ", name="", job_title="", employment="contractor",
                             start_date=dt.date(2026, 3, 1), leaving_date=dt.date(2026, 2, 1)),
        )
    assert set(error.value.message_dict) == {
        "staff_number", "name", "job_title", "employment", "leaving_date",
    }


def test_a_leaver_keeps_their_record_and_the_change_is_audited(
    actor: Any, organisation: Any, ward: Any
) -> None:
    member = services.staff_member_create(actor=actor, organisation=organisation,
                                          data=staff_input())
    services.staff_member_update(actor=actor, member=member,
                                 data=staff_input(leaving_date=dt.date(2026, 2, 28)))
    member.refresh_from_db()
    assert member.leaving_date == dt.date(2026, 2, 28)
    assert not member.works_on(dt.date(2026, 3, 1))
    change = AuditEvent.objects.get(action="change", object_id=str(member.pk))
    assert change.before["leaving_date"] is None
    assert change.after["leaving_date"] == "2026-02-28"


def test_a_user_account_can_be_linked_once(actor: Any, organisation: Any, ward: Any,
                                           make_user: Any) -> None:
    nurse = make_user("ward_staff")
    member = services.staff_member_create(actor=actor, organisation=organisation,
                                          data=staff_input(user_id=nurse.pk))
    assert member.user == nurse
    with pytest.raises(ValidationError) as error:
        services.staff_member_create(actor=actor, organisation=organisation,
                                     data=staff_input(staff_number="E2", user_id=nurse.pk))
    assert "user_id" in error.value.message_dict


def test_the_list_shows_bank_and_agency_staff_apart(
    clock: Any, make_staff: Any, client_as: Any
) -> None:
    make_staff("Ada Permanent")
    make_staff("Ben Bank", employment="bank")
    make_staff("Cal Agency", employment="agency")
    page = client_as("ward_manager").get("/training/staff/").content.decode()
    own = page.index("Own staff (1)")
    bank = page.index("Bank staff (1)")
    agency = page.index("Agency staff (1)")
    assert own < page.index("Ada Permanent") < bank < page.index("Ben Bank") < agency
    assert page.index("Cal Agency") > agency


def test_the_list_filters_by_ward_and_employment_and_hides_leavers(
    clock: Any, make_staff: Any, make_ward: Any, client_as: Any
) -> None:
    make_ward(code="ASH", name="Ash Ward")
    make_staff("Ada Oak")
    make_staff("Ash Person", wards=["ASH"])
    make_staff("Ben Bank", employment="bank")
    make_staff("Lee Left", leaving_date=dt.date(2026, 1, 31))
    client = client_as("trainer")
    oak = client.get("/training/staff/?ward=OAK").content.decode()
    assert "Ada Oak" in oak and "Ash Person" not in oak and "Lee Left" not in oak
    bank = client.get("/training/staff/?employment=bank").content.decode()
    assert "Ben Bank" in bank and "Ada Oak" not in bank
    leavers = client.get("/training/staff/?leavers=yes").content.decode()
    assert "Lee Left" in leavers


def test_the_trainer_adds_a_person_with_the_form(
    clock: Any, trainer_client: Any, ward: Any
) -> None:
    response = trainer_client.post("/training/staff/add/", {
        "staff_number": "E5001", "name": "Dee Nurse", "job_title": "Staff nurse",
        "grade": "Band 5", "qualified": "on", "employment": "permanent", "wards": ["OAK"],
        "start_date_0": "1", "start_date_1": "3", "start_date_2": "2026",
    })
    assert response.status_code == 302
    member = StaffMember.objects.get(staff_number="E5001")
    assert member.qualified and member.start_date == dt.date(2026, 3, 1)
    assert response["Location"] == f"/training/staff/{member.pk}/"


def test_the_form_names_each_problem(clock: Any, trainer_client: Any, ward: Any) -> None:
    page = trainer_client.post("/training/staff/add/", {"staff_number": ""}).content.decode()
    assert "There is a problem" in page
    for message in ("Enter the staff number", "Enter the person&#39;s name",
                    "Enter the job title", "Choose how they are employed"):
        assert message in page


def test_the_trainer_records_a_leaving_date_with_the_edit_form(
    clock: Any, trainer_client: Any, make_staff: Any
) -> None:
    member = make_staff("Eve Leaving", grade="Band 3")
    page = trainer_client.get(f"/training/staff/{member.pk}/edit/").content.decode()
    assert 'value="Eve Leaving"' in page
    response = trainer_client.post(f"/training/staff/{member.pk}/edit/", {
        "staff_number": member.staff_number, "name": "Eve Leaving",
        "job_title": "Healthcare assistant", "grade": "Band 3", "employment": "permanent",
        "wards": ["OAK"], "leaving_date_0": "31", "leaving_date_1": "3",
        "leaving_date_2": "2026",
    })
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.leaving_date == dt.date(2026, 3, 31)
    assert StaffMember.objects.filter(pk=member.pk).exists()
