"""Django forms rendered with the NHS.UK frontend macros.

`field_params(bound_field)` turns a bound field into the parameters of the matching NHS.UK
macro (input, select, radios, checkboxes, textarea, date input), including its error message,
so every form shows errors the NHS way: an error summary linking to each field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

T = TypeVar("T")


class NhsDateWidget(forms.MultiWidget):
    """Day, month and year boxes: the NHS.UK date input pattern."""

    def __init__(self) -> None:
        super().__init__([forms.TextInput(), forms.TextInput(), forms.TextInput()])

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[Any]:
        # The NHS.UK date macro names its boxes name[0], name[1], name[2]; Django's
        # MultiWidget reads name_0...: accept both so a real browser's answer is kept.
        return [
            data.get(f"{name}[{index}]", data.get(f"{name}_{index}"))
            for index in range(len(self.widgets))
        ]

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class NhsDateField(forms.MultiValueField):
    widget = NhsDateWidget

    def __init__(self, **kwargs: Any) -> None:
        fields = (forms.CharField(), forms.CharField(), forms.CharField())
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    def compress(self, data_list: list[Any]) -> dt.date | None:
        if not data_list or not any(data_list):
            if self.required:
                message = f"Enter the {self.label or 'date'}".lower().capitalize()
                raise forms.ValidationError(message)
            return None
        day, month, year = (str(part or "").strip() for part in data_list)
        missing = [n for n, v in (("day", day), ("month", month), ("year", year)) if not v]
        if missing:
            raise forms.ValidationError(f"Date must include a {' and '.join(missing)}")
        try:
            return dt.date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError("Date must be a real date, like 27 3 2007") from None


def _error_text(bound: forms.BoundField) -> dict[str, str] | None:
    return {"text": " ".join(str(e) for e in bound.errors)} if bound.errors else None


def _choice_items(bound: forms.BoundField, selected: Any) -> list[dict[str, Any]]:
    chosen = {str(v) for v in selected} if isinstance(selected, list | tuple) else {str(selected)}
    items = []
    for value, text in bound.field.choices:  # type: ignore[attr-defined]
        value = "" if value is None else str(value)
        items.append({"value": value, "text": str(text), "selected": value in chosen,
                      "checked": value in chosen})
    return items


def field_params(bound: forms.BoundField, **overrides: Any) -> dict[str, Any]:
    field = bound.field
    widget = field.widget
    value = bound.value()
    params: dict[str, Any] = {
        "id": bound.auto_id,
        "name": bound.html_name,
        "label": {"text": str(bound.label)},
        "errorMessage": _error_text(bound),
    }
    if field.help_text:
        params["hint"] = {"text": str(field.help_text)}
    if isinstance(widget, NhsDateWidget):
        parts = value if isinstance(value, list | tuple) else widget.decompress(value)
        params = {
            "id": bound.auto_id,
            "fieldset": {"legend": {"text": str(bound.label), "size": "s"}},
            "hint": params.get("hint"),
            "errorMessage": params["errorMessage"],
            # Full names as Django's MultiWidget reads them (date_of_birth_0): the macro's
            # namePrefix would write date_of_birth[0], which the form never sees.
            "items": [
                {"name": f"{bound.html_name}_{i}", "id": f"{bound.auto_id}-{i}", "label": label,
                 "classes": width, "value": parts[i] or ""}
                for i, (label, width) in enumerate(
                    [("Day", "nhsuk-input--width-2"), ("Month", "nhsuk-input--width-2"),
                     ("Year", "nhsuk-input--width-4")]
                )
            ],
        }
    elif isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
        params.pop("label")
        # The macro puts `id` on the container; inputs take their ids from idPrefix, so the
        # error summary's link (#id_x) reaches the first input, not the div.
        params.pop("id")
        params["idPrefix"] = bound.auto_id
        params["fieldset"] = {"legend": {"text": str(bound.label), "size": "s"}}
        params["items"] = _choice_items(bound, value or [])
    elif isinstance(widget, forms.Select):
        params["items"] = _choice_items(bound, value)
    elif isinstance(widget, forms.CheckboxInput):
        params = {
            "idPrefix": bound.auto_id,
            "name": bound.html_name,
            "errorMessage": params["errorMessage"],
            "items": [{"value": "on", "text": str(bound.label), "checked": bool(value)}],
        }
    else:
        params["value"] = "" if value is None else str(value)
        if isinstance(widget, forms.NumberInput):
            params["inputmode"] = "numeric"
            params["classes"] = "nhsuk-input--width-5"
    params.update(overrides)
    return params


def error_summary(form: forms.Form) -> dict[str, Any] | None:
    """The NHS.UK error summary: every problem, each linking to its field."""
    if not form.errors:
        return None
    items: list[dict[str, str]] = []
    for name, errors in form.errors.items():
        if name == "__all__":
            items.extend({"text": str(e)} for e in errors)
            continue
        bound = form[name]
        anchor = bound.auto_id
        if isinstance(bound.field.widget, NhsDateWidget):
            anchor = f"{bound.auto_id}-0"  # the day box, as the NHS pattern asks
        elif isinstance(bound.field.widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
            anchor = bound.auto_id
        items.extend({"text": str(e), "href": f"#{anchor}"} for e in errors)
    return {"titleText": "There is a problem", "errorList": items}


def apply_service_errors(form: forms.Form, error: Any) -> None:
    """Put a service's ValidationError back on the form, field by field."""
    for field, messages in getattr(error, "message_dict", {"__all__": error.messages}).items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)


def call_service(form: forms.Form, call: Callable[[], T]) -> T | None:
    """Call a service, putting its ValidationError back on the form; None on failure."""
    try:
        return call()
    except ValidationError as error:
        apply_service_errors(form, error)
        return None


def submitted(request: HttpRequest, form: forms.Form, call: Callable[[], T]) -> T | None:
    """The service's result once a posted form is valid and the service accepts it; None
    otherwise (a GET, or the form's and the service's problems are now on the form). Services
    return the record they wrote, so None always means nothing was saved."""
    if request.method != "POST" or not form.is_valid():
        return None
    return call_service(form, call)


def form_page(
    request: HttpRequest, template: str, form: forms.Form, **context: Any
) -> HttpResponse:
    """A page with a form and, above it, the NHS.UK summary of the form's problems."""
    return render(request, template, {"form": form, "errors": error_summary(form), **context})


def field_kind(bound: forms.BoundField) -> str:
    """Which NHS.UK macro draws this field."""
    widget = bound.field.widget
    if isinstance(widget, NhsDateWidget):
        return "date"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.ClearableFileInput | forms.FileInput):
        return "file"
    return "input"
