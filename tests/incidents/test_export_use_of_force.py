"""The Use of Force Act record export: one row per use of force with a column for each item
of s.6(5) (a)-(p), the patient's characteristics as they stood at the time."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from incidents.conftest import NOW
from rrp.audit.services import Actor
from rrp.incidents.exports import USE_OF_FORCE_FIELDS, use_of_force_export
from rrp.incidents.inputs import InjuryInput, OtherPersonInput
from rrp.patients.services import patient_update

OCTOBER = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))


def rows(organisation: Any, first_day: dt.date, last_day: dt.date) -> list[dict[str, str]]:
    export = use_of_force_export(actor=Actor(user=None, via="cli"), organisation=organisation,
                                 first_day=first_day, last_day=last_day)
    return list(csv.DictReader(io.StringIO(export.file.text)))


def test_there_is_one_column_for_each_item_a_to_p(organisation: Any) -> None:
    export = use_of_force_export(actor=Actor(user=None, via="cli"), organisation=organisation,
                                 first_day=OCTOBER[0], last_day=OCTOBER[1])
    header = export.file.text.splitlines()[0].split(",")
    assert header == list(USE_OF_FORCE_FIELDS)
    items = sorted({name[0] for name in header if name[1] == "_"})
    assert items == list("abcdefghijklmnop")


def test_a_typical_restraint_fills_every_item(
    record: Any, organisation: Any, patient: Any, system_actor: Any
) -> None:
    patient_update(actor=system_actor, patient=patient, ethnic_category="N", sex="male",
                   learning_disability_autism="autism", mental_disorder="F20-F29")
    incident = record(
        others=[OtherPersonInput("police", "Helped return him from the car park", "PC Lane")],
        injuries=[InjuryInput("patient", "minor", "Graze to the knee", 1)],
        de_escalation=["verbal", "space"],
    )
    # A change to the patient's record afterwards does not change what the record held.
    patient_update(actor=system_actor, patient=patient, ethnic_category="A")
    row, = rows(organisation, *OCTOBER)
    assert row["reference"] == incident.reference
    assert row["a_reason"] == "Prevent a patient being violent to others"
    assert row["b_place"] == "Oak Ward (OAK)"
    assert (row["b_date"], row["b_start_time"], row["b_end_time"]) == ("2026-10-05", "12:00",
                                                                        "12:10")
    assert row["b_duration_minutes"] == "10"
    assert row["c_types"] == ("07 Physical restraint - Standing (12:00-12:04); "
                              "10 Physical restraint - Side (12:04-12:10)")
    assert row["d_in_care_plan"] == "No"
    assert row["e_patient_name"] == "Jo Bloggs"
    assert row["f_description"] == "Held standing, then guided to the floor on his side"
    assert row["g_patient_identifier"] == "NHS number 943 476 5919"
    # The person monitoring wellbeing did not use force (s.6(5)(h) names those who did).
    assert row["h_staff_who_used_force"] == ("Sam Lee, Staff nurse; "
                                             "Ali Khan, Healthcare assistant")
    assert row["i_others_involved"] == "Police (PC Lane): Helped return him from the car park"
    assert row["j_mental_disorder"] == "Schizophrenia, schizotypal and delusional disorders"
    assert "Age 42" in row["k_characteristics"]
    assert "Ethnic category: Black or Black British - African" in row["k_characteristics"]
    assert "Sex: Male" in row["k_characteristics"]
    assert row["l_learning_disability_or_autism"] == "Autism"
    assert row["m_outcome"] == "Settled in his room, no injury"
    assert row["n_died_or_seriously_injured"] == "No"
    assert row["o_efforts_to_avoid_force"].startswith(
        "Verbal de-escalation: calm talking, listening, negotiating; Giving space")
    assert row["o_efforts_to_avoid_force"].endswith(
        "Calm talking and space offered for ten minutes")
    assert row["p_notification_sent"] == "Nobody is named in the care plan"


def test_only_records_that_started_in_the_range_are_included(
    record: Any, organisation: Any, nurse_actor: Any
) -> None:
    from rrp.incidents import services

    kept = record()
    record(submit=False)
    in_error = record()
    services.incident_mark_entered_in_error(actor=nurse_actor, incident=in_error,
                                            reason="Wrong patient", now=NOW)
    assert [r["reference"] for r in rows(organisation, *OCTOBER)] == [kept.reference]
    assert rows(organisation, dt.date(2026, 10, 6), dt.date(2026, 10, 31)) == []
    assert len(rows(organisation, dt.date(2026, 10, 5), dt.date(2026, 10, 5))) == 1


def test_what_staff_typed_never_runs_as_a_formula_in_a_spreadsheet(record: Any,
                                                                    organisation: Any) -> None:
    """Issue 11: an outcome typed as =HYPERLINK(...) reached the CSV as a live formula."""
    record(outcome='=HYPERLINK("http://evil.example","Click")', description="@SUM(A1:A9)")
    row = rows(organisation, *OCTOBER)[0]
    assert row["m_outcome"] == '\'=HYPERLINK("http://evil.example","Click")'
    assert not any(cell.startswith(("=", "+", "@")) for cell in row.values())
