"""Statistical disclosure control for figures shown beyond the treating team or exported.

A count of restrictive interventions broken down by ward, ethnicity or age is about a handful
of identifiable people once the numbers get small, so every aggregate that leaves the treating
team (board reports, commissioner returns, CSV/XLSX exports, the public API) goes through this
module first. Pure standard-library Python: no Django, so reports, exports and tests share it.

Sources
-------
* MHSDS / NHS England restrictive intervention publications, as summarised in
  ``docs/sources/mhsds-restrictive-interventions.md`` ("Small-number suppression"):
  counts below 5 are shown as ``*`` and the rest rounded to the nearest 5 (half up); rates per
  1,000 occupied bed days are ``*`` when people < 5, interventions < 5 or bed days < 100, else
  a whole number; percentages are ``*`` when the numerator or denominator is below 5.
* Hospital Episode Statistics (NHS England, "HES Analysis Guide", small-number suppression):
  1 to 7 are suppressed, everything else rounded to the nearest 5 and 0 is shown as 0.
* ISB 1523 / SCCI1523 "Anonymisation Standard for Publishing Health and Social Care Data":
  small numbers must be protected, including against disclosure by differencing (working a
  hidden cell out from the other cells and the totals).
* Hundepool A. et al., *Statistical Disclosure Control*, Wiley 2012, ch. 4 (tabular data):
  primary suppression, secondary (complementary) suppression, and the audit of a suppressed
  table by computing each hidden cell's feasibility interval from the published margins.

Why the table functions reason with intervals
---------------------------------------------
Every published number is a statement about an interval of true values: a ``10`` under the
MHSDS rule means 8 to 12, a ``*`` means 0 to 4. For a one-dimensional breakdown whose cells add
up to the total, the values a hidden cell can take given all the others is exactly the integer
interval ``[max(lo, T_lo - sum of others' highs), min(hi, T_hi - sum of others' lows)]`` (the
sum of integer intervals is an integer interval, so there are no holes). A hidden cell is
*recoverable* when that interval is a single value. :func:`recoverable_cells` computes it and
:func:`suppress_table` keeps hiding cells until no hidden cell is recoverable.

The attacker modelled here is a strong one: they know the publication rule, they know which
``*`` cells are small (primary) and which were hidden only to protect another cell (secondary,
so at least the threshold), and optionally they know the exact, unrounded total from another
source. Protecting against that attacker protects against every weaker one, because a weaker
attacker's feasible set contains the strong attacker's.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from types import MappingProxyType
from typing import Final, Generic, TypeAlias, TypeVar

__all__ = [
    "HES",
    "MHSDS",
    "RULES",
    "SUPPRESSED",
    "Range",
    "SuppressedTable",
    "SuppressionRule",
    "feasible_ranges",
    "half_up",
    "recoverable_cells",
    "rule_by_name",
    "suppress_count",
    "suppress_percentage",
    "suppress_rate",
    "suppress_table",
]

K = TypeVar("K", bound=Hashable)

#: The mark published in place of a suppressed value (the MHSDS and HES convention).
SUPPRESSED: Final = "*"

#: An inclusive integer interval of possible true values; ``None`` as the upper end means
#: "no upper bound".
Range: TypeAlias = tuple[int, int | None]

Shown: TypeAlias = str | int


@dataclass(frozen=True, slots=True)
class SuppressionRule:
    """A small-number rule: which counts are hidden and how the rest are rounded.

    ``count_threshold``: counts below it are "small" and primary-suppressed, except 0 when
    ``show_zero`` (HES shows zero because "nobody" identifies nobody; the MHSDS hides it along
    with 1-4). Counts that are not small are rounded half up to a multiple of ``rounding_base``.
    Rates need at least ``rate_min_bed_days`` occupied bed days in the denominator.
    """

    name: str
    count_threshold: int
    show_zero: bool
    rounding_base: int
    rate_min_bed_days: int = 100
    symbol: str = SUPPRESSED

    def __post_init__(self) -> None:
        if self.rounding_base < 1:
            raise ValueError("rounding_base must be at least 1")
        if self.rate_min_bed_days < 0:
            raise ValueError("rate_min_bed_days cannot be negative")
        # Every count that is shown must round to something above 0 (showing "0" when events
        # happened would mislead), and that also keeps the set of true values behind each
        # published number a single interval, which the table audit relies on.
        if self.count_threshold < max(1, (self.rounding_base + 1) // 2):
            raise ValueError(
                "count_threshold must be at least 1 and at least half the rounding base, "
                "so that no count above zero is published as 0"
            )

    def is_small(self, n: int) -> bool:
        """True when ``n`` must be primary-suppressed under this rule."""
        return n < self.count_threshold and (n != 0 or not self.show_zero)


#: NHS England's MHSDS rule (the default): below 5 (including 0) hidden, the rest to 5.
MHSDS: Final = SuppressionRule(name="MHSDS", count_threshold=5, show_zero=False, rounding_base=5)

#: The HES rule: 1 to 7 hidden, 0 shown, the rest to 5. The bed-day floor for rates is the
#: MHSDS one: HES publishes no bed-day rates, and a rate over a tiny denominator is both
#: unstable and close to revealing its numerator.
HES: Final = SuppressionRule(name="HES", count_threshold=8, show_zero=True, rounding_base=5)

#: Rules by name, for a setting such as ``RRP_DISCLOSURE_RULE = "MHSDS"``.
RULES: Final[Mapping[str, SuppressionRule]] = MappingProxyType({"MHSDS": MHSDS, "HES": HES})


def rule_by_name(name: str) -> SuppressionRule:
    """The preset called ``name`` (case-insensitive), e.g. from a Django setting."""
    rule = RULES.get(name.strip().upper())
    if rule is None:
        raise ValueError(f"unknown suppression rule {name!r}; choose one of {sorted(RULES)}")
    return rule


def _to_decimal(x: int | float | Decimal) -> Decimal:
    if isinstance(x, Decimal):
        d = x
    elif isinstance(x, int):
        d = Decimal(x)
    elif isinstance(x, float):
        # repr() is the shortest string that round-trips, so a float that prints as 12.5 is
        # rounded as 12.5 (Decimal(2.675) would be 2.67499999..., an artefact of binary).
        d = Decimal(repr(x))
    else:
        raise TypeError(f"expected int, float or Decimal, got {type(x).__name__}")
    if not d.is_finite():
        raise ValueError(f"cannot round {x!r}")
    return d


def half_up(x: int | float | Decimal, base: int = 1) -> int:
    """Round ``x`` to the nearest multiple of ``base``, halves away from zero.

    This is the rounding NHS England publications use (12.5 -> 13, and to base 5: 12.5 -> 15).
    Python's ``round()`` rounds halves to even (``round(12.5) == 12``), which is why it is
    never used here. Exact decimal arithmetic, so no binary floating-point surprises; pass an
    ``int`` or ``Decimal`` for exact inputs.
    """
    if isinstance(base, bool) or not isinstance(base, int) or base < 1:
        raise ValueError("base must be a positive integer")
    d = _to_decimal(x)
    with localcontext() as ctx:
        # Far more digits than any count or rate has, so the division below is exact whenever
        # the quotient terminates, and a non-terminating quotient cannot be a tie anyway.
        ctx.prec = 60
        steps = (d / Decimal(base)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return int(steps) * base


def _check_count(n: int, what: str) -> None:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"{what} must be an int, got {type(n).__name__}")
    if n < 0:
        raise ValueError(f"{what} cannot be negative")


def suppress_count(n: int, rule: SuppressionRule = MHSDS) -> str | int:
    """A count as it may be published: ``rule.symbol`` if small, else rounded half up."""
    _check_count(n, "count")
    if rule.is_small(n):
        return rule.symbol
    return half_up(n, rule.rounding_base)


def suppress_rate(
    numerator_interventions: int,
    people: int,
    bed_days: int | float | Decimal,
    per: int = 1000,
    rule: SuppressionRule = MHSDS,
) -> str | int:
    """A rate per ``per`` occupied bed days (MHS96) as it may be published.

    Hidden when the number of people or of interventions is small under ``rule`` (a rate with
    a published denominator gives the numerator straight back) or the bed days are below
    ``rule.rate_min_bed_days``; otherwise rounded half up to a whole number.
    """
    _check_count(numerator_interventions, "numerator_interventions")
    _check_count(people, "people")
    if isinstance(per, bool) or not isinstance(per, int) or per < 1:
        raise ValueError("per must be a positive integer")
    days = _to_decimal(bed_days)
    if days < 0:
        raise ValueError("bed_days cannot be negative")
    if (
        rule.is_small(people)
        or rule.is_small(numerator_interventions)
        or days < rule.rate_min_bed_days
        or days == 0  # a rule with no bed-day floor still cannot divide by zero
    ):
        return rule.symbol
    with localcontext() as ctx:
        ctx.prec = 60
        rate = Decimal(numerator_interventions) * per / days
    return half_up(rate)


def suppress_percentage(
    numerator: int, denominator: int, rule: SuppressionRule = MHSDS
) -> str | int:
    """A percentage (e.g. MHS97) as it may be published: hidden when the numerator or the
    denominator is small under ``rule`` (or the denominator is 0), else a whole number, half up.
    """
    _check_count(numerator, "numerator")
    _check_count(denominator, "denominator")
    if numerator > denominator:
        raise ValueError("numerator cannot exceed denominator")
    if rule.is_small(numerator) or rule.is_small(denominator) or denominator == 0:
        return rule.symbol
    with localcontext() as ctx:
        ctx.prec = 60
        pct = Decimal(numerator) * 100 / Decimal(denominator)
    return half_up(pct)


# --- tables ------------------------------------------------------------------------------


def _small_range(rule: SuppressionRule) -> Range:
    lo = 1 if rule.show_zero else 0
    hi = rule.count_threshold - 1
    if lo > hi:
        raise ValueError(f"rule {rule.name} suppresses no count, so {rule.symbol!r} is invalid")
    return (lo, hi)


def _secondary_range(rule: SuppressionRule) -> Range:
    # A cell hidden only to protect another one was shown-able, so it is at least the
    # threshold. Zero cells are never used as complements (see suppress_table), so under HES
    # the set is [8, inf) and not the non-interval {0} | [8, inf).
    return (rule.count_threshold, None)


def _shown_range(value: int, rule: SuppressionRule) -> Range:
    """The true counts that the rule publishes as ``value``."""
    base = rule.rounding_base
    if isinstance(value, bool) or value < 0 or value % base:
        raise ValueError(f"{value!r} cannot be published under rule {rule.name}")
    if value == 0:
        if not rule.show_zero:
            raise ValueError(f"rule {rule.name} never publishes 0")
        return (0, 0)
    # half_up(n / base) * base == value  <=>  value - base/2 <= n < value + base/2
    lo = max(value - base // 2, rule.count_threshold)
    hi = value + (base + 1) // 2 - 1
    if lo > hi:
        raise ValueError(f"{value!r} cannot be published under rule {rule.name}")
    return (lo, hi)


def _published_range(
    value: Shown, rule: SuppressionRule, *, secondary: bool, exact: bool = False
) -> Range:
    if value == rule.symbol:
        return _secondary_range(rule) if secondary else _small_range(rule)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{value!r} is neither a count nor {rule.symbol!r}")
    if exact:
        if value < 0:
            raise ValueError("an exact total cannot be negative")
        return (value, value)
    return _shown_range(value, rule)


def _feasible(cells: Mapping[K, Range], total: Range | None) -> dict[K, Range]:
    """Exact feasibility interval of each cell given every cell's prior and the total."""
    if total is None:
        return dict(cells)
    t_lo, t_hi = total
    sum_lo = sum(lo for lo, _ in cells.values())
    finite_hi = sum(hi for _, hi in cells.values() if hi is not None)
    unbounded = sum(1 for _, hi in cells.values() if hi is None)
    out: dict[K, Range] = {}
    for key, (lo, hi) in cells.items():
        others_lo = sum_lo - lo
        others_unbounded = unbounded - (1 if hi is None else 0)
        others_hi = None if others_unbounded else finite_hi - (hi or 0)
        new_lo = lo if others_hi is None else max(lo, t_lo - others_hi)
        new_hi = hi
        if t_hi is not None:
            cap = t_hi - others_lo
            new_hi = cap if hi is None else min(hi, cap)
        if new_hi is not None and new_lo > new_hi:
            raise ValueError("the published cells are inconsistent with the total")
        out[key] = (new_lo, new_hi)
    return out


