"""Pages for recording a use of force and everything that follows it.

Thin views: the forms read what was typed, the services write (and audit), the presenters
shape what is shown. Every record is loaded through the current organisation, so another
provider's id is a 404.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from rrp.audit.services import audit_list_view, audit_view
from rrp.core.forms import error_summary, form_page, submitted
from rrp.core.permissions import actor_from, require_permission
from rrp.core.scoping import get_in_organisation
from rrp.incidents import codes, duty_permissions, presenters, services
from rrp.incidents.forms import (
    DebriefForm,
    DutyFilterForm,
    EnteredInErrorForm,
    IncidentFilterForm,
    IncidentRecording,
    IncidentReviewForm,
    MedicalReviewForm,
    NotRequiredForm,
    ObservationForm,
    PatientAccountForm,
    ReviewForm,
    SupportForm,
    TimedForm,
    aware,
)
from rrp.incidents.inputs import IncidentInput
from rrp.incidents.models import (
    Duty,
    Escalation,
    Incident,
    Intervention,
    Observation,
    PostIncidentSupport,
)
from rrp.incidents.presenters import NO_PLAN_CHECK, PlanCheck
from rrp.incidents.selectors import incidents_of, open_duties
from rrp.incidents.training_notes import TrainingNote, training_notes
from rrp.organisations.selectors import wards_of
from rrp.patients.models import Patient
from rrp.workforce.selectors import training_on_the_day

VIEW = "incidents.view_incident"
RECORD = "incidents.record_incident"
REVIEW = "incidents.review_incident"
ACKNOWLEDGE = "incidents.acknowledge_escalation"
VIEW_PLAN = "careplans.view_plan"

PAGE_SIZE = 25


def _organisation(request: HttpRequest) -> Any:
    return request.organisation  # type: ignore[attr-defined]


def _can(request: HttpRequest, permission: str) -> bool:
    return bool(request.user.has_perm(permission, _organisation(request)))


def _incident(request: HttpRequest, pk: int) -> Incident:
    return get_in_organisation(
        Incident.objects.select_related("ward", "patient"), _organisation(request), pk=pk
    )


def _roles(request: HttpRequest) -> frozenset[str]:
    return frozenset(getattr(request, "roles", frozenset()))


def _refused(request: HttpRequest, incident: Incident, sentence: str) -> HttpResponse:
    """ADR 7: a role that may not act on this duty is told so, in a sentence, with a 403."""
    return render(
        request, "incidents/refused.html", {"incident": incident, "sentence": sentence},
        status=403,
    )


def _problems(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            field: [str(m) for m in messages_] for field, messages_ in error.message_dict.items()
        }
    return {"__all__": [str(m) for m in error.messages]}


# ---------------------------------------------------------------------------------------------
# Lists
# ---------------------------------------------------------------------------------------------


@require_permission(VIEW)
def incident_list(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    wards = list(wards_of(organisation).order_by("name"))
    filters = IncidentFilterForm(request.GET or None, wards=wards)
    chosen: dict[str, Any] = {}
    if filters.is_bound and filters.is_valid():
        chosen = filters.cleaned_data
    start = chosen.get("start")
    end = chosen.get("end")
    incidents = incidents_of(
        organisation,
        ward=chosen.get("ward") or None,
        started_from=aware(dt.datetime.combine(start, dt.time())) if start else None,
        started_to=aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time()))
        if end
        else None,
        type_code=chosen.get("type") or None,
        status=chosen.get("status") or None,
        created_by=request.user if chosen.get("mine") else None,
    ).prefetch_related(
        Prefetch("interventions", queryset=Intervention.objects.order_by("started_at"))
    )
    page = Paginator(incidents.order_by("-started_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    # Each row names the patient: a page of them is audited like a record view (issue 11).
    audit_list_view(actor=actor_from(request), organisation=organisation,
                    object_type="incidents.incident", summary="Uses of force list viewed",
                    query={**dict(request.GET.items()), "page": page.number},
                    ids=[incident.pk for incident in page])
    return render(
        request,
        "incidents/incident_list.html",
        {
            "filters": filters,
            "errors": error_summary(filters) if filters.is_bound else None,
            "page": page,
            "presenters": presenters,
            "now": timezone.now(),
            "filtered": any(
                chosen.get(name) for name in ("ward", "start", "end", "type", "status", "mine")
            ),
        },
    )


@require_permission(VIEW)
def duty_list(request: HttpRequest) -> HttpResponse:
    """The worklist: overdue first (longest overdue at the top), then soonest due."""
    organisation = _organisation(request)
    wards = list(wards_of(organisation).order_by("name"))
    filters = DutyFilterForm(request.GET or None, wards=wards)
    chosen = filters.cleaned_data if filters.is_bound and filters.is_valid() else {}
    now = timezone.now()
    owner = chosen.get("owner") or ""
    entries = open_duties(
        organisation,
        now=now,
        ward=chosen.get("ward") or None,
        state=chosen.get("state") or None,
        owner_roles=frozenset({owner}) if owner else None,
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    rows = [presenters.duty_row(entry.duty, entry.state, now) for entry in page.object_list]
    acting = presenters.duty_actions([row.duty for row in rows], _roles(request))
    overdue = sum(1 for entry in entries if entry.state == "overdue")
    ward = next((w for w in wards if w.code == chosen.get("ward")), None)
    return render(
        request,
        "incidents/duty_list.html",
        {
            "filters": filters,
            "page": page,
            "rows": rows,
            "now": now,
            "ward": ward,
            "total": len(entries),
            "overdue": overdue,
            "presenters": presenters,
            "can_record": _can(request, RECORD),
            "acting": acting,
            "duty_permissions": duty_permissions,
        },
    )


@require_http_methods(["GET", "POST"])
@require_permission(REVIEW)
def escalation_list(request: HttpRequest) -> HttpResponse:
    """Deaths and serious injuries for the restrictive practice lead (Use of Force Act s.8/9)."""
    organisation = _organisation(request)
    escalations = Escalation.objects.for_organisation(organisation).select_related(
        "incident", "incident__ward", "incident__patient", "acknowledged_by"
    )
    if request.method == "POST":
        if not _can(request, ACKNOWLEDGE):
            raise PermissionDenied
        escalation = get_in_organisation(
            escalations, organisation, pk=request.POST.get("escalation", "")
        )
        if escalation.acknowledged_at is None:
            services.escalation_acknowledge(actor=actor_from(request), escalation=escalation)
            messages.success(request, f"{escalation.incident.reference} acknowledged")
        return redirect("incidents:escalations")
    return render(
        request,
        "incidents/escalation_list.html",
        {
            "waiting": list(escalations.filter(acknowledged_at__isnull=True)),
            "acknowledged": list(escalations.filter(acknowledged_at__isnull=False)[:20]),
            "can_acknowledge": _can(request, ACKNOWLEDGE),
        },
    )


# ---------------------------------------------------------------------------------------------
# Recording and changing the record
# ---------------------------------------------------------------------------------------------

_ADD = {
    "add_intervention": "interventions",
    "add_staff": "staff",
    "add_other": "others",
    "add_injury": "injuries",
}


def _recording(
    request: HttpRequest, *, initial: Any = None, amend: bool = False
) -> tuple[IncidentRecording, str]:
    action = request.POST.get("action", "") if request.method == "POST" else ""
    recording = IncidentRecording(
        request.POST if request.method == "POST" else None,
        organisation=_organisation(request),
        user=request.user,
        can_see_names=_can(request, "patients.view_identifiable"),
        today=timezone.localdate(),
        ward_code=request.GET.get("ward"),
        patient_id=request.GET.get("patient"),
        initial=initial,
        amend=amend,
        add=_ADD.get(action, ""),
    )
    return recording, action


# The safety plan on the recording form (issue 6): shown as soon as the patient is known, its
# warnings shown before the record is submitted -- never blocking it -- and its answer to
# "were these types of force in the care plan" stored instead of asking.

WARNINGS_SEEN = "warnings_seen"  # the warnings the person recording has been shown


def _plan_check(
    request: HttpRequest,
    patient: Patient | None,
    *,
    moment: dt.datetime | None,
    type_codes: list[str],
) -> PlanCheck:
    """What the patient's safety plan says about this use of force. Someone who may not read
    safety plans sees none and answers the care plan question themselves."""
    if patient is None or not _can(request, VIEW_PLAN):
        return NO_PLAN_CHECK
    return presenters.plan_check(patient, moment=moment, type_codes=type_codes)


def _check_of(request: HttpRequest, data: IncidentInput) -> PlanCheck:
    return _plan_check(
        request,
        data.patient,
        moment=data.started_at,
        type_codes=[i.type_code for i in data.interventions],
    )


def _typed_check(request: HttpRequest, recording: IncidentRecording) -> PlanCheck:
    """The check on what has been typed so far, before the form is checked."""
    return _plan_check(
        request,
        recording.chosen_patient(),
        moment=recording.typed_start(),
        type_codes=recording.typed_codes(),
    )


def _warnings_seen(request: HttpRequest) -> set[str]:
    return set(request.POST.get(WARNINGS_SEEN, "").split()) if request.method == "POST" else set()


def _check_recording(
    request: HttpRequest, recording: IncidentRecording, *, submit: bool, now: dt.datetime
) -> tuple[IncidentInput | None, PlanCheck]:
    """The input if every check passes, else None with every problem on its field; and what
    the safety plan says about it (the care plan answer is already taken from it)."""
    data = recording.validate(submit=submit, now=now)
    check = _check_of(request, data)
    recording.answer_care_plan(data, answer=check.answer, asked=check.asks_question, submit=submit)
    recording.answer_notification(data, mode=check.notification_mode, named=check.named_to_tell)
    recording.apply_problems(
        services.incident_input_problems(data, _organisation(request), now, draft=not submit)
    )
    return (None if recording.has_errors() else data), check


def _must_confirm(request: HttpRequest, check: PlanCheck) -> bool:
    """Warnings never stop a record being saved, but the person submitting it must have seen
    each of them once: if not, the form is shown again with them at the top and a button to
    submit anyway."""
    return bool(check.unseen(_warnings_seen(request)))


def _audit_plan_shown(
    request: HttpRequest, check: PlanCheck, where: str = "the use of force form"
) -> None:
    """A safety plan is patient-identifiable: every time a page shows one is a view."""
    if check.plan is not None:
        audit_view(
            actor=actor_from(request),
            organisation=_organisation(request),
            obj=check.patient,
            summary=f"Safety plan of {check.patient.local_id} shown on {where}",
        )


def _render_recording(
    request: HttpRequest,
    recording: IncidentRecording,
    incident: Incident | None = None,
    *,
    check: PlanCheck | None = None,
    confirm: bool = False,
) -> HttpResponse:
    check = check if check is not None else _typed_check(request, recording)
    _audit_plan_shown(request, check)
    seen = _warnings_seen(request) | set(check.warning_keys)
    return render(
        request,
        "incidents/record.html",
        {
            "recording": recording,
            "form": recording.main,
            "errors": recording.error_summary(),
            "incident": incident,
            # Posted back to the record page or the record's own change page (a draft shown
            # after a failed submit from its page must not post to the submit button's URL).
            "form_path": reverse("incidents:edit", kwargs={"pk": incident.pk})
            if incident
            else request.get_full_path(),
            **_plan_context(request, check),
            "confirm_warnings": confirm,
            "confirm_action": "save"
            if incident and incident.status != codes.Status.DRAFT
            else "submit",
            "warnings_seen": " ".join(sorted(seen)),
            "training_notes": _typed_training_notes(recording),
        },
    )


def _typed_training_notes(recording: IncidentRecording) -> list[TrainingNote]:
    """Notes on the people picked from the register so far who applied a physical technique
    while out of date in physical skills on the day typed (issue 13): shown whenever the form
    is drawn again, never stopping the record being saved; the record keeps the same facts."""
    picked = recording.typed_staff()
    if not picked:
        return []
    start = recording.typed_start()
    day = timezone.localtime(start).date() if start else recording.day
    snapshots = training_on_the_day(recording.organisation, [i for i, _ in picked], day)
    return training_notes(
        ((recording.register_by_id[i].name, role, snapshots.get(i, [])) for i, role in picked),
        recording.typed_codes(),
    )


def _plan_context(request: HttpRequest, check: PlanCheck) -> dict[str, Any]:
    """What the careplans includes read: plan_at_a_glance and restraint_warnings."""
    return {
        "plan_check": check,
        "patient": check.patient,
        "safety_plan": check.plan,
        "restraint_warnings": list(check.warnings),
        "can_view_plan": _can(request, VIEW_PLAN),
    }


def _plan_part(request: HttpRequest) -> HttpResponse:
    """The safety plan and the care plan answer for the patient just chosen, drawn into the
    form by JavaScript without reloading it (incidents/safety_plan.js). Without JavaScript the
    "Show their safety plan" button redraws the whole form instead."""
    organisation = _organisation(request)
    typed = request.GET.get("patient_local_id", "").strip()
    chosen = request.GET.get("patient", "")
    patients = Patient.objects.for_organisation(organisation)
    patient = (
        patients.filter(local_id__iexact=typed).first()
        if typed
        else patients.filter(pk=chosen).first()
        if chosen.isdigit()
        else None
    )
    check = _plan_check(request, patient, moment=None, type_codes=[])
    _audit_plan_shown(request, check)
    recording = IncidentRecording(
        None,
        organisation=organisation,
        user=request.user,
        can_see_names=_can(request, "patients.view_identifiable"),
        today=timezone.localdate(),
    )
    return render(
        request,
        "incidents/includes/record_plan_part.html",
        {"recording": recording, "form": recording.main, **_plan_context(request, check)},
    )


@require_http_methods(["GET", "POST"])
@require_permission(RECORD)
def record_use_of_force(request: HttpRequest) -> HttpResponse:
    if request.method == "GET" and request.GET.get("part") == "plan":
        return _plan_part(request)
    recording, action = _recording(request)
    check: PlanCheck | None = None
    confirm = False
    if action in {"submit", "draft"}:
        now = timezone.now()
        submit = action == "submit"
        data, check = _check_recording(request, recording, submit=submit, now=now)
        confirm = data is not None and submit and _must_confirm(request, check)
        if data is not None and not confirm:
            try:
                incident = services.incident_create(
                    actor=actor_from(request),
                    organisation=_organisation(request),
                    data=data,
                    submit=submit,
                    now=now,
                )
            except ValidationError as error:
                recording.apply_problems(_problems(error))
            else:
                messages.success(
                    request,
                    f"{incident.reference} submitted. The duties that follow are listed below."
                    if submit
                    else f"{incident.reference} saved as a draft. Submit it when it is complete.",
                )
                return redirect("incidents:detail", pk=incident.pk)
    return _render_recording(request, recording, check=check, confirm=confirm)


@require_http_methods(["GET", "POST"])
@require_permission(RECORD)
def incident_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A draft is changed freely; a submitted record is amended as a new version with a
    reason. Closed records and records entered in error cannot be changed."""
    incident = _incident(request, pk)
    if incident.is_entered_in_error or incident.status == codes.Status.CLOSED:
        messages.info(request, f"{incident.reference} can no longer be changed")
        return redirect("incidents:detail", pk=incident.pk)
    draft = incident.status == codes.Status.DRAFT
    recording, action = _recording(
        request, initial=services.input_from_incident(incident), amend=not draft
    )
    if request.method == "GET":
        audit_view(
            actor=actor_from(request),
            organisation=_organisation(request),
            obj=incident,
            summary=f"{incident.reference} opened for changing",
        )
    check: PlanCheck | None = None
    confirm = False
    if action in {"submit", "draft", "save"}:
        now = timezone.now()
        submit = action == "submit" or not draft
        data, check = _check_recording(request, recording, submit=submit, now=now)
        if not draft and not (recording.main.cleaned_data.get("change_reason") or "").strip():
            recording.apply_problems({"change_reason": ["Say why you are changing this record"]})
            data = None
        confirm = data is not None and action != "draft" and _must_confirm(request, check)
        if data is not None and not confirm:
            try:
                # A draft submitted from here is saved and submitted together, or not at all.
                with transaction.atomic():
                    services.incident_update(
                        actor=actor_from(request),
                        incident=incident,
                        data=data,
                        now=now,
                        change_reason=recording.main.cleaned_data.get("change_reason") or "",
                    )
                    if draft and action == "submit":
                        services.incident_submit(
                            actor=actor_from(request), incident=incident, now=now
                        )
            except ValidationError as error:
                recording.apply_problems(_problems(error))
            else:
                if not draft:
                    messages.success(
                        request, f"{incident.reference} changed: version {incident.version} saved"
                    )
                elif action == "submit":
                    messages.success(
                        request,
                        f"{incident.reference} submitted. The duties that follow are listed below.",
                    )
                else:
                    messages.success(request, f"Draft {incident.reference} saved")
                return redirect("incidents:detail", pk=incident.pk)
    return _render_recording(request, recording, incident, check=check, confirm=confirm)


