"""The forms of the use of force pages.

The recording form is built for the end of a hard shift on a ward PC or a tablet: the ward
and date are filled in, times are typed as 24-hour clock times in one box each ("1405",
"14:05" or "14.05"), each position or type of force is one row, and every problem found -
by the form or by the service's own validation - is shown at once, linked to its field, with
everything typed kept.

`IncidentRecording` bundles the main questions with the rows (interventions, staff, others,
injuries), turns them into an `IncidentInput` and puts service problems ("interventions.0.
ended_at") back on the right field.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.forms.utils import ErrorDict
from django.utils import timezone

from rrp.core import limits
from rrp.core.forms import NhsDateField, NhsDateWidget
from rrp.core.ward_clock import SkippedTime, ward_time
from rrp.incidents import codes
from rrp.incidents.description import force_described
from rrp.incidents.inputs import (
    IncidentInput,
    InjuryInput,
    InterventionInput,
    OtherPersonInput,
    StaffInput,
)
from rrp.incidents.models import Observation, PostIncidentSupport
from rrp.incidents.presenters import SHORT_TYPE, TYPE_GROUPS
from rrp.incidents.validation import FUTURE_GRACE
from rrp.organisations.models import Membership, Ward
from rrp.organisations.roles import CLINICAL
from rrp.patients.models import Patient

# ---------------------------------------------------------------------------------------------
# Times and dates typed the quick way
# ---------------------------------------------------------------------------------------------

_CLOCK = re.compile(r"(\d{1,2})[:.]?(\d{2})")
_DAY = re.compile(r"(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{2}|\d{4})")
_ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def parse_clock_time(text: str) -> dt.time:
    """A 24-hour clock time as a nurse types it: "1405", "14:05", "14.05", "905" or "9:05"."""
    match = _CLOCK.fullmatch(text.strip().replace(" ", ""))
    if not match:
        raise ValueError(f"not a 24-hour time: {text!r}")
    hour, minute = int(match[1]), int(match[2])
    if hour > 23 or minute > 59:
        raise ValueError(f"not a 24-hour time: {text!r}")
    return dt.time(hour, minute)


def parse_day(text: str) -> dt.date:
    """A date typed in one box: "14/3/2026", "14 3 2026", "14-03-26" or "2026-03-14"."""
    cleaned = text.strip()
    match = _DAY.fullmatch(cleaned)
    if match:
        day, month, year = int(match[1]), int(match[2]), int(match[3])
        if year < 100:
            year += 2000
    else:
        match = _ISO_DAY.fullmatch(cleaned)
        if not match:
            raise ValueError(f"not a date: {text!r}")
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    return dt.date(year, month, day)


def clock(value: dt.datetime | None) -> str:
    return "" if value is None else f"{timezone.localtime(value):%H:%M}"


def aware(value: dt.datetime) -> dt.datetime:
    """A wall-clock time on the ward (Europe/London) as an aware datetime. Raises SkippedTime
    for a time the clocks skipped (rrp.core.ward_clock): callers name it on their field."""
    return ward_time(value)


HALF_DAY = dt.timedelta(hours=12)
ONE_DAY = dt.timedelta(days=1)


def place_start(day: dt.date, time: dt.time, anchor: dt.datetime | None) -> dt.datetime:
    """Where a typed start time falls. Times are taken on the date the use of force started;
    a time more than 12 hours from the first start belongs to the day after (a restraint that
    ran past midnight: 23:58 then 00:02) or, the other way, the day before. Naive, local."""
    placed = dt.datetime.combine(day, time)
    if anchor is not None:
        if placed - anchor > HALF_DAY:
            placed -= ONE_DAY
        elif anchor - placed > HALF_DAY:
            placed += ONE_DAY
    return placed


def place_end(start: dt.datetime, time: dt.time, end_day: dt.date | None = None) -> dt.datetime:
    """Where a typed end time falls: on `end_day` when given (seclusion over several days),
    otherwise on the start's day, or the next day when it is more than 12 hours earlier than
    the start (past midnight). An end a little before its start stays there, so the record
    says "ends before it starts" rather than silently adding a day. Naive, local."""
    if end_day is not None:
        return dt.datetime.combine(end_day, time)
    placed = dt.datetime.combine(start.date(), time)
    if start - placed > HALF_DAY:
        placed += ONE_DAY
    return placed


class ClockTimeField(forms.CharField):
    """One box for a 24-hour time."""

    def __init__(self, *, what: str, **kwargs: Any) -> None:
        # Django's own "This field is required" names no field: this field says which time.
        self.must = kwargs.pop("required", False)
        kwargs.setdefault("max_length", 8)
        super().__init__(required=False, **kwargs)
        self.what = what

    def clean(self, value: Any) -> dt.time | None:  # type: ignore[override]
        text = super().clean(value)
        if not text:
            if self.must:
                raise forms.ValidationError(f"Enter {self.what}, like 14:05")
            return None
        try:
            return parse_clock_time(text)
        except ValueError:
            raise forms.ValidationError(
                f"Enter {self.what} as a 24-hour time, like 14:05 or 1405"
            ) from None


class DayField(forms.CharField):
    """One box for a date, for filters and the occasional later end date."""

    def __init__(self, *, what: str, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 12)
        super().__init__(**kwargs)
        self.what = what

    def clean(self, value: Any) -> dt.date | None:  # type: ignore[override]
        text = super().clean(value)
        if not text:
            return None
        try:
            return parse_day(text)
        except ValueError:
            raise forms.ValidationError(
                f"Enter {self.what} as a real date, like 14/3/2026"
            ) from None


class DateBoxesField(NhsDateField):
    """Day, month and year boxes, never required by Django (the form says which date)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["required"] = False
        super().__init__(**kwargs)


def day_from_boxes(data: Mapping[str, Any] | None, name: str) -> dt.date | None:
    if data is None:
        return None
    try:
        return dt.date(
            int(data.get(f"{name}_2", "")),
            int(data.get(f"{name}_1", "")),
            int(data.get(f"{name}_0", "")),
        )
    except (TypeError, ValueError):
        return None


# ---------------------------------------------------------------------------------------------
# Forms that stay quiet until asked to validate
# ---------------------------------------------------------------------------------------------


class QuietForm(forms.Form):
    """A bound form that shows no errors until `check()`: pressing "Add another" or "Show
    patients on this ward" re-draws the page with what was typed, without complaining."""

    checking = False

    def check(self) -> bool:
        self.checking = True
        self._errors = None
        return self.is_valid()

    def full_clean(self) -> None:
        if not self.checking:
            self._errors = ErrorDict()  # type: ignore[assignment]
            self.cleaned_data = {}
            return
        super().full_clean()
        if not hasattr(self, "cleaned_data"):
            self.cleaned_data = {}  # an unbound form checked to show a stored draft's problems

    def raw(self, name: str) -> str:
        """What was typed or chosen, as text (bound or initial)."""
        value = self[name].value()
        if value is None:
            return ""
        return value if isinstance(value, str) else str(value)


YES_NO = [("yes", "Yes"), ("no", "No")]
NO_YES = [("no", "No"), ("yes", "Yes")]


def _radios(label: str, choices: Any, help_text: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=False,
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages={"invalid_choice": "Choose one of the answers"},
    )


