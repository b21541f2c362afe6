"""One provider never sees another's records: a person of organisation A gets 404 for every
object of organisation B, in pages and in the API, and lists never include B's objects.

The test walks every URL pattern in the project, so a view added later that forgets to scope
its query to the current organisation fails here without anyone writing a new test. A URL
parameter this file has not met before fails too, with a message saying where to add it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from rrp.audit.models import AuditEvent
from rrp.organisations.models import OccupiedBedDays, Ward
from rrp.patients.models import Admission, Patient

ALL_ROLES = (
    "ward_staff", "ward_manager", "doctor", "rrp_lead", "board", "trainer", "auditor", "org_admin",
)


@dataclass
class OtherProvider:
    """Organisation B and one of each of its records. Every text here is unique to B, so
    finding any of it in a response of A's means B's data leaked."""

    organisation: Any
    ward: Any
    patient: Any
    admission: Any
    member_username: str

    @property
    def markers(self) -> list[str]:
        return [
            self.organisation.name, self.organisation.ods_code, self.ward.code, self.ward.name,
            self.patient.local_id, self.patient.given_name, self.patient.family_name,
            self.patient.nhs_number, "903 018 4957", self.member_username,
        ]


@dataclass(frozen=True)
class Route:
    pattern: str  # the route as written, for messages
    name: str  # namespace:name
    parameters: tuple[str, ...]

    @property
    def is_api(self) -> bool:
        return self.name.startswith("api:")


# Which of organisation B's objects fills each URL parameter. `pk` means the primary key of
# the record the URL's namespace is about. Add new parameters and namespaces here.
PARAMETER_VALUES: dict[str, Callable[[OtherProvider], Any]] = {
    "code": lambda b: b.ward.code,
    "patient_id": lambda b: b.patient.pk,
    "ward_code": lambda b: b.ward.code,
}
PK_BY_NAMESPACE: dict[str, Callable[[OtherProvider], Any]] = {
    "patients": lambda b: b.patient.pk,
    "organisations": lambda b: b.ward.pk,
}


def walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern) and entry.name:
            parameters = tuple(entry.pattern.regex.groupindex)
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield Route(prefix + str(entry.pattern), name, parameters)


def all_routes() -> list[Route]:
    # The API registers a path once per HTTP method (list and create, detail and update).
    unique: dict[str, Route] = {}
    for route in walk(get_resolver().url_patterns):
        unique.setdefault(route.pattern, route)
    return list(unique.values())


def routes_with_ids() -> list[Route]:
    return [r for r in all_routes() if r.parameters]


def routes_without_ids() -> list[Route]:
    return [r for r in all_routes() if not r.parameters]


def url_for(route: Route, other: OtherProvider) -> str:
    values = {}
    for parameter in route.parameters:
        if parameter == "pk":
            namespace = route.name.split(":")[0]
            fill = PK_BY_NAMESPACE.get(namespace)
        else:
            fill = PARAMETER_VALUES.get(parameter)
        if fill is None:
            pytest.fail(
                f"{route.pattern} ({route.name}) takes '{parameter}', which this test does not "
                "know how to fill with another organisation's object: add it to "
                "PARAMETER_VALUES or PK_BY_NAMESPACE in tests/platform/test_organisation_isolation.py"
            )
        values[parameter] = fill(other)
    return reverse(route.name, kwargs=values)


@pytest.fixture
def other_provider(
    make_organisation: Callable[..., Any],
    make_ward: Callable[..., Any],
    make_patient: Callable[..., Any],
    make_admission: Callable[..., Any],
    make_user: Callable[..., Any],
    system_actor: Any,
) -> OtherProvider:
    from rrp.organisations.services import bed_days_set

    org_b = make_organisation(ods_code="B2B", name="Bravo Secret Health NHS Trust")
    ward_b = make_ward(code="BXWARD", name="Bravoward Secret", organisation=org_b)
    patient_b = make_patient(
        local_id="BSECRET1", organisation=org_b, given_name="Zebedee", family_name="Bravoson",
        nhs_number="9030184957",
    )
    admission_b = make_admission(patient_b, ward_b, admitted_on=dt.date(2026, 1, 3))
    bed_days_set(actor=system_actor, ward=ward_b, month=dt.date(2026, 1, 1), bed_days=77)
    make_user("ward_manager", organisation=org_b, username="bravo_only_person")
    return OtherProvider(org_b, ward_b, patient_b, admission_b, "bravo_only_person")


@pytest.fixture
def own_provider(
    organisation: Any, make_ward: Callable[..., Any], make_patient: Callable[..., Any]
) -> Any:
    """Organisation A with records of its own, so lists are not empty by accident."""
    make_ward(code="OAK", name="Oak Ward")
    make_patient(local_id="P1001", given_name="Jo", family_name="Bloggs")
    return organisation


@pytest.fixture
def person_of_a(own_provider: Any, make_user: Callable[..., Any]) -> Any:
    """Every role in A, so no page is refused for want of permission rather than scoping."""
    return make_user(username="alex_a", roles=ALL_ROLES, organisation=own_provider)


def test_the_project_has_routes_with_ids_to_check() -> None:
    names = {route.name for route in routes_with_ids()}
    # A guard on the walk itself: these must be among the routes checked below.
    assert {"patients:detail", "organisations:ward", "api:patient_detail", "api:ward_detail"} <= names


def test_pages_give_404_for_every_object_of_another_organisation(
    other_provider: OtherProvider, person_of_a: Any, own_provider: Any, client_for: Any
) -> None:
    client = client_for(person_of_a, own_provider)
    for route in (r for r in routes_with_ids() if not r.is_api):
        url = url_for(route, other_provider)
        response = client.get(url)
        assert response.status_code == 404, f"GET {url} ({route.name}) gave {response.status_code}"
        posted = client.post(url, {"local_id": "HIJACK", "bed_days": 1})
        assert posted.status_code in {404, 405}, (
            f"POST {url} ({route.name}) gave {posted.status_code}"
        )


def test_the_api_gives_404_for_every_object_of_another_organisation(
    other_provider: OtherProvider, person_of_a: Any, own_provider: Any, api_client_for: Any
) -> None:
    api = api_client_for(person_of_a, own_provider)
    for route in (r for r in routes_with_ids() if r.is_api):
        url = url_for(route, other_provider)
        response = api.get(url)
        assert response.status_code == 404, f"GET {url} ({route.name}) gave {response.status_code}"
        for method in ("put", "patch", "post"):
            changed = getattr(api, method)(url, {"local_id": "HIJACK"})
            assert changed.status_code in {404, 405}, (
                f"{method.upper()} {url} ({route.name}) gave {changed.status_code}"
            )
        assert api.delete(url).status_code in {404, 405}


def test_nothing_of_another_organisation_changed_or_was_seen(
    other_provider: OtherProvider, person_of_a: Any, own_provider: Any, client_for: Any,
    api_client_for: Any,
) -> None:
    before = AuditEvent.objects.filter(organisation=other_provider.organisation).count()
    client = client_for(person_of_a, own_provider)
    api = api_client_for(person_of_a, own_provider)
    for route in routes_with_ids():
        url = url_for(route, other_provider)
        if route.is_api:
            api.get(url)
            api.patch(url, {"local_id": "HIJACK"})
        else:
            client.get(url)
            client.post(url, {"local_id": "HIJACK"})
    other_provider.patient.refresh_from_db()
    assert other_provider.patient.local_id == "BSECRET1"
    assert not Patient.objects.filter(local_id="HIJACK").exists()
    assert Admission.objects.filter(patient=other_provider.patient).count() == 1
    # No view, change or anything else by A was recorded against B: nothing was reached.
    assert AuditEvent.objects.filter(organisation=other_provider.organisation).count() == before


def test_no_page_or_api_list_includes_another_organisations_records(
    other_provider: OtherProvider, person_of_a: Any, own_provider: Any, client_for: Any,
    api_client_for: Any,
) -> None:
    client = client_for(person_of_a, own_provider)
    api = api_client_for(person_of_a, own_provider)
    checked = 0
    for route in routes_without_ids():
        url = reverse(route.name)
        response = api.get(url) if route.is_api else client.get(url)
        if response.status_code != 200:
            continue
        text = response.content.decode()
        for marker in other_provider.markers:
            assert marker not in text, f"GET {url} ({route.name}) shows B's '{marker}'"
        checked += 1
    assert checked >= 10  # home, wards, bed days, people, patients, audit, API lists...


def test_searching_never_finds_another_organisations_patients(
    other_provider: OtherProvider, person_of_a: Any, own_provider: Any, client_for: Any,
    api_client_for: Any,
) -> None:
    client = client_for(person_of_a, own_provider)
    api = api_client_for(person_of_a, own_provider)
    for term in ("BSECRET1", "Bravoson", "9030184957"):
        page = client.get("/patients/", {"q": term}).content.decode()
        assert "No patients match" in page  # the search term itself is echoed back
        assert f"/patients/{other_provider.patient.pk}/" not in page
        assert api.get("/api/v1/patients", {"q": term}).json()["items"] == []
    assert api.get("/api/v1/bed-days", {"ward": "BXWARD"}).json() == []
    assert "BXWARD" not in {ward["code"] for ward in api.get("/api/v1/wards").json()}


def test_forms_refuse_another_organisations_ward_by_id(
    other_provider: OtherProvider, person_of_a: Any, own_provider: Any, client_for: Any,
    make_patient: Any, api_client_for: Any,
) -> None:
    client = client_for(person_of_a, own_provider)
    mine = make_patient(local_id="P2002")
    # Bed days for B's ward, by its id, through A's form.
    client.post("/bed-days/", {"ward": other_provider.ward.pk, "month": "2026-02", "bed_days": 5})
    assert not OccupiedBedDays.objects.filter(ward=other_provider.ward, month="2026-02-01").exists()
    # A ward stay for A's patient on B's ward.
    client.post(
        f"/patients/{mine.pk}/admissions/add/",
        {"ward": other_provider.ward.pk, "admitted_on_0": "1", "admitted_on_1": "2",
         "admitted_on_2": "2026"},
    )
    assert not Admission.objects.filter(patient=mine).exists()
    # Bed days for B's ward through the API.
    api = api_client_for(person_of_a, own_provider)
    response = api.put("/api/v1/bed-days", {"ward": "BXWARD", "month": "2026-02", "bed_days": 5})
    assert response.status_code == 404
    # The bed days form does not offer B's ward, even when asked for it in the address.
    page = client.get("/bed-days/", {"ward": other_provider.ward.pk}).content.decode()
    assert "Bravoward Secret" not in page
    assert Ward.objects.filter(organisation=other_provider.organisation).count() == 1


def test_choosing_another_organisation_you_do_not_belong_to_does_nothing(
    other_provider: OtherProvider, person_of_a: Any, own_provider: Any, client_for: Any
) -> None:
    client = client_for(person_of_a, own_provider)
    client.post("/organisation/", {"organisation": other_provider.organisation.pk})
    assert client.get(f"/patients/{other_provider.patient.pk}/").status_code == 404
    assert "Bravo Secret Health" not in client.get("/").content.decode()


def test_a_person_in_both_organisations_sees_only_the_one_they_are_working_in(
    other_provider: OtherProvider, own_provider: Any, make_user: Any, client_for: Any
) -> None:
    person = make_user("ward_staff", organisation=own_provider, username="sam_both")
    make_user("ward_staff", organisation=other_provider.organisation, username="sam_both")
    client = client_for(person, own_provider)
    assert client.get(f"/patients/{other_provider.patient.pk}/").status_code == 404
    # After choosing B, B's patient is there and A's are not.
    client.post("/organisation/", {"organisation": other_provider.organisation.pk})
    assert client.get(f"/patients/{other_provider.patient.pk}/").status_code == 200
    assert "P1001" not in client.get("/patients/").content.decode()