@require_POST
@require_permission(RECORD)
def incident_submit(request: HttpRequest, pk: int) -> HttpResponse:
    incident = _incident(request, pk)

    def as_form(stored: IncidentInput) -> IncidentRecording:
        return IncidentRecording(
            None,
            organisation=_organisation(request),
            user=request.user,
            can_see_names=_can(request, "patients.view_identifiable"),
            today=timezone.localdate(),
            initial=stored,
        )

    if incident.status == codes.Status.DRAFT and not incident.is_entered_in_error:
        # A draft submitted from its page has not shown the plan's warnings: show them first,
        # on the draft's change page form, whose "Submit anyway" saves and submits it.
        stored = services.input_from_incident(incident)
        check = _check_of(request, stored)
        if check.warnings:
            return _render_recording(request, as_form(stored), incident, check=check, confirm=True)
    try:
        services.incident_submit(actor=actor_from(request), incident=incident)
    except ValidationError as error:
        if incident.status != codes.Status.DRAFT or incident.is_entered_in_error:
            messages.info(request, " ".join(m for ms in _problems(error).values() for m in ms))
            return redirect("incidents:detail", pk=incident.pk)
        # Show the draft as a form with every problem on its field.
        recording = as_form(services.input_from_incident(incident))
        recording.show_stored_problems(_problems(error))
        return _render_recording(request, recording, incident)
    messages.success(
        request, f"{incident.reference} submitted. The duties that follow are listed below."
    )
    return redirect("incidents:detail", pk=incident.pk)


