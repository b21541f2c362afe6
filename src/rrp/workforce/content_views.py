"""Pages for what a course teaches and how its sessions went: the learning outcomes matrix
(standard 3.1, Use of Force Act s.5(2)), a course's page with its training manual of
techniques and their sign-off (3.4.2.XXIV-XXXI), and on a session the injuries and incidents
(XXXVII), the course report (XXXVIII) and the evaluation (XL); the lead's list of injuries
and incidents in training for the regular audit (XLI). Thin, as views.py is: load within the
current organisation (another organisation's id is a 404), call a service, render."""

from __future__ import annotations

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
from rrp.workforce import content_selectors, course_content, technique_results
from rrp.workforce.content_forms import (
    CourseReportForm,
    EvaluationForm,
    ReasonForm,
    ReviewForm,
    TechniqueForm,
    TechniqueResultsForm,
    TrainingEventForm,
)
from rrp.workforce.forms import EnteredInErrorForm  # the training record's, reused
from rrp.workforce.models import (
    PHYSICAL_LEVELS,
    Course,
    CourseReport,
    PhysicalTechnique,
    SessionEvaluation,
    TrainingEvent,
    TrainingSession,
)
from rrp.workforce.outcomes import BY_CODE
from rrp.workforce.status import add_months

# 3.4.2.XLI: injuries and incidents audited regularly; the list covers the last year.
AUDIT_MONTHS = 12


def _organisation(request: HttpRequest) -> Any:
    return request.organisation  # type: ignore[attr-defined]


def _can(request: HttpRequest, permission: str) -> bool:
    return bool(request.user.has_perm(permission, _organisation(request)))


def _course(request: HttpRequest, code: str) -> Course:
    return get_in_organisation(Course.objects.all(), _organisation(request), code=code.upper())


def _technique(request: HttpRequest, technique_id: int) -> PhysicalTechnique:
    return get_in_organisation(PhysicalTechnique.objects.select_related("course"),
                               _organisation(request), pk=technique_id)


def _session(request: HttpRequest, session_id: int) -> TrainingSession:
    return get_in_organisation(TrainingSession.objects.select_related("course", "ward"),
                               _organisation(request), pk=session_id)


@require_GET
@require_permission("workforce.view_staff")
def outcome_matrix(request: HttpRequest) -> HttpResponse:
    """Which course in use teaches each outcome of 3.1 I-XV and s.5(2)(a)-(k), and the gaps."""
    today = timezone.localdate()
    return render(request, "workforce/outcome_matrix.html", {
        "matrix": content_selectors.outcome_matrix(_organisation(request), today),
        "today": today,
    })


@require_GET
@require_permission("workforce.view_staff")
def course_detail(request: HttpRequest, course_code: str) -> HttpResponse:
    """The course, the outcomes it teaches, and its training manual (3.4.2.XXIV)."""
    course = _course(request, course_code)
    today = timezone.localdate()
    techniques = list(content_selectors.techniques_of(course))
    return render(request, "workforce/course_detail.html", {
        "course": course, "today": today,
        "outcomes": [BY_CODE[c] for c in course.outcomes if c in BY_CODE],
        "physical": course.level in PHYSICAL_LEVELS,
        "techniques": [t for t in techniques if not t.is_withdrawn],
        # Issue 13: per technique, how many people on the register are competent in it now.
        "competent": technique_results.competent_counts(_organisation(request), course.pk,
                                                        today),
        "withdrawn": [t for t in techniques if t.is_withdrawn],
        "can_manage": _can(request, "workforce.manage_courses"),
        "can_manage_techniques": _can(request, "workforce.manage_techniques"),
        "can_sign_off": _can(request, "workforce.sign_off_techniques"),
    })


@require_http_methods(["GET", "POST"])
@require_permission("workforce.manage_techniques")
def technique_add(request: HttpRequest, course_code: str) -> HttpResponse:
    course = _course(request, course_code)
    if course.level not in PHYSICAL_LEVELS:
        raise Http404("Techniques are recorded on physical and specialist courses")
    form = TechniqueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            technique = course_content.technique_add(actor=actor_from(request), course=course,
                                                     data=form.to_input())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"'{technique.name}' added: it awaits the executive "
                                      "lead's sign-off")
            return redirect("workforce:course", course_code=course.code)
    return render(request, "workforce/technique_form.html", {
        "form": form, "errors": error_summary(form), "course": course, "technique": None,
    })


