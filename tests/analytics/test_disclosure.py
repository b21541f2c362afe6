"""Tests for rrp.analytics.disclosure: every expected value is worked out by hand in a comment."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rrp.analytics.disclosure import (
    HES,
    MHSDS,
    RULES,
    SUPPRESSED,
    SuppressionRule,
    feasible_ranges,
    half_up,
    recoverable_cells,
    rule_by_name,
    suppress_count,
    suppress_percentage,
    suppress_rate,
    suppress_table,
)

# --- half_up ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "base", "expected"),
    [
        (12.5, 1, 13),  # round(12.5) == 12 (half to even); NHS publications give 13
        (Decimal("12.5"), 5, 15),  # 12.5 / 5 = 2.5 -> 3 -> 15 (the reference document's case)
        (17.5, 1, 18),
        (2.5, 1, 3),  # round(2.5) == 2
        (0.5, 1, 1),  # round(0.5) == 0
        (0.49999, 1, 0),
        (2.675, 1, 3),
        (22.5, 5, 25),  # 4.5 -> 5 -> 25 (round(4.5) * 5 == 20)
        (7.5, 5, 10),  # 1.5 -> 2 -> 10
        (12, 5, 10),  # 2.4 -> 2 -> 10
        (13, 5, 15),  # 2.6 -> 3 -> 15
        (1234, 5, 1235),  # 246.8 -> 247 -> 1235
        (-2.5, 1, -3),  # ROUND_HALF_UP is half away from zero, symmetric about 0
        (Decimal("0.125"), 1, 0),
    ],
)
def test_half_up(x: float | Decimal, base: int, expected: int) -> None:
    assert half_up(x, base) == expected


def test_half_up_differs_from_builtin_round() -> None:
    assert round(12.5) == 12 and half_up(12.5) == 13


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), Decimal("NaN")])
def test_half_up_rejects_non_finite(bad: float | Decimal) -> None:
    with pytest.raises(ValueError):
        half_up(bad)


def test_half_up_rejects_bad_base() -> None:
    with pytest.raises(ValueError):
        half_up(3, 0)


# --- counts -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "*"),  # MHSDS hides 0 with 1-4
        (1, "*"),
        (4, "*"),
        (5, 5),  # 5/5 = 1 -> 5
        (7, 5),  # 1.4 -> 1 -> 5
        (8, 10),  # 1.6 -> 2 -> 10
        (12, 10),  # 2.4 -> 2 -> 10
        (13, 15),  # 2.6 -> 3 -> 15
        (17, 15),  # 3.4 -> 3 -> 15
        (18, 20),
        (22, 20),
        (23, 25),
        (100, 100),
    ],
)
def test_suppress_count_mhsds(n: int, expected: str | int) -> None:
    assert suppress_count(n) == expected
    assert suppress_count(n, MHSDS) == expected


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, 0),  # HES shows zero
        (1, "*"),
        (5, "*"),
        (7, "*"),  # 1-7 hidden
        (8, 10),  # 1.6 -> 2 -> 10
        (12, 10),
        (13, 15),
        (17, 15),
        (18, 20),
    ],
)
def test_suppress_count_hes(n: int, expected: str | int) -> None:
    assert suppress_count(n, HES) == expected


def test_suppress_count_validates() -> None:
    with pytest.raises(ValueError):
        suppress_count(-1)
    with pytest.raises(TypeError):
        suppress_count(2.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        suppress_count(True)


# --- rules --------------------------------------------------------------------------------


def test_rule_presets() -> None:
    assert MHSDS.count_threshold == 5 and not MHSDS.show_zero and MHSDS.rounding_base == 5
    assert MHSDS.rate_min_bed_days == 100
    assert HES.count_threshold == 8 and HES.show_zero and HES.rounding_base == 5
    assert RULES == {"MHSDS": MHSDS, "HES": HES}
    assert MHSDS.symbol == SUPPRESSED == "*"


def test_rule_by_name() -> None:
    assert rule_by_name("MHSDS") is MHSDS
    assert rule_by_name(" mhsds ") is MHSDS
    assert rule_by_name("hes") is HES
    with pytest.raises(ValueError, match="unknown suppression rule"):
        rule_by_name("ONS")


def test_rule_is_frozen_and_validated() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        MHSDS.count_threshold = 3  # type: ignore[misc]
    with pytest.raises(ValueError):
        # threshold 1 with rounding to 5 would publish a count of 1 or 2 as "0"
        SuppressionRule(name="bad", count_threshold=1, show_zero=True, rounding_base=5)
    with pytest.raises(ValueError):
        SuppressionRule(name="bad", count_threshold=5, show_zero=False, rounding_base=0)


def test_is_small() -> None:
    assert [n for n in range(12) if MHSDS.is_small(n)] == [0, 1, 2, 3, 4]
    assert [n for n in range(12) if HES.is_small(n)] == [1, 2, 3, 4, 5, 6, 7]


# --- rates --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("interventions", "people", "bed_days", "expected"),
    [
        (25, 5, 2000, 13),  # 25 / 2000 * 1000 = 12.5 -> 13 (round() would give 12)
        (35, 5, 2000, 18),  # 17.5 -> 18
        (5, 5, 400, 13),  # 5 / 400 * 1000 = 12.5 -> 13
        (13, 6, 1000, 13),  # 13.0
        (7, 5, 3000, 2),  # 2.333 -> 2
        (5, 5, 100, 50),  # bed days exactly 100: shown
        (5, 5, 99, "*"),  # bed days 99: below the floor
        (5, 5, Decimal("99.5"), "*"),
        (5, 5, 100.0, 50),
        (10, 4, 1000, "*"),  # people 4
        (10, 5, 1000, 10),  # people 5
        (4, 4, 1000, "*"),  # interventions 4
        (0, 0, 1000, "*"),  # MHSDS hides 0
        (1, 1, 50, "*"),
    ],
)
def test_suppress_rate_mhsds(
    interventions: int, people: int, bed_days: int | float | Decimal, expected: str | int
) -> None:
    assert suppress_rate(interventions, people, bed_days) == expected


def test_suppress_rate_per_and_hes() -> None:
    # per 100 bed days: 25 / 2000 * 100 = 1.25 -> 1
    assert suppress_rate(25, 5, 2000, per=100) == 1
    # HES: 7 people or interventions hidden, 8 shown: 8 / 1000 * 1000 = 8
    assert suppress_rate(8, 7, 1000, rule=HES) == "*"
    assert suppress_rate(7, 7, 1000, rule=HES) == "*"
    assert suppress_rate(8, 8, 1000, rule=HES) == 8
    # HES shows zero, so a zero rate is shown too; 0 bed days can never give a rate
    assert suppress_rate(0, 0, 500, rule=HES) == 0
    assert suppress_rate(0, 0, 0, rule=HES) == "*"
    assert suppress_rate(8, 8, 99, rule=HES) == "*"


def test_suppress_rate_validates() -> None:
    with pytest.raises(ValueError):
        suppress_rate(5, 5, -1)
    with pytest.raises(ValueError):
        suppress_rate(-5, 5, 1000)
    with pytest.raises(ValueError):
        suppress_rate(5, 5, 1000, per=0)


# --- percentages --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (1, 4, "*"),
        (4, 100, "*"),  # numerator 4
        (5, 100, 5),  # numerator 5: 5%
        (4, 4, "*"),  # denominator 4
        (5, 5, 100),  # denominator 5
        (5, 8, 63),  # 62.5 -> 63 (round() would give 62)
        (7, 40, 18),  # 17.5 -> 18
        (10, 30, 33),  # 33.33 -> 33
        (20, 30, 67),  # 66.67 -> 67
        (0, 100, "*"),  # MHSDS: 0 is below 5
    ],
)
def test_suppress_percentage_mhsds(numerator: int, denominator: int, expected: str | int) -> None:
    assert suppress_percentage(numerator, denominator) == expected


def test_suppress_percentage_hes_and_validation() -> None:
    assert suppress_percentage(0, 10, HES) == 0  # zero shown, denominator 10 not small
    assert suppress_percentage(0, 0, HES) == "*"  # undefined
    assert suppress_percentage(7, 10, HES) == "*"
    assert suppress_percentage(8, 10, HES) == 80
    with pytest.raises(ValueError):
        suppress_percentage(6, 5)


# --- table suppression: hand-worked cases -------------------------------------------------


def test_single_small_cell_gets_a_complement() -> None:
    # A=3 is primary. Rounding alone would give A in [max(0, 33-12-22), min(4, 37-8-18)]
    # = [0, 4] (B=10 means 8..12, C=20 means 18..22, total 35 means 33..37), but a lone "*"
    # always gets a complement: the next smallest cell, B.
    table = suppress_table({"A": 3, "B": 10, "C": 20})
    assert dict(table.cells) == {"A": "*", "B": "*", "C": 20}
    assert table.total == 35
    assert table.primary == {"A"}
    assert table.secondary == {"B"}
    assert table.suppressed == {"A", "B"}
    assert not table.total_suppressed
    assert table.residual_risk == frozenset()


def test_primary_only_table_leaks_with_exact_total() -> None:
    # A=4 hidden, B=7 shown as 5 (so 5..7), exact total 11: A = 11 - B is 4..6, and "*"
    # means at most 4, so A = 4 exactly.
    assert recoverable_cells({"A": "*", "B": 5}, 11, total_exact=True) == {"A"}
    assert feasible_ranges({"A": "*", "B": 5}, 11, total_exact=True) == {
        "A": (4, 4),
        "B": (7, 7),
    }
    # With only the rounded total (10, i.e. 8..12): A in [max(0, 8-7), min(4, 12-5)] = [1, 4].
    assert recoverable_cells({"A": "*", "B": 5}, 10) == set()
    # suppress_table hides B as well; A is then in [0, min(4, 11-5)] = [0, 4].
    table = suppress_table({"A": 4, "B": 7}, exact_total_known=True)
    assert dict(table.cells) == {"A": "*", "B": "*"}
    assert table.secondary == {"B"}
    assert table.residual_risk == frozenset()
    assert recoverable_cells(table.cells, 11, total_exact=True, secondary=table.secondary) == set()


def test_two_small_cells_summing_to_the_top_of_their_range_hide_the_total() -> None:
    # A=4, B=4: total 8 is published as 10 (8..12). Each "*" is at most 4, so A >= 8-4 = 4:
    # both are recoverable and there is no other cell to hide, so the total is hidden.
    assert recoverable_cells({"A": "*", "B": "*"}, 10) == {"A", "B"}
    table = suppress_table({"A": 4, "B": 4})
    assert dict(table.cells) == {"A": "*", "B": "*"}
    assert table.total == "*"
    assert table.total_suppressed
    assert table.secondary == frozenset()
    # hidden total known to be a complement: 5 or more, so A in [max(0, 5-4), 4] = [1, 4]
    assert recoverable_cells(table.cells, "*", total_secondary=True) == set()


def test_two_primaries_need_no_complement() -> None:
    # A=2, B=3 hidden; C=50 (48..52); total 55 (53..57).
    # A in [max(0, 53-4-52), min(4, 57-0-48)] = [0, 4]; likewise B.
    table = suppress_table({"A": 2, "B": 3, "C": 50})
    assert dict(table.cells) == {"A": "*", "B": "*", "C": 50}
    assert table.total == 55
    assert table.secondary == frozenset()


def test_zero_is_primary_under_mhsds() -> None:
    table = suppress_table({"A": 0, "B": 12, "C": 30})
    assert dict(table.cells) == {"A": "*", "B": "*", "C": 30}
    assert table.primary == {"A"} and table.secondary == {"B"}
    assert table.total == 40  # 42 -> 8.4 -> 8 -> 40


def test_hes_zero_cells_are_exact_and_never_complements() -> None:
    # A published 0 is exact: beside a single "*" and an exact total 3, the "*" is 3.
    assert recoverable_cells({"A": "*", "B": 0}, 3, HES, total_exact=True) == {"A"}
    # The complement for A=3 is C=8 (smallest non-zero), not the zero cell B.
    table = suppress_table({"A": 3, "B": 0, "C": 8, "D": 40}, rule=HES)
    assert dict(table.cells) == {"A": "*", "B": 0, "C": "*", "D": 40}
    assert table.secondary == {"C"}
    assert table.total == 50  # 51 -> 10.2 -> 10 -> 50


def test_hes_only_zeros_beside_small_cell() -> None:
    # Nothing to use as a complement; the total 3 is itself hidden ("*" = 1..7), so A is 1..7.
    table = suppress_table({"A": 3, "B": 0, "C": 0}, rule=HES)
    assert dict(table.cells) == {"A": "*", "B": 0, "C": 0}
    assert table.total == "*"
    assert table.residual_risk == frozenset()


def test_residual_risk_when_exact_total_pins_a_cell() -> None:
    # The exact total 3 is public and the only other cell is a (HES-published) 0: A = 3 no
    # matter what this table does. Reported, not hidden.
    table = suppress_table({"A": 3, "B": 0}, rule=HES, exact_total_known=True)
    assert table.residual_risk == {"A"}
    # MHSDS, exact total 0: every cell is 0.
    table = suppress_table({"A": 0, "B": 0}, exact_total_known=True)
    assert table.residual_risk == {"A", "B"}


def test_table_keys_can_be_tuples_and_order_is_kept() -> None:
    cells = {("Ward 1", "prone"): 30, ("Ward 1", "supine"): 2, ("Ward 1", "seated"): 9}
    table = suppress_table(cells)
    assert list(table.cells) == list(cells)
    assert table.cells[("Ward 1", "supine")] == "*"
    assert table.cells[("Ward 1", "seated")] == "*"  # the complement
    assert table.cells[("Ward 1", "prone")] == 30


def test_table_validation() -> None:
    with pytest.raises(ValueError, match="differs from the sum"):
        suppress_table({"A": 1, "B": 9}, total=12)
    with pytest.raises(ValueError):
        suppress_table({"A": -1})
    table = suppress_table({"A": 6, "B": 9}, total=15)
    assert dict(table.cells) == {"A": 5, "B": 10} and table.total == 15
    with pytest.raises(TypeError):
        table.cells["A"] = 0  # type: ignore[index]


def test_feasible_ranges_rejects_impossible_publications() -> None:
    with pytest.raises(ValueError):
        feasible_ranges({"A": 7}, 10)  # not a multiple of 5
    with pytest.raises(ValueError):
        feasible_ranges({"A": 0}, 10)  # MHSDS never publishes 0
    with pytest.raises(ValueError):
        feasible_ranges({"A": 50, "B": 50}, 20)  # cells exceed the total
    with pytest.raises(ValueError):
        feasible_ranges({"A": 50}, 50, secondary=["A"])  # a complement must be "*"


def test_feasible_range_of_shown_values() -> None:
    # MHSDS 5 means 5..7 (3, 4 would be "*"); 10 means 8..12; HES 10 means 8..12 too, but
    # HES 5 is impossible (5, 6, 7 are hidden).
    assert feasible_ranges({"A": 5, "B": 10}, None) == {"A": (5, 7), "B": (8, 12)}
    assert feasible_ranges({"A": 10, "B": 0}, None, HES) == {"A": (8, 12), "B": (0, 0)}
    with pytest.raises(ValueError):
        feasible_ranges({"A": 5}, None, HES)


# --- property tests -----------------------------------------------------------------------

counts = st.one_of(st.integers(0, 9), st.integers(0, 60))
rules = st.sampled_from([MHSDS, HES])


@settings(max_examples=400, deadline=None)
@given(values=st.lists(counts, min_size=1, max_size=8), rule=rules, exact=st.booleans())
def test_no_suppressed_cell_is_recoverable(
    values: list[int], rule: SuppressionRule, exact: bool
) -> None:
    cells = {f"g{i}": n for i, n in enumerate(values)}
    total = sum(values)
    table = suppress_table(cells, rule=rule, exact_total_known=exact)

    assert table.primary == {k for k, n in cells.items() if rule.is_small(n)}
    for key, n in cells.items():
        if key in table.secondary:
            assert table.cells[key] == rule.symbol and n >= rule.count_threshold
        else:
            assert table.cells[key] == suppress_count(n, rule)
    if table.total_suppressed:
        assert table.total == rule.symbol
    else:
        assert table.total == suppress_count(total, rule)

    found = recoverable_cells(
        table.cells,
        total if exact else table.total,
        rule,
        total_exact=exact,
        secondary=table.secondary,
        total_secondary=table.total_suppressed,
    )
    assert found == table.residual_risk
    if not exact:
        assert found == set()
    elif found:
        # only when nothing more could be hidden: every non-zero cell is hidden
        assert all(table.cells[k] == rule.symbol for k, n in cells.items() if n > 0)


def _brute_force(
    shown: dict[str, str | int],
    total_values: set[int],
    rule: SuppressionRule,
    secondary: frozenset[str],
) -> dict[str, set[int]]:
    """Every value each cell can take, by enumerating sets (no interval arithmetic)."""
    cap = max(total_values)
    options: dict[str, set[int]] = {}
    for key, v in shown.items():
        if v == rule.symbol and key in secondary:
            options[key] = {n for n in range(cap + 1) if n > 0 and not rule.is_small(n)}
        elif v == rule.symbol:
            options[key] = {n for n in range(cap + 1) if rule.is_small(n)}
        else:
            options[key] = {n for n in range(cap + 1) if suppress_count(n, rule) == v}
    possible: dict[str, set[int]] = {}
    for key in shown:
        sums = {0}
        for other, values in options.items():
            if other != key:
                sums = {s + n for s in sums for n in values if s + n <= cap}
        possible[key] = {n for n in options[key] if any(t - n in sums for t in total_values)}
    return possible


@settings(max_examples=300, deadline=None)
@given(values=st.lists(counts, min_size=1, max_size=5), rule=rules, exact=st.booleans())
def test_feasible_ranges_match_brute_force(
    values: list[int], rule: SuppressionRule, exact: bool
) -> None:
    cells = {f"g{i}": n for i, n in enumerate(values)}
    total = sum(values)
    table = suppress_table(cells, rule=rule, exact_total_known=exact)
    if table.total_suppressed and not exact:
        return  # no finite total to enumerate against
    if exact:
        total_values = {total}
    else:
        total_values = {
            n
            for n in range(total + rule.count_threshold + rule.rounding_base)
            if suppress_count(n, rule) == table.total
        }
    shown = dict(table.cells)
    possible = _brute_force(shown, total_values, rule, table.secondary)
    ranges = feasible_ranges(
        shown,
        total if exact else table.total,
        rule,
        total_exact=exact,
        secondary=table.secondary,
    )
    for key, values_set in possible.items():
        lo, hi = ranges[key]
        # the set of possible values is a whole interval, and it is the one computed
        assert values_set == set(range(lo, (hi if hi is not None else max(values_set)) + 1))
        assert cells[key] in values_set
    assert {k for k, v in possible.items() if len(v) == 1 and shown[k] == rule.symbol} == set(
        table.residual_risk
    )
