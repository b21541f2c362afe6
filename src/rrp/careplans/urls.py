"""Mounted at the site root: a person's plan pages sit under their patient address."""

from django.urls import path

from rrp.careplans import codes, views

app_name = "careplans"
urlpatterns = [
    path("patients/<int:patient_id>/safety-plan/", views.safety_plan, name="plan"),
    path("patients/<int:patient_id>/safety-plan/write/", views.safety_plan_write, name="write"),
    path(
        "patients/<int:patient_id>/safety-plan/versions/",
        views.safety_plan_versions,
        name="versions",
    ),
    path("patients/<int:patient_id>/safety-plan/print/", views.safety_plan_print, name="print"),
    path(
        "patients/<int:patient_id>/safety-plan/entered-in-error/",
        views.safety_plan_entered_in_error,
        name="plan-entered-in-error",
    ),
    path(
        "patients/<int:patient_id>/risk-assessments/",
        views.risk_assessments,
        name="risk-assessments",
    ),
    path(
        "patients/<int:patient_id>/risk-assessments/add/",
        views.risk_assessment_add,
        name="risk-assessment-add",
    ),
    path(
        "patients/<int:patient_id>/risk-assessments/entered-in-error/",
        views.risk_assessment_entered_in_error,
        name="risk-assessment-entered-in-error",
    ),
    path(
        "patients/<int:patient_id>/physical-health/", views.physical_health, name="physical-health"
    ),
    path(
        "patients/<int:patient_id>/physical-health/examination/add/",
        views.health_check_add,
        {"kind": codes.HealthCheckKind.EXAMINATION},
        name="examination-add",
    ),
    path(
        "patients/<int:patient_id>/physical-health/capacity-assessment/add/",
        views.health_check_add,
        {"kind": codes.HealthCheckKind.CAPACITY_PRN},
        name="capacity-add",
    ),
    path(
        "patients/<int:patient_id>/physical-health/medication-review/add/",
        views.health_check_add,
        {"kind": codes.HealthCheckKind.MEDICATION_REVIEW},
        name="medication-review-add",
    ),
    path(
        "patients/<int:patient_id>/physical-health/entered-in-error/",
        views.health_check_entered_in_error,
        name="health-check-entered-in-error",
    ),
    path("safety-plans/", views.worklist, name="worklist"),
]