# ---------------------------------------------------------------------------------------------
# The incident page
# ---------------------------------------------------------------------------------------------


@require_permission(VIEW)
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation(request)
    incident = get_in_organisation(
        Incident.objects.select_related(
            "ward", "patient", "created_by", "submitted_by", "reviewed_by", "closed_by"
        ),
        organisation,
        pk=pk,
    )
    # The page names a patient: every view is audited.
    audit_view(
        actor=actor_from(request),
        organisation=organisation,
        obj=incident,
        summary=f"{incident.reference} viewed",
    )
    now = timezone.now()
    interventions = list(incident.interventions.all())
    duties = presenters.duty_rows(
        incident.duties.select_related("completed_by").order_by("due_at", "pk"), now
    )
    can_see_names = _can(request, "patients.view_identifiable")
    can_record = _can(request, RECORD)
    can_review = _can(request, REVIEW)
    live = not incident.is_entered_in_error
    status = incident.status
    return render(
        request,
        "incidents/incident_detail.html",
        {
            "incident": incident,
            "now": now,
            "interventions": interventions,
            "duties": duties,
            "open_duties": [d for d in duties if d.is_open],
            "acting": presenters.duty_actions(
                [d.duty for d in duties if d.is_open], _roles(request)
            ),
            "duty_permissions": duty_permissions,
            "timeline": presenters.timeline(incident, interventions, duties),
            "summary": presenters.act_summary(incident, show_name=can_see_names),
            "staff": list(incident.staff.select_related("user")),
            "injuries": list(incident.injuries.all()),
            "medical_reviews": list(incident.medical_reviews.select_related("recorded_by")),
            "observations": list(incident.observations.select_related("recorded_by")),
            "support": list(incident.support.select_related("recorded_by")),
            "debriefs": list(incident.debriefs.select_related("recorded_by")),
            "accounts": list(incident.accounts.select_related("recorded_by")),
            "reviews": list(incident.reviews.select_related("recorded_by")),
            "versions": presenters.version_rows(incident, services.incident_record(incident)),
            "escalations": list(incident.escalations.select_related("acknowledged_by")),
            "presenters": presenters,
            "can_see_names": can_see_names,
            "can_change": can_record and live and status != codes.Status.CLOSED,
            "can_submit": can_record and live and status == codes.Status.DRAFT,
            "can_follow_up": can_record and live and status != codes.Status.DRAFT,
            "can_review": can_review and live and status == codes.Status.SUBMITTED,
            "can_close": can_review and live and status == codes.Status.REVIEWED,
            "can_mark_error": can_record and live,
        },
    )


