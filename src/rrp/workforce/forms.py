"""Forms for the staff register, courses and training. Each checks what a person can put right
on the page and hands a plain input to the services, which check the rest (services.py).

The session form is one page for a whole class: the session's details and one row per person
(a formset), each row picked by staff number from the register (a list to choose from appears
as the trainer types a name or number).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from rrp.core import limits
from rrp.core.forms import NhsDateField, apply_service_errors
from rrp.organisations.models import Membership, Organisation, ServiceType, Ward
from rrp.workforce.inputs import (
    CourseInput,
    OutcomeInput,
    SessionInput,
    StaffInput,
    TnaAgreementInput,
    TnaInput,
    TnaRequirementInput,
    TrainingRecordInput,
)
from rrp.workforce.models import (
    Course,
    CourseLevel,
    Delivery,
    Employment,
    Outcome,
    StaffGroup,
    StaffMember,
    TheoryResult,
)
from rrp.workforce.outcomes import STANDARD_3_1, USE_OF_FORCE_ACT_S5

DATE_HINT = "For example, 15 3 2026"


def _text(label: str, help_text: str = "", rows: int = 3, required: bool = False,
          max_length: int = limits.NARRATIVE) -> forms.CharField:
    return forms.CharField(label=label, help_text=help_text, required=required,
                           max_length=max_length, widget=forms.Textarea(attrs={"rows": rows}))


def _wards(organisation: Organisation) -> list[tuple[str, str]]:
    return [(w.code, f"{w.name} ({w.code})")
            for w in Ward.objects.filter(organisation=organisation).order_by("name")]


class StaffForm(forms.Form):
    staff_number = forms.CharField(label="Staff number", max_length=20,
                                   help_text="The employee number in the national staff record")
    name = forms.CharField(label="Full name", max_length=limits.NAME)
    job_title = forms.CharField(label="Job title", max_length=limits.JOB_TITLE)
    grade = forms.CharField(label="Grade or band (optional)", max_length=40, required=False,
                            help_text="For example, Band 5")
    qualified = forms.BooleanField(
        label="Registered professional (nurse, doctor, allied health professional)",
        required=False,
    )
    employment = forms.ChoiceField(label="Employment", choices=Employment.choices,
                                   widget=forms.RadioSelect)
    wards = forms.MultipleChoiceField(label="Wards they work on", required=False,
                                      widget=forms.CheckboxSelectMultiple)
    start_date = NhsDateField(label="Start date (optional)", required=False, help_text=DATE_HINT)
    leaving_date = NhsDateField(
        label="Leaving date (optional)", required=False,
        help_text="The last day they work here. The register keeps their training records.",
    )
    user_id = forms.TypedChoiceField(label="Their RRP account (optional)", required=False,
                                     coerce=int, empty_value=None)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["wards"].choices = _wards(organisation)  # type: ignore[attr-defined]
        accounts = (
            Membership.objects.filter(organisation=organisation, is_active=True)
            .select_related("user").order_by("user__username")
        )
        choices: dict[int, str] = {}
        for m in accounts:
            choices.setdefault(m.user_id, m.user.get_full_name() or m.user.get_username())
        self.fields["user_id"].choices = [  # type: ignore[attr-defined]
            ("", "No account"), *sorted(choices.items(), key=lambda kv: kv[1])
        ]
        for name, message in {
            "staff_number": "Enter the staff number",
            "name": "Enter the person's name",
            "job_title": "Enter the job title",
            "employment": "Choose how they are employed",
        }.items():
            self.fields[name].error_messages["required"] = message

    @classmethod
    def initial_from(cls, data: StaffInput) -> dict[str, Any]:
        return {**data.__dict__}

    def to_input(self) -> StaffInput:
        values = self.cleaned_data
        return StaffInput(
            staff_number=values["staff_number"], name=values["name"],
            job_title=values["job_title"], employment=values["employment"],
            grade=values.get("grade", ""), qualified=bool(values.get("qualified")),
            wards=list(values.get("wards") or []), start_date=values.get("start_date"),
            leaving_date=values.get("leaving_date"), user_id=values.get("user_id"),
        )


class CourseForm(forms.Form):
    code = forms.CharField(label="Course code", max_length=limits.CODE,
                           help_text="A short code, like RRN-L2")
    title = forms.CharField(label="Title", max_length=limits.NAME)
    level = forms.ChoiceField(label="Level", choices=CourseLevel.choices,
                              widget=forms.RadioSelect)
    delivery = forms.ChoiceField(label="How it is taught", choices=Delivery.choices,
                                 widget=forms.RadioSelect)
    delivery_rationale = _text(
        "Why it is taught this way (needed for e-learning)",
        "Standard 3.1: non-physical skills need interaction, so say why e-learning is enough",
    )
    duration_hours = forms.DecimalField(label="Duration in hours (optional)", required=False,
                                        min_value=0, max_value=999, decimal_places=1)
    refresher_months = forms.IntegerField(label="Refresher every (months)", min_value=1,
                                          max_value=120, initial=12)
    certifying_body = forms.CharField(
        label="RRN certifying body (optional)", required=False, max_length=limits.NAME,
        help_text="The UKAS-accredited body that certified the course against the RRN "
                  "Training Standards, like BILD ACT",
    )
    certificate_number = forms.CharField(label="Certificate number (optional)", required=False,
                                         max_length=60)
    certificate_valid_until = NhsDateField(label="Certificate valid until (optional)",
                                           required=False, help_text=DATE_HINT)
    withdrawn_on = NhsDateField(
        label="No longer taught from (optional)", required=False,
        help_text="Records of the course stay; nobody is counted as needing it from this day",
    )
    # The two lists a course's learning outcomes map to, one group of checkboxes each.
    outcomes_standard = forms.MultipleChoiceField(
        label="Standard 3.1: learning outcomes it teaches", required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(o.code, f"{o.label}: {o.text}") for o in STANDARD_3_1],
    )
    outcomes_act = forms.MultipleChoiceField(
        label="Use of Force Act s.5(2): training topics it covers", required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(o.code, f"{o.label}: {o.text}") for o in USE_OF_FORCE_ACT_S5],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        initial = kwargs.get("initial")
        if initial and "outcomes" in initial:
            # A course's codes (CourseInput.outcomes) split into the form's two groups.
            codes = set(initial["outcomes"])
            kwargs["initial"] = {
                **initial,
                "outcomes_standard": [o.code for o in STANDARD_3_1 if o.code in codes],
                "outcomes_act": [o.code for o in USE_OF_FORCE_ACT_S5 if o.code in codes],
            }
        super().__init__(*args, **kwargs)
        for name, message in {
            "code": "Enter the course code",
            "title": "Enter the course title",
            "level": "Choose the level of the course",
            "delivery": "Choose face to face or e-learning",
            "refresher_months": "Enter how often the refresher is due, in months",
        }.items():
            self.fields[name].error_messages["required"] = message

    def to_input(self) -> CourseInput:
        values = self.cleaned_data
        return CourseInput(
            code=values["code"], title=values["title"], level=values["level"],
            delivery=values["delivery"],
            delivery_rationale=values.get("delivery_rationale", ""),
            duration_hours=values.get("duration_hours"),
            refresher_months=values["refresher_months"],
            certifying_body=values.get("certifying_body", ""),
            certificate_number=values.get("certificate_number", ""),
            certificate_valid_until=values.get("certificate_valid_until"),
            withdrawn_on=values.get("withdrawn_on"),
            outcomes=[*values.get("outcomes_standard", []), *values.get("outcomes_act", [])],
        )


OUTCOME_CHOICES = [("", "Choose an outcome"), *Outcome.choices, ("absent", "Did not attend")]
THEORY_CHOICES = [("", "Not recorded"), *TheoryResult.choices]


class StaffNumberField(forms.CharField):
    """A person picked by staff number from the organisation's register."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=20, **kwargs)
        self.register: dict[str, StaffMember] = {}

    def clean(self, value: Any) -> StaffMember | None:  # type: ignore[override]
        text = str(super().clean(value) or "").strip()
        if not text:
            return None
        # The list offers "E1001" with the name beside it; take the number if both were typed.
        number = text.split(" ", 1)[0].strip(",")
        member = self.register.get(number)
        if member is None:
            raise ValidationError(f"No one with staff number {number} is on the register")
        return member


