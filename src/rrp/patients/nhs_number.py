"""NHS number validation with the modulus 11 check digit (NHS Data Dictionary)."""

from __future__ import annotations


def normalise_nhs_number(raw: str) -> str:
    return "".join(ch for ch in raw if not ch.isspace() and ch != "-")


def nhs_number_problem(raw: str) -> str | None:
    """None when valid; otherwise a sentence saying what is wrong."""
    digits = normalise_nhs_number(raw)
    if len(digits) != 10 or not digits.isdigit():
        return "An NHS number is 10 digits, like 943 476 5919"
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - (total % 11)
    if check == 11:
        check = 0
    if check == 10 or check != int(digits[9]):
        return "That is not a valid NHS number: check the digits and try again"
    return None


def format_nhs_number(digits: str) -> str:
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}" if len(digits) == 10 else digits
