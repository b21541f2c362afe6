"""Timed duties that follow a recorded use of force.

Pure rules (standard library only, no Django): the incident facts go in, the list of timed
duties (medical reviews, physical observations, seclusion reviews, post-incident support...)
comes out, and the state of a duty at any moment can be decided without a database.

Sources cited in comments:
- "standard" = National Minimum Standards for Restrictive Interventions Reduction Plans
  (draft, 14 December 2019), docs/sources/national-minimum-standards-2019-12.txt.
- "MHA Code of Practice" = Mental Health Act 1983 Code of Practice (2015), chapter 26.
- NICE NG10 (violence and aggression) and its quality standard NICE QS154.
- MHSDS = Mental Health Services Data Set, table MHS515, field RestrictiveIntType.
Where docs/sources/review-timings.md marks a timing "check", the exact wording was not
confirmed: the timing is a configurable policy field and its comment says so.

Decisions taken here (each also noted where it is applied):
- Time arithmetic is done in UTC and every due time is returned in UTC, so a "4 hours" review
  is 4 real hours even across a clock change in Europe/London.
- On time / late boundary: a duty completed exactly at its due time is on time; one second
  later it is late. A duty not yet completed is "due" up to and including its due time and
  "overdue" strictly after it.
- Recurring reviews (mechanical restraint, seclusion, segregation) fall due only while the
  intervention lasts: an occurrence whose due time is at or after the intervention's end is
  not generated (the person is no longer restrained, secluded or segregated then). The first
  medical review of mechanical restraint and of seclusion is the exception: it is always
  generated, as a restrained or secluded person is always seen by a doctor (standard
  2.5.2.XI, XII). While an intervention is ongoing, occurrences are generated up to `now`
  plus the next one.
- Incident-level duties (support, learning review, account offer, care plan review) are
  anchored on the end of the incident, so they appear once the incident has ended.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import MappingProxyType
from typing import Any, Final, Literal, Protocol, TypeVar, cast, get_args

# ---------------------------------------------------------------------------------------------
# Intervention types (MHSDS RestrictiveIntType; valid in v5: 01 and 04-17, 02/03 are retired)
# ---------------------------------------------------------------------------------------------

Category = Literal["physical", "mechanical", "seclusion", "segregation", "chemical"]
CATEGORIES: Final[tuple[Category, ...]] = get_args(Category)

PHYSICAL_RESTRAINT_PRONE: Final = "01"
MECHANICAL_RESTRAINT: Final = "04"
SECLUSION: Final = "05"
SEGREGATION: Final = "06"
PHYSICAL_RESTRAINT_STANDING: Final = "07"
PHYSICAL_RESTRAINT_RESTRICTIVE_ESCORT: Final = "08"
PHYSICAL_RESTRAINT_SUPINE: Final = "09"
PHYSICAL_RESTRAINT_SIDE: Final = "10"
PHYSICAL_RESTRAINT_SEATED: Final = "11"
PHYSICAL_RESTRAINT_KNEELING: Final = "12"
PHYSICAL_RESTRAINT_OTHER: Final = "13"
CHEMICAL_RESTRAINT_INJECTION_RAPID_TRANQUILLISATION: Final = "14"
CHEMICAL_RESTRAINT_INJECTION_NON_RAPID_TRANQUILLISATION: Final = "15"
CHEMICAL_RESTRAINT_ORAL: Final = "16"
CHEMICAL_RESTRAINT_OTHER: Final = "17"

PHYSICAL_RESTRAINT_CODES: Final = frozenset(
    {
        PHYSICAL_RESTRAINT_PRONE,
        PHYSICAL_RESTRAINT_STANDING,
        PHYSICAL_RESTRAINT_RESTRICTIVE_ESCORT,
        PHYSICAL_RESTRAINT_SUPINE,
        PHYSICAL_RESTRAINT_SIDE,
        PHYSICAL_RESTRAINT_SEATED,
        PHYSICAL_RESTRAINT_KNEELING,
        PHYSICAL_RESTRAINT_OTHER,
    }
)
MECHANICAL_RESTRAINT_CODES: Final = frozenset({MECHANICAL_RESTRAINT})
SECLUSION_CODES: Final = frozenset({SECLUSION})
SEGREGATION_CODES: Final = frozenset({SEGREGATION})
CHEMICAL_RESTRAINT_CODES: Final = frozenset(
    {
        CHEMICAL_RESTRAINT_INJECTION_RAPID_TRANQUILLISATION,
        CHEMICAL_RESTRAINT_INJECTION_NON_RAPID_TRANQUILLISATION,
        CHEMICAL_RESTRAINT_ORAL,
        CHEMICAL_RESTRAINT_OTHER,
    }
)
ALL_INTERVENTION_CODES: Final = (
    PHYSICAL_RESTRAINT_CODES
    | MECHANICAL_RESTRAINT_CODES
    | SECLUSION_CODES
    | SEGREGATION_CODES
    | CHEMICAL_RESTRAINT_CODES
)

_CATEGORY_BY_CODE: Final[Mapping[str, Category]] = MappingProxyType(
    {
        **dict.fromkeys(PHYSICAL_RESTRAINT_CODES, "physical"),
        **dict.fromkeys(MECHANICAL_RESTRAINT_CODES, "mechanical"),
        **dict.fromkeys(SECLUSION_CODES, "seclusion"),
        **dict.fromkeys(SEGREGATION_CODES, "segregation"),
        **dict.fromkeys(CHEMICAL_RESTRAINT_CODES, "chemical"),
    }
)


def normalise_code(code: str) -> str:
    """Return the two-digit MHSDS RestrictiveIntType code ("4" -> "04").

    Raises ValueError for anything that is not a current code (02 and 03 were retired).
    """
    cleaned = code.strip()
    if cleaned.isdigit() and len(cleaned) == 1:
        cleaned = cleaned.zfill(2)
    if cleaned not in ALL_INTERVENTION_CODES:
        raise ValueError(
            f"Unknown restrictive intervention type code {code!r}: "
            "MHSDS RestrictiveIntType codes are 01 and 04 to 17."
        )
    return cleaned


def category(code: str) -> Category:
    """The kind of force an MHSDS RestrictiveIntType code records (Use of Force Act s.1(6))."""
    return _CATEGORY_BY_CODE[normalise_code(code)]


# ---------------------------------------------------------------------------------------------
# Policy: every timing is configurable, with defaults from docs/sources/review-timings.md
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DutyPolicy:
    """Timings (in minutes) of the duties that follow a use of force.

    A provider may adopt a stricter local policy; the defaults cite their source.
    """

    # standard 2.5.2.XI: medically assessed within one hour of the start of physical restraint.
    medical_review_after_restraint_minutes: int = 60
    # standard 2.5.2.XII; MHA Code of Practice 26.82: first review within 1 hour of the start.
    mechanical_restraint_first_review_minutes: int = 60
    # standard 2.5.2.XII; MHA Code of Practice 26.82: then at least every 4 hours while it lasts.
    mechanical_restraint_review_interval_minutes: int = 240
    # standard 2.5.2.XIV, XVII: post-restraint physical observations. The standard leaves the
    # frequency and length to the person's care plan (2.5.2.XVII), so only the first set is a
    # duty here. Default chosen locally: within 1 hour of the restraint ending, in line with
    # the one-hour governance standard of 2.5.2.XI. Configurable.
    physical_observations_after_restraint_minutes: int = 60
    # NICE QS154 statement 4 (NICE NG10): checks at least every hour until no further concerns.
    rapid_tranquillisation_check_interval_minutes: int = 60
    # NICE NG10: every 15 minutes in higher-risk cases (above BNF maximum, asleep or sedated,
    # drugs or alcohol, physical illness, harm from restraint). 15-minute case list: check;
    # configurable.
    rapid_tranquillisation_high_risk_check_interval_minutes: int = 15
    # MHA Code of Practice ch.26: seclusion nursing review at least every 2 hours (check;
    # configurable).
    seclusion_nursing_review_interval_minutes: int = 120
    # MHA Code of Practice ch.26: seclusion medical review within 1 hour of the start (check;
    # configurable). Not needed when a psychiatrist authorised the seclusion: the caller
    # records sequence 1 as not required in that case.
    seclusion_medical_first_review_minutes: int = 60
    # MHA Code of Practice ch.26: then every 4 hours until the first independent MDT review
    # (check; configurable). Generated every 4 hours while seclusion lasts; once the MDT review
    # has set a different frequency the caller records later ones as not required.
    seclusion_medical_review_interval_minutes: int = 240
    # MHA Code of Practice ch.26: independent MDT review when seclusion lasts 8 hours in a row
    # (check; configurable) ...
    seclusion_mdt_continuous_minutes: int = 480
    # ... or 12 hours in total (check; configurable) ...
    seclusion_mdt_total_minutes: int = 720
    # ... within 48 hours (check; configurable).
    seclusion_mdt_window_minutes: int = 2880
    # MHA Code of Practice ch.26: long-term segregation, approved clinician review daily (check;
    # configurable).
    segregation_clinician_review_interval_minutes: int = 1440
    # MHA Code of Practice ch.26: long-term segregation, MDT review weekly (check;
    # configurable).
    segregation_mdt_review_interval_minutes: int = 10080
    # standard "Review, support and debrief" (post-incident support: physical and emotional
    # wellbeing); standard 1.6.III. The standard sets no time. Default chosen locally: within
    # 24 hours of the incident ending, because wellbeing support is immediate ("hot") support
    # and NICE NG10 asks for an immediate post-incident debrief. Configurable.
    post_incident_support_patient_minutes: int = 1440
    # Same source and reasoning, for the staff involved (standard 1.6.III: "for everyone").
    post_incident_support_staff_minutes: int = 1440
    # standard "Review, support and debrief": reflection and learning review, kept separate
    # from support (Baker 2017); NICE QS154. The standard sets no time. Default chosen locally:
    # within 7 days of the incident ending, so the team can meet when calm. Configurable.
    post_incident_review_minutes: int = 10080
    # standard 1.6.IV: learning from the person's experience, an offer and never compulsory.
    # Default chosen locally: offered within 72 hours of the incident ending. Configurable.
    patient_account_offer_minutes: int = 4320
    # standard 2.2.I, 2.2.V (risk assessment reviewed in response to any incident), 2.3.XVIII
    # (risk management care plans updated). The standard sets no time. Default chosen locally:
    # within 72 hours of the incident ending. Configurable.
    care_plan_review_minutes: int = 4320
    # NICE QS154 statement 4: which chemical restraint codes need rapid tranquillisation
    # monitoring. Default: 14 (injection, rapid tranquillisation) only.
    rapid_tranquillisation_codes: frozenset[str] = frozenset(
        {CHEMICAL_RESTRAINT_INJECTION_RAPID_TRANQUILLISATION}
    )
    # standard 2.5.2.XIV, 2.3.XX: which kinds of restraint are followed by post-restraint
    # physical observations. Default: physical and mechanical restraint (rapid tranquillisation
    # has its own monitoring duty). Configurable.
    physical_observations_categories: frozenset[Category] = frozenset({"physical", "mechanical"})

    def __post_init__(self) -> None:
        for name in _MINUTE_FIELDS:
            value: object = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"{name} must be a whole number of minutes, not {value!r}.")
            if value <= 0:
                raise ValueError(f"{name} must be a positive number of minutes, not {value}.")
        codes = frozenset(normalise_code(code) for code in self.rapid_tranquillisation_codes)
        not_chemical = sorted(codes - CHEMICAL_RESTRAINT_CODES)
        if not_chemical:
            raise ValueError(
                "rapid_tranquillisation_codes may only hold chemical restraint codes "
                f"(14 to 17), not {', '.join(not_chemical)}."
            )
        object.__setattr__(self, "rapid_tranquillisation_codes", codes)
        unknown = sorted(set(self.physical_observations_categories) - set(CATEGORIES))
        if unknown:
            raise ValueError(
                "physical_observations_categories holds unknown categories: "
                f"{', '.join(unknown)}; use {', '.join(CATEGORIES)}."
            )
        object.__setattr__(
            self,
            "physical_observations_categories",
            frozenset(self.physical_observations_categories),
        )
        # Seclusion within a window can never exceed the window itself.
        if self.seclusion_mdt_total_minutes > self.seclusion_mdt_window_minutes:
            raise ValueError(
                "seclusion_mdt_total_minutes must not be longer than "
                "seclusion_mdt_window_minutes, or the total could never be reached."
            )


_MINUTE_FIELDS: Final[tuple[str, ...]] = tuple(
    f.name for f in dataclasses.fields(DutyPolicy) if f.name.endswith("_minutes")
)

DEFAULT_POLICY: Final = DutyPolicy()


def _minutes_setting(name: str, value: object) -> int:
    if isinstance(value, bool):
        raise ValueError(f"{name} must be a whole number of minutes, not {value!r}.")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d+\s*", value):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise ValueError(f"{name} must be a whole number of minutes, not {value!r}.")


def _strings_setting(name: str, value: object) -> frozenset[str]:
    if isinstance(value, str):
        items: list[object] = [part for part in value.split(",") if part.strip()]
    elif isinstance(value, Iterable):
        items = list(cast(Iterable[object], value))
    else:
        raise ValueError(f"{name} must be a list of values, not {value!r}.")
    result: set[str] = set()
    for item in items:
        if not isinstance(item, str):
            raise ValueError(f"{name} must hold text values, not {item!r}.")
        result.add(item.strip())
    return frozenset(result)


def policy_from_mapping(settings: Mapping[str, object]) -> DutyPolicy:
    """Build a policy from stored settings (e.g. JSON), filling gaps with the defaults.

    Minute fields accept whole numbers (or their text); code and category fields accept a list
    or comma-separated text. A missing key or a None value keeps the default. Raises ValueError
    naming the field for an unknown key, a wrong type or a non-positive number of minutes.
    """
    known = {f.name for f in dataclasses.fields(DutyPolicy)}
    unknown = sorted(set(settings) - known)
    if unknown:
        raise ValueError(f"Unknown duty policy setting: {', '.join(unknown)}.")
    # Any: the field names are checked above and the values by DutyPolicy.__post_init__.
    minutes: dict[str, Any] = {}
    for name in _MINUTE_FIELDS:
        value = settings.get(name)
        if value is not None:
            minutes[name] = _minutes_setting(name, value)
    policy = dataclasses.replace(DEFAULT_POLICY, **minutes)
    rt_codes = settings.get("rapid_tranquillisation_codes")
    if rt_codes is not None:
        codes = _strings_setting("rapid_tranquillisation_codes", rt_codes)
        try:
            policy = dataclasses.replace(policy, rapid_tranquillisation_codes=codes)
        except ValueError as error:
            if "rapid_tranquillisation_codes" in str(error):
                raise
            raise ValueError(f"rapid_tranquillisation_codes: {error}") from error
    categories = settings.get("physical_observations_categories")
    if categories is not None:
        names = _strings_setting("physical_observations_categories", categories)
        policy = dataclasses.replace(
            policy, physical_observations_categories=cast(frozenset[Category], names)
        )
    return policy


def is_rapid_tranquillisation(code: str, policy: DutyPolicy = DEFAULT_POLICY) -> bool:
    """Whether this intervention needs rapid tranquillisation monitoring (NICE QS154 st. 4)."""
    return normalise_code(code) in policy.rapid_tranquillisation_codes


# ---------------------------------------------------------------------------------------------
# Facts in, duties out
# ---------------------------------------------------------------------------------------------


def _require_aware(name: str, value: datetime) -> datetime:
    """Return the moment in UTC; reject naive datetimes (their moment is unknown)."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got the naive datetime {value}.")
    return value.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class InterventionFacts:
    """One restrictive intervention type used within an incident (MHSDS MHS515)."""

    code: str
    started_at: datetime
    ended_at: datetime | None = None  # None while ongoing
    # NICE NG10: rapid tranquillisation in a higher-risk case (monitor every 15 minutes).
    # Only read for codes the policy treats as rapid tranquillisation.
    high_risk_rt: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "code", normalise_code(self.code))
        started = _require_aware("Intervention started_at", self.started_at)
        object.__setattr__(self, "started_at", started)
        if self.ended_at is not None:
            ended = _require_aware("Intervention ended_at", self.ended_at)
            if ended < started:
                raise ValueError("An intervention cannot end before it starts.")
            object.__setattr__(self, "ended_at", ended)

    @property
    def category(self) -> Category:
        return _CATEGORY_BY_CODE[self.code]


