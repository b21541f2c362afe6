"""The timed duties that follow a use of force, and their state at a moment.

Plain tests of the pure rules in rrp.incidents.duty_rules: no Django, no real clock.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rrp.incidents.duty_rules import (
    ALL_INTERVENTION_CODES,
    CHEMICAL_RESTRAINT_CODES,
    DEFAULT_POLICY,
    DUTY_KINDS,
    DUTY_OWNERS,
    OWNER_ROLES,
    PHYSICAL_RESTRAINT_CODES,
    DutyKind,
    DutyPolicy,
    DutySpec,
    DutyState,
    DutyStatus,
    IncidentFacts,
    InterventionFacts,
    category,
    completion_problems,
    duties_for,
    duty_state,
    format_minutes,
    is_rapid_tranquillisation,
    next_rapid_tranquillisation_check,
    policy_from_mapping,
    seclusion_mdt_threshold,
    sort_for_worklist,
)

T0 = datetime(2025, 3, 3, 10, 0, tzinfo=UTC)
ONE_SECOND = timedelta(seconds=1)


def at(hours: float = 0, minutes: float = 0, seconds: float = 0) -> datetime:
    return T0 + timedelta(hours=hours, minutes=minutes, seconds=seconds)


def iv(
    code: str,
    start_hours: float,
    end_hours: float | None,
    *,
    high_risk_rt: bool = False,
) -> InterventionFacts:
    return InterventionFacts(
        code=code,
        started_at=at(start_hours),
        ended_at=None if end_hours is None else at(end_hours),
        high_risk_rt=high_risk_rt,
    )


def incident(
    *interventions: InterventionFacts,
    ongoing: bool = False,
    negligible: bool = False,
    entered_in_error: bool = False,
    earlier_seclusion: tuple[tuple[datetime, datetime], ...] = (),
) -> IncidentFacts:
    ends = [x.ended_at for x in interventions]
    ended: datetime | None
    if ongoing or any(end is None for end in ends):
        ended = None
    else:
        ended = max((end for end in ends if end is not None), default=T0)
    return IncidentFacts(
        started_at=T0,
        ended_at=ended,
        interventions=list(interventions),
        negligible=negligible,
        entered_in_error=entered_in_error,
        earlier_seclusion=earlier_seclusion,
    )


def due_hours(duties: list[DutySpec], kind: str) -> list[float]:
    """Due times of one kind, as hours after T0, in sequence order."""
    chosen = sorted((d for d in duties if d.kind == kind), key=lambda d: d.sequence)
    return [(d.due_at - T0) / timedelta(hours=1) for d in chosen]


def kinds(duties: list[DutySpec]) -> set[str]:
    return {d.kind for d in duties}


LATER = at(1000)  # a `now` long after everything in these incidents has ended

INCIDENT_LEVEL: frozenset[DutyKind] = frozenset(
    {
        "post_incident_support_patient",
        "post_incident_support_staff",
        "post_incident_review",
        "patient_account_offer",
        "care_plan_review",
    }
)


# --- intervention types ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("01", "physical"),
        ("07", "physical"),
        ("08", "physical"),
        ("09", "physical"),
        ("10", "physical"),
        ("11", "physical"),
        ("12", "physical"),
        ("13", "physical"),
        ("04", "mechanical"),
        ("05", "seclusion"),
        ("06", "segregation"),
        ("14", "chemical"),
        ("15", "chemical"),
        ("16", "chemical"),
        ("17", "chemical"),
        ("4", "mechanical"),
        (" 05 ", "seclusion"),
    ],
)
def test_each_mhsds_code_has_its_category(code: str, expected: str) -> None:
    assert category(code) == expected


@pytest.mark.parametrize("code", ["02", "03", "18", "99", "", "x"])
def test_unknown_or_retired_codes_are_rejected(code: str) -> None:
    with pytest.raises(ValueError, match="restrictive intervention type code"):
        category(code)


def test_only_rapid_tranquillisation_injection_needs_rt_monitoring_by_default() -> None:
    assert is_rapid_tranquillisation("14")
    assert not any(is_rapid_tranquillisation(code) for code in ("15", "16", "17", "01", "05"))


def test_policy_decides_which_chemical_codes_need_rt_monitoring() -> None:
    policy = DutyPolicy(rapid_tranquillisation_codes=frozenset({"14", "15"}))
    assert is_rapid_tranquillisation("15", policy)
    assert not is_rapid_tranquillisation("16", policy)


# --- which duties follow which interventions --------------------------------------------------


@pytest.mark.parametrize("code", sorted(PHYSICAL_RESTRAINT_CODES))
def test_physical_restraint_needs_medical_review_within_an_hour_and_observations(
    code: str,
) -> None:
    duties = duties_for(incident(iv(code, 0, 0.25)), DEFAULT_POLICY, LATER)
    assert kinds(duties) == {"medical_review", "physical_observations"} | INCIDENT_LEVEL
    assert due_hours(duties, "medical_review") == [1.0]  # standard 2.5.2.XI
    assert due_hours(duties, "physical_observations") == [1.25]  # 1 hour after it ended


def test_medical_review_is_timed_from_the_first_physical_restraint_and_asked_once() -> None:
    duties = duties_for(
        incident(iv("07", 0.5, 0.6), iv("01", 0, 0.75), iv("08", 0.75, 1)),
        DEFAULT_POLICY,
        LATER,
    )
    reviews = [d for d in duties if d.kind == "medical_review"]
    assert len(reviews) == 1
    assert reviews[0].due_at == at(1)
    assert reviews[0].intervention_index == 1
    assert reviews[0].label == "Medical review within 1 hour of restraint"
    assert reviews[0].owner_role == "doctor"
    assert reviews[0].source == "standard 2.5.2.XI"


def test_physical_observations_follow_the_end_of_the_last_restraint() -> None:
    duties = duties_for(incident(iv("01", 0, 0.5), iv("04", 0.5, 3)), DEFAULT_POLICY, LATER)
    observations = [d for d in duties if d.kind == "physical_observations"]
    assert [(o.due_at, o.intervention_index) for o in observations] == [(at(4), 1)]
    assert observations[0].owner_role == "ward_staff"


def test_no_physical_observations_while_restraint_is_still_going_on() -> None:
    duties = duties_for(incident(iv("01", 0, None)), DEFAULT_POLICY, at(0.5))
    assert due_hours(duties, "medical_review") == [1.0]
    assert "physical_observations" not in kinds(duties)


def test_seclusion_alone_has_seclusion_reviews_but_no_restraint_review() -> None:
    duties = duties_for(incident(iv("05", 0, 3)), DEFAULT_POLICY, LATER)
    assert (
        kinds(duties)
        == {
            "seclusion_nursing_review",
            "seclusion_medical_review",
        }
        | INCIDENT_LEVEL
    )
    assert due_hours(duties, "seclusion_nursing_review") == [2.0]
    assert due_hours(duties, "seclusion_medical_review") == [1.0]


def test_mechanical_restraint_has_its_own_medical_reviews_not_the_physical_one() -> None:
    duties = duties_for(incident(iv("04", 0, 2)), DEFAULT_POLICY, LATER)
    assert (
        kinds(duties)
        == {
            "mechanical_restraint_review",
            "physical_observations",
        }
        | INCIDENT_LEVEL
    )
    assert due_hours(duties, "mechanical_restraint_review") == [1.0]
    assert due_hours(duties, "physical_observations") == [3.0]


def test_segregation_has_daily_and_weekly_reviews_and_nothing_from_restraint() -> None:
    duties = duties_for(incident(iv("06", 0, 24 * 8 + 1)), DEFAULT_POLICY, LATER)
    assert (
        kinds(duties)
        == {
            "segregation_clinician_review",
            "segregation_mdt_review",
        }
        | INCIDENT_LEVEL
    )
    assert due_hours(duties, "segregation_clinician_review") == [24.0 * d for d in range(1, 9)]
    assert due_hours(duties, "segregation_mdt_review") == [24.0 * 7]
    owners = {d.kind: d.owner_role for d in duties}
    assert owners["segregation_clinician_review"] == "doctor"
    assert owners["segregation_mdt_review"] == "ward_manager"


def test_oral_chemical_restraint_alone_gets_no_rapid_tranquillisation_monitoring() -> None:
    duties = duties_for(incident(iv("16", 0, 0)), DEFAULT_POLICY, LATER)
    assert kinds(duties) == INCIDENT_LEVEL


def test_oral_chemical_restraint_is_monitored_when_local_policy_includes_it() -> None:
    policy = DutyPolicy(rapid_tranquillisation_codes=frozenset({"14", "16"}))
    duties = duties_for(incident(iv("16", 0, 0)), policy, LATER)
    assert due_hours(duties, "rapid_tranquillisation_monitoring") == [1.0]


def test_rapid_tranquillisation_first_check_after_one_hour_or_15_minutes_if_high_risk() -> None:
    duties = duties_for(
        incident(iv("14", 0, 0), iv("14", 2, 2, high_risk_rt=True)), DEFAULT_POLICY, LATER
    )
    checks = [d for d in duties if d.kind == "rapid_tranquillisation_monitoring"]
    assert [(c.due_at, c.intervention_index, c.sequence) for c in checks] == [
        (at(1), 0, 1),
        (at(2, 15), 1, 1),
    ]
    assert checks[1].label == "Rapid tranquillisation check within 15 minutes (higher risk)"
    assert checks[0].source.startswith("NICE QS154 statement 4")
    assert "physical_observations" not in kinds(duties)


def test_next_rapid_tranquillisation_check_is_due_an_interval_after_the_last_check() -> None:
    first = next(
        d
        for d in duties_for(incident(iv("14", 0, 0)), DEFAULT_POLICY, LATER)
        if d.kind == "rapid_tranquillisation_monitoring"
    )
    second = next_rapid_tranquillisation_check(first, at(1, 10), high_risk=False)
    assert (second.sequence, second.due_at) == (2, at(2, 10))
    third = next_rapid_tranquillisation_check(second, at(2, 0), high_risk=True)
    assert (third.sequence, third.due_at, third.intervention_index) == (3, at(2, 15), 0)


def test_next_rapid_tranquillisation_check_refuses_other_duties() -> None:
    medical = duties_for(incident(iv("01", 0, 0.1)), DEFAULT_POLICY, LATER)[0]
    assert medical.kind == "medical_review"
    with pytest.raises(ValueError, match="not a rapid tranquillisation check"):
        next_rapid_tranquillisation_check(medical, at(1), high_risk=False)


def test_post_incident_duties_are_timed_from_the_end_of_the_incident() -> None:
    duties = duties_for(incident(iv("01", 0, 0.5)), DEFAULT_POLICY, LATER)
    by_kind = {d.kind: d for d in duties}
    assert by_kind["post_incident_support_patient"].due_at == at(24.5)
    assert by_kind["post_incident_support_staff"].due_at == at(24.5)
    assert by_kind["post_incident_review"].due_at == at(24 * 7 + 0.5)
    assert by_kind["patient_account_offer"].due_at == at(72.5)
    assert by_kind["care_plan_review"].due_at == at(72.5)
    assert by_kind["post_incident_support_staff"].owner_role == "ward_manager"
    assert by_kind["patient_account_offer"].source == "standard 1.6.IV"
    assert "never compulsory" in by_kind["patient_account_offer"].label
    assert all(by_kind[k].intervention_index is None for k in INCIDENT_LEVEL)


def test_post_incident_duties_wait_until_the_incident_has_ended() -> None:
    duties = duties_for(incident(iv("01", 0, 0.5), ongoing=True), DEFAULT_POLICY, at(2))
    assert not kinds(duties) & INCIDENT_LEVEL


def test_every_duty_has_a_known_kind_owner_source_and_label() -> None:
    duties = duties_for(
        incident(
            iv("01", 0, 0.5),
            iv("04", 0.5, 6),
            iv("05", 6, 16),
            iv("14", 6, 6),
            iv("06", 16, 16 + 24 * 8),
        ),
        DEFAULT_POLICY,
        LATER,
    )
    assert kinds(duties) == set(DUTY_KINDS)
    for duty in duties:
        assert duty.owner_role == DUTY_OWNERS[duty.kind]
        assert duty.owner_role in OWNER_ROLES
        assert duty.source
        assert duty.label
    assert [d.due_at for d in duties] == sorted(d.due_at for d in duties)


def test_negligible_force_has_no_duties() -> None:
    assert duties_for(incident(iv("08", 0, 0.1), negligible=True), DEFAULT_POLICY, LATER) == []


def test_a_record_entered_in_error_has_no_duties() -> None:
    facts = incident(iv("01", 0, 1), iv("05", 1, 10), entered_in_error=True)
    assert duties_for(facts, DEFAULT_POLICY, LATER) == []


@pytest.mark.parametrize("code", ["04", "05", "06", "14", "16"])
def test_only_physical_restraint_can_be_negligible(code: str) -> None:
    with pytest.raises(ValueError, match="Only physical restraint can be recorded as negligible"):
        incident(iv(code, 0, 1), negligible=True)


# --- recurring reviews -------------------------------------------------------------------------


def test_mechanical_restraint_of_9_hours_is_reviewed_at_1_and_5_hours() -> None:
    # The review at +9 h would fall at the moment the restraint ends: not generated.
    duties = duties_for(incident(iv("04", 0, 9)), DEFAULT_POLICY, LATER)
    assert due_hours(duties, "mechanical_restraint_review") == [1.0, 5.0]
    assert [d.sequence for d in duties if d.kind == "mechanical_restraint_review"] == [1, 2]


def test_mechanical_restraint_one_second_past_9_hours_gets_the_third_review() -> None:
    facts = incident(
        InterventionFacts(code="04", started_at=T0, ended_at=at(9) + ONE_SECOND),
    )
    duties = duties_for(facts, DEFAULT_POLICY, LATER)
    assert due_hours(duties, "mechanical_restraint_review") == [1.0, 5.0, 9.0]
    labels = [d.label for d in duties if d.kind == "mechanical_restraint_review"]
    assert labels[0] == "Medical review within 1 hour of mechanical restraint starting"
    assert labels[2] == "Medical review 3 during mechanical restraint (at least every 4 hours)"


def test_short_mechanical_restraint_still_gets_its_first_medical_review() -> None:
    duties = duties_for(incident(iv("04", 0, 0.5)), DEFAULT_POLICY, LATER)
    assert due_hours(duties, "mechanical_restraint_review") == [1.0]


def test_ongoing_mechanical_restraint_lists_reviews_up_to_now_plus_the_next() -> None:
    facts = incident(iv("04", 0, None))
    assert due_hours(duties_for(facts, DEFAULT_POLICY, at(0.5)), "mechanical_restraint_review") == [
        1.0
    ]
    just_before = at(5) - ONE_SECOND
    assert due_hours(
        duties_for(facts, DEFAULT_POLICY, just_before), "mechanical_restraint_review"
    ) == [
        1.0,
        5.0,
    ]
    # At exactly +5 h the second review is due now, and the third is the next one.
    assert due_hours(duties_for(facts, DEFAULT_POLICY, at(5)), "mechanical_restraint_review") == [
        1.0,
        5.0,
        9.0,
    ]


def test_seclusion_nursing_reviews_fall_every_2_hours_while_it_lasts() -> None:
    exactly_two = duties_for(incident(iv("05", 0, 2)), DEFAULT_POLICY, LATER)
    assert due_hours(exactly_two, "seclusion_nursing_review") == []
    facts = incident(InterventionFacts(code="05", started_at=T0, ended_at=at(2) + ONE_SECOND))
    assert due_hours(duties_for(facts, DEFAULT_POLICY, LATER), "seclusion_nursing_review") == [2.0]
    six = duties_for(incident(iv("05", 0, 6)), DEFAULT_POLICY, LATER)
    assert due_hours(six, "seclusion_nursing_review") == [2.0, 4.0]
    assert due_hours(six, "seclusion_medical_review") == [1.0, 5.0]


def test_short_seclusion_gets_a_medical_review_but_no_nursing_review() -> None:
    duties = duties_for(incident(iv("05", 0, 0.5)), DEFAULT_POLICY, LATER)
    assert due_hours(duties, "seclusion_medical_review") == [1.0]
    assert due_hours(duties, "seclusion_nursing_review") == []


def test_ongoing_seclusion_lists_reviews_up_to_now_plus_the_next() -> None:
    duties = duties_for(incident(iv("05", 0, None)), DEFAULT_POLICY, at(4, 30))
    assert due_hours(duties, "seclusion_nursing_review") == [2.0, 4.0, 6.0]
    assert due_hours(duties, "seclusion_medical_review") == [1.0, 5.0]


def test_segregation_of_exactly_three_days_has_two_daily_reviews() -> None:
    duties = duties_for(incident(iv("06", 0, 72)), DEFAULT_POLICY, LATER)
    assert due_hours(duties, "segregation_clinician_review") == [24.0, 48.0]
    assert due_hours(duties, "segregation_mdt_review") == []


def test_ongoing_segregation_lists_reviews_up_to_now_plus_the_next() -> None:
    duties = duties_for(incident(iv("06", 0, None)), DEFAULT_POLICY, at(24 * 10))
    assert due_hours(duties, "segregation_clinician_review") == [24.0 * d for d in range(1, 12)]
    assert due_hours(duties, "segregation_mdt_review") == [24.0 * 7, 24.0 * 14]


def test_two_seclusion_episodes_each_have_their_own_review_series() -> None:
    duties = duties_for(incident(iv("05", 0, 3), iv("05", 5, 8)), DEFAULT_POLICY, LATER)
    nursing = [
        (d.intervention_index, d.sequence, d.due_at)
        for d in duties
        if d.kind == "seclusion_nursing_review"
    ]
    assert nursing == [(0, 1, at(2)), (1, 1, at(7))]


# --- independent MDT review of seclusion --------------------------------------------------------


def test_seclusion_of_7_hours_59_minutes_needs_no_mdt_review() -> None:
    facts = incident(InterventionFacts(code="05", started_at=T0, ended_at=at(7, 59)))
    assert "seclusion_mdt_review" not in kinds(duties_for(facts, DEFAULT_POLICY, LATER))


def test_seclusion_of_8_hours_needs_an_mdt_review_at_8_hours() -> None:
    duties = duties_for(incident(iv("05", 0, 8)), DEFAULT_POLICY, LATER)
    [review] = [d for d in duties if d.kind == "seclusion_mdt_review"]
    assert review.due_at == at(8)
    assert (
        review.label == "Independent multidisciplinary review: seclusion reached 8 hours in a row"
    )
    assert review.owner_role == "ward_manager"
    assert review.intervention_index == 0


def test_back_to_back_seclusion_records_count_as_one_continuous_spell() -> None:
    duties = duties_for(incident(iv("05", 0, 4), iv("05", 4, 8)), DEFAULT_POLICY, LATER)
    [review] = [d for d in duties if d.kind == "seclusion_mdt_review"]
    assert (review.due_at, review.intervention_index) == (at(8), 1)
    assert "in a row" in review.label


def test_ongoing_seclusion_shows_when_the_mdt_review_will_be_needed() -> None:
    duties = duties_for(incident(iv("05", 1, None)), DEFAULT_POLICY, at(3))
    assert due_hours(duties, "seclusion_mdt_review") == [9.0]


def test_seven_and_five_hours_within_48_hours_reach_12_hours_at_the_end_of_the_second() -> None:
    duties = duties_for(incident(iv("05", 0, 7), iv("05", 20, 25)), DEFAULT_POLICY, LATER)
    [review] = [d for d in duties if d.kind == "seclusion_mdt_review"]
    assert (review.due_at, review.intervention_index) == (at(25), 1)
    assert review.label == (
        "Independent multidisciplinary review: seclusion reached 12 hours in total within 48 hours"
    )


def test_twelve_hours_in_total_can_be_reached_part_way_through_an_episode() -> None:
    duties = duties_for(incident(iv("05", 0, 7), iv("05", 40, 46)), DEFAULT_POLICY, LATER)
    assert due_hours(duties, "seclusion_mdt_review") == [45.0]


def test_seven_hours_and_4_hours_59_is_not_enough() -> None:
    facts = incident(
        iv("05", 0, 7),
        InterventionFacts(code="05", started_at=at(20), ended_at=at(24, 59)),
    )
    assert "seclusion_mdt_review" not in kinds(duties_for(facts, DEFAULT_POLICY, LATER))


def test_seclusion_that_slides_out_of_the_48_hour_window_no_longer_counts() -> None:
    # 7 h, then 6 h starting 45 h later: at most 10 h fall within any 48 hours.
    duties = duties_for(incident(iv("05", 0, 7), iv("05", 45, 51)), DEFAULT_POLICY, LATER)
    assert "seclusion_mdt_review" not in kinds(duties)


def test_seclusion_in_an_earlier_incident_counts_towards_12_hours_in_48() -> None:
    earlier = ((at(-16), at(-10)),)  # 6 hours, ending 10 hours before this incident
    with_earlier = incident(iv("05", 0, 7), earlier_seclusion=earlier)
    assert due_hours(duties_for(with_earlier, DEFAULT_POLICY, LATER), "seclusion_mdt_review") == [
        6.0
    ]
    without = incident(iv("05", 0, 7))
    assert "seclusion_mdt_review" not in kinds(duties_for(without, DEFAULT_POLICY, LATER))


def test_mdt_threshold_from_earlier_seclusion_alone_is_due_when_this_seclusion_starts() -> None:
    earlier = ((at(-20), at(-8)),)  # already 12 hours in the last 48
    reached = seclusion_mdt_threshold([(at(0), at(1))], earlier)
    assert reached == (at(0), "total")


def test_no_seclusion_means_no_mdt_threshold() -> None:
    assert seclusion_mdt_threshold([], [(at(0), at(20))]) is None


# --- local policy ------------------------------------------------------------------------------


def test_a_stricter_local_policy_brings_due_times_forward() -> None:
    policy = DutyPolicy(
        medical_review_after_restraint_minutes=30,
        physical_observations_after_restraint_minutes=15,
        seclusion_nursing_review_interval_minutes=60,
        post_incident_support_patient_minutes=12 * 60,
    )
    duties = duties_for(incident(iv("01", 0, 0.5), iv("05", 0.5, 3)), policy, LATER)
    assert due_hours(duties, "medical_review") == [0.5]
    assert due_hours(duties, "physical_observations") == [0.75]
    assert due_hours(duties, "seclusion_nursing_review") == [1.5, 2.5]
    assert due_hours(duties, "post_incident_support_patient") == [15.0]
    labels = {d.kind: d.label for d in duties}
    assert labels["medical_review"] == "Medical review within 30 minutes of restraint"
    assert labels["post_incident_support_patient"] == (
        "Post-incident support offered to the patient within 12 hours"
    )


def test_local_policy_can_change_the_mdt_thresholds() -> None:
    policy = DutyPolicy(seclusion_mdt_continuous_minutes=6 * 60)
    duties = duties_for(incident(iv("05", 0, 7)), policy, LATER)
    assert due_hours(duties, "seclusion_mdt_review") == [6.0]


def test_policy_from_mapping_reads_stored_settings() -> None:
    policy = policy_from_mapping(
        {
            "medical_review_after_restraint_minutes": 30,
            "seclusion_nursing_review_interval_minutes": "90",
            "care_plan_review_minutes": 2880.0,
            "post_incident_review_minutes": None,
            "rapid_tranquillisation_codes": ["14", "15"],
            "physical_observations_categories": "physical",
        }
    )
    assert policy.medical_review_after_restraint_minutes == 30
    assert policy.seclusion_nursing_review_interval_minutes == 90
    assert policy.care_plan_review_minutes == 2880
    assert policy.post_incident_review_minutes == DEFAULT_POLICY.post_incident_review_minutes
    assert policy.rapid_tranquillisation_codes == frozenset({"14", "15"})
    assert policy.physical_observations_categories == frozenset({"physical"})
    assert policy_from_mapping({}) == DEFAULT_POLICY


def test_policy_from_mapping_accepts_comma_separated_codes() -> None:
    policy = policy_from_mapping({"rapid_tranquillisation_codes": "14, 16"})
    assert policy.rapid_tranquillisation_codes == frozenset({"14", "16"})


@pytest.mark.parametrize(
    ("settings_", "message"),
    [
        ({"medical_review_after_restraint_minutes": 0}, "medical_review_after_restraint_minutes"),
        ({"seclusion_nursing_review_interval_minutes": -5}, "positive"),
        ({"care_plan_review_minutes": "soon"}, "care_plan_review_minutes must be a whole number"),
        ({"care_plan_review_minutes": 90.5}, "care_plan_review_minutes must be a whole number"),
        ({"care_plan_review_minutes": True}, "care_plan_review_minutes must be a whole number"),
        ({"medical_review_minutes": 60}, "Unknown duty policy setting: medical_review_minutes"),
        ({"rapid_tranquillisation_codes": ["05"]}, "rapid_tranquillisation_codes"),
        ({"rapid_tranquillisation_codes": ["99"]}, "rapid_tranquillisation_codes"),
        ({"rapid_tranquillisation_codes": 14}, "rapid_tranquillisation_codes"),
        ({"physical_observations_categories": ["chairs"]}, "physical_observations_categories"),
        ({"seclusion_mdt_total_minutes": 3000}, "seclusion_mdt_total_minutes"),
    ],
)
def test_policy_from_mapping_names_the_field_in_error(
    settings_: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        policy_from_mapping(settings_)


def test_policy_rejects_non_positive_minutes_when_built_directly() -> None:
    with pytest.raises(ValueError, match="seclusion_medical_review_interval_minutes"):
        DutyPolicy(seclusion_medical_review_interval_minutes=0)


@pytest.mark.parametrize(
    ("minutes", "words"),
    [
        (1, "1 minute"),
        (15, "15 minutes"),
        (60, "1 hour"),
        (90, "1 hour 30 minutes"),
        (240, "4 hours"),
        (1440, "24 hours"),
        (4320, "72 hours"),
        (10080, "7 days"),
    ],
)
def test_policy_times_are_said_the_way_a_ward_says_them(minutes: int, words: str) -> None:
    assert format_minutes(minutes) == words


# --- datetimes ---------------------------------------------------------------------------------


def test_naive_datetimes_are_rejected() -> None:
    naive = datetime(2025, 3, 3, 10, 0)
    with pytest.raises(ValueError, match="timezone-aware"):
        InterventionFacts(code="01", started_at=naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        InterventionFacts(code="01", started_at=T0, ended_at=naive + timedelta(hours=1))
    with pytest.raises(ValueError, match="timezone-aware"):
        IncidentFacts(started_at=naive, ended_at=None)
    with pytest.raises(ValueError, match="timezone-aware"):
        IncidentFacts(started_at=T0, ended_at=None, earlier_seclusion=[(naive, naive)])
    with pytest.raises(ValueError, match="timezone-aware"):
        duties_for(incident(iv("01", 0, 1)), DEFAULT_POLICY, naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        duty_state(naive, None, False, None, T0)
    with pytest.raises(ValueError, match="timezone-aware"):
        completion_problems("medical_review", at(1), naive, None, at(2))


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: iv("01", 2, 1), "cannot end before it starts"),
        (
            lambda: IncidentFacts(started_at=at(1), ended_at=None, interventions=[iv("01", 0, 2)]),
            "cannot start before its incident",
        ),
        (
            lambda: IncidentFacts(started_at=T0, ended_at=at(1), interventions=[iv("05", 0, None)]),
            "has no end time",
        ),
        (
            lambda: IncidentFacts(started_at=T0, ended_at=at(1), interventions=[iv("05", 0, 2)]),
            "cannot end after its incident ends",
        ),
        (lambda: IncidentFacts(started_at=at(1), ended_at=T0), "cannot end before it starts"),
    ],
)
def test_contradictory_facts_are_rejected(build: object, message: str) -> None:
    assert callable(build)
    with pytest.raises(ValueError, match=message):
        build()


def test_due_times_are_real_elapsed_time_across_the_clocks_going_forward() -> None:
    london = ZoneInfo("Europe/London")
    # 30 March 2025: clocks go forward at 01:00 GMT. 00:30 GMT + 1 hour is 02:30 BST.
    start = datetime(2025, 3, 30, 0, 30, tzinfo=london)
    facts = IncidentFacts(
        started_at=start,
        ended_at=None,
        interventions=[InterventionFacts(code="04", started_at=start)],
    )
    [first] = [
        d
        for d in duties_for(facts, DEFAULT_POLICY, start)
        if d.kind == "mechanical_restraint_review"
    ]
    assert first.due_at == datetime(2025, 3, 30, 1, 30, tzinfo=UTC)
    assert first.due_at.astimezone(london).hour == 2
    assert first.due_at - start == timedelta(hours=1)


def test_inputs_in_any_offset_give_the_same_duties() -> None:
    plus_two = timezone(timedelta(hours=2))
    local = IncidentFacts(
        started_at=T0.astimezone(plus_two),
        ended_at=at(1).astimezone(plus_two),
        interventions=[
            InterventionFacts(
                code="01", started_at=T0.astimezone(plus_two), ended_at=at(1).astimezone(plus_two)
            )
        ],
    )
    assert duties_for(local, DEFAULT_POLICY, LATER) == duties_for(
        incident(iv("01", 0, 1)), DEFAULT_POLICY, LATER
    )


# --- state at a moment -------------------------------------------------------------------------


DUE = at(1)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (DUE - ONE_SECOND, "due"),
        (DUE, "due"),
        (DUE + ONE_SECOND, "overdue"),
    ],
)
def test_an_unfinished_duty_is_overdue_only_after_its_due_time(
    now: datetime, expected: DutyState
) -> None:
    assert duty_state(DUE, None, False, None, now) == expected


@pytest.mark.parametrize(
    ("completed_at", "expected"),
    [
        (DUE - ONE_SECOND, "done"),
        (DUE, "done"),
        (DUE + ONE_SECOND, "done_late"),
    ],
)
def test_a_duty_completed_at_its_due_time_is_on_time(
    completed_at: datetime, expected: DutyState
) -> None:
    assert duty_state(DUE, completed_at, False, None, at(5)) == expected


def test_a_late_reason_explains_lateness_but_does_not_hide_it() -> None:
    assert duty_state(DUE, DUE + ONE_SECOND, False, "Doctor at a cardiac arrest", at(5)) == (
        "done_late"
    )


def test_a_duty_marked_not_required_is_not_required() -> None:
    assert duty_state(DUE, None, True, None, at(5)) == "not_required"
    assert duty_state(DUE, DUE, True, None, at(5)) == "done"


def test_a_completion_after_now_has_not_happened_yet_at_now() -> None:
    assert duty_state(DUE, at(3), False, None, at(2)) == "overdue"
    assert duty_state(DUE, at(0.9), False, None, at(0.5)) == "due"
    assert duty_state(DUE, at(0.9), False, None, at(0.9)) == "done"


# --- checking a completion ---------------------------------------------------------------------


def test_late_medical_review_without_a_reason_asks_for_one() -> None:
    assert completion_problems("medical_review", DUE, DUE + ONE_SECOND, None, at(5)) == [
        "The medical review was more than 1 hour after the restraint started: "
        "record the reason for the delay."
    ]
    assert completion_problems("medical_review", DUE, DUE + ONE_SECOND, "   ", at(5)) != []


def test_late_medical_review_with_a_reason_is_fine() -> None:
    reason = "Duty doctor attending a cardiac arrest on another ward"
    assert completion_problems("medical_review", DUE, at(1.5), reason, at(5)) == []


def test_medical_review_exactly_at_due_time_needs_no_reason() -> None:
    assert completion_problems("medical_review", DUE, DUE, None, DUE) == []


def test_completion_in_the_future_is_refused() -> None:
    assert completion_problems("physical_observations", DUE, at(0.75), None, at(0.5)) == [
        "The time given for the first set of physical observations is in the future: "
        "check the date and time."
    ]


def test_completion_before_the_restraint_started_is_refused() -> None:
    # Due at +1 h, so the restraint started at T0; 09:59 is before it.
    assert completion_problems("medical_review", DUE, at(minutes=-1), None, at(5)) == [
        "The time given for the medical review is before the restraint started: "
        "check the date and time."
    ]


def test_late_recurring_review_says_how_late_it_was() -> None:
    assert completion_problems("seclusion_nursing_review", at(2), at(2, 25), None, at(5)) == [
        "The seclusion nursing review was 25 minutes late: record the reason for the delay."
    ]
    assert completion_problems(
        "mechanical_restraint_review", at(5), at(5) + timedelta(seconds=30), None, at(6)
    ) == [
        "The medical review of mechanical restraint was less than a minute late: "
        "record the reason for the delay."
    ]
    assert completion_problems("segregation_clinician_review", at(24), at(50, 5), None, at(60)) == [
        "The approved clinician review of segregation was 1 day 2 hours 5 minutes late: "
        "record the reason for the delay."
    ]


def test_messages_follow_the_local_policy() -> None:
    policy = DutyPolicy(post_incident_support_staff_minutes=12 * 60)
    problems = completion_problems(
        "post_incident_support_staff", at(12), at(13), None, at(14), policy
    )
    assert problems == [
        "The post-incident support for staff was more than 12 hours after the incident ended: "
        "record the reason for the delay."
    ]


def test_unknown_duty_kind_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="Unknown duty kind"):
        completion_problems("debrief", DUE, DUE, None, DUE)


# --- worklist order ----------------------------------------------------------------------------


def _status(kind: str, due: datetime, state: DutyState) -> DutyStatus:
    spec = next(d for d in _ALL_DUTIES if d.kind == kind)
    return DutyStatus(duty=dataclasses.replace(spec, due_at=due), state=state)


_ALL_DUTIES = duties_for(
    incident(iv("01", 0, 0.5), iv("05", 0.5, 9), iv("14", 1, 1)), DEFAULT_POLICY, LATER
)


def test_worklist_shows_overdue_safety_checks_first_then_soonest_due() -> None:
    # The full order is in test_duty_worklist_urgency.py.
    done = _status("post_incident_review", at(0.1), "done")
    due_later = _status("care_plan_review", at(72), "due")
    due_soon = _status("seclusion_nursing_review", at(2.5), "due")
    overdue_recent = _status("physical_observations", at(1.5), "overdue")
    overdue_oldest = _status("medical_review", at(1), "overdue")
    not_required = _status("seclusion_medical_review", at(0.2), "not_required")
    ordered = sort_for_worklist(
        [done, due_later, not_required, due_soon, overdue_recent, overdue_oldest], now=at(2)
    )
    assert ordered == [overdue_recent, overdue_oldest, due_soon, due_later, done, not_required]


@dataclass(frozen=True)
class WardDuty:
    """Stands in for the caller's own duty record: anything with due_at and state."""

    name: str
    due_at: datetime
    state: DutyState
    kind: str = "care_plan_review"


