"""Every MHSDS measure on a small provider worked out by hand.

March 2026, one site, two wards (bed days: Oak 500, Ash 300), four patients:

    I1 Oak, P1, 10 Mar 14:00: prone 10 min then supine 15 min (incident 25 min)
    I2 Oak, P2, 20 Mar 09:00: standing 5 min
    I3 Ash, P1, 31 Mar 23:00 BST: seclusion for 48 hours, to 2 Apr 23:00 (spans the month end)
    I4 Ash, P3,  5 Mar 10:00: rapid tranquillisation, 1 min
    I5 Ash, P3, 15 Feb 10:00 GMT: segregation, not ended
    not counted: a draft, a record entered in error, negligible force (all on Oak, P2)

Ward stays: P1 Oak 1 Feb - 20 Mar then Ash from 20 Mar; P2 Oak from 1 Mar; P3 Ash 10 Jan -
31 Mar; P4 Oak from 25 Mar (never restrained).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from rrp.analytics import measures
from rrp.analytics.models import SCOPE_ORG, scope_service, scope_site, scope_ward

from .conftest import NOW

MARCH = dt.date(2026, 3, 1)
APRIL = dt.date(2026, 4, 1)


@pytest.fixture
def provider(
    organisation: Any, make_site: Any, make_ward: Any, make_patient: Any, make_admission: Any,
    record: Any, bed_days: Any, system_actor: Any, up_to_date: Any,
) -> dict[str, Any]:
    from rrp.incidents.services import incident_mark_entered_in_error

    site = make_site("Northgate Hospital")
    oak = make_ward("OAK", "Oak Ward", site=site, service_type="adult_acute")
    ash = make_ward("ASH", "Ash Ward", beds=10, site=site, service_type="picu")
    p1, p2, p3, p4 = (make_patient(f"P{n}") for n in range(1, 5))
    make_admission(p1, oak, dt.date(2026, 2, 1), dt.date(2026, 3, 20))
    make_admission(p1, ash, dt.date(2026, 3, 20))
    make_admission(p2, oak, dt.date(2026, 3, 1))
    make_admission(p3, ash, dt.date(2026, 1, 10), dt.date(2026, 3, 31))
    make_admission(p4, oak, dt.date(2026, 3, 25))
    bed_days(oak, {"2026-03": 500, "2026-04": 480})
    bed_days(ash, {"2026-03": 300, "2026-04": 290})

    record(oak, p1, "2026-03-10 14:00", [("01", 0, 10), ("09", 10, 25)])
    record(oak, p2, "2026-03-20 09:00", [("07", 0, 5)])
    record(ash, p1, "2026-03-31 23:00", [("05", 0, 48 * 60)])
    record(ash, p3, "2026-03-05 10:00", [("14", 0, 1)])
    record(ash, p3, "2026-02-15 10:00", [("06", 0, None)], ended=None)
    record(oak, p2, "2026-03-12 10:00", [("07", 0, 5)], submit=False)
    wrong = record(oak, p2, "2026-03-15 10:00", [("07", 0, 5)])
    incident_mark_entered_in_error(actor=system_actor, incident=wrong, reason="Wrong patient")
    record(oak, p2, "2026-03-16 10:00", [("07", 0, 2)], negligible=True)
    up_to_date(organisation)
    return {"org": organisation, "site": site, "oak": oak, "ash": ash}


def value(provider: dict[str, Any], measure_id: str, scope: str, month: dt.date = MARCH) -> Any:
    parts = measures.monthly_parts(provider["org"], [scope], [month])[scope][month]
    return measures.MEASURE_BY_ID[measure_id].value(parts)


def test_organisation_measures_for_march(provider: dict[str, Any]) -> None:
    org = SCOPE_ORG
    assert value(provider, "MHS77", org) == 6  # I1 x2, I2, I3, I4, I5
    assert value(provider, "MHS136", org) == 5
    assert value(provider, "MHS76", org) == 3  # P1 on two wards counts once
    assert value(provider, "MHS96", org) == pytest.approx(6 / 800 * 1000)
    assert value(provider, "MHS97", org) == pytest.approx(3 / 4 * 100)  # P1-P4 in hospital
    assert value(provider, "MHS137", org) == pytest.approx(6 / 5)
    # Interventions ending in March: 10, 15, 5 and 1 minutes.
    assert value(provider, "MHS98", org) == pytest.approx(31 / 4)
    assert value(provider, "MHS99", org) == pytest.approx(15)
    # Incidents ending in March: 25, 5 and 1 minutes.
    assert value(provider, "MHS138", org) == pytest.approx(31 / 3)
    assert value(provider, "MHS139", org) == pytest.approx(25)
    # Seclusion from 23:00 BST on 31 March: one hour of it by the end of March.
    assert value(provider, "MHS146", org) == pytest.approx(1 / 24)
    # Segregation from 10:00 GMT on 15 February to midnight BST at the end of March.
    assert value(provider, "MHS147", org) == pytest.approx(44 + 13 / 24)
    assert value(provider, "prone_rate", org) == pytest.approx(1 / 800 * 1000)
    assert value(provider, "prone_share", org) == pytest.approx(100 / 3)
    assert value(provider, "rapid_tranquillisation_rate", org) == pytest.approx(1 / 800 * 1000)
    assert value(provider, "incidents_rate", org) == pytest.approx(5 / 800 * 1000)


def test_ward_site_and_service_type_measures(provider: dict[str, Any]) -> None:
    oak, ash = scope_ward(provider["oak"].pk), scope_ward(provider["ash"].pk)
    assert value(provider, "MHS77", oak) == 3
    assert value(provider, "MHS76", oak) == 2
    assert value(provider, "MHS96", oak) == pytest.approx(3 / 500 * 1000)
    assert value(provider, "MHS97", oak) == pytest.approx(2 / 3 * 100)  # P1, P2, P4 on Oak
    assert value(provider, "MHS98", oak) == pytest.approx(10)
    assert value(provider, "MHS77", ash) == 3
    assert value(provider, "MHS97", ash) == pytest.approx(100)  # P1 and P3
    assert value(provider, "MHS98", ash) == pytest.approx(1)
    assert value(provider, "MHS96", scope_service("picu")) == pytest.approx(3 / 300 * 1000)
    site = scope_site(provider["site"].pk)
    assert value(provider, "MHS96", site) == pytest.approx(6 / 800 * 1000)


def test_an_intervention_across_a_month_end_counts_in_both_months(provider: dict[str, Any]) -> None:
    ash = scope_ward(provider["ash"].pk)
    # April on Ash: the seclusion that started on 31 March and the open segregation.
    assert value(provider, "MHS77", ash, APRIL) == 2
    assert value(provider, "MHS98", ash, APRIL) == pytest.approx(48 * 60)
    assert value(provider, "MHS138", ash, APRIL) == pytest.approx(48 * 60)
    assert value(provider, "MHS146", ash, APRIL) is None  # the seclusion had ended
    assert value(provider, "MHS147", ash, APRIL) == pytest.approx(74 + 13 / 24)


def test_a_month_without_bed_days_has_no_rate(provider: dict[str, Any]) -> None:
    assert value(provider, "MHS96", SCOPE_ORG, dt.date(2026, 2, 1)) is None
    assert value(provider, "MHS77", SCOPE_ORG, dt.date(2026, 2, 1)) == 1  # the segregation


def test_the_open_segregation_is_carried_into_the_current_month(provider: dict[str, Any]) -> None:
    current = NOW.date().replace(day=1)
    assert value(provider, "MHS77", scope_ward(provider["ash"].pk), current) == 1
    # Not yet the end of the month: no active days are counted for it.
    assert value(provider, "MHS147", scope_ward(provider["ash"].pk), current) is None


def test_someone_restrained_without_a_recorded_stay_was_in_hospital(
    organisation: Any, ward: Any, make_patient: Any, make_admission: Any, record: Any,
    up_to_date: Any,
) -> None:
    # One person with a stay, never restrained; one restrained with no stay recorded.
    make_admission(make_patient("P1"), ward, dt.date(2026, 3, 1))
    record(ward, make_patient("P2"), "2026-03-10 10:00", [("07", 0, 5)])
    up_to_date(organisation)
    parts = measures.monthly_parts(organisation, [SCOPE_ORG], [MARCH])[SCOPE_ORG][MARCH]
    assert (parts.people, parts.people_in_hospital, parts.people_without_stay) == (1, 1, 1)
    assert measures.MEASURE_BY_ID["MHS97"].value(parts) == pytest.approx(50)