# ---------------------------------------------------------------------------------------------
# Lifecycle: review, close, entered in error
# ---------------------------------------------------------------------------------------------


def _simple_action(
    request: HttpRequest,
    pk: int,
    *,
    form_class: type[Any] | None,
    allowed: Callable[[Incident], bool],
    act: Callable[[Incident, Any], Incident],
    template: str,
    done: str,
) -> HttpResponse:
    incident = _incident(request, pk)
    if not allowed(incident):
        messages.info(request, f"That cannot be done to {incident.reference} now")
        return redirect("incidents:detail", pk=incident.pk)
    form = form_class(request.POST or None) if form_class else None
    problems: list[str] = []
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            act(incident, form.cleaned_data if form else {})
        except ValidationError as error:
            for field, messages_ in _problems(error).items():
                for message in messages_:
                    if form is not None and field in form.fields:
                        form.add_error(field, message)
                    else:
                        problems.append(message)
        else:
            messages.success(request, done.format(reference=incident.reference))
            return redirect("incidents:detail", pk=incident.pk)
    summary = error_summary(form) if form is not None and form.errors else None
    if problems:
        summary = summary or {"titleText": "There is a problem", "errorList": []}
        summary["errorList"] += [{"text": p} for p in problems]
    return render(request, template, {"incident": incident, "form": form, "errors": summary})