@dataclass(frozen=True, slots=True)
class IncidentFacts:
    """A recorded use of force (MHSDS MHS505) and the interventions used in it."""

    started_at: datetime
    ended_at: datetime | None  # None while ongoing
    interventions: Sequence[InterventionFacts] = ()
    # Use of Force Act s.6(2)-(3): negligible force need not be recorded and has no duties.
    negligible: bool = False
    entered_in_error: bool = False
    # The same patient's seclusion in other incidents shortly before this one, as (start, end)
    # pairs. The MHA Code of Practice ch.26 "12 hours in total within 48 hours" counts the
    # person's seclusion, not one record's, so the caller passes the last 48 hours here.
    earlier_seclusion: Sequence[tuple[datetime, datetime]] = ()

    def __post_init__(self) -> None:
        started = _require_aware("Incident started_at", self.started_at)
        object.__setattr__(self, "started_at", started)
        ended: datetime | None = None
        if self.ended_at is not None:
            ended = _require_aware("Incident ended_at", self.ended_at)
            if ended < started:
                raise ValueError("An incident cannot end before it starts.")
            object.__setattr__(self, "ended_at", ended)
        interventions = tuple(self.interventions)
        object.__setattr__(self, "interventions", interventions)
        for intervention in interventions:
            if intervention.started_at < started:
                raise ValueError("An intervention cannot start before its incident starts.")
            if ended is not None:
                if intervention.ended_at is None:
                    raise ValueError(
                        "The incident has ended but one of its interventions has no end time."
                    )
                if intervention.ended_at > ended:
                    raise ValueError("An intervention cannot end after its incident ends.")
        periods: list[tuple[datetime, datetime]] = []
        for period_start, period_end in self.earlier_seclusion:
            start_utc = _require_aware("Earlier seclusion start", period_start)
            end_utc = _require_aware("Earlier seclusion end", period_end)
            if end_utc < start_utc:
                raise ValueError("An earlier seclusion period cannot end before it starts.")
            periods.append((start_utc, end_utc))
        object.__setattr__(self, "earlier_seclusion", tuple(periods))
        # Use of Force Act statutory guidance (check): mechanical and chemical restraint,
        # seclusion and segregation are never negligible. Refuse the contradiction rather than
        # silently dropping their duties.
        if self.negligible and not self.entered_in_error:
            for intervention in interventions:
                if intervention.category != "physical":
                    raise ValueError(
                        "Only physical restraint can be recorded as negligible force; "
                        f"this incident includes {intervention.category} "
                        f"(code {intervention.code})."
                    )


