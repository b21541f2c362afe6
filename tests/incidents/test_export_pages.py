"""The exports page: the lead, a ward manager or the organisation administrator downloads a
month's MHSDS files; only people who may see patients download the Use of Force Act records;
every download is audited with what went out."""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

import pytest

from incidents.conftest import NOW, restraint_input
from rrp.audit.models import AuditEvent
from rrp.audit.services import Actor
from rrp.incidents import services

MONTH = {"month": "2026-10"}
OCTOBER = {"first_day_0": "1", "first_day_1": "10", "first_day_2": "2026",
           "last_day_0": "31", "last_day_1": "10", "last_day_2": "2026"}


@pytest.fixture
def signed_in(make_user: Any, client_for: Any, organisation: Any, clock: Any) -> Any:
    """signed_in(role) -> (user, client), with the clock at 5 October 2026."""

    def make(role: str) -> tuple[Any, Any]:
        user = make_user(role, full_name="Pat Exporter")
        return user, client_for(user, organisation)

    return make


def test_the_lead_downloads_the_month_and_the_download_is_audited(
    signed_in: Any, record: Any
) -> None:
    incident = record()
    lead, client = signed_in("rrp_lead")
    response = client.post("/exports/mhsds/", MONTH)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "MHSDS_restrictive_interventions_2026-10.zip" in response["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert sorted(archive.namelist()) == [
            "MHS505RestrictiveInterventionIncident_2026-10.csv",
            "MHS515RestrictiveInterventionType_2026-10.csv",
        ]
        rows = list(csv.DictReader(io.StringIO(
            archive.read("MHS505RestrictiveInterventionIncident_2026-10.csv").decode())))
    assert [r["RestrictiveIntIncID"] for r in rows] == [incident.reference]
    event = AuditEvent.objects.get(action="export", actor=lead)
    assert event.via == "web"
    assert event.after["month"] == "2026-10"
    assert event.after["incidents"] == [incident.reference]


def test_use_of_force_records_name_the_patient_and_the_download_is_audited(
    signed_in: Any, record: Any
) -> None:
    incident = record()
    manager, client = signed_in("ward_manager")
    response = client.post("/exports/use-of-force-records/", OCTOBER)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"] == "no-store"
    row, = csv.DictReader(io.StringIO(response.content.decode()))
    assert row["e_patient_name"] == "Jo Bloggs"
    event = AuditEvent.objects.get(action="export", actor=manager)
    assert event.after["patient_identifiable"] is True
    assert event.after["incidents"] == [incident.reference]
    assert "patient-identifiable" in event.summary


def test_the_administrator_exports_mhsds_but_not_records_that_name_patients(
    signed_in: Any, record: Any
) -> None:
    record()
    _admin, client = signed_in("org_admin")
    page = client.get("/exports/")
    assert page.status_code == 200
    assert "Download MHSDS files" in page.content.decode()
    assert "Use of Force Act records" not in page.content.decode()
    assert client.post("/exports/mhsds/", MONTH).status_code == 200
    assert client.post("/exports/use-of-force-records/", OCTOBER).status_code == 403


@pytest.mark.parametrize("role", ["ward_staff", "doctor", "board", "auditor", "trainer"])
def test_other_roles_cannot_export(signed_in: Any, role: str) -> None:
    _user, client = signed_in(role)
    assert client.get("/exports/").status_code == 403
    assert client.post("/exports/mhsds/", MONTH).status_code == 403
    assert "/exports/" not in client.get("/").content.decode()
    assert not AuditEvent.objects.filter(action="export").exists()


def test_exports_is_in_the_navigation_for_the_lead(signed_in: Any) -> None:
    _lead, client = signed_in("rrp_lead")
    assert 'href="/exports/"' in client.get("/").content.decode()


def test_a_month_not_offered_is_shown_as_a_problem_and_nothing_is_exported(
    signed_in: Any
) -> None:
    _lead, client = signed_in("rrp_lead")
    response = client.post("/exports/mhsds/", {"month": "2026-13"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert 'href="#id_month"' in page
    assert "Choose a month from the list" in page
    assert not AuditEvent.objects.filter(action="export").exists()


def test_an_end_date_before_the_start_is_shown_as_a_problem(signed_in: Any) -> None:
    _lead, client = signed_in("rrp_lead")
    backwards = {**OCTOBER, "first_day_1": "11"}
    response = client.post("/exports/use-of-force-records/", backwards)
    assert response.status_code == 400
    page = response.content.decode()
    assert "The end date must be the same as or after the start date" in page
    assert 'href="#id_last_day-0"' in page
    assert not AuditEvent.objects.filter(action="export").exists()


def test_downloads_hold_only_this_organisations_records(
    signed_in: Any, record: Any, make_organisation: Any, make_ward: Any, make_patient: Any
) -> None:
    mine = record()
    other = make_organisation(ods_code="R2B")
    services.incident_create(
        actor=Actor(user=None, via="cli"), organisation=other, now=NOW,
        data=restraint_input(make_ward(code="OAK", organisation=other),
                             make_patient(local_id="P1001", organisation=other)),
    )
    _lead, client = signed_in("rrp_lead")
    rows = list(csv.DictReader(io.StringIO(
        client.post("/exports/use-of-force-records/", OCTOBER).content.decode())))
    assert [r["reference"] for r in rows] == [mine.reference]


def test_downloads_are_never_made_by_a_get(signed_in: Any) -> None:
    _lead, client = signed_in("rrp_lead")
    assert client.get("/exports/mhsds/", MONTH).status_code == 405
    assert client.get("/exports/use-of-force-records/").status_code == 405


def test_the_page_lists_recent_exports(signed_in: Any, record: Any) -> None:
    record()
    _lead, client = signed_in("rrp_lead")
    client.post("/exports/mhsds/", MONTH)
    page = client.get("/exports/").content.decode()
    assert "MHSDS restrictive interventions export for October 2026: 1 use of force" in page


def test_a_date_that_does_not_exist_is_named_in_the_problem(signed_in: Any) -> None:
    _lead, client = signed_in("rrp_lead")
    response = client.post("/exports/use-of-force-records/",
                           {**OCTOBER, "last_day_0": "31", "last_day_1": "9"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "The end date must be a real date" in page
    missing = client.post("/exports/use-of-force-records/",
                          {**OCTOBER, "first_day_0": "", "first_day_1": "", "first_day_2": ""})
    assert "Enter the start date" in missing.content.decode()
