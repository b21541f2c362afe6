"""Pages for the staff register, courses, training sessions and records, and compliance.
Thin: each view loads within the current organisation (another organisation's id is a 404),
calls a service and renders."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from rrp.core.forms import apply_service_errors, error_summary
from rrp.core.permissions import actor_from, require_permission
from rrp.core.scoping import get_in_organisation
from rrp.organisations.models import Role, Ward
from rrp.organisations.selectors import home_ward_of
from rrp.workforce import (
    content_selectors,
    exports,
    selectors,
    services,
    technique_results,
    tna_selectors,
)
from rrp.workforce import status as st
from rrp.workforce.forms import (
    CLASS_ROWS,
    AttendeeFormSet,
    CourseForm,
    EnteredInErrorForm,
    SessionForm,
    StaffForm,
    TnaAgreementForm,
    TnaForm,
    TnaRequirementForm,
    TrainingRecordForm,
    apply_session_errors,
    session_input,
)
from rrp.workforce.models import (
    Course,
    CourseReport,
    Employment,
    SessionEvaluation,
    StaffMember,
    TechniqueOutcome,
    TnaRequirement,
    TnaState,
    TrainingNeedsAnalysis,
    TrainingRecord,
    TrainingSession,
)

# The share in date below which a ward is shown as slipping: the figure NHS trusts commonly
# set for statutory and mandatory training, and the one the demo's wards are measured against.
COMPLIANCE_TARGET = 85.0


def _organisation(request: HttpRequest) -> Any:
    return request.organisation  # type: ignore[attr-defined]


def _staff(request: HttpRequest, staff_id: int) -> StaffMember:
    return get_in_organisation(StaffMember.objects.prefetch_related("wards"),
                               _organisation(request), pk=staff_id)


def _can(request: HttpRequest, permission: str) -> bool:
    return bool(request.user.has_perm(permission, _organisation(request)))


# ---------------------------------------------------------------------------------------------
# Staff register
# ---------------------------------------------------------------------------------------------


@require_GET
@require_permission("workforce.view_staff")
def staff_list(request: HttpRequest) -> HttpResponse:
    """Everyone on the register, bank and agency staff in their own lists (standard 1.9.II)."""
    organisation = _organisation(request)
    today = timezone.localdate()
    wards = list(Ward.objects.filter(organisation=organisation).order_by("name"))
    ward = request.GET.get("ward", "")
    ward = ward if any(w.code == ward for w in wards) else ""
    employment = request.GET.get("employment", "")
    employment = employment if employment in Employment.values else ""
    leavers = request.GET.get("leavers") == "yes"
    people = list(selectors.staff_list(organisation, today, ward=ward, employment=employment,
                                       include_leavers=leavers))
    groups = [
        (name, label, [p for p in people if selectors.group_of(p.employment) == name])
        for name, label in selectors.GROUPS.items()
    ]
    return render(request, "workforce/staff_list.html", {
        "groups": groups, "count": len(people), "wards": wards, "ward": ward,
        "employment": employment, "employments": Employment.choices, "leavers": leavers,
        "today": today, "can_manage": _can(request, "workforce.manage_staff"),
    })


@require_http_methods(["GET", "POST"])
@require_permission("workforce.manage_staff")
def staff_add(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    form = StaffForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.staff_member_create(
                actor=actor_from(request), organisation=organisation, data=form.to_input()
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"{member.name} added to the staff register")
            return redirect("workforce:staff", staff_id=member.pk)
    return render(request, "workforce/staff_form.html",
                  {"form": form, "errors": error_summary(form), "member": None})


@require_http_methods(["GET", "POST"])
@require_permission("workforce.manage_staff")
def staff_edit(request: HttpRequest, staff_id: int) -> HttpResponse:
    organisation = _organisation(request)
    member = _staff(request, staff_id)
    form = StaffForm(request.POST or None, organisation=organisation,
                     initial=StaffForm.initial_from(services.staff_input_of(member)))
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_member_update(actor=actor_from(request), member=member,
                                         data=form.to_input())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"{member.name}'s details saved")
            return redirect("workforce:staff", staff_id=member.pk)
    return render(request, "workforce/staff_form.html",
                  {"form": form, "errors": error_summary(form), "member": member})


@require_GET
@require_permission("workforce.view_staff")
def staff_detail(request: HttpRequest, staff_id: int) -> HttpResponse:
    member = _staff(request, staff_id)
    today = timezone.localdate()
    return render(request, "workforce/staff_detail.html", {
        "member": member, "training": selectors.person_training(member, today),
        "records": selectors.records_of(member), "today": today,
        "competence": technique_results.person_competence(member),
        "labels": st.STATUS_LABELS,
        "can_manage": _can(request, "workforce.manage_staff"),
        "can_record": _can(request, "workforce.record_training"),
    })


# ---------------------------------------------------------------------------------------------
# Courses
# ---------------------------------------------------------------------------------------------


def _course(request: HttpRequest, code: str) -> Course:
    return get_in_organisation(Course.objects.all(), _organisation(request), code=code.upper())


@require_GET
@require_permission("workforce.view_staff")
def course_list(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    today = timezone.localdate()
    courses = [(c, selectors.certificate_state(c, today))
               for c in selectors.courses_of(organisation)]
    awaiting, overdue = content_selectors.techniques_for_the_lead(organisation, today)
    return render(request, "workforce/course_list.html", {
        "courses": courses, "today": today,
        "running_out": selectors.certificates_running_out(organisation, today),
        # What the lead's home page counts (standard 3.4.2.XXV, XXIX), one line each.
        "techniques_awaiting": awaiting, "techniques_overdue": overdue,
        "can_manage": _can(request, "workforce.manage_courses"),
    })


@require_http_methods(["GET", "POST"])
@require_permission("workforce.manage_courses")
def course_add(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    form = CourseForm(request.POST or None, initial={"refresher_months": 12,
                                                     "delivery": "face_to_face"})
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_create(actor=actor_from(request), organisation=organisation,
                                            data=form.to_input())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Course {course.code} added")
            return redirect("workforce:courses")
    return render(request, "workforce/course_form.html",
                  {"form": form, "errors": error_summary(form), "course": None})


@require_http_methods(["GET", "POST"])
@require_permission("workforce.manage_courses")
def course_edit(request: HttpRequest, course_code: str) -> HttpResponse:
    course = _course(request, course_code)
    form = CourseForm(request.POST or None,
                      initial=services.course_input_of(course).__dict__)
    if request.method == "POST" and form.is_valid():
        try:
            services.course_update(actor=actor_from(request), course=course,
                                   data=form.to_input())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Course {course.code} saved")
            return redirect("workforce:courses")
    return render(request, "workforce/course_form.html",
                  {"form": form, "errors": error_summary(form), "course": course})


# ---------------------------------------------------------------------------------------------
# Sessions and records
# ---------------------------------------------------------------------------------------------


@require_GET
@require_permission("workforce.view_staff")
def session_list(request: HttpRequest) -> HttpResponse:
    sessions = selectors.sessions_of(_organisation(request))[:100]
    return render(request, "workforce/session_list.html", {
        "sessions": sessions, "can_record": _can(request, "workforce.record_training"),
        "can_see_events": _can(request, "workforce.view_training_events"),
    })


@require_GET
@require_permission("workforce.view_staff")
def session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    session = get_in_organisation(
        TrainingSession.objects.select_related("course", "ward"), _organisation(request),
        pk=session_id,
    )
    return render(request, "workforce/session_detail.html", {
        "session": session,
        "records": session.records.select_related("staff").order_by("staff__name"),
        "absent": session.absent.order_by("name"),
        # 3.4.2.XXXVII-XL: what happened in it, the trainer's report and the evaluation.
        "events": session.events.filter(entered_in_error_at__isnull=True)
        .select_related("staff").order_by("occurred_on", "pk"),
        "report": CourseReport.objects.filter(session=session).first(),
        "evaluation": SessionEvaluation.objects.filter(session=session).first(),
        # Issue 13, 3.4.2.XXXIX: each attendee's result in each technique taught that day.
        "techniques": technique_results.techniques_taught(session),
        "technique_results": technique_results.results_of(session),
        "result_labels": dict(TechniqueOutcome.choices),
        "can_record": _can(request, "workforce.record_training"),
    })


def _row_count(request: HttpRequest) -> int:
    """Twelve rows for a class unless the trainer asks for more ("Add more rows")."""
    value = request.POST.get("attendee-TOTAL_FORMS") or request.GET.get("rows") or ""
    return max(CLASS_ROWS, min(int(value), 40)) if value.isdigit() else CLASS_ROWS


@require_http_methods(["GET", "POST"])
@require_permission("workforce.record_training")
def session_add(request: HttpRequest) -> HttpResponse:
    """A whole class in one form: the session, then one row per person."""
    organisation = _organisation(request)
    today = timezone.localdate()
    register = {m.staff_number: m for m in selectors.current_staff(organisation, today)}
    posted = request.method == "POST"
    form = SessionForm(request.POST if posted else None, organisation=organisation, today=today,
                       initial={"course": request.GET.get("course", "")})
    rows = AttendeeFormSet(request.POST if posted else None, prefix="attendee",
                           form_kwargs={"register": register})
    if not posted:
        rows.extra = _row_count(request)
    if posted and form.is_valid() and rows.is_valid():
        data = session_input(form, rows)
        try:
            session = services.training_session_record(
                actor=actor_from(request), organisation=organisation, data=data
            )
        except ValidationError as error:
            apply_session_errors(error, form, rows, data)
        else:
            messages.success(
                request, f"{session.course.code} session recorded for "
                         f"{session.records.count()} people")
            return redirect("workforce:session", session_id=session.pk)
    return render(request, "workforce/session_form.html", {
        "form": form, "rows": rows, "errors": _session_summary(form, rows),
        "register": sorted(register.values(), key=lambda m: m.name),
        "more_rows": min(len(rows.forms) + 6, 40),
    })


def _session_summary(form: SessionForm, rows: Any) -> dict[str, Any] | None:
    """One NHS.UK error summary for the session and every row, each linking to its field."""
    summary = error_summary(form)
    items = list(summary["errorList"]) if summary else []
    for number, row in enumerate(rows.forms, start=1):
        row_summary = error_summary(row)
        if row_summary:
            items.extend({**item, "text": f"Person {number}: {item['text']}"}
                         for item in row_summary["errorList"])
    for message in rows.non_form_errors():
        items.append({"text": str(message)})
    return {"titleText": "There is a problem", "errorList": items} if items else None


@require_http_methods(["GET", "POST"])
@require_permission("workforce.record_training")
def record_add(request: HttpRequest, staff_id: int) -> HttpResponse:
    organisation = _organisation(request)
    member = _staff(request, staff_id)
    today = timezone.localdate()
    form = TrainingRecordForm(request.POST or None, organisation=organisation, today=today,
                              initial={"course": request.GET.get("course", "")})
    if request.method == "POST" and form.is_valid():
        try:
            record = services.training_record_create(
                actor=actor_from(request), organisation=organisation,
                data=form.to_input(member),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"{record.course.code} recorded for {member.name}")
            return redirect("workforce:staff", staff_id=member.pk)
    return render(request, "workforce/record_form.html",
                  {"form": form, "errors": error_summary(form), "member": member})


@require_http_methods(["GET", "POST"])
@require_permission("workforce.record_training")
def record_entered_in_error(request: HttpRequest, record_id: int) -> HttpResponse:
    record = get_in_organisation(
        TrainingRecord.objects.select_related("staff", "course"), _organisation(request),
        pk=record_id,
    )
    if record.is_entered_in_error:
        raise Http404("Already entered in error")
    form = EnteredInErrorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.training_record_mark_entered_in_error(
                actor=actor_from(request), record=record, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "The record is marked as entered in error")
            return redirect("workforce:staff", staff_id=record.staff_id)
    return render(request, "workforce/record_entered_in_error.html",
                  {"form": form, "errors": error_summary(form), "record": record})


# ---------------------------------------------------------------------------------------------
# Compliance
# ---------------------------------------------------------------------------------------------


@require_GET
@require_permission("workforce.view_compliance")
def compliance(request: HttpRequest) -> HttpResponse:
    """A ward's figures (a ward manager's own ward first) or every ward (the trainer's view),
    down to the people behind them."""
    organisation = _organisation(request)
    today = timezone.localdate()
    roles: frozenset[str] = getattr(request, "roles", frozenset())
    wards = list(Ward.objects.filter(organisation=organisation, is_open=True).order_by("name"))
    asked = request.GET.get("ward")
    if asked is None and not roles & {Role.TRAINER, Role.RRP_LEAD}:
        home = home_ward_of(request.user, organisation)
        asked = home.code if home else ""
    ward = next((w for w in wards if w.code == asked), None)
    if asked and ward is None:
        raise Http404("No such ward")
    figures = selectors.compliance(organisation, today, ward=ward)
    lapsed, expiring = selectors.people_out_of_date(
        organisation, today, wards=[ward] if ward else None
    )
    waiting = selectors.not_yet_competent(organisation, today)
    if ward is not None:
        waiting = [(r, s) for r, s in waiting if ward in r.staff.wards.all()]
    return render(request, "workforce/compliance.html", {
        "ward": ward, "wards": wards, "figures": figures,
        "by_ward": selectors.ward_compliance(organisation, today) if ward is None else [],
        "lapsed": lapsed, "expiring": expiring, "waiting": waiting, "today": today,
        "labels": st.STATUS_LABELS, "groups": selectors.GROUPS, "target": COMPLIANCE_TARGET,
        # Certification is the trainer's and the lead's to renew (the ward manager's page
        # keeps to the ward's people).
        "certificates": selectors.certificates_running_out(organisation, today)
        if roles & {Role.TRAINER, Role.RRP_LEAD} else [],
        "can_export": _can(request, "workforce.export"),
        # The TNA in force decides who needs what (requirements.py); the page says which.
        "in_force": tna_selectors.in_force(organisation),
    })


@require_GET
@require_permission("workforce.export")
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in exports.FORMATS:
        raise Http404("No such format")
    organisation = _organisation(request)
    file = exports.training_export(actor=actor_from(request), organisation=organisation,
                                   today=timezone.localdate(), fmt=fmt)
    response = HttpResponse(file.content, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.name}"'
    return response


# ---------------------------------------------------------------------------------------------
# The training needs analysis (standard 3.4.II-III, 3.4.1, 3.4.2.I-XIX)
# ---------------------------------------------------------------------------------------------


def _analysis(request: HttpRequest, tna_id: int) -> TrainingNeedsAnalysis:
    return get_in_organisation(
        tna_selectors.analyses_of(_organisation(request)), _organisation(request), pk=tna_id
    )


@require_GET
@require_permission("workforce.view_tna")
def tna_list(request: HttpRequest) -> HttpResponse:
    """Every version, the ones in force first, and any whose yearly review is due."""
    organisation = _organisation(request)
    today = timezone.localdate()
    analyses = list(tna_selectors.analyses_of(organisation).order_by("service_type", "-version"))
    return render(request, "workforce/tna_list.html", {
        "analyses": analyses,
        "in_force": [a for a in analyses if a.state == TnaState.IN_FORCE],
        "reviews_due": tna_selectors.reviews_due(organisation, today),
        "today": today, "can_manage": _can(request, "workforce.manage_tna"),
    })


@require_http_methods(["GET", "POST"])
@require_permission("workforce.manage_tna")
def tna_add(request: HttpRequest) -> HttpResponse:
    """A new draft version. It starts from the text and requirements of the version in force
    for the same services, when there is one: a review changes what needs changing."""
    organisation = _organisation(request)
    current = {a.service_type: a for a in tna_selectors.in_force(organisation)}
    initial = services.tna_input_of(current[""]).__dict__ if "" in current else {}
    form = TnaForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.to_input()
        try:
            analysis = services.tna_create(
                actor=actor_from(request), organisation=organisation, data=data,
                copy_from=current.get(data.service_type),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Version {analysis.version} drafted")
            return redirect("workforce:tna", tna_id=analysis.pk)
    return render(request, "workforce/tna_form.html",
                  {"form": form, "errors": error_summary(form), "analysis": None})


@require_http_methods(["GET", "POST"])
@require_permission("workforce.manage_tna")
def tna_edit(request: HttpRequest, tna_id: int) -> HttpResponse:
    analysis = _analysis(request, tna_id)
    if not analysis.is_editable:
        raise Http404("Only a draft can be changed")
    form = TnaForm(request.POST or None, initial=services.tna_input_of(analysis).__dict__)
    del form.fields["service_type"]  # the scope is fixed when a version is started
    if request.method == "POST" and form.is_valid():
        try:
            services.tna_update(actor=actor_from(request), analysis=analysis,
                                data=form.to_input())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Version {analysis.version} saved")
            return redirect("workforce:tna", tna_id=analysis.pk)
    return render(request, "workforce/tna_form.html",
                  {"form": form, "errors": error_summary(form), "analysis": analysis})


@require_GET
@require_permission("workforce.view_tna")
def tna_detail(request: HttpRequest, tna_id: int) -> HttpResponse:
    """The document as it is (printable): its requirements, its sections, who agreed and signed
    it, and the incident profile it is built on."""
    analysis = _analysis(request, tna_id)
    today = timezone.localdate()
    profile = tna_selectors.profile_of(analysis, today)
    return render(request, "workforce/tna_detail.html", {
        "analysis": analysis, "requirements": list(tna_selectors.requirements_of(analysis)),
        "sections": services.TNA_SECTIONS, "profile": profile,
        "profile_from": dt.date.fromisoformat(profile["from"]),
        "profile_to": dt.date.fromisoformat(profile["to"]),
        "review": tna_selectors.review_state(analysis, today), "today": today,
        "can_manage": _can(request, "workforce.manage_tna"),
        "can_sign_off": _can(request, "workforce.sign_off_tna"),
    })


@require_http_methods(["GET", "POST"])
@require_permission("workforce.manage_tna")
def tna_requirement_add(request: HttpRequest, tna_id: int) -> HttpResponse:
    analysis = _analysis(request, tna_id)
    if not analysis.is_editable:
        raise Http404("Only a draft can be changed")
    form = TnaRequirementForm(request.POST or None, organisation=_organisation(request),
                              today=timezone.localdate(), service_type=analysis.service_type)
    if request.method == "POST" and form.is_valid():
        try:
            row = services.tna_requirement_add(actor=actor_from(request), analysis=analysis,
                                               data=form.to_input())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"{row.course.code} added for {row.group_label.lower()}")
            return redirect("workforce:tna", tna_id=analysis.pk)
    return render(request, "workforce/tna_requirement_form.html",
                  {"form": form, "errors": error_summary(form), "analysis": analysis})


@require_http_methods(["GET", "POST"])
@require_permission("workforce.manage_tna")
def tna_requirement_remove(request: HttpRequest, tna_id: int, requirement_id: int) -> HttpResponse:
    analysis = _analysis(request, tna_id)
    requirement = get_in_organisation(
        TnaRequirement.objects.select_related("course", "ward"), _organisation(request),
        pk=requirement_id, analysis=analysis, removed_at__isnull=True,
    )
    if not analysis.is_editable:
        raise Http404("Only a draft can be changed")
    if request.method == "POST":
        services.tna_requirement_remove(actor=actor_from(request), requirement=requirement)
        messages.success(request, f"{requirement.course.code} for "
                                  f"{requirement.group_label.lower()} removed")
        return redirect("workforce:tna", tna_id=analysis.pk)
    return render(request, "workforce/tna_requirement_remove.html",
                  {"analysis": analysis, "requirement": requirement})


@require_http_methods(["GET", "POST"])
@require_permission("workforce.manage_tna")
def tna_agree(request: HttpRequest, tna_id: int) -> HttpResponse:
    """Record that the training provider agreed the draft (standard 3.4.II)."""
    analysis = _analysis(request, tna_id)
    if analysis.state != TnaState.DRAFT:
        raise Http404("Only a draft can be agreed")
    form = TnaAgreementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.tna_record_agreement(actor=actor_from(request), analysis=analysis,
                                          data=form.to_input())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Version {analysis.version} is agreed with "
                                      f"{analysis.training_provider}")
            return redirect("workforce:tna", tna_id=analysis.pk)
    return render(request, "workforce/tna_agree.html",
                  {"form": form, "errors": error_summary(form), "analysis": analysis})


@require_http_methods(["GET", "POST"])
@require_permission("workforce.sign_off_tna")
def tna_sign_off(request: HttpRequest, tna_id: int) -> HttpResponse:
    """The executive lead signs off (standard 3.4.II-III): it comes into force at once."""
    analysis = _analysis(request, tna_id)
    if analysis.state != TnaState.AGREED:
        raise Http404("Only an agreed analysis can be signed off")
    current = next((a for a in tna_selectors.in_force(_organisation(request))
                    if a.service_type == analysis.service_type), None)
    if request.method == "POST":
        services.tna_sign_off(actor=actor_from(request), analysis=analysis)
        messages.success(request, f"Version {analysis.version} is signed off and in force")
        return redirect("workforce:tna", tna_id=analysis.pk)
    return render(request, "workforce/tna_sign_off.html",
                  {"analysis": analysis, "current": current,
                   "requirements": list(tna_selectors.requirements_of(analysis))})
