"""One provider never sees another's records: a person of organisation A gets 404 for every
object of organisation B, in pages and in the API, and lists never include B's objects.

The test walks every URL pattern in the project, so a view added later that forgets to scope
its query to the current organisation fails here without anyone writing a new test. A URL
parameter this file has not met before fails too, with a message saying where to add it.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from rrp.audit.models import AuditEvent
from rrp.audit.services import Actor
from rrp.organisations.models import OccupiedBedDays, Ward
from rrp.patients.models import Admission, Patient

ALL_ROLES = (
    "ward_staff", "ward_manager", "doctor", "rrp_lead", "board", "trainer", "auditor", "org_admin",
)


@dataclass
class OtherProvider:
    """Organisation B and one of each of its records, made when a URL first needs one. Every
    text here is unique to B, so finding any of it in a response of A's means B's data leaked.
    """

    organisation: Any
    ward: Any
    patient: Any
    admission: Any
    member_username: str
    actor: Any  # B's restrictive practice lead, who records B's other objects
    _made: dict[str, Any] = field(default_factory=dict)

    @property
    def markers(self) -> list[str]:
        return [
            self.organisation.name, self.organisation.ods_code, self.ward.code, self.ward.name,
            self.patient.local_id, self.patient.given_name, self.patient.family_name,
            self.patient.nhs_number, "903 018 4957", self.member_username,
            "Bravo Secret Nurse", "BSTAFF1", "BXCOURSE", "Bravo secret content",
        ]

    def once(self, name: str, make: Callable[[], Any]) -> Any:
        if name not in self._made:
            self._made[name] = make()
        return self._made[name]

    # B's records of the other capabilities, made through their own services.

    def incident(self) -> Any:
        def make() -> Any:
            from rrp.incidents import services
            from rrp.incidents.inputs import IncidentInput, InterventionInput, StaffInput

            start = timezone.now() - dt.timedelta(hours=2)
            end = start + dt.timedelta(minutes=10)
            data = IncidentInput(
                ward=self.ward, patient=self.patient, started_at=start, ended_at=end,
                reason="10", description="Bravo secret description", efforts_to_avoid="Talking",
                outcome="Settled", notification="not_applicable", in_care_plan=False,
                interventions=[InterventionInput("07", start, end)],
                staff=[StaffInput("Bravo Staff", "Staff nurse", "lead"),
                       StaffInput("Bravo Watcher", "Staff nurse", "monitoring_wellbeing")],
            )
            return services.incident_create(
                actor=self.actor, organisation=self.organisation, data=data
            )

        return self.once("incident", make)

    def duty(self) -> Any:
        return self.incident().duties.order_by("pk").first()

    def cycle(self) -> Any:
        def make() -> Any:
            from rrp.standards import services

            cycle = services.cycle_create(
                actor=self.actor, organisation=self.organisation, name="Bravo secret cycle",
                period_start=dt.date(2026, 4, 1), period_end=dt.date(2027, 3, 31),
            )
            services.cycle_start(actor=self.actor, cycle=cycle)
            return cycle

        return self.once("cycle", make)

    def assessment(self) -> Any:
        return self.cycle().assessments.select_related("statement").order_by("pk").first()

    def evidence(self) -> Any:
        def make() -> Any:
            from rrp.standards import services

            content = b"Bravo secret minutes\n"
            return services.evidence_upload(
                actor=self.actor, organisation=self.organisation, upload=io.BytesIO(content),
                filename="minutes.txt", size=len(content), title="Bravo secret minutes",
            )

        return self.once("evidence", make)

    def attachment(self) -> Any:
        def make() -> Any:
            from rrp.standards import services

            return services.evidence_attach(
                actor=self.actor, assessment=self.assessment(), evidence=self.evidence()
            )

        return self.once("attachment", make)

    def action(self) -> Any:
        def make() -> Any:
            from rrp.standards import services

            assessment = services.assessment_update(
                actor=self.actor, assessment=self.assessment(), rating="not_met",
                narrative="Bravo secret narrative", owner=self.actor.user,
            )
            return services.action_raise(
                actor=self.actor, assessment=assessment, description="Bravo secret action",
                owner=self.actor.user, due_on=dt.date(2027, 1, 31),
            )

        return self.once("action", make)

    def api_token(self) -> Any:
        """An API token of B's lead (its clear value never leaves this method)."""

        def make() -> Any:
            from rrp.accounts.models import ApiToken
            from rrp.accounts.services import token_issue

            token_issue(actor=self.actor, user=self.actor.user, organisation=self.organisation)
            return ApiToken.objects.filter(user=self.actor.user).latest("created_at")

        return self.once("api_token", make)

    def peer_review(self) -> Any:
        """B's cycle reviewed by someone of a third provider: peer reviewers come from outside."""

        def make() -> Any:
            from rrp.organisations.services import organisation_create, user_add
            from rrp.standards import services

            charlie = organisation_create(actor=self.actor, ods_code="C3C", name="Charlie Trust")
            reviewer = user_add(
                actor=self.actor, username="charlie_reviewer", organisation=charlie,
                role="rrp_lead",
            )
            return services.peer_review_invite(
                actor=self.actor, cycle=self.cycle(), reviewer=reviewer
            )

        return self.once("peer_review", make)

    def challenge(self) -> Any:
        def make() -> Any:
            from rrp.standards import services

            review = self.peer_review()
            return services.peer_review_respond(
                actor=Actor(user=review.reviewer), review=review, assessment=self.assessment(),
                verdict="challenge", comment="Bravo secret challenge",
            )

        return self.once("challenge", make)

    def staff_member(self) -> Any:
        """B's staff register entry, with a training record from a session (issue 13)."""

        def make() -> Any:
            from rrp.workforce import services
            from rrp.workforce.inputs import CourseInput, OutcomeInput, SessionInput, StaffInput

            member = services.staff_member_create(
                actor=self.actor, organisation=self.organisation,
                data=StaffInput(staff_number="BSTAFF1", name="Bravo Secret Nurse",
                                job_title="Staff nurse", employment="permanent",
                                wards=[self.ward.code]),
            )
            services.course_create(actor=self.actor, organisation=self.organisation,
                                   data=CourseInput(code="BXCOURSE", title="Bravo secret course",
                                                    level="prevention"))
            services.training_session_record(
                actor=self.actor, organisation=self.organisation,
                data=SessionInput(course="BXCOURSE", held_on=dt.date(2026, 1, 5),
                                  trainer_name="Bravo Trainer",
                                  attendees=[OutcomeInput(staff_id=member.pk,
                                                          outcome="competent")]),
            )
            return member

        return self.once("staff_member", make)

    def training_record(self) -> Any:
        return self.staff_member().records.get()

    def needs_analysis(self) -> Any:
        """B's draft training needs analysis with one requirement (issue 13, standard 3.4)."""

        def make() -> Any:
            from rrp.workforce import services
            from rrp.workforce.inputs import TnaInput, TnaRequirementInput

            course = self.training_record().course
            analysis = services.tna_create(
                actor=self.actor, organisation=self.organisation,
                data=TnaInput(content="Bravo secret content"),
            )
            services.tna_requirement_add(actor=self.actor, analysis=analysis,
                                         data=TnaRequirementInput(course=course.code))
            return analysis

        return self.once("needs_analysis", make)

    def technique(self) -> Any:
        """A physical intervention of B's physical skills course's training manual."""

        def make() -> Any:
            from rrp.workforce import course_content, services
            from rrp.workforce.inputs import CourseInput, TechniqueInput

            course = services.course_create(
                actor=self.actor, organisation=self.organisation,
                data=CourseInput(code="BXPHYS", title="Bravo secret holds", level="physical"))
            return course_content.technique_add(actor=self.actor, course=course, data=(
                TechniqueInput(name="Bravo secret hold", description="Bravo secret",
                               training_risks="Bravo", physical_risks="Bravo",
                               psychological_risks="Bravo", mitigations="Bravo",
                               assessed_by="Dr Bravo", assessor_qualification="Bravo MB",
                               assessed_on=dt.date(2026, 1, 2))))

        return self.once("technique", make)

    def training_event(self) -> Any:
        """A near miss during B's training session (3.4.2.XXXVII)."""

        def make() -> Any:
            from rrp.workforce import course_content
            from rrp.workforce.inputs import TrainingEventInput

            record = self.training_record()
            return course_content.training_event_record(
                actor=self.actor, session=record.session, data=TrainingEventInput(
                    kind="near_miss", staff_id=record.staff_id, occurred_on=dt.date(2026, 1, 5),
                    what_happened="Bravo secret near miss", severity="none"))

        return self.once("training_event", make)

    def trainer(self) -> Any:
        """B's trainer (its staff member) with a portfolio entry, a review and a check (3.5)."""

        def make() -> Any:
            from rrp.trainers import services
            from rrp.trainers.inputs import (
                CompetencyCheckInput,
                PortfolioEntryInput,
                ReviewInput,
                TrainerInput,
            )

            trainer = services.trainer_create(
                actor=self.actor, organisation=self.organisation,
                data=TrainerInput(staff_id=self.staff_member().pk,
                                  clinical_credibility="Bravo secret credibility"))
            services.portfolio_entry_add(actor=self.actor, trainer=trainer, data=(
                PortfolioEntryInput(kind="cpd", dated_on=dt.date(2026, 1, 3),
                                    title="Bravo secret CPD", evidence="Bravo")))
            services.portfolio_review_record(actor=self.actor, trainer=trainer, data=(
                ReviewInput(reviewed_on=dt.date(2026, 1, 4), reviewer_name="Bravo Lead",
                            outcome="satisfactory")))
            services.competency_check_record(actor=self.actor, trainer=trainer, data=(
                CompetencyCheckInput(observed_on=dt.date(2026, 1, 4),
                                     observed_teaching="Bravo secret class",
                                     observer_name="Bravo Lead", outcome="meets")))
            return trainer

        return self.once("trainer", make)

    def training_provider(self) -> Any:
        def make() -> Any:
            from rrp.trainers import services
            from rrp.trainers.inputs import ProviderInput

            return services.provider_create(actor=self.actor, organisation=self.organisation,
                                            data=ProviderInput(name="Bravo Secret Training"))

        return self.once("training_provider", make)


