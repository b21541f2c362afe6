from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import AfterValidator

from rrp.api.pagination import AuditedPagination
from rrp.api.permissions import api_actor, require
from rrp.api.schemas import Body, Code, DateOfBirth, storable
from rrp.audit.services import audit_list_view, audit_view
from rrp.core import limits
from rrp.core.scoping import get_in_organisation
from rrp.patients import services
from rrp.patients.models import Patient
from rrp.patients.selectors import patients_of

router = Router(tags=["patients"])


# The patient record's own limits (rrp.patients.models): a local id of 32, names of 100.
LocalId = Annotated[str, Field(max_length=32), AfterValidator(storable)]
# Spaces and dashes are allowed ("943 476 5919"): the service reads the ten digits.
NhsNumber = Annotated[str, Field(max_length=limits.CODE), AfterValidator(storable)]
PersonName = Annotated[str, Field(max_length=100), AfterValidator(storable)]


class PatientIn(Body):
    local_id: LocalId
    nhs_number: NhsNumber | None = None
    given_name: PersonName = ""
    family_name: PersonName = ""
    date_of_birth: DateOfBirth
    sex: Code = "not_known"
    gender_same_as_birth: Code = "not_known"
    sexual_orientation: Code = "not_known"
    religion: Code = "not_known"
    ethnic_category: Code = "99"
    disability: Code = "not_known"
    pregnancy: Code = "not_known"
    marital_status: Code = "not_known"
    mental_disorder: Code = "not_known"
    learning_disability_autism: Code = "not_known"
    legal_status: Code = "99"


class PatientPatch(Body):
    """Only the fields sent change."""

    local_id: LocalId | None = None
    nhs_number: NhsNumber | None = None
    given_name: PersonName | None = None
    family_name: PersonName | None = None
    date_of_birth: DateOfBirth | None = None
    sex: Code | None = None
    gender_same_as_birth: Code | None = None
    sexual_orientation: Code | None = None
    religion: Code | None = None
    ethnic_category: Code | None = None
    disability: Code | None = None
    pregnancy: Code | None = None
    marital_status: Code | None = None
    mental_disorder: Code | None = None
    learning_disability_autism: Code | None = None
    legal_status: Code | None = None


class PatientOut(Schema):
    id: int
    local_id: str
    nhs_number: str | None
    given_name: str
    family_name: str
    date_of_birth: dt.date
    sex: str
    gender_same_as_birth: str
    sexual_orientation: str
    religion: str
    ethnic_category: str
    disability: str
    pregnancy: str
    marital_status: str
    mental_disorder: str
    learning_disability_autism: str
    legal_status: str
    demographics_complete: bool


class Created(Schema):
    id: int


def _out(patient: Patient) -> dict[str, Any]:
    data = {f: getattr(patient, f) for f in PatientOut.model_fields if hasattr(patient, f)}
    data["nhs_number"] = patient.nhs_number or None
    return data


def _audit_patients_shown(request: HttpRequest, shown: list[Any], query: dict[str, Any]) -> None:
    audit_list_view(actor=api_actor(request), organisation=request.organisation,  # type: ignore[attr-defined]
                    object_type="patients.patient", summary="Patients listed through the API",
                    query=query, ids=[p["id"] for p in shown])


@router.get("/patients", response=list[PatientOut])
@paginate(AuditedPagination, audit=_audit_patients_shown)
def patient_list(request: HttpRequest, q: str = "") -> Any:
    """Patients, a page at a time (at most 200); each page read is audited with its ids."""
    require(request, "patients.view_patient")
    return _Shown(patients_of(request.organisation, search=q))  # type: ignore[attr-defined]


class _Shown:
    """The patients query, giving each page as the API shows it (only that page is read)."""

    def __init__(self, patients: Any) -> None:
        self.patients = patients

    def __getitem__(self, page: slice) -> list[dict[str, Any]]:
        return [_out(p) for p in self.patients[page]]

    def __len__(self) -> int:
        return int(self.patients.count())


@router.post("/patients", response={201: Created})
def patient_create(request: HttpRequest, payload: PatientIn) -> Status[Created]:
    require(request, "patients.change_patient")
    patient = services.patient_create(
        actor=api_actor(request), organisation=request.organisation,  # type: ignore[attr-defined]
        **payload.model_dump(),
    )
    return Status(201, Created(id=patient.pk))


@router.get("/patients/{patient_id}", response=PatientOut)
def patient_detail(request: HttpRequest, patient_id: int) -> dict[str, Any]:
    require(request, "patients.view_patient")
    patient = get_in_organisation(Patient.objects.all(), request.organisation, pk=patient_id)  # type: ignore[attr-defined]
    audit_view(actor=api_actor(request), organisation=request.organisation, obj=patient,  # type: ignore[attr-defined]
               summary=f"Patient {patient.local_id} read through the API")
    return _out(patient)


@router.patch("/patients/{patient_id}", response=PatientOut)
def patient_update(request: HttpRequest, patient_id: int, payload: PatientPatch) -> dict[str, Any]:
    require(request, "patients.change_patient")
    patient = get_in_organisation(Patient.objects.all(), request.organisation, pk=patient_id)  # type: ignore[attr-defined]
    changes = payload.model_dump(exclude_unset=True)
    patient = services.patient_update(actor=api_actor(request), patient=patient, **changes)
    return _out(patient)
