"""Live indicators: figures computed from RRP's own records, shown beside the compliance
statement they measure.

Any capability adds an indicator without touching the assessment code: it registers a
function for one or more statement ids in a module named `indicators` (a module of its own
app, e.g. `rrp/workforce/indicators.py`, or one of this package's modules named after the
app it reads, e.g. `indicators/incidents.py`). `load_indicator_modules()` imports all of them
when the app registry is ready.

    @register("2.5.2.XI", key="medical-review-within-hour", title="...")
    def medical_reviews(organisation, period) -> IndicatorResult: ...

A function receives the organisation and an IndicatorPeriod (start, end - never later than
now - and, for section 2 statements of a cycle scoped to some wards, those wards) and
returns an IndicatorResult: the value (a percentage, or None when there was nothing to
measure), numerator, denominator and a sentence saying what was counted.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
import pkgutil
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from rrp.standards.rules import percent

logger = logging.getLogger(__name__)


def share(numerator: int, denominator: int) -> float | None:
    """An indicator's value: the percentage, or None when there was nothing to measure."""
    return 100 * numerator / denominator if denominator else None


def counted(count: int, singular: str, plural: str | None = None) -> str:
    """"1 plan", "3 plans": for the sentence that says what was counted."""
    return f"{count} {singular if count == 1 else (plural or singular + 's')}"


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


@dataclass(frozen=True)
class IndicatorPeriod:
    start: dt.datetime
    """Inclusive."""
    end: dt.datetime
    """Exclusive, and never later than the moment of calculation."""
    wards: frozenset[int] | None = None
    """Ward ids the figure is limited to (a cycle's scope for section 2), or None for all."""


@dataclass(frozen=True)
class IndicatorResult:
    value: float | None
    numerator: int
    denominator: int
    text: str

    @property
    def percent(self) -> int | None:
        """The value as a whole percentage, rounded half up."""
        return percent(self.numerator, self.denominator)


IndicatorFunction = Callable[[Any, IndicatorPeriod], IndicatorResult]


@dataclass(frozen=True)
class Indicator:
    key: str
    title: str
    statement_ids: tuple[str, ...]
    compute: IndicatorFunction
    source: str
    """Where the figure comes from, in words (shown under the figure)."""


@dataclass(frozen=True)
class ComputedIndicator:
    key: str
    title: str
    source: str
    result: IndicatorResult | None
    """None when the calculation failed (logged); the page still shows the statement."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "source": self.source,
            "result": asdict(self.result) if self.result is not None else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ComputedIndicator:
        result = data.get("result")
        return cls(
            key=data["key"],
            title=data["title"],
            source=data.get("source", ""),
            result=IndicatorResult(**result) if result else None,
        )


_REGISTRY: dict[str, Indicator] = {}


def register(
    *statement_ids: str, key: str, title: str, source: str
) -> Callable[[IndicatorFunction], IndicatorFunction]:
    """Register a function as the live indicator `key` for these statement ids."""
    if not statement_ids:
        raise ValueError("an indicator must name at least one statement id")

    def decorator(function: IndicatorFunction) -> IndicatorFunction:
        existing = _REGISTRY.get(key)
        if existing is not None and existing.compute is not function:
            raise ValueError(f"indicator {key!r} is already registered")
        _REGISTRY[key] = Indicator(
            key=key,
            title=title,
            statement_ids=tuple(statement_ids),
            compute=function,
            source=source,
        )
        return function

    return decorator


def registered() -> list[Indicator]:
    return sorted(_REGISTRY.values(), key=lambda indicator: indicator.key)


def indicators_for(statement_id: str) -> list[Indicator]:
    return [i for i in registered() if statement_id in i.statement_ids]


def measured_statement_ids() -> frozenset[str]:
    return frozenset(ref for indicator in _REGISTRY.values() for ref in indicator.statement_ids)


def compute(indicator: Indicator, organisation: Any, period: IndicatorPeriod) -> ComputedIndicator:
    # One app's faulty indicator must not take the assessment page down with it.
    try:
        result = indicator.compute(organisation, period)
    except Exception:
        logger.exception("indicator %s failed for organisation %s", indicator.key, organisation.pk)
        result = None
    return ComputedIndicator(
        key=indicator.key, title=indicator.title, source=indicator.source, result=result
    )


def compute_for(
    statement_id: str, organisation: Any, period: IndicatorPeriod
) -> list[ComputedIndicator]:
    return [compute(i, organisation, period) for i in indicators_for(statement_id)]


def load_indicator_modules() -> None:
    """Import every app's `indicators` module and this package's own modules."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("indicators")
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
