"""The rules of a self-assessment, as plain functions (no Django): which status may follow
which, what a rating needs, what blocks submission and sign-off, and the summary arithmetic.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

PLANNED: Final = "planned"
IN_PROGRESS: Final = "in_progress"
IN_REVIEW: Final = "in_review"
SIGNED_OFF: Final = "signed_off"

MET: Final = "met"
PARTIALLY_MET: Final = "partially_met"
NOT_MET: Final = "not_met"
NOT_APPLICABLE: Final = "not_applicable"
UNRATED: Final = ""
RATINGS: Final = (MET, PARTIALLY_MET, NOT_MET, NOT_APPLICABLE)
RATING_LABELS: Final[Mapping[str, str]] = {
    MET: "Met",
    PARTIALLY_MET: "Partially met",
    NOT_MET: "Not met",
    NOT_APPLICABLE: "Not applicable",
    UNRATED: "Not yet rated",
}
# How far a statement is from being met, to say whether a rating improved.
_RANK: Final[Mapping[str, int]] = {NOT_MET: 0, PARTIALLY_MET: 1, MET: 2}

# planned -> in progress -> in review -> signed off; a review can send it back for changes.
TRANSITIONS: Final[Mapping[str, frozenset[str]]] = {
    PLANNED: frozenset({IN_PROGRESS}),
    IN_PROGRESS: frozenset({IN_REVIEW}),
    IN_REVIEW: frozenset({IN_PROGRESS, SIGNED_OFF}),
    SIGNED_OFF: frozenset(),
}


def can_move(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


def assessment_problems(
    *, rating: str, narrative: str, na_rationale: str, na_arrangements: str
) -> dict[str, list[str]]:
    """What is wrong with a statement assessment, field by field, in plain English."""
    problems: dict[str, list[str]] = {}
    if rating not in (*RATINGS, UNRATED):
        problems["rating"] = ["Choose met, partially met, not met or not applicable"]
    if rating == NOT_APPLICABLE:
        # standard 1.15.II: not applicable needs a documented rationale AND a description
        # of the safe practice arrangements in place instead.
        if not na_rationale.strip():
            problems["na_rationale"] = [
                "Enter why this statement does not apply to your organisation"
            ]
        if not na_arrangements.strip():
            problems["na_arrangements"] = [
                "Describe the alternative safe practice arrangements in place"
            ]
    elif rating in (PARTIALLY_MET, NOT_MET) and not narrative.strip():
        problems["narrative"] = ["Describe what is in place and what is missing"]
    return problems


def can_raise_action(rating: str) -> bool:
    """Actions are raised from statements that are not fully met."""
    return rating in (PARTIALLY_MET, NOT_MET)


def submission_problems(*, unrated: int) -> list[str]:
    if unrated:
        noun = "statement has" if unrated == 1 else "statements have"
        return [f"{unrated} {noun} no rating yet. Rate every statement before submitting"]
    return []


def sign_off_problems(
    *, status: str, unanswered_challenges: int, open_peer_reviews: int
) -> list[str]:
    problems = []
    if status != IN_REVIEW:
        problems.append("Only a cycle in review can be signed off")
    if unanswered_challenges:
        noun = "challenge" if unanswered_challenges == 1 else "challenges"
        problems.append(
            f"Answer the peer reviewer's {unanswered_challenges} open {noun} before signing off"
        )
    if open_peer_reviews:
        problems.append(
            "A peer review is still open. Wait for the reviewer to sign it off, or withdraw it"
        )
    return problems


def percent(part: int, whole: int) -> int | None:
    """A whole percentage, rounded half up (Python's round() would round half to even)."""
    if whole <= 0:
        return None
    return int((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass
class RatingCounts:
    """How many statements of a group have each rating."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys((*RATINGS, UNRATED), 0))

    def add(self, rating: str) -> None:
        self.counts[rating if rating in self.counts else UNRATED] += 1

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def applicable(self) -> int:
        return self.total - self.counts[NOT_APPLICABLE]

    def count(self, rating: str) -> int:
        return self.counts[rating]

    def percent(self, rating: str) -> int | None:
        return percent(self.counts[rating], self.total)

    @property
    def met_of_applicable(self) -> int | None:
        """Share of the statements that apply which are fully met: the headline figure."""
        return percent(self.counts[MET], self.applicable)

    def rows(self) -> list[tuple[str, str, int, int | None]]:
        return [
            (rating, RATING_LABELS[rating], self.counts[rating], self.percent(rating))
            for rating in (*RATINGS, UNRATED)
        ]


@dataclass(frozen=True)
class RatedStatement:
    ref: str
    section: str
    section_title: str
    subsection: str
    subsection_title: str
    rating: str


@dataclass
class GroupSummary:
    number: str
    title: str
    counts: RatingCounts
    previous: RatingCounts | None = None

    @property
    def met_change(self) -> int | None:
        """Change in the number of statements met since the previous cycle."""
        if self.previous is None:
            return None
        return self.counts.count(MET) - self.previous.count(MET)


@dataclass
class SectionSummary(GroupSummary):
    subsections: list[GroupSummary] = field(default_factory=list)


@dataclass
class CycleSummary:
    overall: RatingCounts
    sections: list[SectionSummary]
    previous_overall: RatingCounts | None


def summarise(
    statements: Iterable[RatedStatement], previous: Mapping[str, str] | None = None
) -> CycleSummary:
    """Counts by rating for the whole cycle, each section and each subsection; with
    `previous` (statement id -> rating in the previous cycle), the same counts for the
    statements as they were then."""
    overall = RatingCounts()
    previous_overall = RatingCounts() if previous is not None else None
    sections: dict[str, SectionSummary] = {}
    subsections: dict[str, GroupSummary] = {}
    for statement in statements:
        section = sections.get(statement.section)
        if section is None:
            section = SectionSummary(
                statement.section,
                statement.section_title,
                RatingCounts(),
                RatingCounts() if previous is not None else None,
            )
            sections[statement.section] = section
        subsection = subsections.get(statement.subsection)
        if subsection is None:
            subsection = GroupSummary(
                statement.subsection,
                statement.subsection_title,
                RatingCounts(),
                RatingCounts() if previous is not None else None,
            )
            subsections[statement.subsection] = subsection
            section.subsections.append(subsection)
        for group in (overall, section.counts, subsection.counts):
            group.add(statement.rating)
        if previous is not None:
            before = previous.get(statement.ref, UNRATED)
            for counts in (previous_overall, section.previous, subsection.previous):
                assert counts is not None
                counts.add(before)
    return CycleSummary(
        overall=overall, sections=list(sections.values()), previous_overall=previous_overall
    )


def rating_change(before: str, after: str) -> str:
    """improved, worsened, changed (to or from not applicable / unrated) or unchanged."""
    if before == after:
        return "unchanged"
    if before in _RANK and after in _RANK:
        return "improved" if _RANK[after] > _RANK[before] else "worsened"
    return "changed"