# Which of organisation B's objects fills each URL parameter. The most specific key wins:
# "namespace:segment:parameter" (segment: the path part just before the parameter), then
# "namespace:parameter", then "parameter". A parameter not listed here fails the test: add it,
# with the other organisation's object it stands for (a method of OtherProvider makes it).
FILLS: dict[str, Callable[[OtherProvider], Any]] = {
    "code": lambda b: b.ward.code,
    "patient_id": lambda b: b.patient.pk,
    "patients:pk": lambda b: b.patient.pk,
    "incidents:pk": lambda b: b.incident().pk,
    "incident_id": lambda b: b.incident().pk,
    "duty_id": lambda b: b.duty().pk,
    "standards:cycles:pk": lambda b: b.cycle().pk,
    "cycle_id": lambda b: b.cycle().pk,
    "standards:evidence:pk": lambda b: b.evidence().pk,
    "evidence_pk": lambda b: b.evidence().pk,
    "attachment_pk": lambda b: b.attachment().pk,
    "standards:actions:pk": lambda b: b.action().pk,
    "review_pk": lambda b: b.peer_review().pk,
    "response_pk": lambda b: b.challenge().pk,
    "accounts:tokens:pk": lambda b: b.api_token().pk,
    "staff_id": lambda b: b.staff_member().pk,
    "course_code": lambda b: b.training_record().course.code,
    "session_id": lambda b: b.training_record().session_id,
    "record_id": lambda b: b.training_record().pk,
    "tna_id": lambda b: b.needs_analysis().pk,
    "technique_id": lambda b: b.technique().pk,
    "event_id": lambda b: b.training_event().pk,
    "trainer_id": lambda b: b.trainer().pk,
    "entry_id": lambda b: b.trainer().entries.get().pk,
    "trainers:review_id": lambda b: b.trainer().reviews.get().pk,
    "check_id": lambda b: b.trainer().checks.get().pk,
    "provider_id": lambda b: b.training_provider().pk,
    "requirement_id": lambda b: b.needs_analysis().requirements.get().pk,
    # Not records of B: a statement in B's cycle (the catalogue is shared) and an export format.
    "ref": lambda b: b.assessment().statement.ref,
    "fmt": lambda b: "csv",
}