@require_http_methods(["GET", "POST"])
@require_permission(REVIEW)
def incident_review(request: HttpRequest, pk: int) -> HttpResponse:
    return _simple_action(
        request,
        pk,
        form_class=IncidentReviewForm,
        allowed=lambda i: not i.is_entered_in_error and i.status == codes.Status.SUBMITTED,
        act=lambda incident, data: services.incident_review(
            actor=actor_from(request), incident=incident, notes=data["notes"]
        ),
        template="incidents/review.html",
        done="{reference} reviewed",
    )


@require_http_methods(["GET", "POST"])
@require_permission(REVIEW)
def incident_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _simple_action(
        request,
        pk,
        form_class=None,
        allowed=lambda i: not i.is_entered_in_error and i.status == codes.Status.REVIEWED,
        act=lambda incident, data: services.incident_close(
            actor=actor_from(request), incident=incident
        ),
        template="incidents/close.html",
        done="{reference} closed",
    )


@require_http_methods(["GET", "POST"])
@require_permission(RECORD)
def incident_entered_in_error(request: HttpRequest, pk: int) -> HttpResponse:
    return _simple_action(
        request,
        pk,
        form_class=EnteredInErrorForm,
        allowed=lambda i: not i.is_entered_in_error,
        act=lambda incident, data: services.incident_mark_entered_in_error(
            actor=actor_from(request), incident=incident, reason=data["reason"]
        ),
        template="incidents/entered_in_error.html",
        done="{reference} marked as entered in error. It stays visible with the reason.",
    )


