"""Forms for writing a safety plan with the person, a risk assessment and physical health
checks. Each form checks what a person can put right on the page and hands a plain input to
the services, which check the rest (see services.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from rrp.careplans import codes
from rrp.careplans.inputs import (
    PLAN_TEXT_FIELDS,
    HealthCheckInput,
    RiskAssessmentInput,
    RiskFactorInput,
    SafetyPlanInput,
)
from rrp.core.forms import NhsDateField
from rrp.incidents.codes import InterventionType
from rrp.incidents.duty_rules import PHYSICAL_RESTRAINT_CODES

# Least restrictive first within each kind, as the team talks them through with the person.
INTERVENTION_ORDER = (
    "07",
    "11",
    "10",
    "12",
    "08",
    "09",
    "01",
    "13",
    "16",
    "15",
    "14",
    "17",
    "05",
    "06",
    "04",
)
_LABELS = dict(InterventionType.choices)
INTERVENTION_CHOICES = [(code, _LABELS[code]) for code in INTERVENTION_ORDER]
PHYSICAL_CHOICES = [(v, t) for v, t in INTERVENTION_CHOICES if v in PHYSICAL_RESTRAINT_CODES]


def _text(
    label: str, help_text: str = "", required: bool = False, rows: int = 3
) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _radios(label: str, choices: Any, help_text: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=choices, help_text=help_text, widget=forms.RadioSelect
    )


def _checkboxes(
    label: str, choices: Any, help_text: str = "", required: bool = False
) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        help_text=help_text,
        required=required,
        widget=forms.CheckboxSelectMultiple,
    )


class DateField(NhsDateField):
    """The NHS.UK date input (kept as a name here so the forms read the same)."""


def _required_messages(form: forms.Form, messages: dict[str, str]) -> None:
    """Plain-English errors naming the field, instead of Django's "This field is required"."""
    for name, message in messages.items():
        if name in form.fields:
            form.fields[name].error_messages["required"] = message


def risk_factor_field(code: str, part: str) -> str:
    return f"rf_{code}_{part}"


class IncidentChoiceField(forms.ModelChoiceField):
    default_error_messages = {
        "invalid_choice": "Choose a use of force from the list, or ‘Not after a use of force’",
    }

    def label_from_instance(self, obj: Any) -> str:
        from django.utils import timezone

        started = timezone.localtime(obj.started_at)
        return f"{obj.reference}, {started:%d/%m/%Y %H:%M} on {obj.ward.name}"


