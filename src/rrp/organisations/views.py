from __future__ import annotations

import secrets

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from rrp.core.forms import apply_service_errors, error_summary
from rrp.core.permissions import actor_from, require_permission
from rrp.core.scoping import get_in_organisation
from rrp.organisations import services
from rrp.organisations.forms import BedDaysForm, BedDaysImportForm, MemberForm, WardForm
from rrp.organisations.models import Membership, OccupiedBedDays, Ward
from rrp.organisations.selectors import wards_of


@require_permission("organisations.view_organisation")
def ward_list(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation  # type: ignore[attr-defined]
    today = timezone.localdate()
    wards = wards_of(organisation).annotate(
        current_patients=Count(
            "admissions",
            filter=Q(admissions__admitted_on__lte=today)
            & (Q(admissions__discharged_on__isnull=True) | Q(admissions__discharged_on__gt=today)),
        )
    )
    return render(request, "organisations/ward_list.html", {"wards": wards})


@require_permission("organisations.view_organisation")
def ward_detail(request: HttpRequest, code: str) -> HttpResponse:
    organisation = request.organisation  # type: ignore[attr-defined]
    ward = get_in_organisation(Ward.objects.select_related("site"), organisation, code=code)
    bed_days = OccupiedBedDays.objects.filter(ward=ward).order_by("-month")[:24]
    context: dict[str, object] = {"ward": ward, "bed_days": bed_days}
    if request.user.has_perm("incidents.view_incident", organisation):
        # What the ward must act on now, and its latest uses of force (issue 3).
        from rrp.incidents.presenters import ward_summary

        context.update(ward_summary(organisation, ward, now=timezone.now()))
    if request.user.has_perm("careplans.view_plan", organisation):
        # Plans past their review date and people with no current plan (issue 6).
        from rrp.careplans.selectors import ward_safety_plans

        context["safety_plans"] = ward_safety_plans(ward, timezone.localdate())
    return render(request, "organisations/ward_detail.html", context)


@require_http_methods(["GET", "POST"])
@require_permission("organisations.manage_organisation")
def ward_add(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation  # type: ignore[attr-defined]
    form = WardForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            ward = services.ward_create(
                actor=actor_from(request), organisation=organisation, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"{ward.name} added")
            return redirect("organisations:ward", code=ward.code)
    return render(
        request, "organisations/ward_form.html", {"form": form, "errors": error_summary(form)}
    )


@require_http_methods(["GET", "POST"])
@require_permission("organisations.enter_bed_days")
def bed_days(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation  # type: ignore[attr-defined]
    form = BedDaysForm(
        request.POST or None,
        organisation=organisation,
        initial={"ward": request.GET.get("ward"), "month": request.GET.get("month", "")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            record = services.bed_days_set(actor=actor_from(request), **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{record.bed_days} bed days saved for {record.ward} in {record.month:%B %Y}",
            )
            return redirect("organisations:ward", code=record.ward.code)
    recent = OccupiedBedDays.objects.filter(organisation=organisation).select_related("ward")
    return render(
        request,
        "organisations/bed_days.html",
        {
            "form": form,
            "errors": error_summary(form),
            "import_form": BedDaysImportForm(),
            "recent": recent.order_by("-month", "ward__name")[:18],
        },
    )


@require_http_methods(["POST"])
@require_permission("organisations.enter_bed_days")
def bed_days_import(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation  # type: ignore[attr-defined]
    form = BedDaysImportForm(request.POST, request.FILES)
    problems: list[str] = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            text = upload.read().decode("utf-8-sig")  # the form refused a file too large
        except UnicodeDecodeError:
            problems = ["The file must be a CSV saved as UTF-8 text"]
        else:
            count, found = services.bed_days_import_csv(
                actor=actor_from(request), organisation=organisation, text=text
            )
            if not found:
                messages.success(request, f"{count} months of bed days imported")
                return redirect("organisations:bed-days")
            problems = [f"Line {p.line}: {p.message}" if p.line else p.message for p in found]
    else:
        problems = [str(e) for e in form.errors.get("file") or ["Choose a CSV file to import"]]
    return render(
        request,
        "organisations/bed_days.html",
        {
            "form": BedDaysForm(organisation=organisation),
            "import_form": form,
            "errors": {
                "titleText": "The file was not imported",
                "descriptionText": "Nothing was saved. Correct these lines and import it again.",
                "errorList": [{"text": p, "href": "#id_file"} for p in problems],
            },
            "recent": [],
        },
    )


@require_permission("organisations.view_members")
def member_list(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation  # type: ignore[attr-defined]
    members = (
        Membership.objects.filter(organisation=organisation)
        .select_related("user", "home_ward")
        .order_by("user__last_name", "user__username", "role")
    )
    return render(request, "organisations/member_list.html", {"members": members})


@require_http_methods(["GET", "POST"])
@require_permission("organisations.manage_organisation")
def member_add(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation  # type: ignore[attr-defined]
    form = MemberForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        temporary = secrets.token_urlsafe(12)
        try:
            services.user_add(
                actor=actor_from(request),
                organisation=organisation,
                password=temporary,
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{form.cleaned_data['username']} can now sign in. If the account is new, "
                f"its temporary password is {temporary} – give it to them in person.",
            )
            return redirect("organisations:members")
    return render(
        request, "organisations/member_form.html", {"form": form, "errors": error_summary(form)}
    )