# ---------------------------------------------------------------------------------------------
# What follows: one page per kind of record
# ---------------------------------------------------------------------------------------------


def _follow_up(
    request: HttpRequest,
    pk: int,
    *,
    form_class: type[TimedForm],
    duty_kinds: list[str],
    title: str,
    when: str,
    save: Callable[[Incident, TimedForm, dt.datetime], Any],
    template: str = "incidents/follow_up.html",
    done: str,
    form_kwargs: dict[str, Any] | None = None,
    initial: dict[str, Any] | None = None,
    context: dict[str, Any] | Callable[[Incident], dict[str, Any]] | None = None,
) -> HttpResponse:
    incident = _incident(request, pk)
    if incident.is_entered_in_error or incident.status == codes.Status.DRAFT:
        messages.info(
            request,
            "Submit the record before recording what followed"
            if not incident.is_entered_in_error
            else f"{incident.reference} was entered in error",
        )
        return redirect("incidents:detail", pk=incident.pk)
    kind = duty_kinds[0]
    if not duty_permissions.may(_roles(request), "record", kind):
        return _refused(request, incident, duty_permissions.refusal("record", kind))
    now = timezone.now()
    form = form_class(
        request.POST or None, now=now, when=when, initial=initial or {}, **(form_kwargs or {})
    )
    if request.method == "POST" and form.is_valid():
        try:
            save(incident, form, now)
        except services.DutyRefused as refusal:
            return _refused(request, incident, str(refusal))
        except ValidationError as error:
            form.apply_problems(_problems(error))
        else:
            messages.success(request, done)
            return redirect("incidents:detail", pk=incident.pk)
    if request.method == "GET":
        audit_view(
            actor=actor_from(request),
            organisation=_organisation(request),
            obj=incident,
            summary=f"{incident.reference} opened to record: {title.lower()}",
        )
    duty = (
        Duty.objects.filter(
            incident=incident,
            kind__in=duty_kinds,
            completed_at__isnull=True,
            not_required_reason="",
        )
        .order_by("due_at", "pk")
        .first()
    )
    row = presenters.duty_rows([duty], now)[0] if duty else None
    return render(
        request,
        template,
        {
            "incident": incident,
            "form": form,
            "errors": error_summary(form),
            "title": title,
            "duty": row,
            "now": now,
            **((context(incident) if callable(context) else context) or {}),
        },
    )


def _person(request: HttpRequest) -> str:
    return presenters.person_name(request.user)