@dataclass(frozen=True)
class Route:
    pattern: str  # the route as written, for messages
    name: str  # namespace:name
    parameters: tuple[str, ...]

    @property
    def is_api(self) -> bool:
        return self.name.startswith("api:")


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


def fill_for(route: Route, parameter: str) -> Callable[[OtherProvider], Any]:
    namespace = route.name.split(":")[0]
    before = re.split(r"<(?:[^>:]+:)?" + re.escape(parameter) + ">", route.pattern)[0]
    segment = before.rstrip("/").rsplit("/", 1)[-1]
    for key in (f"{namespace}:{segment}:{parameter}", f"{namespace}:{parameter}", parameter):
        if key in FILLS:
            return FILLS[key]
    pytest.fail(
        f"{route.pattern} ({route.name}) takes '{parameter}', which this test does not know "
        "how to fill with another organisation's object: add it to FILLS in "
        "tests/platform/test_organisation_isolation.py",
        pytrace=False,
    )


def url_for(route: Route, other: OtherProvider) -> str:
    values = {parameter: fill_for(route, parameter)(other) for parameter in route.parameters}
    return reverse(route.name, kwargs=values)


def url_for_nothing(route: Route, other: OtherProvider) -> str:
    """The same URL with ids that exist nowhere: what B's objects must be indistinguishable from."""
    values = {}
    for parameter in route.parameters:
        real = fill_for(route, parameter)(other)
        values[parameter] = 2_000_000_000 if isinstance(real, int) else "ZZNOSUCH"
    return reverse(route.name, kwargs=values)