def feasible_ranges(
    shown: Mapping[K, Shown],
    total: Shown | None,
    rule: SuppressionRule = MHSDS,
    *,
    total_exact: bool = False,
    secondary: Collection[K] = (),
    total_secondary: bool = False,
) -> dict[K, Range]:
    """What an attacker can deduce about every cell of a published one-way table.

    ``shown`` maps each cell to its published value (a rounded count or ``rule.symbol``) and
    the cells add up to ``total``: a published total (rounded, or ``rule.symbol``), an exact
    total known from elsewhere (``total_exact=True``), or ``None`` when no total is known.
    ``secondary`` names the hidden cells the attacker knows were hidden only as complements
    (so are at least the threshold); every other hidden cell is read as small, which is what
    "*" means in a publication that only does primary suppression. ``total_secondary`` says
    the same of a hidden total. Returns, for each cell, the interval of values it can take.
    """
    missing = [k for k in secondary if k not in shown or shown[k] != rule.symbol]
    if missing:
        raise ValueError(f"secondary cells must be published as {rule.symbol!r}: {missing!r}")
    secondary_set = frozenset(secondary)
    priors = {
        key: _published_range(value, rule, secondary=key in secondary_set)
        for key, value in shown.items()
    }
    total_range = (
        None
        if total is None
        else _published_range(total, rule, secondary=total_secondary, exact=total_exact)
    )
    return _feasible(priors, total_range)