DutyKind = Literal[
    "medical_review",
    "mechanical_restraint_review",
    "physical_observations",
    "rapid_tranquillisation_monitoring",
    "seclusion_nursing_review",
    "seclusion_medical_review",
    "seclusion_mdt_review",
    "segregation_clinician_review",
    "segregation_mdt_review",
    "post_incident_support_patient",
    "post_incident_support_staff",
    "post_incident_review",
    "patient_account_offer",
    "care_plan_review",
]
DUTY_KINDS: Final[tuple[DutyKind, ...]] = get_args(DutyKind)

OwnerRole = Literal["ward_staff", "ward_manager", "doctor", "rrp_lead"]
OWNER_ROLES: Final[tuple[OwnerRole, ...]] = get_args(OwnerRole)

DutyState = Literal["due", "overdue", "done", "done_late", "not_required"]
DUTY_STATES: Final[tuple[DutyState, ...]] = get_args(DutyState)

# Who must act on each duty.
DUTY_OWNERS: Final[Mapping[DutyKind, OwnerRole]] = MappingProxyType(
    {
        "medical_review": "doctor",  # standard 2.5.2.XI: a registered medical doctor
        "mechanical_restraint_review": "doctor",  # MHA Code of Practice 26.82
        "physical_observations": "ward_staff",
        "rapid_tranquillisation_monitoring": "ward_staff",
        "seclusion_nursing_review": "ward_staff",
        "seclusion_medical_review": "doctor",
        "seclusion_mdt_review": "ward_manager",  # arranges the independent review
        "segregation_clinician_review": "doctor",  # an approved clinician
        "segregation_mdt_review": "ward_manager",
        "post_incident_support_patient": "ward_staff",
        "post_incident_support_staff": "ward_manager",
        "post_incident_review": "ward_manager",
        "patient_account_offer": "ward_staff",
        "care_plan_review": "ward_staff",
    }
)