def test_worklist_sorts_the_callers_own_records_and_keeps_ties_in_order() -> None:
    a = WardDuty("a", at(5), "due")
    b = WardDuty("b", at(5), "due")
    c = WardDuty("c", at(3), "overdue")
    assert sort_for_worklist([a, b, c], now=at(4)) == [c, a, b]


# --- properties --------------------------------------------------------------------------------

_codes = st.sampled_from(sorted(ALL_INTERVENTION_CODES))


@st.composite
def incidents_and_moments(draw: st.DrawFn) -> tuple[IncidentFacts, DutyPolicy, datetime]:
    count = draw(st.integers(min_value=0, max_value=4))
    interventions: list[InterventionFacts] = []
    for _ in range(count):
        start = T0 + timedelta(minutes=draw(st.integers(0, 24 * 60)))
        length = draw(st.none() | st.integers(0, 4 * 24 * 60))
        interventions.append(
            InterventionFacts(
                code=draw(_codes),
                started_at=start,
                ended_at=None if length is None else start + timedelta(minutes=length),
                high_risk_rt=draw(st.booleans()),
            )
        )
    ends = [x.ended_at for x in interventions]
    ended: datetime | None = None
    if all(end is not None for end in ends) and draw(st.booleans()):
        last = max((end for end in ends if end is not None), default=T0)
        ended = last + timedelta(minutes=draw(st.integers(0, 120)))
    policy = DutyPolicy(
        mechanical_restraint_review_interval_minutes=draw(st.integers(30, 600)),
        seclusion_nursing_review_interval_minutes=draw(st.integers(30, 600)),
        seclusion_medical_review_interval_minutes=draw(st.integers(30, 600)),
        segregation_clinician_review_interval_minutes=draw(st.integers(60, 2880)),
        rapid_tranquillisation_codes=draw(
            st.frozensets(st.sampled_from(sorted(CHEMICAL_RESTRAINT_CODES)))
        ),
    )
    now = T0 + timedelta(minutes=draw(st.integers(0, 6 * 24 * 60)))
    facts = IncidentFacts(started_at=T0, ended_at=ended, interventions=interventions)
    return facts, policy, now


