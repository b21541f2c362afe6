"""The categories the dashboards count by: age bands, duration bands, characteristic groups and
their labels. Pure Python (no Django models), shared by the summaries, pages, API and tests.

Age bands and duration bands are the ones NHS England publishes restrictive intervention
statistics by (NHSDigital/mental-health-monthly-statistics, Restraints/Restraints_Prep.py:
`age_group` and `length_of_restraint`). NHS England's duration bands use BETWEEN on whole
numbers, which leaves gaps for fractions (10.5 minutes falls in no band); here each band
includes everything up to its upper bound, so every duration has exactly one band.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from rrp.incidents import codes as incident_codes
from rrp.patients import characteristics as c

NOT_KNOWN_LABEL: Final = "Not known"

# -- intervention types -----------------------------------------------------------------------

def _plain_type_label(label: str) -> str:
    """A type as a reader says it: MHSDS's "Physical restraint - Standing" is "Physical
    restraint: standing" on the dashboards."""
    kind, _, detail = label.partition(" - ")
    return f"{kind}: {detail[:1].lower()}{detail[1:].lower()}" if detail else label


# In the dashboards' own words; the MHSDS labels stay on the records (incidents.codes).
TYPE_LABELS: Final[Mapping[str, str]] = {
    code: _plain_type_label(label)
    for code, label in incident_codes.InterventionType.choices
} | {
    "13": "Physical restraint: other position",
    "14": "Chemical restraint: rapid tranquillisation (injection)",
    "15": "Chemical restraint: injection, not rapid tranquillisation",
    "17": "Chemical restraint: other",
}
# Physical restraint positions first (prone on top), then chemical, mechanical, seclusion and
# segregation: the order a reader looks for them.
TYPE_ORDER: Final = (
    "01", "07", "08", "09", "10", "11", "12", "13", "14", "15", "16", "17", "04", "05", "06",
)
PRONE: Final = "01"
RAPID_TRANQUILLISATION: Final = "14"


# The dashboards' intervention type filter: a label and the MHSDS codes it selects. The monthly
# breakdowns are also kept for each filter, under the dimension `<prefix>|<dimension>`
# (typed_dimension), so a filtered dashboard reads summaries as an unfiltered one does.
TYPE_FILTERS: Final[Mapping[str, tuple[str, frozenset[str]]]] = {
    "physical": ("Physical restraint (any position)", frozenset(incident_codes.PHYSICAL_CODES)),
    "prone": ("Prone restraint", frozenset({PRONE})),
    "mechanical": ("Mechanical restraint", frozenset({"04"})),
    "chemical": ("Chemical restraint", frozenset(incident_codes.CHEMICAL_CODES)),
    "rapid_tranquillisation": ("Rapid tranquillisation", frozenset({RAPID_TRANQUILLISATION})),
    "seclusion": ("Seclusion", frozenset({"05"})),
    "segregation": ("Segregation", frozenset({"06"})),
}
# Two letters, so the longest dimension ("eq:learning_disability_autism") still fits 32.
_TYPE_FILTER_PREFIX: Final = {
    "physical": "ph", "prone": "pr", "mechanical": "me", "chemical": "ch",
    "rapid_tranquillisation": "rt", "seclusion": "se", "segregation": "sg",
}


# One bit per type filter, kept on every fact row of an incident (`incident_types`), so the
# incidents that included a type are found without a subquery.
TYPE_FILTER_BIT: Final = {name: 1 << i for i, name in enumerate(TYPE_FILTERS)}


def type_filter_bits(type_codes: Iterable[str]) -> int:
    """The bits of every type filter that one of these intervention types falls in."""
    present = set(type_codes)
    return sum(
        bit for name, bit in TYPE_FILTER_BIT.items() if present & TYPE_FILTERS[name][1]
    )


def typed_dimension(type_filter: str | None, dimension: str) -> str:
    """The breakdown dimension as stored for a type filter (unchanged without one)."""
    if type_filter is None:
        return dimension
    return f"{_TYPE_FILTER_PREFIX[type_filter]}|{dimension}"


CATEGORY_LABELS: Final[Mapping[str, str]] = {
    "physical": "Physical restraint",
    "mechanical": "Mechanical restraint",
    "chemical": "Chemical restraint",
    "seclusion": "Seclusion",
    "segregation": "Segregation",
}


