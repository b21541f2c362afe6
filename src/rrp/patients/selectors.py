from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

from rrp.patients.models import Admission, Patient


def patients_of(organisation: Any, *, search: str = "") -> QuerySet[Patient]:
    patients = Patient.objects.for_organisation(organisation)
    if search:
        term = search.strip()
        patients = patients.filter(
            Q(local_id__icontains=term)
            | Q(nhs_number=term.replace(" ", ""))
            | Q(family_name__icontains=term)
            | Q(given_name__icontains=term)
        )
    return patients


def current_admission(patient: Patient, on: dt.date) -> Admission | None:
    return (
        Admission.objects.filter(patient=patient, admitted_on__lte=on, entered_in_error_reason="")
        .filter(Q(discharged_on__isnull=True) | Q(discharged_on__gt=on))
        .select_related("ward")
        .order_by("-admitted_on")
        .first()
    )
