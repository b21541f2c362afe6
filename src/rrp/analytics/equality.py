"""Rate ratios for equality analysis of restrictive interventions.

A board has to see whether restrictive interventions are used disproportionately on people
with a protected characteristic (the Mental Health Units (Use of Force) Act 2018 s.6 and the
Equality Act 2010 s.149 public sector equality duty; NHS England publishes MHSDS measure MHS96
by ethnicity for the same reason). Raw counts mislead, because groups spend very different
amounts of time in hospital, so each group's count of interventions (or incidents, or people)
is divided by the group's own occupied bed days and compared.

Pure standard-library Python (no scipy): the one special function needed, the inverse of the
regularised incomplete gamma function, is implemented below.

Statistical choices
-------------------
* **Rate and its 95% interval**: the exact Poisson (Garwood) interval,
  Garwood F. "Fiducial limits for the Poisson distribution", Biometrika 1936;28:437-442,
  written with the chi-square / gamma relation (Ulm K., Am J Epidemiol 1990;131:373-375)::

      lower = chi2(alpha/2; 2a) / 2      = Gamma^-1(alpha/2; shape a)
      upper = chi2(1 - alpha/2; 2a+2) / 2 = Gamma^-1(1 - alpha/2; shape a+1)

  chosen over Byar's approximation (used by PHE Fingertips, PHEindicatormethods ``R/Byars.R``)
  because Byar's "is inaccurate and may return a negative number" when the count is very small
  (that file's own note), and small counts are the norm on a single ward; the exact interval is
  what Byar's approximates. Byar's formula is still used: it is the Wilson-Hilferty
  starting point of the Newton iteration (Wilson EB, Hilferty MM, PNAS 1931;17:684-688).
* **Ratio to the whole population** (the default, ``comparison="population"``): the group's
  rate divided by everyone's rate. The group is part of the population, so the two rates are
  not independent and the usual ``1/a + 1/b`` variance does not apply. Conditional on the
  population's total count N, the group's count a is binomial with probability equal to its
  share of the events (the conditional argument for comparing Poisson rates: Breslow NE,
  Day NE, *Statistical Methods in Cancer Research* vol. II, IARC 1987), and the ratio is

      (a / Ea) / (N / E) = (a / N) / (Ea / E)
                         = share of interventions / share of bed days

  so its interval is the Wilson score interval for a/N (Wilson EB, JASA 1927;22:209-212;
  the method PHE recommends for proportions, PHEindicatormethods ``wilson_lower``/``upper``)
  divided by the bed-day share. The interval excludes 1 exactly when the score test rejects
  "the group's rate equals the rate in everyone else", and a zero count needs no special case.
* **Ratio to the rest of the population** (``comparison="rest"``) or to a **reference group**
  (``comparison="reference"``): two independent Poisson rates, so the log rate ratio is
  approximately normal with variance 1/a + 1/b (the Katz log method; Katz D et al.,
  Biometrics 1978;34:469-474; Rothman KJ, Greenland S, Lash TL, *Modern Epidemiology*, 3rd ed.
  2008, ch. 14). When a or b is 0 the log is undefined and the exact conditional
  (Clopper-Pearson) bound is used instead; for a zero count it has a closed form (below).
* A ratio is **significantly higher** when the whole interval is above 1 and **significantly
  lower** when it is all below 1.

Results are for the board and the equality report; apply ``rrp.analytics.disclosure`` before
any count in them is published outside the treating team.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from statistics import NormalDist
from typing import Final, Literal, TypeAlias

__all__ = [
    "Comparison",
    "EqualityAnalysis",
    "GroupCounts",
    "GroupResult",
    "RateEstimate",
    "RateRatio",
    "chi_square_quantile",
    "gamma_quantile",
    "poisson_exact_ci",
    "rate_ratio",
    "rate_ratios",
    "rate_with_ci",
    "ratio_to_population",
    "regularised_gamma_p",
    "regularised_gamma_q",
]

Comparison: TypeAlias = Literal["population", "rest", "reference"]
RatioMethod: TypeAlias = Literal[
    "wilson-share", "katz-log", "exact-conditional", "reference", "not-calculable"
]

# Numerical Recipes' guards for the continued fraction (Press WH et al., *Numerical Recipes*,
# 3rd ed. 2007, §6.2 "Incomplete gamma function"); EPS is tighter than needed for the
# 1e-6 accuracy the rates are shown to.
_EPS: Final = 1e-15
_FPMIN: Final = 1e-300
_MAX_ITER: Final = 100_000


# --- the incomplete gamma function and its inverse ------------------------------------------


def _check_shape(s: float) -> None:
    if not (s > 0 and math.isfinite(s)):
        raise ValueError("shape must be a positive finite number")


def _log_prefactor(s: float, x: float) -> float:
    # log of x^s e^-x / Gamma(s), shared by the series and the continued fraction.
    return s * math.log(x) - x - math.lgamma(s)


def _gamma_p_series(s: float, x: float) -> float:
    # P(s, x) = x^s e^-x / Gamma(s) * sum_n x^n / (s (s+1) ... (s+n)); converges fast for
    # x < s + 1 (Numerical Recipes §6.2).
    term = total = 1.0 / s
    denom = s
    for _ in range(_MAX_ITER):
        denom += 1.0
        term *= x / denom
        total += term
        if abs(term) < abs(total) * _EPS:
            return total * math.exp(_log_prefactor(s, x))
    raise ArithmeticError("incomplete gamma series did not converge")


def _gamma_q_continued_fraction(s: float, x: float) -> float:
    # Q(s, x) by the Legendre continued fraction, evaluated with the modified Lentz method;
    # converges fast for x >= s + 1 (Numerical Recipes §6.2).
    b = x + 1.0 - s
    c = 1.0 / _FPMIN
    d = 1.0 / b
    h = d
    for i in range(1, _MAX_ITER):
        an = -i * (i - s)
        b += 2.0
        d = an * d + b
        if abs(d) < _FPMIN:
            d = _FPMIN
        c = b + an / c
        if abs(c) < _FPMIN:
            c = _FPMIN
        d = 1.0 / d
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < _EPS:
            return math.exp(_log_prefactor(s, x)) * h
    raise ArithmeticError("incomplete gamma continued fraction did not converge")


def regularised_gamma_p(s: float, x: float) -> float:
    """P(s, x) = gamma(s, x) / Gamma(s), the gamma(shape s, scale 1) distribution function."""
    _check_shape(s)
    if x <= 0:
        return 0.0
    if math.isinf(x):
        return 1.0
    if x < s + 1.0:
        return _gamma_p_series(s, x)
    return 1.0 - _gamma_q_continued_fraction(s, x)


def regularised_gamma_q(s: float, x: float) -> float:
    """Q(s, x) = 1 - P(s, x), computed directly in the upper tail so it keeps its precision."""
    _check_shape(s)
    if x <= 0:
        return 1.0
    if math.isinf(x):
        return 0.0
    if x < s + 1.0:
        return 1.0 - _gamma_p_series(s, x)
    return _gamma_q_continued_fraction(s, x)


def gamma_quantile(p: float, shape: float) -> float:
    """The x with P(shape, x) = p: the inverse regularised incomplete gamma function.

    Starts from the Wilson-Hilferty cube-root normal approximation (which is Byar's formula
    for Poisson limits) and refines with Newton steps on P, the derivative being the gamma
    density. Each step is kept inside a bracket that is known to contain the root, falling back
    to bisection, so it always converges; it stops at a relative change below 1e-14, far inside
    the 1e-6 the specification asks for. For p above 1/2 the upper tail Q is solved instead,
    so that 1 - p does not lose digits.
    """
    _check_shape(shape)
    if not 0.0 <= p <= 1.0:
        raise ValueError("p must be between 0 and 1")
    if p == 0.0:
        return 0.0
    if p == 1.0:
        return math.inf

    upper_tail = p > 0.5
    q = 1.0 - p

    def excess(x: float) -> float:
        # Increasing in x and zero at the root.
        if upper_tail:
            return q - regularised_gamma_q(shape, x)
        return regularised_gamma_p(shape, x) - p

    z = NormalDist().inv_cdf(p)
    t = 1.0 / (9.0 * shape)
    x = shape * (1.0 - t + z * math.sqrt(t)) ** 3
    if not x > 0.0:
        # Wilson-Hilferty goes negative for a small shape and p; use the leading term of the
        # series instead, P(s, x) ~ x^s / Gamma(s + 1) for small x.
        x = math.exp((math.log(p) + math.lgamma(shape + 1.0)) / shape)

    lo, hi = 0.0, math.inf
    for _ in range(500):
        if x == 0.0:
            # Only for a tiny shape and p: the quantile is below the smallest float.
            return 0.0
        f = excess(x)
        if f == 0.0:
            return x
        if f > 0.0:
            hi = x
        else:
            lo = x
        if math.isfinite(hi) and hi - lo <= 1e-15 * hi:
            return x
        log_density = (shape - 1.0) * math.log(x) - x - math.lgamma(shape)
        density = math.exp(log_density) if log_density > -700.0 else 0.0
        nxt = x - f / density if density > 0.0 else math.nan
        if not (lo < nxt < hi):
            nxt = (lo + hi) / 2.0 if math.isfinite(hi) else max(2.0 * x, 1.0)
        if abs(nxt - x) <= 1e-14 * nxt:
            return nxt
        x = nxt
    raise ArithmeticError("gamma quantile did not converge")


def chi_square_quantile(p: float, df: float) -> float:
    """The p-quantile of the chi-square distribution: chi2 with df degrees of freedom is
    2 x gamma(shape df/2)."""
    if not (df > 0 and math.isfinite(df)):
        raise ValueError("df must be a positive finite number")
    return 2.0 * gamma_quantile(p, df / 2.0)


def _check_confidence(confidence: float) -> float:
    if not 0.0 < confidence < 1.0:
        raise ValueError("confidence must be between 0 and 1, e.g. 0.95")
    return 1.0 - confidence


def _check_count(n: int, what: str) -> None:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"{what} must be an int, got {type(n).__name__}")
    if n < 0:
        raise ValueError(f"{what} cannot be negative")


def _check_bed_days(days: float, what: str) -> None:
    if not (days >= 0 and math.isfinite(days)):
        raise ValueError(f"{what} must be a finite number, 0 or more")


def poisson_exact_ci(count: int, confidence: float = 0.95) -> tuple[float, float]:
    """Exact (Garwood) confidence interval for the mean of a Poisson count.

    ``lower = Gamma^-1(alpha/2; count)`` (0 when count is 0) and
    ``upper = Gamma^-1(1 - alpha/2; count + 1)``; e.g. 10 events gives 4.795 to 18.390 and
    0 events gives 0 to 3.689 (= -ln 0.025).
    """
    _check_count(count, "count")
    alpha = _check_confidence(confidence)
    lower = 0.0 if count == 0 else gamma_quantile(alpha / 2.0, count)
    upper = gamma_quantile(1.0 - alpha / 2.0, count + 1)
    return lower, upper


# --- results ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GroupCounts:
    """Input for one group: events (interventions, incidents or people) and occupied bed days."""

    count: int
    bed_days: float

    def __post_init__(self) -> None:
        _check_count(self.count, "count")
        _check_bed_days(self.bed_days, "bed_days")


@dataclass(frozen=True, slots=True)
class RateEstimate:
    """A rate per ``per`` bed days with its exact Poisson interval; all None when the group
    had no bed days (the rate is undefined, not zero)."""

    rate: float | None
    lower: float | None
    upper: float | None
    per: float


@dataclass(frozen=True, slots=True)
class RateRatio:
    """A rate ratio with its interval. ``ratio`` is None when not calculable (``note`` says
    why) or infinite (no events in the comparator; ``lower`` may still be known). An ``upper``
    of None means unbounded."""

    comparator: str
    method: RatioMethod
    ratio: float | None
    lower: float | None
    upper: float | None
    note: str = ""

    @property
    def calculable(self) -> bool:
        return self.ratio is not None

    @property
    def significantly_higher(self) -> bool:
        """The whole interval lies above 1."""
        return self.lower is not None and self.lower > 1.0

    @property
    def significantly_lower(self) -> bool:
        """The whole interval lies below 1."""
        return self.upper is not None and self.upper < 1.0


@dataclass(frozen=True, slots=True)
class GroupResult:
    group: str
    count: int
    bed_days: float
    rate: RateEstimate
    ratio: RateRatio
    is_reference: bool = False


@dataclass(frozen=True, slots=True)
class EqualityAnalysis:
    comparison: Comparison
    reference: str | None
    confidence: float
    per: float
    population_count: int
    population_bed_days: float
    population_rate: RateEstimate
    groups: tuple[GroupResult, ...]

    def group(self, name: str) -> GroupResult:
        for result in self.groups:
            if result.group == name:
                return result
        raise KeyError(name)


def rate_with_ci(
    count: int, bed_days: float, per: float = 1000.0, confidence: float = 0.95
) -> RateEstimate:
    """Rate per ``per`` bed days with its exact Poisson interval (the count's exact limits
    divided by the bed days: the bed days are treated as fixed, as in every published rate)."""
    _check_count(count, "count")
    _check_bed_days(bed_days, "bed_days")
    if not per > 0:
        raise ValueError("per must be positive")
    if bed_days == 0:
        return RateEstimate(rate=None, lower=None, upper=None, per=per)
    lower, upper = poisson_exact_ci(count, confidence)
    scale = per / bed_days
    return RateEstimate(rate=count * scale, lower=lower * scale, upper=upper * scale, per=per)


def _not_calculable(comparator: str, note: str) -> RateRatio:
    return RateRatio(comparator, "not-calculable", None, None, None, note)


def rate_ratio(
    count: int,
    bed_days: float,
    comparator_count: int,
    comparator_bed_days: float,
    confidence: float = 0.95,
    comparator: str = "comparator",
) -> RateRatio:
    """Ratio of two independent rates, a/Ea over b/Eb, with the Katz log interval
    ``exp(ln RR +/- z sqrt(1/a + 1/b))``.

    Zero counts: the log is undefined, so the exact conditional interval is used. Given
    N = a + b, a is binomial(N, p) with RR = p/(1-p) x Eb/Ea, and the Clopper-Pearson limits
    (Clopper CJ, Pearson ES, Biometrika 1934;26:404-413) have closed forms at the edges:
    a = 0 gives p_upper = 1 - (alpha/2)^(1/N) (ratio 0, lower 0); b = 0 gives
    p_lower = (alpha/2)^(1/N) (ratio infinite, reported as None with that lower bound).
    """
    _check_count(count, "count")
    _check_count(comparator_count, "comparator_count")
    _check_bed_days(bed_days, "bed_days")
    _check_bed_days(comparator_bed_days, "comparator_bed_days")
    alpha = _check_confidence(confidence)
    a, b = count, comparator_count
    if bed_days == 0:
        return _not_calculable(comparator, "the group has no bed days")
    if comparator_bed_days == 0:
        return _not_calculable(comparator, "the comparator has no bed days")
    if a == 0 and b == 0:
        return _not_calculable(comparator, "no events in the group or the comparator")

    exposure = comparator_bed_days / bed_days  # converts odds p/(1-p) into the rate ratio
    if a == 0:
        p_upper = -math.expm1(math.log(alpha / 2.0) / b)  # 1 - (alpha/2)^(1/N), N = b
        return RateRatio(
            comparator,
            "exact-conditional",
            0.0,
            0.0,
            p_upper / (1.0 - p_upper) * exposure,
            "no events in the group: exact upper limit",
        )
    if b == 0:
        p_lower = (alpha / 2.0) ** (1.0 / a)  # N = a
        return RateRatio(
            comparator,
            "exact-conditional",
            None,
            p_lower / (1.0 - p_lower) * exposure,
            None,
            "no events in the comparator: the ratio is infinite",
        )

    ratio = (a * comparator_bed_days) / (b * bed_days)
    z = NormalDist().inv_cdf(1.0 - alpha / 2.0)
    half_width = z * math.sqrt(1.0 / a + 1.0 / b)
    return RateRatio(
        comparator,
        "katz-log",
        ratio,
        ratio * math.exp(-half_width),
        ratio * math.exp(half_width),
    )


def _wilson(successes: int, trials: int, z: float) -> tuple[float, float]:
    # Wilson score interval (Wilson 1927; Newcombe RG, Stat Med 1998;17:857-872, method 3).
    p = successes / trials
    z2n = z * z / trials
    centre = (p + z2n / 2.0) / (1.0 + z2n)
    half = z / (1.0 + z2n) * math.sqrt(p * (1.0 - p) / trials + z2n / (4.0 * trials))
    lower = 0.0 if successes == 0 else max(0.0, centre - half)
    upper = 1.0 if successes == trials else min(1.0, centre + half)
    return lower, upper


def ratio_to_population(
    count: int,
    bed_days: float,
    population_count: int,
    population_bed_days: float,
    confidence: float = 0.95,
    comparator: str = "whole population",
) -> RateRatio:
    """Ratio of a group's rate to the rate of a population that includes the group.

    ratio = (a/N) / (Ea/E): the group's share of the events over its share of the bed days,
    with the Wilson score interval for a/N divided by Ea/E (see the module docstring for why
    this, and not 1/a + 1/b, is right when the group is part of the population).
    """
    _check_count(count, "count")
    _check_count(population_count, "population_count")
    _check_bed_days(bed_days, "bed_days")
    _check_bed_days(population_bed_days, "population_bed_days")
    alpha = _check_confidence(confidence)
    if count > population_count or bed_days > population_bed_days * (1.0 + 1e-12):
        raise ValueError("the group cannot be larger than the population")
    if bed_days == 0:
        return _not_calculable(comparator, "the group has no bed days")
    if population_bed_days - bed_days <= population_bed_days * 1e-12:
        return _not_calculable(comparator, "the group is the whole population")
    if population_count == 0:
        return _not_calculable(comparator, "no events in the population")

    share_of_days = bed_days / population_bed_days
    z = NormalDist().inv_cdf(1.0 - alpha / 2.0)
    lower, upper = _wilson(count, population_count, z)
    return RateRatio(
        comparator,
        "wilson-share",
        # a E / (N Ea): one division, so 30 of 100 events in 2,000 of 10,000 days gives 1.5.
        (count * population_bed_days) / (population_count * bed_days),
        lower / share_of_days,
        upper / share_of_days,
    )


def _as_counts(value: GroupCounts | tuple[int, float]) -> GroupCounts:
    return value if isinstance(value, GroupCounts) else GroupCounts(*value)


def rate_ratios(
    groups: Mapping[str, GroupCounts | tuple[int, float]],
    *,
    comparison: Comparison = "population",
    reference: str | None = None,
    per: float = 1000.0,
    confidence: float = 0.95,
    population: GroupCounts | None = None,
) -> EqualityAnalysis:
    """Rate and rate ratio with 95% intervals for every group, in input order.

    ``groups`` maps a group (e.g. an ethnic category) to its count and occupied bed days, or to
    a ``(count, bed_days)`` pair. The population is the sum of the groups unless ``population``
    is given (e.g. trust totals that include categories not listed); it must then be at least
    that sum. ``comparison``:

    * ``"population"`` (default): each group against the whole population (Wilson share method);
    * ``"rest"``: each group against everyone else combined (independent, Katz log method);
    * ``"reference"``: each group against the ``reference`` group (Katz log method); the
      reference group's own ratio is 1 with no interval.
    """
    _check_confidence(confidence)
    if not per > 0:
        raise ValueError("per must be positive")
    counts = {name: _as_counts(value) for name, value in groups.items()}
    if (comparison == "reference") != (reference is not None):
        raise ValueError('give a reference group exactly when comparison="reference"')
    if reference is not None and reference not in counts:
        raise ValueError(f"reference group {reference!r} is not among the groups")

    total_count = sum(c.count for c in counts.values())
    # math.fsum: bed days can be fractional and the rest-of-population subtraction below
    # must not pick up rounding error from a naive sum.
    total_days = math.fsum(c.bed_days for c in counts.values())
    if population is not None:
        if population.count < total_count or population.bed_days < total_days * (1 - 1e-12):
            raise ValueError("population totals cannot be smaller than the sum of the groups")
        total_count, total_days = population.count, population.bed_days

    results: list[GroupResult] = []
    for name, c in counts.items():
        if comparison == "population":
            ratio = ratio_to_population(c.count, c.bed_days, total_count, total_days, confidence)
        elif comparison == "rest":
            rest_days = max(0.0, total_days - c.bed_days)
            if rest_days <= total_days * 1e-12:
                rest_days = 0.0
            ratio = rate_ratio(
                c.count,
                c.bed_days,
                total_count - c.count,
                rest_days,
                confidence,
                comparator="rest of population",
            )
        elif name == reference:
            ratio = RateRatio(f"reference: {name}", "reference", 1.0, None, None, "reference group")
        else:
            assert reference is not None  # checked above; narrows the type for mypy
            ref = counts[reference]
            ratio = rate_ratio(
                c.count,
                c.bed_days,
                ref.count,
                ref.bed_days,
                confidence,
                comparator=f"reference: {reference}",
            )
        results.append(
            GroupResult(
                group=name,
                count=c.count,
                bed_days=c.bed_days,
                rate=rate_with_ci(c.count, c.bed_days, per, confidence),
                ratio=ratio,
                is_reference=name == reference,
            )
        )

    return EqualityAnalysis(
        comparison=comparison,
        reference=reference,
        confidence=confidence,
        per=per,
        population_count=total_count,
        population_bed_days=total_days,
        population_rate=rate_with_ci(total_count, total_days, per, confidence),
        groups=tuple(results),
    )
