"""People who receive services, their characteristics and their ward stays."""

from __future__ import annotations

import datetime as dt

from django.db import models

from rrp.core.scoping import OrganisationScopedQuerySet
from rrp.core.text import no_bidi_controls
from rrp.patients import characteristics as c
from rrp.patients.nhs_number import format_nhs_number


class Patient(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="patients"
    )
    local_id = models.CharField("local identifier", max_length=32, validators=[no_bidi_controls])
    nhs_number = models.CharField("NHS number", max_length=10, blank=True, default="")
    given_name = models.CharField(max_length=100, blank=True, validators=[no_bidi_controls])
    family_name = models.CharField(max_length=100, blank=True, validators=[no_bidi_controls])
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=24, choices=c.Sex.choices, default=c.NOT_KNOWN)
    gender_same_as_birth = models.CharField(
        "gender identity same as sex registered at birth",
        max_length=24,
        choices=c.GenderSameAsBirth.choices,
        default=c.NOT_KNOWN,
    )
    sexual_orientation = models.CharField(
        max_length=24, choices=c.SexualOrientation.choices, default=c.NOT_KNOWN
    )
    religion = models.CharField(max_length=24, choices=c.Religion.choices, default=c.NOT_KNOWN)
    ethnic_category = models.CharField(
        max_length=2, choices=c.EthnicCategory.choices, default=c.EthnicCategory.NOT_KNOWN
    )
    disability = models.CharField(
        "disability (Equality Act)", max_length=24, choices=c.YesNoUnknown.choices,
        default=c.NOT_KNOWN,
    )
    pregnancy = models.CharField(
        "pregnancy and maternity", max_length=24, choices=c.Pregnancy.choices, default=c.NOT_KNOWN
    )
    marital_status = models.CharField(
        "marriage or civil partnership", max_length=24, choices=c.MaritalStatus.choices,
        default=c.NOT_KNOWN,
    )
    mental_disorder = models.CharField(
        max_length=16, choices=c.MentalDisorder.choices, default=c.NOT_KNOWN
    )
    learning_disability_autism = models.CharField(
        "learning disability or autism", max_length=24,
        choices=c.LearningDisabilityAutism.choices, default=c.NOT_KNOWN,
    )
    legal_status = models.CharField(
        "Mental Health Act legal status", max_length=2, choices=c.LegalStatus.choices,
        default=c.LegalStatus.NOT_KNOWN,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    entered_in_error_reason = models.TextField(blank=True)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["local_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "local_id"], name="patient_local_id_unique_in_org"
            )
        ]

    def __str__(self) -> str:
        return self.local_id

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.given_name, self.family_name) if p)

    @property
    def nhs_number_display(self) -> str:
        return format_nhs_number(self.nhs_number) if self.nhs_number else "Not recorded"

    def age_on(self, day: dt.date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def demographics_complete(self) -> bool:
        """Every characteristic answered (an answer of "prefers not to say" counts;
        standard 1.5.III)."""
        fields = (
            self.sex, self.gender_same_as_birth, self.sexual_orientation, self.religion,
            self.disability, self.pregnancy, self.mental_disorder, self.learning_disability_autism,
        )
        return (
            all(value != c.NOT_KNOWN for value in fields)
            and self.ethnic_category != c.EthnicCategory.NOT_KNOWN
            and self.legal_status != c.LegalStatus.NOT_KNOWN
        )


class Admission(models.Model):
    """A stay on one ward (a hospital provider spell, or the part of one spent on this ward)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="admissions")
    ward = models.ForeignKey(
        "organisations.Ward", on_delete=models.PROTECT, related_name="admissions"
    )
    admitted_on = models.DateField()
    discharged_on = models.DateField(null=True, blank=True)
    spell_id = models.CharField("hospital provider spell id", max_length=32, blank=True)
    entered_in_error_reason = models.TextField(blank=True)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-admitted_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(discharged_on__isnull=True)
                | models.Q(discharged_on__gte=models.F("admitted_on")),
                name="admission_discharge_after_admit",
            )
        ]
        indexes = [models.Index(fields=["ward", "admitted_on", "discharged_on"])]

    def __str__(self) -> str:
        return f"{self.patient} on {self.ward} from {self.admitted_on}"

    def is_current_on(self, day: dt.date) -> bool:
        return self.admitted_on <= day and (self.discharged_on is None or self.discharged_on > day)