# The source shown beside each duty.
DUTY_SOURCES: Final[Mapping[DutyKind, str]] = MappingProxyType(
    {
        "medical_review": "standard 2.5.2.XI",
        "mechanical_restraint_review": "standard 2.5.2.XII; MHA Code of Practice 26.82",
        "physical_observations": "standard 2.5.2.XIV, 2.5.2.XVII",
        "rapid_tranquillisation_monitoring": "NICE QS154 statement 4; NICE NG10",
        "seclusion_nursing_review": "MHA Code of Practice ch.26",
        "seclusion_medical_review": "MHA Code of Practice ch.26",
        "seclusion_mdt_review": "MHA Code of Practice ch.26",
        "segregation_clinician_review": "MHA Code of Practice ch.26",
        "segregation_mdt_review": "MHA Code of Practice ch.26",
        "post_incident_support_patient": "standard: Review, support and debrief; 1.6.III",
        "post_incident_support_staff": "standard: Review, support and debrief; 1.6.III",
        "post_incident_review": "standard: Review, support and debrief; NICE QS154",
        "patient_account_offer": "standard 1.6.IV",
        "care_plan_review": "standard 2.2.V, 2.3.XVIII",
    }
)


@dataclass(frozen=True, slots=True)
class DutySpec:
    """One timed duty that follows a use of force.

    (kind, intervention_index, sequence) identifies a duty within its incident, so a caller can
    reconcile the list each time the facts change.
    """

    kind: DutyKind
    sequence: int  # 1, 2, 3... within a recurring series; 1 for one-off duties
    due_at: datetime  # UTC
    owner_role: OwnerRole
    source: str
    label: str
    # Position in IncidentFacts.interventions of the intervention the duty follows; None for
    # duties that follow the incident as a whole.
    intervention_index: int | None = None


def format_minutes(minutes: int) -> str:
    """Say a policy time the way a ward would: "15 minutes", "1 hour", "72 hours", "7 days"."""
    if minutes < 60:
        return _plural(minutes, "minute")
    hours, rest = divmod(minutes, 60)
    if rest == 0 and hours <= 72:
        return _plural(hours, "hour")
    if rest == 0 and hours % 24 == 0:
        return _plural(hours // 24, "day")
    if rest == 0:
        return _plural(hours, "hour")
    return f"{_plural(hours, 'hour')} {_plural(rest, 'minute')}"


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}" if count == 1 else f"{count} {unit}s"


