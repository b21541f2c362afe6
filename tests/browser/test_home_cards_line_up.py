"""The home page's cards line up: side by side, an urgent card and an ordinary one start and end
at the same height, with their headings and numbers level (issue 10, finding 11: the urgent
cards sat lower than the cards beside them)."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import HttpRequest
from playwright.sync_api import Page

from rrp.core import attention
from rrp.core.attention import AttentionItem


def three_cards(request: HttpRequest) -> list[AttentionItem]:
    return [
        AttentionItem(title="Overdue duties", count=3, urgent=True,
                      href="/uses-of-force/duties/?state=overdue",
                      detail="Reviews and observations past due"),
        AttentionItem(title="Records waiting for review", count=12,
                      href="/uses-of-force/?status=submitted",
                      detail="Submitted uses of force a ward manager has not yet reviewed, on "
                      "every ward of the trust, a description long enough to wrap"),
        AttentionItem(title="People with no safety plan", count=4,
                      href="/safety-plans/?state=missing#plans",
                      detail="People on the wards with no safety plan"),
    ]


@pytest.fixture
def cards_on_the_home_page(monkeypatch: pytest.MonkeyPatch) -> None:
    # The live server runs in this process, so it draws these cards and no others.
    monkeypatch.setattr(attention, "SOURCES", [three_cards])


def boxes(page: Page, selector: str) -> list[dict[str, float]]:
    found = []
    for i in range(page.locator(selector).count()):
        box = page.locator(selector).nth(i).bounding_box()
        assert box is not None, f"{selector} number {i + 1} is not shown"
        found.append({"x": box["x"], "y": box["y"], "height": box["height"]})
    return found


def test_an_urgent_card_and_the_card_beside_it_line_up(
    cards_on_the_home_page: None, sign_in_as: Any, visit: Any, page: Page,
) -> None:
    # Given a lead with an urgent card and ordinary ones, on a desktop screen
    sign_in_as("rrp_lead")
    page.set_viewport_size({"width": 1280, "height": 900})
    # When they open the home page
    visit("/")
    cards = boxes(page, ".nhsuk-card-group__item .nhsuk-card")
    headings = boxes(page, ".nhsuk-card-group__item h2")
    counts = boxes(page, ".nhsuk-card-group__item .rrp-count")
    assert len(cards) == len(headings) == len(counts) == 3
    # Then the first two share a row, and start, end, head and count at the same heights
    urgent, beside, below = cards
    assert urgent["y"] == pytest.approx(beside["y"], abs=1)
    assert urgent["height"] == pytest.approx(beside["height"], abs=1)
    assert headings[0]["y"] == pytest.approx(headings[1]["y"], abs=1)
    assert counts[0]["y"] == pytest.approx(counts[1]["y"], abs=1)
    # And the third starts a row of its own, under them
    assert below["y"] > urgent["y"] + urgent["height"]
    # And each card's number opens its list
    assert page.get_by_role("link", name="Urgent: Overdue duties").get_attribute("href") == (
        "/uses-of-force/duties/?state=overdue")