def category_of(type_code: str) -> str:
    return incident_codes.category(type_code)


REASON_LABELS: Final[Mapping[str, str]] = dict(incident_codes.Reason.choices)
HARM_LABELS: Final[Mapping[str, str]] = dict(incident_codes.Harm.choices)
HARM_ORDER: Final = tuple(incident_codes.Harm.values)
INJURED_PERSON_LABELS: Final[Mapping[str, str]] = {
    "patient": "Patient",
    "staff": "Staff",
    "other": "Other people",
}
INJURY_SEVERITY_ORDER: Final = ("", "minor", "moderate", "serious")
WORST_INJURY_LABELS: Final[Mapping[str, str]] = {
    "": "No injury recorded",
    **dict(incident_codes.InjurySeverity.choices),
}
WEEKDAYS: Final = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def staff_force_bucket(n: int) -> str:
    """Staff who used force in one incident: 0, 1, 2, 3, 4 or 5 or more."""
    return "5+" if n >= 5 else str(n)


STAFF_FORCE_LABELS: Final[Mapping[str, str]] = {
    "0": "None recorded",
    "1": "1 member of staff",
    "2": "2 staff",
    "3": "3 staff",
    "4": "4 staff",
    "5+": "5 or more staff",
}

# -- duration bands (NHS England length_of_restraint) ------------------------------------------


@dataclass(frozen=True)
class Band:
    key: str
    label: str
    upper: float | None  # inclusive upper bound in minutes; None = no upper bound


_HOUR = 60.0
_DAY = 24 * _HOUR
RESTRAINT_BANDS: Final = (
    Band("r:0-10", "Up to 10 minutes", 10),
    Band("r:11-30", "11 to 30 minutes", 30),
    Band("r:31-60", "31 to 60 minutes", 60),
    Band("r:60+", "Over 60 minutes", None),
)
SECLUSION_BANDS: Final = (
    Band("s:0-24h", "Seclusion up to 24 hours", 24 * _HOUR),
    Band("s:24-72h", "Seclusion 24 to 72 hours", 72 * _HOUR),
    Band("s:72h-7d", "Seclusion 72 hours to 7 days", 7 * _DAY),
    Band("s:1-2w", "Seclusion 1 to 2 weeks", 14 * _DAY),
    Band("s:2-4w", "Seclusion 2 to 4 weeks", 28 * _DAY),
    Band("s:1-3m", "Seclusion 1 to 3 months", 90 * _DAY),
    Band("s:3m+", "Seclusion over 3 months", None),
)
SEGREGATION_BANDS: Final = (
    Band("g:0-1m", "Segregation up to 1 month", 30 * _DAY),
    Band("g:1-3m", "Segregation 1 to 3 months", 90 * _DAY),
    Band("g:3-6m", "Segregation 3 to 6 months", 180 * _DAY),
    Band("g:6-12m", "Segregation 6 to 12 months", 365 * _DAY),
    Band("g:12m+", "Segregation over 12 months", None),
)
NOT_ENDED_BAND: Final = Band("open", "Not ended yet", None)
DURATION_LABELS: Final[Mapping[str, str]] = {
    b.key: b.label
    for b in (*RESTRAINT_BANDS, *SECLUSION_BANDS, *SEGREGATION_BANDS, NOT_ENDED_BAND)
}
DURATION_ORDER: Final = tuple(DURATION_LABELS)


def duration_band(category: str, minutes: float | None) -> str:
    """The band key of an intervention lasting `minutes` (None while it has not ended)."""
    if minutes is None:
        return NOT_ENDED_BAND.key
    bands = {"seclusion": SECLUSION_BANDS, "segregation": SEGREGATION_BANDS}.get(
        category, RESTRAINT_BANDS
    )
    for band in bands:
        if band.upper is None or minutes <= band.upper:
            return band.key
    raise AssertionError("the last band has no upper bound")


# -- prone restraint: how long and why ------------------------------------------------------

# How long each prone restraint (MHSDS RestrictiveIntType 01) lasted, in finer bands than
# NHS England's "up to 10 minutes": prone restraint should be avoided and, when it cannot be,
# last the shortest time, so a lead asks how many went past a few minutes, not past an hour.
# Times are recorded to the minute, so "under 3" is 0 to 2 minutes and "3 to 10" 3 to 10.
PRONE_BAND_LABELS: Final[Mapping[str, str]] = {
    "lt3": "Under 3 minutes",
    "3-10": "3 to 10 minutes",
    "gt10": "Over 10 minutes",
    "open": "Not ended yet",
}
PRONE_BANDS: Final = tuple(PRONE_BAND_LABELS)


