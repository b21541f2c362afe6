"""Use of Force Act s.6(5)(d), "whether those types formed part of the patient's care plan",
is answered from the plan: the agreed (preferred or less preferred) interventions."""

from __future__ import annotations

from rrp.careplans.warnings import PlanFacts, codes_not_in_plan, types_in_plan

PLAN = PlanFacts(
    version=1,
    preferred=frozenset({"07", "16"}),
    less_preferred=frozenset({"10"}),
    positions_to_avoid=frozenset({"01"}),
)


def test_types_all_agreed_in_the_plan_were_part_of_it() -> None:
    assert types_in_plan(PLAN, ["07", "10"]) is True
    assert types_in_plan(PLAN, ["16"]) is True


def test_any_type_the_plan_does_not_agree_means_they_were_not() -> None:
    assert types_in_plan(PLAN, ["07", "01"]) is False
    assert types_in_plan(PLAN, ["14"]) is False
    assert codes_not_in_plan(PLAN, ["07", "01", "14"]) == ["01", "14"]


def test_a_plan_agreeing_no_interventions_answers_no() -> None:
    assert types_in_plan(PlanFacts(version=2), ["07"]) is False


def test_with_no_plan_or_no_types_there_is_nothing_to_answer_from() -> None:
    assert types_in_plan(None, ["07"]) is None
    assert types_in_plan(PLAN, []) is None
    assert codes_not_in_plan(None, ["07"]) == []
