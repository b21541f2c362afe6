from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from rrp.organisations.bed_days import parse_month
from rrp.organisations.models import Role, ServiceType, Site, Ward


class WardForm(forms.Form):
    code = forms.CharField(label="Ward code", max_length=16, help_text="A short code, like OAK")
    name = forms.CharField(label="Ward name", max_length=200)
    site = forms.ModelChoiceField(queryset=Site.objects.none(), required=False, label="Site")
    service_type = forms.ChoiceField(
        label="Service type", choices=ServiceType.choices, widget=forms.RadioSelect
    )
    beds = forms.IntegerField(label="Number of beds", min_value=1, max_value=500)

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.filter(organisation=organisation)  # type: ignore[attr-defined]
        self.fields["site"].empty_label = "No site"  # type: ignore[attr-defined]


class BedDaysForm(forms.Form):
    ward = forms.ModelChoiceField(queryset=Ward.objects.none(), label="Ward")
    # Longer than YYYY-MM, so "Feb 2026" gets the message saying how to write a month.
    month = forms.CharField(label="Month", help_text="For example, 2026-10", max_length=20)
    bed_days = forms.IntegerField(
        label="Occupied bed days",
        min_value=0,
        help_text="Nights a bed was occupied in the month, from the midnight bed census",
    )

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ward"].queryset = Ward.objects.filter(organisation=organisation)  # type: ignore[attr-defined]
        self.fields["ward"].empty_label = "Choose a ward"  # type: ignore[attr-defined]

    def clean_month(self) -> dt.date:
        try:
            return parse_month(self.cleaned_data["month"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None


# An import is whole or nothing (issue 11: a file cut at this size once stored "12" for
# "1234"): a larger file is refused, never read in part. Years of monthly figures for every
# ward of a large trust fit in a small fraction of it.
MAX_BED_DAYS_CSV_BYTES = 2_000_000


class BedDaysImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Columns ward, month, bed_days: for example OAK,2026-10,512. At most 2 MB.",
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BED_DAYS_CSV_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size:,} bytes; a bed days file can be at most "
                f"{MAX_BED_DAYS_CSV_BYTES:,} bytes (2 MB). Nothing was imported: split it "
                "into smaller files, for example one a year."
            )
        return upload


class MemberForm(forms.Form):
    username = forms.CharField(label="Username", max_length=150)
    full_name = forms.CharField(label="Full name", max_length=200)
    job_title = forms.CharField(label="Job title and grade", max_length=120, required=False)
    role = forms.ChoiceField(label="Role", choices=Role.choices, widget=forms.RadioSelect)
    home_ward = forms.ModelChoiceField(
        queryset=Ward.objects.none(), required=False, label="Usual ward (optional)"
    )

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["home_ward"].queryset = Ward.objects.filter(organisation=organisation)  # type: ignore[attr-defined]
        self.fields["home_ward"].empty_label = "No usual ward"  # type: ignore[attr-defined]
