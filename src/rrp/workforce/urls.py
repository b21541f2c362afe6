"""Mounted at /training/: compliance first (what managers open), then the register, courses,
sessions and records."""

from django.urls import path

from rrp.workforce import content_views, views

app_name = "workforce"
urlpatterns = [
    path("", views.compliance, name="compliance"),
    # One address per format (no format parameter): a download names what it is.
    path("export.csv", views.export, {"fmt": "csv"}, name="export-csv"),
    path("export.xlsx", views.export, {"fmt": "xlsx"}, name="export-xlsx"),
    path("staff/", views.staff_list, name="staff-list"),
    path("staff/add/", views.staff_add, name="staff-add"),
    path("staff/<int:staff_id>/", views.staff_detail, name="staff"),
    path("staff/<int:staff_id>/edit/", views.staff_edit, name="staff-edit"),
    path("staff/<int:staff_id>/record/", views.record_add, name="record-add"),
    path(
        "records/<int:record_id>/entered-in-error/",
        views.record_entered_in_error,
        name="record-entered-in-error",
    ),
    path("courses/", views.course_list, name="courses"),
    path("courses/add/", views.course_add, name="course-add"),
    # Before courses/<code>/: "outcomes" is not a course code.
    path("courses/outcomes/", content_views.outcome_matrix, name="outcome-matrix"),
    path("courses/<str:course_code>/", content_views.course_detail, name="course"),
    path("courses/<str:course_code>/edit/", views.course_edit, name="course-edit"),
    # The training manual's techniques and their sign-off (standard 3.4.2.XXIV-XXXI).
    path("courses/<str:course_code>/techniques/add/", content_views.technique_add,
         name="technique-add"),
    path("techniques/<int:technique_id>/edit/", content_views.technique_edit,
         name="technique-edit"),
    path("techniques/<int:technique_id>/sign-off/", content_views.technique_sign_off,
         name="technique-sign-off"),
    path("techniques/<int:technique_id>/withdraw/", content_views.technique_withdraw,
         name="technique-withdraw"),
    path("sessions/", views.session_list, name="sessions"),
    path("sessions/add/", views.session_add, name="session-add"),
    path("sessions/<int:session_id>/", views.session_detail, name="session"),
    # On a session: injuries and incidents, the course report, the evaluation (3.4.2.XXXVII-XL).
    path("sessions/<int:session_id>/incidents/add/", content_views.training_event_add,
         name="training-event-add"),
    # Competence per physical technique of the course's manual (issue 13, 3.4.2.XXXIX).
    path("sessions/<int:session_id>/techniques/", content_views.session_techniques,
         name="session-techniques"),
    path("sessions/<int:session_id>/report/", content_views.course_report,
         name="course-report"),
    path("sessions/<int:session_id>/evaluation/", content_views.evaluation,
         name="evaluation"),
    path("injuries-and-incidents/", content_views.training_events, name="training-events"),
    path("injuries-and-incidents/<int:event_id>/review/", content_views.training_event_review,
         name="training-event-review"),
    path("injuries-and-incidents/<int:event_id>/entered-in-error/",
         content_views.training_event_entered_in_error, name="training-event-entered-in-error"),
    # The training needs analysis (standard 3.4.II-III, 3.4.2.I-XIX).
    path("needs-analysis/", views.tna_list, name="tna-list"),
    path("needs-analysis/new/", views.tna_add, name="tna-add"),
    path("needs-analysis/<int:tna_id>/", views.tna_detail, name="tna"),
    path("needs-analysis/<int:tna_id>/edit/", views.tna_edit, name="tna-edit"),
    path("needs-analysis/<int:tna_id>/requirements/add/", views.tna_requirement_add,
         name="tna-requirement-add"),
    path("needs-analysis/<int:tna_id>/requirements/<int:requirement_id>/remove/",
         views.tna_requirement_remove, name="tna-requirement-remove"),
    path("needs-analysis/<int:tna_id>/agreement/", views.tna_agree, name="tna-agree"),
    path("needs-analysis/<int:tna_id>/sign-off/", views.tna_sign_off, name="tna-sign-off"),
]
