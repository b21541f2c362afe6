from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from rrp.audit.services import audit_list_view, audit_view
from rrp.careplans.selectors import patient_page_context
from rrp.core.forms import apply_service_errors, error_summary
from rrp.core.permissions import actor_from, require_permission
from rrp.core.scoping import get_in_organisation
from rrp.patients import services
from rrp.patients.forms import AdmissionForm, PatientForm
from rrp.patients.models import Patient
from rrp.patients.selectors import current_admission, patients_of
from rrp.patients.services import PATIENT_FIELDS


@require_permission("patients.view_patient")
def patient_list(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation  # type: ignore[attr-defined]
    search = request.GET.get("q", "")
    page = Paginator(patients_of(organisation, search=search), 50).get_page(request.GET.get("page"))
    # Names and NHS numbers on a page, or the answer to a search: audited like a record view.
    audit_list_view(actor=actor_from(request), organisation=organisation,
                    object_type="patients.patient",
                    summary="Patient search" if search else "Patient list viewed",
                    query={"q": search, "page": page.number}, ids=[p.pk for p in page])
    return render(request, "patients/patient_list.html", {"page": page, "search": search})


@require_permission("patients.view_patient")
def patient_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = request.organisation  # type: ignore[attr-defined]
    patient = get_in_organisation(Patient.objects.all(), organisation, pk=pk)
    audit_view(actor=actor_from(request), organisation=organisation, obj=patient,
               summary=f"Patient page {patient.local_id} viewed")
    today = timezone.localdate()
    return render(
        request,
        "patients/patient_detail.html",
        {
            "patient": patient,
            "age": patient.age_on(today),
            "current": current_admission(patient, today),
            "admissions": patient.admissions.select_related("ward"),
            **patient_page_context(patient, today),  # safety plan, risk assessment, health
        },
    )


@require_http_methods(["GET", "POST"])
@require_permission("patients.change_patient")
def patient_add(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation  # type: ignore[attr-defined]
    form = PatientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            patient = services.patient_create(
                actor=actor_from(request), organisation=organisation, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Patient {patient.local_id} added")
            return redirect("patients:detail", pk=patient.pk)
    return render(
        request,
        "patients/patient_form.html",
        {"form": form, "errors": error_summary(form), "heading": "Add a patient"},
    )


@require_http_methods(["GET", "POST"])
@require_permission("patients.change_patient")
def patient_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = request.organisation  # type: ignore[attr-defined]
    patient = get_in_organisation(Patient.objects.all(), organisation, pk=pk)
    initial = {name: getattr(patient, name) for name in PATIENT_FIELDS}
    form = PatientForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.patient_update(actor=actor_from(request), patient=patient, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Patient {patient.local_id} updated")
            return redirect("patients:detail", pk=patient.pk)
    else:
        audit_view(actor=actor_from(request), organisation=organisation, obj=patient,
                   summary=f"Patient {patient.local_id} opened for editing")
    return render(
        request,
        "patients/patient_form.html",
        {"form": form, "errors": error_summary(form), "heading": f"Change {patient.local_id}",
         "patient": patient},
    )


@require_http_methods(["GET", "POST"])
@require_permission("patients.change_patient")
def admission_add(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = request.organisation  # type: ignore[attr-defined]
    patient = get_in_organisation(Patient.objects.all(), organisation, pk=pk)
    form = AdmissionForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.admission_create(
                actor=actor_from(request), patient=patient, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Ward stay added for {patient.local_id}")
            return redirect("patients:detail", pk=patient.pk)
    return render(
        request,
        "patients/admission_form.html",
        {"form": form, "errors": error_summary(form), "patient": patient},
    )