@require_http_methods(["GET", "POST"])
@require_permission(RECORD)
def medical_review(request: HttpRequest, pk: int) -> HttpResponse:
    def save(incident: Incident, form: TimedForm, now: dt.datetime) -> Any:
        data = form.cleaned_data
        return services.medical_review_record(
            actor=actor_from(request),
            incident=incident,
            reviewed_at=data.get("moment"),
            reviewer=data.get("reviewer") or "",
            findings=data.get("findings") or "",
            delay_reason=data.get("delay_reason") or "",
            now=now,
        )

    initial = {"reviewer": _person(request)} if "doctor" in getattr(request, "roles", ()) else {}
    return _follow_up(
        request,
        pk,
        form_class=MedicalReviewForm,
        duty_kinds=["medical_review"],
        title="Medical review",
        when="of the review",
        save=save,
        template="incidents/medical_review.html",
        done="Medical review recorded",
        initial=initial,
        context=lambda incident: _what_the_doctor_sees(request, incident),
    )


def _what_the_doctor_sees(request: HttpRequest, incident: Incident) -> dict[str, Any]:
    """Issue 10 finding 9: the doctor reviewing after restraint sees who the patient is, each
    position or type of force with how long it lasted (and why prone was used), and what the
    safety plan in force at the time says about the risks of restraint for this person."""
    interventions = list(incident.interventions.all())
    check = _plan_check(
        request, incident.patient, moment=incident.started_at,
        type_codes=[i.type_code for i in interventions],
    )
    # Called only when the page is drawn, so every showing of the plan is audited.
    _audit_plan_shown(request, check, f"the medical review of {incident.reference}")
    return {
        **_plan_context(request, check),
        "patient": incident.patient,  # also when the plan is not shown
        "can_see_names": _can(request, "patients.view_identifiable"),
        "age_then": incident.patient.age_on(timezone.localtime(incident.started_at).date())
        if incident.started_at else None,
        "interventions": interventions,
        "presenters": presenters,
    }


@require_http_methods(["GET", "POST"])
@require_permission(RECORD)
def observations(request: HttpRequest, pk: int) -> HttpResponse:
    kind = request.GET.get("kind") or request.POST.get("kind") or Observation.KIND_PHYSICAL
    if kind not in {Observation.KIND_PHYSICAL, Observation.KIND_RT}:
        raise Http404("No such observations")
    rapid = kind == Observation.KIND_RT

    def save(incident: Incident, form: TimedForm, now: dt.datetime) -> Any:
        assert isinstance(form, ObservationForm)
        data = form.cleaned_data
        return services.observation_record(
            actor=actor_from(request),
            incident=incident,
            taken_at=data.get("moment"),
            kind=kind,
            late_reason=data.get("late_reason") or "",
            now=now,
            **form.values(),
        )

    return _follow_up(
        request,
        pk,
        form_class=ObservationForm,
        duty_kinds=["rapid_tranquillisation_monitoring" if rapid else "physical_observations"],
        title="Rapid tranquillisation check" if rapid else "Physical observations",
        when="they were taken",
        save=save,
        template="incidents/observations.html",
        done="Rapid tranquillisation check recorded" if rapid else "Observations recorded",
        form_kwargs={"kind": kind},
        context={"kind": kind, "rapid": rapid},
    )


@require_http_methods(["GET", "POST"])
@require_permission(RECORD)
def support(request: HttpRequest, pk: int) -> HttpResponse:
    support_for = request.GET.get("for") or request.POST.get("for") or ""
    if support_for not in {PostIncidentSupport.FOR_PATIENT, PostIncidentSupport.FOR_STAFF}:
        raise Http404("No such support")

    def save(incident: Incident, form: TimedForm, now: dt.datetime) -> Any:
        data = form.cleaned_data
        held = data.get("held") == "yes"
        return services.support_record(
            actor=actor_from(request),
            incident=incident,
            support_for=support_for,
            held=held,
            held_at=data.get("moment"),
            not_held_reason="" if held else data.get("not_held_reason") or "",
            notes=data.get("notes") or "",
            late_reason=data.get("late_reason") or "",
            now=now,
        )

    for_patient = support_for == PostIncidentSupport.FOR_PATIENT
    return _follow_up(
        request,
        pk,
        form_class=SupportForm,
        duty_kinds=[f"post_incident_support_{support_for}"],
        title="Post-incident support for the patient"
        if for_patient
        else "Post-incident support for staff",
        when="of the support, or when it was offered",
        save=save,
        template="incidents/support.html",
        done="Post-incident support recorded",
        form_kwargs={"support_for": support_for},
        context={"support_for": support_for},
    )


