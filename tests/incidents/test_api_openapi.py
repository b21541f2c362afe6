"""The OpenAPI document at /api/v1/openapi.json describes every use of force route, so
integrators can generate clients and fuzz the API from it."""

from __future__ import annotations

from typing import Any

from django.test import Client


def test_the_schema_lists_the_use_of_force_paths(db: Any) -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    expected = {
        "/api/v1/incidents": {"get", "post"},
        "/api/v1/incidents/{incident_id}": {"get", "patch"},
        "/api/v1/incidents/{incident_id}/submit": {"post"},
        "/api/v1/incidents/{incident_id}/review": {"post"},
        "/api/v1/incidents/{incident_id}/close": {"post"},
        "/api/v1/incidents/{incident_id}/entered-in-error": {"post"},
        "/api/v1/incidents/{incident_id}/medical-reviews": {"post"},
        "/api/v1/incidents/{incident_id}/observations": {"post"},
        "/api/v1/incidents/{incident_id}/post-incident-support": {"post"},
        "/api/v1/incidents/{incident_id}/debriefs": {"post"},
        "/api/v1/incidents/{incident_id}/patient-account": {"post"},
        "/api/v1/incidents/{incident_id}/reviews": {"post"},
        "/api/v1/incidents/{incident_id}/duties": {"get"},
        "/api/v1/duties": {"get"},
        "/api/v1/duties/{duty_id}/not-required": {"post"},
        "/api/v1/patients": {"get", "post"},
    }
    for path, methods in expected.items():
        assert path in paths, path
        assert methods <= set(paths[path]), path
    parameters = {p["name"] for p in paths["/api/v1/incidents"]["get"]["parameters"]}
    assert {"ward", "from", "to", "type", "status", "limit", "offset"} <= parameters
    states = next(p for p in paths["/api/v1/duties"]["get"]["parameters"] if p["name"] == "state")
    assert set(states["schema"]["anyOf"][0]["enum"]) == {
        "due", "overdue", "done", "done_late", "not_required",
    }


def test_every_operation_declares_every_answer_it_can_give(db: Any) -> None:
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    create = paths["/api/v1/incidents"]["post"]
    assert {"201", "400", "401", "403", "409", "413", "415", "422"} <= set(create["responses"])
    assert "Idempotency-Key" in {p["name"] for p in create["parameters"]}
    assert {"200", "401", "403", "404", "422"} <= set(
        paths["/api/v1/incidents/{incident_id}"]["get"]["responses"])
    assert "409" not in paths["/api/v1/incidents/{incident_id}"]["patch"]["responses"]


def test_every_text_list_and_number_in_a_body_has_a_documented_maximum(db: Any) -> None:
    components = Client().get("/api/v1/openapi.json").json()["components"]["schemas"]
    unbounded = []
    for name, component in components.items():
        if not name.endswith(("In", "Patch", "Fields")):
            continue
        for field, spec in component.get("properties", {}).items():
            options = spec.get("anyOf", [spec])
            for option in options:
                if option.get("type") == "string" and "format" not in option and \
                        "maxLength" not in option and "enum" not in option:
                    unbounded.append(f"{name}.{field}")
                if option.get("type") == "array" and "maxItems" not in option:
                    unbounded.append(f"{name}.{field}")
                if option.get("type") in {"integer", "number"} and "maximum" not in option:
                    unbounded.append(f"{name}.{field}")
    assert unbounded == []


def test_every_query_parameter_has_a_documented_maximum(db: Any) -> None:
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    unbounded = []
    for path, operations in paths.items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] != "query":
                    continue
                for option in parameter["schema"].get("anyOf", [parameter["schema"]]):
                    if option.get("type") == "string" and "maxLength" not in option and \
                            "enum" not in option:
                        unbounded.append(f"{method} {path} {parameter['name']}")
                    if option.get("type") == "integer" and "maximum" not in option:
                        unbounded.append(f"{method} {path} {parameter['name']}")
    assert unbounded == []
