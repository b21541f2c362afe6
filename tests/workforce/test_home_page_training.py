"""The home page shows what training needs doing: staff out of date or running out on a
manager's ward (every ward for the trainer), people not yet competent whose plans need
following up (3.4.2.XXXIX), and RRN certificates running out within 90 days. The trainer no
longer signs in to "Nothing needs your attention" when something does."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rrp.organisations.models import Membership


def test_a_trainer_with_nothing_to_do_is_told_so(clock: Any, trainer_client: Any) -> None:
    page = trainer_client.get("/").content.decode()
    assert "Nothing needs your attention right now" in page


def test_the_trainer_sees_out_of_date_staff_not_yet_competent_and_certificates(
    clock: Any, trainer_client: Any, make_staff: Any, make_course: Any, train: Any
) -> None:
    physical = make_course("RRN-L2", certifying_body="BILD ACT", certificate_number="BA-1",
                           certificate_valid_until=dt.date(2026, 5, 31))
    ada, ben = make_staff("Ada"), make_staff("Ben")
    train(ada, physical, on=dt.date(2025, 4, 20))  # runs out 20 April: expiring
    train(ben, physical, on=dt.date(2026, 3, 2), outcome="not_yet_competent")
    page = trainer_client.get("/").content.decode()
    assert "Nothing needs your attention" not in page
    assert "Staff out of date on required training" in page  # Ben: never competent
    assert "Training running out in the next 60 days" in page
    assert "People not yet competent" in page
    assert "RRN certificate running out" in page
    assert 'href="/training/#not-yet-competent"' in page


def test_a_ward_manager_sees_their_own_ward_only(
    clock: Any, make_user: Any, client_for: Any, organisation: Any, make_ward: Any,
    make_staff: Any, make_course: Any,
) -> None:
    ash = make_ward(code="ASH", name="Ash Ward")
    make_course("RRN-L2")
    make_staff("Oak Person")  # never trained, on Oak
    manager = make_user("ward_manager")
    Membership.objects.filter(user=manager).update(home_ward=ash)
    page = client_for(manager, organisation).get("/").content.decode()
    assert "Staff out of date on required training" not in page
    make_staff("Ash Person", wards=["ASH"])
    page = client_for(manager, organisation).get("/").content.decode()
    assert "Staff out of date on required training" in page
    assert "People on Ash Ward whose required training has expired" in page
    assert 'href="/training/?ward=ASH#out-of-date"' in page
    assert "RRN certificate" not in page and "not yet competent" not in page
