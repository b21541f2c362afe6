"""Wards: the list of an organisation's wards with their beds and who is on them now, and a
ward's own page with its occupied bed days month by month."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from playwright.sync_api import expect


def test_from_the_wards_list_to_a_ward(
    sign_in_as: Any, make_site: Any, make_ward: Any, make_patient: Any, make_admission: Any,
    system_actor: Any, visit: Any, checked: Any,
) -> None:
    from rrp.organisations.services import bed_days_set

    # Given two wards, one with a patient on it now and a month of bed days
    site = make_site(name="Northgate Hospital")
    oak = make_ward(code="OAK", name="Oak Ward", beds=18, site=site)
    make_ward(code="ASH", name="Ash Ward", beds=10, service_type="picu", site=site)
    today = timezone.localdate()
    make_admission(make_patient(), oak, admitted_on=today - dt.timedelta(days=3))
    bed_days_set(actor=system_actor, ward=oak, month=dt.date(2026, 1, 1), bed_days=500)
    sign_in_as("ward_manager")
    # When the ward manager opens the wards list
    page = visit("/wards/")
    # Then each ward is listed with its site, service, beds and patients now
    table = page.get_by_role("table", name="Wards of Example NHS Trust")
    oak_row = table.get_by_role("row").filter(has_text="Oak Ward")
    expect(oak_row).to_contain_text("Northgate Hospital")
    expect(oak_row).to_contain_text("Adult acute")
    expect(oak_row).to_contain_text("18")
    expect(oak_row.locator("td").nth(3)).to_have_text("1")
    expect(table.get_by_role("row").filter(has_text="Ash Ward")).to_contain_text(
        "Psychiatric intensive care"
    )
    # When they open Oak Ward
    page.get_by_role("link", name="Oak Ward").click()
    page.wait_for_url("**/wards/OAK/")
    checked(page)
    # Then its page shows the ward and its bed days with occupancy
    expect(page.get_by_role("heading", level=1)).to_contain_text("Oak Ward")
    bed_days = page.get_by_role("table", name="Occupied bed days by month for Oak Ward")
    expect(bed_days.get_by_role("row").filter(has_text="January 2026")).to_contain_text("500")
    # 500 of 18 x 31 = 558 possible
    expect(bed_days.get_by_role("row").filter(has_text="January 2026")).to_contain_text("90%")
