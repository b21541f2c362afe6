"""One shape for every problem the API reports: 422 with each problem by field path."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError

from rrp.core import limits


def problems_from(
    error: ValidationError, prefix: tuple[str, ...] = ("body",)
) -> list[dict[str, Any]]:
    if hasattr(error, "error_dict"):
        out: list[dict[str, Any]] = []
        for field, errors in error.message_dict.items():
            path = field.split(".") if field != "__all__" else []
            # "²".isdigit() is True but int("²") fails: only ASCII digits are list positions.
            loc = list(prefix) + [int(p) if p.isascii() and p.isdigit() else p for p in path]
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


# Our own validators (rrp.api.schemas) word their message for a person; their types start "rrp_".


def _readable(error: dict[str, Any]) -> str:
    """The sentence for one problem pydantic found, naming the field and any limit."""
    kind = str(error.get("type", ""))
    loc = error.get("loc", ["value"])
    name = str(loc[-1]) if loc else "value"
    field = name.replace("_", " ")
    ctx = error.get("ctx") or {}
    value = error.get("input")
    if kind.startswith("rrp_") or kind == "value_error":
        return str(error.get("msg", "This value is not valid")).removeprefix("Value error, ")
    if kind == "missing":
        return f"Enter the {field}"
    if kind == "extra_forbidden":
        return f"'{name}' is not something this record holds: check the spelling"
    if kind == "string_too_long":
        return f"This is too long: at most {ctx.get('max_length', 0):,} characters"
    if kind == "too_long":
        return f"There are too many: at most {ctx.get('max_length', 0):,}"
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return f"The {field} must be a whole number"
    if kind in {"float_type", "float_parsing"}:
        return f"The {field} must be a number"
    if kind in {"less_than_equal", "greater_than_equal", "less_than", "greater_than"}:
        low, high = _range_of(error)
        return f"The {field} must be {_between(low, high)}"
    if kind in {"bool_type", "bool_parsing"}:
        return f"The {field} must be true or false"
    if kind == "string_unicode":  # a lone surrogate, refused while the JSON was read
        return limits.UNREADABLE_CHARACTERS
    if kind == "string_type":
        return f"The {field} must be text"
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        return "Send a JSON object here"
    if kind == "list_type":
        return f"The {field} must be a list"
    if kind.startswith("datetime") or kind.startswith("date"):
        if isinstance(value, str):
            return (f"'{value[:40]}' is not a date and time: use ISO 8601, like "
                    "2026-10-05T14:30:00+01:00")
        return f"The {field} must be a date and time in ISO 8601, like 2026-10-05T14:30:00+01:00"
    return str(error.get("msg", "This value is not valid"))


def _range_of(error: dict[str, Any]) -> tuple[Any, Any]:
    ctx = error.get("ctx") or {}
    return ctx.get("ge", ctx.get("gt")), ctx.get("le", ctx.get("lt"))


def _between(low: Any, high: Any) -> str:
    if low is not None and high is not None:
        return f"from {low:,} to {high:,}" if isinstance(low, int) else f"from {low} to {high}"
    return f"at least {low:,}" if low is not None else f"at most {high:,}"