@require_http_methods(["GET", "POST"])
@require_permission("workforce.manage_techniques")
def technique_edit(request: HttpRequest, technique_id: int) -> HttpResponse:
    technique = _technique(request, technique_id)
    if technique.is_withdrawn:
        raise Http404("A withdrawn technique cannot be changed")
    form = TechniqueForm(request.POST or None,
                         initial=course_content.technique_input_of(technique).__dict__)
    if request.method == "POST" and form.is_valid():
        try:
            course_content.technique_update(actor=actor_from(request), technique=technique,
                                            data=form.to_input())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"'{technique.name}' saved" + (
                "" if technique.is_signed_off else ": it awaits the executive lead's sign-off"))
            return redirect("workforce:course", course_code=technique.course.code)
    return render(request, "workforce/technique_form.html", {
        "form": form, "errors": error_summary(form), "course": technique.course,
        "technique": technique,
    })


@require_http_methods(["GET", "POST"])
@require_permission("workforce.sign_off_techniques")
def technique_sign_off(request: HttpRequest, technique_id: int) -> HttpResponse:
    """The executive lead signs off the balance of the risks (3.4.2.XXV), or reviews it."""
    technique = _technique(request, technique_id)
    if technique.is_withdrawn:
        raise Http404("A withdrawn technique is not signed off")
    if request.method == "POST":
        course_content.technique_sign_off(actor=actor_from(request), technique=technique)
        messages.success(request, f"'{technique.name}' signed off: review due by "
                                  f"{technique.review_due_on:%d/%m/%Y}")
        return redirect("workforce:course", course_code=technique.course.code)
    return render(request, "workforce/technique_sign_off.html",
                  {"technique": technique, "today": timezone.localdate()})


@require_http_methods(["GET", "POST"])
@require_permission("workforce.manage_techniques")
def technique_withdraw(request: HttpRequest, technique_id: int) -> HttpResponse:
    technique = _technique(request, technique_id)
    if technique.is_withdrawn:
        raise Http404("Already withdrawn")
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            course_content.technique_withdraw(actor=actor_from(request), technique=technique,
                                              reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"'{technique.name}' is no longer taught")
            return redirect("workforce:course", course_code=technique.course.code)
    return render(request, "workforce/technique_withdraw.html",
                  {"form": form, "errors": error_summary(form), "technique": technique})


