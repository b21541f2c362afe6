from django.urls import path

from rrp.analytics import views

app_name = "analytics"
urlpatterns = [
    path("", views.organisation, name="organisation"),
    path("figures.csv", views.organisation_csv, name="organisation-csv"),
    path("baselines/", views.baselines, name="baselines"),
    path("wards/<str:code>/", views.ward, name="ward"),
    path("wards/<str:code>/figures.csv", views.ward_csv, name="ward-csv"),
]
