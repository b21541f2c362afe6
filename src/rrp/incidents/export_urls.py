from django.urls import path

from rrp.incidents import export_views

app_name = "exports"
urlpatterns = [
    path("", export_views.index, name="index"),
    path("mhsds/", export_views.mhsds, name="mhsds"),
    path("use-of-force-records/", export_views.use_of_force, name="use-of-force"),
]
