"""Occupied bed days, the denominator of every rate: counted per ward per month from ward stays
(one per night, the midnight census), entered in a form within what the ward could hold, and
imported from CSV all or nothing, with every problem given its line number."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st

from rrp.organisations.bed_days import (
    Stay,
    months_between,
    occupied_bed_days,
    parse_month,
    read_bed_days_csv,
)
from rrp.organisations.models import BedDaysSource, OccupiedBedDays

D = dt.date


def month(year: int, number: int) -> dt.date:
    return D(year, number, 1)


# -- counting nights from stays (hand-computed) ------------------------------------------------


def test_a_stay_counts_the_nights_not_the_days() -> None:
    # Admitted 3 March, left 5 March: the nights of the 3rd and 4th.
    stays = [Stay(1, D(2026, 3, 3), D(2026, 3, 5))]
    assert occupied_bed_days(stays, month(2026, 3), month(2026, 3)) == {(1, month(2026, 3)): 2}


def test_a_stay_across_a_month_end_is_split_by_night() -> None:
    # 30 January to 2 February: nights of 30 and 31 January, then 1 February.
    stays = [Stay(1, D(2026, 1, 30), D(2026, 2, 2))]
    assert occupied_bed_days(stays, month(2026, 1), month(2026, 2)) == {
        (1, month(2026, 1)): 2,
        (1, month(2026, 2)): 1,
    }


def test_a_stay_across_the_new_year() -> None:
    stays = [Stay(1, D(2025, 12, 31), D(2026, 1, 2))]
    assert occupied_bed_days(stays, month(2025, 12), month(2026, 1)) == {
        (1, month(2025, 12)): 1,
        (1, month(2026, 1)): 1,
    }


def test_an_open_stay_counts_to_the_end_of_the_period() -> None:
    # From 20 February 2026 (28 days in February): nights 20-28 = 9, then all 31 of March.
    stays = [Stay(1, D(2026, 2, 20), None)]
    assert occupied_bed_days(stays, month(2026, 2), month(2026, 3)) == {
        (1, month(2026, 2)): 9,
        (1, month(2026, 3)): 31,
    }


def test_february_of_a_leap_year_has_29_nights() -> None:
    stays = [Stay(1, D(2024, 2, 1), None)]
    assert occupied_bed_days(stays, month(2024, 2), month(2024, 2)) == {(1, month(2024, 2)): 29}


def test_a_stay_begun_before_the_period_counts_only_inside_it() -> None:
    # 15 December to 10 January, asked about January only: nights 1-9 January.
    stays = [Stay(1, D(2025, 12, 15), D(2026, 1, 10))]
    assert occupied_bed_days(stays, month(2026, 1), month(2026, 1)) == {(1, month(2026, 1)): 9}


def test_stays_on_a_ward_add_up_and_wards_stay_apart() -> None:
    stays = [
        Stay(1, D(2026, 4, 1), D(2026, 4, 11)),  # 10 nights
        Stay(1, D(2026, 4, 20), D(2026, 5, 1)),  # 20-30 April: 11 nights
        Stay(2, D(2026, 4, 29), D(2026, 5, 3)),  # 2 in April, 2 in May
    ]
    assert occupied_bed_days(stays, month(2026, 4), month(2026, 5)) == {
        (1, month(2026, 4)): 21,
        (2, month(2026, 4)): 2,
        (2, month(2026, 5)): 2,
    }


def test_stays_outside_the_period_and_same_day_stays_count_nothing() -> None:
    stays = [
        Stay(1, D(2025, 1, 1), D(2025, 2, 1)),
        Stay(1, D(2027, 1, 1), None),
        Stay(1, D(2026, 6, 9), D(2026, 6, 9)),
    ]
    assert occupied_bed_days(stays, month(2026, 6), month(2026, 6)) == {}


@given(
    admitted=st.dates(D(2024, 1, 1), D(2026, 12, 31)),
    length=st.integers(0, 400),
    still_there=st.booleans(),
)
def test_every_night_in_the_period_is_counted_once(
    admitted: dt.date, length: int, still_there: bool
) -> None:
    first, last = month(2025, 1), month(2025, 12)
    discharged = None if still_there else admitted + dt.timedelta(days=length)
    counted = occupied_bed_days([Stay(1, admitted, discharged)], first, last)
    start = max(admitted, first)
    end = min(discharged or D(2026, 1, 1), D(2026, 1, 1))
    assert sum(counted.values()) == max(0, (end - start).days)
    for (_, counted_month), nights in counted.items():
        assert 0 < nights <= 31
        assert first <= counted_month <= last


def test_months_between_and_parse_month() -> None:
    assert months_between(D(2025, 11, 15), D(2026, 2, 3)) == [
        month(2025, 11), month(2025, 12), month(2026, 1), month(2026, 2)
    ]
    assert parse_month(" 2026-10 ") == month(2026, 10)
    with pytest.raises(ValueError, match="write it as YYYY-MM, like 2026-10"):
        parse_month("October")
    with pytest.raises(ValueError, match="not a month"):
        parse_month("2026-13")


# -- computed from admissions ------------------------------------------------------------------


def test_bed_days_are_computed_from_ward_stays_but_entered_figures_win(
    ward: Any, make_patient: Any, make_admission: Any, system_actor: Any, organisation: Any
) -> None:
    from rrp.organisations.services import bed_days_set
    from rrp.patients.services import bed_days_compute_from_admissions

    make_admission(make_patient(), ward, D(2026, 1, 30), D(2026, 2, 2))
    make_admission(make_patient(), ward, D(2026, 2, 20))
    bed_days_set(actor=system_actor, ward=ward, month=month(2026, 3), bed_days=400)
    written = bed_days_compute_from_admissions(
        actor=system_actor, organisation=organisation, first_month=month(2026, 1),
        last_month=month(2026, 3),
    )
    assert written == 2  # January and February; March was entered by a person
    rows = {r.month: (r.bed_days, r.source) for r in OccupiedBedDays.objects.filter(ward=ward)}
    assert rows == {
        month(2026, 1): (2, BedDaysSource.COMPUTED),
        month(2026, 2): (1 + 9, BedDaysSource.COMPUTED),
        month(2026, 3): (400, BedDaysSource.ENTERED),
    }


# -- entering one month ------------------------------------------------------------------------


def test_bed_days_cannot_be_more_than_the_ward_can_hold(ward: Any, system_actor: Any) -> None:
    from rrp.organisations.services import bed_days_set

    # 18 beds x 28 nights in February 2026 = 504.
    assert bed_days_set(actor=system_actor, ward=ward, month=month(2026, 2), bed_days=504)
    with pytest.raises(ValidationError) as refused:
        bed_days_set(actor=system_actor, ward=ward, month=month(2026, 2), bed_days=505)
    assert "504 bed days at most" in refused.value.message_dict["bed_days"][0]
    assert OccupiedBedDays.objects.get(ward=ward).bed_days == 504


def test_the_bed_days_form_says_what_is_wrong_by_field(
    make_user: Any, ward: Any, client_for: Any
) -> None:
    client = client_for(make_user("ward_manager"))
    page = client.post("/bed-days/", {"ward": ward.pk, "month": "Feb 2026", "bed_days": "600"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "There is a problem" in html
    assert 'href="#id_month"' in html
    assert "write it as YYYY-MM" in html
    over = client.post("/bed-days/", {"ward": ward.pk, "month": "2026-02", "bed_days": "600"})
    assert 'href="#id_bed_days"' in over.content.decode()
    assert not OccupiedBedDays.objects.exists()


def test_ward_staff_cannot_enter_bed_days(client_as: Any) -> None:
    assert client_as("ward_staff").get("/bed-days/").status_code == 403


# -- CSV ---------------------------------------------------------------------------------------


def test_reading_csv_reports_each_problem_with_its_line() -> None:
    rows, problems = read_bed_days_csv(
        "ward,month,bed_days\n"
        "oak,2026-01,500\n"
        "OAK,January,500\n"
        "OAK,2026-02,-3\n"
        ",2026-03,10\n"
        "ASH,2026-03,lots\n"
    )
    assert [(r.line, r.ward_code, r.month, r.bed_days) for r in rows] == [
        (2, "OAK", month(2026, 1), 500)
    ]
    assert [(p.line, p.message) for p in problems] == [
        (3, "'January' is not a month: write it as YYYY-MM, like 2026-10"),
        (4, "bed_days must be a whole number, not '-3'"),
        (5, "ward is empty"),
        (6, "bed_days must be a whole number, not 'lots'"),
    ]


def test_a_csv_without_the_columns_is_refused_at_line_1() -> None:
    rows, problems = read_bed_days_csv("ward,month,beds\nOAK,2026-01,3\n")
    assert rows == []
    assert [(p.line, p.message) for p in problems] == [
        (1, "The first line must name the columns: missing bed_days")
    ]


def test_a_utf8_csv_from_excel_with_a_byte_order_mark_is_read() -> None:
    rows, problems = read_bed_days_csv("\ufeffWard,Month,Bed_days\r\nOAK,2026-01,5\r\n")
    assert problems == []
    assert rows[0].bed_days == 5


def test_importing_is_all_or_nothing(
    ward: Any, make_ward: Any, system_actor: Any, organisation: Any
) -> None:
    from rrp.organisations.services import bed_days_import_csv

    make_ward(code="ASH", beds=10)
    count, problems = bed_days_import_csv(
        actor=system_actor, organisation=organisation,
        text="ward,month,bed_days\nOAK,2026-01,500\nELM,2026-01,100\nASH,2026-01,200\n",
    )
    assert count == 0
    assert [(p.line, p.message) for p in problems] == [(3, "No ward with code ELM")]
    assert not OccupiedBedDays.objects.exists()


def test_a_line_over_capacity_stops_the_whole_import_and_names_its_line(
    ward: Any, make_ward: Any, system_actor: Any, organisation: Any
) -> None:
    from rrp.organisations.services import bed_days_import_csv

    make_ward(code="ASH", beds=10)
    count, problems = bed_days_import_csv(
        actor=system_actor, organisation=organisation,
        text="ward,month,bed_days\nOAK,2026-01,500\nASH,2026-01,311\nASH,2026-02,281\n",
    )
    assert count == 0
    # 10 beds: 310 nights at most in January, 280 in February.
    assert [p.line for p in problems] == [3, 4]
    assert "310 bed days at most" in problems[0].message
    assert not OccupiedBedDays.objects.exists()


def test_importing_through_the_page(make_user: Any, ward: Any, client_for: Any) -> None:
    client = client_for(make_user("ward_manager"))

    def upload(text: str) -> Any:
        csv_file = SimpleUploadedFile("bed-days.csv", text.encode(), "text/csv")
        return client.post("/bed-days/import/", {"file": csv_file})

    refused = upload("ward,month,bed_days\nOAK,2026-01,500\nOAK,2026-02,999\n")
    html = refused.content.decode()
    assert refused.status_code == 200
    assert "The file was not imported" in html
    assert "Line 3:" in html
    assert not OccupiedBedDays.objects.exists()

    imported = upload("ward,month,bed_days\nOAK,2026-01,500\nOAK,2026-02,480\n")
    assert imported.status_code == 302
    assert sorted(OccupiedBedDays.objects.values_list("bed_days", "source")) == [
        (480, "imported"), (500, "imported"),
    ]


def test_a_file_that_is_not_text_is_refused(make_user: Any, ward: Any, client_for: Any) -> None:
    client = client_for(make_user("ward_manager"))
    upload = SimpleUploadedFile("bed-days.xlsx", b"PK\x03\x04\xff\xfe\x00", "application/zip")
    page = client.post("/bed-days/import/", {"file": upload})
    assert "The file must be a CSV saved as UTF-8 text" in page.content.decode()


def test_a_file_over_the_size_limit_is_refused_whole_never_cut(
    make_user: Any, ward: Any, client_for: Any
) -> None:
    """Issue 11: a file cut at 2,000,000 bytes stored "12" for a row "W1,2026-02,1234" and lost
    the next row, then reported success."""
    from rrp.organisations.forms import MAX_BED_DAYS_CSV_BYTES

    client = client_for(make_user("ward_manager"))
    head = "ward,month,bed_days\n"
    filler = "# " + "x" * 60 + "\n"
    text = head + filler * (MAX_BED_DAYS_CSV_BYTES // len(filler)) + "OAK,2026-02,1234\n"
    assert len(text.encode()) > MAX_BED_DAYS_CSV_BYTES
    upload = SimpleUploadedFile("bed-days.csv", text.encode(), "text/csv")
    page = client.post("/bed-days/import/", {"file": upload}).content.decode()
    assert "The file was not imported" in page
    assert "can be at most 2,000,000 bytes" in page
    assert not OccupiedBedDays.objects.exists()