class AttendeeForm(forms.Form):
    """One row of the class."""

    staff = StaffNumberField(label="Staff number", required=False,
                             help_text="Type a name or staff number and choose from the list")
    outcome = forms.ChoiceField(label="Outcome", choices=OUTCOME_CHOICES, required=False)
    theory_result = forms.ChoiceField(label="Theory result", choices=THEORY_CHOICES,
                                      required=False)
    occupational_health_checked = forms.BooleanField(
        label="Occupational health checklist completed before the physical skills",
        required=False,
    )
    adjustments = _text("Adjustments made (optional)", "Standard 3.4.2.XV", rows=2)
    competence_plan = _text("Plan to reach competence (if not yet competent)", rows=2)
    interim_plan = _text("Interim management plan (if not yet competent or excluded)", rows=2)

    def __init__(self, *args: Any, register: dict[str, StaffMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].register = register  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        values = super().clean() or {}
        if values.get("staff") is None and values.get("outcome"):
            self.add_error("staff", "Enter the staff number of the person this row is for")
        if values.get("staff") is not None and not values.get("outcome"):
            self.add_error("outcome", "Choose the outcome, or ‘Did not attend’")
        return values

    @property
    def is_blank(self) -> bool:
        return not self.cleaned_data.get("staff") and not self.cleaned_data.get("outcome")


CLASS_ROWS = 12  # issue 13: a trainer records a class of 12 in one form
AttendeeFormSet = forms.formset_factory(
    AttendeeForm, extra=CLASS_ROWS, max_num=40, absolute_max=40, validate_max=True
)
# The class's rows: AttendeeFormSet(..., form_kwargs={"register": {staff number: member}}).


class SessionForm(forms.Form):
    course = forms.ChoiceField(label="Course")
    held_on = NhsDateField(label="Date of the session", help_text=DATE_HINT)
    trainer_name = forms.CharField(label="Trainer", max_length=limits.NAME,
                                   help_text="Who taught and assessed the class")
    ward = forms.ChoiceField(label="Ward (optional)", required=False)
    location = forms.CharField(label="Where it was held (optional)", required=False,
                               max_length=limits.NAME, help_text="For example, Training room 2")

    def __init__(self, *args: Any, organisation: Organisation, today: dt.date,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        courses = Course.objects.filter(organisation=organisation).order_by("code")
        self.fields["course"].choices = [  # type: ignore[attr-defined]
            ("", "Choose a course"),
            *[(c.code, f"{c.code}: {c.title}") for c in courses if c.is_taught_on(today)],
        ]
        self.fields["ward"].choices = [("", "Not on a ward"), *_wards(organisation)]  # type: ignore[attr-defined]
        self.fields["course"].error_messages["required"] = "Choose the course"
        self.fields["trainer_name"].error_messages["required"] = "Enter the trainer's name"


def session_input(form: SessionForm, rows: forms.BaseFormSet[Any]) -> SessionInput:
    values = form.cleaned_data
    attendees: list[OutcomeInput] = []
    absent: list[int] = []
    for row in rows.forms:
        if row.is_blank:  # type: ignore[attr-defined]
            continue
        data = row.cleaned_data
        member: StaffMember = data["staff"]
        if data["outcome"] == "absent":
            absent.append(member.pk)
            continue
        attendees.append(OutcomeInput(
            staff_id=member.pk, outcome=data["outcome"],
            theory_result=data.get("theory_result", ""),
            occupational_health_checked=bool(data.get("occupational_health_checked")),
            adjustments=data.get("adjustments", ""),
            competence_plan=data.get("competence_plan", ""),
            interim_plan=data.get("interim_plan", ""),
        ))
    return SessionInput(
        course=values["course"], held_on=values["held_on"], trainer_name=values["trainer_name"],
        ward=values.get("ward", ""), location=values.get("location", ""),
        attendees=attendees, absent=absent,
    )


def apply_session_errors(
    error: ValidationError, form: SessionForm, rows: forms.BaseFormSet[Any], data: SessionInput
) -> None:
    """Put the service's problems back where they belong: "attendees.3.outcome" on the row of
    the fourth person who attended (rows of people absent and blank rows are skipped)."""
    attended = [r for r in rows.forms
                if not r.is_blank and r.cleaned_data.get("outcome") != "absent"]  # type: ignore[attr-defined]
    absent = [r for r in rows.forms
              if not r.is_blank and r.cleaned_data.get("outcome") == "absent"]  # type: ignore[attr-defined]
    rest: dict[str, list[str]] = {}
    for name, messages in error.message_dict.items():
        parts = name.split(".")
        if parts[0] in ("attendees", "absent") and len(parts) >= 2 and parts[1].isdigit():
            index = int(parts[1])
            target_rows = attended if parts[0] == "attendees" else absent
            field = parts[2] if len(parts) > 2 else "staff"
            if index < len(target_rows):
                row = target_rows[index]
                for message in messages:
                    row.add_error(field if field in row.fields else None, message)
                continue
        rest.setdefault(name, []).extend(messages)
    if rest:
        apply_service_errors(form, ValidationError(rest))


class TrainingRecordForm(forms.Form):
    """One person's training outside a session, or previous training accepted for a new
    starter (Use of Force Act s.5: only if recent and equivalent, with the evidence)."""

    course = forms.ChoiceField(label="Course")
    completed_on = NhsDateField(label="Date completed", help_text=DATE_HINT)
    outcome = forms.ChoiceField(label="Outcome", choices=Outcome.choices,
                                widget=forms.RadioSelect)
    theory_result = forms.ChoiceField(label="Theory result (optional)", choices=THEORY_CHOICES,
                                      required=False)
    occupational_health_checked = forms.BooleanField(
        label="Occupational health checklist completed before the physical skills",
        required=False,
    )
    adjustments = _text("Adjustments made (optional)", rows=2)
    competence_plan = _text("Plan to reach competence (if not yet competent)", rows=3)
    interim_plan = _text("Interim management plan (if not yet competent or excluded)", rows=3)
    equivalent_previous = forms.BooleanField(
        label="This is previous training from before they started here, accepted as equivalent",
        required=False,
    )
    evidence = _text("Evidence of the previous training",
                     "The provider, the certificate and what it covered", rows=3)

    def __init__(self, *args: Any, organisation: Organisation, today: dt.date,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        courses = Course.objects.filter(organisation=organisation).order_by("code")
        self.fields["course"].choices = [  # type: ignore[attr-defined]
            ("", "Choose a course"),
            *[(c.code, f"{c.code}: {c.title}") for c in courses if c.is_taught_on(today)],
        ]
        self.fields["course"].error_messages["required"] = "Choose the course"
        self.fields["outcome"].error_messages["required"] = "Choose the outcome"

    def to_input(self, member: StaffMember) -> TrainingRecordInput:
        values = self.cleaned_data
        return TrainingRecordInput(
            staff_id=member.pk, course=values["course"], completed_on=values["completed_on"],
            outcome=values["outcome"], theory_result=values.get("theory_result", ""),
            occupational_health_checked=bool(values.get("occupational_health_checked")),
            adjustments=values.get("adjustments", ""),
            competence_plan=values.get("competence_plan", ""),
            interim_plan=values.get("interim_plan", ""),
            equivalent_previous=bool(values.get("equivalent_previous")),
            evidence=values.get("evidence", ""),
        )


class EnteredInErrorForm(forms.Form):
    reason = _text("Why was this entered in error?", rows=3, required=True,
                   max_length=limits.NOTE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = "Say why this record was entered " \
                                                           "in error"


# ---------------------------------------------------------------------------------------------
# The training needs analysis (standard 3.4.II-III, 3.4.2.I-VIII)
# ---------------------------------------------------------------------------------------------

TNA_TEXT_ROWS = 6


class TnaForm(forms.Form):
    """The analysis's text; the scope only when a new version is started."""

    service_type = forms.ChoiceField(
        label="Which services it covers", required=False,
        choices=[("", "Every service of the organisation"), *ServiceType.choices],
        help_text="An analysis for one service type governs its wards; the organisation's "
                  "governs the rest",
    )
    risks = _text("Needs and elevated risks considered",
                  "Standard 3.4.1: what the incident profile below and the people supported "
                  "show, and any elevated risks", rows=TNA_TEXT_ROWS,
                  max_length=limits.NARRATIVE * 4)
    content = _text("Non-physical and physical content", "Standard 3.4.2.IV",
                    rows=TNA_TEXT_ROWS, max_length=limits.NARRATIVE * 4)
    learning_outcomes = _text("Learning outcomes", "Standard 3.4.2.V, and 3.1 I-XV",
                              rows=TNA_TEXT_ROWS, max_length=limits.NARRATIVE * 4)
    competence_testing = _text(
        "How knowledge, competence and attitudes are tested", "Standard 3.4.2.VI",
        rows=TNA_TEXT_ROWS, max_length=limits.NARRATIVE * 4,
    )
    physical_rationale = _text(
        "The rationale for each physical intervention taught",
        "Standard 3.4.2.VII: why each is needed here, from the incident profile",
        rows=TNA_TEXT_ROWS, max_length=limits.NARRATIVE * 4,
    )
    sub_specialty = _text(
        "Sub-specialty needs",
        "Standard 3.4.2.VIII: gender, diversity, dementia, the Children Act, positive "
        "behaviour support... or that there are none", rows=TNA_TEXT_ROWS,
        max_length=limits.NARRATIVE * 4,
    )

    def to_input(self) -> TnaInput:
        values = self.cleaned_data
        return TnaInput(
            service_type=values.get("service_type", ""),
            **{name: values.get(name, "") for name in (
                "risks", "content", "learning_outcomes", "competence_testing",
                "physical_rationale", "sub_specialty")},
        )


class TnaRequirementForm(forms.Form):
    course = forms.ChoiceField(label="Course")
    staff_group = forms.ChoiceField(label="Who needs it", choices=StaffGroup.choices,
                                    widget=forms.RadioSelect, initial=StaffGroup.EVERYONE)
    employment = forms.ChoiceField(label="Employment", required=False,
                                   choices=[("", "Any employment"), *Employment.choices])
    ward = forms.ChoiceField(label="Ward", required=False)
    refresher_months = forms.IntegerField(
        label="Refresher every (months, optional)", required=False, min_value=1, max_value=120,
        help_text="Leave blank for the course's own interval",
    )

    def __init__(self, *args: Any, organisation: Organisation, today: dt.date,
                 service_type: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        courses = Course.objects.filter(organisation=organisation).order_by("code")
        self.fields["course"].choices = [  # type: ignore[attr-defined]
            ("", "Choose a course"),
            *[(c.code, f"{c.code}: {c.title} (every {c.refresher_months} months)")
              for c in courses if c.is_taught_on(today)],
        ]
        wards = Ward.objects.filter(organisation=organisation).order_by("name")
        if service_type:
            wards = wards.filter(service_type=service_type)
        self.fields["ward"].choices = [  # type: ignore[attr-defined]
            ("", "Every ward it covers"), *[(w.code, f"{w.name} ({w.code})") for w in wards],
        ]
        self.fields["course"].error_messages["required"] = "Choose the course"
        self.fields["staff_group"].error_messages["required"] = "Choose who needs it"

    def to_input(self) -> TnaRequirementInput:
        values = self.cleaned_data
        return TnaRequirementInput(
            course=values["course"], staff_group=values["staff_group"],
            employment=values.get("employment", ""), ward=values.get("ward", ""),
            refresher_months=values.get("refresher_months"),
        )


class TnaAgreementForm(forms.Form):
    training_provider = forms.CharField(label="Training provider", max_length=limits.NAME,
                                        help_text="The organisation that provides the training")
    agreed_by = forms.CharField(label="Agreed for the training provider by",
                                max_length=limits.NAME, help_text="Name and role")
    agreed_on = NhsDateField(label="Date agreed", help_text=DATE_HINT)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["training_provider"].error_messages["required"] = "Enter the training " \
                                                                      "provider"
        self.fields["agreed_by"].error_messages["required"] = "Enter who agreed it for the " \
                                                              "training provider"
        self.fields["agreed_on"].error_messages["required"] = "Enter the date it was agreed"

    def to_input(self) -> TnaAgreementInput:
        values = self.cleaned_data
        return TnaAgreementInput(training_provider=values["training_provider"],
                                 agreed_by=values["agreed_by"], agreed_on=values["agreed_on"])
