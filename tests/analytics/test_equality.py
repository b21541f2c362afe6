"""Tests for rrp.analytics.equality. Hand arithmetic is in the comments; z = 1.959964 (the
0.975 normal quantile, "1.96"), so hand results computed with 1.96 agree to about 1e-5."""

from __future__ import annotations

import dataclasses
import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from rrp.analytics.equality import (
    GroupCounts,
    chi_square_quantile,
    gamma_quantile,
    poisson_exact_ci,
    rate_ratio,
    rate_ratios,
    rate_with_ci,
    ratio_to_population,
    regularised_gamma_p,
    regularised_gamma_q,
)

Z = 1.959963984540054


def poisson_cdf(k: int, mean: float) -> float:
    """P(X <= k) for X ~ Poisson(mean), summed directly (independent of the gamma code)."""
    term = math.exp(-mean)
    total = term
    for j in range(1, k + 1):
        term *= mean / j
        total += term
    return total


# --- incomplete gamma and quantiles -------------------------------------------------------


@pytest.mark.parametrize("s", [1, 2, 5, 10, 30])
@pytest.mark.parametrize("x", [0.1, 1.0, 4.0, 10.0, 25.0, 60.0])
def test_gamma_p_integer_shape_matches_poisson_sum(s: int, x: float) -> None:
    # For integer s, P(s, x) = P(Poisson(x) >= s) = 1 - sum_{j<s} e^-x x^j / j!
    expected_q = poisson_cdf(s - 1, x)
    assert regularised_gamma_q(s, x) == pytest.approx(expected_q, rel=1e-10, abs=1e-300)
    assert regularised_gamma_p(s, x) == pytest.approx(1 - expected_q, rel=1e-10, abs=1e-15)


def test_gamma_p_shape_one_is_exponential() -> None:
    # gamma(1) is the unit exponential: P(1, x) = 1 - e^-x
    for x in (0.01, 0.5, 2.0, 30.0):
        assert regularised_gamma_p(1.0, x) == pytest.approx(-math.expm1(-x), rel=1e-12)
    assert regularised_gamma_p(3.0, 0.0) == 0.0
    assert regularised_gamma_q(3.0, 0.0) == 1.0
    assert regularised_gamma_p(3.0, math.inf) == 1.0


@pytest.mark.parametrize(
    ("p", "df", "expected"),
    [
        (0.95, 1, 3.841459),  # standard chi-square table values
        (0.975, 2, 7.377759),  # = -2 ln 0.025
        (0.05, 10, 3.940299),
        (0.95, 10, 18.307038),
        (0.025, 20, 9.590777),
        (0.975, 20, 34.169607),
    ],
)
def test_chi_square_quantile_table(p: float, df: int, expected: float) -> None:
    assert chi_square_quantile(p, df) == pytest.approx(expected, abs=1e-6)


def test_gamma_quantile_edges() -> None:
    assert gamma_quantile(0.0, 2.0) == 0.0
    assert gamma_quantile(1.0, 2.0) == math.inf
    # shape 1: quantile of the unit exponential is -ln(1 - p)
    assert gamma_quantile(0.975, 1.0) == pytest.approx(-math.log(0.025), rel=1e-12)
    with pytest.raises(ValueError):
        gamma_quantile(1.5, 2.0)
    with pytest.raises(ValueError):
        gamma_quantile(0.5, 0.0)


@settings(max_examples=300, deadline=None)
@given(
    p=st.floats(min_value=1e-9, max_value=1 - 1e-9),
    shape=st.floats(min_value=0.05, max_value=5000.0),
)
def test_gamma_quantile_inverts_p(p: float, shape: float) -> None:
    x = gamma_quantile(p, shape)
    assume(x > 0)  # a tiny shape and p can underflow to 0
    if p <= 0.5:
        assert regularised_gamma_p(shape, x) == pytest.approx(p, rel=1e-8)
    else:
        assert regularised_gamma_q(shape, x) == pytest.approx(1 - p, rel=1e-8)


