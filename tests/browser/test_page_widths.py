"""Every page works on a phone (390 px wide), a tablet (768 px) and a desktop (1,280 px):
nothing makes the page scroll sideways. Tables stack into one block per row (NHS.UK
responsive table) or scroll inside their own region; long words wrap; form controls stay
inside their column.

Given the synthetic demo provider (a small one: the same code, fewer months and beds), each
role signs in and opens the pages they use; each page is checked for accessibility (axe) and
its width. The analytics dashboards are left to their own tests.

Once the uses-of-force list was 773 px wide on a phone, the duties list 539 px, the compliance
pages 513-581 px and the recording form 425 px.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page

from rrp.organisations.models import Membership

TODAY = dt.date(2026, 11, 27)
# A phone, a tablet, and a desktop (where a wide table must scroll in its own region).
WIDTHS = [390, 768, 1280]


@pytest.fixture
def demo(transactional_db: None) -> dict[str, str]:
    """The small demo, and the addresses of one of each kind of record in it."""
    from rrp.demo.generator import seed_demo
    from rrp.incidents.models import Incident
    from rrp.standards.loading import load_into
    from rrp.standards.models import (
        ActionPlanItem,
        AssessmentCycle,
        ComplianceStatement,
        Evidence,
        StandardsEdition,
    )
    from rrp.trainers.models import Trainer
    from rrp.workforce.models import Course, TrainingSession

    # Browser tests empty the database between tests, the catalogue with it.
    load_into(StandardsEdition, ComplianceStatement, "nms-2019-12")
    organisation = seed_demo(seed=7, today=TODAY, history_months=3, bed_share=0.3)
    # The newest use of force with observations after it: the page with most of its tables.
    incident = (Incident.objects.filter(organisation=organisation, observations__isnull=False)
                .order_by("-pk").first())
    cycle = AssessmentCycle.objects.filter(organisation=organisation).order_by("-pk").first()
    action = ActionPlanItem.objects.filter(organisation=organisation).first()
    evidence = Evidence.objects.filter(organisation=organisation).first()
    assert incident and cycle and action and evidence, "the demo is missing records"
    patient = incident.patient_id
    # Training (issue 13): the physical skills course, its latest class with its report and
    # evaluation, and a trainer with a portfolio.
    physical = Course.objects.filter(organisation=organisation, techniques__isnull=False).first()
    session = (TrainingSession.objects.filter(organisation=organisation, course=physical,
                                              report__isnull=False).order_by("-held_on").first())
    trainer = Trainer.objects.filter(organisation=organisation).first()
    assert physical and session and trainer, "the demo is missing training records"
    return {
        "course": f"/training/courses/{physical.code}/",
        "session": f"/training/sessions/{session.pk}/",
        "techniques": f"/training/sessions/{session.pk}/techniques/",
        "trainer": f"/training/trainers/{trainer.pk}/",
        "incident": f"/uses-of-force/{incident.pk}/",
        "patient": f"/patients/{patient}/",
        "safety plan": f"/patients/{patient}/safety-plan/",
        "physical health": f"/patients/{patient}/physical-health/",
        "risk assessments": f"/patients/{patient}/risk-assessments/",
        "ward": f"/wards/{incident.ward.code}/",
        "cycle": f"/compliance/cycles/{cycle.pk}/",
        "statement": f"/compliance/cycles/{cycle.pk}/statements/2.5.2.XI/",
        "summary": f"/compliance/cycles/{cycle.pk}/summary/",
        "history": f"/compliance/cycles/{cycle.pk}/history/",
        "action": f"/compliance/actions/{action.pk}/",
        "evidence": f"/compliance/evidence/{evidence.pk}/",
    }


def pages_for(records: dict[str, str]) -> dict[str, list[str]]:
    """Who opens which pages: each demo account, its home page and the pages of its work."""
    clinical = [
        "/", "/uses-of-force/", records["incident"], "/uses-of-force/record/",
        "/uses-of-force/duties/", "/patients/", records["patient"], records["safety plan"],
        records["physical health"], records["risk assessments"], "/safety-plans/", "/wards/",
        records["ward"],
    ]
    compliance = [
        "/compliance/", "/compliance/standards/", records["cycle"], records["statement"],
        records["summary"], records["history"], "/compliance/actions/", records["action"],
        "/compliance/evidence/", records["evidence"],
    ]
    return {
        "nurse": clinical,
        "doctor": ["/", "/uses-of-force/duties/?owner=doctor", "/safety-plans/", "/notifications/"],
        "manager": ["/", "/uses-of-force/?status=submitted", "/bed-days/"],
        "lead": ["/", "/uses-of-force/escalations/", "/people/", "/exports/", *compliance],
        "board": ["/", "/compliance/", "/training/trainers/", "/training/trainers/summary/"],
        "auditor": ["/", "/compliance/"],
        "trainer": ["/", "/training/", "/training/staff/", "/training/courses/",
                    "/training/courses/outcomes/", records["course"], "/training/sessions/",
                    records["session"], records["techniques"],
                    "/training/injuries-and-incidents/",
                    "/training/needs-analysis/", "/training/trainers/", records["trainer"],
                    "/training/trainers/summary/"],
        "admin": ["/", "/audit/", "/people/", "/bed-days/", "/jobs/"],
        "peer": ["/", "/compliance/peer-reviews/"],
    }


@pytest.fixture
def sign_in_demo(
    page: Page, live_server: Any, client_for: Callable[..., Any]
) -> Callable[..., None]:
    """sign_in_demo("nurse"): the browser signed in as that demo account (a session cookie)."""

    def sign_in(username: str) -> None:
        user = get_user_model().objects.get(username=username)
        membership = Membership.objects.filter(user=user).select_related("organisation").first()
        assert membership is not None
        client = client_for(user, membership.organisation)
        page.context.clear_cookies()
        page.context.add_cookies([{
            "name": "sessionid", "value": client.cookies["sessionid"].value,
            "url": live_server.url,
        }])

    return sign_in


def widest_parts(page: Page) -> list[str]:
    """What sticks out past the right edge of the screen, outside any region that scrolls on
    its own: to say in the failure what made the page too wide."""
    return page.evaluate("""() => {
        const edge = window.innerWidth, found = [];
        const scrollsAlone = (el) => {
            for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
                const x = getComputedStyle(p).overflowX;
                if (x === 'auto' || x === 'scroll' || x === 'hidden') return true;
            }
            return false;
        };
        for (const el of document.body.querySelectorAll('*')) {
            const box = el.getBoundingClientRect();
            if (box.width && box.right > edge + 1 && !scrollsAlone(el)) {
                found.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} ` +
                           `to ${Math.round(box.right)} px: ` +
                           (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 60));
            }
        }
        // text running out of its box (a word too long to wrap) has no element of its own
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const range = document.createRange();
            range.selectNodeContents(node);
            const box = range.getBoundingClientRect();
            if (box.width && box.right > edge + 1 && !scrollsAlone(node)) {
                found.push(`text in ${node.parentElement.tagName.toLowerCase()} to ` +
                           `${Math.round(box.right)} px: ${node.textContent.trim().slice(0, 60)}`);
            }
        }
        return found.slice(-4);
    }""")


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_is_wider_than_a_phone_a_tablet_or_a_desktop(
    width: int, demo: dict[str, str], page: Page, live_server: Any, checked: Any,
    sign_in_demo: Callable[[str], None],
) -> None:
    # Given a phone or tablet
    page.set_viewport_size({"width": width, "height": 900})
    too_wide = []
    for username, paths in pages_for(demo).items():
        # When each demo account signs in and opens the pages of their work
        sign_in_demo(username)
        for path in paths:
            response = page.goto(live_server.url + path)
            assert response is not None and response.ok, f"{username}: {path} gave {response}"
            # Then each page is accessible
            checked(page)
            # And fits the screen: the page itself never scrolls sideways
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            inner_width = page.evaluate("window.innerWidth")
            if scroll_width > inner_width:
                too_wide.append(f"{username} {path}: {scroll_width} px on a {inner_width} px "
                                f"screen; sticking out: {widest_parts(page)}")
    assert not too_wide, "\n".join(too_wide)
