"""The TNA in force is reviewed yearly (standard 3.4.1): the lead's and the trainer's home page
say so from 30 days before the review is due, and urgently once it is overdue; signing off a
new version clears it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rrp.workforce.inputs import TnaRequirementInput

from .conftest import LONDON

TITLE = "Training needs analysis review due"


def test_the_review_shows_when_due_and_opens_the_analysis(
    make_tna: Any, make_course: Any, lead: Any, trainer: Any, clock: Any, client_as: Any,
    client_for: Any, organisation: Any,
) -> None:
    make_course("RRN-L2")
    analysis = make_tna([TnaRequirementInput(course="RRN-L2")])  # review due 10 March 2027
    assert TITLE not in client_for(lead, organisation).get("/").content.decode()
    # Sessions do not last a year: sign in afresh after each move of the clock.
    clock.move_to(dt.datetime(2027, 2, 10, 9, 0, tzinfo=LONDON))  # 28 days before
    home = client_for(lead, organisation).get("/").content.decode()
    assert TITLE in home
    assert f'href="/training/needs-analysis/{analysis.pk}/"' in home
    assert TITLE in client_for(trainer, organisation).get("/").content.decode()
    assert TITLE not in client_as("ward_manager").get("/").content.decode()
    clock.move_to(dt.datetime(2027, 3, 11, 9, 0, tzinfo=LONDON))
    page = client_for(lead, organisation).get(
        f"/training/needs-analysis/{analysis.pk}/").content.decode()
    assert "Review overdue" in page


def test_a_new_version_signed_off_clears_the_review(
    make_tna: Any, make_course: Any, lead: Any, clock: Any, client_for: Any,
    organisation: Any,
) -> None:
    make_course("RRN-L2")
    make_tna([TnaRequirementInput(course="RRN-L2")])
    clock.move_to(dt.datetime(2027, 3, 20, 9, 0, tzinfo=LONDON))
    client = client_for(lead, organisation)
    assert TITLE in client.get("/").content.decode()
    make_tna([TnaRequirementInput(course="RRN-L2")])
    assert TITLE not in client.get("/").content.decode()
