"""The interim rule until a training needs analysis exists (rrp.workforce.requirements):
prevention, physical skills and BLS for everyone on a ward's register, ILS for qualified staff
(standard 2.5.2.I-II)."""

from __future__ import annotations

import pytest

from rrp.workforce.requirements import is_required


@pytest.mark.parametrize("level", ["prevention", "physical", "bls"])
def test_everyone_on_a_ward_needs_prevention_physical_skills_and_bls(level: str) -> None:
    assert is_required(level=level, on_a_ward=True, qualified=False)
    assert is_required(level=level, on_a_ward=True, qualified=True)


def test_only_qualified_staff_need_immediate_life_support() -> None:
    assert is_required(level="ils", on_a_ward=True, qualified=True)
    assert not is_required(level="ils", on_a_ward=True, qualified=False)


@pytest.mark.parametrize("level", ["awareness", "specialist"])
def test_awareness_and_specialist_courses_wait_for_the_tna(level: str) -> None:
    assert not is_required(level=level, on_a_ward=True, qualified=True)


def test_nobody_off_the_wards_is_counted() -> None:
    assert not is_required(level="physical", on_a_ward=False, qualified=True)
