"""The incident page: every Use of Force Act s.6(5) item in plain English, a timeline of the
interventions and the duties with their states, what followed, and the actions the reader's
role allows. Every view is audited, as the page names a patient."""

from __future__ import annotations

import re
from typing import Any

from incidents.conftest import NOW, at
from incidents.pages import text_of
from rrp.audit.models import AuditEvent
from rrp.incidents import services
from rrp.incidents.inputs import InterventionInput


def test_the_page_holds_every_item_of_the_act_in_plain_english(
    record: Any, client_as: Any, clock: Any,
) -> None:
    incident = record()
    page = text_of(client_as("ward_staff").get(f"/uses-of-force/{incident.pk}/"))
    for question, letter, answer in [
        ("Why force was used", "a", "Prevent a patient being violent to others"),
        ("Where, when and for how long", "b",
         "Oak Ward. Started 5 October 2026, 12:00, ended 12:10. Lasted 10 minutes."),
        ("Types of force used", "c", "Standing restraint, side restraint"),
        ("Were these types of force part of the patient's care plan?", "d", "No"),
        ("Patient's name", "e", "Jo Bloggs"),
        ("How force was used", "f", "Held standing, then guided to the floor on his side"),
        ("Patient's identifier", "g", "Local identifier P1001, NHS number 943 476 5919"),
        ("Staff who used force", "h", "Sam Lee, Staff nurse Ali Khan, Healthcare assistant"),
        ("People involved who were not ward staff, and why", "i", "Nobody else was involved"),
        ("Patient's mental disorder", "j", "Not known"),
        ("Patient's relevant characteristics", "k", "Age 42 at the time Sex: Not known"),
        ("Learning disability or autism", "l", "Not known"),
        ("Outcome", "m", "Settled in his room, no injury"),
        ("Did the patient die or suffer a serious injury as a result?", "n", "No"),
        ("What was tried to avoid using force", "o", "Calm talking and space offered"),
        ("Was the person named in the care plan told?", "p", "Nobody is named in the care plan"),
    ]:
        assert f"{question} ({letter}) {answer}" in page, letter
    assert "Lasted 10 minutes" in page
    # Kim Ode watched the patient's wellbeing and did not use force: listed as staff involved.
    assert "Kim Ode Staff nurse Monitoring physical and psychological wellbeing" in page


def test_the_timeline_shows_each_intervention_and_each_duty_with_its_state(
    record: Any, client_as: Any, clock: Any,
) -> None:
    incident = record()
    html = client_as("ward_staff").get(f"/uses-of-force/{incident.pk}/").content.decode()
    timeline = text_of_fragment(html, "rrp-timeline")
    assert "12:00–12:04 Standing restraint 4 minutes" in timeline
    assert "12:04–12:10 Side restraint 6 minutes" in timeline
    # At 14:00 the medical review (due by 13:00) is overdue; observations due by 13:10 too.
    assert "by 13:00 Medical review within 1 hour of restraint Doctor Overdue" in timeline
    assert "Physical observations within 1 hour of restraint ending Ward staff Overdue" in timeline
    assert re.search(r"Post-incident support offered to the patient within 24 hours "
                     r"Ward staff (Due soon|Due)", timeline)
    assert timeline.index("Standing restraint") < timeline.index("Medical review")
    # Overdue is red; a duty due later is yellow or blue.
    assert re.search(r'class="nhsuk-tag nhsuk-tag--red"\s*>\s*Overdue', html)
    assert re.search(r'class="nhsuk-tag nhsuk-tag--(yellow|blue)"\s*>\s*Due', html)


def test_a_duty_done_late_shows_when_by_whom_and_why(
    record: Any, client_as: Any, doctor_actor: Any, clock: Any,
) -> None:
    incident = record()
    services.medical_review_record(
        actor=doctor_actor, incident=incident, reviewed_at=at(75), reviewer="Dr Priya Shah",
        findings="No injury; settled", delay_reason="Doctor was at another ward's emergency",
        now=NOW,
    )
    page = text_of(client_as("ward_staff").get(f"/uses-of-force/{incident.pk}/"))
    assert ("Medical review within 1 hour of restraint Doctor · Done 5 October 2026, 13:15 by "
            "Dr Rao Reason for the delay: Doctor was at another ward's emergency "
            "Done late") in page
    assert "Medical reviews When 5 October 2026, 13:15 Doctor Dr Priya Shah" in page


def test_every_view_is_audited(record: Any, make_user: Any, client_for: Any, clock: Any) -> None:
    incident = record()
    reader = make_user("doctor", username="dr_read")
    client_for(reader).get(f"/uses-of-force/{incident.pk}/")
    event = AuditEvent.objects.get(actor=reader, object_type="incidents.incident")
    assert (event.action, event.object_type, event.object_id) == (
        "view", "incidents.incident", str(incident.pk))
    assert event.summary == f"{incident.reference} viewed"


def test_the_actions_shown_are_the_ones_the_role_allows(
    record: Any, client_as: Any, clock: Any,
) -> None:
    incident = record()
    url = f"/uses-of-force/{incident.pk}/"
    nurse_page = text_of(client_as("ward_staff").get(url))
    manager_page = text_of(client_as("ward_manager").get(url))
    doctor_page = text_of(client_as("doctor").get(url))
    assert "Amend the record" in nurse_page and "Review this record" not in nurse_page
    # ADR 7: the medical review is a doctor's to record or to mark not required.
    assert "Record medical review" not in nurse_page and "Record observations" in nurse_page
    assert "Medical review within 1 hour of restraint" in nurse_page
    assert "A doctor records this" in nurse_page
    assert "Record medical review" in doctor_page and "Record observations" not in doctor_page
    assert "Review this record" in manager_page


def test_a_draft_says_its_duties_start_on_submission(record: Any, client_as: Any, clock: Any
                                                    ) -> None:
    incident = record(submit=False)
    page = text_of(client_as("ward_staff").get(f"/uses-of-force/{incident.pk}/"))
    assert ("This is a draft, not yet submitted. The duties that follow start when it is "
            "submitted.") in page
    assert "Submit the record" in page and "Change the draft" in page
    assert "Record medical review" not in page


def test_ongoing_seclusion_shows_as_still_going_on(
    record: Any, client_as: Any, clock: Any,
) -> None:
    incident = record(ended_at=None, interventions=[
        InterventionInput("07", at(0), at(4)), InterventionInput("05", at(5), None)])
    page = text_of(client_as("ward_staff").get(f"/uses-of-force/{incident.pk}/"))
    assert "12:05 Seclusion Still going on" in page
    assert "Lasted still going on" in page


def text_of_fragment(html: str, css_class: str) -> str:
    start = html.index(f'class="nhsuk-table {css_class}"')
    end = html.index("</table>", start)

    class Response:
        content = html[start:end].encode()

    return text_of(Response())
