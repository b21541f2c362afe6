"""The lines of force written out as the description of how force was used (Use of Force Act
s.6(5)(f)) when the person recording types none: in time order, with how long each lasted."""

from __future__ import annotations

import datetime as dt

from incidents.conftest import LONDON
from rrp.incidents.description import force_described
from rrp.incidents.inputs import InterventionInput


def at(day: int, hour: int, minute: int, month: int = 10) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=LONDON)


def test_two_positions_in_the_order_they_happened_whatever_the_order_typed() -> None:
    lines = [
        InterventionInput("09", at(5, 13, 24), at(5, 13, 30)),
        InterventionInput("01", at(5, 13, 20), at(5, 13, 24)),
    ]
    assert force_described(lines) == (
        "Prone restraint from 13:20 to 13:24 (4 minutes), then supine restraint from 13:24 "
        "to 13:30 (6 minutes).")


def test_medicine_an_instant_and_force_still_going_on() -> None:
    lines = [
        InterventionInput("07", at(5, 23, 50), at(6, 0, 5)),
        InterventionInput("14", at(6, 0, 5), at(6, 0, 5), drug="Lorazepam", dose="2 mg",
                          route="intramuscular"),
        InterventionInput("05", at(6, 0, 20), None),
    ]
    assert force_described(lines) == (
        "Standing restraint from 23:50 to 6 October 00:05 (15 minutes), then rapid "
        "tranquillisation (injection) (Lorazepam, 2 mg, intramuscular) at 6 October 00:05, "
        "then seclusion from 6 October 00:20, still going on.")


def test_a_long_segregation_across_the_clock_change() -> None:
    # The clocks went back at 02:00 on Sunday 25 October 2026: 3 days and one hour more.
    lines = [InterventionInput("06", at(24, 9, 0), at(27, 9, 0))]
    assert force_described(lines) == "Segregation from 09:00 to 27 October 09:00 (3 days)."


def test_nothing_to_describe_without_a_typed_and_timed_line() -> None:
    assert force_described([]) == ""
    assert force_described([InterventionInput("", at(5, 13, 20)),
                            InterventionInput("01", None)]) == ""
