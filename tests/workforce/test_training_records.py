"""One person's training record: a competent outcome sets the expiry; not yet competent needs
a written plan and an interim plan (3.4.2.XXXIX); physical skills need the occupational health
checklist first (3.4.2.XIV); a new starter's previous training counts only if recent and
equivalent, with its evidence (Use of Force Act s.5); a record entered in error stops counting.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from rrp.audit.models import AuditEvent
from rrp.workforce import selectors, services
from rrp.workforce.inputs import TrainingRecordInput

from .conftest import TODAY


def record_input(member: Any, **values: Any) -> TrainingRecordInput:
    base: dict[str, Any] = {"staff_id": member.pk, "course": "RRN-L2",
                            "completed_on": dt.date(2026, 1, 10), "outcome": "competent",
                            "occupational_health_checked": True}
    base.update(values)
    return TrainingRecordInput(**base)


def test_a_competent_outcome_is_in_date_for_the_refresher_interval(
    clock: Any, actor: Any, organisation: Any, make_staff: Any, make_course: Any
) -> None:
    member = make_staff("Ada")
    make_course("RRN-L2")
    record = services.training_record_create(actor=actor, organisation=organisation,
                                             data=record_input(member))
    assert record.expires_on == dt.date(2027, 1, 10)
    [row] = [r for r in selectors.person_training(member, TODAY) if r.course.code == "RRN-L2"]
    assert (row.status, row.standing.expires_on) == ("in_date", dt.date(2027, 1, 10))
    assert AuditEvent.objects.filter(object_type="workforce.trainingrecord").count() == 1


def test_not_yet_competent_needs_both_plans(
    clock: Any, actor: Any, organisation: Any, make_staff: Any, make_course: Any
) -> None:
    member = make_staff("Ada")
    make_course("RRN-L2")
    with pytest.raises(ValidationError) as error:
        services.training_record_create(actor=actor, organisation=organisation,
                                        data=record_input(member, outcome="not_yet_competent"))
    assert set(error.value.message_dict) == {"competence_plan", "interim_plan"}
    assert "3.4.2.XXXIX" in error.value.message_dict["competence_plan"][0]


def test_physical_skills_need_the_occupational_health_checklist(
    clock: Any, actor: Any, organisation: Any, make_staff: Any, make_course: Any
) -> None:
    member = make_staff("Ada")
    make_course("RRN-L2", level="physical")
    make_course("PREV", level="prevention")
    with pytest.raises(ValidationError) as error:
        services.training_record_create(
            actor=actor, organisation=organisation,
            data=record_input(member, occupational_health_checked=False))
    assert list(error.value.message_dict) == ["occupational_health_checked"]
    services.training_record_create(
        actor=actor, organisation=organisation,
        data=record_input(member, course="PREV", occupational_health_checked=False))


def test_previous_training_needs_evidence_and_must_be_recent(
    clock: Any, actor: Any, organisation: Any, make_staff: Any, make_course: Any
) -> None:
    member = make_staff("New Starter", start_date=dt.date(2026, 3, 2))
    make_course("RRN-L2")
    with pytest.raises(ValidationError) as error:
        services.training_record_create(
            actor=actor, organisation=organisation,
            data=record_input(member, completed_on=dt.date(2025, 1, 20),
                              equivalent_previous=True))
    assert set(error.value.message_dict) == {"evidence", "completed_on"}
    assert "not recent enough" in error.value.message_dict["completed_on"][0]
    record = services.training_record_create(
        actor=actor, organisation=organisation,
        data=record_input(member, completed_on=dt.date(2025, 9, 1), equivalent_previous=True,
                          evidence="PMVA certificate 4471 from her last trust, RRN certified"))
    assert record.equivalent_previous and record.expires_on == dt.date(2026, 9, 1)


def test_training_from_before_a_start_date_must_be_previous_training(
    clock: Any, actor: Any, organisation: Any, make_staff: Any, make_course: Any
) -> None:
    member = make_staff("New Starter", start_date=dt.date(2026, 3, 2))
    make_course("RRN-L2")
    with pytest.raises(ValidationError) as error:
        services.training_record_create(actor=actor, organisation=organisation,
                                        data=record_input(member))
    assert "previous training" in error.value.message_dict["completed_on"][0]


def test_another_organisations_staff_and_future_dates_are_refused(
    clock: Any, actor: Any, organisation: Any, make_staff: Any, make_course: Any,
    make_organisation: Any,
) -> None:
    other = make_organisation(ods_code="R2B")
    theirs = make_staff("Theirs", organisation=other)
    make_course("RRN-L2")
    with pytest.raises(ValidationError) as error:
        services.training_record_create(
            actor=actor, organisation=organisation,
            data=record_input(theirs, completed_on=dt.date(2026, 3, 11)))
    assert set(error.value.message_dict) == {"staff", "completed_on"}


def test_a_record_entered_in_error_stays_and_stops_counting(
    clock: Any, actor: Any, organisation: Any, make_staff: Any, make_course: Any,
    trainer_client: Any,
) -> None:
    member = make_staff("Ada")
    make_course("RRN-L2")
    record = services.training_record_create(actor=actor, organisation=organisation,
                                             data=record_input(member))
    url = f"/training/records/{record.pk}/entered-in-error/"
    assert "Say why" in trainer_client.post(url, {"reason": ""}).content.decode()
    response = trainer_client.post(url, {"reason": "Recorded against the wrong person"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.is_entered_in_error
    [row] = [r for r in selectors.person_training(member, TODAY) if r.course.code == "RRN-L2"]
    assert row.status == "never"
    page = trainer_client.get(f"/training/staff/{member.pk}/").content.decode()
    assert "Entered in error" in page and "Recorded against the wrong person" in page


def test_the_trainer_records_previous_training_on_the_persons_page(
    clock: Any, make_staff: Any, make_course: Any, trainer_client: Any
) -> None:
    member = make_staff("New Starter", start_date=dt.date(2026, 3, 2))
    make_course("RRN-L2")
    response = trainer_client.post(f"/training/staff/{member.pk}/record/", {
        "course": "RRN-L2", "completed_on_0": "1", "completed_on_1": "9",
        "completed_on_2": "2025", "outcome": "competent", "equivalent_previous": "on",
        "evidence": "Certificate from the previous employer",
    })
    assert response.status_code == 302
    page = trainer_client.get(f"/training/staff/{member.pk}/").content.decode()
    assert "Previous training accepted as equivalent" in page
    assert "1 September 2026" in page  # in date until
