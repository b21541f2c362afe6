"""The recording form shows nothing empty and nothing ambiguous (issue 10, finding 11): the
safety plan card stays hidden until a patient is chosen, and the staff picker tells two people
with the same name apart by their job title and usual ward."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from django.test import Client

from rrp.audit.services import Actor
from rrp.organisations.services import user_add


def plan_card(html: str) -> str:
    found = re.search(r'<div id="safety-plan"[^>]*>', html)
    assert found, "the form has no safety plan card"
    return found.group(0)


def test_the_safety_plan_card_is_hidden_until_a_patient_is_chosen(
    make_ward: Callable[..., Any], make_patient: Callable[..., Any],
    make_admission: Callable[..., Any], client_as: Callable[..., Client],
) -> None:
    # Given a nurse and a patient on Oak Ward
    oak = make_ward(code="OAK", name="Oak Ward")
    jo = make_patient(local_id="P1001", given_name="Jo", family_name="Bloggs")
    make_admission(jo, oak, admitted_on=dt.date.today() - dt.timedelta(days=3))
    nurse = client_as("ward_staff")
    # When the form opens, no patient chosen: the plan card is there (for the script to fill)
    # but hidden, so the form shows no empty white card
    opened = nurse.get("/uses-of-force/record/").content.decode()
    assert " hidden" in plan_card(opened)
    # And once a patient is chosen, it shows: their plan, or that they have none
    chosen = nurse.get(f"/uses-of-force/record/?part=plan&patient={jo.pk}").content.decode()
    assert " hidden" not in plan_card(chosen)
    assert "P1001" in chosen


def test_two_people_with_one_name_are_told_apart_in_the_staff_picker(
    organisation: Any, make_ward: Callable[..., Any], client_as: Callable[..., Client],
) -> None:
    # Given two Connor Hughes, a nurse on Oak Ward and a doctor on Elm Ward
    oak = make_ward(code="OAK", name="Oak Ward")
    elm = make_ward(code="ELM", name="Elm Ward")
    actor = Actor(user=None, via="cli")
    for username, role, title, ward in (
        ("connor1", "ward_staff", "Staff nurse, band 5", oak),
        ("connor2", "doctor", "Specialty doctor", elm),
    ):
        user_add(actor=actor, username=username, organisation=organisation, role=role,
                 full_name="Connor Hughes", job_title=title, home_ward=ward)
    # When a nurse opens the recording form
    html = client_as("ward_staff").get("/uses-of-force/record/").content.decode()
    # Then the picker names each with their job title and usual ward
    options = re.findall(r"<option[^>]*>(Connor Hughes[^<]*)</option>", html)
    assert "Connor Hughes (Staff nurse, band 5, Oak Ward)" in options
    assert "Connor Hughes (Specialty doctor, Elm Ward)" in options
