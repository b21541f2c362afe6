"""Mounted at /training/trainers/ (before the training pages' own /training/): the trainers
first, then their portfolios, reviews and monitoring, the providers and the yearly summary."""

from django.urls import path

from rrp.trainers import views

app_name = "trainers"
urlpatterns = [
    path("", views.trainer_list, name="list"),
    path("add/", views.trainer_add, name="trainer-add"),
    path("<int:trainer_id>/", views.trainer_detail, name="trainer"),
    path("<int:trainer_id>/edit/", views.trainer_edit, name="trainer-edit"),
    path("<int:trainer_id>/portfolio/add/", views.entry_add, name="entry-add"),
    path("<int:trainer_id>/reviews/add/", views.review_add, name="review-add"),
    path("<int:trainer_id>/monitoring/add/", views.check_add, name="check-add"),
    path("portfolio/<int:entry_id>/entered-in-error/", views.entry_entered_in_error,
         name="entry-entered-in-error"),
    path("reviews/<int:review_id>/entered-in-error/", views.review_entered_in_error,
         name="review-entered-in-error"),
    path("monitoring/<int:check_id>/entered-in-error/", views.check_entered_in_error,
         name="check-entered-in-error"),
    path("providers/add/", views.provider_add, name="provider-add"),
    path("providers/<int:provider_id>/", views.provider_detail, name="provider"),
    path("providers/<int:provider_id>/edit/", views.provider_edit, name="provider-edit"),
    # The yearly summary for the executive and non-executive leads (3.5.I).
    path("summary/", views.summary, name="summary"),
    path("summary.csv", views.summary_csv, name="summary-csv"),
]
