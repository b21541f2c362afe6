"""NHS numbers are checked with their modulus 11 check digit (NHS Data Dictionary), so a typing
slip is caught when the number is entered, and are stored as 10 digits."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from rrp.patients.nhs_number import format_nhs_number, nhs_number_problem, normalise_nhs_number


@pytest.mark.parametrize("number", ["9434765919", "943 476 5919", "943-476-5919", "4010232137"])
def test_valid_numbers(number: str) -> None:
    assert nhs_number_problem(number) is None


def test_a_wrong_check_digit_is_refused() -> None:
    assert nhs_number_problem("9434765918") == (
        "That is not a valid NHS number: check the digits and try again"
    )


def test_a_number_whose_check_digit_would_be_10_is_never_valid() -> None:
    # 1*10 + 1*2 = 12; 12 mod 11 = 1; 11 - 1 = 10, which no single digit can be.
    for last in "0123456789":
        assert nhs_number_problem("100000001" + last) is not None


@pytest.mark.parametrize("number", ["943476591", "94347659190", "", "943476591X", "nine"])
def test_the_wrong_length_or_letters_are_refused(number: str) -> None:
    assert nhs_number_problem(number) == "An NHS number is 10 digits, like 943 476 5919"


def check_digit(first_nine: str) -> int | None:
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    return None if check == 10 else (0 if check == 11 else check)


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_exactly_one_final_digit_makes_a_valid_number(first_nine: str) -> None:
    valid = [d for d in "0123456789" if nhs_number_problem(first_nine + d) is None]
    expected = check_digit(first_nine)
    assert valid == ([] if expected is None else [str(expected)])


def test_numbers_are_stored_as_digits_and_shown_in_groups() -> None:
    assert normalise_nhs_number(" 943 476-5919 ") == "9434765919"
    assert format_nhs_number("9434765919") == "943 476 5919"


def test_a_patient_with_an_invalid_nhs_number_is_refused_naming_the_field(
    make_patient: Any,
) -> None:
    with pytest.raises(ValidationError) as refused:
        make_patient(local_id="P1", nhs_number="9434765918")
    assert "nhs_number" in refused.value.message_dict


def test_a_patient_keeps_the_digits_only(make_patient: Any) -> None:
    patient = make_patient(local_id="P1", nhs_number="943 476 5919")
    patient.refresh_from_db()
    assert patient.nhs_number == "9434765919"
    assert patient.nhs_number_display == "943 476 5919"


def test_the_nhs_number_is_optional(make_patient: Any) -> None:
    patient = make_patient(local_id="P1", nhs_number="")
    assert patient.nhs_number_display == "Not recorded"
