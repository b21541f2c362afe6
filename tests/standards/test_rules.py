"""The plain rules of a self-assessment: statuses, what a rating needs, the summary sums."""

from __future__ import annotations

import pytest

from rrp.standards import rules


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        ("planned", "in_progress", True),
        ("in_progress", "in_review", True),
        ("in_review", "signed_off", True),
        ("in_review", "in_progress", True),  # returned for changes
        ("planned", "signed_off", False),
        ("in_progress", "signed_off", False),
        ("signed_off", "in_progress", False),  # locked for good
        ("signed_off", "in_review", False),
    ],
)
def test_a_cycle_moves_only_forward_or_back_for_changes(
    current: str, target: str, allowed: bool
) -> None:
    assert rules.can_move(current, target) is allowed


def test_not_applicable_needs_a_rationale_and_the_arrangements_in_place() -> None:
    # standard 1.15.II
    problems = rules.assessment_problems(
        rating="not_applicable", narrative="", na_rationale=" ", na_arrangements=""
    )
    assert problems == {
        "na_rationale": ["Enter why this statement does not apply to your organisation"],
        "na_arrangements": ["Describe the alternative safe practice arrangements in place"],
    }
    assert (
        rules.assessment_problems(
            rating="not_applicable",
            narrative="",
            na_rationale="Small unit",
            na_arrangements="Bought in",
        )
        == {}
    )


def test_a_statement_not_fully_met_needs_a_narrative_but_met_does_not() -> None:
    assert "narrative" in rules.assessment_problems(
        rating="partially_met", narrative="", na_rationale="", na_arrangements=""
    )
    assert "narrative" in rules.assessment_problems(
        rating="not_met", narrative="  ", na_rationale="", na_arrangements=""
    )
    assert (
        rules.assessment_problems(rating="met", narrative="", na_rationale="", na_arrangements="")
        == {}
    )
    assert "rating" in rules.assessment_problems(
        rating="mostly", narrative="", na_rationale="", na_arrangements=""
    )


def test_submission_waits_for_every_statement_to_be_rated() -> None:
    assert rules.submission_problems(unrated=0) == []
    assert rules.submission_problems(unrated=1) == [
        "1 statement has no rating yet. Rate every statement before submitting"
    ]
    assert rules.submission_problems(unrated=12)[0].startswith("12 statements have")


def test_sign_off_waits_for_challenges_and_open_peer_reviews() -> None:
    assert (
        rules.sign_off_problems(status="in_review", unanswered_challenges=0, open_peer_reviews=0)
        == []
    )
    problems = rules.sign_off_problems(
        status="in_progress", unanswered_challenges=2, open_peer_reviews=1
    )
    assert problems == [
        "Only a cycle in review can be signed off",
        "Answer the peer reviewer's 2 open challenges before signing off",
        "A peer review is still open. Wait for the reviewer to sign it off, or withdraw it",
    ]


@pytest.mark.parametrize(
    ("part", "whole", "expected"), [(1, 8, 13), (1, 200, 1), (1, 3, 33), (5, 8, 63), (0, 0, None)]
)
def test_percentages_round_half_up(part: int, whole: int, expected: int | None) -> None:
    # 12.5% -> 13 and 0.5% -> 1, where Python's round() would give 12 and 0
    assert rules.percent(part, whole) == expected


def _statement(ref: str, rating: str) -> rules.RatedStatement:
    section, rest = ref.split(".", 1)
    subsection = ref.rsplit(".", 1)[0]
    return rules.RatedStatement(
        ref, section, f"Section {section}", subsection, f"Sub {subsection}", rating
    )


def test_the_summary_counts_each_section_and_subsection_and_the_change_since_before() -> None:
    statements = [
        _statement("1.1.I", "met"),
        _statement("1.1.II", "partially_met"),
        _statement("1.2.I", "not_applicable"),
        _statement("2.1.I", ""),
    ]
    summary = rules.summarise(
        statements, previous={"1.1.I": "partially_met", "1.1.II": "partially_met"}
    )
    assert summary.overall.total == 4
    assert summary.overall.count("met") == 1
    assert summary.overall.count("") == 1
    assert summary.overall.applicable == 3
    assert summary.overall.met_of_applicable == 33
    section_1 = summary.sections[0]
    assert [sub.number for sub in section_1.subsections] == ["1.1", "1.2"]
    assert section_1.counts.percent("met") == 33
    assert section_1.subsections[0].counts.percent("met") == 50
    assert section_1.met_change == 1
    assert summary.sections[1].met_change == 0
    assert summary.previous_overall is not None and summary.previous_overall.count("") == 2


def test_a_rating_change_is_described_in_the_direction_it_went() -> None:
    assert rules.rating_change("not_met", "partially_met") == "improved"
    assert rules.rating_change("met", "not_met") == "worsened"
    assert rules.rating_change("met", "not_applicable") == "changed"
    assert rules.rating_change("", "met") == "changed"
    assert rules.rating_change("met", "met") == "unchanged"
