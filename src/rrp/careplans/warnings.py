"""What a safety plan says about the force being recorded: warnings, never blocks.

Pure (standard library only): the plan's facts and the MHSDS intervention type codes of a use
of force go in; plain-English warnings and the answer to Use of Force Act s.6(5)(d) ("whether
those types formed part of the patient's care plan") come out.

Why these rules: standard 2.3.XIV asks care plans to "clearly highlight factors that will
increase risk of harm during restraint" and names the mechanisms of death in restraint (crush
injury, chest wall mechanical restriction, cardiac exhaustion, occlusion of the airway); "restraint
techniques with a risk of serious harm or death in a specific patient's case are avoided".
Section 2.5 lists the conditions that alter that balance (prolonged QTc, asthma, stimulant
intoxication, large muscle bulk, heart disease, obesity, medication, arthritis, high blood
pressure, diabetes, drugs or alcohol, pregnancy, fracture risk). Standard 2.3.V: the person's
preferred options are "to be adhered to unless the presenting risk does not allow this" -- so a
position the person asked not to be held in is a warning too, and recording goes on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final, Literal, Protocol, runtime_checkable

from rrp.incidents.duty_rules import (
    CHEMICAL_RESTRAINT_CODES,
    MECHANICAL_RESTRAINT_CODES,
    PHYSICAL_RESTRAINT_CODES,
    normalise_code,
)

# ---------------------------------------------------------------------------------------------
# Physical health risk factors for restraint (codes are a contract: stored plans, the API)
# ---------------------------------------------------------------------------------------------

PROLONGED_QTC: Final = "prolonged_qtc"
RESPIRATORY: Final = "respiratory"
HEART_DISEASE: Final = "heart_disease"
OBESITY: Final = "obesity"
LARGE_MUSCLE_BULK: Final = "large_muscle_bulk"
STIMULANT_INTOXICATION: Final = "stimulant_intoxication"
DRUGS_ALCOHOL: Final = "drugs_alcohol"
HIGH_BLOOD_PRESSURE: Final = "high_blood_pressure"
DIABETES: Final = "diabetes"
JOINT_IMPAIRMENT: Final = "joint_impairment"
PREGNANCY: Final = "pregnancy"
FRACTURE_RISK: Final = "fracture_risk"
MEDICATION: Final = "medication"

RISK_FACTOR_LABELS: Final[dict[str, str]] = {
    PROLONGED_QTC: "Prolonged QTc interval",
    RESPIRATORY: "Asthma or another respiratory condition",
    HEART_DISEASE: "Heart disease",
    OBESITY: "Obesity",
    LARGE_MUSCLE_BULK: "Large muscle bulk",
    STIMULANT_INTOXICATION: "Acute stimulant intoxication",
    DRUGS_ALCOHOL: "Use of illicit drugs or alcohol",
    HIGH_BLOOD_PRESSURE: "High blood pressure",
    DIABETES: "Diabetes",
    JOINT_IMPAIRMENT: "Arthritis or other joint or muscle impairment",
    PREGNANCY: "Pregnancy",
    FRACTURE_RISK: "Increased risk of fracture",
    MEDICATION: "Relevant medication",
}

# How each intervention reads inside a sentence ("held in the prone position").
INTERVENTION_NAMES: Final[dict[str, str]] = {
    "01": "prone restraint (face down)",
    "04": "mechanical restraint",
    "05": "seclusion",
    "06": "segregation",
    "07": "standing restraint",
    "08": "restrictive escort",
    "09": "supine restraint (face up)",
    "10": "restraint on their side",
    "11": "seated restraint",
    "12": "kneeling restraint",
    "13": "another physical restraint",
    "14": "rapid tranquillisation by injection",
    "15": "medication by injection (not rapid tranquillisation)",
    "16": "oral medication as chemical restraint",
    "17": "another chemical restraint",
}

PRONE: Final = "01"
SUPINE: Final = "09"
RAPID_TRANQUILLISATION: Final = "14"
RESTRAINT_CODES: Final = PHYSICAL_RESTRAINT_CODES | MECHANICAL_RESTRAINT_CODES


# ---------------------------------------------------------------------------------------------
# The plan as facts
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RiskFactorFact:
    code: str
    notes: str = ""
    strategies: str = ""  # what the plan says staff do to reduce this risk (2.5.1.VII)

    @property
    def label(self) -> str:
        return RISK_FACTOR_LABELS.get(self.code, self.code)


@dataclass(frozen=True)
class PlanFacts:
    """What the rules read from one signed version of a safety plan."""

    version: int
    signed_on: dt.date | None = None
    risk_factors: tuple[RiskFactorFact, ...] = ()
    preferred: frozenset[str] = field(default_factory=frozenset)
    less_preferred: frozenset[str] = field(default_factory=frozenset)
    positions_to_avoid: frozenset[str] = field(default_factory=frozenset)
    # The person's preferences about restrictive interventions, in their own words.
    persons_words: str = ""

    @property
    def planned_codes(self) -> frozenset[str]:
        """Agreed interventions: the preferred and the less preferred ones (standard 2.3.IV)."""
        return self.preferred | self.less_preferred

    @property
    def factor_codes(self) -> frozenset[str]:
        return frozenset(f.code for f in self.risk_factors)

    def factor(self, code: str) -> RiskFactorFact | None:
        return next((f for f in self.risk_factors if f.code == code), None)

    @property
    def described(self) -> str:
        signed = f", signed {_day(self.signed_on)}" if self.signed_on else ""
        return f"the safety plan (version {self.version}{signed})"


@runtime_checkable
class HasPlanFacts(Protocol):
    """A stored plan version (careplans.models.SafetyPlanVersion) offers its facts."""

    def plan_facts(self) -> PlanFacts: ...


PlanLike = PlanFacts | HasPlanFacts | None


def _facts(plan: PlanLike) -> PlanFacts | None:
    if plan is None or isinstance(plan, PlanFacts):
        return plan
    return plan.plan_facts()


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


# ---------------------------------------------------------------------------------------------
# Rules
# ---------------------------------------------------------------------------------------------

Severity = Literal["warning", "caution"]


@dataclass(frozen=True)
class RestraintWarning:
    """One conflict between an intervention and the plan, in words a nurse acts on."""

    intervention_code: str
    rule: str
    severity: Severity  # "warning": the plan says avoid this; "caution": take extra care
    title: str
    message: str
    factors: tuple[str, ...] = ()  # risk factor codes behind it
    strategies: tuple[str, ...] = ()  # what the plan says to do, one line per factor
    source: str = ""


@dataclass(frozen=True)
class _Rule:
    name: str
    codes: frozenset[str]
    factors: frozenset[str]
    severity: Severity
    why: str
    source: str


# Order matters: a risk factor is reported once per intervention, by the first rule naming it.
_RULES: Final[tuple[_Rule, ...]] = (
    _Rule(
        "position_risk",
        frozenset({PRONE, SUPINE}),
        frozenset({RESPIRATORY, HEART_DISEASE, PREGNANCY, OBESITY}),
        "warning",
        "Lying face down or face up restricts the chest and can block the airway: avoid it, or "
        "keep it as short as possible with one person watching breathing and the airway.",
        "standard 2.3.XIV, 2.5",
    ),
    _Rule(
        "rapid_tranquillisation_qtc",
        frozenset({RAPID_TRANQUILLISATION}),
        frozenset({PROLONGED_QTC}),
        "warning",
        "Antipsychotic medication can lengthen the QTc interval further and cause a dangerous "
        "heart rhythm: a doctor must choose the medicine with the ECG in mind.",
        "standard 2.5, 2.5.1.II",
    ),
    _Rule(
        "chemical_qtc",
        CHEMICAL_RESTRAINT_CODES - {RAPID_TRANQUILLISATION},
        frozenset({PROLONGED_QTC}),
        "caution",
        "Check with the prescriber that the medicine does not lengthen the QTc interval.",
        "standard 2.5, 2.5.1.II",
    ),
    _Rule(
        "rapid_tranquillisation_higher_risk",
        frozenset({RAPID_TRANQUILLISATION}),
        frozenset({STIMULANT_INTOXICATION, DRUGS_ALCOHOL, HEART_DISEASE, RESPIRATORY}),
        "caution",
        "This is a higher-risk case: check vital signs, hydration and consciousness every "
        "15 minutes after rapid tranquillisation.",
        "NICE NG10; NICE QS154 statement 4",
    ),
    _Rule(
        "medication_interaction",
        CHEMICAL_RESTRAINT_CODES,
        frozenset({MEDICATION}),
        "caution",
        "Check for interactions with the medication the plan names before giving more.",
        "standard 2.5.1.II",
    ),
    _Rule(
        "exertion",
        RESTRAINT_CODES,
        frozenset(
            {
                STIMULANT_INTOXICATION,
                DRUGS_ALCOHOL,
                LARGE_MUSCLE_BULK,
                HEART_DISEASE,
                HIGH_BLOOD_PRESSURE,
                DIABETES,
                OBESITY,
                RESPIRATORY,
            }
        ),
        "caution",
        "A struggle puts extra strain on the heart and breathing: keep the hold as short as "
        "possible and watch breathing, colour and consciousness throughout.",
        "standard 2.3.XIV, 2.5",
    ),
    _Rule(
        "joint_or_fracture",
        RESTRAINT_CODES,
        frozenset({JOINT_IMPAIRMENT, FRACTURE_RISK}),
        "caution",
        "Holds on the limbs and joints can injure them or cause a fracture: avoid pressure on "
        "the joints the plan names.",
        "standard 2.5",
    ),
)


def _list_words(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _clean_codes(intervention_codes: Iterable[str]) -> list[str]:
    """The codes in the order given, each once, two-digit; unknown codes are skipped (the
    recording form validates them; a warning must never fail)."""
    seen: list[str] = []
    for code in intervention_codes:
        try:
            clean = normalise_code(str(code))
        except ValueError:
            continue
        if clean not in seen:
            seen.append(clean)
    return seen


def restraint_warnings(plan: PlanLike, intervention_codes: Iterable[str]) -> list[RestraintWarning]:
    """Every conflict between the interventions used (MHSDS RestrictiveIntType codes) and the
    plan: positions the person asked not to be held in, and restraint that a recorded physical
    health risk factor makes dangerous. No plan, no warnings (the form says there is no plan)."""
    facts = _facts(plan)
    if facts is None:
        return []
    warnings: list[RestraintWarning] = []
    for code in _clean_codes(intervention_codes):
        name = INTERVENTION_NAMES[code]
        if code in facts.positions_to_avoid:
            words = (
                f" In their words: “{facts.persons_words.strip()}”"
                if facts.persons_words.strip()
                else ""
            )
            warnings.append(
                RestraintWarning(
                    intervention_code=code,
                    rule="asked_not_to_be_held",
                    severity="warning",
                    title=f"They asked not to have {name}",
                    message=(
                        f"The person asked, in {facts.described}, not to have {name}. "
                        "Their choice is followed unless the risk at the time does not allow "
                        f"it: if it was used, record why.{words}"
                    ),
                    source="standard 2.3.II, 2.3.V",
                )
            )
        claimed: set[str] = set()
        for rule in _RULES:
            if code not in rule.codes:
                continue
            matched = [
                f for f in facts.risk_factors if f.code in rule.factors and f.code not in claimed
            ]
            if not matched:
                continue
            claimed.update(f.code for f in matched)
            labels = [f.label[0].lower() + f.label[1:] for f in matched]
            title = (
                f"{name[0].upper()}{name[1:]} is risky for this person"
                if rule.severity == "warning"
                else f"Take extra care with {name}"
            )
            warnings.append(
                RestraintWarning(
                    intervention_code=code,
                    rule=rule.name,
                    severity=rule.severity,
                    title=title,
                    message=f"{facts.described[0].upper()}{facts.described[1:]} records "
                    f"{_list_words(labels)}. {rule.why}",
                    factors=tuple(f.code for f in matched),
                    strategies=tuple(
                        f"{f.label}: {f.strategies.strip()}"
                        for f in matched
                        if f.strategies.strip()
                    ),
                    source=rule.source,
                )
            )
    # Warnings before cautions; within each, the order the interventions were given.
    return sorted(warnings, key=lambda warning: warning.severity != "warning")


def types_in_plan(plan: PlanLike, intervention_codes: Iterable[str]) -> bool | None:
    """Use of Force Act s.6(5)(d): did the types of force used form part of the care plan?

    True when every type used is among the plan's agreed (preferred or less preferred)
    interventions, False when any is not. None when there is nothing to answer from: no plan
    in RRP (the person may have a paper plan, standard 2.4.VII) or no types recorded yet; the
    form then asks the person recording.
    """
    facts = _facts(plan)
    codes = _clean_codes(intervention_codes)
    if facts is None or not codes:
        return None
    return all(code in facts.planned_codes for code in codes)


def codes_not_in_plan(plan: PlanLike, intervention_codes: Iterable[str]) -> list[str]:
    """The types used that the plan does not agree, so the form can name them."""
    facts = _facts(plan)
    if facts is None:
        return []
    return [code for code in _clean_codes(intervention_codes) if code not in facts.planned_codes]