def _spec(
    kind: DutyKind, due_at: datetime, label: str, index: int | None, sequence: int = 1
) -> DutySpec:
    return DutySpec(
        kind=kind,
        sequence=sequence,
        due_at=due_at,
        owner_role=DUTY_OWNERS[kind],
        source=DUTY_SOURCES[kind],
        label=label,
        intervention_index=index,
    )


def _series(
    *,
    start: datetime,
    end: datetime | None,
    first_after: timedelta,
    every: timedelta,
    now: datetime,
    first_always: bool,
) -> list[datetime]:
    """Due times of a review that recurs while an intervention lasts.

    Ended: every occurrence due strictly before the end (at the end moment the person is no
    longer restricted). Ongoing: every occurrence due at or before `now`, plus the next one.
    `first_always` keeps the first occurrence even if the intervention ended before it.
    """
    due_times: list[datetime] = []
    due = start + first_after
    while True:
        if end is not None:
            if due >= end and not (first_always and not due_times):
                break
        elif due_times and due_times[-1] > now:
            break
        due_times.append(due)
        due += every
    return due_times


def _merge(periods: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """Join overlapping or touching periods (back-to-back seclusion is one continuous spell)."""
    merged: list[tuple[datetime, datetime]] = []
    for start, end in sorted(periods):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _secluded_within(
    periods: Sequence[tuple[datetime, datetime]], window: timedelta, moment: datetime
) -> timedelta:
    """Total seclusion in the window (moment - window, moment]."""
    total = timedelta(0)
    for start, end in periods:
        overlap = min(end, moment) - max(start, moment - window)
        if overlap > timedelta(0):
            total += overlap
    return total


def seclusion_mdt_threshold(
    own_periods: Sequence[tuple[datetime, datetime | None]],
    earlier_periods: Sequence[tuple[datetime, datetime]],
    policy: DutyPolicy = DEFAULT_POLICY,
) -> tuple[datetime, Literal["continuous", "total"]] | None:
    """When this incident's seclusion first needs an independent MDT review, and why.

    MHA Code of Practice ch.26 (check): seclusion lasting 8 hours in a row, or 12 hours in
    total within any 48 hours. Ongoing periods (end None) are projected forward, so the
    review can be planned before the threshold is reached. Only moments within this
    incident's seclusion count; earlier periods only add to the 48-hour total.
    Returns None if never reached.
    """
    if not own_periods:
        return None
    continuous = timedelta(minutes=policy.seclusion_mdt_continuous_minutes)
    total = timedelta(minutes=policy.seclusion_mdt_total_minutes)
    window = timedelta(minutes=policy.seclusion_mdt_window_minutes)
    # An ongoing spell reaches the continuous threshold by start + continuous, so projecting
    # it to start + max(continuous, total) is enough to find the first threshold.
    horizon = max(continuous, total)
    own = [(start, end if end is not None else start + horizon) for start, end in own_periods]
    first_own_start = min(start for start, _ in own)
    periods = _merge([*own, *earlier_periods])

    candidates: list[tuple[datetime, Literal["continuous", "total"]]] = []
    for start, end in periods:
        if end - start >= continuous:
            reached = max(start + continuous, first_own_start)
            if reached <= end:
                candidates.append((reached, "continuous"))

    # The windowed total is piecewise linear in time with slope -1, 0 or +1 (periods are
    # merged); it changes slope only at these moments, so the first crossing is exact.
    breakpoints = sorted(
        {first_own_start}
        | {
            moment
            for start, end in periods
            for moment in (start, end, start + window, end + window)
            if moment >= first_own_start
        }
    )
    previous = breakpoints[0]
    previous_total = _secluded_within(periods, window, previous)
    if previous_total >= total:
        candidates.append((previous, "total"))
    else:
        for moment in breakpoints[1:]:
            moment_total = _secluded_within(periods, window, moment)
            if moment_total >= total:
                candidates.append((previous + (total - previous_total), "total"))
                break
            previous, previous_total = moment, moment_total

    if not candidates:
        return None
    # On a tie, report the continuous rule (the plainer reason to give the ward).
    return min(candidates, key=lambda c: (c[0], c[1] != "continuous"))


def duties_for(incident: IncidentFacts, policy: DutyPolicy, now: datetime) -> list[DutySpec]:
    """Every timed duty that follows this use of force, soonest first.

    Negligible force (Use of Force Act s.6(2)-(3)) and records entered in error have no duties.
    """
    now = _require_aware("now", now)
    if incident.entered_in_error or incident.negligible:
        return []
    duties: list[DutySpec] = []
    interventions = tuple(enumerate(incident.interventions))

    def minutes(value: int) -> timedelta:
        return timedelta(minutes=value)

    # standard 2.5.2.XI: a medical review within 1 hour of the start of physical restraint,
    # once per incident, timed from the first physical restraint.
    physical = [(i, x) for i, x in interventions if x.category == "physical"]
    if physical:
        index, first = min(physical, key=lambda pair: pair[1].started_at)
        window = policy.medical_review_after_restraint_minutes
        duties.append(
            _spec(
                "medical_review",
                first.started_at + minutes(window),
                f"Medical review within {format_minutes(window)} of restraint",
                index,
            )
        )

    # standard 2.5.2.XIV, XVII: post-restraint physical observations, the first set after all
    # restraint has ended; their frequency and length after that are set by the care plan.
    restraint = [
        (i, x) for i, x in interventions if x.category in policy.physical_observations_categories
    ]
    if restraint and all(x.ended_at is not None for _, x in restraint):
        index, last = max(restraint, key=lambda pair: cast(datetime, pair[1].ended_at))
        window = policy.physical_observations_after_restraint_minutes
        duties.append(
            _spec(
                "physical_observations",
                cast(datetime, last.ended_at) + minutes(window),
                f"Physical observations within {format_minutes(window)} of restraint ending",
                index,
            )
        )

    for index, intervention in interventions:
        kind_of_force = intervention.category
        start, end = intervention.started_at, intervention.ended_at
        if kind_of_force == "mechanical":
            # standard 2.5.2.XII; MHA Code of Practice 26.82.
            first_window = policy.mechanical_restraint_first_review_minutes
            every = policy.mechanical_restraint_review_interval_minutes
            for sequence, due in enumerate(
                _series(
                    start=start,
                    end=end,
                    first_after=minutes(first_window),
                    every=minutes(every),
                    now=now,
                    first_always=True,
                ),
                start=1,
            ):
                label = (
                    f"Medical review within {format_minutes(first_window)} of mechanical "
                    "restraint starting"
                    if sequence == 1
                    else f"Medical review {sequence} during mechanical restraint "
                    f"(at least every {format_minutes(every)})"
                )
                duties.append(_spec("mechanical_restraint_review", due, label, index, sequence))
        elif kind_of_force == "seclusion":
            # MHA Code of Practice ch.26 (check): nursing review every 2 hours.
            every = policy.seclusion_nursing_review_interval_minutes
            for sequence, due in enumerate(
                _series(
                    start=start,
                    end=end,
                    first_after=minutes(every),
                    every=minutes(every),
                    now=now,
                    first_always=False,
                ),
                start=1,
            ):
                duties.append(
                    _spec(
                        "seclusion_nursing_review",
                        due,
                        f"Seclusion nursing review {sequence} "
                        f"(at least every {format_minutes(every)})",
                        index,
                        sequence,
                    )
                )
            # MHA Code of Practice ch.26 (check): medical review within 1 hour, then 4-hourly.
            first_window = policy.seclusion_medical_first_review_minutes
            every = policy.seclusion_medical_review_interval_minutes
            for sequence, due in enumerate(
                _series(
                    start=start,
                    end=end,
                    first_after=minutes(first_window),
                    every=minutes(every),
                    now=now,
                    first_always=True,
                ),
                start=1,
            ):
                label = (
                    f"Seclusion medical review within {format_minutes(first_window)} of "
                    "seclusion starting"
                    if sequence == 1
                    else f"Seclusion medical review {sequence} "
                    f"(at least every {format_minutes(every)})"
                )
                duties.append(_spec("seclusion_medical_review", due, label, index, sequence))
        elif kind_of_force == "segregation":
            # MHA Code of Practice ch.26 (check): long-term segregation reviews.
            segregation_reviews: tuple[tuple[DutyKind, int, str], ...] = (
                (
                    "segregation_clinician_review",
                    policy.segregation_clinician_review_interval_minutes,
                    "Approved clinician review of segregation",
                ),
                (
                    "segregation_mdt_review",
                    policy.segregation_mdt_review_interval_minutes,
                    "Multidisciplinary review of segregation",
                ),
            )
            for kind, every, what in segregation_reviews:
                for sequence, due in enumerate(
                    _series(
                        start=start,
                        end=end,
                        first_after=minutes(every),
                        every=minutes(every),
                        now=now,
                        first_always=False,
                    ),
                    start=1,
                ):
                    duties.append(
                        _spec(
                            kind,
                            due,
                            f"{what} {sequence} (at least every {format_minutes(every)})",
                            index,
                            sequence,
                        )
                    )
        elif kind_of_force == "chemical" and intervention.code in (
            policy.rapid_tranquillisation_codes
        ):
            # NICE QS154 statement 4; NICE NG10: only the first check is generated here; the
            # caller adds the next one each time a check is recorded (next_rapid_tranquillisation
            # _check), until no further concerns are recorded.
            first_window = (
                policy.rapid_tranquillisation_high_risk_check_interval_minutes
                if intervention.high_risk_rt
                else policy.rapid_tranquillisation_check_interval_minutes
            )
            duties.append(
                _spec(
                    "rapid_tranquillisation_monitoring",
                    start + minutes(first_window),
                    f"Rapid tranquillisation check within {format_minutes(first_window)}"
                    + (" (higher risk)" if intervention.high_risk_rt else ""),
                    index,
                )
            )

    # MHA Code of Practice ch.26 (check): independent MDT review at the moment seclusion
    # reaches 8 hours in a row or 12 hours in total within 48 hours.
    seclusion = [(i, x) for i, x in interventions if x.category == "seclusion"]
    reached = seclusion_mdt_threshold(
        [(x.started_at, x.ended_at) for _, x in seclusion], incident.earlier_seclusion, policy
    )
    if reached is not None:
        moment, rule = reached
        during = [
            i
            for i, x in seclusion
            if x.started_at <= moment and (x.ended_at is None or moment <= x.ended_at)
        ]
        reason = (
            f"{format_minutes(policy.seclusion_mdt_continuous_minutes)} in a row"
            if rule == "continuous"
            else f"{format_minutes(policy.seclusion_mdt_total_minutes)} in total within "
            f"{format_minutes(policy.seclusion_mdt_window_minutes)}"
        )
        duties.append(
            _spec(
                "seclusion_mdt_review",
                moment,
                f"Independent multidisciplinary review: seclusion reached {reason}",
                during[0] if during else None,
            )
        )

    # Incident-level duties, timed from the end of the incident.
    if incident.ended_at is not None:
        ended = incident.ended_at
        after_incident: tuple[tuple[DutyKind, int, str], ...] = (
            (
                "post_incident_support_patient",
                policy.post_incident_support_patient_minutes,
                "Post-incident support offered to the patient within {}",
            ),
            (
                "post_incident_support_staff",
                policy.post_incident_support_staff_minutes,
                "Post-incident support offered to staff within {}",
            ),
            (
                "post_incident_review",
                policy.post_incident_review_minutes,
                "Post-incident reflection and learning review within {}",
            ),
            (
                "patient_account_offer",
                policy.patient_account_offer_minutes,
                "Offer the patient the chance to give their own account within {} "
                "(an offer, never compulsory)",
            ),
            (
                "care_plan_review",
                policy.care_plan_review_minutes,
                "Care plan and risk assessment reviewed within {}",
            ),
        )
        for kind, window, label in after_incident:
            duties.append(
                _spec(kind, ended + minutes(window), label.format(format_minutes(window)), None)
            )

    return sorted(duties, key=_stable_order)


def _stable_order(duty: DutySpec) -> tuple[datetime, int, int, int]:
    index = -1 if duty.intervention_index is None else duty.intervention_index
    return (duty.due_at, DUTY_KINDS.index(duty.kind), index, duty.sequence)


def next_rapid_tranquillisation_check(
    previous: DutySpec,
    checked_at: datetime,
    policy: DutyPolicy = DEFAULT_POLICY,
    *,
    high_risk: bool,
) -> DutySpec:
    """The next rapid tranquillisation check, due an interval after the last one was done.

    NICE QS154 statement 4: at least every hour (every 15 minutes in higher-risk cases) until
    there are no further concerns; the caller stops asking when a check records that.
    `high_risk` is given each time because the case can change (e.g. the person falls asleep).
    """
    if previous.kind != "rapid_tranquillisation_monitoring":
        raise ValueError(f"{previous.kind} is not a rapid tranquillisation check.")
    checked_at = _require_aware("checked_at", checked_at)
    every = (
        policy.rapid_tranquillisation_high_risk_check_interval_minutes
        if high_risk
        else policy.rapid_tranquillisation_check_interval_minutes
    )
    sequence = previous.sequence + 1
    return _spec(
        "rapid_tranquillisation_monitoring",
        checked_at + timedelta(minutes=every),
        f"Rapid tranquillisation check {sequence} within {format_minutes(every)} of the last"
        + (" (higher risk)" if high_risk else ""),
        previous.intervention_index,
        sequence,
    )


# ---------------------------------------------------------------------------------------------
# State at a moment, completion checks, worklist order
# ---------------------------------------------------------------------------------------------


def duty_state(
    due_at: datetime,
    completed_at: datetime | None,
    not_required: bool,
    late_reason: str | None,
    now: datetime,
) -> DutyState:
    """The state of a duty at the moment `now`.

    Boundary rule: completed at exactly due_at is "done" (on time); one second later is
    "done_late". Not completed: "due" up to and including due_at, "overdue" strictly after.
    A completion recorded for a time after `now` has not happened yet at `now`, so the state
    is decided as if it were not completed (this also makes past moments replayable).
    A duty that was actually completed stays done even if also marked not required.
    `late_reason` does not change the state: lateness is a fact and the reason explains it
    (standard 2.5.2.XI asks for the reason to be recorded); completion_problems asks for a
    missing reason.
    """
    del late_reason  # accepted so callers can pass a whole record; see the docstring
    due_at = _require_aware("due_at", due_at)
    now = _require_aware("now", now)
    if completed_at is not None:
        completed_at = _require_aware("completed_at", completed_at)
        if completed_at <= now:
            return "done" if completed_at <= due_at else "done_late"
    if not_required:
        return "not_required"
    return "due" if now <= due_at else "overdue"


# What a nurse reads: the duty's name, and for one-off duties what the time runs from and
# which policy field sets it.
_DUTY_NOUNS: Final[Mapping[DutyKind, str]] = MappingProxyType(
    {
        "medical_review": "medical review",
        "mechanical_restraint_review": "medical review of mechanical restraint",
        "physical_observations": "first set of physical observations",
        "rapid_tranquillisation_monitoring": "rapid tranquillisation check",
        "seclusion_nursing_review": "seclusion nursing review",
        "seclusion_medical_review": "seclusion medical review",
        "seclusion_mdt_review": "independent multidisciplinary review of seclusion",
        "segregation_clinician_review": "approved clinician review of segregation",
        "segregation_mdt_review": "multidisciplinary review of segregation",
        "post_incident_support_patient": "post-incident support for the patient",
        "post_incident_support_staff": "post-incident support for staff",
        "post_incident_review": "post-incident reflection and learning review",
        "patient_account_offer": "offer to the patient to give their own account",
        "care_plan_review": "care plan and risk assessment review",
    }
)
_FIXED_WINDOWS: Final[Mapping[DutyKind, tuple[str, str]]] = MappingProxyType(
    {
        "medical_review": ("the restraint started", "medical_review_after_restraint_minutes"),
        "physical_observations": (
            "the restraint ended",
            "physical_observations_after_restraint_minutes",
        ),
        "post_incident_support_patient": (
            "the incident ended",
            "post_incident_support_patient_minutes",
        ),
        "post_incident_support_staff": (
            "the incident ended",
            "post_incident_support_staff_minutes",
        ),
        "post_incident_review": ("the incident ended", "post_incident_review_minutes"),
        "patient_account_offer": ("the incident ended", "patient_account_offer_minutes"),
        "care_plan_review": ("the incident ended", "care_plan_review_minutes"),
    }
)


def _describe_lateness(late: timedelta) -> str:
    total_minutes = int(late.total_seconds() // 60)
    if total_minutes < 1:
        return "less than a minute"
    days, rest = divmod(total_minutes, 1440)
    hours, mins = divmod(rest, 60)
    parts = [
        _plural(amount, unit)
        for amount, unit in ((days, "day"), (hours, "hour"), (mins, "minute"))
        if amount
    ]
    return " ".join(parts)


def completion_problems(
    duty_kind: str,
    due_at: datetime,
    completed_at: datetime,
    late_reason: str | None,
    now: datetime,
    policy: DutyPolicy = DEFAULT_POLICY,
) -> list[str]:
    """Problems with a recorded completion, as sentences a nurse would understand.

    Empty when the completion can be saved. Same boundary as duty_state: completed at
    exactly due_at is on time. `policy` is the one the due time was worked out with; it is
    used to say how long the allowed time was.
    """
    if duty_kind not in DUTY_KINDS:
        raise ValueError(f"Unknown duty kind {duty_kind!r}.")
    kind = cast(DutyKind, duty_kind)  # narrowed by the check above
    due_at = _require_aware("due_at", due_at)
    completed_at = _require_aware("completed_at", completed_at)
    now = _require_aware("now", now)
    noun = _DUTY_NOUNS[kind]
    problems: list[str] = []
    if completed_at > now:
        problems.append(f"The time given for the {noun} is in the future: check the date and time.")
    fixed = _FIXED_WINDOWS.get(kind)
    if fixed is not None:
        anchor_words, field_name = fixed
        window = cast(int, getattr(policy, field_name))
        if completed_at < due_at - timedelta(minutes=window):
            problems.append(
                f"The time given for the {noun} is before {anchor_words}: check the date and time."
            )
    if completed_at > due_at and not (late_reason and late_reason.strip()):
        if fixed is not None:
            anchor_words, field_name = fixed
            window = cast(int, getattr(policy, field_name))
            problems.append(
                f"The {noun} was more than {format_minutes(window)} after {anchor_words}: "
                "record the reason for the delay."
            )
        else:
            problems.append(
                f"The {noun} was {_describe_lateness(completed_at - due_at)} late: "
                "record the reason for the delay."
            )
    return problems


class WorklistEntry(Protocol):
    """Anything with a kind, a due time and a state: a DutyStatus, or the caller's own duty
    record."""

    @property
    def kind(self) -> str: ...

    @property
    def due_at(self) -> datetime: ...

    @property
    def state(self) -> DutyState: ...


EntryT = TypeVar("EntryT", bound=WorklistEntry)


@dataclass(frozen=True, slots=True)
class DutyStatus:
    """A duty with its state at a given moment, ready for a worklist."""

    duty: DutySpec
    state: DutyState

    @property
    def kind(self) -> str:
        return self.duty.kind

    @property
    def due_at(self) -> datetime:
        return self.duty.due_at


# The duties that protect the person's body in the hours after force: a doctor's review after
# restraint (standard 2.5.2.XI, XII), post-restraint observations (2.5.2.XIV), rapid
# tranquillisation checks (NICE QS154 statement 4) and the reviews of a person secluded or
# segregated now (MHA Code of Practice ch.26). Support, debriefs, accounts, care plan and MDT
# reviews matter too, but an hour's delay in them does not put anyone's life at risk.
SAFETY_CRITICAL_KINDS: Final[frozenset[DutyKind]] = frozenset(
    {
        "medical_review",
        "mechanical_restraint_review",
        "physical_observations",
        "rapid_tranquillisation_monitoring",
        "seclusion_nursing_review",
        "seclusion_medical_review",
        "segregation_clinician_review",
    }
)
# How long after its due time a missed safety check can still find the harm it was for
# (positional asphyxia, over-sedation, an injury from the hold). Default chosen locally: a day,
# the longest interval between any two of these checks (daily segregation review). Later than
# that it stays overdue, a gap in the record to explain, but no longer outranks today's work.
HARM_WINDOW: Final = timedelta(hours=24)


def sort_for_worklist(duties: Iterable[EntryT], *, now: datetime) -> list[EntryT]:
    """Most urgent first, in five groups:

    1. overdue safety checks still inside their harm window, most recently due first: the
       person restrained 70 minutes ago is at the most risk now, and the check missed 20 hours
       ago can wait the minutes it takes to do that one;
    2. safety checks not yet due, soonest first: the next ones to become group 1;
    3. everything else overdue (support, debriefs, reviews, and safety checks past their harm
       window), most recently due first: a debrief a day late can still be held while people
       remember, one three weeks late is a gap to explain, not today's work;
    4. everything else due, soonest first;
    5. finished duties (done, done late, not required), if passed, soonest due first.

    Ties keep the order they were given in.
    """
    now = _require_aware("now", now)

    def urgency(entry: EntryT) -> tuple[int, float]:
        critical = entry.kind in SAFETY_CRITICAL_KINDS
        # seconds before the due time are negative, so "most recently due first" is ascending
        since_due = (now - entry.due_at).total_seconds()
        if entry.state == "overdue":
            if critical and now - entry.due_at <= HARM_WINDOW:
                return 0, since_due
            return 2, since_due
        if entry.state == "due":
            return (1 if critical else 3), -since_due
        return 4, -since_due

    return sorted(duties, key=urgency)


__all__ = [
    "ALL_INTERVENTION_CODES",
    "CATEGORIES",
    "CHEMICAL_RESTRAINT_CODES",
    "DEFAULT_POLICY",
    "DUTY_KINDS",
    "DUTY_OWNERS",
    "DUTY_SOURCES",
    "DUTY_STATES",
    "HARM_WINDOW",
    "MECHANICAL_RESTRAINT_CODES",
    "OWNER_ROLES",
    "PHYSICAL_RESTRAINT_CODES",
    "SAFETY_CRITICAL_KINDS",
    "SECLUSION_CODES",
    "SEGREGATION_CODES",
    "Category",
    "DutyKind",
    "DutyPolicy",
    "DutySpec",
    "DutyState",
    "DutyStatus",
    "IncidentFacts",
    "InterventionFacts",
    "OwnerRole",
    "WorklistEntry",
    "category",
    "completion_problems",
    "duties_for",
    "duty_state",
    "format_minutes",
    "is_rapid_tranquillisation",
    "next_rapid_tranquillisation_check",
    "normalise_code",
    "policy_from_mapping",
    "seclusion_mdt_threshold",
    "sort_for_worklist",
]
