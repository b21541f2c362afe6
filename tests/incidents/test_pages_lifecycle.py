"""A record from draft to closed through the pages: a draft is submitted from its page (or
shown with every problem if it is not complete); a submitted record is amended only with a
reason, as a new version everyone can see; a ward manager reviews and closes it; a record
entered in error stays visible, clearly marked, with the reason."""

from __future__ import annotations

from typing import Any

from incidents.pages import error_links, form_from, text_of
from rrp.incidents.models import Duty, Incident


def test_a_complete_draft_is_submitted_from_its_page(
    record: Any, client_as: Any, clock: Any,
) -> None:
    draft = record(submit=False)
    response = client_as("ward_staff").post(f"/uses-of-force/{draft.pk}/submit/")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "submitted"
    assert Duty.objects.filter(incident=draft, kind="medical_review").exists()


def test_an_incomplete_draft_opens_with_every_problem_on_its_field(
    record: Any, client_as: Any, clock: Any,
) -> None:
    draft = record(submit=False, description="", outcome="")
    response = client_as("ward_staff").post(f"/uses-of-force/{draft.pk}/submit/")
    assert response.status_code == 200
    assert error_links(response) == {
        "Describe how force was used": "#id_description",
        "Describe the outcome": "#id_outcome",
    }
    assert "Change draft " + draft.reference in text_of(response)
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_draft_is_changed_and_submitted_in_one_go(
    record: Any, client_as: Any, clock: Any,
) -> None:
    draft = record(submit=False, outcome="")
    client = client_as("ward_staff")
    page = client.get(f"/uses-of-force/{draft.pk}/change/")
    html = page.content.decode()
    assert 'value="12:00"' in html and 'value="12:04"' in html and 'value="12:10"' in html
    assert "Held standing, then guided to the floor on his side" in html
    form = form_from(page)
    form.update({"outcome": "Calm in his room", "action": "submit"})
    assert client.post(f"/uses-of-force/{draft.pk}/change/", form).status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.outcome, draft.version) == ("submitted", "Calm in his room", 1)
    assert draft.interventions.count() == 2 and draft.staff.count() == 3


def test_an_amendment_needs_a_reason_and_is_kept_as_a_new_version(
    record: Any, make_user: Any, client_for: Any, clock: Any,
) -> None:
    incident = record()
    manager = make_user("ward_manager", username="tom", full_name="Tom Brennan")
    client = client_for(manager)
    url = f"/uses-of-force/{incident.pk}/change/"
    form = form_from(client.get(url))
    form.update({"action": "save", "interventions-1-ended_at": "12:12"})
    assert error_links(client.post(url, form)) == {
        "Say why you are changing this record": "#id_change_reason"
    }
    form["change_reason"] = "The side restraint ended at 12:12, checked with the team"
    assert client.post(url, form).status_code == 302
    incident.refresh_from_db()
    assert incident.version == 2
    assert incident.interventions.order_by("started_at").last().duration_minutes == 8
    page = text_of(client.get(f"/uses-of-force/{incident.pk}/"))
    assert ("2 5 October 2026, 14:00 by Tom Brennan The side restraint ended at 12:12, checked "
            "with the team End time, types of force and times") in page
    assert "1 5 October 2026, 14:00 by Sam Lee First submitted" in page


def test_a_ward_manager_reviews_then_closes_the_record(
    record: Any, make_user: Any, client_for: Any, clock: Any,
) -> None:
    incident = record()
    client = client_for(make_user("ward_manager", username="tom", full_name="Tom Brennan"))
    url = f"/uses-of-force/{incident.pk}"
    assert error_links(client.post(f"{url}/review/", {"notes": " "})) == {
        "Enter your review of the record": "#id_notes"
    }
    assert client.post(f"{url}/review/", {"notes": "Complete; debrief booked"}).status_code == 302
    assert client.post(f"{url}/close/").status_code == 302
    incident.refresh_from_db()
    assert (incident.status, incident.review_notes) == ("closed", "Complete; debrief booked")
    page = text_of(client.get(f"{url}/"))
    assert ("Ward manager's review By Tom Brennan on 5 October 2026, 14:00 "
            "Complete; debrief booked") in page
    assert "Closed" in page and "Amend the record" not in page
    # A closed record cannot be changed: its change page goes back to the record.
    assert client.get(f"{url}/change/")["Location"] == f"{url}/"


def test_entered_in_error_needs_a_reason_and_the_record_stays_visible(
    record: Any, client_as: Any, clock: Any,
) -> None:
    incident = record()
    client = client_as("ward_staff")
    url = f"/uses-of-force/{incident.pk}"
    assert error_links(client.post(f"{url}/entered-in-error/", {"reason": ""})) == {
        "Say why this record was entered in error": "#id_reason"
    }
    assert client.post(f"{url}/entered-in-error/", {"reason": "Recorded twice"}).status_code == 302
    page = text_of(client.get(f"{url}/"))
    assert "Entered in error" in page and "Reason: Recorded twice" in page
    assert "Record medical review" not in page and "Amend the record" not in page
    listed = client.get("/uses-of-force/").content.decode()
    assert incident.reference in listed and "Entered in error" in listed
    assert Incident.objects.filter(pk=incident.pk).exists()
    # Nothing more can be recorded against it.
    assert client.get(f"{url}/medical-review/")["Location"] == f"{url}/"

