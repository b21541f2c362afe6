"""The note on a use of force when someone who applied a physical technique was out of date in
physical skills training on the day (rrp.incidents.training_notes): who is noted and who is not.
Pure: no database."""

from __future__ import annotations

from typing import Any

from rrp.incidents.training_notes import training_notes

RESTRAINT = ["07", "10"]  # standing, then on the side


def course(status: str, level: str = "physical", expires_on: str | None = None) -> dict[str, Any]:
    return {"course": "RRN-L2", "title": "Physical skills", "level": level, "required": True,
            "status": status, "expires_on": expires_on}


def noted(people: list[tuple[str, str, list[dict[str, Any]] | None]],
          codes: list[str] = RESTRAINT) -> list[str]:
    return [note.name for note in training_notes(people, codes)]


def test_each_role_that_holds_or_directs_a_hold_is_noted_when_out_of_date() -> None:
    expired = [course("expired", expires_on="2026-06-01")]
    roles = ["lead", "head_airway", "upper_limbs", "lower_limbs"]
    assert noted([(role, role, expired) for role in roles]) == roles


def test_roles_that_apply_no_physical_technique_are_never_noted() -> None:
    never = [course("never")]
    assert noted([(r, r, never) for r in
                  ("monitoring_wellbeing", "observer", "medication", "other")]) == []


def test_in_date_or_running_out_soon_is_in_date() -> None:
    assert noted([("a", "lead", [course("in_date")]),
                  ("b", "upper_limbs", [course("expiring")]),
                  ("c", "lower_limbs", [course("expired"), course("in_date", "specialist")])]) == []


def test_no_physical_course_at_all_is_noted_as_none_recorded() -> None:
    [note] = training_notes([("Kim Ode", "head_airway", [course("in_date", "bls")])], RESTRAINT)
    assert "no physical skills training recorded" in note.message
    [note] = training_notes([("Kim Ode", "head_airway", [])], RESTRAINT)
    assert "no physical skills training recorded" in note.message


def test_someone_not_on_the_register_or_a_record_with_no_restraint_is_not_noted() -> None:
    assert noted([("Agency", "lead", None)]) == []
    assert noted([("Ali", "lead", [course("expired")])], ["05"]) == []  # seclusion only
