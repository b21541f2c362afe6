"""The use of force form warns, without blocking, when what was done conflicts with the
person's safety plan (standard 2.3.XIV, 2.3.V, 2.5). Pure rules: plan facts in, warnings out."""

from __future__ import annotations

import datetime as dt

from rrp.careplans.warnings import PlanFacts, RiskFactorFact, restraint_warnings

ASTHMA = RiskFactorFact(
    "respiratory", "Asthma, blue inhaler", "Inhaler to hand; no pressure on the chest"
)


def plan(
    *factors: RiskFactorFact, avoid: frozenset[str] = frozenset(), words: str = ""
) -> PlanFacts:
    return PlanFacts(
        version=3,
        signed_on=dt.date(2026, 3, 2),
        risk_factors=factors,
        preferred=frozenset({"07"}),
        less_preferred=frozenset({"10"}),
        positions_to_avoid=avoid,
        persons_words=words,
    )


def test_prone_restraint_for_a_person_with_asthma_is_a_warning() -> None:
    warnings = restraint_warnings(plan(ASTHMA), ["01"])
    assert len(warnings) == 1
    warning = warnings[0]
    assert warning.severity == "warning"
    assert warning.intervention_code == "01"
    assert warning.title == "Prone restraint (face down) is risky for this person"
    assert "version 3, signed 2 March 2026" in warning.message
    assert "asthma or another respiratory condition" in warning.message
    assert warning.strategies == (
        "Asthma or another respiratory condition: Inhaler to hand; no pressure on the chest",
    )
    assert warning.factors == ("respiratory",)


def test_supine_restraint_conflicts_with_heart_disease_pregnancy_and_obesity() -> None:
    factors = [RiskFactorFact(code) for code in ("heart_disease", "pregnancy", "obesity")]
    warnings = restraint_warnings(plan(*factors), ["09"])
    assert [w.rule for w in warnings] == ["position_risk"]
    assert set(warnings[0].factors) == {"heart_disease", "pregnancy", "obesity"}
    assert "heart disease, pregnancy and obesity" in warnings[0].message


def test_standing_restraint_with_asthma_asks_for_care_but_is_not_a_conflict() -> None:
    warnings = restraint_warnings(plan(ASTHMA), ["07"])
    assert [(w.rule, w.severity) for w in warnings] == [("exertion", "caution")]


def test_a_position_the_person_asked_not_to_be_held_in_is_a_warning_in_their_words() -> None:
    facts = plan(avoid=frozenset({"01"}), words="I was held face down before and couldn't breathe")
    warnings = restraint_warnings(facts, ["07", "01"])
    assert [w.rule for w in warnings] == ["asked_not_to_be_held"]
    assert warnings[0].title == "They asked not to have prone restraint (face down)"
    assert "I was held face down before and couldn't breathe" in warnings[0].message


def test_rapid_tranquillisation_with_a_prolonged_qtc_is_a_warning() -> None:
    qtc = RiskFactorFact(
        "prolonged_qtc", "QTc 480 ms on admission ECG", "Avoid haloperidol; ECG first"
    )
    warnings = restraint_warnings(plan(qtc), ["14"])
    assert [(w.rule, w.severity) for w in warnings] == [("rapid_tranquillisation_qtc", "warning")]
    assert warnings[0].strategies == ("Prolonged QTc interval: Avoid haloperidol; ECG first",)


def test_oral_medication_with_a_prolonged_qtc_is_a_caution() -> None:
    warnings = restraint_warnings(plan(RiskFactorFact("prolonged_qtc")), ["16"])
    assert [(w.rule, w.severity) for w in warnings] == [("chemical_qtc", "caution")]


def test_rapid_tranquillisation_after_stimulants_asks_for_checks_every_15_minutes() -> None:
    warnings = restraint_warnings(plan(RiskFactorFact("stimulant_intoxication")), ["14"])
    assert [w.rule for w in warnings] == ["rapid_tranquillisation_higher_risk"]
    assert "every 15 minutes" in warnings[0].message


def test_joint_and_fracture_risks_are_named_for_any_hold() -> None:
    factors = (RiskFactorFact("joint_impairment"), RiskFactorFact("fracture_risk"))
    warnings = restraint_warnings(plan(*factors), ["12"])
    assert [w.rule for w in warnings] == ["joint_or_fracture"]
    assert warnings[0].factors == ("joint_impairment", "fracture_risk")


def test_each_risk_factor_is_reported_once_per_intervention() -> None:
    warnings = restraint_warnings(plan(ASTHMA, RiskFactorFact("heart_disease")), ["01"])
    named = [f for w in warnings for f in w.factors]
    assert sorted(named) == ["heart_disease", "respiratory"]


def test_warnings_come_before_cautions_whatever_the_order_of_interventions() -> None:
    warnings = restraint_warnings(plan(ASTHMA), ["07", "01"])
    assert [w.severity for w in warnings] == ["warning", "caution"]
    assert [w.intervention_code for w in warnings] == ["01", "07"]


def test_no_plan_or_no_conflict_gives_no_warnings() -> None:
    assert restraint_warnings(None, ["01"]) == []
    assert restraint_warnings(plan(), ["01", "14"]) == []
    assert restraint_warnings(plan(ASTHMA), []) == []


def test_codes_are_read_as_the_form_sends_them_and_unknown_ones_are_skipped() -> None:
    assert [w.intervention_code for w in restraint_warnings(plan(ASTHMA), ["1", "02", "xx"])] == [
        "01"
    ]


def test_a_stored_plan_version_can_be_passed_as_it_is() -> None:
    class Stored:
        def plan_facts(self) -> PlanFacts:
            return plan(ASTHMA)

    assert [w.rule for w in restraint_warnings(Stored(), ["01"])] == ["position_risk"]
