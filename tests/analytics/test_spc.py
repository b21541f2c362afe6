"""Tests for rrp.analytics.spc, the XmR charts of NHS "Making Data Count".

The expected numbers come from the reference note (docs/sources/
spc-making-data-count.md) and from NHSRplotthedots 0.2.2's own tests and snapshots, cited per
test.  Hand-built cases mostly sit on a fixed 12-point baseline (10, 12, 10, 12, ...: mean 11,
every moving range 2), so their limits are known exactly whatever points follow:

    lpl 5.68 | near band below 7.4533 | mean 11 | near band above 14.5467 | upl 16.32
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import FrozenInstanceError
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from rrp.analytics.spc import (
    SPCPoint,
    XmRChart,
    _part_of_run,
    _part_of_two_in_three,
    _shift_run_ends,
    _trend_run_ends,
    xmr,
)

# R: set.seed(123); rnorm(20), as printed in the package's test snapshots.
RNORM_20 = [
    -0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774,
    1.71506499, 0.46091621, -1.26506123, -0.68685285, -0.44566197,
    1.22408180, 0.35981383, 0.40077145, 0.11068272, -0.55584113,
    1.78691314, 0.49785048, -1.96661716, 0.70135590, -0.47279141,
]  # fmt: skip
RNORM_20_OUTLIER = [*RNORM_20[:14], 10.0, *RNORM_20[15:]]
VIGNETTE_OUTLIER = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]

BASELINE = [10.0, 12.0] * 6
MEAN, LPL, UPL = 11.0, 11.0 - 2.66 * 2, 11.0 + 2.66 * 2
NEAR_LOW, NEAR_HIGH = 11.0 - 2 * (2.66 / 3) * 2, 11.0 + 2 * (2.66 / 3) * 2


def on_baseline(tail: list[float | None], **kwargs: object) -> XmRChart:
    """The fixed baseline followed by ``tail`` (which starts at index 12)."""
    return xmr([*BASELINE, *tail], fix_after_n_points=12, **kwargs)  # type: ignore[arg-type]


def flagged(chart: XmRChart) -> dict[int, tuple[str | None, str]]:
    """index -> (rule, point_type) for every special-cause point."""
    return {p.index: (p.rule, p.point_type) for p in chart.points if p.is_special_cause}


def first(chart: XmRChart) -> SPCPoint:
    return chart.points[0]


# --------------------------------------------------------------------------------------------
# Published vectors (reference note; tests/testthat/_snaps/ptd_spc_standard.md)


@pytest.mark.parametrize("screen", [True, False])
def test_rnorm_limits(screen: bool) -> None:
    # Snapshot r1 of test-ptd_spc_standard.R: mean 0.1416238, limits -3.01138 / 3.294627.
    # No moving range is an outlier here, so screening makes no difference.
    p = first(xmr(RNORM_20, screen_outliers=screen))
    assert p.mean == pytest.approx(0.1416238, abs=5e-8)
    assert p.lpl == pytest.approx(-3.01138, abs=5e-6)
    assert p.upl == pytest.approx(3.294627, abs=5e-7)


def test_rnorm_relative_to_mean_and_all_common_cause() -> None:
    # Snapshot r1 prints relative_to_mean for the first 15 points; summary snapshot in
    # _snaps/ptd_spc.md: 20 points, 20 common cause, none improvement.
    chart = xmr(RNORM_20, improvement="increase")
    signs = [-1, -1, 1, -1, -1, 1, 1, -1, -1, -1, 1, 1, 1, -1, -1]
    assert [p.relative_to_mean for p in chart.points[:15]] == [
        "high" if s == 1 else "low" for s in signs
    ]
    assert {p.point_type for p in chart.points} == {"common_cause"}
    assert chart.variation == "common_cause"


def test_rnorm_with_outlier_screened() -> None:
    # Snapshot r2: 15th value set to 10, screening on.
    chart = xmr(RNORM_20_OUTLIER, screen_outliers=True)
    p = first(chart)
    assert p.mean == pytest.approx(0.6694159, abs=5e-8)
    assert p.lpl == pytest.approx(-2.383666, abs=5e-7)
    assert p.upl == pytest.approx(3.722497, abs=5e-7)
    signs = [-1, -1, 1, -1, -1, 1, -1, -1, -1, -1, 1, -1, -1, -1]
    assert [p.relative_to_mean for p in chart.points[:14]] == [
        "high" if s == 1 else "low" for s in signs
    ]


def test_rnorm_with_outlier_unscreened() -> None:
    # Snapshot r3: screening off gives the wider Excel-tool limits.
    p = first(xmr(RNORM_20_OUTLIER, screen_outliers=False))
    assert p.mean == pytest.approx(0.6694159, abs=5e-8)
    assert p.lpl == pytest.approx(-4.596625, abs=5e-7)
    assert p.upl == pytest.approx(5.935457, abs=5e-7)


def test_screening_narrows_the_limits() -> None:
    # test-ptd_spc_standard.R: "the range ... when screen_outliers = FALSE is larger".
    on = first(xmr(RNORM_20_OUTLIER, screen_outliers=True))
    off = first(xmr(RNORM_20_OUTLIER, screen_outliers=False))
    assert on.upl is not None and on.lpl is not None
    assert off.upl is not None and off.lpl is not None
    assert off.upl - off.lpl > on.upl - on.lpl


@pytest.mark.parametrize(("screen", "lpl", "upl"), [(True, -0.72, 4.60), (False, -3.06, 6.95)])
def test_vignette_outlier_vector(screen: bool, lpl: float, upl: float) -> None:
    # vignettes/deviations.Rmd: printed rounded to 2 decimal places.
    chart = xmr(VIGNETTE_OUTLIER, screen_outliers=screen, improvement="increase")
    p = first(chart)
    assert round(p.mean or 0, 2) == 1.94
    assert round(p.lpl or 0, 2) == lpl
    assert round(p.upl or 0, 2) == upl
    # The 10 is outside the limits either way.
    assert flagged(chart) == {4: ("outside_limits", "special_cause_improvement")}


def test_trend_vector() -> None:
    # Reference note and test-ptd_calculate_point_type.R: ptd_seven_point_trend(c(2, 1:7, 3))
    # flags the 8th point; all 7 points of the run are then part of the trend.
    chart = xmr([2, 1, 2, 3, 4, 5, 6, 7, 3], improvement="increase")
    assert _trend_run_ends([2, 1, 2, 3, 4, 5, 6, 7, 3]) == [0, 0, 0, 0, 0, 0, 0, 1, 0]
    assert flagged(chart) == dict.fromkeys(range(1, 8), ("trend", "special_cause_improvement"))


def test_rebased_groups_match_the_facet_snapshot() -> None:
    # _snaps/ptd_spc.md "it outputs expected content": rnorm(20) split 10/10 into facets gives
    # mean 0.0746 (-2.60, 2.75) and 0.209 (-3.28, 3.70).  Facets and rebase groups are computed
    # the same way, so rebasing at the 11th point must give the same limits.
    chart = xmr(RNORM_20, rebase_at=(10,))
    a, b = chart.points[0], chart.points[10]
    assert (a.group, b.group) == (0, 1)
    assert (round(a.mean or 0, 4), round(a.lpl or 0, 2), round(a.upl or 0, 2)) == (
        0.0746,
        -2.60,
        2.75,
    )
    assert (round(b.mean or 0, 3), round(b.lpl or 0, 2), round(b.upl or 0, 2)) == (
        0.209,
        -3.28,
        3.70,
    )
    assert chart.short_group_warning  # two groups of 10 (the package's test suppresses it)


# --------------------------------------------------------------------------------------------
# Ports of the package's unit tests of the rule helpers (tests/testthat/
# test-ptd_calculate_point_type.R).  The R helpers return per-point 0/1 vectors.


def test_seven_point_trend_helper() -> None:
    assert _trend_run_ends([]) == []
    assert _trend_run_ends([1, 2, 3, 4, 5, 6]) == [0] * 6
    assert _trend_run_ends([1, 2, 3, 3, 4, 5, 6]) == [0] * 7  # c(1:3, 3:6): a tie
    assert _trend_run_ends([1, 2, 3, 4, 5, 6, 7]) == [0] * 6 + [1]
    assert _trend_run_ends([7, 6, 5, 4, 3, 2, 1]) == [0] * 6 + [-1]
    assert _trend_run_ends([2, 7, 6, 5, 4, 3, 2, 1, 3]) == [0] * 7 + [-1, 0]


def test_seven_point_one_side_mean_helper() -> None:
    assert _shift_run_ends([]) == []
    assert _shift_run_ends([1] * 6) == [False] * 6
    assert _shift_run_ends([1] * 6 + [-1]) == [False] * 7
    assert _shift_run_ends([1] * 8 + [-1]) == [False] * 6 + [True, True, False]
    assert _shift_run_ends([-1] * 8 + [1]) == [False] * 6 + [True, True, False]
    assert _shift_run_ends([-1] + [1] * 8 + [-1]) == [False] * 7 + [True, True, False]


def test_part_of_seven_helper() -> None:
    assert _part_of_run([]) == []
    assert _part_of_run([0] * 6) == [False] * 6
    assert _part_of_run([0] * 6 + [1, 0]) == [True] * 7 + [False]
    assert _part_of_run([0] * 7 + [1, 0]) == [False] + [True] * 7 + [False]
    assert _part_of_run([0] * 6 + [-1, 0]) == [True] * 7 + [False]


def _two_in_three(near: list[int], sides: list[int]) -> list[int]:
    return [int(x) for x in _part_of_two_in_three([bool(n) for n in near], list(sides))]


def test_two_in_three_helper() -> None:
    same = [1] * 7
    assert _two_in_three([], []) == []
    assert _two_in_three([0, 0, 0], [1, 1, 1]) == [0, 0, 0]
    for near in ([1, 0, 1], [0, 1, 1], [1, 1, 0]):
        assert _two_in_three(near, [1, 1, 1]) == near
    assert _two_in_three([0, 0, 1, 0, 1, 0, 0], same) == [0, 0, 1, 0, 1, 0, 0]
    assert _two_in_three([0, 0, 1, 1, 0, 0, 0], same) == [0, 0, 1, 1, 0, 0, 0]
    assert _two_in_three([1, 0, 0, 1], [1] * 4) == [0, 0, 0, 0]
    assert _two_in_three([1, 0, 0, 1, 1], [1] * 5) == [0, 0, 0, 1, 1]


def test_two_in_three_helper_opposite_sides() -> None:
    # "works as expected when points are on opposite sides of the mean" (issue #143).
    for near in ([1, 0, 1], [0, 1, 1], [1, 1, 0]):
        assert _two_in_three(near, [1, -1, 1]) == [0, 0, 0]
    assert _two_in_three([0, 0, 1, 0, 1, 0, 0], [1, -1, 1, -1, 1, -1, 1]) == [0] * 7
    assert _two_in_three([0, 0, 1, 1, 0, 0, 0], [-1, 1, -1, 1, -1, 1, -1]) == [0] * 7


# --------------------------------------------------------------------------------------------
# Rule 1: outside the process limits


def test_baseline_limits_are_as_designed() -> None:
    p = first(on_baseline([11.0]))
    assert (p.mean, p.lpl, p.upl) == (MEAN, LPL, UPL)
    assert p.near_lpl == pytest.approx(NEAR_LOW)
    assert p.near_upl == pytest.approx(NEAR_HIGH)


@pytest.mark.parametrize(
    ("value", "improvement", "expected"),
    [
        (17.0, "increase", "special_cause_improvement"),
        (17.0, "decrease", "special_cause_concern"),
        (17.0, "neutral", "special_cause_neutral_high"),
        (5.0, "increase", "special_cause_concern"),
        (5.0, "decrease", "special_cause_improvement"),
        (5.0, "neutral", "special_cause_neutral_low"),
    ],
)
def test_outside_limits(value: float, improvement: str, expected: str) -> None:
    chart = on_baseline([value, 11.0], improvement=improvement)
    assert flagged(chart) == {12: ("outside_limits", expected)}


def test_a_point_exactly_on_a_limit_is_inside() -> None:
    # ptd_spc_standard.R: outside_limits = y > upl | y < lpl (strict).
    on_upl = on_baseline([UPL, 11.0, LPL, 11.0])
    assert flagged(on_upl) == {}
    beyond = on_baseline([math.nextafter(UPL, math.inf), 11.0, math.nextafter(LPL, -math.inf)])
    assert {i: rule for i, (rule, _) in flagged(beyond).items()} == {
        12: "outside_limits",
        14: "outside_limits",
    }


def test_unfixed_outlier_is_flagged_after_screening() -> None:
    chart = xmr([10, 12] * 10 + [30], improvement="decrease")
    assert flagged(chart) == {20: ("outside_limits", "special_cause_concern")}
    assert chart.variation == "special_cause_concern"


# --------------------------------------------------------------------------------------------
# Rule 2: trends


def test_rising_trend_flags_all_seven_points_even_across_the_mean() -> None:
    # Issue #171 (fixed in 0.2.0): a trend crossing the mean is labelled by its direction, not
    # by each point's side of the mean.
    chart = on_baseline([10, 10.5, 11, 11.5, 12, 12.5, 13, 10], improvement="increase")
    assert flagged(chart) == dict.fromkeys(range(12, 19), ("trend", "special_cause_improvement"))
    assert chart.points[12].relative_to_mean == "low"
    assert chart.points[14].relative_to_mean is None  # exactly on the mean


def test_falling_trend_is_improvement_when_lower_is_better() -> None:
    chart = on_baseline([12, 11.5, 11, 10.5, 10, 9.5, 9, 12], improvement="decrease")
    assert flagged(chart) == dict.fromkeys(range(12, 19), ("trend", "special_cause_improvement"))
    neutral = on_baseline([12, 11.5, 11, 10.5, 10, 9.5, 9, 12], improvement="neutral")
    assert {t for _, t in flagged(neutral).values()} == {"special_cause_neutral_low"}


def test_six_point_trend_is_not_flagged() -> None:
    assert flagged(on_baseline([10, 10.5, 11, 11.5, 12, 12.5, 10])) == {}


def test_a_tie_breaks_a_trend() -> None:
    chart = on_baseline([10, 10.5, 11, 11, 11.5, 12, 12.5, 13, 10])
    assert flagged(chart) == {}


def test_trend_beats_shift() -> None:
    # Seven points above the mean (13 to 19) that also rise, from 10 at index 12: the trend
    # label wins for all of them (case_when order), and the run includes the 10.
    chart = on_baseline([10, 11.2, 11.4, 11.6, 11.8, 12.0, 12.2, 12.4, 10], improvement="increase")
    assert [p.relative_to_mean for p in chart.points[13:20]] == ["high"] * 7
    assert flagged(chart) == dict.fromkeys(range(12, 20), ("trend", "special_cause_improvement"))


def test_trend_beats_two_of_three() -> None:
    # 15 and 16 are in the near band, with 14 on the same side: a two-of-three window, but the
    # points are part of a trend.
    chart = on_baseline([10, 11, 12, 13, 14, 15, 16, 10], improvement="increase")
    assert flagged(chart) == dict.fromkeys(range(12, 19), ("trend", "special_cause_improvement"))


def test_outside_limits_beats_trend() -> None:
    chart = on_baseline([10, 11, 12, 13, 14, 15, 17, 10], improvement="increase")
    expected = dict.fromkeys(range(12, 18), ("trend", "special_cause_improvement"))
    expected[18] = ("outside_limits", "special_cause_improvement")
    assert flagged(chart) == expected


def test_shared_peak_takes_the_falling_runs_label() -> None:
    # ptd_special_cause_type: "if a point is part of a trend either side, use right side".
    rise, fall = [10, 10.5, 11, 11.5, 12, 12.5, 13], [12.5, 12, 11.5, 11, 10.5, 10]
    chart = on_baseline([*rise, *fall, 12], improvement="increase")
    types = {i: t for i, (_, t) in flagged(chart).items()}
    assert types == {
        **dict.fromkeys(range(12, 18), "special_cause_improvement"),
        **dict.fromkeys(range(18, 25), "special_cause_concern"),
    }


def test_abutting_trends_meeting_at_a_tie_reproduce_the_package() -> None:
    # Two separate rising runs, the second starting at the same value the first ended on.  The
    # package labels the junction point by the step to its right, which is 0, and anything but
    # +1 is "Decreasing": so one point in the middle of a rise is labelled low.  Reproduced on
    # purpose for parity with NHSRplotthedots 0.2.2.
    tail = [10, 10.5, 11, 11.5, 12, 12.5, 13, 13, 13.5, 14, 14.5, 15, 15.5, 16, 10]
    chart = on_baseline(tail, improvement="increase")
    types = {i: t for i, (_, t) in flagged(chart).items()}
    assert set(types) == set(range(12, 26))
    assert types.pop(18) == "special_cause_concern"
    assert set(types.values()) == {"special_cause_improvement"}


# --------------------------------------------------------------------------------------------
# Rule 3: two out of three in the near-limit band


def test_two_of_three_flags_only_the_near_points() -> None:
    chart = on_baseline([15, 11.5, 15, 10, 12], improvement="increase")
    assert flagged(chart) == {
        12: ("two_of_three", "special_cause_improvement"),
        14: ("two_of_three", "special_cause_improvement"),
    }
    assert chart.points[13].point_type == "common_cause"


def test_two_of_three_low_side() -> None:
    chart = on_baseline([7, 9, 7, 12], improvement="decrease")
    assert flagged(chart) == {
        12: ("two_of_three", "special_cause_improvement"),
        14: ("two_of_three", "special_cause_improvement"),
    }


def test_two_adjacent_near_points() -> None:
    chart = on_baseline([11.5, 15, 15, 10], improvement="neutral")
    assert flagged(chart) == {
        13: ("two_of_three", "special_cause_neutral_high"),
        14: ("two_of_three", "special_cause_neutral_high"),
    }


def test_two_of_three_needs_all_three_on_one_side() -> None:
    # Issue #143 (fixed in 0.2.0): near points separated by a point across the mean, or two
    # adjacent near points with the points either side across the mean.
    assert flagged(on_baseline([15, 10, 15, 10])) == {}
    assert flagged(on_baseline([10, 15, 15, 10])) == {}


def test_near_points_too_far_apart() -> None:
    assert flagged(on_baseline([15, 11.5, 11.5, 15, 10])) == {}


def test_an_outside_point_does_not_count_towards_two_of_three() -> None:
    # The package counts close_to_limits, which excludes points outside the limits: 17 is
    # outside, 15 is the only near point in its windows, so 15 is not flagged.
    chart = on_baseline([17, 15, 10, 12], improvement="increase")
    assert flagged(chart) == {12: ("outside_limits", "special_cause_improvement")}


def test_a_point_exactly_on_the_near_limit_is_not_near() -> None:
    near_high = on_baseline([11.0]).points[0].near_upl
    assert near_high is not None
    assert flagged(on_baseline([near_high, near_high, 10])) == {}


# --------------------------------------------------------------------------------------------
# Rule 4: shifts


def test_seven_points_above_the_mean_is_a_shift() -> None:
    chart = on_baseline([10, *[11.5] * 7, 10], improvement="decrease")
    assert flagged(chart) == dict.fromkeys(range(13, 20), ("shift", "special_cause_concern"))


def test_seven_points_below_the_mean_is_a_shift() -> None:
    chart = on_baseline([12, *[10.5] * 7, 12], improvement="decrease")
    assert flagged(chart) == dict.fromkeys(range(13, 20), ("shift", "special_cause_improvement"))


def test_longer_shift_includes_earlier_points_on_the_same_side() -> None:
    # The baseline ends on 12 (above the mean), so that point joins the run.
    chart = on_baseline([11.5] * 7, improvement="increase")
    assert set(flagged(chart)) == set(range(11, 19))


def test_six_points_is_not_a_shift() -> None:
    assert flagged(on_baseline([10, *[11.5] * 6, 10])) == {}


def test_a_point_on_the_mean_breaks_a_shift() -> None:
    chart = on_baseline([10, 11.5, 11.5, 11.5, 11.0, 11.5, 11.5, 11.5, 10])
    assert chart.points[16].relative_to_mean is None
    assert flagged(chart) == {}


def test_two_of_three_beats_shift() -> None:
    chart = on_baseline([10, 11.5, 11.5, 15, 11.5, 15, 11.5, 11.5, 10], improvement="increase")
    rules = {i: rule for i, (rule, _) in flagged(chart).items()}
    assert rules == {
        13: "shift",
        14: "shift",
        15: "two_of_three",
        16: "shift",
        17: "two_of_three",
        18: "shift",
        19: "shift",
    }


def test_outside_limits_beats_shift() -> None:
    chart = on_baseline([10, 11.5, 11.5, 11.5, 17, 11.5, 11.5, 11.5, 10], improvement="increase")
    rules = {i: rule for i, (rule, _) in flagged(chart).items()}
    assert rules == {**dict.fromkeys(range(13, 20), "shift"), 16: "outside_limits"}


# --------------------------------------------------------------------------------------------
# Assurance (R/ptd_calculate_assurance_type.R; cases after test-ptd_calculate_assurance_type.R)


@pytest.mark.parametrize(
    ("target", "improvement", "expected"),
    [
        (20.0, "increase", "consistent_fail"),  # target above the upper limit
        (20.0, "decrease", "consistent_pass"),
        (2.0, "increase", "consistent_pass"),  # target below the lower limit
        (2.0, "decrease", "consistent_fail"),
        (11.0, "increase", "inconsistent"),  # target within the limits
        (11.0, "decrease", "inconsistent"),
        (UPL, "increase", "inconsistent"),  # on a limit is not beyond it
        (LPL, "decrease", "inconsistent"),
        (20.0, "neutral", None),
        (2.0, "neutral", None),
    ],
)
def test_assurance(target: float, improvement: str, expected: str | None) -> None:
    assert on_baseline([11.0], target=target, improvement=improvement).assurance == expected


def test_no_target_no_assurance() -> None:
    assert on_baseline([11.0], improvement="increase").assurance is None
    assert on_baseline([11.0]).target is None


def test_assurance_accepts_int_and_decimal_targets() -> None:
    assert on_baseline([11.0], target=20, improvement="increase").assurance == "consistent_fail"
    chart = on_baseline([11.0], target=Decimal("2.5"), improvement="increase")
    assert chart.assurance == "consistent_pass"
    assert chart.target == 2.5


def test_assurance_uses_the_last_groups_limits() -> None:
    # "it returns correct values for assurance when rebase": only the last row counts.
    values = [*BASELINE, *[30.0, 32.0] * 6]  # second group: mean 31, limits 25.68 to 36.32
    chart = xmr(values, rebase_at=(12,), target=20, improvement="decrease")
    assert chart.assurance == "consistent_fail"  # 20 is below the latest lower limit
    assert xmr(BASELINE, target=20, improvement="decrease").assurance == "consistent_pass"
    chart = xmr(values, rebase_at=(12,), target=11, improvement="decrease")
    assert chart.assurance == "consistent_fail"


def test_assurance_when_latest_limits_cannot_be_computed() -> None:
    # One point in the latest group: no moving range, so no limits.  R compares against NaN,
    # every comparison is NA, and case_when falls through to "inconsistent".
    chart = xmr([*BASELINE, 50.0], rebase_at=(12,), target=20, improvement="increase")
    assert chart.points[-1].upl is None
    assert chart.assurance == "inconsistent"


# --------------------------------------------------------------------------------------------
# Rebasing


def test_rebasing_gives_each_group_its_own_limits() -> None:
    values = [*BASELINE, *[30.0, 34.0] * 6]
    chart = xmr(values, rebase_at=[12])
    groups = {p.group: (p.mean, p.lpl, p.upl) for p in chart.points}
    assert groups == {0: (MEAN, LPL, UPL), 1: (32.0, 32.0 - 2.66 * 4, 32.0 + 2.66 * 4)}
    assert [p.group for p in chart.points] == [0] * 12 + [1] * 12
    assert chart.rebase_at == (12,)
    # The moving range restarts with the group.
    assert chart.points[12].moving_range is None
    assert chart.points[13].moving_range == 4.0
    # Without the rebase the jump would be special cause.
    assert flagged(chart) == {}
    assert flagged(xmr(values))


def test_rules_do_not_cross_a_rebase() -> None:
    values = [*BASELINE, 10, *[11.5] * 7]
    assert set(flagged(xmr(values, fix_after_n_points=12))) == set(range(13, 20))
    # Rebasing in the middle of the run: 3 high points in group 0, group 1 flat on its mean.
    rebased = xmr(values, fix_after_n_points=12, rebase_at=(16,))
    assert flagged(rebased) == {}


def test_rebasing_matches_charting_each_group_alone() -> None:
    chart = xmr(RNORM_20, rebase_at=(7,), improvement="increase")
    alone = xmr(RNORM_20[7:], improvement="increase")
    for p, q in zip(chart.points[7:], alone.points, strict=True):
        assert (p.mean, p.lpl, p.upl, p.point_type) == (q.mean, q.lpl, q.upl, q.point_type)


def test_rebase_at_zero_and_duplicates() -> None:
    # rebase_group = cumsum(rebase): a rebase at the first point just renumbers the group.
    chart = xmr(RNORM_20, rebase_at=(0, 0))
    assert {p.group for p in chart.points} == {1}
    assert chart.rebase_at == (0,)
    assert first(chart).mean == first(xmr(RNORM_20)).mean


@pytest.mark.parametrize("index", [-1, 20, 99])
def test_rebase_out_of_range(index: int) -> None:
    with pytest.raises(ValueError, match="out of range"):
        xmr(RNORM_20, rebase_at=(index,))


def test_rebase_on_empty_input_is_out_of_range() -> None:
    with pytest.raises(ValueError, match="out of range"):
        xmr([], rebase_at=(0,))


def test_rebase_must_be_int() -> None:
    with pytest.raises(ValueError, match="rebase_at"):
        xmr(RNORM_20, rebase_at=(1.5,))  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# Fixed baseline (fix_after_n_points)


def test_fixed_baseline_ignores_later_points() -> None:
    chart = on_baseline([100.0, 11.0, 11.0])
    assert (first(chart).mean, first(chart).upl) == (MEAN, UPL)
    assert chart.points[12].rule == "outside_limits"
    unfixed = xmr([*BASELINE, 100.0, 11.0, 11.0])
    assert first(unfixed).mean != MEAN


def test_fixed_baseline_still_reports_every_moving_range() -> None:
    chart = on_baseline([100.0])
    assert chart.points[12].moving_range == 88.0


def test_fixed_baseline_applies_per_group() -> None:
    values = [*BASELINE, 50.0, *[30.0, 34.0] * 6, 90.0]
    chart = xmr(values, rebase_at=(13,), fix_after_n_points=12)
    assert [p.mean for p in (chart.points[0], chart.points[13])] == [MEAN, 32.0]
    assert chart.points[12].rule == "outside_limits"
    assert chart.points[-1].rule == "outside_limits"
    # Group 0 has 13 points and group 1 has 13: no short-group warning.
    assert not chart.short_group_warning


def test_fixed_baseline_longer_than_the_group_uses_all_of_it() -> None:
    assert first(xmr(RNORM_20, fix_after_n_points=50)).mean == first(xmr(RNORM_20)).mean


@pytest.mark.parametrize("n", [0, 1, 11, -12, 12.0, 12.5, True, "12"])
def test_fixed_baseline_needs_at_least_12_points(n: object) -> None:
    # ptd_spc_options.R: "fix_after_n_points must be a single numeric that is greater than or
    # equal to 12."
    with pytest.raises(ValueError, match="fix_after_n_points"):
        xmr(RNORM_20, fix_after_n_points=n)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# Short-group warning (R/ptd_add_short_group_warnings.R and its tests)


def test_short_group_warning_thresholds() -> None:
    assert xmr(RNORM_20[:11]).short_group_warning  # "it warns when a group is shorter"
    assert not xmr(RNORM_20[:12]).short_group_warning  # "does not warn when ... equal"
    assert not xmr(RNORM_20).short_group_warning


def test_short_group_warning_for_one_short_rebase_group() -> None:
    # "warning on one facet": a 5-point group among long ones.
    values = RNORM_20 * 2
    assert not xmr(values, rebase_at=(20,)).short_group_warning
    assert xmr(values, rebase_at=(15, 20)).short_group_warning


def test_short_group_counts_missing_rows() -> None:
    # dplyr::n() counts rows, whatever their value.
    values: list[float | None] = [*RNORM_20[:10], None, None]
    assert not xmr(values).short_group_warning


# --------------------------------------------------------------------------------------------
# Missing values


def test_missing_value_is_skipped_in_mean_and_moving_ranges() -> None:
    chart = xmr([10, 12, None, 14, 10])
    assert [p.moving_range for p in chart.points] == [None, 2.0, None, None, 4.0]
    p = first(chart)
    assert p.mean == 11.5
    assert p.upl == pytest.approx(11.5 + 2.66 * 3)  # moving ranges 2 and 4
    gap = chart.points[2]
    assert (gap.value, gap.relative_to_mean, gap.rule, gap.point_type) == (
        None,
        None,
        None,
        "common_cause",
    )
    assert gap.mean == p.mean and gap.upl == p.upl  # the group's limits are still reported


def test_nan_is_missing() -> None:
    with_nan = xmr([10, 12, math.nan, 14, 10])
    with_none = xmr([10, 12, None, 14, 10])
    assert with_nan == with_none


def test_missing_value_breaks_a_shift() -> None:
    assert set(flagged(on_baseline([10, *[11.5] * 7, 10]))) == set(range(13, 20))
    assert flagged(on_baseline([10, *[11.5] * 4, None, *[11.5] * 3, 10])) == {}


def test_missing_value_breaks_a_trend() -> None:
    assert flagged(on_baseline([10, 10.5, 11, None, 11.5, 12, 12.5, 13, 10])) == {}


def test_missing_value_breaks_a_two_of_three_window() -> None:
    assert flagged(on_baseline([15, None, 15, 10])) == {}
    # A gap after a complete window does not undo it (index 11 is the baseline's last 12).
    assert set(flagged(on_baseline([15, 15, None, 10]))) == {12, 13}


def test_missing_last_value_gives_common_cause_variation() -> None:
    chart = xmr([10, 12] * 10 + [30, None])
    assert chart.points[-2].is_special_cause
    assert chart.variation == "common_cause"


def test_all_missing() -> None:
    chart = xmr([None, None, None], target=5, improvement="increase")
    assert all(p.mean is None and p.upl is None for p in chart.points)
    assert {p.point_type for p in chart.points} == {"common_cause"}
    assert chart.assurance == "inconsistent"
    assert chart.short_group_warning


# --------------------------------------------------------------------------------------------
# Degenerate and empty input


def test_empty_input() -> None:
    chart = xmr([], target=10, improvement="increase")
    assert chart.points == ()
    assert chart.assurance is None
    assert chart.variation is None
    assert chart.short_group_warning is False
    assert chart.improvement == "increase"
    assert chart.target == 10.0


def test_single_point() -> None:
    chart = xmr([7])
    p = first(chart)
    assert (p.mean, p.lpl, p.upl, p.moving_range, p.point_type) == (
        7.0,
        None,
        None,
        None,
        "common_cause",
    )
    assert chart.short_group_warning


def test_flat_series_with_screening_has_no_limits() -> None:
    # Every moving range is 0 and none is below 3.267 x 0, so screening removes them all and
    # the package's mean of nothing is NaN.  Without screening the limits sit on the mean.
    screened = first(xmr([4] * 15))
    assert (screened.mean, screened.lpl, screened.upl) == (4.0, None, None)
    unscreened = first(xmr([4] * 15, screen_outliers=False))
    assert (unscreened.lpl, unscreened.mean, unscreened.upl) == (4.0, 4.0, 4.0)
    assert {p.point_type for p in xmr([4] * 15).points} == {"common_cause"}


def test_mostly_flat_series_collapses_the_limits() -> None:
    # Zero restraints for 20 months then one.  The only non-zero moving range (1) is at least
    # 3.267 x the mean moving range (1/20), so screening drops it; the mean moving range of the
    # remaining zeros is 0 and both limits collapse onto the mean (1/21).  Every point is then
    # outside: the zeros below, the one above.  That is what the package computes (screening is
    # its default).  The Excel-tool setting keeps the moving range: limits 1/21 +/- 2.66/20, so
    # the zeros are inside (a shift below the mean) and the one is still outside.
    chart = xmr([0] * 20 + [1], improvement="decrease")
    p = first(chart)
    assert p.lpl == p.mean == p.upl == pytest.approx(1 / 21)
    assert flagged(chart) == {
        **dict.fromkeys(range(20), ("outside_limits", "special_cause_improvement")),
        20: ("outside_limits", "special_cause_concern"),
    }
    excel = xmr([0] * 20 + [1], improvement="decrease", screen_outliers=False)
    assert first(excel).upl == pytest.approx(1 / 21 + 2.66 / 20)
    assert flagged(excel) == {
        **dict.fromkeys(range(20), ("shift", "special_cause_improvement")),
        20: ("outside_limits", "special_cause_concern"),
    }


# --------------------------------------------------------------------------------------------
# API surface


def test_point_fields_and_order() -> None:
    chart = xmr([3, 5, 4], improvement="neutral")
    assert [p.index for p in chart.points] == [0, 1, 2]
    assert [p.value for p in chart.points] == [3.0, 5.0, 4.0]
    assert [p.moving_range for p in chart.points] == [None, 2.0, 1.0]
    assert [p.relative_to_mean for p in chart.points] == ["low", "high", None]
    p = first(chart)
    assert p.near_lpl is not None and p.near_upl is not None
    assert p.lpl is not None and p.upl is not None
    assert p.lpl < p.near_lpl < p.mean < p.near_upl < p.upl  # type: ignore[operator]
    assert chart.improvement == "neutral"
    assert chart.screen_outliers is True
    assert chart.fix_after_n_points is None


def test_accepts_any_iterable_of_numbers() -> None:
    from_generator = xmr(x for x in RNORM_20)
    from_decimals = xmr([Decimal(str(x)) for x in RNORM_20])
    assert from_generator == xmr(RNORM_20)
    assert first(from_decimals).mean == pytest.approx(0.1416238, abs=5e-8)


def test_results_are_frozen() -> None:
    chart = xmr(RNORM_20)
    with pytest.raises(FrozenInstanceError):
        chart.assurance = "inconsistent"  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        chart.points[0].point_type = "common_cause"  # type: ignore[misc]


def test_default_improvement_is_decrease() -> None:
    assert xmr(RNORM_20).improvement == "decrease"
    assert flagged(xmr([10, 12] * 10 + [30])) == {20: ("outside_limits", "special_cause_concern")}


@pytest.mark.parametrize("improvement", ["up", "Increase", "", "higher_is_better"])
def test_bad_improvement(improvement: str) -> None:
    with pytest.raises(ValueError, match="improvement must be one of"):
        xmr(RNORM_20, improvement=improvement)


@pytest.mark.parametrize("value", ["3", True, [1], math.inf])
def test_bad_values(value: object) -> None:
    with pytest.raises((TypeError, ValueError), match="index 1"):
        xmr([1, value, 3])  # type: ignore[list-item]


def test_bad_target() -> None:
    with pytest.raises(TypeError, match="target"):
        xmr(RNORM_20, target="10")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="target"):
        xmr(RNORM_20, target=math.nan)


def test_no_django_import() -> None:
    import subprocess
    import sys

    code = (
        "import sys, rrp.analytics.spc; "
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True, env={"PYTHONPATH": ":".join(sys.path)})


# --------------------------------------------------------------------------------------------
# Properties (hypothesis)

ints = st.integers(min_value=-1000, max_value=1000)
int_series = st.lists(ints, min_size=0, max_size=40)
gappy_series = st.lists(st.one_of(ints, st.none()), min_size=0, max_size=40)
floats = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
directions = st.sampled_from(["increase", "decrease", "neutral"])
PROPERTY_SETTINGS = settings(max_examples=200, deadline=None)


def _limits_of(chart: XmRChart) -> list[tuple[float | None, ...]]:
    return [(p.mean, p.lpl, p.upl, p.near_lpl, p.near_upl) for p in chart.points]


def _on_a_boundary(chart: XmRChart, tolerance: float = 1e-6) -> bool:
    """True if any value is so close to its mean, limit or near limit that rounding could
    decide which side it falls (where shifting or rescaling may legitimately flip it)."""
    for p in chart.points:
        if p.value is None:
            continue
        for bound in (p.mean, p.lpl, p.upl, p.near_lpl, p.near_upl):
            if bound is not None and abs(p.value - bound) <= tolerance * max(1.0, abs(bound)):
                return True
    return False


@PROPERTY_SETTINGS
@given(gappy_series, st.booleans(), directions)
def test_property_limits_are_ordered_and_symmetric(
    values: list[int | None], screen: bool, direction: str
) -> None:
    chart = xmr(values, improvement=direction, screen_outliers=screen)
    assert len(chart.points) == len(values)
    for p in chart.points:
        if p.upl is None:
            assert p.lpl is None and p.near_lpl is None and p.near_upl is None
            continue
        assert p.mean is not None
        assert p.lpl is not None and p.near_lpl is not None and p.near_upl is not None
        assert p.lpl <= p.near_lpl <= p.mean <= p.near_upl <= p.upl
        assert p.upl - p.mean == pytest.approx(p.mean - p.lpl, rel=1e-9, abs=1e-9)
        assert p.near_upl - p.mean == pytest.approx(p.mean - p.near_lpl, rel=1e-9, abs=1e-9)


@PROPERTY_SETTINGS
@given(
    floats,
    st.integers(min_value=0, max_value=40),
    st.booleans(),
    directions,
    st.booleans(),
)
def test_property_constant_series_is_common_cause(
    value: float, n: int, screen: bool, direction: str, with_target: bool
) -> None:
    chart = xmr(
        [value] * n,
        improvement=direction,
        screen_outliers=screen,
        target=value if with_target else None,
    )
    assert all(p.point_type == "common_cause" and p.rule is None for p in chart.points)
    assert all(p.relative_to_mean is None for p in chart.points)


@PROPERTY_SETTINGS
@given(int_series, ints, st.booleans(), directions)
def test_property_adding_a_constant_shifts_everything(
    values: list[int], shift: int, screen: bool, direction: str
) -> None:
    chart = xmr(values, improvement=direction, screen_outliers=screen)
    moved = xmr([v + shift for v in values], improvement=direction, screen_outliers=screen)
    assume(not _on_a_boundary(chart) and not _on_a_boundary(moved))
    for before, after in zip(_limits_of(chart), _limits_of(moved), strict=True):
        for b, a in zip(before, after, strict=True):
            assert (b is None) == (a is None)
            if b is not None and a is not None:
                assert a == pytest.approx(b + shift, abs=1e-9)
    assert [p.point_type for p in moved.points] == [p.point_type for p in chart.points]
    assert [p.rule for p in moved.points] == [p.rule for p in chart.points]


@PROPERTY_SETTINGS
@given(gappy_series, st.integers(min_value=-8, max_value=8), st.booleans(), directions)
def test_property_scaling_by_a_power_of_two_is_exact(
    values: list[int | None], exponent: int, screen: bool, direction: str
) -> None:
    # Multiplying by 2**k is exact in binary floating point, so every comparison is unchanged.
    factor = 2.0**exponent
    chart = xmr(values, improvement=direction, screen_outliers=screen)
    scaled = xmr(
        [None if v is None else v * factor for v in values],
        improvement=direction,
        screen_outliers=screen,
    )
    for before, after in zip(_limits_of(chart), _limits_of(scaled), strict=True):
        assert after == tuple(None if b is None else b * factor for b in before)
    assert [p.point_type for p in scaled.points] == [p.point_type for p in chart.points]


@PROPERTY_SETTINGS
@given(
    int_series,
    st.floats(min_value=0.01, max_value=100, allow_nan=False),
    st.booleans(),
    directions,
)
def test_property_scaling_by_a_positive_factor(
    values: list[int], factor: float, screen: bool, direction: str
) -> None:
    chart = xmr(values, improvement=direction, screen_outliers=screen)
    scaled = xmr([v * factor for v in values], improvement=direction, screen_outliers=screen)
    assume(not _on_a_boundary(chart) and not _on_a_boundary(scaled))
    for before, after in zip(_limits_of(chart), _limits_of(scaled), strict=True):
        for b, a in zip(before, after, strict=True):
            assert (b is None) == (a is None)
            if b is not None and a is not None:
                assert a == pytest.approx(b * factor, rel=1e-9, abs=1e-9)
    assert [p.point_type for p in scaled.points] == [p.point_type for p in chart.points]


SWAP = {
    "special_cause_improvement": "special_cause_concern",
    "special_cause_concern": "special_cause_improvement",
    "common_cause": "common_cause",
}
NEUTRAL_FROM_INCREASE = {
    "special_cause_improvement": "special_cause_neutral_high",
    "special_cause_concern": "special_cause_neutral_low",
    "common_cause": "common_cause",
}


@PROPERTY_SETTINGS
@given(gappy_series, st.booleans(), st.one_of(st.none(), ints))
def test_property_reversing_direction_swaps_improvement_and_concern(
    values: list[int | None], screen: bool, target: int | None
) -> None:
    up = xmr(values, improvement="increase", screen_outliers=screen, target=target)
    down = xmr(values, improvement="decrease", screen_outliers=screen, target=target)
    neutral = xmr(values, improvement="neutral", screen_outliers=screen, target=target)
    assert [SWAP[p.point_type] for p in up.points] == [p.point_type for p in down.points]
    assert [NEUTRAL_FROM_INCREASE[p.point_type] for p in up.points] == [
        p.point_type for p in neutral.points
    ]
    assert [p.rule for p in up.points] == [p.rule for p in down.points]
    swapped_assurance = {
        "consistent_pass": "consistent_fail",
        "consistent_fail": "consistent_pass",
        "inconsistent": "inconsistent",
        None: None,
    }
    assert swapped_assurance[up.assurance] == down.assurance
    assert neutral.assurance is None


@PROPERTY_SETTINGS
@given(gappy_series, st.data())
def test_property_rebased_groups_are_independent_charts(
    values: list[int | None], data: st.DataObject
) -> None:
    assume(len(values) >= 2)
    cut = data.draw(st.integers(min_value=1, max_value=len(values) - 1))
    chart = xmr(values, rebase_at=(cut,), improvement="increase")
    head = xmr(values[:cut], improvement="increase")
    tail = xmr(values[cut:], improvement="increase")
    for p, q in zip(chart.points, [*head.points, *tail.points], strict=True):
        assert (p.mean, p.lpl, p.upl, p.point_type, p.rule, p.moving_range) == (
            q.mean,
            q.lpl,
            q.upl,
            q.point_type,
            q.rule,
            q.moving_range,
        )
    assert Counter(p.group for p in chart.points) == {0: cut, 1: len(values) - cut}


@PROPERTY_SETTINGS
@given(gappy_series, st.booleans(), directions)
def test_property_flags_are_consistent(
    values: list[int | None], screen: bool, direction: str
) -> None:
    chart = xmr(values, improvement=direction, screen_outliers=screen)
    for p in chart.points:
        assert (p.rule is None) == (p.point_type == "common_cause")
        if p.value is None:
            assert p.rule is None
        if p.rule == "outside_limits":
            assert p.upl is not None and p.lpl is not None and p.value is not None
            assert p.value > p.upl or p.value < p.lpl
        if p.rule in ("two_of_three", "shift"):
            assert p.relative_to_mean is not None
    assert chart.variation == (chart.points[-1].point_type if chart.points else None)
