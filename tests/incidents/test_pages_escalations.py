"""A death or serious injury is impossible to miss: it is listed for the restrictive practice
lead as soon as the record is submitted, and stays there until the lead acknowledges it."""

from __future__ import annotations

from typing import Any

from incidents.pages import text_of

URL = "/uses-of-force/escalations/"


def test_the_lead_acknowledges_a_serious_injury(
    record: Any, make_user: Any, client_for: Any, clock: Any,
) -> None:
    serious = record(death_or_serious_injury=True, harm="severe")
    record()  # an ordinary restraint is not escalated
    lead = make_user("rrp_lead", username="grace", full_name="Grace Mensah")
    client = client_for(lead)
    page = text_of(client.get(URL))
    assert (f"Waiting to be acknowledged Escalations waiting to be acknowledged Raised Use of "
            f"force Harm Action 5 October 2026, 14:00 {serious.reference}") in page
    assert "Death or serious injury Acknowledge" in page
    incident_page = text_of(client.get(f"/uses-of-force/{serious.pk}/"))
    assert ("Death or serious injury The restrictive practice lead was told on 5 October 2026, "
            "14:00") in incident_page

    escalation = serious.escalations.get()
    assert client.post(URL, {"escalation": escalation.pk}).status_code == 302
    escalation.refresh_from_db()
    assert escalation.acknowledged_by == lead
    page = text_of(client.get(URL))
    assert "Nothing is waiting." in page
    assert (f"Acknowledged {serious.reference}, raised 5 October 2026, 14:00, acknowledged "
            "5 October 2026, 14:00 by Grace Mensah") in page


def test_the_home_page_points_the_lead_to_it(record: Any, client_as: Any, clock: Any) -> None:
    record(death_or_serious_injury=True)
    home = client_as("rrp_lead").get("/")
    assert home.status_code == 200
    assert 'href="/uses-of-force/escalations/"' in home.content.decode()
    assert "Death or serious injury to review" in text_of(home)
