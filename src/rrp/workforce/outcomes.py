"""The two lists a course's learning outcomes are mapped to (issue 13), as the statements word
them, so the matrix shows which the courses in use teach and which nobody teaches.

- Standard 3.1 I-XV: "Training strategies need to be explicit regarding learning outcomes
  relating to" these fifteen (docs/sources/national-minimum-standards-2019-12.txt). The codes
  are the statement ids of the self-assessment.
- Mental Health Units (Use of Force) Act 2018 s.5(2): the training "must include training on
  the following topics" (a)-(k) (docs/sources/use-of-force-act.md; wording from
  legislation.gov.uk). Codes "s5.a" to "s5.k".

A course records the codes it teaches (Course.outcomes); the services refuse any other code.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LearningOutcome:
    code: str
    label: str  # "3.1.V" or "s.5(2)(e)": how a page cites it
    text: str


STANDARD_3_1: tuple[LearningOutcome, ...] = tuple(
    LearningOutcome(f"3.1.{numeral}", f"3.1.{numeral}", text)
    for numeral, text in (
        ("I", "the experience of people who use services"),
        ("II", "trauma informed care"),
        ("III", "core skills in building therapeutic relationships"),
        ("IV", "the principles of positive behaviour support (or equivalent interventions aimed "
               "at understanding and safely and therapeutically supporting behaviour)"),
        ("V", "legal and ethical issues, including services' duties under the Human Rights Act"),
        ("VI", "risks associated with restrictive interventions"),
        ("VII", "staff thoughts and feelings on being exposed to disturbed behaviour"),
        ("VIII", "the use of safety planning tools and advance decisions"),
        ("IX", "alternatives to restrictive interventions"),
        ("X", "effective use of de-escalation techniques"),
        ("XI", "conflict resolution styles"),
        ("XII", "the risks associated with restrictive interventions and how these risks can be "
                "minimised"),
        ("XIII", "the use of breakaway techniques by which to disengage from grabs and holds"),
        ("XIV", "safe implementation of restrictive physical interventions"),
        ("XV", "post-incident review and support for both staff and people who use services"),
    )
)

USE_OF_FORCE_ACT_S5: tuple[LearningOutcome, ...] = tuple(
    LearningOutcome(f"s5.{letter}", f"s.5(2)({letter})", text)
    for letter, text in (
        ("a", "how to involve patients in the planning, development and delivery of care and "
              "treatment in the mental health unit"),
        ("b", "showing respect for patients' past and present wishes and feelings"),
        ("c", "showing respect for diversity generally"),
        ("d", "avoiding unlawful discrimination, harassment and victimisation"),
        ("e", "the use of techniques for avoiding or reducing the use of force"),
        ("f", "the risks associated with the use of force"),
        ("g", "the impact of trauma (whether historic or otherwise) on a patient's mental and "
              "physical health"),
        ("h", "the impact of any use of force on a patient's mental and physical health"),
        ("i", "the impact of any use of force on a patient's development"),
        ("j", "how to ensure the safety of patients and the public"),
        ("k", "the principal legal or ethical issues associated with the use of force"),
    )
)

# (key, heading, outcomes): the two groups, in the order the form and the matrix show them.
OUTCOME_LISTS: tuple[tuple[str, str, tuple[LearningOutcome, ...]], ...] = (
    ("standard", "Standard 3.1: learning outcomes", STANDARD_3_1),
    ("act", "Use of Force Act s.5(2): training topics", USE_OF_FORCE_ACT_S5),
)

BY_CODE: dict[str, LearningOutcome] = {o.code: o for o in STANDARD_3_1 + USE_OF_FORCE_ACT_S5}
ORDER: dict[str, int] = {code: index for index, code in enumerate(BY_CODE)}

# Standard 2.1.IV: training content includes the Human Rights Act - 3.1.V names it.
HUMAN_RIGHTS = "3.1.V"


def in_order(codes: list[str] | set[str] | tuple[str, ...]) -> list[str]:
    """Known codes once each, in the lists' order (how a course stores them)."""
    return sorted({c for c in codes if c in BY_CODE}, key=ORDER.__getitem__)
