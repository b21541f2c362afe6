"""Mounted at /training/: compliance first (what managers open), then the register, courses,
sessions and records."""

from django.urls import path

from rrp.workforce import views

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
    path("courses/<str:course_code>/edit/", views.course_edit, name="course-edit"),
    path("sessions/", views.session_list, name="sessions"),
    path("sessions/add/", views.session_add, name="session-add"),
    path("sessions/<int:session_id>/", views.session_detail, name="session"),
]