# --- exact Poisson intervals --------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "lower", "upper"),
    [
        # The usual tabulated exact (Garwood) 95% limits; in R: qgamma(0.025, k) and
        # qgamma(0.975, k + 1)
        (0, 0.0, 3.689),
        (1, 0.0253, 5.572),
        (2, 0.2422, 7.225),
        (5, 1.624, 11.668),
        (10, 4.795, 18.390),
        (20, 12.217, 30.888),
        (100, 81.364, 121.627),
    ],
)
def test_poisson_exact_ci_table(count: int, lower: float, upper: float) -> None:
    lo, hi = poisson_exact_ci(count)
    assert lo == pytest.approx(lower, abs=6e-4)
    assert hi == pytest.approx(upper, abs=6e-4)


def test_poisson_exact_ci_zero_is_minus_log_alpha() -> None:
    # P(X = 0 | mean) = e^-mean = 0.025  =>  mean = -ln 0.025 = 3.688879
    lower, upper = poisson_exact_ci(0)
    assert lower == 0.0
    assert upper == pytest.approx(-math.log(0.025), rel=1e-12)
    # 99.8% (funnel-plot) limits: upper = -ln 0.001 = 6.907755
    assert poisson_exact_ci(0, 0.998)[1] == pytest.approx(-math.log(0.001), rel=1e-12)


@pytest.mark.parametrize("count", [0, 1, 2, 3, 7, 10, 25, 60, 150, 400])
def test_poisson_exact_ci_has_exact_tail_probabilities(count: int) -> None:
    # Garwood's definition: P(X >= count | lower) = 0.025 and P(X <= count | upper) = 0.025
    lo, hi = poisson_exact_ci(count)
    assert poisson_cdf(count, hi) == pytest.approx(0.025, rel=1e-7)
    if count:
        assert 1 - poisson_cdf(count - 1, lo) == pytest.approx(0.025, rel=1e-7)


def test_rate_with_ci() -> None:
    # 10 events in 2,000 bed days: 5.0 per 1,000, limits 4.795/2 = 2.398 to 18.390/2 = 9.195
    est = rate_with_ci(10, 2000)
    assert est.rate == pytest.approx(5.0)
    assert est.lower == pytest.approx(2.3977, abs=1e-4)
    assert est.upper == pytest.approx(9.1952, abs=1e-4)
    assert est.per == 1000
    # no bed days: undefined, not zero and no ZeroDivisionError
    empty = rate_with_ci(0, 0)
    assert (empty.rate, empty.lower, empty.upper) == (None, None, None)


# --- rate ratios: hand-computed -----------------------------------------------------------


def test_group_vs_rest_katz() -> None:
    # Group 30 events / 2,000 bed days = 15 per 1,000; rest 70 / 8,000 = 8.75 per 1,000.
    # RR = 15 / 8.75 = 1.714286; se(ln RR) = sqrt(1/30 + 1/70) = sqrt(0.047619) = 0.218218
    # ln RR = 0.538997; 1.96 * 0.218218 = 0.427707
    # lower = exp(0.538997 - 0.427707) = exp(0.111290) = 1.11772
    # upper = exp(0.538997 + 0.427707) = exp(0.966704) = 2.62925
    analysis = rate_ratios(
        {"Black": GroupCounts(30, 2000), "Other": GroupCounts(70, 8000)}, comparison="rest"
    )
    black = analysis.group("Black")
    assert black.count == 30 and black.bed_days == 2000
    assert black.rate.rate == pytest.approx(15.0)
    rr = black.ratio
    assert rr.method == "katz-log" and rr.comparator == "rest of population"
    assert rr.ratio == pytest.approx(1.714286, rel=1e-6)
    assert rr.lower == pytest.approx(1.11772, rel=1e-4)
    assert rr.upper == pytest.approx(2.62925, rel=1e-4)
    assert rr.significantly_higher and not rr.significantly_lower
    # Other vs rest (= Black) is the reciprocal: 1/1.714286 = 0.583333, CI 0.38033 to 0.89468
    other = analysis.group("Other").ratio
    assert other.ratio == pytest.approx(0.583333, rel=1e-6)
    assert other.lower == pytest.approx(1 / 2.62925, rel=1e-4)
    assert other.upper == pytest.approx(1 / 1.11772, rel=1e-4)
    assert other.significantly_lower


