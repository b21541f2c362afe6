"""Every status code an operation can answer, declared in the OpenAPI document (issue 11), so
a client generated from it, and schemathesis `--checks all`, meet no undocumented answer.

The codes come from the layers every operation passes through, not from each view:
- 401: no token, or one revoked or expired (rrp.api.auth); 403: the role may not (permissions)
- 404: an id (in the path, or a ward in a query or body) not in the token's organisation
- 422: a query or body that breaks its schema or the record's rules (rrp.api.errors)
- writes: 400 not JSON, 413 too large, 415 not application/json (rrp.api.bodies)
- POST: 409 an Idempotency-Key already used for another request (rrp.api.idempotency),
  and the header itself is documented as a parameter.
"""

from __future__ import annotations

from typing import Any

from rrp.api.bodies import MAX_BODY_BYTES
from rrp.api.idempotency import HEADER, MAX_KEY_LENGTH
from rrp.api.query_params import MAX_TEXT
from rrp.api.schemas import LARGEST_ID

PROBLEM = {
    "type": "object",
    "properties": {"detail": {"anyOf": [
        {"type": "string"},
        {"type": "array", "items": {"type": "object", "properties": {
            "loc": {"type": "array", "items": {"anyOf": [{"type": "string"},
                                                         {"type": "integer"}]}},
            "msg": {"type": "string"},
        }, "required": ["loc", "msg"]}},
    ]}},
    "required": ["detail"],
}
_REF = {"$ref": "#/components/schemas/Problem"}

_EVERY = {
    "401": "No API token, or one that is revoked or expired",
    "403": "The token's role may not do this",
    "422": "A value breaks its schema or the record's rules, or a query parameter is not one "
           "this operation takes: every problem by field path",
    # An id in the path, or a ward or patient named in a query or body, that is not in the
    # token's organisation.
    "404": "Not in the token's organisation (or no such record)",
}
_WRITES = {
    "400": "The body is not valid JSON",
    "413": f"The body is larger than {MAX_BODY_BYTES:,} bytes",
    "415": "The body is not sent as application/json",
}
_POST = {"409": f"The {HEADER} was already used for a different request"}

IDEMPOTENCY_PARAMETER = {
    "name": HEADER,
    "in": "header",
    "required": False,
    "description": "Any unique text (a UUID): a retry with the same key and body gets the "
                   "first answer instead of making a second record. Kept 24 hours.",
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH},
}


def _bound(schema: dict[str, Any]) -> None:
    """The limits rrp.api.query_params holds every query value to, in the document."""
    for option in schema.get("anyOf", [schema]):
        if option.get("type") == "string" and "enum" not in option:
            option.setdefault("maxLength", MAX_TEXT)
        elif option.get("type") == "integer":
            option.setdefault("maximum", LARGEST_ID)
            option.setdefault("minimum", -LARGEST_ID)


def declare_every_answer(schema: dict[str, Any]) -> dict[str, Any]:
    schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            codes = dict(_EVERY)
            if method in {"post", "put", "patch"}:
                codes.update(_WRITES)
            if method == "post":
                codes.update(_POST)
                operation.setdefault("parameters", []).append(IDEMPOTENCY_PARAMETER)
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query":
                    _bound(parameter.get("schema", {}))
            responses = operation.setdefault("responses", {})
            for code, description in codes.items():
                responses.setdefault(code, {
                    "description": description,
                    "content": {"application/json": {"schema": _REF}},
                })
    return schema
