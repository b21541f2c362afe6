"""The JSON API at /api/v1/: django-ninja routers calling the same services as the pages."""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI

from rrp.api import analytics as analytics_api
from rrp.api import careplans, incidents, organisations, patients, standards, workforce
from rrp.api.auth import TokenAuth
from rrp.api.errors import install_error_handlers
from rrp.api.openapi import declare_every_answer


class RrpAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        return declare_every_answer(super().get_openapi_schema(**kwargs))


api = RrpAPI(
    title="Reducing Restrictive Practice API",
    version="1",
    urls_namespace="api",
    auth=TokenAuth(),
    docs_url=None,  # the interactive docs load scripts from a CDN, which the CSP forbids
)
install_error_handlers(api)
api.add_router("", organisations.router)
api.add_router("", patients.router)
api.add_router("", incidents.router)
api.add_router("", careplans.router)
api.add_router("", standards.router)
api.add_router("", analytics_api.router)
api.add_router("", workforce.router)
