"""Live figures for the trainers' statements (3.5.I-V, X-XIII), from the portfolios and the
providers, shown beside each statement of the self-assessment."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from rrp.standards.indicators import IndicatorPeriod, indicators_for, registered
from rrp.trainers import indicators

from .conftest import LONDON, NOW

CATALOGUE = Path(indicators.__file__).parents[1] / "standards" / "data" / "nms-2019-12.json"
D = dt.date


def _period(end: dt.datetime = NOW) -> IndicatorPeriod:
    return IndicatorPeriod(dt.datetime(2025, 4, 1, tzinfo=LONDON), end)


def test_every_trainers_indicator_measures_a_statement_of_the_catalogue() -> None:
    ids = {s["id"] for s in json.loads(CATALOGUE.read_text())["statements"]}
    ours = [i for i in registered() if i.compute.__module__ == indicators.__name__]
    assert len(ours) == 9
    for indicator in ours:
        assert set(indicator.statement_ids) <= ids, indicator.key
    for ref in ("3.5.I", "3.5.II", "3.5.III", "3.5.IV", "3.5.V", "3.5.X", "3.5.XI",
                "3.5.XII", "3.5.XIII"):
        assert any(i.compute.__module__ == indicators.__name__ for i in indicators_for(ref))


def test_nothing_to_measure_without_trainers(db: None, organisation: Any, clock: Any) -> None:
    result = indicators.portfolio_reviewed(organisation, _period())
    assert (result.value, result.denominator) == (None, 0)
    assert indicators.provider_indemnity(organisation, _period()).value is None


def test_trainer_figures(make_trainer: Any, make_provider: Any, review: Any, observe: Any,
                         add_entry: Any, organisation: Any) -> None:
    ada = make_trainer("Ada")
    review(ada, on=D(2025, 6, 1))
    add_entry(ada, "annual_update", on=D(2025, 9, 1))
    observe(ada, on=D(2025, 10, 1))
    ben = make_trainer("Ben", code_of_conduct_accepted_on=None, teaching_qualification="")
    review(ben, on=D(2025, 3, 1))  # overdue since 2 March 2026
    add_entry(ben, "annual_update", on=D(2025, 2, 1))  # lapsed
    make_trainer("Cat", stopped_teaching_on=D(2026, 1, 1))  # no longer teaching: not counted
    provider = make_provider("Calm Training Ltd")
    dee = make_trainer("Dee", provider_id=provider.pk)
    review(dee, on=D(2026, 1, 5))
    observe(dee, on=D(2026, 1, 6))

    reviewed = indicators.portfolio_reviewed(organisation, _period())
    assert (reviewed.numerator, reviewed.denominator) == (1, 2)  # internal: Ada of Ada, Ben
    assert "1 of 2 internal trainers teaching on 10 March 2026" in reviewed.text
    conduct = indicators.code_of_conduct(organisation, _period())
    assert (conduct.numerator, conduct.denominator) == (2, 3)
    teaching = indicators.teaching_skills(organisation, _period())
    assert (teaching.numerator, teaching.denominator) == (2, 3)
    add_entry(ben, "teaching_qualification", on=D(2025, 1, 1))
    teaching = indicators.teaching_skills(organisation, _period())
    assert teaching.numerator == 3  # a portfolio entry counts as the evidence too
    update = indicators.annual_update(organisation, _period())
    assert (update.numerator, update.denominator) == (1, 3)
    monitored = indicators.competency_monitoring(organisation, _period())
    assert (monitored.numerator, monitored.denominator) == (2, 3)
    # On 1 December 2025 Ben's review was in date, and Cat still taught (never reviewed).
    earlier = indicators.portfolio_reviewed(
        organisation, _period(dt.datetime(2025, 12, 1, tzinfo=LONDON)))
    assert (earlier.numerator, earlier.denominator) == (2, 3)


def test_provider_figures(make_provider: Any, organisation: Any) -> None:
    make_provider("Calm Training Ltd", certifying_body="BILD ACT", certificate_number="BA-1",
                  certificate_valid_until=D(2027, 1, 1), affiliate_registered_on=D(2024, 1, 1),
                  indemnity_clarified_on=D(2025, 5, 1), indemnity_valid_until=D(2026, 4, 30),
                  indemnity_evidence="Certificate seen", trainer_evidence="CVs seen",
                  competency_framework="Observed yearly")
    make_provider("Lapsed Ltd", indemnity_clarified_on=D(2024, 5, 1),
                  indemnity_valid_until=D(2025, 4, 30), indemnity_evidence="Certificate seen")
    make_provider("Gone Ltd", ended_on=D(2026, 1, 1))  # no longer used: not counted
    evidence = indicators.provider_trainer_evidence(organisation, _period())
    assert (evidence.numerator, evidence.denominator) == (1, 2)
    indemnity = indicators.provider_indemnity(organisation, _period())
    assert (indemnity.numerator, indemnity.denominator) == (1, 2)
    certified = indicators.provider_certified(organisation, _period())
    assert (certified.numerator, certified.denominator) == (1, 2)
    # Providers added to RRP after the period were not counted in it.
    before = indicators.provider_indemnity(
        organisation, _period(dt.datetime(2026, 3, 10, tzinfo=LONDON)))
    assert before.denominator == 0
