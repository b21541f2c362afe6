"""Helpers for the page tests of uses of force (tests/incidents/test_pages_*.py).

The ward clock is frozen at NOW (Monday 5 October 2026, 14:00) by the `clock` fixture of
tests/incidents/conftest.py; the typical restraint on the form started at 12:00: prone for 4
minutes (with why prone was used), then supine for 6, three staff, no injury.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

TODAY = dt.date(2026, 10, 5)
LINK = r'<a href="([^"]+)"\s*>(.*?)</a>'
SELECT = r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>'
TEXTAREA = r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>'


def add_oak_nurse(organisation: Any, ward: Any) -> Any:
    """Ada Okafor, staff nurse, whose home ward is Oak Ward."""
    from rrp.audit.services import Actor
    from rrp.organisations.services import user_add

    return user_add(
        actor=Actor(user=None, via="cli"), username="ada", organisation=organisation,
        role="ward_staff", password="correct-horse-battery-staple-42", full_name="Ada Okafor",
        job_title="Staff nurse, band 5", home_ward=ward,
    )


def restraint_form(patient: Any, nurse: Any, /, **changes: Any) -> dict[str, Any]:
    """What the nurse types for the typical restraint. `changes` replace fields; a value of
    None removes one."""
    data: dict[str, Any] = {
        "action": "submit",
        "interventions-rows": "4", "staff-rows": "5", "others-rows": "1", "injuries-rows": "1",
        "ward": "OAK",
        "patient": str(patient.pk),
        "date_0": "5", "date_1": "10", "date_2": "2026",
        "interventions-0-type_code": "01",
        "interventions-0-started_at": "1200",
        "interventions-0-ended_at": "12:04",
        "interventions-0-prone_reason": "Hitting out on the floor and could not be held seated",
        "interventions-1-type_code": "09",
        "interventions-1-started_at": "12.04",
        "interventions-1-ended_at": "1210",
        "reason": "10",
        "de_escalation": ["verbal", "space"],
        "description": "Held prone while he was hitting out, then turned onto his back",
        "outcome": "Settled in his room after ten minutes, no injury",
        "in_care_plan": "no",
        "death_or_serious_injury": "no",
        "anyone_injured": "no",
        "harm": "none",
        "psychological_harm": "not_known",
        "notification": "not_applicable",
        "staff-0-member": str(nurse.pk),
        "staff-0-role": "lead",
        "staff-1-name": "Ali Khan",
        "staff-1-job_title": "Healthcare assistant (bank)",
        "staff-1-role": "head_airway",
        "staff-2-name": "Kim Ode",
        "staff-2-job_title": "Staff nurse",
        "staff-2-role": "monitoring_wellbeing",
    }
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def text_of(response: Any) -> str:
    """The page as a person reads it: tags removed, spaces collapsed."""
    page = response.content.decode()
    page = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", page, flags=re.S)
    text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page))).strip()
    return re.sub(r" ([,.;:])", r"\1", text)


def error_items(response: Any) -> list[tuple[str, str]]:
    """The error summary as (message, link target) pairs, in order."""
    page = response.content.decode()
    summary = re.search(r'class="nhsuk-error-summary".*?</div>\s*</div>', page, flags=re.S)
    assert summary, "no error summary on the page"
    return [
        (html.unescape(re.sub(r"\s+", " ", text).strip()), href)
        for href, text in re.findall(LINK, summary.group(0), flags=re.S)
    ]


def error_links(response: Any) -> dict[str, str]:
    """The error summary as {message: link target}."""
    return dict(error_items(response))


def form_from(response: Any) -> dict[str, Any]:
    """The values a browser would send back from the recording form as drawn."""
    page = response.content.decode()
    form = page[page.index('<form method="post"'):page.index("</form>")]
    data: dict[str, Any] = {}
    for tag in re.findall(r"<input[^>]*>", form, flags=re.S):
        name = re.search(r'name="([^"]+)"', tag)
        if not name:
            continue
        kind = re.search(r'type="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if kind and kind.group(1) in {"checkbox", "radio"}:
            if " checked" in tag:
                data.setdefault(name.group(1), []).append(value.group(1) if value else "on")
            continue
        data[name.group(1)] = value.group(1) if value else ""
    for name, body in re.findall(SELECT, form, flags=re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*\sselected', body)
        data[name] = chosen.group(1) if chosen else ""
    for name, body in re.findall(TEXTAREA, form, flags=re.S):
        data[name] = html.unescape(body.strip("\n"))
    data = {k: (v[0] if isinstance(v, list) and len(v) == 1 and k != "de_escalation" else v)
            for k, v in data.items()}
    data.pop("csrfmiddlewaretoken", None)
    return data