def recoverable_cells(
    shown: Mapping[K, Shown],
    total: Shown | None,
    rule: SuppressionRule = MHSDS,
    *,
    total_exact: bool = False,
    secondary: Collection[K] = (),
    total_secondary: bool = False,
) -> set[K]:
    """The hidden cells whose exact value follows from the published cells and total.

    Arguments as for :func:`feasible_ranges`; a hidden cell is recoverable when its feasibility
    interval has width 0. An empty set proves no hidden cell can be worked out exactly.
    """
    ranges = feasible_ranges(
        shown,
        total,
        rule,
        total_exact=total_exact,
        secondary=secondary,
        total_secondary=total_secondary,
    )
    return {k for k, v in shown.items() if v == rule.symbol and ranges[k][0] == ranges[k][1]}


@dataclass(frozen=True)
class SuppressedTable(Generic[K]):
    """A one-way table ready to publish, with a record of what was hidden and why.

    ``cells`` keeps the input order. ``primary`` are the small cells; ``secondary`` the cells
    hidden only so that a small one cannot be worked out. ``total_suppressed`` is set when even
    hiding every cell left a small cell recoverable from the rounded total, so the total was
    hidden too: the same total must then not be published elsewhere beside this breakdown.
    ``residual_risk`` is non-empty only when ``exact_total_known`` and the exact total itself
    pins a hidden cell down (e.g. a total of 0); nothing in this table can prevent that.
    """

    cells: Mapping[K, Shown]
    total: Shown
    primary: frozenset[K]
    secondary: frozenset[K]
    total_suppressed: bool
    exact_total_known: bool
    residual_risk: frozenset[K]
    rule: SuppressionRule = MHSDS

    @property
    def suppressed(self) -> frozenset[K]:
        return self.primary | self.secondary


