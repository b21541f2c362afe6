"""Invalid input is refused with every problem listed by field path, in words a nurse
understands, and nothing already recorded changes."""

from __future__ import annotations

from typing import Any

from incidents.conftest import HOUR, NOW, at, iso, problems_of, restraint_body
from rrp.incidents.models import Duty, Incident, IncidentVersion


def test_every_problem_in_a_record_is_listed_at_once(nurse_api: Any, patient: Any) -> None:
    body = restraint_body(
        patient.pk,
        started_at=iso(at(0)),
        ended_at=iso(at(-5)),  # end before start
        reason="42",  # unknown code
        interventions=[
            {"type": "07", "started_at": iso(at(0)), "ended_at": iso(at(30))},  # after the end
            {"type": "02", "started_at": iso(at(1)), "ended_at": iso(at(2))},  # retired code
            {"type": "10", "started_at": iso(NOW + HOUR), "ended_at": iso(NOW + 2 * HOUR)},
        ],
    )
    problems = problems_of(nurse_api.post("/api/v1/incidents", body))

    assert problems[("body", "ended_at")] == ["The end time is before the start time"]
    assert problems[("body", "reason")][0].startswith("'42' is not a reason code")
    assert problems[("body", "interventions", 0, "ended_at")] == [
        "The physical restraint - standing ends at 05/10/2026 12:30, after the incident ended"
    ]
    assert problems[("body", "interventions", 1, "type")] == [
        "'02' is not a restrictive intervention type code"
    ]
    later = ("body", "interventions", 2)
    assert "This start time is in the future" in problems[(*later, "started_at")]
    assert "This end time is in the future" in problems[(*later, "ended_at")]
    assert not Incident.objects.exists()


def test_a_start_in_the_future_is_refused(nurse_api: Any, patient: Any) -> None:
    body = restraint_body(patient.pk, started_at=iso(NOW + HOUR), ended_at=None, interventions=[
        {"type": "07", "started_at": iso(NOW + HOUR)},
    ])
    problems = problems_of(nurse_api.post("/api/v1/incidents", body))
    assert problems[("body", "started_at")] == [
        "The start time is in the future: check the date and time"
    ]


def test_missing_answers_are_named_in_plain_words(nurse_api: Any) -> None:
    problems = problems_of(nurse_api.post("/api/v1/incidents", {"interventions": [{}]}))
    assert problems[("body", "ward")] == ["Choose the ward where force was used"]
    assert problems[("body", "patient")] == ["Choose the patient force was used on"]
    assert problems[("body", "started_at")] == ["Enter when the use of force started"]
    assert problems[("body", "reason")] == ["Choose the reason force was used"]
    assert problems[("body", "description")] == ["Describe how force was used"]
    assert problems[("body", "staff")] == ["Add every member of staff involved"]
    assert problems[("body", "interventions", 0, "type")] == ["Choose the type of force used"]


def test_unreadable_times_are_refused_by_the_schema_before_anything_is_checked(
    nurse_api: Any, patient: Any
) -> None:
    # The body's shape is checked first (rrp.api.schemas), every problem of shape at once; the
    # record's own rules (an outcome is needed) are checked once the body can be read.
    body = restraint_body(patient.pk, started_at="yesterday", outcome="")
    body["interventions"][1]["ended_at"] = "12:10"
    problems = problems_of(nurse_api.post("/api/v1/incidents", body))
    assert problems[("body", "started_at")] == [
        "'yesterday' is not a date and time: use ISO 8601, like 2026-10-05T14:30:00+01:00"
    ]
    assert problems[("body", "interventions", 1, "ended_at")] == [
        "'12:10' is not a date and time: use ISO 8601, like 2026-10-05T14:30:00+01:00"
    ]
    assert ("body", "outcome") not in problems
    assert not Incident.objects.exists()


def test_another_organisations_ward_and_patient_are_refused_on_their_fields(
    nurse_api: Any, patient: Any, make_organisation: Any, make_ward: Any, make_patient: Any,
) -> None:
    other = make_organisation(ods_code="B2B")
    make_ward(code="ELM", organisation=other)
    theirs = make_patient(local_id="B1", organisation=other)

    problems = problems_of(nurse_api.post(
        "/api/v1/incidents", restraint_body(theirs.pk, ward="ELM", description=""),
    ))
    assert problems[("body", "ward")] == ["There is no ward with the code ELM in your organisation"]
    assert problems[("body", "patient")] == [
        f"There is no patient with the id {theirs.pk} in your organisation"
    ]
    assert problems[("body", "description")] == ["Describe how force was used"]
    assert not Incident.objects.exists()


