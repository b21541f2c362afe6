"""Forms for compliance pages. They only read what was typed; the rules live in rules.py and
services.py, whose ValidationErrors are put back on the form field by field."""

from __future__ import annotations

from typing import Any

from django import forms

from rrp.core.forms import NhsDateField
from rrp.organisations.models import Site, Ward
from rrp.standards.models import (
    ActionStatus,
    AssessmentCycle,
    Rating,
    RecordKind,
    StandardsEdition,
    Verdict,
)
from rrp.standards.selectors import display_name, owners_of, peer_reviewer_candidates
from rrp.standards.services import max_upload_bytes


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return display_name(obj)


def _owner_field(
    organisation: Any, label: str, required: bool, help_text: str = ""
) -> PersonChoiceField:
    return PersonChoiceField(
        queryset=owners_of(organisation),
        required=required,
        label=label,
        empty_label="Choose a person" if required else "Nobody yet",
        help_text=help_text,
        error_messages={
            "required": f"Choose the {label.lower()}",
            "invalid_choice": f"Choose the {label.lower()} from the list",
        },
    )


class CycleForm(forms.Form):
    name = forms.CharField(
        label="Name of the cycle",
        max_length=120,
        help_text="For example, 2026/27 annual",
        error_messages={"required": "Enter a name for the cycle, like 2026/27 annual"},
    )
    period_start = NhsDateField(
        label="Start of the period assessed", help_text="For example, 1 4 2026"
    )
    period_end = NhsDateField(
        label="End of the period assessed", help_text="For example, 31 3 2027"
    )
    scope_sites = forms.ModelMultipleChoiceField(
        queryset=Site.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Sites section 2 is assessed for",
        help_text="Section 2 (care planning) can be assessed for some sites or wards only. "
        "Leave these empty to assess the whole organisation.",
    )
    scope_wards = forms.ModelMultipleChoiceField(
        queryset=Ward.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Wards section 2 is assessed for",
    )

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scope_sites"].queryset = Site.objects.filter(organisation=organisation)  # type: ignore[attr-defined]
        self.fields["scope_wards"].queryset = Ward.objects.filter(organisation=organisation)  # type: ignore[attr-defined]
        # Nothing to choose from: no empty question on the page.
        for name, model in (("scope_sites", Site), ("scope_wards", Ward)):
            if not model.objects.filter(organisation=organisation).exists():
                del self.fields[name]


class CycleCreateForm(CycleForm):
    copy_from = forms.ModelChoiceField(
        queryset=AssessmentCycle.objects.none(),
        required=False,
        widget=forms.RadioSelect,
        label="Start from an earlier cycle?",
        help_text="Copying carries each statement's rating, narrative, owner and evidence "
        "forward for you to review. Signed-off cycles are never changed.",
    )
    edition = forms.ModelChoiceField(
        queryset=StandardsEdition.objects.all(),
        required=True,
        label="Edition of the standard",
        empty_label=None,
        error_messages={"required": "Choose the edition of the standard"},
    )

    field_order = [
        "name",
        "period_start",
        "period_end",
        "edition",
        "copy_from",
        "scope_sites",
        "scope_wards",
    ]

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, organisation=organisation, **kwargs)
        copy = self.fields["copy_from"]
        copy.queryset = AssessmentCycle.objects.filter(organisation=organisation)  # type: ignore[attr-defined]
        copy.empty_label = "No, start with every statement unrated"  # type: ignore[attr-defined]
        copy.label_from_instance = lambda c: (  # type: ignore[attr-defined]
            f"Yes, copy {c.name} ({c.get_status_display().lower()})"
        )
        if StandardsEdition.objects.count() <= 1:
            # One edition loaded: nothing to choose, the service takes the latest.
            del self.fields["edition"]


class AssessmentForm(forms.Form):
    rating = forms.ChoiceField(
        choices=Rating.choices,
        widget=forms.RadioSelect,
        label="Rating",
        error_messages={"required": "Choose met, partially met, not met or not applicable"},
    )
    narrative = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        label="Narrative",
        help_text="What is in place, how you know, and what is missing",
    )
    na_rationale = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        label="Why does this statement not apply?",
    )
    na_arrangements = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        label="What safe practice arrangements are in place instead?",
    )

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"] = _owner_field(
            organisation,
            "Owner",
            required=False,
            help_text="Who keeps this statement's assessment up to date",
        )


class EvidenceFieldsForm(forms.Form):
    title = forms.CharField(
        max_length=200, label="Title", error_messages={"required": "Enter a title for the evidence"}
    )
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Description (optional)"
    )
    review_on = NhsDateField(
        label="Review or expiry date (optional)",
        required=False,
        help_text="When the evidence should be checked again, for example 31 3 2027",
    )

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"] = _owner_field(organisation, "Owner", required=False)


