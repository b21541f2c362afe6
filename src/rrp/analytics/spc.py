"""XmR statistical process control charts, as NHS England's "Making Data Count" draws them.

This module reproduces the calculations of the NHS-R Community R package NHSRplotthedots 0.2.2
(MIT licence), because trust boards read these charts every month and the system must give the
same answers as that package. The rules are summarised in
``docs/sources/spc-making-data-count.md``; the package files the behaviour comes from
are cited next to each step:

* ``R/ptd_spc_standard.R``          - mean, moving ranges, outlier screening, limits, bands
* ``R/ptd_calculate_point_type.R``  - the four special-cause rules, precedence and labelling
* ``R/ptd_calculate_assurance_type.R`` - assurance against a target
* ``R/ptd_add_short_group_warnings.R`` - the "fewer than 12 points" warning
* ``R/ptd_spc_options.R``           - ``fix_after_n_points >= 12``
* ``R/geom_ptd_icon.R``             - the variation icon is the last point's type

Pure standard-library Python: no Django, no numpy, so it can be used from management commands,
reports and tests alike.

Missing values (``None`` or NaN) are treated as the package treats ``NA`` (the package asks
for "no gaps in the time series" but does not reject them):

* a missing point keeps its position (and its month) in the series and counts towards its
  group's size, as ``dplyr::n()`` does for the short-group warning;
* it is left out of the mean (``mean(..., na.rm = TRUE)``);
* the moving ranges either side of it are missing (``abs(diff(y))`` gives ``NA``), so a moving
  range never bridges the gap;
* it is never flagged (every rule's test on it is ``NA``, which ``dplyr::case_when`` treats as
  false), so its ``point_type`` is ``common_cause`` and its ``rule`` is ``None``;
* any 7-point run or 3-point window that contains it does not count, i.e. a gap breaks a
  trend, a shift and a two-of-three window.  (For a trend the package's ``if (all(d == 1))``
  can even stop with "missing value where TRUE/FALSE needed"; not flagging is the reasonable
  reading.)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from numbers import Real
from typing import Final, Literal, TypeAlias

__all__ = [
    "Assurance",
    "Improvement",
    "PointType",
    "Rule",
    "Side",
    "SPCPoint",
    "XmRChart",
    "xmr",
]

Improvement: TypeAlias = Literal["increase", "decrease", "neutral"]
PointType: TypeAlias = Literal[
    "common_cause",
    "special_cause_improvement",
    "special_cause_concern",
    "special_cause_neutral_high",
    "special_cause_neutral_low",
]
Rule: TypeAlias = Literal["outside_limits", "trend", "two_of_three", "shift"]
Assurance: TypeAlias = Literal["consistent_pass", "consistent_fail", "inconsistent"]
Side: TypeAlias = Literal["high", "low"]

IMPROVEMENTS: Final[tuple[Improvement, ...]] = ("increase", "decrease", "neutral")

# Constants exactly as ptd_spc_standard.R writes them, including the order of operations for
# the near-limit factor (2 * (2.66 / 3)), so the floating-point results agree with R's.
LIMIT_FACTOR: Final = 2.66
NEAR_LIMIT_FACTOR: Final = 2 * (LIMIT_FACTOR / 3)
# ptd_spc_standard.R: a moving range is screened out when it is NOT below 3.267 x mean mR.
SCREEN_FACTOR: Final = 3.267
# Length of a trend or shift run (ptd_seven_point_trend / ptd_seven_point_one_side_mean).
RUN_LENGTH: Final = 7
# Best practice is at least 12 points per group: the package warns below that and refuses to
# fix a baseline on fewer (ptd_spc_options.R: "fix_after_n_points ... greater than or equal to
# 12"). ptd_add_short_group_warnings.R documents, messages ('n < 12') and tests a threshold of
# 12, although its code defaults to getOption("ptd_spc.warning_threshold", 13); we follow the
# documented and tested 12.
MIN_GROUP_POINTS: Final = 12


@dataclass(frozen=True, slots=True)
class SPCPoint:
    """One point of an XmR chart, with the limits of the group it belongs to."""

    index: int
    value: float | None
    group: int
    # |value - previous value| within the group; None for the first point of a group and next
    # to a missing value.  Shown on an mR chart; the baseline may use only some of them.
    moving_range: float | None
    # mean/limits are None when the group has too little data to compute them (no values for
    # the mean; no usable moving range for the limits).  The package gives NaN there.
    mean: float | None
    lpl: float | None
    upl: float | None
    near_lpl: float | None
    near_upl: float | None
    relative_to_mean: Side | None
    rule: Rule | None
    point_type: PointType

    @property
    def is_special_cause(self) -> bool:
        return self.point_type != "common_cause"


@dataclass(frozen=True, slots=True)
class XmRChart:
    """An XmR chart: every point in input order, the summary icons and the options used."""

    points: tuple[SPCPoint, ...]
    improvement: Improvement
    target: float | None
    assurance: Assurance | None
    short_group_warning: bool
    screen_outliers: bool = True
    fix_after_n_points: int | None = None
    rebase_at: tuple[int, ...] = ()

    @property
    def variation(self) -> PointType | None:
        """The variation icon: the last point's type (geom_ptd_icon.R picks the latest x).

        None only for an empty chart.  A missing last value gives ``common_cause``, as in the
        package, where the last row is used whether or not it has a value.
        """
        return self.points[-1].point_type if self.points else None


@dataclass(frozen=True, slots=True)
class _Limits:
    mean: float | None
    lpl: float | None
    upl: float | None
    near_lpl: float | None
    near_upl: float | None


@dataclass(frozen=True, slots=True)
class _Flag:
    rule: Rule
    high: bool


def xmr(
    values: Iterable[float | int | Decimal | None],
    improvement: Improvement | str = "decrease",
    target: float | int | Decimal | None = None,
    screen_outliers: bool = True,
    rebase_at: Iterable[int] = (),
    fix_after_n_points: int | None = None,
) -> XmRChart:
    """Build an XmR chart of ``values`` (in time order, one per period).

    ``improvement`` says which direction is better ("increase", "decrease" or "neutral").
    ``target`` gives the assurance icon.  ``screen_outliers=False`` reproduces the NHS England
    Excel tool.  ``rebase_at`` holds indexes of points that start a new group with its own
    limits (never automatic).  ``fix_after_n_points`` bases each group's mean and limits on its
    first n points only (n >= 12).
    """
    direction = _validate_improvement(improvement)
    fix_n = _validate_fix_after(fix_after_n_points)
    ys = [_clean_value(i, v) for i, v in enumerate(values)]
    rebases = _validate_rebase(rebase_at, len(ys))
    target_value = _clean_target(target)

    if not ys:
        return XmRChart(
            points=(),
            improvement=direction,
            target=target_value,
            assurance=None,
            short_group_warning=False,
            screen_outliers=screen_outliers,
            fix_after_n_points=fix_n,
            rebase_at=rebases,
        )

    # ptd_spc_standard.R: rebase_group = cumsum(rebase), so points before the first rebase are
    # group 0 and a rebase at index 0 makes the whole series group 1.
    rebase_set = set(rebases)
    group_ids: list[int] = []
    group = 0
    for i in range(len(ys)):
        if i in rebase_set:
            group += 1
        group_ids.append(group)

    points: list[SPCPoint] = []
    short_group = False
    start = 0
    while start < len(ys):
        end = start
        while end < len(ys) and group_ids[end] == group_ids[start]:
            end += 1
        group_values = ys[start:end]
        # ptd_add_short_group_warnings.R counts rows (dplyr::n()), missing values included.
        short_group = short_group or len(group_values) < MIN_GROUP_POINTS
        points.extend(
            _group_points(
                group_values,
                first_index=start,
                group=group_ids[start],
                direction=direction,
                screen_outliers=screen_outliers,
                fix_n=fix_n,
            )
        )
        start = end

    return XmRChart(
        points=tuple(points),
        improvement=direction,
        target=target_value,
        assurance=_assurance(points[-1], target_value, direction),
        short_group_warning=short_group,
        screen_outliers=screen_outliers,
        fix_after_n_points=fix_n,
        rebase_at=rebases,
    )


# --------------------------------------------------------------------------------------------
# Validation


def _validate_improvement(improvement: str) -> Improvement:
    for option in IMPROVEMENTS:
        if improvement == option:
            return option
    raise ValueError(
        f"improvement must be one of {', '.join(repr(o) for o in IMPROVEMENTS)}; "
        f"got {improvement!r}"
    )


def _validate_fix_after(n: int | None) -> int | None:
    if n is None:
        return None
    # ptd_spc_options.R refuses anything but a single number >= 12.
    if isinstance(n, bool) or not isinstance(n, int) or n < MIN_GROUP_POINTS:
        raise ValueError(
            f"fix_after_n_points must be a whole number greater than or equal to "
            f"{MIN_GROUP_POINTS}; got {n!r}"
        )
    return n


def _validate_rebase(rebase_at: Iterable[int], length: int) -> tuple[int, ...]:
    indexes: set[int] = set()
    for index in rebase_at:
        if isinstance(index, bool) or not isinstance(index, int):
            raise ValueError(f"rebase_at must hold point indexes (int); got {index!r}")
        # Negative indexes are refused rather than counted from the end: a rebase is a known
        # change at a known month, and a silent wrap-around would put it somewhere else.
        if not 0 <= index < length:
            raise ValueError(
                f"rebase index {index} is out of range for {length} value(s) "
                f"(valid: 0 to {length - 1})"
                if length
                else f"rebase index {index} is out of range: there are no values"
            )
        indexes.add(index)
    return tuple(sorted(indexes))


def _clean_value(index: int, value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, Real | Decimal):
        raise TypeError(f"value at index {index} must be a number or None; got {value!r}")
    number = float(value)
    # NaN is R's NA for doubles (is.na(NaN) is TRUE), so it is a missing value here too.
    if math.isnan(number):
        return None
    if math.isinf(number):
        raise ValueError(f"value at index {index} is infinite")
    return number


def _clean_target(target: object) -> float | None:
    if target is None:
        return None
    if isinstance(target, bool) or not isinstance(target, Real | Decimal):
        raise TypeError(f"target must be a number or None; got {target!r}")
    number = float(target)
    if not math.isfinite(number):
        raise ValueError(f"target must be a finite number; got {target!r}")
    return number


# --------------------------------------------------------------------------------------------
# Limits (ptd_spc_standard.R)


def _mean(xs: Sequence[float]) -> float | None:
    """Arithmetic mean, correctly rounded.

    R's mean() accumulates in long double and then corrects by the mean residual, which gives
    the correctly rounded mean in practice; exact rational arithmetic guarantees it, so a value
    exactly on the mean is recognised as such (it breaks a shift).
    """
    if not xs:
        return None
    return float(sum((Fraction(x) for x in xs), Fraction(0)) / len(xs))


def _moving_ranges(ys: Sequence[float | None]) -> list[float | None]:
    # c(NA, abs(diff(y))): nothing for the first point, and NA next to a missing value.
    ranges: list[float | None] = [None]
    for previous, current in zip(ys, ys[1:], strict=False):
        ranges.append(None if previous is None or current is None else abs(current - previous))
    return ranges


def _limits(ys: Sequence[float | None], screen_outliers: bool, fix_n: int | None) -> _Limits:
    # fix_y: only the first n rows of the group (row_number() counts missing rows too) feed the
    # baseline; later points are judged against it.
    baseline = list(ys if fix_n is None else ys[:fix_n])
    mean = _mean([y for y in baseline if y is not None])
    ranges = [r for r in _moving_ranges(baseline) if r is not None]
    mean_range = _mean(ranges)
    if screen_outliers and mean_range is not None:
        # Keep a moving range only if it is strictly below 3.267 x the mean moving range.  When
        # every moving range is 0 (a flat series) none is below 0, so none is left and the
        # limits cannot be computed: the package gives NaN limits there, and we give None.
        mean_range = _mean([r for r in ranges if r < SCREEN_FACTOR * mean_range])
    if mean is None or mean_range is None:
        return _Limits(mean=mean, lpl=None, upl=None, near_lpl=None, near_upl=None)
    return _Limits(
        mean=mean,
        lpl=mean - LIMIT_FACTOR * mean_range,
        upl=mean + LIMIT_FACTOR * mean_range,
        near_lpl=mean - NEAR_LIMIT_FACTOR * mean_range,
        near_upl=mean + NEAR_LIMIT_FACTOR * mean_range,
    )


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


# --------------------------------------------------------------------------------------------
# Special-cause rules (ptd_calculate_point_type.R).  Each rule looks only at the points of one
# group (the package groups by facet and rebase_group), so runs never cross a rebase.


def _trend_run_ends(ys: Sequence[float | None]) -> list[int]:
    """+1/-1 where a point ends 7 points each strictly above/below the one before, else 0.

    ptd_seven_point_trend: a tie (difference 0) breaks the run; a missing value does too.
    """
    ends = [0] * len(ys)
    for i in range(RUN_LENGTH - 1, len(ys)):
        window = ys[i - RUN_LENGTH + 1 : i + 1]
        signs: set[int] = set()
        for a, b in zip(window, window[1:], strict=False):
            signs.add(0 if a is None or b is None else _sign(b - a))
        if signs == {1}:
            ends[i] = 1
        elif signs == {-1}:
            ends[i] = -1
    return ends


def _shift_run_ends(sides: Sequence[int | None]) -> list[bool]:
    """True where a point ends 7 points on the same side of the mean.

    ptd_seven_point_one_side_mean: a point exactly on the mean (sign 0) breaks the run.
    """
    ends = [False] * len(sides)
    for i in range(RUN_LENGTH - 1, len(sides)):
        window = sides[i - RUN_LENGTH + 1 : i + 1]
        ends[i] = window[0] in (1, -1) and all(s == window[0] for s in window)
    return ends


def _part_of_run(ends: Sequence[object]) -> list[bool]:
    # ptd_part_of_seven_trend: a point belongs to a run if it, or one of the next 6 points,
    # ends a run; so all 7 points of the run are flagged, not only the last.
    return [
        any(bool(ends[j]) for j in range(i, min(i + RUN_LENGTH, len(ends))))
        for i in range(len(ends))
    ]


def _part_of_two_in_three(near: Sequence[bool | None], sides: Sequence[int | None]) -> list[bool]:
    """Near-band points in some window of 3 consecutive points that has at least 2 near-band
    points and all 3 points on the same side of the mean.

    ptd_two_in_three looks at the three windows containing the point; windows running off
    either end of the group do not count (the package pads with zeros, which can never make
    the three signs sum to +/-3).  Since 0.2.0 all three points must be on the same side
    (issue #143).  "Near" is the package's close_to_limits, which excludes points outside the
    limits, so an outside point does not count towards the 2.  Only the near-band points
    themselves are flagged (ptd_part_of_two_in_three).
    """
    n = len(near)
    result = [False] * n
    for i in range(n):
        if near[i] is not True:
            continue
        for start in (i - 2, i - 1, i):
            if start < 0 or start + 3 > n:
                continue
            window_sides = sides[start : start + 3]
            window_near = near[start : start + 3]
            if any(s is None for s in window_sides) or any(b is None for b in window_near):
                continue
            same_side = window_sides[0] in (1, -1) and all(
                s == window_sides[0] for s in window_sides
            )
            if same_side and sum(1 for b in window_near if b) >= 2:
                result[i] = True
                break
    return result


def _group_points(
    ys: Sequence[float | None],
    *,
    first_index: int,
    group: int,
    direction: Improvement,
    screen_outliers: bool,
    fix_n: int | None,
) -> list[SPCPoint]:
    limits = _limits(ys, screen_outliers, fix_n)

    sides: list[int | None] = []
    outside: list[bool | None] = []
    near: list[bool | None] = []
    for y in ys:
        # sign(y - mean); NA when either is missing.
        sides.append(None if y is None or limits.mean is None else _sign(y - limits.mean))
        if (
            y is None
            or limits.lpl is None
            or limits.upl is None
            or limits.near_lpl is None
            or limits.near_upl is None
        ):
            outside.append(None)
            near.append(None)
            continue
        # Strict inequalities: a point exactly on a limit is inside it, and a point exactly on
        # a near limit is not in the band.
        is_outside = y > limits.upl or y < limits.lpl
        outside.append(is_outside)
        near.append(not is_outside and (y < limits.near_lpl or y > limits.near_upl))

    trend_ends = _trend_run_ends(ys)
    in_trend = _part_of_run(trend_ends)
    in_two_of_three = _part_of_two_in_three(near, sides)
    in_shift = _part_of_run(_shift_run_ends(sides))

    points: list[SPCPoint] = []
    moving_ranges = _moving_ranges(ys)
    for i, y in enumerate(ys):
        side = sides[i]
        flag: _Flag | None = None
        # Precedence is the order of dplyr::case_when in ptd_special_cause_type: outside the
        # limits, then trend, then two-of-three, then shift.
        if outside[i]:
            flag = _Flag("outside_limits", high=side == 1)
        elif in_trend[i]:
            flag = _Flag("trend", high=_trend_direction(ys, in_trend, i) == 1)
        elif in_two_of_three[i]:
            flag = _Flag("two_of_three", high=side is not None and side > 0)
        elif in_shift[i]:
            flag = _Flag("shift", high=side is not None and side > 0)

        points.append(
            SPCPoint(
                index=first_index + i,
                value=y,
                group=group,
                moving_range=moving_ranges[i],
                mean=limits.mean,
                lpl=limits.lpl,
                upl=limits.upl,
                near_lpl=limits.near_lpl,
                near_upl=limits.near_upl,
                relative_to_mean=None if side is None or side == 0 else _SIDES[side],
                rule=None if flag is None else flag.rule,
                point_type=_point_type(flag, direction),
            )
        )
    return points


_SIDES: Final[dict[int, Side]] = {1: "high", -1: "low"}


def _trend_direction(ys: Sequence[float | None], in_trend: Sequence[bool], i: int) -> int:
    """Direction of the trend a point belongs to, as ptd_special_cause_type computes it.

    The package labels a trend point by the step to its right when the next point is also part
    of a trend, else by the step from its left (so a peak shared by a rising and a falling run
    takes the falling run's label).  Only a step of exactly +1 counts as increasing; anything
    else, including a 0 step where two separate runs meet at a tie, is "Decreasing".  We
    reproduce that quirk rather than second-guess the reference.
    """
    if i + 1 < len(ys) and in_trend[i + 1]:
        a, b = ys[i], ys[i + 1]
    elif i > 0:
        a, b = ys[i - 1], ys[i]
    else:  # pragma: no cover - a first point in a trend always has a trend point after it
        return 0
    if a is None or b is None:  # pragma: no cover - trend points are never missing
        return 0
    return _sign(b - a)


def _point_type(flag: _Flag | None, direction: Improvement) -> PointType:
    # ptd_point_type: high is improvement when higher is better, concern when lower is better;
    # neutral measures only say high or low.
    if flag is None:
        return "common_cause"
    if direction == "neutral":
        return "special_cause_neutral_high" if flag.high else "special_cause_neutral_low"
    good = flag.high == (direction == "increase")
    return "special_cause_improvement" if good else "special_cause_concern"


# --------------------------------------------------------------------------------------------
# Assurance (ptd_calculate_assurance_type.R)


def _assurance(last: SPCPoint, target: float | None, direction: Improvement) -> Assurance | None:
    """Whether the process will consistently meet the target, judged on the last point's
    limits (dplyr::slice_tail(n = 1)), i.e. the latest group's limits after a rebase.

    None without a target or for a neutral measure.  When the latest limits cannot be
    computed the package's comparisons are NA and it falls through to "inconsistent"; so do we.
    """
    if target is None or direction == "neutral":
        return None
    increasing = direction == "increase"
    if last.upl is not None and target > last.upl:
        return "consistent_fail" if increasing else "consistent_pass"
    if last.lpl is not None and target < last.lpl:
        return "consistent_pass" if increasing else "consistent_fail"
    return "inconsistent"
