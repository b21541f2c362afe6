"""The exports page: download the MHSDS restrictive intervention files for a month, or the Use
of Force Act records for a date range. Downloads are POSTs, because each one is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from rrp.audit.models import AuditAction, AuditEvent
from rrp.core.forms import NhsDateField, apply_service_errors, error_summary
from rrp.core.permissions import actor_from, require_permission
from rrp.incidents import exports
from rrp.organisations.bed_days import months_between, next_month, parse_month

MONTHS_OFFERED = 36


def _months(today: dt.date) -> list[tuple[str, str]]:
    first = (today.replace(day=1) - dt.timedelta(days=31 * (MONTHS_OFFERED - 1))).replace(day=1)
    return [(f"{m:%Y-%m}", f"{m:%B %Y}") for m in reversed(months_between(first, today))]


def _previous_month(today: dt.date) -> dt.date:
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


class MhsdsForm(forms.Form):
    month = forms.ChoiceField(
        label="Month",
        help_text="Uses of force are counted in the month they started",
        error_messages={"required": "Choose the month to export",
                        "invalid_choice": "Choose a month from the list"},
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = _months(today)  # type: ignore[attr-defined]

    def clean_month(self) -> dt.date:
        return parse_month(self.cleaned_data["month"])


class UseOfForceForm(forms.Form):
    first_day = NhsDateField(label="From", help_text="For example, 1 10 2026")
    last_day = NhsDateField(label="To (included)", help_text="For example, 31 10 2026")

    NOUNS = {"first_day": "start date", "last_day": "end date"}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # The date field's own messages say "Date ..."; name which date, as the NHS.UK pattern
        # asks ("The end date must be a real date").
        errors = self.errors
        for name, noun in self.NOUNS.items():
            if name in errors:
                errors[name] = self.error_class([
                    message.replace("Date", f"The {noun}", 1) if message.startswith("Date")
                    else f"Enter the {noun}"
                    for message in map(str, errors[name])
                ])
        first, last = cleaned.get("first_day"), cleaned.get("last_day")
        if first and last and last < first:
            self.add_error("last_day", "The end date must be the same as or after the start date")
        return cleaned


def _can_export_records(request: HttpRequest) -> bool:
    # The Use of Force Act records name patients: only for people who may see them.
    return bool(request.user.has_perm("patients.view_identifiable", request.organisation))  # type: ignore[attr-defined]


def _page(request: HttpRequest, *, mhsds_form: MhsdsForm | None = None,
          records_form: UseOfForceForm | None = None, status: int = 200) -> HttpResponse:
    organisation = request.organisation  # type: ignore[attr-defined]
    today = timezone.localdate()
    previous = _previous_month(today)
    mhsds_form = mhsds_form or MhsdsForm(initial={"month": f"{previous:%Y-%m}"}, today=today)
    records_form = records_form or UseOfForceForm(initial={
        "first_day": previous, "last_day": next_month(previous) - dt.timedelta(days=1),
    })
    recent = (
        AuditEvent.objects.filter(organisation=organisation, action=AuditAction.EXPORT,
                                  object_type="incidents.incident")
        .order_by("-occurred_at", "-id")[:10]
    )
    errors = error_summary(mhsds_form) or error_summary(records_form)
    return render(request, "exports/index.html", {
        "mhsds_form": mhsds_form,
        "records_form": records_form,
        "can_export_records": _can_export_records(request),
        "errors": errors,
        "recent": recent,
    }, status=status)


@require_http_methods(["GET"])
@require_permission("incidents.export")
def index(request: HttpRequest) -> HttpResponse:
    return _page(request)


def _download(content: bytes | str, file_name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    # A patient-identifiable file must not sit in a shared cache.
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@require_permission("incidents.export")
def mhsds(request: HttpRequest) -> HttpResponse:
    form = MhsdsForm(request.POST, today=timezone.localdate())
    if not form.is_valid():
        return _page(request, mhsds_form=form, status=400)
    month: dt.date = form.cleaned_data["month"]
    export = exports.mhsds_export(actor=actor_from(request),
                                  organisation=request.organisation,  # type: ignore[attr-defined]
                                  month=month)
    return _download(export.zip_bytes(), f"MHSDS_restrictive_interventions_{month:%Y-%m}.zip",
                     "application/zip")


@require_POST
@require_permission("incidents.export")
def use_of_force(request: HttpRequest) -> HttpResponse:
    if not _can_export_records(request):
        raise PermissionDenied
    form = UseOfForceForm(request.POST)
    if not form.is_valid():
        return _page(request, records_form=form, status=400)
    try:
        export = exports.use_of_force_export(
            actor=actor_from(request), organisation=request.organisation,  # type: ignore[attr-defined]
            first_day=form.cleaned_data["first_day"], last_day=form.cleaned_data["last_day"],
        )
    except ValidationError as error:
        apply_service_errors(form, error)
        return _page(request, records_form=form, status=400)
    return _download(export.file.text, export.file.name, "text/csv; charset=utf-8")