class EvidenceUploadForm(EvidenceFieldsForm):
    upload = forms.FileField(
        label="File",
        error_messages={
            "required": "Select a file to upload",
            "empty": "The selected file is empty",
        },
    )
    field_order = ["upload", "title", "description", "owner", "review_on"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["upload"].help_text = (
            "PDF, PNG, JPEG, Word (.docx), Excel (.xlsx), OpenDocument (.odt, .ods), CSV or "
            f"plain text, smaller than {max_upload_bytes() // (1024 * 1024)} MB"
        )


class EvidenceLinkForm(EvidenceFieldsForm):
    url = forms.CharField(
        label="Web address",
        max_length=1000,
        help_text="For example, https://www.example.nhs.uk/our-policies",
        error_messages={"required": "Enter the web address"},
    )
    field_order = ["url", "title", "description", "owner", "review_on"]


class EvidenceRecordForm(EvidenceFieldsForm):
    record_kind = forms.ChoiceField(
        choices=[("", "Choose a kind of record"), *RecordKind.choices],
        label="Kind of record",
        error_messages={"required": "Choose what kind of record it is"},
    )
    record_path = forms.CharField(
        label="Address of the record in RRP",
        max_length=500,
        help_text="The part of the address after the server name, for example /dashboards/",
        error_messages={"required": "Enter the address of the record in RRP"},
    )
    field_order = ["record_kind", "record_path", "title", "description", "owner", "review_on"]


class EvidenceEditForm(EvidenceFieldsForm):
    pass


class EvidenceChooseForm(forms.Form):
    def __init__(self, *args: Any, evidence: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evidence"] = forms.ModelChoiceField(
            queryset=evidence,
            widget=forms.RadioSelect,
            label="Evidence",
            error_messages={"required": "Choose the evidence to add"},
        )
        self.fields["evidence"].label_from_instance = (  # type: ignore[attr-defined]
            lambda e: f"{e.reference}: {e.title} ({e.get_kind_display().lower()})"
        )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Reason",
        error_messages={"required": "Enter the reason"},
    )

    def __init__(
        self, *args: Any, label: str = "Reason", required: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].required = required
        self.fields["reason"].error_messages["required"] = (
            f"Enter {label[0].lower() + label[1:]}".rstrip("?")
        )


class ActionForm(forms.Form):
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label="What will be done",
        error_messages={"required": "Describe the action to be taken"},
    )
    due_on = NhsDateField(label="Due date", help_text="For example, 30 9 2026")

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"] = _owner_field(organisation, "Owner", required=True)
        self.order_fields(["description", "owner", "due_on"])


class ProgressForm(forms.Form):
    status = forms.ChoiceField(
        choices=ActionStatus.choices,
        widget=forms.RadioSelect,
        label="Status",
        error_messages={"required": "Choose the status of the action"},
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Progress",
        help_text="What has been done since the last update",
        error_messages={"required": "Describe the progress made"},
    )


class SignOffForm(forms.Form):
    statement = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        label="Sign-off statement for the board",
        help_text="Your assurance as executive lead, as it will appear in the board summary",
        error_messages={"required": "Enter the sign-off statement for the board"},
    )


class InviteForm(forms.Form):
    message = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        label="Message to the reviewer (optional)",
    )
    respond_by = NhsDateField(
        label="Respond by (optional)", required=False, help_text="For example, 31 5 2026"
    )

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        candidates = peer_reviewer_candidates(organisation)
        self.people = {str(user.pk): user for user, _org in candidates}
        self.fields["reviewer"] = forms.ChoiceField(
            choices=[("", "Choose a reviewer")]
            + [(str(user.pk), f"{display_name(user)}, {org.name}") for user, org in candidates],
            label="Reviewer",
            help_text="Someone from another organisation using this RRP",
            error_messages={
                "required": "Choose who will review the assessment",
                "invalid_choice": "Choose a reviewer from the list",
            },
        )
        self.order_fields(["reviewer", "message", "respond_by"])

    def clean_reviewer(self) -> Any:
        return self.people.get(self.cleaned_data["reviewer"])


class ResponseForm(forms.Form):
    verdict = forms.ChoiceField(
        choices=[
            (Verdict.AGREE, "I agree with this assessment"),
            (Verdict.CHALLENGE, "I challenge this assessment"),
        ],
        widget=forms.RadioSelect,
        label="Your view",
        error_messages={"required": "Choose whether you agree with the assessment or challenge it"},
    )
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        label="Comments",
        help_text="Required when you challenge",
    )


class ConclusionForm(forms.Form):
    conclusion = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        label="Overall conclusion",
        error_messages={"required": "Enter your overall conclusion"},
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Your answer",
        error_messages={"required": "Enter your answer to the challenge"},
    )


class ImportForm(forms.Form):
    upload = forms.FileField(
        label="Spreadsheet",
        help_text="A CSV or Excel (.xlsx) file with a Statement column and a Rating column, "
        "like the one you can download from the cycle",
        error_messages={
            "required": "Select a CSV or Excel file",
            "empty": "The selected file is empty",
        },
    )
