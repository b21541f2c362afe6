"""Every write to patients and admissions, validated and audited in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from rrp.audit.models import AuditAction
from rrp.audit.services import Actor, audit_changed, audit_created, audit_record, snapshot
from rrp.organisations.bed_days import Stay, months_between, occupied_bed_days
from rrp.organisations.models import BedDaysSource, OccupiedBedDays, Organisation, Ward
from rrp.patients.models import Admission, Patient
from rrp.patients.nhs_number import nhs_number_problem, normalise_nhs_number

# Fields a patient record may be created or changed with (names are the API contract).
PATIENT_FIELDS = (
    "local_id", "nhs_number", "given_name", "family_name", "date_of_birth", "sex",
    "gender_same_as_birth", "sexual_orientation", "religion", "ethnic_category", "disability",
    "pregnancy", "marital_status", "mental_disorder", "learning_disability_autism",
    "legal_status",
)


def _apply(patient: Patient, values: Mapping[str, Any]) -> None:
    unknown = set(values) - set(PATIENT_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This is not a patient field"))
    for name, value in values.items():
        if name == "nhs_number":
            value = normalise_nhs_number(value or "")
        if value is None:
            continue
        setattr(patient, name, value)
    problems: dict[str, list[str]] = {}
    if patient.nhs_number:
        problem = nhs_number_problem(patient.nhs_number)
        if problem:
            problems["nhs_number"] = [problem]
    if isinstance(patient.date_of_birth, dt.date) and patient.date_of_birth > timezone.localdate():
        problems["date_of_birth"] = ["Date of birth must be in the past"]
    try:
        patient.full_clean(exclude=["organisation"])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            problems.setdefault(field, []).extend(messages)
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def patient_create(*, actor: Actor, organisation: Organisation, **values: Any) -> Patient:
    patient = Patient(organisation=organisation)
    _apply(patient, values)
    if Patient.objects.filter(organisation=organisation, local_id=patient.local_id).exists():
        raise ValidationError({"local_id": "A patient with this local identifier already exists"})
    patient.save()
    audit_created(
        actor=actor,
        organisation=organisation,
        obj=patient,
        summary=f"Patient {patient.local_id} added",
    )
    return patient


@transaction.atomic
def patient_update(*, actor: Actor, patient: Patient, **values: Any) -> Patient:
    before = snapshot(patient)
    _apply(patient, values)
    clash = Patient.objects.filter(organisation=patient.organisation, local_id=patient.local_id)
    if clash.exclude(pk=patient.pk).exists():
        raise ValidationError({"local_id": "A patient with this local identifier already exists"})
    patient.save()
    audit_changed(
        actor=actor,
        organisation=patient.organisation,
        obj=patient,
        summary=f"Patient {patient.local_id} changed",
        before=before,
    )
    return patient


@transaction.atomic
def admission_create(
    *,
    actor: Actor,
    patient: Patient,
    ward: Ward,
    admitted_on: dt.date,
    discharged_on: dt.date | None = None,
    spell_id: str = "",
) -> Admission:
    if ward.organisation_id != patient.organisation_id:
        raise ValidationError({"ward": "That ward belongs to another organisation"})
    if discharged_on is not None and discharged_on < admitted_on:
        raise ValidationError({"discharged_on": "Discharge must be on or after admission"})
    admission = Admission(
        organisation_id=patient.organisation_id,
        patient=patient,
        ward=ward,
        admitted_on=admitted_on,
        discharged_on=discharged_on,
        spell_id=spell_id,
    )
    admission.save()
    audit_created(
        actor=actor,
        organisation=patient.organisation,
        obj=admission,
        summary=f"{patient.local_id} admitted to {ward.code}",
    )
    return admission


@transaction.atomic
def admission_discharge(*, actor: Actor, admission: Admission, discharged_on: dt.date) -> Admission:
    if discharged_on < admission.admitted_on:
        raise ValidationError({"discharged_on": "Discharge must be on or after admission"})
    before = snapshot(admission)
    admission.discharged_on = discharged_on
    admission.save()
    audit_changed(
        actor=actor,
        organisation=admission.patient.organisation,
        obj=admission,
        summary=f"{admission.patient.local_id} discharged from {admission.ward.code}",
        before=before,
    )
    return admission


@transaction.atomic
def bed_days_compute_from_admissions(
    *,
    actor: Actor,
    organisation: Organisation,
    first_month: dt.date,
    last_month: dt.date,
    today: dt.date | None = None,
) -> int:
    """Fill occupied bed days from the ward stays RRP holds. Entered or imported figures win:
    a provider's own bed management figure is the better denominator when it has one."""
    stays = [
        Stay(a.ward_id, a.admitted_on, a.discharged_on)
        for a in Admission.objects.for_organisation(organisation).filter(
            entered_in_error_reason=""
        )
    ]
    totals = occupied_bed_days(stays, first_month, last_month, until=today or timezone.localdate())
    kept = {
        (row.ward_id, row.month)
        for row in OccupiedBedDays.objects.filter(organisation=organisation).exclude(
            source=BedDaysSource.COMPUTED
        )
    }
    written = 0
    for ward in Ward.objects.filter(organisation=organisation):
        for month in months_between(first_month, last_month):
            if (ward.pk, month) in kept:
                continue
            OccupiedBedDays.objects.update_or_create(
                ward=ward,
                month=month,
                defaults={
                    "organisation": organisation,
                    "bed_days": totals.get((ward.pk, month), 0),
                    "source": BedDaysSource.COMPUTED,
                },
            )
            written += 1
    audit_record(
        actor=actor,
        action=AuditAction.IMPORT,
        organisation=organisation,
        object_type="organisations.occupiedbeddays",
        summary=f"{written} ward-months of bed days computed from admissions",
    )
    return written
