"""Forms for the training manual's techniques (standard 3.4.2.XXIV-XXXI) and a session's
injuries and incidents, course report and evaluation (3.4.2.XXXVII-XL). Each hands a plain
input to rrp.workforce.course_content, which checks the rest."""

from __future__ import annotations

from typing import Any

from django import forms

from rrp.core import limits
from rrp.core.forms import NhsDateField
from rrp.workforce.forms import DATE_HINT, _text
from rrp.workforce.inputs import (
    CourseReportInput,
    EvaluationInput,
    TechniqueInput,
    TechniqueResultInput,
    TrainingEventInput,
)
from rrp.workforce.models import (
    RATINGS,
    TechniqueOutcome,
    TrainingEventKind,
    TrainingEventSeverity,
    TrainingSession,
)
from rrp.workforce.technique_results import field_name

TRAINER = "trainer"  # the "who" choice for the session's trainer


class TechniqueForm(forms.Form):
    name = forms.CharField(label="Name of the technique", max_length=limits.NAME,
                           help_text="As the training manual names it, for example 'Two-person "
                                     "standing hold'")
    description = _text("Description", "What is taught (standard 3.4.2.XXIV)", rows=4)
    training_risks = _text("Risks in training", "Standard 3.4.2.XXVI", rows=3)
    physical_risks = _text("Physical risks in practice", "Standard 3.4.2.XXXI: for the "
                           "person held and for staff", rows=3)
    psychological_risks = _text("Psychological risks in practice", "Standard 3.4.2.XXXI: "
                                "including trauma and re-traumatisation", rows=3)
    mitigations = _text("How the risks are reduced in clinical practice", "Standard 3.4.2.XXX",
                        rows=3)
    assessed_by = forms.CharField(label="Risks assessed by", max_length=limits.NAME,
                                  help_text="Standard 3.4.2.XXVI: an appropriately qualified "
                                            "professional")
    assessor_qualification = forms.CharField(
        label="Their qualification", max_length=limits.NAME,
        help_text="For example, consultant psychiatrist, GMC registered",
    )
    assessed_on = NhsDateField(label="Date of the risk assessment", help_text=DATE_HINT)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("description", "training_risks", "physical_risks", "psychological_risks",
                     "mitigations"):
            self.fields[name].required = True
        for name, message in {
            "name": "Enter the name of the technique",
            "description": "Describe the technique",
            "training_risks": "Write the risks in training",
            "physical_risks": "Write the physical risks in practice",
            "psychological_risks": "Write the psychological risks in practice",
            "mitigations": "Write how the risks are reduced in clinical practice",
            "assessed_by": "Enter who assessed the risks",
            "assessor_qualification": "Enter their qualification",
            "assessed_on": "Enter the date the risks were assessed",
        }.items():
            self.fields[name].error_messages["required"] = message

    def to_input(self) -> TechniqueInput:
        values = self.cleaned_data
        return TechniqueInput(**{name: values[name] for name in self.fields})


