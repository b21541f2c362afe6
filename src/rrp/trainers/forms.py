"""Forms for trainers, their portfolios, reviews, competency monitoring and training providers.
Each checks what a person can put right on the page and hands a plain input to the services,
which check the rest (services.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from rrp.core import limits
from rrp.core.forms import NhsDateField
from rrp.organisations.models import Organisation
from rrp.trainers.inputs import (
    CompetencyCheckInput,
    PortfolioEntryInput,
    ProviderInput,
    ReviewInput,
    TrainerInput,
)
from rrp.trainers.models import (
    EntryKind,
    MonitoringOutcome,
    ReviewOutcome,
    Trainer,
    TrainingProvider,
)
from rrp.workforce.models import StaffMember

DATE_HINT = "For example, 15 3 2026"


def _text(label: str, help_text: str = "", rows: int = 3, required: bool = False,
          max_length: int = limits.NARRATIVE) -> forms.CharField:
    return forms.CharField(label=label, help_text=help_text, required=required,
                           max_length=max_length, widget=forms.Textarea(attrs={"rows": rows}))


def _date(label: str, help_text: str = DATE_HINT, required: bool = False) -> NhsDateField:
    return NhsDateField(label=label, required=required, help_text=help_text)


def _messages(form: forms.Form, messages: dict[str, str]) -> None:
    for name, message in messages.items():
        if name in form.fields:
            form.fields[name].error_messages["required"] = message


class TrainerForm(forms.Form):
    """A new trainer (who they are: someone on the register, or a provider's trainer) or the
    details of one (`kind` None: who they are is fixed once added)."""

    staff_id = forms.TypedChoiceField(
        label="Person on the staff register (an internal trainer)", required=False,
        coerce=int, empty_value=None,
    )
    provider_id = forms.TypedChoiceField(
        label="Or the external training provider they work for", required=False, coerce=int,
        empty_value=None,
    )
    name = forms.CharField(label="Name (an external trainer)", required=False,
                           max_length=limits.NAME)
    role = forms.CharField(label="Role (an external trainer, optional)", required=False,
                           max_length=limits.JOB_TITLE, help_text="For example, senior trainer")
    teaching_since = _date("Teaching since (optional)")
    code_of_conduct_accepted_on = _date(
        "Date they accepted the trainers' code of conduct (optional)",
        "Standard 3.5.II: the organisational, professional and value based expectations. "
        + DATE_HINT,
    )
    clinical_credibility = _text(
        "Clinical credibility", "Standard 3.5.III: their clinical experience and relevant "
        "professional qualifications, for example RMN, 12 years on acute wards",
    )
    teaching_qualification = _text(
        "Teaching skills", "Standard 3.5.IV: formal teaching qualifications or the "
        "organisation's educational programme they completed",
    )
    stopped_teaching_on = _date("No longer teaches from (optional)",
                                "The portfolio stays. " + DATE_HINT)

    def __init__(self, *args: Any, organisation: Organisation, today: dt.date,
                 trainer: Trainer | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.trainer = trainer
        if trainer is not None:
            for name in ("staff_id", "provider_id"):
                del self.fields[name]
            if trainer.is_internal:
                del self.fields["name"]
                del self.fields["role"]
            else:
                self.fields["name"].label = "Name"
                self.fields["name"].required = True
                self.fields["role"].label = "Role (optional)"
            return
        del self.fields["stopped_teaching_on"]
        taken = set(Trainer.objects.for_organisation(organisation)
                    .filter(staff__isnull=False).values_list("staff_id", flat=True))
        people = [m for m in StaffMember.objects.for_organisation(organisation)
                  .order_by("name") if m.pk not in taken and m.works_on(today)]
        self.fields["staff_id"].choices = [  # type: ignore[attr-defined]
            ("", "Choose a person"), *[(m.pk, m.description) for m in people],
        ]
        providers = [p for p in TrainingProvider.objects.for_organisation(organisation)
                     .order_by("name") if p.is_used_on(today)]
        self.fields["provider_id"].choices = [  # type: ignore[attr-defined]
            ("", "None: an internal trainer"), *[(p.pk, p.name) for p in providers],
        ]
        _messages(self, {"name": "Enter the trainer's name"})

    def to_input(self) -> TrainerInput:
        values = self.cleaned_data
        trainer = self.trainer
        return TrainerInput(
            staff_id=values.get("staff_id") if trainer is None else trainer.staff_id,
            provider_id=values.get("provider_id") if trainer is None else trainer.provider_id,
            name=values.get("name") or "", role=values.get("role") or "",
            teaching_since=values.get("teaching_since"),
            stopped_teaching_on=values.get("stopped_teaching_on"),
            code_of_conduct_accepted_on=values.get("code_of_conduct_accepted_on"),
            clinical_credibility=values.get("clinical_credibility", ""),
            teaching_qualification=values.get("teaching_qualification", ""),
        )


class PortfolioEntryForm(forms.Form):
    kind = forms.ChoiceField(label="What it shows", choices=EntryKind.choices,
                             widget=forms.RadioSelect)
    dated_on = _date("Date", required=True)
    title = forms.CharField(label="Title", max_length=limits.NAME,
                            help_text="For example, RRN trainer annual update 2026")
    evidence = _text("Evidence", "The certificate, what the course or reading covered, or the "
                     "reflection on what it changes in their teaching", rows=5, required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _messages(self, {"kind": "Choose what the entry shows", "title": "Enter a title for "
                         "the entry", "evidence": "Describe the evidence"})

    def to_input(self) -> PortfolioEntryInput:
        values = self.cleaned_data
        return PortfolioEntryInput(kind=values["kind"], dated_on=values["dated_on"],
                                   title=values["title"], evidence=values["evidence"])


class ReviewForm(forms.Form):
    reviewed_on = _date("Date of the review", required=True)
    reviewer_name = forms.CharField(label="Reviewed by", max_length=limits.NAME,
                                    help_text="Name and role")
    outcome = forms.ChoiceField(label="Outcome", choices=ReviewOutcome.choices,
                                widget=forms.RadioSelect)
    actions = _text("Actions agreed (if any)", "Needed when actions are agreed or they are "
                    "not to teach: what, and by when")
    not_to_teach_until = _date("Not to teach until (if they are not to teach)")
    notes = _text("Notes (optional)")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _messages(self, {"reviewer_name": "Enter who reviewed the portfolio",
                         "outcome": "Choose the outcome of the review"})

    def to_input(self) -> ReviewInput:
        values = self.cleaned_data
        return ReviewInput(
            reviewed_on=values["reviewed_on"], reviewer_name=values["reviewer_name"],
            outcome=values["outcome"], actions=values.get("actions", ""),
            not_to_teach_until=values.get("not_to_teach_until"),
            notes=values.get("notes", ""),
        )


class CompetencyCheckForm(forms.Form):
    observed_on = _date("Date observed", required=True)
    observed_teaching = forms.CharField(label="Teaching observed", max_length=limits.NAME,
                                        help_text="The course or session, for example "
                                                  "RRN-PHYS on 3 March")
    observer_name = forms.CharField(label="Observed by", max_length=limits.NAME,
                                    help_text="Name and role")
    outcome = forms.ChoiceField(label="Outcome", choices=MonitoringOutcome.choices,
                                widget=forms.RadioSelect)
    actions = _text("Actions agreed (if any)", "Needed unless they met the standard")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _messages(self, {"observed_teaching": "Enter the course or session observed",
                         "observer_name": "Enter who observed the teaching",
                         "outcome": "Choose the outcome of the observation"})

    def to_input(self) -> CompetencyCheckInput:
        values = self.cleaned_data
        return CompetencyCheckInput(
            observed_on=values["observed_on"], observed_teaching=values["observed_teaching"],
            observer_name=values["observer_name"], outcome=values["outcome"],
            actions=values.get("actions", ""),
        )


class ProviderForm(forms.Form):
    name = forms.CharField(label="Name", max_length=limits.NAME)
    certifying_body = forms.CharField(
        label="RRN certifying body (optional)", required=False, max_length=limits.NAME,
        help_text="The UKAS-accredited body that certified the provider against the RRN "
                  "Training Standards, like BILD ACT",
    )
    certificate_number = forms.CharField(label="Certificate number (optional)", required=False,
                                         max_length=60)
    certificate_valid_until = _date("Certificate valid until (optional)")
    affiliate_registered_on = _date(
        "Date the provider registered this organisation as an affiliate (optional)")
    affiliate_reference = forms.CharField(label="Affiliate reference (optional)",
                                          required=False, max_length=60)
    indemnity_clarified_on = _date("Date indemnity insurance was clarified (optional)",
                                   "Standard 3.5.XI. " + DATE_HINT)
    indemnity_valid_until = _date("Indemnity insurance valid until (optional)")
    indemnity_evidence = _text("Evidence of indemnity insurance",
                               "The insurer, the policy and what it covers, for example "
                               "liability for injuries during training")
    trainer_evidence = _text(
        "Evidence of their trainers' experience, qualifications and clinical credibility",
        "Standard 3.5.X", rows=4,
    )
    competency_framework = _text(
        "Competency assessment framework for trainers",
        "Standard 3.5.XII: how the provider assesses and monitors its trainers", rows=4,
    )
    ended_on = _date("No longer commissioned from (optional)")

    def __init__(self, *args: Any, adding: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if adding:
            del self.fields["ended_on"]
        _messages(self, {"name": "Enter the provider's name"})

    def to_input(self) -> ProviderInput:
        values = self.cleaned_data
        return ProviderInput(
            name=values["name"], certifying_body=values.get("certifying_body") or "",
            certificate_number=values.get("certificate_number") or "",
            certificate_valid_until=values.get("certificate_valid_until"),
            affiliate_registered_on=values.get("affiliate_registered_on"),
            affiliate_reference=values.get("affiliate_reference") or "",
            indemnity_clarified_on=values.get("indemnity_clarified_on"),
            indemnity_valid_until=values.get("indemnity_valid_until"),
            indemnity_evidence=values.get("indemnity_evidence") or "",
            trainer_evidence=values.get("trainer_evidence") or "",
            competency_framework=values.get("competency_framework") or "",
            ended_on=values.get("ended_on"),
        )


class EnteredInErrorForm(forms.Form):
    reason = _text("Why was this entered in error?", rows=3, required=True,
                   max_length=limits.NOTE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _messages(self, {"reason": "Say why this was entered in error"})