@settings(max_examples=200, deadline=None)
@given(incidents_and_moments())
def test_no_duty_is_due_before_the_incident_started(
    case: tuple[IncidentFacts, DutyPolicy, datetime],
) -> None:
    facts, policy, now = case
    for duty in duties_for(facts, policy, now):
        assert duty.due_at >= facts.started_at


@settings(max_examples=200, deadline=None)
@given(incidents_and_moments())
def test_recurring_series_are_numbered_from_1_and_strictly_later_each_time(
    case: tuple[IncidentFacts, DutyPolicy, datetime],
) -> None:
    facts, policy, now = case
    series: dict[tuple[str, int | None], list[DutySpec]] = defaultdict(list)
    for duty in duties_for(facts, policy, now):
        series[(duty.kind, duty.intervention_index)].append(duty)
    for (kind, index), duties in series.items():
        duties.sort(key=lambda d: d.sequence)
        assert [d.sequence for d in duties] == list(range(1, len(duties) + 1))
        assert all(a.due_at < b.due_at for a, b in zip(duties, duties[1:], strict=False))
        if index is None or len(duties) < 2:
            continue
        intervention = facts.interventions[index]
        if intervention.ended_at is None:
            # Ongoing: everything up to now, plus exactly one next occurrence.
            assert sum(d.due_at > now for d in duties) == 1, kind
        else:
            # Ended: later reviews only while the intervention lasted.
            assert all(d.due_at < intervention.ended_at for d in duties[1:]), kind


