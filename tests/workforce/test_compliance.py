"""Compliance by ward and course: required, in date, expiring, expired, never and the share
in date, bank and agency staff counted apart (standard 1.9.II); the ward manager sees their
ward and who is behind the figures, the trainer every ward."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from rrp.workforce import selectors
from rrp.workforce.selectors import Counts

from .conftest import TODAY


@pytest.fixture
def oak_and_ash(clock: Any, make_ward: Any, make_staff: Any, standard_courses: dict[str, Any],
                train: Any) -> dict[str, Any]:
    ash = make_ward(code="ASH", name="Ash Ward")
    physical = standard_courses["physical"]
    people = {
        "in_date": make_staff("Ann InDate"),
        "expiring": make_staff("Ben Expiring"),
        "expired": make_staff("Cat Expired", employment="bank"),
        "never": make_staff("Dan Never", employment="agency"),
        "both": make_staff("Eve BothWards", wards=["OAK", "ASH"]),
        "left": make_staff("Fay Left", leaving_date=dt.date(2026, 3, 1)),
    }
    train(people["in_date"], physical, on=dt.date(2026, 1, 10))
    train(people["expiring"], physical, on=dt.date(2025, 4, 1))
    train(people["expired"], physical, on=dt.date(2025, 2, 1))
    train(people["both"], physical, on=dt.date(2025, 12, 1))
    return {"ash": ash, "people": people, **standard_courses}


def row_for(figures: selectors.Compliance, code: str) -> selectors.ComplianceRow:
    return next(r for r in figures.rows if r.course.code == code)


def test_a_wards_figures_for_a_course(oak_and_ash: dict[str, Any], ward: Any) -> None:
    row = row_for(selectors.compliance(ward.organisation, TODAY, ward=ward), "RRN-L2")
    total = row.total
    assert (total.required, total.in_date, total.expiring, total.expired, total.never) == (
        5, 3, 1, 1, 1)
    assert total.percent == 60.0
    assert row.groups["bank"].expired == 1 and row.groups["bank"].required == 1
    assert row.groups["agency"].never == 1
    assert row.groups["employed"].required == 3
    assert [p.name for p, _s in row.people] == ["Dan Never", "Cat Expired", "Ben Expiring"]


def test_ils_is_counted_for_qualified_staff_only(
    oak_and_ash: dict[str, Any], ward: Any, make_staff: Any
) -> None:
    make_staff("Gus Nurse", qualified=True)
    row = row_for(selectors.compliance(ward.organisation, TODAY, ward=ward), "ILS")
    assert row.total.required == 1


def test_across_all_wards_each_person_counts_once(oak_and_ash: dict[str, Any],
                                                  ward: Any) -> None:
    everyone = row_for(selectors.compliance(ward.organisation, TODAY), "RRN-L2").total
    ash = row_for(selectors.compliance(ward.organisation, TODAY, ward=oak_and_ash["ash"]),
                  "RRN-L2").total
    assert everyone.required == 5
    assert (ash.required, ash.in_date) == (1, 1)


def test_the_share_in_date_rounds_halves_up() -> None:
    counts = Counts(required=8, in_date=7)  # 87.5
    assert counts.percent == 87.5
    assert Counts(required=1600, in_date=1401).percent == 87.6  # 87.5625
    assert Counts(required=0).percent is None
    assert Counts(required=200, in_date=1).percent == 0.5


def test_the_ward_manager_sees_their_ward_and_who_is_out_of_date(
    oak_and_ash: dict[str, Any], make_user: Any, client_for: Any, organisation: Any, ward: Any,
    system_actor: Any,
) -> None:
    from rrp.organisations.models import Membership

    manager = make_user("ward_manager")
    Membership.objects.filter(user=manager).update(home_ward=oak_and_ash["ash"])
    page = client_for(manager, organisation).get("/training/").content.decode()
    assert "Ash Ward · 10 March 2026" in page
    assert "Dan Never" not in page  # on Oak only
    page = client_for(manager, organisation).get("/training/?ward=OAK").content.decode()
    out = page[page.index('id="out-of-date"'):page.index('id="expiring"')]
    assert "Dan Never" in out and "Cat Expired" in out
    assert ('RRN-L2 <strong class="nhsuk-tag nhsuk-tag--red">Expired</strong> '
            "(in date until 1 February 2026)") in out
    soon = page[page.index('id="expiring"'):page.index('id="not-yet-competent"')]
    assert "Ben Expiring" in soon and "1 April 2026" in soon
    assert "Bank staff" in page and "Agency staff" in page
    assert "Below 85%" in page


def test_the_trainer_sees_every_ward(oak_and_ash: dict[str, Any], trainer_client: Any) -> None:
    page = trainer_client.get("/training/").content.decode()
    assert "All wards" in page and "By ward" in page
    table = page[page.index("By ward"):]
    assert "Ash Ward" in table and "Oak Ward" in table
    assert "Download as Excel" in page


def test_an_unknown_ward_is_404(oak_and_ash: dict[str, Any], trainer_client: Any) -> None:
    assert trainer_client.get("/training/?ward=NOPE").status_code == 404
