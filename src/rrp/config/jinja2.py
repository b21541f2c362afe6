"""The Jinja2 environment: our templates first, then the NHS.UK frontend macros."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader

from rrp.core.forms import field_kind, field_params


def url(viewname: str, *args: Any, **kwargs: Any) -> str:
    return reverse(viewname, args=args or None, kwargs=kwargs or None)


def format_date(value: dt.date | dt.datetime | None, empty: str = "Not recorded") -> str:
    """NHS style dates: 5 March 2026."""
    if value is None:
        return empty
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return f"{value.day} {value:%B %Y}"


def format_datetime(value: dt.datetime | None, empty: str = "Not recorded") -> str:
    """NHS style date and 24-hour time: 5 March 2026, 14:05."""
    if value is None:
        return empty
    local = timezone.localtime(value)
    return f"{local.day} {local:%B %Y}, {local:%H:%M}"


def format_time(value: dt.datetime | None) -> str:
    return "" if value is None else f"{timezone.localtime(value):%H:%M}"


def format_minutes(minutes: float | int | None) -> str:
    """A duration a nurse reads at a glance: 45 minutes, 2 hours 5 minutes."""
    if minutes is None:
        return "Not recorded"
    total = int(round(float(minutes)))
    hours, mins = divmod(total, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if mins or not hours:
        parts.append(f"{mins} minute{'s' if mins != 1 else ''}")
    return " ".join(parts)


NHSUK_MACROS = {
    "action-link": "actionLink",
    "back-link": "backLink",
    "breadcrumb": "breadcrumb",
    "button": "button",
    "card": "card",
    "character-count": "characterCount",
    "checkboxes": "checkboxes",
    "date-input": "dateInput",
    "details": "details",
    "error-message": "errorMessage",
    "error-summary": "errorSummary",
    "fieldset": "fieldset",
    "file-upload": "fileUpload",
    "footer": "footer",
    "header": "header",
    "hint": "hint",
    "input": "input",
    "inset-text": "insetText",
    "notification-banner": "notificationBanner",
    "pagination": "pagination",
    "panel": "panel",
    "radios": "radios",
    "select": "select",
    "summary-list": "summaryList",
    "tables": "table",
    "tabs": "tabs",
    "tag": "tag",
    "task-list": "taskList",
    "textarea": "textarea",
    "warning-callout": "warningCallout",
}


def querystring(request: Any, **changes: Any) -> str:
    """The current query string with some parameters changed: keeps filters across pages."""
    params = request.GET.copy()
    for key, value in changes.items():
        params[key] = value
    return "?" + params.urlencode()


def environment(**options: Any) -> Environment:
    # The NHS.UK macros read nested optional params (params.search.action) as Nunjucks does.
    options["undefined"] = ChainableUndefined
    env = Environment(**options)  # noqa: S701 - autoescape is set by Django's backend
    env.loader = ChoiceLoader(
        [env.loader, PackageLoader("nhsuk_frontend_jinja", "templates")]  # type: ignore[list-item]
    )
    env.globals.update(
        {
            "static": static,
            "url": url,
            "get_messages": get_messages,
            "now": timezone.now,
            "field_params": field_params,
            "querystring": querystring,
            "field_kind": field_kind,
        }
    )
    # The NHS.UK frontend macros as globals (nhsukInput, nhsukRadios, ...), so every template
    # can use them without a page of imports.
    for folder, macro in NHSUK_MACROS.items():
        module = env.get_template(f"nhsuk/components/{folder}/macro.jinja").module
        env.globals["nhsuk" + macro[0].upper() + macro[1:]] = getattr(module, macro)
    env.filters.update(
        {
            "date": format_date,
            "datetime": format_datetime,
            "time": format_time,
            "minutes": format_minutes,
        }
    )
    return env
