from django.urls import include, path

from rrp.api.urls import api

urlpatterns = [
    path("", include("rrp.core.urls")),
    path("", include("rrp.accounts.urls")),
    path("", include("rrp.organisations.urls")),
    path("patients/", include("rrp.patients.urls")),
    path("", include("rrp.careplans.urls")),
    path("uses-of-force/", include("rrp.incidents.urls")),
    path("exports/", include("rrp.incidents.export_urls")),
    path("dashboards/", include("rrp.analytics.urls")),
    path("compliance/", include("rrp.standards.urls")),
    path("training/trainers/", include("rrp.trainers.urls")),
    path("training/", include("rrp.workforce.urls")),
    path("audit/", include("rrp.audit.urls")),
    path("notifications/", include("rrp.notifications.urls")),
    path("jobs/", include("rrp.jobs.urls")),
    path("api/v1/", api.urls),
]

# A request the server cannot read (too large, too many fields) gets a page that says why.
handler400 = "rrp.core.views.bad_request"