def prone_band(minutes: float | None) -> str:
    """The band of a prone restraint lasting `minutes` (None while it has not ended)."""
    if minutes is None:
        return "open"
    if minutes < 3:
        return "lt3"
    return "3-10" if minutes <= 10 else "gt10"


# Whether the recording form's "why was prone restraint used?" was answered. Records made
# before the question existed have no answer: "not recorded" says so without blaming anyone.
PRONE_REASON_LABELS: Final[Mapping[str, str]] = {
    "recorded": "Reason recorded",
    "not_recorded": "Reason not recorded",
}


def prone_key(band: str, reason_recorded: bool) -> str:
    """The key of one prone breakdown cell ("lt3:recorded"): both partitions of the prone
    restraints (how long, whether the reason was recorded) are sums of these cells."""
    return f"{band}:{'recorded' if reason_recorded else 'not_recorded'}"


def includes_prone(type_filter: str | None) -> bool:
    """True when the dashboards' type filter keeps every prone restraint (none, physical,
    prone): the prone breakdown is then the same as without a filter."""
    return type_filter is None or PRONE in TYPE_FILTERS[type_filter][1]


# -- age bands (NHS England age_group) ---------------------------------------------------------

AGE_BANDS: Final = (
    ("under_18", "Under 18", 0, 17),
    ("18_24", "18 to 24", 18, 24),
    ("25_34", "25 to 34", 25, 34),
    ("35_44", "35 to 44", 35, 44),
    ("45_54", "45 to 54", 45, 54),
    ("55_64", "55 to 64", 55, 64),
    ("65_over", "65 or over", 65, 200),
)
AGE_LABELS: Final[Mapping[str, str]] = {
    **{key: label for key, label, _, _ in AGE_BANDS},
    c.NOT_KNOWN: NOT_KNOWN_LABEL,
}


def age_on(born: dt.date | None, day: dt.date) -> int | None:
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def age_band(born: dt.date | None, day: dt.date) -> str:
    age = age_on(born, day)
    if age is None or age < 0:
        return c.NOT_KNOWN
    for key, _label, low, high in AGE_BANDS:
        if low <= age <= high:
            return key
    return c.NOT_KNOWN


# -- characteristics for the equality analysis -------------------------------------------------


def ethnic_group(category: str) -> str:
    """Upper-level ethnic group, as NHS England publishes (White, Mixed, Asian or Asian British,
    Black or Black British, Other ethnic groups, Not stated, Not known)."""
    return c.ETHNIC_GROUP.get(category, "Not known")


ETHNIC_GROUP_ORDER: Final = (
    "White", "Mixed", "Asian or Asian British", "Black or Black British", "Other ethnic groups",
    "Not stated", "Not known",
)


@dataclass(frozen=True)
class Characteristic:
    """One characteristic the equality analysis compares groups by. `field` is the column on
    InterventionFact and the key of the group in MonthlyBreakdown (dimension `eq:<field>`)."""

    field: str
    label: str
    labels: Mapping[str, str]
    order: tuple[str, ...]

    @property
    def dimension(self) -> str:
        return f"eq:{self.field}"

    def label_of(self, key: str) -> str:
        return self.labels.get(key, key)


def _choices(choices: list[tuple[str, str]]) -> tuple[dict[str, str], tuple[str, ...]]:
    labels = dict(choices)
    return labels, tuple(labels)


def _characteristic(field: str, label: str, choices: list[tuple[str, str]]) -> Characteristic:
    labels, order = _choices(choices)
    return Characteristic(field, label, labels, order)