def suppress_table(
    cells: Mapping[K, int],
    total: int | None = None,
    rule: SuppressionRule = MHSDS,
    *,
    exact_total_known: bool = False,
) -> SuppressedTable[K]:
    """Primary and secondary suppression of a one-way breakdown (e.g. interventions by
    ethnicity) that adds up to ``total``.

    ``total`` defaults to the sum of the cells; if given it must equal it (put "Not known" in
    as a cell rather than leave a gap). The total is published under the same rule. Set
    ``exact_total_known`` when the unrounded total is available elsewhere (e.g. the ward's own
    dashboard); the protection then assumes the attacker has it.

    Steps:

    1. Primary: every small cell is hidden.
    2. If exactly one cell is hidden, the next smallest non-zero cell is hidden with it. A lone
       ``*`` beside a total is the textbook differencing attack; rounding every shown value
       and the total narrows it to a range only, but a range can still collapse to one value
       (4 beside a 7 shown as 5 with an exact total of 11 gives 11-7..11-5 = 4..6, and
       "*" means at most 4), so a complement is always added.
    3. Audit: while any hidden cell is recoverable (:func:`recoverable_cells`, strong attacker
       who knows which cells are complements), hide the next smallest non-zero shown cell. If
       none is left, hide the total (useless against an exact total known elsewhere, which is
       then reported in ``residual_risk``).

    Zero cells shown under HES are never used as complements: a hidden 0 known to be a
    complement would be "0 or at least 8", which protects little and is not an interval. A
    shown 0 is exact, and the audit counts it as such.
    """
    for key, n in cells.items():
        _check_count(n, f"cell {key!r}")
    computed = sum(cells.values())
    if total is None:
        total = computed
    else:
        _check_count(total, "total")
        if total != computed:
            raise ValueError(
                f"total {total} differs from the sum of the cells {computed}; "
                "add the missing category (e.g. 'Not known') as a cell"
            )

    primary = frozenset(k for k, n in cells.items() if rule.is_small(n))
    secondary: set[K] = set()
    total_hidden = False
    order = {k: i for i, k in enumerate(cells)}

    def next_complement() -> K | None:
        candidates = [k for k, n in cells.items() if n > 0 and k not in primary | secondary]
        if not candidates:
            return None
        return min(candidates, key=lambda k: (cells[k], order[k]))

    def published() -> tuple[dict[K, Shown], Shown]:
        shown = {
            k: rule.symbol if k in secondary else suppress_count(n, rule) for k, n in cells.items()
        }
        return shown, rule.symbol if total_hidden else suppress_count(total, rule)

    def at_risk() -> set[K]:
        shown, shown_total = published()
        return recoverable_cells(
            shown,
            total if exact_total_known else shown_total,
            rule,
            total_exact=exact_total_known,
            secondary=secondary,
            total_secondary=total_hidden,
        )

    if len(primary) == 1:
        complement = next_complement()
        if complement is not None:
            secondary.add(complement)

    risky = at_risk()
    while risky:
        complement = next_complement()
        if complement is not None:
            secondary.add(complement)
        elif not exact_total_known and not total_hidden and not rule.is_small(total):
            # A total that is itself small is already hidden; here it is shown and is the only
            # thing left to hide. (It is at least the threshold and non-zero: every cell being
            # small or zero and their sum not small means some cell is positive.)
            total_hidden = True
        else:
            break
        risky = at_risk()

    shown, shown_total = published()
    return SuppressedTable(
        cells=MappingProxyType(shown),
        total=shown_total,
        primary=primary,
        secondary=frozenset(secondary),
        total_suppressed=total_hidden,
        exact_total_known=exact_total_known,
        residual_risk=frozenset(risky),
        rule=rule,
    )