def _brute_force_mdt(
    own: list[tuple[int, int]], earlier: list[tuple[int, int]], policy: DutyPolicy
) -> int | None:
    """Minute by minute: the first moment the 8-in-a-row or 12-in-48 rule holds."""
    secluded = {m for start, end in own + earlier for m in range(start, end)}
    continuous = policy.seclusion_mdt_continuous_minutes
    window = policy.seclusion_mdt_window_minutes
    total = policy.seclusion_mdt_total_minutes
    first = min(start for start, _ in own)
    last = max(end for _, end in own + earlier)
    for moment in range(first, last + 1):
        in_a_row = all(m in secluded for m in range(moment - continuous, moment))
        in_window = sum(1 for m in range(moment - window, moment) if m in secluded)
        if in_a_row or in_window >= total:
            return moment
    return None


_periods = st.lists(
    st.tuples(st.integers(0, 4000), st.integers(0, 800)).map(lambda p: (p[0], p[0] + p[1])),
    max_size=3,
)


@settings(max_examples=150, deadline=None)
@given(own=_periods.filter(bool), earlier=_periods)
def test_mdt_threshold_matches_a_minute_by_minute_count(
    own: list[tuple[int, int]], earlier: list[tuple[int, int]]
) -> None:
    def moment(minute: int) -> datetime:
        return T0 + timedelta(minutes=minute)

    expected = _brute_force_mdt(own, earlier, DEFAULT_POLICY)
    reached = seclusion_mdt_threshold(
        [(moment(s), moment(e)) for s, e in own],
        [(moment(s), moment(e)) for s, e in earlier],
    )
    assert (None if reached is None else reached[0]) == (
        None if expected is None else moment(expected)
    )