CHARACTERISTICS: Final[tuple[Characteristic, ...]] = (
    Characteristic(
        "eth_group", "Ethnic group", {g: g for g in ETHNIC_GROUP_ORDER}, ETHNIC_GROUP_ORDER
    ),
    Characteristic("age_band", "Age", AGE_LABELS, tuple(AGE_LABELS)),
    _characteristic("sex", "Sex", c.Sex.choices),
    _characteristic("religion", "Religion or belief", c.Religion.choices),
    _characteristic("disability", "Disability", c.YesNoUnknown.choices),
    _characteristic("sexual_orientation", "Sexual orientation", c.SexualOrientation.choices),
    _characteristic(
        "gender_same_as_birth", "Gender identity same as sex registered at birth",
        c.GenderSameAsBirth.choices,
    ),
    _characteristic("pregnancy", "Pregnancy and maternity", c.Pregnancy.choices),
    _characteristic("marital_status", "Marriage or civil partnership", c.MaritalStatus.choices),
    _characteristic(
        "learning_disability_autism", "Learning disability or autism",
        c.LearningDisabilityAutism.choices,
    ),
    _characteristic("mental_disorder", "Primary mental disorder", c.MentalDisorder.choices),
    _characteristic("legal_status", "Mental Health Act legal status", c.LegalStatus.choices),
)
CHARACTERISTIC_BY_FIELD: Final[Mapping[str, Characteristic]] = {
    ch.field: ch for ch in CHARACTERISTICS
}
CHARACTERISTIC_FIELDS: Final = tuple(ch.field for ch in CHARACTERISTICS)
# Patient model fields behind each characteristic, other than the derived ones.
PATIENT_FIELDS: Final = tuple(
    f for f in CHARACTERISTIC_FIELDS if f not in {"eth_group", "age_band"}
)


def characteristics_of(patient: Mapping[str, object], day: dt.date) -> dict[str, str]:
    """The characteristic keys of a patient (a mapping of Patient field values) on `day`."""
    born = patient.get("date_of_birth")
    values = {field: str(patient.get(field) or c.NOT_KNOWN) for field in PATIENT_FIELDS}
    values["eth_group"] = ethnic_group(str(patient.get("ethnic_category") or "99"))
    values["age_band"] = age_band(born if isinstance(born, dt.date) else None, day)
    return values


# -- months -----------------------------------------------------------------------------------


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """Every month from `first` to `last` inclusive (both any day of their month)."""
    months: list[dt.date] = []
    current, end = month_start(first), month_start(last)
    while current <= end:
        months.append(current)
        current = next_month(current)
    return months


# -- post-incident duties ----------------------------------------------------------------------

DUTY_LABELS: Final[Mapping[str, str]] = {
    "medical_review": "Medical review within 1 hour of restraint",
    "mechanical_restraint_review": "Medical review of mechanical restraint",
    "physical_observations": "Physical observations after restraint",
    "rapid_tranquillisation_monitoring": "Rapid tranquillisation checks",
    "seclusion_nursing_review": "Seclusion nursing review",
    "seclusion_medical_review": "Seclusion medical review",
    "seclusion_mdt_review": "Independent multidisciplinary seclusion review",
    "segregation_clinician_review": "Approved clinician review of segregation",
    "segregation_mdt_review": "Multidisciplinary review of segregation",
    "post_incident_support_patient": "Post-incident support for the patient",
    "post_incident_support_staff": "Post-incident support for staff",
    "post_incident_review": "Reflection and learning review",
    "patient_account_offer": "Offer of the patient's own account",
    "care_plan_review": "Care plan and risk assessment review",
}
DUTY_STATUS_LABELS: Final[Mapping[str, str]] = {
    "on_time": "Met on time",
    "late_with_reason": "Late, reason recorded",
    "late_no_reason": "Late, no reason recorded",
    "overdue": "Overdue",
    "due": "Not yet due",
    "not_required": "Not required",
}


# -- restraints by the training of the staff who held (issue 13; standard 1.5.V) ---------------

HOLD_TRAINING_LABELS: Final = {
    "all_in_date": "Everyone who held was in date",
    "some_not_in_date": "Someone who held was not in date",
    "not_on_register": "Someone who held is not on the staff register",
    "none_recorded": "Nobody recorded as holding",
}


def hold_training(holders: Sequence[bool | None], *, restraint: bool) -> str:
    """A use of force's key in the training breakdown, from whether each person who held or
    led the hold (rrp.incidents.codes.PHYSICAL_HOLD_ROLES) was in date in physical skills on
    the day (None: not on the staff register, so RRP cannot know). Anyone out of date decides
    it, then anyone unknown. "" for a use of force without a physical restraint."""
    if not restraint:
        return ""
    if not holders:
        return "none_recorded"
    if False in holders:
        return "some_not_in_date"
    if None in holders:
        return "not_on_register"
    return "all_in_date"
