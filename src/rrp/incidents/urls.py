from django.urls import path

from rrp.incidents import views

app_name = "incidents"
urlpatterns = [
    path("", views.incident_list, name="list"),
    path("record/", views.record_use_of_force, name="record"),
    path("duties/", views.duty_list, name="duties"),
    path("escalations/", views.escalation_list, name="escalations"),
    path("<int:pk>/", views.incident_detail, name="detail"),
    path("<int:pk>/change/", views.incident_edit, name="edit"),
    path("<int:pk>/submit/", views.incident_submit, name="submit"),
    path("<int:pk>/review/", views.incident_review, name="review"),
    path("<int:pk>/close/", views.incident_close, name="close"),
    path("<int:pk>/entered-in-error/", views.incident_entered_in_error, name="entered-in-error"),
    path("<int:pk>/medical-review/", views.medical_review, name="medical-review"),
    path("<int:pk>/observations/", views.observations, name="observations"),
    path("<int:pk>/support/", views.support, name="support"),
    path("<int:pk>/reflection-review/", views.debrief, name="debrief"),
    path("<int:pk>/patient-account/", views.patient_account, name="patient-account"),
    path("<int:pk>/reviews/", views.review_record, name="review-record"),
    path("<int:pk>/not-required/", views.duty_not_required, name="duty-not-required"),
]
