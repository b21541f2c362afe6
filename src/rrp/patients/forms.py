from __future__ import annotations

from typing import Any

from django import forms

from rrp.core.forms import NhsDateField
from rrp.organisations.models import Ward
from rrp.patients import characteristics as c


def _choice(label: str, choices: Any, help_text: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=choices, help_text=help_text)


class PatientForm(forms.Form):
    local_id = forms.CharField(
        label="Local identifier", max_length=32, help_text="Your hospital number, like P1001"
    )
    nhs_number = forms.CharField(
        label="NHS number (optional)", max_length=12, required=False,
        help_text="10 digits, like 943 476 5919",
    )
    given_name = forms.CharField(label="First name", max_length=100, required=False)
    family_name = forms.CharField(label="Last name", max_length=100, required=False)
    date_of_birth = NhsDateField(label="Date of birth", help_text="For example, 15 3 1984")
    sex = _choice("Sex", c.Sex.choices)
    gender_same_as_birth = _choice(
        "Is their gender identity the same as the sex registered at birth?",
        c.GenderSameAsBirth.choices,
    )
    ethnic_category = _choice("Ethnic group", c.EthnicCategory.choices)
    religion = _choice("Religion or belief", c.Religion.choices)
    sexual_orientation = _choice("Sexual orientation", c.SexualOrientation.choices)
    disability = _choice("Disability (Equality Act 2010)", c.YesNoUnknown.choices)
    pregnancy = _choice("Pregnancy and maternity", c.Pregnancy.choices)
    marital_status = _choice("Marriage or civil partnership", c.MaritalStatus.choices)
    mental_disorder = _choice("Primary mental disorder", c.MentalDisorder.choices)
    learning_disability_autism = _choice(
        "Learning disability or autism", c.LearningDisabilityAutism.choices
    )
    legal_status = _choice("Mental Health Act legal status", c.LegalStatus.choices)


class AdmissionForm(forms.Form):
    ward = forms.ModelChoiceField(queryset=Ward.objects.none(), label="Ward")
    admitted_on = NhsDateField(label="Date admitted to the ward")
    discharged_on = NhsDateField(label="Date left the ward (optional)", required=False)
    spell_id = forms.CharField(label="Hospital spell identifier (optional)", required=False)

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ward"].queryset = Ward.objects.filter(organisation=organisation)  # type: ignore[attr-defined]
        self.fields["ward"].empty_label = "Choose a ward"  # type: ignore[attr-defined]