# ---------------------------------------------------------------------------------------------
# A session's injuries and incidents, course report and evaluation (3.4.2.XXXVII-XL)
# ---------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@require_permission("workforce.record_training")
def training_event_add(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _session(request, session_id)
    form = TrainingEventForm(request.POST or None, session=session,
                             initial={"occurred_on": session.held_on})
    if request.method == "POST" and form.is_valid():
        try:
            event = course_content.training_event_record(
                actor=actor_from(request), session=session, data=form.to_input())
        except ValidationError as error:
            # The service names the person "staff"; the form asks "who".
            apply_service_errors(form, ValidationError(
                {("who" if name == "staff" else name): messages_
                 for name, messages_ in error.message_dict.items()}))
        else:
            messages.success(request, f"{event.get_kind_display()} recorded")
            return redirect("workforce:session", session_id=session.pk)
    return render(request, "workforce/training_event_form.html",
                  {"form": form, "errors": error_summary(form), "session": session})


@require_http_methods(["GET", "POST"])
@require_permission("workforce.record_training")
def session_techniques(request: HttpRequest, session_id: int) -> HttpResponse:
    """Competence by technique (issue 13, 3.4.2.XXXIX): once the class is recorded, a row per
    attendee and a select per technique taught that day, starting from their overall outcome."""
    session = _session(request, session_id)
    techniques = technique_results.techniques_taught(session)
    if not techniques:
        raise Http404("This session's course has no techniques in its training manual")
    records = technique_results.attendees(session)
    form = TechniqueResultsForm(request.POST or None, records=records, techniques=techniques,
                                initial=technique_results.initial_results(session))
    if request.method == "POST" and form.is_valid():
        try:
            technique_results.technique_results_record(
                actor=actor_from(request), session=session, results=form.to_inputs())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Competence by technique saved")
            return redirect("workforce:session", session_id=session.pk)
    return render(request, "workforce/session_techniques.html", {
        "form": form, "errors": error_summary(form), "session": session,
        "techniques": techniques,
    })


@require_http_methods(["GET", "POST"])
@require_permission("workforce.record_training")
def course_report(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _session(request, session_id)
    report = CourseReport.objects.filter(session=session).first()
    initial = ({"content_delivered": report.content_delivered,
                "issues_arising": report.issues_arising} if report else {})
    form = CourseReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            course_content.course_report_save(actor=actor_from(request), session=session,
                                              data=form.to_input())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Course report saved")
            return redirect("workforce:session", session_id=session.pk)
    return render(request, "workforce/course_report_form.html", {
        "form": form, "errors": error_summary(form), "session": session, "report": report,
    })


@require_http_methods(["GET", "POST"])
@require_permission("workforce.record_training")
def evaluation(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _session(request, session_id)
    existing = SessionEvaluation.objects.filter(session=session).first()
    initial: dict[str, Any] = {f"rating_{r}": 0 for r in range(1, 6)}
    if existing is not None:
        initial = {name: getattr(existing, name) for name in (
            "forms_returned", "rating_1", "rating_2", "rating_3", "rating_4", "rating_5",
            "themes")}
    form = EvaluationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            course_content.evaluation_save(actor=actor_from(request), session=session,
                                           data=form.to_input())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Evaluation saved")
            return redirect("workforce:session", session_id=session.pk)
    return render(request, "workforce/evaluation_form.html", {
        "form": form, "errors": error_summary(form), "session": session,
        "attended": session.records.filter(entered_in_error_at__isnull=True).count(),
    })


@require_GET
@require_permission("workforce.view_training_events")
def training_events(request: HttpRequest) -> HttpResponse:
    """Injuries, incidents and near misses in training over the last year, by course, for the
    executive lead's regular audit (3.4.2.XLI)."""
    today = timezone.localdate()
    since = add_months(today, -AUDIT_MONTHS)
    events = content_selectors.training_events_since(_organisation(request), since)
    return render(request, "workforce/training_events.html", {
        "events": events, "by_course": content_selectors.events_by_course(events),
        # What the lead's home page counts, one line each, however long ago.
        "awaiting": list(content_selectors.unreviewed_events(_organisation(request))
                         .select_related("session__course", "staff")
                         .order_by("occurred_on", "pk")),
        "since": since, "today": today,
        "can_review": _can(request, "workforce.review_training_events"),
    })


@require_http_methods(["GET", "POST"])
@require_permission("workforce.review_training_events")
def training_event_review(request: HttpRequest, event_id: int) -> HttpResponse:
    event = get_in_organisation(
        TrainingEvent.objects.select_related("session__course", "staff"),
        _organisation(request), pk=event_id,
    )
    if event.reviewed_at is not None:
        raise Http404("Already reviewed")
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            course_content.training_event_review(actor=actor_from(request), event=event,
                                                 note=form.cleaned_data["review_note"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Review recorded")
            return redirect("workforce:training-events")
    return render(request, "workforce/training_event_review.html",
                  {"form": form, "errors": error_summary(form), "event": event})


@require_http_methods(["GET", "POST"])
@require_permission("workforce.record_training")
def training_event_entered_in_error(request: HttpRequest, event_id: int) -> HttpResponse:
    event = get_in_organisation(
        TrainingEvent.objects.select_related("session__course", "staff"),
        _organisation(request), pk=event_id, entered_in_error_at__isnull=True,
    )
    form = EnteredInErrorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            course_content.training_event_mark_entered_in_error(
                actor=actor_from(request), event=event, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"The {event.get_kind_display().lower()} is marked as "
                                      "entered in error")
            return redirect("workforce:session", session_id=event.session_id)
    return render(request, "workforce/training_event_entered_in_error.html",
                  {"form": form, "errors": error_summary(form), "event": event})
