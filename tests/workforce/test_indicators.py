"""Live figures for the training statements (1.3, 1.8, 1.9, 2.1, 2.5.2.I-II, 3.4), from the
register, the training records and the TNA, shown beside each statement of the
self-assessment."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from rrp.standards.indicators import IndicatorPeriod, indicators_for, registered
from rrp.workforce import indicators
from rrp.workforce.inputs import TnaRequirementInput

from .conftest import LONDON, NOW, TODAY

CATALOGUE = Path(indicators.__file__).parents[1] / "standards" / "data" / "nms-2019-12.json"


def _period(start: dt.date = dt.date(2025, 4, 1), wards: Any = None) -> IndicatorPeriod:
    return IndicatorPeriod(dt.datetime.combine(start, dt.time.min, tzinfo=LONDON), NOW,
                           wards=wards)


def test_every_training_indicator_measures_a_statement_of_the_catalogue() -> None:
    ids = {s["id"] for s in json.loads(CATALOGUE.read_text())["statements"]}
    ours = [i for i in registered() if i.compute.__module__ == indicators.__name__]
    assert len(ours) >= 10
    for indicator in ours:
        assert set(indicator.statement_ids) <= ids, indicator.key
    assert {i.key for i in indicators_for("1.9.II")} >= {
        "bank-staff-training-in-date", "agency-staff-training-in-date"}


@pytest.fixture
def ward_team(standard_courses: dict[str, Any], make_staff: Any, train: Any) -> dict[str, Any]:
    c = standard_courses
    recent = TODAY - dt.timedelta(days=40)
    old = TODAY - dt.timedelta(days=400)
    nurse = make_staff("Nurse", qualified=True)
    assistant = make_staff("Assistant")
    bank = make_staff("Bank", employment="bank")
    agency = make_staff("Agency", employment="agency")
    for course in (c["prevention"], c["physical"], c["bls"], c["ils"]):
        train(nurse, course, on=recent)
    train(assistant, c["prevention"], on=recent)
    train(assistant, c["bls"], on=old)  # expired
    train(bank, c["prevention"], on=recent)
    train(bank, c["physical"], on=recent)
    train(bank, c["bls"], on=recent)
    return {"nurse": nurse, "assistant": assistant, "bank": bank, "agency": agency}


def test_training_in_date(ward_team: dict[str, Any], organisation: Any) -> None:
    prevention = indicators.prevention_training(organisation, _period())
    assert (prevention.numerator, prevention.denominator) == (3, 4)
    bls = indicators.basic_life_support(organisation, _period())
    assert (bls.numerator, bls.denominator) == (2, 4)
    physical = indicators.physical_training(organisation, _period())
    assert (physical.numerator, physical.denominator) == (2, 4)
    every = indicators.all_training(organisation, _period())
    assert (every.numerator, every.denominator) == (8, 13)  # 4 x 3 courses, ILS for the nurse
    assert "8 of 13 required courses in date on 10 March 2026" in every.text


def test_bank_and_agency_staff_apart(ward_team: dict[str, Any], organisation: Any) -> None:
    [bank] = [i for i in indicators_for("1.9.II") if i.key == "bank-staff-training-in-date"]
    [agency] = [i for i in indicators_for("1.9.II") if i.key == "agency-staff-training-in-date"]
    bank_result = bank.compute(organisation, _period())
    agency_result = agency.compute(organisation, _period())
    assert (bank_result.numerator, bank_result.denominator) == (3, 3)
    assert (agency_result.numerator, agency_result.denominator) == (0, 3)
    assert "agency staff" in agency_result.text


def test_immediate_life_support_counts_every_registered_person(
    ward_team: dict[str, Any], make_staff: Any, organisation: Any
) -> None:
    make_staff("Second nurse", qualified=True)
    result = indicators.immediate_life_support(organisation, _period())
    assert (result.numerator, result.denominator) == (1, 2)


def test_section_2_figures_keep_to_the_wards_in_scope(
    ward_team: dict[str, Any], make_ward: Any, organisation: Any
) -> None:
    elm = make_ward(code="ELM", name="Elm Ward")
    result = indicators.basic_life_support(organisation, _period(wards=frozenset({elm.pk})))
    assert result.value is None and result.denominator == 0


def test_the_figures_follow_the_tna_in_force(ward_team: dict[str, Any], make_tna: Any,
                                             organisation: Any) -> None:
    make_tna([TnaRequirementInput(course="BLS", staff_group="qualified")])
    bls = indicators.basic_life_support(organisation, _period())
    assert (bls.numerator, bls.denominator) == (1, 1)


def test_induction_within_six_weeks(standard_courses: dict[str, Any], make_staff: Any,
                                    train: Any, organisation: Any) -> None:
    prevention = standard_courses["prevention"]
    quick = make_staff("Quick", start_date=dt.date(2025, 10, 1))
    train(quick, prevention, on=dt.date(2025, 10, 20))
    slow = make_staff("Slow", start_date=dt.date(2025, 10, 1))
    train(slow, prevention, on=dt.date(2025, 12, 20))
    peer = make_staff("Peer", employment="peer_support", start_date=dt.date(2025, 11, 3))
    train(peer, prevention, on=dt.date(2025, 11, 10))
    make_staff("Too new to count", start_date=TODAY - dt.timedelta(days=10))
    make_staff("Started before the period", start_date=dt.date(2024, 1, 1))
    result = indicators.induction(organisation, _period())
    assert (result.numerator, result.denominator) == (2, 3)
    lived = indicators.induction_lived_experience(organisation, _period())
    assert (lived.numerator, lived.denominator) == (1, 1)


def test_a_tna_in_force_and_reviewed_within_a_year(
    make_tna: Any, make_course: Any, organisation: Any, clock: Any
) -> None:
    make_course("RRN-L2")
    none = indicators.analysis_in_force(organisation, _period())
    assert (none.value, none.numerator, none.denominator) == (0.0, 0, 1)
    make_tna([TnaRequirementInput(course="RRN-L2")])
    clock.move_to(dt.datetime(2026, 6, 1, 9, 0, tzinfo=LONDON))
    later = IndicatorPeriod(_period().start, dt.datetime(2026, 6, 1, 9, 0, tzinfo=LONDON))
    result = indicators.analysis_in_force(organisation, later)
    assert (result.numerator, result.denominator) == (1, 1)
    assert "agreed with Calm Training Ltd" in result.text
    # A period that ended before the sign-off had none in force.
    before = IndicatorPeriod(_period().start, dt.datetime(2026, 3, 1, tzinfo=LONDON))
    assert indicators.analysis_in_force(organisation, before).numerator == 0
    clock.move_to(dt.datetime(2027, 4, 1, 9, 0, tzinfo=LONDON))
    overdue = indicators.analysis_in_force(
        organisation, IndicatorPeriod(_period().start, dt.datetime(2027, 4, 1, tzinfo=LONDON)))
    assert overdue.numerator == 0 and "overdue" in overdue.text