def _text(
    label: str, help_text: str = "", rows: int = 3, max_length: int = limits.NARRATIVE
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        help_text=help_text,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _choose(
    label: str, choices: Any, empty: str = "Choose", help_text: str = ""
) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=[("", empty), *choices],
        required=False,
        help_text=help_text,
        error_messages={"invalid_choice": f"Choose {label[:1].lower() + label[1:]} from the list"},
    )


# ---------------------------------------------------------------------------------------------
# The recording form: main questions and rows
# ---------------------------------------------------------------------------------------------


class IncidentForm(QuietForm):
    ward = forms.ChoiceField(
        label="Ward",
        required=False,
        error_messages={"invalid_choice": "Choose the ward where force was used"},
    )
    date = DateBoxesField(label="Date force was first used", help_text="For example, 14 3 2026")
    patient = forms.ChoiceField(
        label="Patient",
        required=False,
        error_messages={"invalid_choice": "Choose the patient from the list"},
    )
    patient_local_id = forms.CharField(
        label="Patient's local identifier",
        required=False,
        max_length=32,
        help_text="If they are not in the list, for example because they are from another ward",
    )
    planned = forms.BooleanField(
        label="This was planned, as set out in the patient's care plan", required=False
    )
    negligible = forms.BooleanField(
        label="Negligible force only: light guiding that the patient did not resist",
        required=False,
        help_text="Outside the legal duty to record, but worth recording. Never for mechanical "
        "or chemical restraint, seclusion or segregation.",
    )
    reason = _choose("Main reason force was used", codes.Reason.choices, "Choose a reason")
    reason_detail = _text("More about the reason (optional)", rows=2, max_length=limits.NOTE)
    de_escalation = forms.MultipleChoiceField(
        label="What was tried to avoid using force?",
        choices=codes.DeEscalation.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
    )
    efforts_to_avoid = _text(
        "Anything else about what was tried (optional if the list says it all)", rows=2
    )
    description = _text(
        "How was force used?",
        "What happened, in order: how the patient was held, by whom, and how they were. "
        "If the lines of force above say it all, leave this blank: they are written out as "
        "the description",
        rows=4,
    )
    outcome = _text(
        "What was the outcome?",
        "How the patient was afterwards, and anything that needs following up",
    )
    in_care_plan = _radios(
        "Were these types of force in the patient's care plan?",
        [("yes", "Yes"), ("no", "No"), ("not_known", "Not known")],
    )
    death_or_serious_injury = _radios(
        "Did the patient die or suffer a serious injury as a result?",
        NO_YES,
        "Yes tells the restrictive practice lead straight away",
    )
    anyone_injured = _radios("Was anyone injured?", NO_YES)
    harm = _radios("Degree of harm to the patient", codes.Harm.choices)
    psychological_harm = _radios(
        "Psychological harm to the patient", codes.PsychologicalHarm.choices
    )
    notification = _radios(
        "Has the person named in the patient's care plan been told?", codes.Notification.choices
    )
    change_reason = _text(
        "Why are you changing this record?",
        "Everyone who reads the record will see this, with your name and the time",
        rows=2,
    )

    def __init__(
        self,
        *args: Any,
        ward_choices: list[tuple[str, str]],
        patient_choices: list[tuple[str, str]],
        amend: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ward"].choices = [("", "Choose a ward"), *ward_choices]  # type: ignore[attr-defined]
        self.fields["patient"].choices = [  # type: ignore[attr-defined]
            ("", "Choose the patient" if patient_choices else "No patients on this ward"),
            *patient_choices,
        ]
        if not amend:
            del self.fields["change_reason"]


class InterventionRowForm(QuietForm):
    type_code = _choose("Type or position", codes.InterventionType.choices, "Choose a type")
    started_at = ClockTimeField(label="Started", what="the time it started")
    ended_at = ClockTimeField(label="Ended", what="the time it ended")
    ended_on = DayField(
        label="Ended on (if a later day)",
        what="the date it ended",
        help_text="For example, 15/3/2026",
    )
    drug = forms.CharField(label="Drug", required=False, max_length=120)
    dose = forms.CharField(label="Dose", required=False, max_length=60)
    route = _choose("Route", codes.Route.choices, "Choose a route")
    high_risk = forms.BooleanField(
        label="Higher risk: checks every 15 minutes",
        required=False,
        help_text="Above the BNF maximum, asleep or sedated, drugs or alcohol, physical "
        "illness, or harmed by restraint (NICE NG10)",
    )
    # Shown only for prone with JavaScript (record.js); without it, on every row, so its label
    # says when it applies. How long prone lasted is this row's start and end.
    prone_reason = _text(
        "Prone (face down) only: why was the patient held prone?",
        "Why no other position would do, and what was done to turn them as soon as it was "
        "safe. How long comes from the start and end times.",
        rows=2,
        max_length=limits.NOTE,
    )

    USED = ("type_code", "started_at", "ended_at", "ended_on", "drug", "dose", "prone_reason")

    def is_used(self) -> bool:
        return any(self.raw(name).strip() for name in self.USED)

    def describe(self) -> str:
        code = self.raw("type_code")
        return SHORT_TYPE.get(code, "type of force").lower()


class StaffRowForm(QuietForm):
    member = forms.ChoiceField(
        label="Name",
        required=False,
        error_messages={"invalid_choice": "Choose the person from the list"},
    )
    name = forms.CharField(label="Or type their name", required=False, max_length=200)
    job_title = forms.CharField(label="Job title", required=False, max_length=120)
    role = _choose("What they did", codes.StaffRole.choices, "Choose")
    injured = forms.BooleanField(label="Injured", required=False)

    def __init__(self, *args: Any, member_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [("", "Choose a person"), *member_choices]  # type: ignore[attr-defined]

    def is_used(self) -> bool:
        return any(self.raw(name).strip() for name in ("member", "name", "job_title", "role"))


class OtherPersonRowForm(QuietForm):
    kind = _choose("Who", codes.OtherPersonKind.choices, "Choose")
    name = forms.CharField(label="Name or service (optional)", required=False, max_length=200)
    reason = forms.CharField(label="Why they were involved", required=False, max_length=limits.NOTE)

    def is_used(self) -> bool:
        return any(self.raw(name).strip() for name in ("kind", "name", "reason"))


class InjuryRowForm(QuietForm):
    person = _choose("Who was injured", codes.InjuredPerson.choices, "Choose")
    severity = _choose("How serious", codes.InjurySeverity.choices, "Choose")
    description = forms.CharField(label="What the injury was", required=False,
                                  max_length=limits.NOTE)

    def is_used(self) -> bool:
        return any(self.raw(name).strip() for name in ("person", "severity", "description"))


@dataclass
class RowCounts:
    interventions: int = 4
    staff: int = 5
    others: int = 1
    injuries: int = 1

    LIMIT = 30

    @classmethod
    def from_data(cls, data: Mapping[str, Any] | None, add: str = "") -> RowCounts:
        counts = cls()
        if data is not None:
            for name in ("interventions", "staff", "others", "injuries"):
                try:
                    wanted = int(data.get(f"{name}-rows", getattr(counts, name)))
                except (TypeError, ValueError):
                    continue
                setattr(counts, name, max(1, min(wanted, cls.LIMIT)))
        if add in {"interventions", "staff", "others", "injuries"}:
            setattr(counts, add, min(getattr(counts, add) + 1, cls.LIMIT))
        return counts


@dataclass(frozen=True)
class Member:
    user_id: int
    name: str
    job_title: str
    home_ward_id: int | None


# A person picked from the staff register is sent as "staff:<id>"; an RRP account that is not
# on the register as its user id, as before the register existed.
REGISTER_PREFIX = "staff:"


def register_choice(value: str) -> int | None:
    """The staff register id a choice names, None for an account or nothing."""
    if value.startswith(REGISTER_PREFIX) and value[len(REGISTER_PREFIX):].isdigit():
        return int(value[len(REGISTER_PREFIX):])
    return None


def members_of(organisation: Any) -> list[Member]:
    """Everyone with a clinical role, once each, with the job title on their account."""
    people: dict[int, Member] = {}
    for membership in (
        Membership.objects.filter(organisation=organisation, is_active=True, role__in=CLINICAL)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__username")
    ):
        user = membership.user
        known = people.get(user.pk)
        if known is None or (not known.job_title and membership.job_title):
            people[user.pk] = Member(
                user.pk,
                user.get_full_name() or user.get_username(),
                membership.job_title or (known.job_title if known else ""),
                membership.home_ward_id or (known.home_ward_id if known else None),
            )
    return list(people.values())


def patients_on_ward(organisation: Any, ward: Ward | None, day: dt.date) -> list[Patient]:
    """Patients on the ward that day: the likely ones, so picking is one choice."""
    if ward is None:
        return []
    from django.db.models import Q

    return list(
        Patient.objects.for_organisation(organisation)
        .filter(
            admissions__ward=ward,
            admissions__admitted_on__lte=day,
            admissions__entered_in_error_reason="",
        )
        .filter(Q(admissions__discharged_on__isnull=True) | Q(admissions__discharged_on__gt=day))
        .distinct()
        .order_by("local_id")
    )


def patient_label(patient: Patient, *, with_name: bool) -> str:
    if with_name and patient.full_name:
        return f"{patient.local_id} – {patient.full_name}"
    return patient.local_id


# Questions of the recording form whose answer a draft keeps as typed, "" while unanswered: the
# record's own fields would otherwise hold a default nobody chose (no harm, not known...).
DRAFT_QUESTIONS = ("anyone_injured", "death_or_serious_injury", "harm", "in_care_plan")


class IncidentRecording:
    """The whole recording form: main questions plus its rows, read and checked together."""

    def __init__(
        self,
        data: Mapping[str, Any] | None,
        *,
        organisation: Any,
        user: Any,
        can_see_names: bool,
        today: dt.date,
        ward_code: str | None = None,
        patient_id: str | None = None,
        initial: IncidentInput | None = None,
        amend: bool = False,
        add: str = "",
    ) -> None:
        self.organisation = organisation
        self.user = user
        self.amend = amend
        self.today = today
        self.wards = list(Ward.objects.filter(organisation=organisation).order_by("name"))
        counts = RowCounts.from_data(data, add)
        main_initial, rows_initial = self._initial(initial, ward_code, counts)
        if initial is None and patient_id and patient_id.isdigit():
            main_initial["patient"] = patient_id  # from "Record a use of force" on their page
        if initial is not None and data is None:
            counts = RowCounts(
                interventions=max(len(rows_initial["interventions"]) + 1, 2),
                staff=max(len(rows_initial["staff"]) + 1, 2),
                others=max(len(rows_initial["others"]), 1),
                injuries=max(len(rows_initial["injuries"]), 1),
            )
        self.counts = counts

        chosen_ward_code = (data.get("ward") if data is not None else None) or main_initial.get(
            "ward"
        )
        self.ward = next((w for w in self.wards if w.code == chosen_ward_code), None)
        self.day = day_from_boxes(data, "date") or main_initial.get("date") or today
        on_ward = patients_on_ward(organisation, self.ward, self.day)
        chosen = (data.get("patient") if data is not None else None) or main_initial.get("patient")
        if chosen and str(chosen) not in {str(p.pk) for p in on_ward}:
            extra = (
                Patient.objects.for_organisation(organisation).filter(pk=chosen).first()
                if str(chosen).isdigit()
                else None
            )
            if extra is not None:
                on_ward.append(extra)
        self.patients = on_ward
        self.main = IncidentForm(
            data,
            initial=main_initial,
            amend=amend,
            ward_choices=[(w.code, w.name) for w in self.wards if w.is_open or w == self.ward],
            patient_choices=[
                (str(p.pk), patient_label(p, with_name=can_see_names)) for p in on_ward
            ],
        )
        from rrp.workforce.selectors import register_for_recording  # workforce: no incidents

        # Issue 13: people are picked from the staff register as it stood on the day, the
        # ward's usual team first. Accounts linked to a register entry are offered once, as
        # that entry; other clinical accounts stay in the list as before.
        self.team, self.register_rest = register_for_recording(organisation, self.day, self.ward)
        self.register_by_id = {p.pk: p for p in [*self.team, *self.register_rest]}
        linked = {p.user_id for p in self.register_by_id.values() if p.user_id is not None}
        self.all_members = members_of(organisation)
        self.member_by_id = {m.user_id: m for m in self.all_members}
        self.members = [m for m in self.all_members if m.user_id not in linked]
        member_choices = [
            *((f"{REGISTER_PREFIX}{p.pk}", p.description) for p in self.register_by_id.values()),
            *((str(m.user_id), m.name) for m in self.members),
        ]

        def rows(form_class: type[QuietForm], name: str, count: int, **extra: Any) -> list[Any]:
            initials = rows_initial[name]
            return [
                form_class(
                    data,
                    prefix=f"{name}-{index}",
                    initial=initials[index] if index < len(initials) else None,
                    **extra,
                )
                for index in range(count)
            ]

        self.interventions: list[InterventionRowForm] = rows(
            InterventionRowForm, "interventions", counts.interventions
        )
        self.staff: list[StaffRowForm] = rows(
            StaffRowForm, "staff", counts.staff, member_choices=member_choices
        )
        self.others: list[OtherPersonRowForm] = rows(OtherPersonRowForm, "others", counts.others)
        self.injuries: list[InjuryRowForm] = rows(InjuryRowForm, "injuries", counts.injuries)
        # Which row each position in the service's lists came from.
        self._used_interventions: list[InterventionRowForm] = []
        self._used_staff: list[StaffRowForm] = []
        self._used_others: list[OtherPersonRowForm] = []
        self._used_injuries: list[InjuryRowForm] = []

    # -- choices drawn with option groups ---------------------------------------------------

    def type_options(self) -> list[tuple[str, list[tuple[str, str, dict[str, str]]]]]:
        return [
            (group, [(code, label, {}) for code, label in items]) for group, items in TYPE_GROUPS
        ]

    def member_options(self) -> list[tuple[str, list[tuple[str, str, dict[str, str]]]]]:
        """People on the chosen ward first: the ones most likely to have been there. From the
        staff register, the ward's usual team (staff whose wards include it); from accounts not
        on the register, those whose home ward it is. Each option is one person: name, job title
        and grade, so two people who share a name are told apart."""

        ward_names = {w.pk: w.name for w in self.wards}
        Option = tuple[str, str, str, dict[str, str]]  # sort name, value, label, attributes

        def account(member: Member) -> Option:
            known = [member.job_title, ward_names.get(member.home_ward_id or 0, "")]
            about = ", ".join(part for part in known if part)
            label = f"{member.name} ({about})" if about else member.name
            return member.name, str(member.user_id), label, {"data-job-title": member.job_title}

        def on_register(person: Any) -> Option:
            return (person.name, f"{REGISTER_PREFIX}{person.pk}", person.description,
                    {"data-job-title": person.job_title})

        def listed(options: list[Option]) -> list[tuple[str, str, dict[str, str]]]:
            return [(value, label, attrs) for _, value, label, attrs in
                    sorted(options, key=lambda o: o[0].casefold())]

        here_accounts = [m for m in self.members if self.ward and m.home_ward_id == self.ward.pk]
        here = [*map(on_register, self.team), *map(account, here_accounts)]
        rest = [*map(on_register, self.register_rest),
                *(account(m) for m in self.members if m not in here_accounts)]
        if not here:
            return [("Staff", listed(rest))]
        return [
            (f"On {self.ward.name if self.ward else 'this ward'}", listed(here)),
            ("Everyone else", listed(rest)),
        ]

    # -- initial values ---------------------------------------------------------------------

    def _initial(
        self, source: IncidentInput | None, ward_code: str | None, counts: RowCounts
    ) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
        from rrp.organisations.selectors import home_ward_of

        rows: dict[str, list[dict[str, Any]]] = {
            "interventions": [],
            "staff": [],
            "others": [],
            "injuries": [],
        }
        if source is None:
            ward = next((w for w in self.wards if w.code == ward_code), None) if ward_code else None
            ward = ward or home_ward_of(self.user, self.organisation)
            me = next((m for m in members_of(self.organisation) if m.user_id == self.user.pk), None)
            mine = self._own_register_entry()
            if mine is not None:
                # Whoever records was usually there: their own row is ready, role still to choose.
                rows["staff"].append(
                    {"member": f"{REGISTER_PREFIX}{mine.pk}", "job_title": mine.job_title}
                )
            elif me is not None:
                rows["staff"].append({"member": str(me.user_id), "job_title": me.job_title})
            return {
                "ward": ward.code if ward else "",
                "date": self.today,
                "psychological_harm": codes.PsychologicalHarm.NOT_KNOWN,
            }, rows
        first = min(
            (i.started_at for i in source.interventions if i.started_at), default=source.started_at
        )
        day = timezone.localtime(first).date() if first else self.today
        anchor = timezone.localtime(first).replace(tzinfo=None) if first else None
        for item in source.interventions:
            row: dict[str, Any] = {
                "type_code": item.type_code,
                "started_at": clock(item.started_at),
                "ended_at": clock(item.ended_at),
                "drug": item.drug,
                "dose": item.dose,
                "route": item.route,
                "high_risk": item.high_risk,
                "prone_reason": item.prone_reason,
            }
            if item.started_at and item.ended_at:
                start_local = timezone.localtime(item.started_at).replace(tzinfo=None)
                end_local = timezone.localtime(item.ended_at).replace(tzinfo=None)
                placed_start = place_start(day, start_local.time(), anchor)
                if place_end(placed_start, end_local.time()) != end_local:
                    row["ended_on"] = f"{end_local.day}/{end_local.month}/{end_local.year}"
            rows["interventions"].append(row)
        for person in source.staff:
            if person.staff_id is not None:
                rows["staff"].append({
                    "member": f"{REGISTER_PREFIX}{person.staff_id}",
                    "job_title": person.job_title,
                    "role": person.role,
                    "injured": person.injured,
                })
                continue
            rows["staff"].append(
                {
                    "member": str(person.user_id) if person.user_id else "",
                    "name": "" if person.user_id else person.name,
                    "job_title": person.job_title,
                    "role": person.role,
                    "injured": person.injured,
                }
            )
        rows["others"] = [
            {"kind": o.kind, "name": o.name, "reason": o.reason} for o in source.others
        ]
        rows["injuries"] = [
            {"person": j.person, "severity": j.severity, "description": j.description}
            for j in source.injuries
        ]
        yes_no = {True: "yes", False: "no", None: "not_known"}
        if not first and source.draft_answers.get("date"):
            # A draft saved before any time was typed keeps the date that was typed.
            with contextlib.suppress(ValueError):
                day = dt.date.fromisoformat(source.draft_answers["date"])
        main = {
            "ward": source.ward.code if source.ward else "",
            "date": day,
            "patient": str(source.patient.pk) if source.patient else "",
            "planned": source.planned,
            "negligible": source.negligible,
            "reason": source.reason,
            "reason_detail": source.reason_detail,
            "de_escalation": list(source.de_escalation),
            "efforts_to_avoid": source.efforts_to_avoid,
            "description": source.description,
            "outcome": source.outcome,
            "in_care_plan": yes_no[source.in_care_plan],
            "death_or_serious_injury": "yes" if source.death_or_serious_injury else "no",
            "anyone_injured": "yes" if source.injuries else "no",
            "harm": source.harm,
            "psychological_harm": source.psychological_harm,
            "notification": source.notification,
        }
        for name in DRAFT_QUESTIONS:
            # A draft's question not answered yet stays unanswered, never shown as a default.
            if name in source.draft_answers:
                main[name] = source.draft_answers[name]
        return main, rows

    def _own_register_entry(self) -> Any:
        """The register entry linked to the account of whoever records, if on it that day."""
        from rrp.workforce.selectors import current_staff

        if not getattr(self.user, "pk", None):
            return None
        return current_staff(self.organisation, self.today).filter(user=self.user).first()

    # -- reading and checking ---------------------------------------------------------------

    def all_forms(self) -> Iterator[QuietForm]:
        yield self.main
        yield from self.interventions
        yield from self.staff
        yield from self.others
        yield from self.injuries

    def validate(self, *, submit: bool, now: dt.datetime) -> IncidentInput:
        """Check every part and build the input. Problems stay on the forms (see has_errors);
        the input is built from whatever could be read, so the service's own checks can run
        on it too and every problem is shown at once."""
        for form in self.all_forms():
            form.check()
        main = self.main
        m = main.cleaned_data
        add = self._add_error

        ward = next((w for w in self.wards if w.code == m.get("ward")), None)
        patient = self._patient(m)
        day = m.get("date")
        if day is None and submit and not main.has_error("date"):
            add(main, "date", "Enter the date force was first used")
        typed_day = day
        day = day or self.today

        interventions = self._interventions(day, submit=submit, now=now)
        starts = [i.started_at for i in interventions if i.started_at is not None]
        started_at = min(starts) if starts else None
        ongoing = any(i.ended_at is None for i in interventions)
        ends = [i.ended_at for i in interventions if i.ended_at is not None]
        ended_at = None if ongoing or not interventions else max(ends + starts)

        staff = self._staff(submit=submit)
        others = self._others()
        injured = m.get("anyone_injured") or ""
        injuries = self._injuries(submit=submit) if injured == "yes" else []
        harm = m.get("harm") or ""
        if not harm and injured == "no" and m.get("death_or_serious_injury") == "no":
            # The degree of harm grades physical harm to the patient, which needs an injury
            # (or a death): with nobody injured it is "No harm", so it is not asked.
            harm = codes.Harm.NONE
        if submit:
            self._require_answers(m, injured, injuries, harm=harm)
        de_escalation = list(m.get("de_escalation") or [])
        efforts = (m.get("efforts_to_avoid") or "").strip()
        if not efforts and de_escalation:
            # The ticked list is itself the description of what was tried (s.6(5)(o)).
            labels = dict(codes.DeEscalation.choices)
            efforts = "; ".join(str(labels[item]) for item in de_escalation if item in labels)
        care_plan = {"yes": True, "no": False}.get(m.get("in_care_plan") or "")
        description = (m.get("description") or "").strip()
        if not description and submit:
            # The lines of force are themselves a description of how it was used (s.6(5)(f)):
            # typed words add what they cannot say, as the checklist does for s.6(5)(o).
            description = force_described(interventions)
        return IncidentInput(
            ward=ward,
            patient=patient,
            started_at=started_at,
            ended_at=ended_at,
            reason=m.get("reason") or "",
            reason_detail=m.get("reason_detail") or "",
            description=description,
            efforts_to_avoid=efforts,
            de_escalation=de_escalation,
            outcome=m.get("outcome") or "",
            notification=m.get("notification") or "",
            in_care_plan=care_plan,
            death_or_serious_injury=m.get("death_or_serious_injury") == "yes",
            planned=bool(m.get("planned")),
            negligible=bool(m.get("negligible")),
            harm=harm or codes.Harm.NONE,
            psychological_harm=m.get("psychological_harm") or codes.PsychologicalHarm.NOT_KNOWN,
            interventions=interventions,
            staff=staff,
            others=others,
            injuries=injuries,
            draft_answers={} if submit else self._draft_answers(typed_day),
        )

    def _draft_answers(self, day: dt.date | None) -> dict[str, str]:
        """What a draft must keep that its record cannot hold: the questions as answered so
        far ("" not yet), and the date typed (the record's own dates come from the times)."""
        answers = {name: self.main.raw(name) for name in DRAFT_QUESTIONS}
        answers["date"] = day.isoformat() if day else ""
        return answers

    def _patient(self, m: dict[str, Any]) -> Patient | None:
        chosen = m.get("patient") or ""
        typed = (m.get("patient_local_id") or "").strip()
        if typed:
            found = (
                Patient.objects.for_organisation(self.organisation)
                .filter(local_id__iexact=typed)
                .first()
            )
            if found is None:
                self._add_error(
                    self.main,
                    "patient_local_id",
                    f"No patient has the local identifier {typed}: check it, or add "
                    "the patient first",
                )
            elif chosen and str(found.pk) != chosen:
                self._add_error(
                    self.main,
                    "patient_local_id",
                    "Choose the patient from the list or type their identifier, not both",
                )
            return found
        if chosen:
            return next((p for p in self.patients if str(p.pk) == chosen), None)
        return None

    def _interventions(
        self, day: dt.date, *, submit: bool, now: dt.datetime
    ) -> list[InterventionInput]:
        used = [row for row in self.interventions if row.is_used()]
        self._used_interventions = used
        anchor: dt.datetime | None = None
        result = []
        for row in used:
            data = row.cleaned_data
            code = data.get("type_code") or ""
            start_time = data.get("started_at")
            end_time = data.get("ended_at")
            started = ended = None
            if start_time is not None:
                placed = place_start(day, start_time, anchor)
                anchor = anchor or placed
                try:
                    started = aware(placed)
                except SkippedTime as skipped:
                    row.add_error("started_at", str(skipped))
                if end_time is not None:
                    try:
                        ended = aware(place_end(placed, end_time, data.get("ended_on")))
                    except SkippedTime as skipped:
                        row.add_error("ended_at", str(skipped))
            elif end_time is not None and not submit:
                # A draft keeps an end typed before its start, on the day typed.
                try:
                    ended = aware(dt.datetime.combine(data.get("ended_on") or day, end_time))
                except SkippedTime as skipped:
                    row.add_error("ended_at", str(skipped))
            elif end_time is not None and not row.has_error("started_at"):
                row.add_error("started_at", f"Enter the time the {row.describe()} started")
            if ended is None and end_time is None and started is not None:
                category = codes.category(code) if code in codes.InterventionType.values else ""
                if category == "chemical":
                    # Medication is given at a moment: no end time means it ended as it started.
                    ended = started
                elif submit and category == "physical" and not row.has_error("ended_at"):
                    row.add_error("ended_at", f"Enter the time the {row.describe()} ended")
            for moment, name in ((started, "started_at"), (ended, "ended_at")):
                if moment is not None and moment > now + FUTURE_GRACE and not row.has_error(name):
                    row.add_error(name, "This time is in the future: check the date and time")
            if code != codes.InterventionType.RAPID_TRANQUILLISATION:
                high_risk = False
            else:
                high_risk = bool(data.get("high_risk"))
            prone_reason = (data.get("prone_reason") or "").strip()
            if code and code != codes.InterventionType.PRONE:
                # Typed under another type, as the hidden-without-JavaScript high risk box is.
                prone_reason = ""
            result.append(
                InterventionInput(
                    type_code=code,
                    started_at=started,
                    ended_at=ended,
                    drug=(data.get("drug") or "").strip(),
                    dose=(data.get("dose") or "").strip(),
                    route=data.get("route") or "",
                    high_risk=high_risk,
                    prone_reason=prone_reason,
                )
            )
        return result

    def _staff(self, *, submit: bool) -> list[StaffInput]:
        used = [row for row in self.staff if row.is_used()]
        self._used_staff = used
        result = []
        for row in used:
            data = row.cleaned_data
            chosen = data.get("member") or ""
            staff_id = register_choice(chosen)
            if staff_id is not None:
                result.append(self._register_person(row, staff_id, data))
                continue
            member = self.member_by_id.get(int(chosen)) if chosen.isdigit() else None
            typed = (data.get("name") or "").strip()
            if member is not None and typed:
                row.add_error(
                    "name", "Choose the person from the list or type their name, not both"
                )
            if member is None and not typed and submit:
                row.add_error(
                    "member", "Choose who this was, or type the name of bank or agency staff"
                )
            job_title = (data.get("job_title") or "").strip() or (
                member.job_title if member else ""
            )
            if not job_title and (member is not None or typed) and submit:
                row.add_error(
                    "job_title", "Enter their job title and grade, like Staff nurse, band 5"
                )
            result.append(
                StaffInput(
                    name=member.name if member else typed,
                    job_title=job_title,
                    role=data.get("role") or "",
                    user_id=member.user_id if member else None,
                    injured=bool(data.get("injured")),
                )
            )
        return result

    def _register_person(
        self, row: StaffRowForm, staff_id: int, data: dict[str, Any]
    ) -> StaffInput:
        """Someone picked from the staff register: named, with job title and grade, from their
        entry (the services fill them in again from the register whatever the form says)."""
        person = self.register_by_id[staff_id]  # the choice was one of these
        if (data.get("name") or "").strip():
            row.add_error("name", "Choose the person from the list or type their name, not both")
        linked = person.user_id if person.user_id in self.member_by_id else None
        return StaffInput(
            name=person.name, job_title=person.job_title, role=data.get("role") or "",
            grade=person.grade, user_id=linked, injured=bool(data.get("injured")),
            staff_id=staff_id,
        )

    def typed_staff(self) -> list[tuple[int, str]]:
        """(register id, role) of each person picked from the register so far, unchecked."""
        picked = []
        for row in self.staff:
            staff_id = register_choice(row.raw("member"))
            if staff_id is not None and staff_id in self.register_by_id:
                picked.append((staff_id, row.raw("role")))
        return picked

    def _others(self) -> list[OtherPersonInput]:
        used = [row for row in self.others if row.is_used()]
        self._used_others = used
        return [
            OtherPersonInput(
                kind=row.cleaned_data.get("kind") or "",
                reason=(row.cleaned_data.get("reason") or "").strip(),
                name=(row.cleaned_data.get("name") or "").strip(),
            )
            for row in used
        ]

    def _injuries(self, *, submit: bool) -> list[InjuryInput]:
        used = [row for row in self.injuries if row.is_used()]
        self._used_injuries = used
        if not used and submit:
            self._add_error(
                self.injuries[0],
                "person",
                "Say who was injured, how seriously and what the injury was",
            )
        return [
            InjuryInput(
                person=row.cleaned_data.get("person") or "",
                severity=row.cleaned_data.get("severity") or "",
                description=(row.cleaned_data.get("description") or "").strip(),
            )
            for row in used
        ]

    def _require_answers(
        self, m: dict[str, Any], injured: str, injuries: list[InjuryInput], *, harm: str
    ) -> None:
        main = self.main
        # "in_care_plan" and "notification" are not here: the safety plan may answer them
        # (answer_care_plan, answer_notification). The harm may follow from the answers.
        answers = {**m, "harm": harm}
        for name, message in (
            (
                "death_or_serious_injury",
                "Say whether the patient died or suffered a serious injury",
            ),
            ("anyone_injured", "Say whether anyone was injured"),
            ("harm", "Choose the degree of harm to the patient"),
        ):
            if not answers.get(name):
                self._add_error(main, name, message)

    def answer_care_plan(
        self, data: IncidentInput, *, answer: bool | None, asked: bool, submit: bool
    ) -> None:
        """Use of Force Act s.6(5)(d), "whether those types formed part of the patient's care
        plan": when the safety plan in force answers it, its answer is stored and the question
        is not asked; when there is no plan in RRP the person recording answers (the person
        may have a paper plan, standard 2.4.VII), and must before submitting."""
        if answer is not None:
            data.in_care_plan = answer
        elif asked and submit and not self.main.cleaned_data.get("in_care_plan"):
            self._add_error(
                self.main,
                "in_care_plan",
                "Say whether these types of force were in the care plan, or choose not known",
            )

    def answer_notification(self, data: IncidentInput, *, mode: str, named: str) -> None:
        """Use of Force Act s.6(5)(p), "whether a notification was sent to the person(s) named
        in the care plan": when the safety plan in force names nobody, that is the answer and
        nothing is asked; when it names someone, the question is whether they were told (the
        "nobody is named" answer would contradict the plan)."""
        if mode == "answer":
            data.notification = codes.Notification.NOT_APPLICABLE
        elif mode == "named" and data.notification == codes.Notification.NOT_APPLICABLE:
            self._add_error(
                self.main,
                "notification",
                f"The safety plan says to tell {named}: say whether they have been told",
            )

    # -- what is known before checking: the safety plan is shown as soon as it can be ------

    def chosen_patient(self) -> Patient | None:
        """The patient picked or typed so far, within the organisation, unchecked."""
        typed = self.main.raw("patient_local_id").strip()
        if typed:
            return (
                Patient.objects.for_organisation(self.organisation)
                .filter(local_id__iexact=typed)
                .first()
            )
        chosen = self.main.raw("patient")
        return next((p for p in self.patients if str(p.pk) == chosen), None) if chosen else None

    def typed_codes(self) -> list[str]:
        """The types of force chosen so far, in row order."""
        return [row.raw("type_code") for row in self.interventions if row.raw("type_code")]

    def typed_start(self) -> dt.datetime | None:
        """When the use of force started, from the date and the earliest start time typed so
        far that reads as a time; None when none does."""
        anchor: dt.datetime | None = None
        starts = []
        for row in self.interventions:
            try:
                time = parse_clock_time(row.raw("started_at"))
            except ValueError:
                continue
            placed = place_start(self.day, time, anchor)
            anchor = anchor or placed
            starts.append(placed)
        return timezone.make_aware(min(starts)) if starts else None  # a hint only

    @staticmethod
    def _add_error(form: forms.Form, field: str | None, message: str) -> None:
        if field is not None and form.has_error(field):
            return
        form.add_error(field, message)

    # -- problems from the service ----------------------------------------------------------

    def apply_problems(self, problems: Mapping[str, list[str]] | Mapping[str, Any]) -> None:
        """Put the service's problems ({"interventions.0.ended_at": [...]}) on their fields.
        A field the form already complained about keeps the form's message."""
        row_time_problem = any(
            row.has_error("started_at") or row.has_error("ended_at")
            for row in self._used_interventions
        )
        for path, messages in problems.items():
            if isinstance(messages, str):
                messages = [messages]
            if path == "patient" and self.main.has_error("patient_local_id"):
                continue  # the typed identifier's own problem says it better
            if path in {"started_at", "ended_at"} and (
                row_time_problem or any(p.startswith("interventions.") for p in problems)
            ):
                continue  # the same problem is already shown on an intervention's times
            form, field = self._target(path)
            for message in messages:
                self._add_error(form, field, str(message))

    def _target(self, path: str) -> tuple[forms.Form, str | None]:
        parts = path.split(".")
        head = parts[0]
        main = self.main
        if head in main.fields:
            return main, head
        rows_by_name: dict[str, tuple[list[Any], dict[str, str], str]] = {
            "interventions": (
                self._used_interventions or self.interventions[:1],
                {"type": "type_code"},
                "type_code",
            ),
            "staff": (
                self._used_staff or self.staff[:1],
                {"user_id": "member", "name": "member", "staff_id": "member"},
                "member",
            ),
            "others": (self._used_others or self.others[:1], {}, "kind"),
            "injuries": (
                self._used_injuries or self.injuries[:1],
                {"intervention": "description"},
                "person",
            ),
        }
        if head == "started_at":
            rows = self._used_interventions or self.interventions[:1]
            return rows[0], "started_at"
        if head == "ended_at":
            rows = self._used_interventions or self.interventions[:1]
            return rows[-1], "ended_at"
        if head in rows_by_name:
            rows, renames, default = rows_by_name[head]
            if len(parts) >= 2 and parts[1].isdigit() and int(parts[1]) < len(rows):
                row = rows[int(parts[1])]
                field = renames.get(parts[2], parts[2]) if len(parts) > 2 else default
                return row, field if field in row.fields else default
            return rows[0], default
        return main, None

    def show_stored_problems(self, problems: Mapping[str, Any]) -> None:
        """Problems found in a stored draft, on the form drawn from it: its rows are in the
        stored order, so "interventions.1" is the second row."""
        for form in self.all_forms():
            form.check()
        self._used_interventions = [r for r in self.interventions if r.is_used()]
        self._used_staff = [r for r in self.staff if r.is_used()]
        self._used_others = [r for r in self.others if r.is_used()]
        self._used_injuries = [r for r in self.injuries if r.is_used()]
        self.apply_problems(problems)

    # -- showing problems -------------------------------------------------------------------

    def has_errors(self) -> bool:
        return any(form.errors for form in self.all_forms())

    def error_summary(self) -> dict[str, Any] | None:
        """Every problem in page order, each linking to its field."""
        items: list[dict[str, str]] = []
        order = [
            (self.main, ("ward", "patient", "patient_local_id", "date")),
            *[(row, tuple(row.fields)) for row in self.interventions],
            (
                self.main,
                (
                    "planned",
                    "negligible",
                    "reason",
                    "reason_detail",
                    "de_escalation",
                    "efforts_to_avoid",
                    "description",
                    "outcome",
                    "in_care_plan",
                ),
            ),
            *[(row, tuple(row.fields)) for row in self.staff],
            *[(row, tuple(row.fields)) for row in self.others],
            (self.main, ("death_or_serious_injury", "anyone_injured")),
            *[(row, tuple(row.fields)) for row in self.injuries],
            (self.main, ("harm", "psychological_harm", "notification", "change_reason")),
        ]
        for form, names in order:
            for name in names:
                if name in form.fields and form.has_error(name):
                    anchor = field_anchor(form[name])
                    items.extend({"text": str(e), "href": f"#{anchor}"} for e in form.errors[name])
        for error in self.main.non_field_errors():
            items.append({"text": str(error)})
        if not items:
            return None
        return {"titleText": "There is a problem", "errorList": items}

    @staticmethod
    def any_content(rows: list[Any]) -> bool:
        """Whether any of these rows has something typed in it or a problem to show."""
        return any(row.errors or row.is_used() for row in rows)


def field_anchor(bound: forms.BoundField) -> str:
    if isinstance(bound.field.widget, NhsDateWidget):
        return f"{bound.auto_id}-0"
    return str(bound.auto_id)


# ---------------------------------------------------------------------------------------------
# What follows: medical reviews, observations, support, reviews...
# ---------------------------------------------------------------------------------------------


class TimedForm(forms.Form):
    """When something happened: a date (today unless changed) and a 24-hour time."""

    on = DateBoxesField(label="Date")
    at = ClockTimeField(
        label="Time", what="the time", required=True, help_text="24-hour clock, like 14:05"
    )
    # The service names the moment differently for each record.
    moment_field = "completed_at"

    def __init__(self, *args: Any, now: dt.datetime, when: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("on", timezone.localtime(now).date())
        super().__init__(*args, **kwargs)
        self.now = now
        self.when = when or "it happened"
        self.fields["on"].label = f"Date {self.when}"
        self.fields["at"].label = f"Time {self.when}"
        self.fields["at"].what = f"the time {self.when}"  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("on") and not self.has_error("on"):
            self.add_error("on", f"Enter the date {self.when}")
        if data.get("on") and data.get("at"):
            try:
                moment = aware(dt.datetime.combine(data["on"], data["at"]))
            except SkippedTime as skipped:
                self.add_error("at", str(skipped))
                return data
            if moment > self.now + FUTURE_GRACE:
                self.add_error("at", "This time is in the future: check the date and time")
            data["moment"] = moment
        return data

    def apply_problems(self, problems: Mapping[str, Any]) -> None:
        for path, messages in problems.items():
            if isinstance(messages, str):
                messages = [messages]
            field: str | None = path
            if path in {self.moment_field, "completed_at"}:
                field = "at"
            elif path not in self.fields:
                field = None
            for message in messages:
                if field is None or not self.has_error(field):
                    self.add_error(field, str(message))


LATE_HELP = "Only needed if it was later than due"


class MedicalReviewForm(TimedForm):
    moment_field = "reviewed_at"
    reviewer = forms.CharField(
        label="Doctor who carried out the review", max_length=200, required=False
    )
    findings = _text(
        "What did the review find?",
        "Physical and mental state, injuries, and any treatment or follow-up",
        rows=4,
    )
    delay_reason = _text("Reason for any delay", LATE_HELP, rows=2)


class ObservationForm(TimedForm):
    moment_field = "taken_at"
    taken = _radios("Could the observations be taken?", YES_NO)
    pulse = forms.IntegerField(
        label="Pulse (beats a minute)",
        required=False,
        min_value=20,
        max_value=250,
        widget=forms.NumberInput,
    )
    bp_systolic = forms.IntegerField(
        label="Blood pressure: systolic (mmHg)", required=False, min_value=50, max_value=260
    )
    bp_diastolic = forms.IntegerField(
        label="Blood pressure: diastolic (mmHg)", required=False, min_value=20, max_value=160
    )
    respiratory_rate = forms.IntegerField(
        label="Breathing rate (breaths a minute)", required=False, min_value=4, max_value=60
    )
    temperature = forms.DecimalField(
        label="Temperature (°C)",
        required=False,
        min_value=Decimal("30"),
        max_value=Decimal("45"),
        max_digits=4,
        decimal_places=1,
    )
    spo2 = forms.IntegerField(
        label="Oxygen saturation, SpO2 (%)", required=False, min_value=50, max_value=100
    )
    consciousness = forms.ChoiceField(
        label="Level of consciousness (ACVPU)",
        required=False,
        choices=codes.Consciousness.choices,
        widget=forms.RadioSelect,
    )
    hydration = forms.CharField(
        label="Fluid and food intake and output (optional)", required=False, max_length=300
    )
    not_taken_reason = _text("Why could they not be taken?", rows=2)
    action_instead = _text(
        "What was done instead?",
        "For example, observed breathing and colour from the door every 15 minutes",
        rows=2,
    )
    no_further_concerns = forms.BooleanField(
        label="No further concerns: rapid tranquillisation checks can stop", required=False
    )
    late_reason = _text("Reason for any delay", LATE_HELP, rows=2)

    NAMES = {
        "pulse": "pulse",
        "bp_systolic": "systolic blood pressure",
        "bp_diastolic": "diastolic blood pressure",
        "respiratory_rate": "breathing rate",
        "temperature": "temperature",
        "spo2": "oxygen saturation",
    }
    VITALS = (
        "pulse",
        "bp_systolic",
        "bp_diastolic",
        "respiratory_rate",
        "temperature",
        "spo2",
        "consciousness",
        "hydration",
    )

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        for name, words in self.NAMES.items():
            field = self.fields[name]
            low, high = field.min_value, field.max_value  # type: ignore[attr-defined]
            field.error_messages.update(
                {
                    "invalid": f"Enter the {words} as a number",
                    "min_value": f"The {words} must be between {low} and {high}: check it",
                    "max_value": f"The {words} must be between {low} and {high}: check it",
                    "max_decimal_places": f"Enter the {words} to one decimal place, like 36.9",
                    "max_digits": f"The {words} must be between {low} and {high}: check it",
                }
            )
        if kind != Observation.KIND_RT:
            del self.fields["no_further_concerns"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        taken = data.get("taken")
        if not taken:
            self.add_error("taken", "Say whether the observations could be taken")
        elif (
            taken == "yes"
            and not any(data.get(name) not in (None, "") for name in self.VITALS[:-1])
            and not any(self.has_error(name) for name in self.VITALS)
        ):
            self.add_error("pulse", "Enter at least one observation")
        elif taken == "no":
            # standard 2.5.2.XIV: why they could not be taken, and what was done instead.
            if not (data.get("not_taken_reason") or "").strip():
                self.add_error("not_taken_reason", "Say why the observations could not be taken")
            if not (data.get("action_instead") or "").strip():
                self.add_error("action_instead", "Say what was done instead")
        return data

    def values(self) -> dict[str, Any]:
        """The keyword arguments observation_record takes."""
        data = self.cleaned_data
        values: dict[str, Any] = {}
        if data.get("taken") == "yes":
            for name in self.VITALS:
                value = data.get(name)
                if value not in (None, ""):
                    values[name] = value
        else:
            values["not_taken_reason"] = (data.get("not_taken_reason") or "").strip()
            values["action_instead"] = (data.get("action_instead") or "").strip()
        if self.kind == Observation.KIND_RT:
            values["no_further_concerns"] = bool(data.get("no_further_concerns"))
        return values


class SupportForm(TimedForm):
    moment_field = "held_at"
    held = _radios("Did it happen?", YES_NO)
    not_held_reason = forms.ChoiceField(
        label="Why not?",
        required=False,
        choices=codes.NotHeldReason.choices,
        widget=forms.RadioSelect,
    )
    notes = _text("Notes (optional)", "What was offered and how the person was", rows=3)
    late_reason = _text("Reason for any delay", LATE_HELP, rows=2)

    def __init__(self, *args: Any, support_for: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.support_for = support_for
        if support_for == PostIncidentSupport.FOR_STAFF:
            # The coded reasons describe the patient; for staff the reason is written in notes.
            self.fields["not_held_reason"].choices = [  # type: ignore[attr-defined]
                (codes.NotHeldReason.OTHER, "It could not be arranged (say why in the notes)")
            ]
            self.fields["held"].label = "Was post-incident support offered to the staff involved?"
        else:
            self.fields["held"].label = "Was post-incident support given to the patient?"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("held"):
            self.add_error("held", "Say whether the support happened")
        elif data["held"] == "no" and not data.get("not_held_reason"):
            self.add_error("not_held_reason", "Say why the support did not happen")
        elif (
            data["held"] == "no"
            and self.support_for == PostIncidentSupport.FOR_STAFF
            and not (data.get("notes") or "").strip()
        ):
            self.add_error("notes", "Say why support for staff could not be arranged")
        return data


class DebriefForm(TimedForm):
    moment_field = "held_at"
    held = _radios("Was the reflection and learning review held?", YES_NO)
    patient_took_part = _radios("Did the patient take part?", YES_NO)
    not_held_reason = forms.ChoiceField(
        label="If the patient did not take part, why not?",
        required=False,
        choices=codes.NotHeldReason.choices,
        widget=forms.RadioSelect,
    )
    carer_took_part = forms.BooleanField(label="A carer or advocate took part", required=False)
    attendees = _text("Who took part (optional)", rows=2, max_length=limits.NOTE)
    learning = _text(
        "What was learned?",
        "What could prevent this happening again; 'nothing new' is an answer",
        rows=4,
    )
    late_reason = _text("Reason for any delay", LATE_HELP, rows=2)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("held"):
            self.add_error("held", "Say whether the review was held")
        if data.get("held") == "yes" and not data.get("patient_took_part"):
            self.add_error("patient_took_part", "Say whether the patient took part")
        return data


class PatientAccountForm(TimedForm):
    moment_field = "offered_at"
    response = _radios("What did the patient say?", codes.AccountResponse.choices)
    account = _text(
        "Their account, in their own words (optional)",
        "Only if they want it written down. Giving an account is never compulsory.",
        rows=5,
    )
    late_reason = _text("Reason for any delay", LATE_HELP, rows=2)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("response"):
            self.add_error("response", "Say whether the patient accepted or declined the offer")
        return data


class ReviewForm(TimedForm):
    moment_field = "reviewed_at"
    reviewer = forms.CharField(label="Who carried out the review", max_length=200, required=False)
    notes = _text("What did the review find and decide?", rows=4)
    late_reason = _text("Reason for any delay", LATE_HELP, rows=2)


class NotRequiredForm(forms.Form):
    reason = _text(
        "Why is this not required?",
        "For example, the seclusion was authorised by a psychiatrist who saw the patient",
        rows=3,
    )

    def clean_reason(self) -> str:
        reason = (self.cleaned_data.get("reason") or "").strip()
        if not reason:
            raise forms.ValidationError("Say why this duty is not required")
        return reason


class IncidentReviewForm(forms.Form):
    notes = _text(
        "Your review",
        "What you checked, what was good, and any actions for the ward",
        rows=5,
    )

    def clean_notes(self) -> str:
        notes = (self.cleaned_data.get("notes") or "").strip()
        if not notes:
            raise forms.ValidationError("Enter your review of the record")
        return notes


class EnteredInErrorForm(forms.Form):
    reason = _text(
        "Why was this record entered in error?",
        "For example, recorded twice, or recorded for the wrong patient. The record "
        "stays visible, marked as entered in error.",
        rows=3,
    )

    def clean_reason(self) -> str:
        reason = (self.cleaned_data.get("reason") or "").strip()
        if not reason:
            raise forms.ValidationError("Say why this record was entered in error")
        return reason


# ---------------------------------------------------------------------------------------------
# Filters for the lists
# ---------------------------------------------------------------------------------------------

STATUS_FILTERS = [
    ("", "Any status"),
    *codes.Status.choices,
    ("entered_in_error", "Entered in error"),
]


class IncidentFilterForm(forms.Form):
    ward = forms.ChoiceField(label="Ward", required=False)
    start = DayField(label="From", what="the first date", help_text="For example, 1/3/2026")
    end = DayField(label="To", what="the last date", help_text="For example, 31/3/2026")
    type = forms.ChoiceField(label="Type of force", required=False)
    status = forms.ChoiceField(label="Status", required=False, choices=STATUS_FILTERS)
    mine = forms.BooleanField(label="Only ones I recorded", required=False)

    def __init__(self, *args: Any, wards: list[Ward], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ward"].choices = [("", "All wards")] + [(w.code, w.name) for w in wards]  # type: ignore[attr-defined]
        self.fields["type"].choices = [("", "Any type")] + [  # type: ignore[attr-defined]
            (code, label) for code, label in sorted(SHORT_TYPE.items())
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The last date must be the same as or after the first date")
        return data


DUTY_STATE_FILTERS = [
    ("", "Overdue and due"),
    ("overdue", "Overdue only"),
    ("due", "Due, not yet overdue"),
    ("due_soon", "Due in the next 4 hours"),  # selectors.DUE_SOON, the home page's count
]


class DutyFilterForm(forms.Form):
    state = forms.ChoiceField(label="Show", required=False, choices=DUTY_STATE_FILTERS)
    ward = forms.ChoiceField(label="Ward", required=False)
    owner = forms.ChoiceField(label="Who must act", required=False)

    def __init__(self, *args: Any, wards: list[Ward], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ward"].choices = [("", "All wards")] + [(w.code, w.name) for w in wards]  # type: ignore[attr-defined]
        self.fields["owner"].choices = [  # type: ignore[attr-defined]
            ("", "Anyone"),
            ("ward_staff", "Ward staff"),
            ("ward_manager", "Ward manager"),
            ("doctor", "Doctor"),
        ]
