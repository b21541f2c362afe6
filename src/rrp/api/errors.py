"""One shape for every problem the API reports: 422 with each problem by field path."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError


def problems_from(
    error: ValidationError, prefix: tuple[str, ...] = ("body",)
) -> list[dict[str, Any]]:
    if hasattr(error, "error_dict"):
        out: list[dict[str, Any]] = []
        for field, errors in error.message_dict.items():
            path = field.split(".") if field != "__all__" else []
            loc = list(prefix) + [int(p) if p.isdigit() else p for p in path]
            out.extend({"loc": loc, "msg": message} for message in errors)
        return out
    return [{"loc": list(prefix), "msg": message} for message in error.messages]


def query_problem(name: str, message: str) -> NinjaValidationError:
    """A 422 naming a query parameter, as the schema's own checks name theirs."""
    return NinjaValidationError([{"loc": ["query", name], "msg": message, "type": "value_error"}])


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(ValidationError)
    def _django_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return api.create_response(request, {"detail": problems_from(exc)}, status=422)

    @api.exception_handler(NinjaValidationError)
    def _schema_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        detail = [{"loc": _location(e), "msg": _readable(e)} for e in exc.errors]
        return api.create_response(request, {"detail": detail}, status=422)

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, {"detail": "Not found"}, status=404)

    @api.exception_handler(PermissionDenied)
    def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return api.create_response(
            request, {"detail": "Your role does not allow this"}, status=403
        )


def _location(error: dict[str, Any]) -> list[Any]:
    """["body", "payload", "patient"] -> ["body", "patient"]: the same paths our own
    validation reports, whatever the endpoint's parameter is called."""
    loc = list(error.get("loc", []))
    if len(loc) > 1 and loc[0] == "body" and loc[1] == "payload":
        del loc[1]
    return loc


def _readable(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    field = str(error.get("loc", ["value"])[-1]).replace("_", " ")
    if kind == "missing":
        return f"Enter the {field}"
    if kind.startswith("datetime") or kind.startswith("date"):
        return f"The {field} must be a date and time in ISO 8601, like 2026-10-05T14:30:00+01:00"
    return str(error.get("msg", "This value is not valid"))
