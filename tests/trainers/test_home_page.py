"""The home page: the lead sees trainers whose yearly review is overdue or due within 30 days
and providers whose certificate or insurance is lapsing; a trainer sees their own review."""

from __future__ import annotations

import datetime as dt
from typing import Any

D = dt.date


def test_the_lead_sees_reviews_due_and_providers_lapsing(
    make_trainer: Any, make_provider: Any, review: Any, lead_client: Any, client_as: Any,
) -> None:
    ada = make_trainer("Ada")
    review(ada, on=D(2025, 6, 1))  # in date
    page = lead_client.get("/").content.decode()
    assert "Trainer portfolio review" not in page
    ben = make_trainer("Ben")
    review(ben, on=D(2025, 3, 25))  # due by 25 March 2026: within 30 days
    page = lead_client.get("/").content.decode()
    assert "Trainer portfolio review due" in page and "due within 30 days" in page
    make_trainer("Cat")  # never reviewed: overdue
    page = lead_client.get("/").content.decode()
    assert "Trainer portfolio reviews due" in page and "1 overdue" in page
    assert 'href="/training/trainers/#reviews-due"' in page
    assert "Training provider certificate or insurance lapsing" not in page
    make_provider("Calm Training Ltd", indemnity_clarified_on=D(2025, 5, 1),
                  indemnity_valid_until=D(2026, 4, 30), indemnity_evidence="Seen")
    page = lead_client.get("/").content.decode()
    assert "Training provider certificate or insurance lapsing" in page
    # The board sees the trainers' pages but has nothing to act on here.
    board_page = client_as("board").get("/").content.decode()
    assert "Trainer portfolio review" not in board_page
    assert "lapsing" not in board_page


def test_a_trainer_sees_their_own_review_due(
    make_user: Any, make_staff: Any, make_trainer: Any, review: Any, client_for: Any,
    organisation: Any, client_as: Any,
) -> None:
    sam = make_user("trainer", username="sam", full_name="Sam Patel")
    mine = make_trainer(member=make_staff("Sam Patel", user_id=sam.pk))
    review(mine, on=D(2025, 6, 1))
    client = client_for(sam, organisation)
    assert "Your trainer portfolio review is due" not in client.get("/").content.decode()
    review(mine, on=D(2025, 3, 20), outcome="satisfactory")  # an older review changes nothing
    assert "Your trainer portfolio review is due" not in client.get("/").content.decode()
    other = make_trainer("Other")  # someone else's review overdue: not on Sam's page
    review(other, on=D(2024, 1, 1))
    assert "Your trainer portfolio review is due" not in client.get("/").content.decode()
    ben_user = make_user("trainer", username="ben")
    ben = make_trainer(member=make_staff("Ben", user_id=ben_user.pk))
    review(ben, on=D(2025, 3, 30))  # due by 30 March 2026
    page = client_for(ben_user, organisation).get("/").content.decode()
    assert "Your trainer portfolio review is due" in page
    assert "is due by 30/03/2026" in page
    assert f'href="/training/trainers/{ben.pk}/"' in page