@require_http_methods(["GET", "POST"])
@require_permission(RECORD)
def debrief(request: HttpRequest, pk: int) -> HttpResponse:
    def save(incident: Incident, form: TimedForm, now: dt.datetime) -> Any:
        data = form.cleaned_data
        held = data.get("held") == "yes"
        took_part = held and data.get("patient_took_part") == "yes"
        return services.debrief_record(
            actor=actor_from(request),
            incident=incident,
            held=held,
            held_at=data.get("moment"),
            patient_took_part=took_part,
            not_held_reason="" if took_part else data.get("not_held_reason") or "",
            carer_took_part=bool(data.get("carer_took_part")),
            attendees=data.get("attendees") or "",
            learning=data.get("learning") or "",
            late_reason=data.get("late_reason") or "",
            now=now,
        )

    return _follow_up(
        request,
        pk,
        form_class=DebriefForm,
        duty_kinds=["post_incident_review"],
        title="Post-incident reflection and learning review",
        when="of the review",
        save=save,
        template="incidents/debrief.html",
        done="Reflection and learning review recorded",
    )


@require_http_methods(["GET", "POST"])
@require_permission(RECORD)
def patient_account(request: HttpRequest, pk: int) -> HttpResponse:
    def save(incident: Incident, form: TimedForm, now: dt.datetime) -> Any:
        data = form.cleaned_data
        return services.patient_account_record(
            actor=actor_from(request),
            incident=incident,
            offered_at=data.get("moment"),
            response=data.get("response") or "",
            account=data.get("account") or "",
            late_reason=data.get("late_reason") or "",
            now=now,
        )

    return _follow_up(
        request,
        pk,
        form_class=PatientAccountForm,
        duty_kinds=["patient_account_offer"],
        title="The patient's own account",
        when="it was offered",
        save=save,
        template="incidents/patient_account.html",
        done="The offer of an account is recorded",
    )


@require_http_methods(["GET", "POST"])
@require_permission(RECORD)
def review_record(request: HttpRequest, pk: int) -> HttpResponse:
    kind = request.GET.get("kind") or request.POST.get("kind") or ""
    if kind not in codes.ReviewKind.values:
        raise Http404("No such review")

    def save(incident: Incident, form: TimedForm, now: dt.datetime) -> Any:
        data = form.cleaned_data
        return services.review_record(
            actor=actor_from(request),
            incident=incident,
            kind=kind,
            reviewed_at=data.get("moment"),
            reviewer=data.get("reviewer") or "",
            notes=data.get("notes") or "",
            late_reason=data.get("late_reason") or "",
            now=now,
        )

    label = codes.ReviewKind(kind).label
    initial = {"reviewer": _person(request)}
    return _follow_up(
        request,
        pk,
        form_class=ReviewForm,
        duty_kinds=[kind],
        title=str(label),
        when="of the review",
        save=save,
        done=f"{label} recorded",
        initial=initial,
        context={"kind": kind},
    )


@require_http_methods(["GET", "POST"])
@require_permission(RECORD)
def duty_not_required(request: HttpRequest, pk: int) -> HttpResponse:
    incident = _incident(request, pk)
    duty_id = request.GET.get("duty") or request.POST.get("duty") or ""
    duty = (
        Duty.objects.for_organisation(_organisation(request))
        .filter(incident=incident, pk=duty_id if str(duty_id).isdigit() else 0)
        .first()
    )
    if duty is None:
        raise Http404("No such duty")
    if not duty.is_open:
        messages.info(request, f"{duty.label} is already done or not required")
        return redirect("incidents:detail", pk=incident.pk)
    if not duty_permissions.may(_roles(request), "not_required", duty.kind):
        return _refused(request, incident, duty_permissions.refusal("not_required", duty.kind))
    form = NotRequiredForm(request.POST or None)
    try:
        marked = submitted(
            request,
            form,
            lambda: services.duty_mark_not_required(
                actor=actor_from(request), duty=duty, reason=form.cleaned_data["reason"]
            ),
        )
    except services.DutyRefused as refusal:
        return _refused(request, incident, str(refusal))
    if marked:
        messages.success(request, f"{duty.label}: marked not required")
        return redirect("incidents:detail", pk=incident.pk)
    return form_page(
        request,
        "incidents/not_required.html",
        form,
        incident=incident,
        duty=presenters.duty_rows([duty], timezone.now())[0],
    )