def test_group_vs_whole_population_wilson_share() -> None:
    # Same data. Population: 100 events / 10,000 bed days = 10 per 1,000.
    # Black: share of events 30/100 = 0.3, share of bed days 2,000/10,000 = 0.2;
    # ratio = 15 / 10 = 0.3 / 0.2 = 1.5.
    # Wilson for 30/100, z^2/N = 3.8416/100 = 0.038416:
    #   centre = (0.3 + 0.019208) / 1.038416 = 0.307399
    #   half   = (1.96 / 1.038416) * sqrt(0.3*0.7/100 + 3.8416/40000)
    #          = 1.887490 * sqrt(0.00219604) = 1.887490 * 0.0468619 = 0.0884513
    #   p in [0.218948, 0.395851]  ->  ratio in [1.09474, 1.97925]
    analysis = rate_ratios({"Black": (30, 2000), "Other": (70, 8000)})
    assert analysis.comparison == "population"
    assert analysis.population_count == 100 and analysis.population_bed_days == 10000
    assert analysis.population_rate.rate == pytest.approx(10.0)
    rr = analysis.group("Black").ratio
    assert rr.method == "wilson-share" and rr.comparator == "whole population"
    assert rr.ratio == 1.5
    assert rr.lower == pytest.approx(1.09474, rel=1e-4)
    assert rr.upper == pytest.approx(1.97925, rel=1e-4)
    assert rr.significantly_higher
    # Other: 0.7 / 0.8 = 0.875; Wilson for 70/100 is 1 - the above: [0.604149, 0.781052]
    #   -> [0.755186, 0.976315]
    other = analysis.group("Other").ratio
    assert other.ratio == pytest.approx(0.875)
    assert other.lower == pytest.approx(0.755186, rel=1e-4)
    assert other.upper == pytest.approx(0.976315, rel=1e-4)
    assert other.significantly_lower


def test_group_vs_reference_group() -> None:
    # White British 50 / 10,000 = 5 per 1,000 (reference); Black 30 / 2,000 = 15 per 1,000.
    # RR = 3; se = sqrt(1/30 + 1/50) = sqrt(0.053333) = 0.230940; 1.96 * se = 0.452642
    # CI = 3 * exp(+-0.452642) = 3 * [0.635980, 1.572376] = [1.90794, 4.71713]
    # Asian 5 / 1,000 = 5 per 1,000: RR 1, se = sqrt(1/5 + 1/50) = 0.469042, 1.96 * se =
    # 0.919322: CI [0.39880, 2.50752], not significant either way.
    analysis = rate_ratios(
        {"White British": (50, 10000), "Black": (30, 2000), "Asian": (5, 1000)},
        comparison="reference",
        reference="White British",
    )
    ref = analysis.group("White British")
    assert ref.is_reference
    assert ref.ratio.ratio == 1.0 and ref.ratio.lower is None and ref.ratio.upper is None
    assert not ref.ratio.significantly_higher and not ref.ratio.significantly_lower
    black = analysis.group("Black").ratio
    assert black.comparator == "reference: White British"
    assert black.ratio == pytest.approx(3.0)
    assert black.lower == pytest.approx(1.90794, rel=1e-4)
    assert black.upper == pytest.approx(4.71713, rel=1e-4)
    assert black.significantly_higher
    asian = analysis.group("Asian").ratio
    assert asian.ratio == pytest.approx(1.0)
    assert asian.lower == pytest.approx(0.39880, rel=1e-4)
    assert asian.upper == pytest.approx(2.50752, rel=1e-4)
    assert not asian.significantly_higher and not asian.significantly_lower


# --- zero counts and zero bed days --------------------------------------------------------