@pytest.fixture
def other_provider(
    make_organisation: Callable[..., Any],
    make_ward: Callable[..., Any],
    make_patient: Callable[..., Any],
    make_admission: Callable[..., Any],
    make_user: Callable[..., Any],
    system_actor: Any,
    settings: Any,
    tmp_path: Any,
) -> OtherProvider:
    from rrp.organisations.services import bed_days_set

    settings.MEDIA_ROOT = tmp_path / "uploads"  # B's evidence files
    # Six characters: a 3-letter marker could turn up by chance inside a random CSRF token.
    org_b = make_organisation(ods_code="BRAVO9", name="Bravo Secret Health NHS Trust")
    ward_b = make_ward(code="BXWARD", name="Bravoward Secret", organisation=org_b)
    patient_b = make_patient(
        local_id="BSECRET1", organisation=org_b, given_name="Zebedee", family_name="Bravoson",
        nhs_number="9030184957",
    )
    admission_b = make_admission(patient_b, ward_b, admitted_on=dt.date(2026, 1, 3))
    bed_days_set(actor=system_actor, ward=ward_b, month=dt.date(2026, 1, 1), bed_days=77)
    make_user("ward_manager", organisation=org_b, username="bravo_only_person")
    lead = make_user("rrp_lead", organisation=org_b, username="bravo_lead")
    return OtherProvider(
        org_b, ward_b, patient_b, admission_b, "bravo_only_person", Actor(user=lead)
    )


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
    expected = {"patients:detail", "organisations:ward", "api:patient_detail", "api:ward_detail"}
    assert expected <= names


def assert_not_found(
    route: Route, url: str, theirs: dict[str, Any], nothing: dict[str, Any]
) -> None:
    """B's object answers exactly as an id that exists nowhere: 404 (405 for a method the
    route does not take; 422 only for a body refused before any record is looked up), and at
    least one method is 404."""
    statuses = {method: response.status_code for method, response in theirs.items()}
    wrong = {m: s for m, s in statuses.items() if s not in {404, 405, 422}}
    assert not wrong, f"{url} ({route.name}) gave {wrong}"
    assert 404 in statuses.values(), f"{url} ({route.name}) gave {statuses}"
    for method, response in theirs.items():
        same = nothing[method]
        assert response.status_code == same.status_code, (
            f"{method} {url} ({route.name}) gave {response.status_code}, but "
            f"{same.status_code} for an id that does not exist"
        )
        if route.is_api and response.status_code == 422:
            assert response.json() == same.json(), f"{method} {url}: {response.json()}"


