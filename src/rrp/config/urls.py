from django.urls import include, path

from rrp.api.urls import api

urlpatterns = [
    path("", include("rrp.core.urls")),
    path("", include("rrp.accounts.urls")),
    path("", include("rrp.organisations.urls")),
    path("patients/", include("rrp.patients.urls")),
    path("audit/", include("rrp.audit.urls")),
    path("api/v1/", api.urls),
]