def test_zero_count_vs_rest_uses_exact_upper_limit() -> None:
    # 0 events in 1,000 bed days vs 20 in 4,000. Conditional on N = 20 events, the group's
    # share is binomial; Clopper-Pearson upper for 0/20: 1 - 0.025^(1/20)
    #   = 1 - exp(-3.688879 / 20) = 1 - exp(-0.184444) = 1 - 0.831567 = 0.168433
    # RR upper = odds x Eb/Ea = 0.168433 / 0.831567 * 4000 / 1000 = 0.202550 * 4 = 0.810198
    rr = rate_ratio(0, 1000, 20, 4000, comparator="rest of population")
    assert rr.method == "exact-conditional"
    assert rr.ratio == 0.0 and rr.lower == 0.0
    assert rr.upper == pytest.approx(0.810198, rel=1e-5)
    assert rr.significantly_lower  # 5 expected, none seen: P = e^-5 = 0.0067


def test_zero_count_vs_population() -> None:
    # 0 of 20 events in 1,000 of 5,000 bed days. Wilson upper for 0/20 = z^2 / (N + z^2)
    #   = 3.841459 / 23.841459 = 0.161125; / 0.2 = 0.805626
    rr = ratio_to_population(0, 1000, 20, 5000)
    assert rr.ratio == 0.0 and rr.lower == 0.0
    assert rr.upper == pytest.approx(Z**2 / (20 + Z**2) / 0.2, rel=1e-12)
    assert rr.upper == pytest.approx(0.805626, rel=1e-5)


def test_zero_comparator_count_is_infinite_with_exact_lower_limit() -> None:
    # 5 events in 1,000 bed days, none in the other 4,000. p_lower = 0.025^(1/5)
    #   = exp(-3.688879 / 5) = 0.478176; RR lower = 0.478176 / 0.521824 * 4 = 3.66546
    rr = rate_ratio(5, 1000, 0, 4000)
    assert rr.ratio is None and not rr.calculable
    assert rr.upper is None
    assert rr.lower == pytest.approx(3.66546, rel=1e-5)
    assert rr.significantly_higher
    assert "infinite" in rr.note


def test_no_events_anywhere_is_not_calculable() -> None:
    analysis = rate_ratios({"A": (0, 1000), "B": (0, 3000)}, comparison="rest")
    for result in analysis.groups:
        assert not result.ratio.calculable
        assert result.ratio.method == "not-calculable"
        assert result.rate.rate == 0.0
    analysis = rate_ratios({"A": (0, 1000), "B": (0, 3000)})
    assert all(not g.ratio.calculable for g in analysis.groups)


@pytest.mark.parametrize("comparison", ["population", "rest"])
def test_group_with_no_bed_days_is_not_calculable(comparison: str) -> None:
    # A group absent from the wards this period: no division by zero, just "not calculable".
    analysis = rate_ratios(
        {"Present": (12, 3000), "Absent": (0, 0), "Odd": (2, 0)},
        comparison=comparison,  # type: ignore[arg-type]
    )
    for name in ("Absent", "Odd"):
        result = analysis.group(name)
        assert result.rate.rate is None
        assert not result.ratio.calculable
        assert result.ratio.lower is None and result.ratio.upper is None
        assert not result.ratio.significantly_higher and not result.ratio.significantly_lower
        assert "bed days" in result.ratio.note


def test_only_group_with_bed_days_is_not_comparable() -> None:
    analysis = rate_ratios({"Present": (12, 3000), "Absent": (0, 0)})
    assert not analysis.group("Present").ratio.calculable
    assert analysis.group("Present").ratio.note == "the group is the whole population"
    rest = rate_ratios({"Present": (12, 3000), "Absent": (0, 0)}, comparison="rest")
    assert not rest.group("Present").ratio.calculable


def test_population_override() -> None:
    # Trust totals include 20 events / 5,000 days in categories not listed.
    analysis = rate_ratios(
        {"Black": (30, 2000), "White": (50, 3000)}, population=GroupCounts(100, 10000)
    )
    assert analysis.population_count == 100
    assert analysis.group("Black").ratio.ratio == pytest.approx(1.5)
    with pytest.raises(ValueError):
        rate_ratios({"Black": (30, 2000)}, population=GroupCounts(10, 10000))


