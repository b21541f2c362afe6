"""Dashboards: thin views over rrp.analytics.dashboard."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from rrp.analytics import breakdowns as bd
from rrp.analytics import bulk_rebuild, dashboard, icons, jobs, services
from rrp.analytics.measures import MEASURE_BY_ID, MEASURES
from rrp.analytics.models import ChangePoint, MeasureTarget
from rrp.core.forms import apply_service_errors, error_summary
from rrp.core.permissions import actor_from, require_permission
from rrp.core.scoping import get_in_organisation
from rrp.jobs import queue
from rrp.organisations.models import Ward


def fmt(value: object) -> str:
    """A figure as the page shows it: thousands separated; "*" and text as they are."""
    text = "" if value is None else str(value)
    if re.fullmatch(r"-?\d+", text):
        return f"{int(text):,}"
    if re.fullmatch(r"-?\d+\.\d+", text):
        whole, _, fraction = text.partition(".")
        return f"{int(whole):,}.{fraction}"
    return text


def _context(request: HttpRequest, board: dashboard.Dashboard,
             problems: list[dict[str, str]]) -> dict[str, object]:
    now = board.now
    filters = board.filters
    base = (
        reverse("analytics:ward-csv", kwargs={"code": filters.ward.code})
        if filters.ward
        else reverse("analytics:organisation-csv")
    )

    def csv_url(table_id: str, suppressed: bool = False) -> str:
        params = QueryDict(mutable=True)
        params.update(filters.query())
        params["table"] = table_id
        if suppressed:
            params["suppressed"] = "1"
        return f"{base}?{params.urlencode()}"

    def shown_count(n: int) -> str:
        from rrp.analytics import disclosure

        return str(disclosure.suppress_count(n, board.rule)) if board.rule else str(n)

    # The records behind the prone restraint list open only for those who may read records.
    can_view_records = request.user.has_perm(
        "incidents.view_incident", request.organisation  # type: ignore[attr-defined]
    )
    prone_list_url = (
        f"{reverse('incidents:list')}?{urlencode(dashboard.prone_list_query(filters))}"
        if can_view_records else ""
    )

    return {
        "fmt": fmt,
        "can_view_records": can_view_records,
        "prone_list_url": prone_list_url,
        "key_symbol": icons.key_symbol,
        "csv_url": csv_url,
        "shown_count": shown_count,
        "board": board,
        "filters": board.filters,
        "problems": problems,
        "areas": dashboard.area_choices(request.organisation),  # type: ignore[attr-defined]
        "month_options": dashboard.month_options(now),
        "type_filters": bd.TYPE_FILTERS,
        "can_manage": request.user.has_perm(
            "analytics.manage_baselines", request.organisation  # type: ignore[attr-defined]
        ),
        "rebuilding": bulk_rebuild.under_way(board.organisation.pk),
    }


@require_GET
@require_permission("analytics.view_dashboard")
def organisation(request: HttpRequest) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    area = request.GET.get("area", "")
    if area.startswith("ward:"):
        # A ward has its own dashboard, with what only a ward needs (this month so far).
        ward = get_in_organisation(Ward.objects.all(), org, code=area.split(":", 1)[1])
        params = request.GET.copy()
        params.pop("area")
        url = reverse("analytics:ward", kwargs={"code": ward.code})
        return redirect(f"{url}?{params.urlencode()}" if params else url)
    filters, problems = dashboard.parse_filters(request.GET, org, timezone.now())
    board = dashboard.build(org, filters, request.roles)  # type: ignore[attr-defined]
    return _dashboard_page(request, board, problems)


@require_GET
@require_permission("analytics.view_dashboard")
def ward(request: HttpRequest, code: str) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    found = get_in_organisation(Ward.objects.select_related("site"), org, code=code)
    filters, problems = dashboard.parse_filters(request.GET, org, timezone.now(), ward=found)
    board = dashboard.build(org, filters, request.roles)  # type: ignore[attr-defined]
    return _dashboard_page(request, board, problems)


def _dashboard_page(request: HttpRequest, board: dashboard.Dashboard,
                    problems: list[dict[str, str]]) -> HttpResponse:
    """The page at once, with the figures as they are now; charts not yet drawn from them
    are queued for the worker, and show on a later load (issue 12: a reader never waits)."""
    if board.charts_updating():
        filters = board.filters
        queue.enqueue(jobs.draw_dashboard, board.organisation.pk, filters.query(),
                      filters.ward.code if filters.ward else "", board.exact)
    return render(request, "analytics/dashboard.html", _context(request, board, problems))


# Table ids are lower case but for the measure ids in them (spc_MHS96, change_MHS96).
_TABLE_ID = re.compile(r"^[A-Za-z0-9_]{1,60}$")


def _csv(request: HttpRequest, ward: Ward | None) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    table_id = request.GET.get("table", "")
    if not _TABLE_ID.match(table_id):
        raise Http404("No such table")
    filters, _ = dashboard.parse_filters(request.GET, org, timezone.now(), ward=ward)
    roles = set(request.roles)  # type: ignore[attr-defined]
    if request.GET.get("suppressed") == "1":
        # The treating team's "for sharing" copy: the same table under the disclosure rule.
        roles -= dashboard.TREATING_TEAM
    board = dashboard.build(org, filters, roles)
    table = board.tables().get(table_id)
    if table is None:
        raise Http404("No such table")
    services.figures_export_record(
        actor=actor_from(request), organisation=org, table_id=table_id,
        filters={**filters.query(), "area": filters.scope}, suppressed=not board.exact,
    )
    response = HttpResponse(dashboard_csv(table), content_type="text/csv; charset=utf-8")
    place = ward.code if ward else filters.scope.replace(":", "-")
    response["Content-Disposition"] = (
        f'attachment; filename="{table_id}-{place}-{filters.first:%Y-%m}-to-'
        f'{filters.last:%Y-%m}.csv"'
    )
    return response


def dashboard_csv(table: bd.Table) -> str:
    from rrp.analytics.charts import table_csv

    return table_csv(table)


@require_GET
@require_permission("analytics.view_dashboard")
def organisation_csv(request: HttpRequest) -> HttpResponse:
    return _csv(request, None)


@require_GET
@require_permission("analytics.view_dashboard")
def ward_csv(request: HttpRequest, code: str) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    return _csv(request, get_in_organisation(Ward.objects.all(), org, code=code))


# ---------------------------------------------------------------------------------------------
# Baselines and targets
# ---------------------------------------------------------------------------------------------


class ChangePointForm(forms.Form):
    label = forms.CharField(
        label="What changed", max_length=200,
        help_text="For example: Safewards introduced, or a new seclusion policy",
    )
    month = forms.CharField(
        label="First month of the new baseline", help_text="For example, 2026-03"
    )
    ward = forms.ChoiceField(label="Where", required=False)

    def __init__(self, *args: object, organisation: Any, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        wards = Ward.objects.filter(organisation=organisation).order_by("name")
        self.fields["ward"].choices = [  # type: ignore[attr-defined]
            ("", "The whole organisation"),
            *((w.code, f"{w.name} ({w.code})") for w in wards),
        ]

    def clean_month(self) -> dt.date:
        text = self.cleaned_data["month"].strip()
        match = re.fullmatch(r"(\d{4})-(\d{1,2})", text)
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise ValidationError("Enter the month as year and month, like 2026-03")
        return dt.date(int(match.group(1)), int(match.group(2)), 1)


class TargetForm(forms.Form):
    measure = forms.ChoiceField(label="Measure")
    area = forms.ChoiceField(label="Area")
    value = forms.FloatField(
        label="Target", required=False, min_value=0,
        help_text="Leave empty to remove the target",
        error_messages={"invalid": "Enter the target as a number, like 12.5"},
    )

    def __init__(self, *args: object, organisation: Any, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["measure"].choices = [  # type: ignore[attr-defined]
            ("", "Choose a measure"),
            *((m.id, f"{m.title} ({m.id})" if m.national else m.title) for m in MEASURES),
        ]
        self.fields["area"].choices = [  # type: ignore[attr-defined]
            (c.value if not c.value.startswith("ward:") else _ward_scope(organisation, c.value),
             c.label)
            for c in dashboard.area_choices(organisation)
        ]


def _ward_scope(organisation: Any, value: str) -> str:
    ward = Ward.objects.filter(organisation=organisation, code=value.split(":", 1)[1]).first()
    return f"ward:{ward.pk}" if ward else value


@require_http_methods(["GET", "POST"])
@require_permission("analytics.manage_baselines")
def baselines(request: HttpRequest) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    data: QueryDict | None = request.POST if request.method == "POST" else None
    action = request.POST.get("action", "") if data else ""
    change_form = ChangePointForm(data if action == "change" else None, organisation=org,
                                  prefix="change")
    target_form = TargetForm(data if action == "target" else None, organisation=org,
                             prefix="target")
    if action == "change" and change_form.is_valid():
        ward_code = change_form.cleaned_data["ward"]
        ward = get_in_organisation(Ward.objects.all(), org, code=ward_code) if ward_code else None
        try:
            point = services.change_point_create(
                actor=actor_from(request), organisation=org, ward=ward,
                month=change_form.cleaned_data["month"], label=change_form.cleaned_data["label"],
            )
        except ValidationError as error:
            apply_service_errors(change_form, error)
        else:
            messages.success(request, f"New baseline from {point.month:%B %Y} recorded")
            return redirect("analytics:baselines")
    if action == "target" and target_form.is_valid():
        try:
            services.target_set(
                actor=actor_from(request), organisation=org,
                measure=target_form.cleaned_data["measure"],
                scope=target_form.cleaned_data["area"], value=target_form.cleaned_data["value"],
            )
        except ValidationError as error:
            apply_service_errors(target_form, error)
        else:
            messages.success(request, "Target saved")
            return redirect("analytics:baselines")
    if action == "remove":
        point = get_in_organisation(ChangePoint.objects.all(), org,
                                    pk=request.POST.get("change_point", ""))
        services.change_point_remove(actor=actor_from(request), change_point=point)
        messages.success(request, "Baseline removed")
        return redirect("analytics:baselines")
    labels = {c.value: c.label for c in dashboard.area_choices(org)}
    wards = {f"ward:{w.pk}": f"{w.name} ({w.code})" for w in Ward.objects.filter(organisation=org)}
    targets = [
        (MEASURE_BY_ID[t.measure].title if t.measure in MEASURE_BY_ID else t.measure,
         labels.get(t.scope) or wards.get(t.scope, t.scope), t.value)
        for t in MeasureTarget.objects.filter(organisation=org).order_by("measure", "scope")
    ]
    return render(
        request,
        "analytics/baselines.html",
        {
            "change_form": change_form,
            "target_form": target_form,
            "errors": error_summary(change_form) or error_summary(target_form),
            "change_points": ChangePoint.objects.filter(organisation=org).select_related("ward"),
            "targets": targets,
        },
    )
