"""Lists stay quick as records grow: the number of database queries behind a page of
incidents or duties does not grow with the number of rows."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from incidents.conftest import restraint_body


def _queries(api: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert api.get(url).status_code == 200
    return len(captured)


def test_query_counts_do_not_grow_with_the_rows(nurse_api: Any, patient: Any) -> None:
    nurse_api.post("/api/v1/incidents", restraint_body(patient.pk))
    urls = ("/api/v1/incidents", "/api/v1/duties", "/api/v1/duties?state=due&ward=OAK")
    one = {url: _queries(nurse_api, url) for url in urls}
    for _ in range(3):
        nurse_api.post("/api/v1/incidents", restraint_body(patient.pk))
    four = {url: _queries(nurse_api, url) for url in urls}
    assert four == one
