"""The breakdown cells of some months, counted from the fact rows in one pass.

A breakdown cell is (ward, month, dimension, key) -> [interventions, incidents, count,
bed days]: restraints by reason, incidents by degree of harm, duties by state, and so on, for
every intervention and again for each of the dashboards' type filters (the dimension then
carries the filter's prefix, categories.typed_dimension). A type filter counts the
interventions of its types, and the incidents (with their duties) that included one.

The rows are read once and every dimension and type filter counted from them in Python (issue
12: `rrp analytics rebuild` at 1,000,000 interventions). Read as one GROUP BY per dimension and
type filter, the same figures took two hundred queries for every few months, most of the
rebuild's time. tests/analytics/test_breakdown_cells.py checks the cells against those queries.

Which rows count:
- an intervention on its first month's row (`first_month`), once;
- an incident on its first month's one row (`incident_first`), once;
- every duty row.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final

from rrp.analytics import categories as cat

Cells = dict[tuple[int, dt.date, str, str], list[int]]


@dataclass(frozen=True)
class Dimension:
    """One breakdown counted from fact rows.

    `per` is "intervention" (counted on an intervention's first month row) or "incident" (on
    the incident's first row). `incidents` says how an intervention dimension counts incidents
    without a type filter: "first" counts the rows that are also the incident's first row (each
    incident once in the dimension), "distinct" the distinct incidents in the cell (an incident
    with two types is in both type cells). With a type filter incidents are always distinct.
    `count` is a field summed into the cell's count. `only_when_set`: rows with no value have
    no cell (a use of force without a restraint has no hold_training)."""

    name: str
    per: str
    fields: tuple[str, ...]
    incidents: str = "first"
    count: str = ""
    only_when_set: bool = False

    def key(self, row: dict[str, Any]) -> str:
        if self.name == "total":
            return "all"
        if self.name == "hour_weekday":
            return f"{row['weekday']}:{row['hour']:02d}"
        if self.name == "staff_force":
            return cat.staff_force_bucket(int(row["staff_force"]))
        return str(row[self.fields[0]])


DIMENSIONS: Final[tuple[Dimension, ...]] = (
    Dimension("total", "intervention", ()),
    Dimension("type", "intervention", ("type_code",), incidents="distinct"),
    Dimension("category", "intervention", ("category",), incidents="distinct"),
    Dimension("reason", "intervention", ("reason",)),
    Dimension("hour_weekday", "intervention", ("weekday", "hour"), incidents="distinct"),
    Dimension("duration", "intervention", ("duration_band",), incidents="distinct"),
    Dimension("harm", "incident", ("harm",)),
    Dimension("worst_injury", "incident", ("worst_injury",)),
    Dimension("staff_force", "incident", ("staff_force",), count="staff_force"),
    Dimension("hold_training", "incident", ("hold_training",), only_when_set=True),
    *(Dimension(ch.dimension, "intervention", (ch.field,)) for ch in cat.CHARACTERISTICS),
)


@dataclass(frozen=True)
class Flag:
    """One key of a flag dimension, counted on incident rows: the incidents where `field` is
    set (above 0, or true) and, in the count, its sum (or the same incidents again)."""

    dimension: str
    key: str
    field: str
    sums: bool


FLAGS: Final[tuple[Flag, ...]] = (
    Flag("injured", "patient", "injuries_patient", sums=True),
    Flag("injured", "staff", "injuries_staff", sums=True),
    Flag("injured", "other", "injuries_other", sums=True),
    Flag("flags", "police", "police", sums=False),
    Flag("flags", "death_or_serious_injury", "death_or_serious_injury", sums=False),
    Flag("flags", "staff_injured", "staff_injured", sums=True),
)

# Prone restraints by how long they lasted and whether the reason was recorded, one cell per
# pair (categories.prone_key), so both partitions are sums of the same cells. Not kept per type
# filter: a filter either keeps every prone restraint (no filter, physical, prone: the same
# cells) or none, so copies would only cost refresh time (breakdowns.period_cells).
PRONE_DIMENSION: Final = "prone"
DUTY_DIMENSION: Final = "duty"

# Every dimension the cells hold (without a type filter's prefix).
BREAKDOWN_DIMENSIONS: Final[tuple[str, ...]] = (
    *(d.name for d in DIMENSIONS), *dict.fromkeys(f.dimension for f in FLAGS), DUTY_DIMENSION,
    PRONE_DIMENSION,
)
# The dimensions stored only without a type filter's prefix.
UNTYPED_DIMENSIONS: Final[frozenset[str]] = frozenset({PRONE_DIMENSION})

# The fact row fields the cells are counted from.
FACT_FIELDS: Final[tuple[str, ...]] = tuple(dict.fromkeys((
    "ward_id", "month", "incident_id", "type_code", "first_month", "incident_first",
    "incident_types", "prone_band", "prone_reason_recorded",
    *(f for d in DIMENSIONS for f in d.fields), *(f.field for f in FLAGS),
)))
DUTY_FIELDS: Final[tuple[str, ...]] = ("ward_id", "month", "kind", "status", "incident_types")


def _variants_of_type(variants: Sequence[str | None]) -> Callable[[str], list[str | None]]:
    """type code -> the variants an intervention of that type is counted in."""
    found: dict[str, list[str | None]] = {}

    def of(type_code: str) -> list[str | None]:
        if type_code not in found:
            found[type_code] = [v for v in variants
                                if v is None or type_code in cat.TYPE_FILTERS[v][1]]
        return found[type_code]

    return of


def _variants_of_bits(variants: Sequence[str | None]) -> Callable[[int], list[str | None]]:
    """incident_types bits -> the variants an incident (or its duty) is counted in."""
    found: dict[int, list[str | None]] = {}

    def of(bits: int) -> list[str | None]:
        if bits not in found:
            found[bits] = [v for v in variants
                           if v is None or bits & cat.TYPE_FILTER_BIT[v]]
        return found[bits]

    return of


def count_cells(
    facts: Iterable[dict[str, Any]],
    duties: Iterable[dict[str, Any]],
    *,
    variants: Sequence[str | None] = (None, *cat.TYPE_FILTERS),
) -> Cells:
    """The cells of these fact rows (dicts of FACT_FIELDS) and duty rows (DUTY_FIELDS), for
    every variant: None for every intervention, or a type filter. Rows that are neither an
    intervention's first month nor an incident's first row add nothing."""
    cells: Cells = defaultdict(lambda: [0, 0, 0, 0])
    distinct: dict[tuple[int, dt.date, str, str], set[int]] = defaultdict(set)
    of_type, of_bits = _variants_of_type(variants), _variants_of_bits(variants)
    typed = {(v, d): cat.typed_dimension(v, d)
             for v in variants for d in (*BREAKDOWN_DIMENSIONS,)}
    per_intervention = [d for d in DIMENSIONS if d.per == "intervention"]
    per_incident = [d for d in DIMENSIONS if d.per == "incident"]
    untyped = None in variants

    for row in facts:
        ward, month = row["ward_id"], row["month"]
        if row["first_month"]:
            counted_in = of_type(row["type_code"])
            for dimension in per_intervention:
                key = dimension.key(row)
                for variant in counted_in:
                    address = (ward, month, typed[(variant, dimension.name)], key)
                    cell = cells[address]
                    cell[0] += 1
                    if variant is None and dimension.incidents == "first":
                        cell[1] += 1 if row["incident_first"] else 0
                    else:
                        distinct[address].add(row["incident_id"])
            if untyped and row["type_code"] == cat.PRONE:
                key = cat.prone_key(row["prone_band"], row["prone_reason_recorded"])
                cells[(ward, month, PRONE_DIMENSION, key)][0] += 1
        if row["incident_first"]:
            counted_in = of_bits(row["incident_types"])
            for dimension in per_incident:
                if dimension.only_when_set and not row[dimension.fields[0]]:
                    continue
                key = dimension.key(row)
                add = int(row[dimension.count]) if dimension.count else 0
                for variant in counted_in:
                    cell = cells[(ward, month, typed[(variant, dimension.name)], key)]
                    cell[1] += 1
                    cell[2] += add
            for flag in FLAGS:
                value = row[flag.field]
                if not value:
                    continue
                add = int(value) if flag.sums else 1
                for variant in counted_in:
                    cell = cells[(ward, month, typed[(variant, flag.dimension)], flag.key)]
                    cell[1] += 1
                    cell[2] += add

    for address, incidents in distinct.items():
        cells[address][1] = len(incidents)

    for row in duties:
        key = f"{row['kind']}:{row['status']}"
        for variant in of_bits(row["incident_types"]):
            cells[(row["ward_id"], row["month"], typed[(variant, DUTY_DIMENSION)], key)][2] += 1
    return cells