class SafetyPlanForm(forms.Form):
    """One version of the plan. Sections follow the order a plan is talked through."""

    # Why and with whom (standard 2.2.II, 2.3.I).
    occasion = _radios("Why are you writing or reviewing the plan?", codes.PlanOccasion.choices)
    incident = IncidentChoiceField(
        queryset=None,
        required=False,
        label="Which use of force does this review follow? (optional)",
        empty_label="Not after a use of force",
    )
    agreed_on = DateField(
        label="Date you talked the plan through with the person", help_text="For example, 15 3 2026"
    )
    person_took_part = _radios(
        "Did the person take part in writing the plan?", codes.Participation.choices
    )
    carer_took_part = _radios(
        "Did a family member or carer take part?", codes.CarerParticipation.choices
    )
    others_involved = _text(
        "Who else took part? (optional)",
        "For example, their advocate, named nurse or psychologist",
        rows=2,
    )
    persons_words = _text(
        "What the person wants staff to know, in their own words",
        "Write down what they said, as they said it. Leave blank only if they did not take part.",
        rows=4,
    )
    advance_decisions = _text(
        "Advance decisions and statements (optional)",
        "Decisions to refuse treatment and statements of wishes, and where the originals are",
    )
    # Traffic-light plan (standard 2.3.III, 2.3.XII, 2.3.XIII).
    green_signs = _text("Green: when they are well, they are (optional)")
    green_support = _text("Green: what helps them stay well", "Primary strategies")
    triggers = _text(
        "Known triggers", "What has led to distress before. Write ‘None known yet’ if so."
    )
    trigger_dates = _text(
        "Dates that may be difficult (optional)",
        "For example, the anniversary of a traumatic event",
        rows=2,
    )
    amber_signs = _text(
        "Amber: early warning signs", "What staff may notice when they start to become distressed"
    )
    amber_support = _text(
        "Amber: what helps when they are becoming distressed", "Secondary strategies"
    )
    red_signs = _text("Red: in a crisis, they may (optional)")
    red_support = _text("Red: what staff should do in a crisis (optional)")
    what_to_avoid = _text(
        "What makes things worse (optional)", "Words, actions or situations to avoid"
    )
    environmental_factors = _text(
        "Environment (optional)",
        "For example, noise, boredom, other patients, fresh air and exercise",
    )
    # Interventions (standard 2.3.IV, 2.3.V).
    preferred_interventions = _checkboxes(
        "Interventions the person prefers, if one is needed",
        INTERVENTION_CHOICES,
        "Choose all the person agreed to. These are part of the care plan.",
    )
    less_preferred_interventions = _checkboxes(
        "Interventions the person would rather not have, but agreed as a last resort",
        INTERVENTION_CHOICES,
        "These are also part of the care plan.",
    )
    positions_to_avoid = _checkboxes(
        "Positions the person asked not to be held in",
        PHYSICAL_CHOICES,
        "Staff will be warned if they record one of these.",
    )
    intervention_preferences = _text(
        "Their preferences about restrictive interventions, in their own words (optional)",
        "For example, who they would like to be with them, or what they want staff to say",
    )
    # Physical health risk factors for restraint (2.3.XIV, 2.5.1.VI-VII), drawn specially.
    risk_factors = _checkboxes(
        "Physical health risk factors for restraint",
        codes.RiskFactor.choices,
        "Choose every condition that makes restraint more dangerous for this person. For each, "
        "say what it means for them and how staff reduce the risk.",
    )
    # Needs (2.3.VII-XI, 2.3.XV, 2.4).
    communication_needs = _text(
        "Communication needs (optional)",
        "How to communicate so a new member of staff can understand them",
    )
    communication_passport = forms.BooleanField(
        label="They have a communication passport", required=False
    )
    interpreter_language = forms.CharField(
        label="Interpreter needed for (optional)",
        required=False,
        max_length=80,
        help_text="Language, including British Sign Language. Leave blank if none is needed.",
    )
    sensory_needs = _text("Sensory needs and physical disability (optional)")
    spiritual_cultural_needs = _text("Spiritual, religious and cultural needs (optional)")
    gender_trauma_needs = _text(
        "Gender and trauma-related needs (optional)",
        "For example, the gender of staff they want, or past abuse",
    )
    age_related_needs = _text(
        "Age-related needs (optional)",
        "Older people: cognitive impairment, frailty. Children and young "
        "people: contact with family, education.",
    )
    dignity = _text(
        "Dignity during any intervention (optional)",
        "For example, clothing, privacy, who should not be present",
    )
    post_incident_support = _text(
        "Monitoring and support they want after an incident (optional)",
        "For example, who they want to talk to, and physical checks they need",
    )
    notify_after_force = forms.CharField(
        label="Who to tell if force is used (optional)",
        required=False,
        max_length=200,
        help_text="Name, relationship and how to contact them",
    )
    # Review and signature (2.3.XXI, 2.4.VII).
    changes = _text(
        "What changed at this review, and why", "If nothing needed to change, say so", rows=3
    )
    review_on = DateField(label="Review date", help_text="Within a year. For example, 15 4 2026")
    late_reason = _text(
        "Why is this review later than the use of force record asked?",
        "The care plan review after a use of force was due earlier. Say what delayed it.",
        rows=2,
    )
    confirm = forms.BooleanField(
        label="I confirm this plan was written with the people named above, and I am signing it",
        error_messages={"required": "Confirm that you are signing this plan"},
    )

    def __init__(
        self,
        *args: Any,
        incidents: Any,
        first_version: bool,
        signer: str,
        late_review: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _required_messages(
            self,
            {
                "occasion": "Choose why you are writing or reviewing the plan",
                "agreed_on": "Enter the date you talked the plan through with the person",
                "person_took_part": "Say whether the person took part in writing the plan",
                "carer_took_part": "Say whether a family member or carer took part",
                "review_on": "Enter the review date",
            },
        )
        self.first_version = first_version
        self.late_review = late_review
        self.fields["incident"].queryset = incidents  # type: ignore[attr-defined]
        self.fields["confirm"].label = (
            f"I, {signer}, confirm this plan was written with the people named above, "
            "and I am signing it"
        )
        # A first plan is not a planned review; a review is not the first plan.
        unwanted = codes.PlanOccasion.SCHEDULED if first_version else codes.PlanOccasion.FIRST
        self.fields["occasion"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in codes.PlanOccasion.choices if value != unwanted
        ]
        if first_version:
            del self.fields["changes"]
        if not late_review:
            del self.fields["late_reason"]
        for code, label in codes.RiskFactor.choices:
            self.fields[risk_factor_field(code, "notes")] = forms.CharField(
                label=f"What {str(label).lower()} means for them (optional)",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[risk_factor_field(code, "strategies")] = forms.CharField(
                label=f"How staff reduce the risk from {str(label).lower()}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    @property
    def risk_factor_rows(self) -> list[tuple[str, str, forms.BoundField, forms.BoundField]]:
        """(code, label, notes field, strategies field) for the conditional reveals."""
        return [
            (
                code,
                str(label),
                self[risk_factor_field(code, "notes")],
                self[risk_factor_field(code, "strategies")],
            )
            for code, label in codes.RiskFactor.choices
        ]

    @property
    def plain_fields(self) -> set[str]:
        """Fields the template draws itself (risk factor details sit inside their checkbox)."""
        return {name for name in self.fields if name.startswith("rf_")}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for code in cleaned.get("risk_factors", []):
            name = risk_factor_field(code, "strategies")
            if not (cleaned.get(name) or "").strip():
                label = dict(codes.RiskFactor.choices)[code]
                self.add_error(name, f"Enter how staff reduce the risk from {str(label).lower()}")
        return cleaned

    def to_input(self) -> SafetyPlanInput:
        data = self.cleaned_data
        incident = data.get("incident")
        return SafetyPlanInput(
            occasion=data["occasion"],
            agreed_on=data["agreed_on"],
            person_took_part=data["person_took_part"],
            carer_took_part=data["carer_took_part"],
            review_on=data["review_on"],
            incident_id=incident.pk if incident else None,
            communication_passport=bool(data.get("communication_passport")),
            risk_factors=[
                RiskFactorInput(
                    code,
                    data.get(risk_factor_field(code, "strategies"), ""),
                    data.get(risk_factor_field(code, "notes"), ""),
                )
                for code in data.get("risk_factors", [])
            ],
            preferred_interventions=list(data.get("preferred_interventions", [])),
            less_preferred_interventions=list(data.get("less_preferred_interventions", [])),
            positions_to_avoid=list(data.get("positions_to_avoid", [])),
            **{name: data.get(name, "") or "" for name in PLAN_TEXT_FIELDS},
        )

    def apply_service_errors(self, error: ValidationError) -> None:
        """The service names risk factors by position; the form names them by code."""
        factors = self.cleaned_data.get("risk_factors", [])
        for path, messages in error.message_dict.items():
            parts = path.split(".")
            target: str | None = parts[0]
            if parts[0] == "risk_factors" and len(parts) == 3 and parts[1].isdigit():
                index = int(parts[1])
                code = factors[index] if index < len(factors) else ""
                target = (
                    risk_factor_field(code, parts[2])
                    if code and parts[2] == "strategies"
                    else "risk_factors"
                )
            elif parts[0] == "incident_id":
                target = "incident"
            if target not in self.fields:
                target = None
            for message in messages:
                self.add_error(target, message)

    @staticmethod
    def initial_from(data: SafetyPlanInput) -> dict[str, Any]:
        """Form values from a plan input: a review starts from the current version."""
        initial: dict[str, Any] = {name: getattr(data, name) for name in PLAN_TEXT_FIELDS}
        initial.update(
            person_took_part="",
            carer_took_part="",
            communication_passport=data.communication_passport,
            preferred_interventions=data.preferred_interventions,
            less_preferred_interventions=data.less_preferred_interventions,
            positions_to_avoid=data.positions_to_avoid,
            risk_factors=[f.code for f in data.risk_factors],
        )
        for factor in data.risk_factors:
            initial[risk_factor_field(factor.code, "notes")] = factor.notes
            initial[risk_factor_field(factor.code, "strategies")] = factor.strategies
        # Who took part and what they said are asked afresh at every review.
        initial["persons_words"] = ""
        initial["others_involved"] = ""
        return initial


class RiskAssessmentForm(forms.Form):
    occasion = _radios("Why was the risk assessed?", codes.AssessmentOccasion.choices)
    incident = IncidentChoiceField(
        queryset=None,
        required=False,
        label="Which use of force does it follow? (optional)",
        empty_label="Not after a use of force",
    )
    assessed_on = DateField(label="Date of the assessment", help_text="For example, 15 3 2026")
    method = forms.CharField(
        label="Structured professional judgement tool (optional)",
        required=False,
        max_length=120,
        help_text="For example, HCR-20, START or your local tool",
    )
    summary = _text(
        "Formulation and summary",
        "What the risks are, why, and what reduces them",
        required=True,
        rows=5,
    )
    risk_to_self = _radios("Risk to self", codes.RiskLevel.choices)
    risk_to_self_detail = _text("Risk to self: details (optional)")
    risk_to_others = _radios("Risk to others", codes.RiskLevel.choices)
    risk_to_others_detail = _text("Risk to others: details (optional)")
    other_risks = _text("Other risks (optional)", "For example, vulnerability or self-neglect")
    sources = _checkboxes(
        "Sources of information used",
        codes.InformationSource.choices,
        "Choose all that apply",
        required=True,
    )
    sources_detail = _text("Sources: details (optional)", rows=2)
    person_took_part = _radios("Did the person take part?", codes.Participation.choices)
    carer_took_part = _radios(
        "Did a family member or carer take part?", codes.CarerParticipation.choices
    )
    communicated_to = _checkboxes(
        "Who were the findings shared with?", codes.CommunicatedTo.choices, "Choose all that apply"
    )
    communicated_on = DateField(label="Date the findings were shared (optional)", required=False)
    review_on = DateField(label="Review date", help_text="Within a year. For example, 15 4 2026")
    late_reason = _text(
        "Why is this review later than the use of force record asked?",
        "The care plan and risk assessment review after a use of force was due earlier.",
        rows=2,
    )

    def __init__(self, *args: Any, incidents: Any, late_review: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _required_messages(
            self,
            {
                "occasion": "Choose why the risk was assessed",
                "assessed_on": "Enter the date of the assessment",
                "summary": "Enter the formulation and summary of the assessment",
                "risk_to_self": "Choose the level of risk to self",
                "risk_to_others": "Choose the level of risk to others",
                "sources": "Choose the sources of information used",
                "person_took_part": "Say whether the person took part in the assessment",
                "carer_took_part": "Say whether a family member or carer took part",
                "review_on": "Enter the review date",
            },
        )
        self.fields["incident"].queryset = incidents  # type: ignore[attr-defined]
        if not late_review:
            del self.fields["late_reason"]

    def to_input(self) -> RiskAssessmentInput:
        data = dict(self.cleaned_data)
        incident = data.pop("incident", None)
        data.pop("late_reason", None)
        return RiskAssessmentInput(incident_id=incident.pk if incident else None, **data)


HEALTH_CHECK_OUTCOMES = {
    codes.HealthCheckKind.EXAMINATION: codes.ExaminationOutcome.choices,
    codes.HealthCheckKind.CAPACITY_PRN: codes.CapacityOutcome.choices,
    codes.HealthCheckKind.MEDICATION_REVIEW: codes.MedicationReviewOutcome.choices,
}


class HealthCheckForm(forms.Form):
    done_on = DateField(label="Date", help_text="For example, 15 3 2026")
    outcome = _radios("Outcome", [])
    done_by_name = forms.CharField(
        label="Who carried it out", max_length=200, help_text="Name and job title"
    )
    notes = _text("Findings and notes", rows=4)
    stomp = forms.BooleanField(
        label="This was a STOMP review (stopping over-medication of people with a learning "
        "disability, autism or both)",
        required=False,
    )
    next_due_on = DateField(label="Next due (optional)", required=False)

    def __init__(self, *args: Any, kind: str, stomp_applies: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _required_messages(
            self,
            {
                "done_on": "Enter the date",
                "outcome": "Choose the outcome",
                "done_by_name": "Enter who carried it out",
                "next_due_on": "Enter the date of the next medication review",
            },
        )
        self.kind = kind
        self.fields["outcome"].choices = HEALTH_CHECK_OUTCOMES[codes.HealthCheckKind(kind)]  # type: ignore[attr-defined]
        if kind == codes.HealthCheckKind.EXAMINATION:
            self.fields["done_on"].label = "Date of the examination"
            self.fields["notes"].label = "Findings and physical needs assessed"
            self.fields[
                "notes"
            ].help_text = (
                "If the examination did not happen, say why and when it will be offered again"
            )
            del self.fields["next_due_on"]
        elif kind == codes.HealthCheckKind.CAPACITY_PRN:
            self.fields["done_on"].label = "Date of the capacity assessment"
            self.fields["outcome"].label = "Decision about ‘as needed’ medication"
            self.fields["notes"].label = "How capacity was assessed (optional)"
            self.fields["next_due_on"].label = "Date to reassess (optional)"
        else:
            self.fields["done_on"].label = "Date of the medication review"
            self.fields["outcome"].label = "What the review decided"
            self.fields["notes"].label = "What was reviewed and why (optional)"
            self.fields["notes"].help_text = "Regular and ‘as needed’ medicines"
            self.fields["next_due_on"].label = "Date of the next medication review"
            self.fields["next_due_on"].required = True
        if kind != codes.HealthCheckKind.MEDICATION_REVIEW or not stomp_applies:
            del self.fields["stomp"]

    def to_input(self) -> HealthCheckInput:
        data = self.cleaned_data
        return HealthCheckInput(
            kind=self.kind,
            done_on=data["done_on"],
            outcome=data["outcome"],
            done_by_name=data["done_by_name"],
            notes=data.get("notes", ""),
            stomp=bool(data.get("stomp")),
            next_due_on=data.get("next_due_on"),
        )


class EnteredInErrorForm(forms.Form):
    reason = _text(
        "Why was this entered in error?",
        "For example, it was recorded for the wrong person",
        required=True,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = "Say why this was entered in error"


def default_review_on(today: dt.date) -> dt.date:
    from rrp.careplans.due_rules import DEFAULT_REVIEW_WEEKS

    return today + dt.timedelta(weeks=DEFAULT_REVIEW_WEEKS)
