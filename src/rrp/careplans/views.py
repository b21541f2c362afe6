"""Pages for a person's safety plan, risk assessments and physical health checks, and the
list of plans that need attention on the wards. Thin: each view loads within the current
organisation (another organisation's id is a 404), calls a service and renders."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from rrp.audit.services import audit_view
from rrp.careplans import codes, selectors, services
from rrp.careplans.due_rules import DUE_SOON_DAYS, review_state
from rrp.careplans.forms import (
    EnteredInErrorForm,
    HealthCheckForm,
    RiskAssessmentForm,
    SafetyPlanForm,
    default_review_on,
)
from rrp.careplans.inputs import SafetyPlanInput
from rrp.careplans.models import HealthCheck, RiskAssessment
from rrp.careplans.pdf import render_plan_pdf
from rrp.core.forms import apply_service_errors, error_summary
from rrp.core.permissions import actor_from, require_permission
from rrp.core.scoping import get_in_organisation
from rrp.incidents.models import Incident
from rrp.organisations.selectors import wards_of
from rrp.patients.models import Patient
from rrp.patients.selectors import current_admission


def _patient(request: HttpRequest, patient_id: int) -> Patient:
    return get_in_organisation(Patient.objects.all(), request.organisation, pk=patient_id)  # type: ignore[attr-defined]


def _number(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name) or request.POST.get(name) or ""
    return int(value) if value.isdigit() else None


def _incidents_of(patient: Patient) -> Any:
    """The uses of force a review can follow: this person's submitted ones of the last half year
    (a plan is reviewed within days of one, and the list stays short enough to read)."""
    return (
        Incident.objects.for_organisation(patient.organisation)
        .filter(
            patient=patient,
            entered_in_error_at__isnull=True,
            started_at__gte=timezone.now() - dt.timedelta(days=183),
        )
        .exclude(status="draft")
        .select_related("ward")
        .order_by("-started_at")
    )


def _plan_context(patient: Patient, version: Any, today: Any) -> dict[str, Any]:
    return {
        "patient": patient,
        "version": version,
        "state": review_state(version.review_on, today) if version else "missing",
    }


@require_GET
@require_permission("careplans.view_plan")
def safety_plan(request: HttpRequest, patient_id: int) -> HttpResponse:
    """The current plan (or the version asked for), readable at a glance and in full."""
    patient = _patient(request, patient_id)
    today = timezone.localdate()
    current = selectors.current_safety_plan(patient)
    number = _number(request, "version")
    version = selectors.safety_plan_version(patient, number) if number else current
    if number and version is None:
        raise Http404("No such version")
    audit_view(
        actor=actor_from(request),
        organisation=patient.organisation,
        obj=patient,
        summary=f"Safety plan of {patient.local_id} viewed"
        + (f" (version {version.number})" if version else ""),
    )
    return render(
        request,
        "careplans/plan.html",
        {
            **_plan_context(patient, version, today),
            "current": current,
            "admission": current_admission(patient, today),
            "open_reviews": selectors.open_care_plan_reviews(patient),
            "due_soon_days": DUE_SOON_DAYS,
        },
    )


@require_http_methods(["GET", "POST"])
@require_permission("careplans.write_plan")
def safety_plan_write(request: HttpRequest, patient_id: int) -> HttpResponse:
    """Write the first plan with the person, or review the current one (a new signed version)."""
    patient = _patient(request, patient_id)
    today = timezone.localdate()
    actor = actor_from(request)
    current = selectors.current_safety_plan(patient)
    open_reviews = selectors.open_care_plan_reviews(patient)
    late = any(d.due_at < timezone.now() for d in open_reviews)
    name, job_title = services.signer_of(actor, patient.organisation)
    initial: dict[str, Any] = {"review_on": default_review_on(today), "agreed_on": today}
    if current is not None:
        initial.update(SafetyPlanForm.initial_from(SafetyPlanInput.from_version(current)))
    if open_reviews:
        initial["occasion"] = codes.PlanOccasion.AFTER_INCIDENT
        initial["incident"] = open_reviews[0].incident_id
    form = SafetyPlanForm(
        request.POST or None,
        initial=initial,
        incidents=_incidents_of(patient),
        first_version=current is None,
        signer=", ".join(p for p in (name, job_title) if p),
        late_review=late or bool(request.POST.get("late_reason")),
    )
    if request.method == "POST" and form.is_valid():
        try:
            version = services.safety_plan_version_create(
                actor=actor,
                patient=patient,
                data=form.to_input(),
                late_reason=form.cleaned_data.get("late_reason", ""),
            )
        except ValidationError as error:
            form.apply_service_errors(error)
        else:
            messages.success(request, f"Safety plan version {version.number} signed")
            return redirect("careplans:plan", patient_id=patient.pk)
    elif request.method == "GET":
        audit_view(
            actor=actor,
            organisation=patient.organisation,
            obj=patient,
            summary=f"Safety plan of {patient.local_id} opened to write or review",
        )
    return render(
        request,
        "careplans/plan_form.html",
        {
            "patient": patient,
            "form": form,
            "errors": error_summary(form),
            "current": current,
            "open_reviews": open_reviews,
        },
    )


@require_GET
@require_permission("careplans.view_plan")
def safety_plan_versions(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = _patient(request, patient_id)
    audit_view(
        actor=actor_from(request),
        organisation=patient.organisation,
        obj=patient,
        summary=f"Safety plan versions of {patient.local_id} viewed",
    )
    current = selectors.current_safety_plan(patient)
    return render(
        request,
        "careplans/plan_versions.html",
        {
            "patient": patient,
            "versions": selectors.safety_plan_versions(patient),
            "current": current,
        },
    )


@require_GET
@require_permission("careplans.view_plan")
def safety_plan_print(request: HttpRequest, patient_id: int) -> HttpResponse:
    """A one-page PDF of the current plan (or a version) for the paper record."""
    patient = _patient(request, patient_id)
    today = timezone.localdate()
    number = _number(request, "version")
    version = (
        selectors.safety_plan_version(patient, number)
        if number
        else selectors.current_safety_plan(patient)
    )
    if version is None:
        raise Http404("No safety plan to print")
    actor = actor_from(request)
    services.safety_plan_printed(actor=actor, version=version)
    current = selectors.current_safety_plan(patient)
    body, _pages = render_plan_pdf(
        {
            **_plan_context(patient, version, today),
            "current": current,
            "printed_by": request.user.get_full_name() or request.user.get_username(),  # type: ignore[union-attr]
            "organisation": request.organisation,  # type: ignore[attr-defined]
            "admission": current_admission(patient, today),
            "age": patient.age_on(today),
        },
        printed_at=timezone.now(),
    )
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="safety-plan-{patient.local_id}-v{version.number}.pdf"'
    )
    return response


def _entered_in_error(
    request: HttpRequest, patient: Patient, record: Any, what: str, back: str, mark: Any
) -> HttpResponse:
    form = EnteredInErrorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            mark(form.cleaned_data["reason"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"{what[0].upper()}{what[1:]} marked as entered in error")
            return redirect(back)
    return render(
        request,
        "careplans/entered_in_error.html",
        {
            "patient": patient,
            "form": form,
            "errors": error_summary(form),
            "what": what,
            "back": back,
            "record": record,
        },
    )


@require_http_methods(["GET", "POST"])
@require_permission("careplans.write_plan")
def safety_plan_entered_in_error(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = _patient(request, patient_id)
    number = _number(request, "version")
    version = selectors.safety_plan_version(patient, number) if number else None
    if version is None or version.is_entered_in_error:
        raise Http404("No such version")
    actor = actor_from(request)
    return _entered_in_error(
        request,
        patient,
        version,
        f"safety plan version {version.number}",
        reverse("careplans:versions", kwargs={"patient_id": patient.pk}),
        lambda reason: services.safety_plan_version_mark_entered_in_error(
            actor=actor, version=version, reason=reason
        ),
    )


# ---------------------------------------------------------------------------------------------
# Risk assessments
# ---------------------------------------------------------------------------------------------


@require_GET
@require_permission("careplans.view_plan")
def risk_assessments(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = _patient(request, patient_id)
    today = timezone.localdate()
    audit_view(
        actor=actor_from(request),
        organisation=patient.organisation,
        obj=patient,
        summary=f"Risk assessments of {patient.local_id} viewed",
    )
    assessments = list(selectors.risk_assessments_of(patient))
    current = next((a for a in assessments if not a.is_entered_in_error), None)
    return render(
        request,
        "careplans/risk_assessments.html",
        {
            "patient": patient,
            "assessments": assessments,
            "current": current,
            "state": review_state(current.review_on, today) if current else "missing",
            "open_reviews": selectors.open_care_plan_reviews(patient),
        },
    )


@require_http_methods(["GET", "POST"])
@require_permission("careplans.write_plan")
def risk_assessment_add(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = _patient(request, patient_id)
    today = timezone.localdate()
    open_reviews = selectors.open_care_plan_reviews(patient)
    late = any(d.due_at < timezone.now() for d in open_reviews)
    initial: dict[str, Any] = {"assessed_on": today, "review_on": default_review_on(today)}
    if open_reviews:
        initial["occasion"] = codes.AssessmentOccasion.AFTER_INCIDENT
        initial["incident"] = open_reviews[0].incident_id
    form = RiskAssessmentForm(
        request.POST or None,
        initial=initial,
        incidents=_incidents_of(patient),
        late_review=late or bool(request.POST.get("late_reason")),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.risk_assessment_create(
                actor=actor_from(request),
                patient=patient,
                data=form.to_input(),
                late_reason=form.cleaned_data.get("late_reason", ""),
            )
        except ValidationError as error:
            apply_service_errors(form, _renamed(error, {"incident_id": "incident"}))
        else:
            messages.success(request, "Risk assessment recorded")
            return redirect("careplans:risk-assessments", patient_id=patient.pk)
    return render(
        request,
        "careplans/risk_assessment_form.html",
        {
            "patient": patient,
            "form": form,
            "errors": error_summary(form),
            "open_reviews": open_reviews,
        },
    )


def _renamed(error: ValidationError, names: dict[str, str]) -> ValidationError:
    return ValidationError(
        {names.get(k, k.split(".")[0]): v for k, v in error.message_dict.items()}
    )


@require_http_methods(["GET", "POST"])
@require_permission("careplans.write_plan")
def risk_assessment_entered_in_error(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = _patient(request, patient_id)
    number = _number(request, "id")
    assessment = (
        RiskAssessment.objects.filter(
            patient=patient,
            organisation=patient.organisation,
            pk=number,
            entered_in_error_at__isnull=True,
        ).first()
        if number
        else None
    )
    if assessment is None:
        raise Http404("No such assessment")
    actor = actor_from(request)
    return _entered_in_error(
        request,
        patient,
        assessment,
        f"the risk assessment of {assessment.assessed_on:%d/%m/%Y}",
        reverse("careplans:risk-assessments", kwargs={"patient_id": patient.pk}),
        lambda reason: services.risk_assessment_mark_entered_in_error(
            actor=actor, assessment=assessment, reason=reason
        ),
    )


# ---------------------------------------------------------------------------------------------
# Physical health checks
# ---------------------------------------------------------------------------------------------


@require_GET
@require_permission("careplans.view_plan")
def physical_health(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = _patient(request, patient_id)
    audit_view(
        actor=actor_from(request),
        organisation=patient.organisation,
        obj=patient,
        summary=f"Physical health checks of {patient.local_id} viewed",
    )
    return render(
        request,
        "careplans/physical_health.html",
        {
            "patient": patient,
            "health": selectors.health_status(patient, timezone.localdate()),
            "all_checks": HealthCheck.objects.filter(
                patient=patient, organisation=patient.organisation
            ).order_by("-done_on", "-recorded_at", "-pk"),
        },
    )


@require_http_methods(["GET", "POST"])
@require_permission("careplans.write_plan")
def health_check_add(request: HttpRequest, patient_id: int, kind: str) -> HttpResponse:
    patient = _patient(request, patient_id)
    today = timezone.localdate()
    health = selectors.health_status(patient, today)
    actor = actor_from(request)
    name, job_title = services.signer_of(actor, patient.organisation)
    form = HealthCheckForm(
        request.POST or None,
        kind=kind,
        stomp_applies=health.stomp_applies,
        initial={
            "done_on": today,
            "done_by_name": ", ".join(p for p in (name, job_title) if p),
            "stomp": health.stomp_applies,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            check = services.health_check_record(actor=actor, patient=patient, data=form.to_input())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"{check.get_kind_display()} recorded")
            return redirect("careplans:physical-health", patient_id=patient.pk)
    return render(
        request,
        "careplans/health_check_form.html",
        {
            "patient": patient,
            "form": form,
            "errors": error_summary(form),
            "heading": codes.HealthCheckKind(kind).label,
            "kind": kind,
            "health": health,
        },
    )


@require_http_methods(["GET", "POST"])
@require_permission("careplans.write_plan")
def health_check_entered_in_error(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = _patient(request, patient_id)
    number = _number(request, "id")
    check = (
        HealthCheck.objects.filter(
            patient=patient,
            organisation=patient.organisation,
            pk=number,
            entered_in_error_at__isnull=True,
        ).first()
        if number
        else None
    )
    if check is None:
        raise Http404("No such check")
    actor = actor_from(request)
    return _entered_in_error(
        request,
        patient,
        check,
        f"the {check.get_kind_display().lower()} of {check.done_on:%d/%m/%Y}",
        reverse("careplans:physical-health", kwargs={"patient_id": patient.pk}),
        lambda reason: services.health_check_mark_entered_in_error(
            actor=actor, check=check, reason=reason
        ),
    )


# ---------------------------------------------------------------------------------------------
# Across the wards
# ---------------------------------------------------------------------------------------------

EXAMINATION_FILTERS = {"overdue": "Overdue"}
STATE_FILTERS = {
    "overdue": "Review overdue",
    "missing": "No plan",
    "due_soon": f"Review due within {DUE_SOON_DAYS} days",
    "in_date": "In date",
}


@require_GET
@require_permission("careplans.view_plan")
def worklist(request: HttpRequest) -> HttpResponse:
    """Everyone on a ward today and where their safety plan stands: overdue and missing first."""
    organisation = request.organisation  # type: ignore[attr-defined]
    today = timezone.localdate()
    wards = list(wards_of(organisation))
    ward = request.GET.get("ward") or None
    if ward and ward not in {w.code for w in wards}:
        ward = None
    state = request.GET.get("state") or None
    if state not in STATE_FILTERS:
        state = None
    everyone = selectors.plan_rows(organisation, today, ward=ward)
    rows = [r for r in everyone if state is None or r.state == state]
    examinations = selectors.examinations_outstanding(organisation, today, ward=ward)
    # ?examination=overdue: the home page's "Physical examinations overdue" list.
    examination = request.GET.get("examination") or None
    if examination not in EXAMINATION_FILTERS:
        examination = None
    if examination:
        examinations = [r for r in examinations if r.state == examination]
    return render(
        request,
        "careplans/worklist.html",
        {
            "rows": rows,
            "counts": selectors.plan_counts(everyone),
            "wards": wards,
            "ward": ward,
            "state": state,
            "state_filters": STATE_FILTERS,
            "today": today,
            "examinations": examinations,
            "examination": examination,
            "examination_filters": EXAMINATION_FILTERS,
        },
    )