def test_validation() -> None:
    with pytest.raises(ValueError):
        GroupCounts(-1, 100)
    with pytest.raises(ValueError):
        GroupCounts(1, -100)
    with pytest.raises(ValueError):
        GroupCounts(1, math.nan)
    with pytest.raises(TypeError):
        GroupCounts(1.5, 100)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        rate_ratios({"A": (1, 10)}, comparison="reference")
    with pytest.raises(ValueError):
        rate_ratios({"A": (1, 10)}, reference="A")
    with pytest.raises(ValueError):
        rate_ratios({"A": (1, 10)}, comparison="reference", reference="B")
    with pytest.raises(ValueError):
        rate_ratios({"A": (1, 10)}, confidence=95)
    with pytest.raises(KeyError):
        rate_ratios({"A": (1, 10)}).group("B")


def test_results_are_frozen() -> None:
    result = rate_ratios({"A": (3, 100), "B": (4, 100)}).groups[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.count = 5  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.ratio.ratio = 2.0  # type: ignore[misc]


# --- property tests -----------------------------------------------------------------------

events = st.integers(min_value=0, max_value=400)
days = st.floats(min_value=1.0, max_value=100_000.0, allow_nan=False)


@settings(max_examples=300, deadline=None)
@given(a=events, ea=days, b=events, eb=days)
def test_ratio_interval_contains_estimate(a: int, ea: float, b: int, eb: float) -> None:
    for rr in (
        rate_ratio(a, ea, b, eb),
        ratio_to_population(a, ea, a + b, ea + eb),
    ):
        if rr.lower is not None:
            assert rr.lower >= 0
        if rr.ratio is not None:
            assert rr.lower is not None and rr.lower <= rr.ratio * (1 + 1e-12)
            assert rr.upper is None or rr.ratio <= rr.upper * (1 + 1e-12)
        assert not (rr.significantly_higher and rr.significantly_lower)


@settings(max_examples=300, deadline=None)
@given(a=events, ea=days, b=events, eb=days)
def test_population_and_rest_ratios_agree_in_direction(
    a: int, ea: float, b: int, eb: float
) -> None:
    # The group's rate is above everyone's rate exactly when it is above the rest's rate.
    pop = ratio_to_population(a, ea, a + b, ea + eb)
    rest = rate_ratio(a, ea, b, eb)
    if pop.ratio is not None and rest.ratio is not None and not math.isclose(pop.ratio, 1.0):
        assert (pop.ratio > 1) == (rest.ratio > 1)


@settings(max_examples=300, deadline=None)
@given(
    a=st.integers(1, 200),
    ea=days,
    b=st.integers(1, 200),
    eb=days,
    k=st.integers(2, 20),
)
def test_more_events_narrow_the_interval(a: int, ea: float, b: int, eb: float, k: int) -> None:
    # Scaling every count by k leaves the ratios unchanged and narrows every interval.
    small = rate_ratios({"g": (a, ea), "h": (b, eb)})
    large = rate_ratios({"g": (k * a, ea), "h": (k * b, eb)})
    small_rest = rate_ratios({"g": (a, ea), "h": (b, eb)}, comparison="rest")
    large_rest = rate_ratios({"g": (k * a, ea), "h": (k * b, eb)}, comparison="rest")
    for s_an, l_an in ((small, large), (small_rest, large_rest)):
        for s_res, l_res in zip(s_an.groups, l_an.groups, strict=True):
            s_rr, l_rr = s_res.ratio, l_res.ratio
            assert s_rr.ratio is not None and l_rr.ratio is not None
            assert s_rr.lower is not None and s_rr.upper is not None
            assert l_rr.lower is not None and l_rr.upper is not None
            assert l_rr.ratio == pytest.approx(s_rr.ratio, rel=1e-9)
            assert l_rr.upper - l_rr.lower < s_rr.upper - s_rr.lower
            # and the rate's exact interval narrows relative to the rate
            s_rate, l_rate = s_res.rate, l_res.rate
            assert s_rate.rate and l_rate.rate and s_rate.upper and l_rate.upper
            assert s_rate.lower is not None and l_rate.lower is not None
            assert (l_rate.upper - l_rate.lower) / l_rate.rate < (
                s_rate.upper - s_rate.lower
            ) / s_rate.rate
