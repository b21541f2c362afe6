"""The organisation and ward dashboards in Chromium: a board member reads the summary and a
ward's charts; the restrictive practice lead records a known change; on a phone and on a
desktop every dashboard fits the screen and its charts' text is at least 16 px. Every page is
checked with axe and for Content Security Policy violations (the charts are inline SVG)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect


def _history(organisation: Any, make_ward: Any, make_patient: Any, make_admission: Any,
             system_actor: Any) -> Any:
    """Oak and Ash wards with 14 months of bed days, and a use of force or two each month."""
    from rrp.analytics.categories import add_months
    from rrp.incidents.inputs import IncidentInput, InterventionInput, StaffInput
    from rrp.incidents.services import incident_create
    from rrp.organisations.services import bed_days_set

    oak = make_ward(code="OAK", name="Oak Ward")
    ash = make_ward(code="ASH", name="Ash Ward", beds=10, service_type="picu")
    patient = make_patient(local_id="P1", ethnic_category="M")
    this_month = timezone.localdate().replace(day=1)
    make_admission(patient, oak, admitted_on=add_months(this_month, -15))
    for back in range(14, 0, -1):
        month = add_months(this_month, -back)
        bed_days_set(actor=system_actor, ward=oak, month=month, bed_days=500)
        bed_days_set(actor=system_actor, ward=ash, month=month, bed_days=280)
        for n in range(1 + back % 3):
            start = timezone.make_aware(dt.datetime.combine(month, dt.time(14 + n)))
            start += dt.timedelta(days=3 + n)
            incident_create(
                actor=system_actor, organisation=organisation,
                data=IncidentInput(
                    ward=oak, patient=patient, started_at=start,
                    ended_at=start + dt.timedelta(minutes=8), reason="10",
                    description="Held", efforts_to_avoid="Talked", outcome="Settled",
                    notification="not_applicable",
                    interventions=[InterventionInput(
                        "01" if n else "07", start, start + dt.timedelta(minutes=8),
                        prone_reason="Fell face down; turned within a minute" if n else "",
                    )],
                    staff=[StaffInput("A", "Nurse", "lead"),
                           StaffInput("B", "Nurse", "monitoring_wellbeing")],
                ),
            )
    return oak


def test_a_board_member_reads_the_organisation_and_a_ward_dashboard(
    sign_in_as: Any, visit: Any, checked: Any, worker_runs: Any, organisation: Any,
    make_ward: Any, make_patient: Any, make_admission: Any, system_actor: Any,
) -> None:
    # Given a provider with a year of uses of force, and a board member
    _history(organisation, make_ward, make_patient, make_admission, system_actor)
    sign_in_as("board")
    # When they open the dashboards from the header
    page = visit("/")
    page.get_by_role("link", name="Dashboards").first.click()
    page.wait_for_url("**/dashboards/")
    checked(page)
    # Then the summary of measures comes first, with its icons in words
    expect(page.get_by_role("heading", level=1)).to_contain_text("Restrictive practice dashboard")
    summary = page.get_by_role("table", name="Summary of measures for Example NHS Trust")
    row = summary.get_by_role("row").filter(has_text="MHS96")
    expect(row).to_contain_text("No target set")
    # And small numbers are hidden, because a board member is outside the treating team: a
    # month of 1 to 3 interventions on one person is not published, nor charted; but the
    # verdict on it, judged on the exact figures, is the treating team's
    expect(page.get_by_text("Small numbers are hidden.")).to_be_visible()
    expect(row).to_contain_text("*")
    expect(row).to_contain_text("Common cause variation: no significant change")
    # When they choose Oak Ward
    page.get_by_label("Area").select_option(label="Oak Ward (OAK)")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/dashboards/wards/OAK/**")
    checked(page)
    worker_runs(page)  # the charts of the first look at this view are drawn by the worker
    # Then Oak Ward's own dashboard shows its SPC charts, each with its figures in a table
    expect(page.get_by_role("heading", level=1)).to_contain_text("Oak Ward: restrictive practice")
    chart = page.locator("#chart-spc_MHS96")
    expect(chart.get_by_role("img")).to_have_attribute(
        "aria-label", "Restrictive interventions per 1,000 occupied bed days. "
        + chart.locator(".rrp-chart__description").inner_text()
    )
    chart.get_by_text("Figures in this chart").click()
    figures = chart.get_by_role("table")
    # Each month's variation, but not the limits worked out from the exact figures
    expect(figures.get_by_role("columnheader", name="Variation")).to_be_visible()
    expect(figures.get_by_role("columnheader", name="Upper process limit")).to_have_count(0)
    expect(figures.get_by_role("row")).to_have_count(1 + 14 + 10)  # the default 24 months
    assert "table=spc_MHS96" in chart.get_by_role(
        "link", name="Download these figures (CSV)").get_attribute("href")


def test_the_lead_records_a_known_change_and_the_ward_charts_rebase(
    sign_in_as: Any, visit: Any, checked: Any, organisation: Any, make_ward: Any,
    make_patient: Any, make_admission: Any, system_actor: Any,
) -> None:
    from rrp.analytics.categories import add_months

    # Given Oak Ward's history and the restrictive practice lead
    _history(organisation, make_ward, make_patient, make_admission, system_actor)
    sign_in_as("rrp_lead")
    change = add_months(timezone.localdate().replace(day=1), -6)
    # When they record that Safewards started on Oak Ward six months ago
    page = visit("/dashboards/baselines/")
    page.get_by_label("What changed").fill("Safewards launched")
    page.get_by_label("First month of the new baseline").fill(f"{change:%Y-%m}")
    page.get_by_label("Where").select_option(label="Oak Ward (OAK)")
    page.get_by_role("button", name="Record the change").click()
    checked(page)
    expect(page.get_by_text(f"New baseline from {change:%B %Y} recorded")).to_be_visible()
    # Then Oak Ward's charts start a new baseline there
    page = visit("/dashboards/wards/OAK/")
    expect(page.get_by_text("Exact figures for the treating team.")).to_be_visible()
    description = page.locator("#chart-spc_MHS96 .rrp-chart__description")
    expect(description).to_contain_text(f"New baseline from Safewards launched ({change:%B %Y})")


# -- on a phone and on a desktop ---------------------------------------------------------------

_CHART_TEXT = """() => {
  const found = [];
  for (const svg of document.querySelectorAll('svg.rrp-chart__svg')) {
    const box = svg.getBoundingClientRect();
    if (!box.width) continue;  // the drawing for the other width, not shown
    const scale = box.width / svg.viewBox.baseVal.width;
    for (const text of svg.querySelectorAll('text')) {
      if (!text.textContent.trim()) continue;
      const own = text.getBoundingClientRect();
      found.push({
        chart: svg.getAttribute('aria-label').slice(0, 60),
        text: text.textContent,
        size: parseFloat(text.getAttribute('font-size')) * scale,
        inside: own.left >= box.left - 1 && own.right <= box.right + 1,
      });
    }
  }
  return found;
}"""


def assert_fits_and_reads(page: Page, width: int) -> None:
    """No sideways scrolling of the page, and every chart's text at least 16 px on screen and
    inside its chart."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow} px wider than a {width} px screen"
    texts = page.evaluate(_CHART_TEXT)
    assert len(texts) > 50, page.url
    small = [t for t in texts if t["size"] < 15.9]
    assert not small, f"text under 16 px at {width} px on {page.url}: {small[:5]}"
    outside = [t for t in texts if not t["inside"]]
    assert not outside, f"text outside its chart at {width} px on {page.url}: {outside[:5]}"


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize(("role", "paths"), [
    ("board", ["/dashboards/", "/dashboards/wards/OAK/?type=physical"]),
    ("rrp_lead", ["/dashboards/?type=prone", "/dashboards/wards/OAK/",
                  "/dashboards/baselines/"]),
])
def test_every_dashboard_fits_a_phone_and_a_desktop(
    sign_in_as: Any, visit: Any, worker_runs: Any, page: Page, organisation: Any, make_ward: Any,
    make_patient: Any, make_admission: Any, system_actor: Any, width: int, role: str,
    paths: list[str],
) -> None:
    # Given a provider with a year of uses of force, on a phone or a desktop
    _history(organisation, make_ward, make_patient, make_admission, system_actor)
    sign_in_as(role)
    page.set_viewport_size({"width": width, "height": 900})
    for path in paths:
        # When they open each dashboard (visit checks it with axe), once its charts are drawn
        visit(path)
        worker_runs(page)
        # Then it fits the screen and its charts can be read
        if "baselines" in path:
            overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
            assert overflow <= 0, path
        else:
            assert_fits_and_reads(page, width)
