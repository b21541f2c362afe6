"""The synthetic demo provider: seeded and reproducible, one provider with 2 sites and 6 wards
of 6 service types, one account per role, about two years of ward stays and the bed days that
follow from them.

These tests are about the platform's part of the demo. The steps other capabilities add (uses
of force, care plans, ...) take most of a minute and have tests of their own, so they are
switched off here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction

from rrp.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from rrp.demo.generator import DEMO_ODS_CODE, seed_demo
from rrp.organisations.models import Membership, OccupiedBedDays, Organisation, Role, Site, Ward
from rrp.patients.models import Admission, Patient
from rrp.patients.nhs_number import nhs_number_problem

TODAY = dt.date(2026, 11, 27)


class _RollBack(Exception):
    pass


@pytest.fixture(autouse=True)
def _platform_part_only(demo_without_other_capabilities: None) -> None:
    pass


def patients_as_data() -> list[dict[str, Any]]:
    return list(
        Patient.objects.order_by("local_id").values(
            *(f.attname for f in Patient._meta.concrete_fields
              if f.attname not in {"id", "organisation_id", "created_at", "updated_at"})
        )
    )


def stays_as_data() -> list[tuple[Any, ...]]:
    return list(
        Admission.objects.order_by("patient__local_id", "admitted_on").values_list(
            "patient__local_id", "ward__code", "admitted_on", "discharged_on"
        )
    )


def seed_and_read(seed: int) -> tuple[list[dict[str, Any]], list[tuple[Any, ...]]]:
    """Seed an empty database, read it back, and leave the database empty again."""
    assert not Organisation.objects.exists()
    try:
        with transaction.atomic():
            seed_demo(seed=seed, today=TODAY)
            result = (patients_as_data(), stays_as_data())
            raise _RollBack
    except _RollBack:
        pass
    return result


def test_the_same_seed_gives_the_same_people_and_stays(db: None) -> None:
    first = seed_and_read(1)
    second = seed_and_read(1)
    assert len(first[0]) > 500
    assert first == second
    different = seed_and_read(2)
    assert different[0] != first[0]


@pytest.fixture
def demo(db: None) -> Organisation:
    return seed_demo(seed=1, today=TODAY)


def test_one_provider_with_two_sites_and_six_kinds_of_ward(demo: Organisation) -> None:
    assert demo.ods_code == DEMO_ODS_CODE
    assert "(demo)" in demo.name
    assert Site.objects.filter(organisation=demo).count() == 2
    wards = Ward.objects.filter(organisation=demo)
    assert wards.count() == 6
    assert len({w.service_type for w in wards}) == 6
    assert all(w.site is not None and w.beds > 0 for w in wards)


def test_one_account_for_each_role_with_the_listed_password(demo: Organisation) -> None:
    assert sorted(a["role"] for a in DEMO_ACCOUNTS) == sorted(Role.values)
    for account in DEMO_ACCOUNTS:
        memberships = Membership.objects.filter(
            organisation=demo, user__username=account["username"]
        ).select_related("user")
        assert [m.role for m in memberships] == [account["role"]]
        assert memberships[0].user.check_password(DEMO_PASSWORD)
        assert memberships[0].user.get_full_name() == account["full_name"]


def test_about_two_years_of_bed_days_for_every_ward(demo: Organisation) -> None:
    for ward in Ward.objects.filter(organisation=demo):
        rows = OccupiedBedDays.objects.filter(ward=ward)
        months = sorted(rows.values_list("month", flat=True))
        assert 24 <= len(months) <= 25
        assert months[-1] == TODAY.replace(day=1)
        # Wards are kept busy: most months are more than half full and none over capacity.
        occupancy = [row.bed_days / row.capacity for row in rows.select_related("ward")]
        assert max(occupancy) <= 1
        assert sum(o > 0.5 for o in occupancy) >= len(occupancy) * 0.8


def test_realistic_patients_with_valid_test_nhs_numbers(demo: Organisation) -> None:
    patients = Patient.objects.filter(organisation=demo)
    numbers = [p.nhs_number for p in patients if p.nhs_number]
    assert len(numbers) > 0.9 * patients.count()
    assert all(n.startswith("999") and nhs_number_problem(n) is None for n in numbers)
    assert len({p.ethnic_category for p in patients}) >= 10
    # Every stay is on one of the provider's wards, and only the present has open stays.
    stays = Admission.objects.filter(organisation=demo)
    assert stays.filter(discharged_on__isnull=True).count() <= sum(
        w.beds for w in Ward.objects.filter(organisation=demo)
    )
    assert not stays.filter(admitted_on__gt=TODAY).exists()