def test_a_misspelt_field_is_refused_before_anything_is_recorded(
    nurse_api: Any, patient: Any
) -> None:
    body = restraint_body(patient.pk, outcom="Settled", reason="")
    body["interventions"][0]["endd_at"] = iso(at(3))
    problems = problems_of(nurse_api.post("/api/v1/incidents", body))
    assert problems[("body", "outcom")] == [
        "'outcom' is not something this record holds: check the spelling"
    ]
    assert ("body", "interventions", 0, "endd_at") in problems
    assert ("body", "reason") not in problems  # the record's rules wait for a readable body
    assert not Incident.objects.exists()


def test_a_failed_change_leaves_the_record_and_its_version_as_they_were(
    nurse_api: Any, patient: Any
) -> None:
    created = nurse_api.post("/api/v1/incidents", restraint_body(patient.pk)).json()
    url = f"/api/v1/incidents/{created['id']}"
    duties_before = list(Duty.objects.values_list("key", "due_at", "not_required_reason"))

    problems = problems_of(nurse_api.patch(url, {
        "ended_at": iso(at(-1)),
        "interventions": [{"type": "99", "started_at": iso(at(0)), "ended_at": iso(at(5))}],
        "outcome": "Changed",
    }))

    # The missing change reason is listed with the other problems.
    assert problems[("body", "change_reason")] == ["Say why the submitted record is being changed"]
    assert ("body", "ended_at") in problems
    assert ("body", "interventions", 0, "type") in problems
    after = nurse_api.get(url).json()
    for field in ("version", "ended_at", "outcome", "interventions", "staff", "duties"):
        assert after[field] == created[field], field
    assert not IncidentVersion.objects.exists()
    assert list(Duty.objects.values_list("key", "due_at", "not_required_reason")) == duties_before


def test_a_submitted_record_cannot_change_without_a_reason(nurse_api: Any, patient: Any) -> None:
    created = nurse_api.post("/api/v1/incidents", restraint_body(patient.pk)).json()
    problems = problems_of(
        nurse_api.patch(f"/api/v1/incidents/{created['id']}", {"outcome": "Settled later"})
    )
    assert problems == {
        ("body", "change_reason"): ["Say why the submitted record is being changed"]
    }
    assert Incident.objects.get().outcome == "Settled in his room, no injury"


def test_negligible_force_is_refused_for_seclusion(nurse_api: Any, patient: Any) -> None:
    body = restraint_body(patient.pk, negligible=True, interventions=[
        {"type": "05", "started_at": iso(at(0)), "ended_at": iso(at(10))},
    ])
    problems = problems_of(nurse_api.post("/api/v1/incidents", body))
    assert problems[("body", "interventions", 0, "type")] == [
        "Seclusion is never negligible force: untick 'negligible force' to record it"
    ]


# -- issue 11: inputs that once answered 500 --------------------------------------------------


def test_a_staff_account_id_too_large_for_the_database_is_a_422(nurse_api: Any,
                                                                 patient: Any) -> None:
    body = restraint_body(patient.pk)
    body["staff"][0]["user_id"] = 2**63
    problems = problems_of(nurse_api.post("/api/v1/incidents", body))
    assert any(loc[-1] == "user_id" for loc in problems), problems


def test_an_impossible_temperature_is_a_422_naming_it(nurse_api: Any, record: Any) -> None:
    incident = record()
    for temperature in (1e308, 150, 10):
        answer = nurse_api.post(f"/api/v1/incidents/{incident.pk}/observations",
                                {"taken_at": iso(at(30)), "temperature": temperature})
        problems = problems_of(answer)
        assert any(loc[-1] == "temperature" for loc in problems), (temperature, problems)


def test_a_bed_days_month_that_is_not_a_month_is_a_422(nurse_api: Any) -> None:
    problems = problems_of(nurse_api.get("/api/v1/bed-days?month=garbage"))
    assert problems == {("query", "month"): ["'garbage' is not a month: write it as YYYY-MM, "
                                             "like 2026-10"]}