class ReasonForm(forms.Form):
    reason = _text("Why is it no longer taught?", rows=3, required=True, max_length=limits.NOTE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = "Say why it is no longer taught"


class TrainingEventForm(forms.Form):
    kind = forms.ChoiceField(label="What was it", choices=TrainingEventKind.choices,
                             widget=forms.RadioSelect)
    who = forms.ChoiceField(label="Who was involved")
    occurred_on = NhsDateField(label="Date it happened", help_text=DATE_HINT)
    what_happened = _text("What happened", rows=4, required=True)
    severity = forms.ChoiceField(label="Severity", choices=TrainingEventSeverity.choices,
                                 widget=forms.RadioSelect)
    incident_reference = forms.CharField(
        label="Reference in the trust's incident reporting system", max_length=60,
        required=False, help_text="Standard 3.4.2.XXXVII: reported through established "
                                  "systems. Needed for an injury.",
    )

    def __init__(self, *args: Any, session: TrainingSession, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        attendees = sorted({r.staff for r in session.records.select_related("staff")},
                           key=lambda m: m.name)
        self.fields["who"].choices = [  # type: ignore[attr-defined]
            ("", "Choose who"), (TRAINER, f"The trainer ({session.trainer_name})"),
            *[(str(m.pk), m.description) for m in attendees],
        ]
        for name, message in {
            "kind": "Choose injury, incident or near miss",
            "who": "Choose who was involved",
            "occurred_on": "Enter the date it happened",
            "what_happened": "Say what happened",
            "severity": "Choose how severe it was",
        }.items():
            self.fields[name].error_messages["required"] = message

    def to_input(self) -> TrainingEventInput:
        values = self.cleaned_data
        who = values["who"]
        return TrainingEventInput(
            kind=values["kind"], staff_id=None if who == TRAINER else int(who),
            occurred_on=values["occurred_on"], what_happened=values["what_happened"],
            severity=values["severity"],
            incident_reference=values.get("incident_reference", ""),
        )


class ReviewForm(forms.Form):
    review_note = _text("What the review found or what was done", rows=3, required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["review_note"].error_messages["required"] = "Write what the review found " \
                                                                "or what was done"


class CourseReportForm(forms.Form):
    content_delivered = _text("Content delivered", "Standard 3.4.2.XXXVIII: what was taught, "
                              "and anything left out", rows=5, required=True)
    issues_arising = _text("Issues arising (optional)", "For quality assurance: anything the "
                           "training provider or the lead should know", rows=4)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["content_delivered"].error_messages["required"] = "Outline the content " \
                                                                      "delivered"

    def to_input(self) -> CourseReportInput:
        values = self.cleaned_data
        return CourseReportInput(content_delivered=values["content_delivered"],
                                 issues_arising=values.get("issues_arising", ""))


RATING_LABELS = {1: "1 (strongly disagree)", 2: "2", 3: "3", 4: "4", 5: "5 (strongly agree)"}


class EvaluationForm(forms.Form):
    forms_returned = forms.IntegerField(label="Evaluation forms returned", min_value=0,
                                        max_value=40)
    rating_1 = forms.IntegerField(min_value=0, max_value=40, initial=0)
    rating_2 = forms.IntegerField(min_value=0, max_value=40, initial=0)
    rating_3 = forms.IntegerField(min_value=0, max_value=40, initial=0)
    rating_4 = forms.IntegerField(min_value=0, max_value=40, initial=0)
    rating_5 = forms.IntegerField(min_value=0, max_value=40, initial=0)
    themes = _text("Themes and comments (optional)", rows=4)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["forms_returned"].error_messages["required"] = "Enter how many forms came " \
                                                                   "back"
        for rating in RATINGS:
            field = self.fields[f"rating_{rating}"]
            field.label = f"Forms rating it {RATING_LABELS[rating]}"
            field.error_messages["required"] = "Enter how many gave this rating, or 0"

    def to_input(self) -> EvaluationInput:
        values = self.cleaned_data
        return EvaluationInput(
            forms_returned=values["forms_returned"], themes=values.get("themes", ""),
            **{f"rating_{r}": values[f"rating_{r}"] for r in RATINGS},
        )


class TechniqueResultsForm(forms.Form):
    """The session's competence matrix (3.4.2.XXXIX): a select per attendee and technique,
    named as the service names its problems (`result_<record>_<technique>`), each labelled
    with the person and the technique for screen readers."""

    def __init__(self, data: Any = None, *, records: list[Any], techniques: list[Any],
                 initial: dict[tuple[int, int], str]) -> None:
        super().__init__(data)
        self.cells: list[tuple[Any, list[tuple[Any, str]]]] = []
        for record in records:
            row = []
            for technique in techniques:
                name = field_name(record.pk, technique.pk)
                self.fields[name] = forms.ChoiceField(
                    label=f"{record.staff.name}: {technique.name}",
                    choices=TechniqueOutcome.choices,
                    initial=initial.get((record.pk, technique.pk)),
                    error_messages={"required": f"Choose {record.staff.name}'s result in "
                                                f"{technique.name}",
                                    "invalid_choice": "Choose competent, not yet competent, "
                                                      "excluded on health grounds or not "
                                                      "assessed"},
                )
                row.append((technique, name))
            self.cells.append((record, row))

    def to_inputs(self) -> list[TechniqueResultInput]:
        return [
            TechniqueResultInput(record_id=record.pk, technique_id=technique.pk,
                                 result=self.cleaned_data[name])
            for record, row in self.cells for technique, name in row
        ]