def example_of(schema: dict[str, Any], spec: dict[str, Any]) -> Any:
    """A value the schema accepts, so a request gets past validation to the record lookup."""
    if "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    for combined in ("anyOf", "oneOf", "allOf"):
        if combined in schema:
            options = [o for o in schema[combined] if o.get("type") != "null"] or schema[combined]
            return example_of(options[0], spec)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type", "object")
    if kind == "object":
        properties = schema.get("properties", {})
        return {name: example_of(properties[name], spec) for name in schema.get("required", [])}
    if kind == "array":
        return []
    if kind == "string":
        return {"date": "2026-10-05", "date-time": "2026-10-05T12:00:00+01:00"}.get(
            schema.get("format", ""), "HIJACK"
        )
    return {"integer": 1, "number": 1, "boolean": False}.get(kind)


def request_bodies(spec: dict[str, Any]) -> dict[tuple[str, str], Any]:
    """(method, /api/v1/path/<param>) -> a body its schema accepts."""
    bodies = {}
    for path, operations in spec["paths"].items():
        template = re.sub(r"\{(\w+)\}", r"<\1>", path)
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            schema = content.get("application/json", {}).get("schema")
            if schema is not None:
                bodies[(method, template)] = example_of(schema, spec)
    return bodies


def test_pages_give_404_for_every_object_of_another_organisation(
    other_provider: OtherProvider, person_of_a: Any, own_provider: Any, client_for: Any
) -> None:
    client = client_for(person_of_a, own_provider)
    checked = 0
    for route in (r for r in routes_with_ids() if not r.is_api):
        url = url_for(route, other_provider)

        def answers(address: str) -> dict[str, Any]:
            return {
                "GET": client.get(address),
                "POST": client.post(address, {"local_id": "HIJACK", "bed_days": 1}),
            }

        assert_not_found(route, url, answers(url), answers(url_for_nothing(route, other_provider)))
        checked += 1
    assert checked >= 3


def test_the_api_gives_404_for_every_object_of_another_organisation(
    other_provider: OtherProvider, person_of_a: Any, own_provider: Any, api_client_for: Any
) -> None:
    api = api_client_for(person_of_a, own_provider)
    bodies = request_bodies(api.get("/api/v1/openapi.json").json())
    checked = 0
    for route in (r for r in routes_with_ids() if r.is_api):
        url = url_for(route, other_provider)
        template = "/" + route.pattern

        def answers(address: str) -> dict[str, Any]:
            found = {"GET": api.get(address), "DELETE": api.delete(address)}
            for method in ("put", "patch", "post"):
                body = bodies.get((method, template), {"local_id": "HIJACK"})
                found[method.upper()] = getattr(api, method)(address, body)
            return found

        assert_not_found(route, url, answers(url), answers(url_for_nothing(route, other_provider)))
        checked += 1
    assert checked >= 2


def test_nothing_of_another_organisation_changed_or_was_seen(
    other_provider: OtherProvider, person_of_a: Any, own_provider: Any, client_for: Any,
    api_client_for: Any,
) -> None:
    urls = [(route, url_for(route, other_provider)) for route in routes_with_ids()]
    before = AuditEvent.objects.filter(organisation=other_provider.organisation).count()
    client = client_for(person_of_a, own_provider)
    api = api_client_for(person_of_a, own_provider)
    for route, url in urls:
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
    other_provider.staff_member()  # B's staff register, course and session too
    client = client_for(person_of_a, own_provider)
    api = api_client_for(person_of_a, own_provider)
    checked = 0
    for route in routes_without_ids():
        url = reverse(route.name)
        response = api.get(url) if route.is_api else client.get(url)
        if response.status_code != 200:
            continue
        text = readable(response)
        for marker in other_provider.markers:
            assert marker not in text, f"GET {url} ({route.name}) shows B's '{marker}'"
        checked += 1
    assert checked >= 10  # home, wards, bed days, people, patients, audit, API lists...


def readable(response: Any) -> str:
    """A response's text; for an Excel download (a zip of XML), its cells."""
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(response.content), read_only=True)
        return "\n".join(str(cell) for sheet in book.worksheets
                         for row in sheet.iter_rows(values_only=True)
                         for cell in row if cell is not None)
    return str(response.content.decode())


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
