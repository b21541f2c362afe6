"""Compliance pages of the assessing organisation. Every record is read through
request.organisation; another organisation's ids give 404."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from rrp.audit.models import AuditAction
from rrp.audit.services import audit_record
from rrp.core.forms import call_service, form_page, submitted
from rrp.core.permissions import actor_from, require_permission
from rrp.core.scoping import get_in_organisation
from rrp.organisations.roles import roles_allow
from rrp.standards import outputs, rules, selectors, services, storage
from rrp.standards.forms import (
    ActionForm,
    AnswerForm,
    AssessmentForm,
    CycleCreateForm,
    CycleForm,
    EvidenceChooseForm,
    EvidenceEditForm,
    EvidenceLinkForm,
    EvidenceRecordForm,
    EvidenceUploadForm,
    ImportForm,
    ProgressForm,
    ReasonForm,
    SignOffForm,
)
from rrp.standards.indicators import measured_statement_ids
from rrp.standards.models import (
    ActionPlanItem,
    ActionStatus,
    AssessmentCycle,
    CycleStatus,
    Evidence,
    EvidenceAttachment,
    EvidenceKind,
    PeerReviewResponse,
    Rating,
    StandardsEdition,
    StatementAssessment,
)

logger = logging.getLogger(__name__)

VIEW = "standards.view_assessment"
MANAGE = "standards.manage_assessment"
SIGN_OFF = "standards.sign_off"


def _organisation(request: HttpRequest) -> Any:
    return request.organisation  # type: ignore[attr-defined]


def _may(request: HttpRequest, permission: str) -> bool:
    return roles_allow(getattr(request, "roles", frozenset()), permission)


# -- home and catalogue ------------------------------------------------------------------------


@require_permission(VIEW)
def home(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    today = timezone.localdate()
    cycles = list(selectors.cycles_of(organisation))
    current = next((c for c in cycles if c.status != CycleStatus.SIGNED_OFF), None)
    return render(
        request,
        "standards/home.html",
        {
            "cycles": cycles,
            "current": current,
            "current_unrated": selectors.unrated_count(current) if current else 0,
            "overdue_actions": selectors.actions_of(
                organisation, status="overdue", today=today
            ).count(),
            "open_actions": selectors.actions_of(organisation, status="open").count(),
            "invitations": list(selectors.invitations_for(request.user)),
            "can_manage": _may(request, MANAGE),
            "edition": selectors.latest_edition(),
        },
    )


@require_permission(VIEW)
def catalogue(request: HttpRequest) -> HttpResponse:
    from rrp.standards.catalogue import load_edition

    editions = list(StandardsEdition.objects.all())
    code = request.GET.get("edition")
    edition = next((e for e in editions if e.code == code), editions[0] if editions else None)
    if edition is None:
        raise Http404("No edition loaded")
    content = load_edition(edition.code)
    statements = list(edition.statements.order_by("position"))
    return render(
        request,
        "standards/catalogue.html",
        {
            "edition": edition,
            "editions": editions,
            "content": content,
            "statements": statements,
            "measured": measured_statement_ids(),
        },
    )


# -- cycles ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@require_permission(MANAGE)
def cycle_add(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    form = CycleCreateForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        cycle = call_service(
            form,
            lambda: services.cycle_create(
                actor=actor_from(request),
                organisation=organisation,
                name=data["name"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                edition=data.get("edition"),
                scope_sites=list(data.get("scope_sites", [])),
                scope_wards=list(data.get("scope_wards", [])),
                copy_from=data["copy_from"],
            ),
        )
        if cycle is not None:
            messages.success(
                request, f"{cycle.name} planned with {cycle.assessments.count()} statements"
            )
            return redirect("standards:cycle", pk=cycle.pk)
    return form_page(request, "standards/cycle_form.html", form, heading="Plan an assessment cycle")


@require_http_methods(["GET", "POST"])
@require_permission(MANAGE)
def cycle_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation(request)
    cycle = selectors.cycle_in(organisation, pk)
    if cycle.is_locked:
        messages.error(request, services.locked_message(cycle))
        return redirect("standards:cycle", pk=cycle.pk)
    initial = {
        "name": cycle.name,
        "period_start": cycle.period_start,
        "period_end": cycle.period_end,
        "scope_sites": list(cycle.scope_sites.all()),
        "scope_wards": list(cycle.scope_wards.all()),
    }
    form = CycleForm(request.POST or None, organisation=organisation, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if call_service(
            form,
            lambda: services.cycle_update(
                actor=actor_from(request),
                cycle=cycle,
                name=data["name"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                scope_sites=list(data.get("scope_sites", [])),
                scope_wards=list(data.get("scope_wards", [])),
            ),
        ):
            messages.success(request, "Cycle details saved")
            return redirect("standards:cycle", pk=cycle.pk)
    return form_page(
        request, "standards/cycle_form.html", form, heading=f"Change {cycle.name}", cycle=cycle
    )


STATEMENT_FILTERS = {
    "unrated": "Not yet rated",
    "carried": "Carried forward, not yet reviewed",
    "not-fully-met": "Partially met or not met",
    "no-evidence": "Rated without evidence",
    "challenged": "Challenged by a peer reviewer",
    "mine": "Owned by me",
}


@require_permission(VIEW)
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation(request)
    cycle = selectors.cycle_in(organisation, pk)
    assessments = selectors.assessments_of(cycle)
    section = request.GET.get("section", "")
    chosen = request.GET.get("filter", "")
    if section in {"1", "2", "3"}:
        assessments = assessments.filter(statement__section=section)
    if chosen == "unrated":
        assessments = assessments.filter(rating="")
    elif chosen == "carried":
        assessments = assessments.filter(carried_forward=True)
    elif chosen == "not-fully-met":
        assessments = assessments.filter(rating__in=[Rating.PARTIALLY_MET, Rating.NOT_MET])
    elif chosen == "no-evidence":
        assessments = assessments.exclude(rating__in=["", Rating.NOT_APPLICABLE]).filter(
            evidence_count=0  # type: ignore[misc]  # an annotation of assessments_of
        )
    elif chosen == "challenged":
        challenged = selectors.unanswered_challenges(cycle).values("assessment_id")
        assessments = assessments.filter(pk__in=challenged)
    elif chosen == "mine":
        assessments = assessments.filter(owner=request.user)  # type: ignore[misc]
    rows = list(assessments)
    all_counts = rules.RatingCounts()
    for rating in StatementAssessment.objects.filter(cycle=cycle).values_list("rating", flat=True):
        all_counts.add(rating)
    groups: list[tuple[str, str, list[StatementAssessment]]] = []
    for row in rows:
        key = row.statement.subsection
        if not groups or groups[-1][0] != key:
            groups.append((key, row.statement.title, []))
        groups[-1][2].append(row)
    return render(
        request,
        "standards/cycle_detail.html",
        {
            "cycle": cycle,
            "groups": groups,
            "shown": len(rows),
            "counts": all_counts,
            "section": section,
            "chosen": chosen,
            "filters": STATEMENT_FILTERS,
            "measured": measured_statement_ids(),
            "scope": selectors.scope_description(cycle),
            "can_manage": _may(request, MANAGE) and not cycle.is_locked,
            "can_sign_off": _may(request, SIGN_OFF),
            "submit_blockers": services.submission_blockers(cycle),
            "sign_off_blockers": services.sign_off_blockers(cycle),
            "carried": StatementAssessment.objects.filter(
                cycle=cycle, carried_forward=True
            ).count(),
            "peer_reviews": list(
                cycle.peer_reviews.select_related("reviewer", "reviewer_organisation")
            ),
            # statements challenged, as the home page and ?filter=challenged count them
            "challenges": selectors.unanswered_challenges(cycle)
            .values("assessment_id")
            .distinct()
            .count(),
        },
    )


@require_POST
@require_permission(MANAGE)
def cycle_start(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = selectors.cycle_in(_organisation(request), pk)
    try:
        services.cycle_start(actor=actor_from(request), cycle=cycle)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{cycle.name} started: statements can now be rated")
    return redirect("standards:cycle", pk=cycle.pk)


@require_http_methods(["GET", "POST"])
@require_permission(MANAGE)
def cycle_submit(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = selectors.cycle_in(_organisation(request), pk)
    problems = services.submission_blockers(cycle)
    if request.method == "POST" and not problems:
        try:
            services.cycle_submit_for_review(actor=actor_from(request), cycle=cycle)
        except ValidationError as error:
            problems = error.messages
        else:
            messages.success(request, f"{cycle.name} submitted for review")
            return redirect("standards:cycle", pk=cycle.pk)
    return render(
        request,
        "standards/cycle_submit.html",
        {
            "cycle": cycle,
            "problems": problems,
            "report": selectors.cycle_report(cycle),
        },
    )


@require_http_methods(["GET", "POST"])
@require_permission(MANAGE)
def cycle_return(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = selectors.cycle_in(_organisation(request), pk)
    form = ReasonForm(request.POST or None, label="What needs to change?")
    if submitted(
        request,
        form,
        lambda: services.cycle_return_for_changes(
            actor=actor_from(request), cycle=cycle, reason=form.cleaned_data["reason"]
        ),
    ):
        messages.success(request, f"{cycle.name} returned for changes")
        return redirect("standards:cycle", pk=cycle.pk)
    return form_page(
        request,
        "standards/reason_form.html",
        form,
        cycle=cycle,
        heading=f"Return {cycle.name} for changes",
        button="Return for changes",
        back=("standards:cycle", {"pk": cycle.pk}),
    )


@require_http_methods(["GET", "POST"])
@require_permission(SIGN_OFF)
def cycle_sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = selectors.cycle_in(_organisation(request), pk)
    form = SignOffForm(request.POST or None)
    if submitted(
        request,
        form,
        lambda: services.cycle_sign_off(
            actor=actor_from(request), cycle=cycle, statement=form.cleaned_data["statement"]
        ),
    ):
        messages.success(request, f"{cycle.name} signed off. It is now locked")
        return redirect("standards:summary", pk=cycle.pk)
    return form_page(
        request,
        "standards/cycle_sign_off.html",
        form,
        cycle=cycle,
        blockers=services.sign_off_blockers(cycle),
        report=selectors.cycle_report(cycle),
    )


@require_permission(VIEW)
def cycle_history(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = selectors.cycle_in(_organisation(request), pk)
    entries = cycle.history.select_related("assessment__statement")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "standards/cycle_history.html", {"cycle": cycle, "page": page})


# -- statements --------------------------------------------------------------------------------


def _assessment(
    request: HttpRequest, pk: int, ref: str
) -> tuple[AssessmentCycle, StatementAssessment]:
    cycle = selectors.cycle_in(_organisation(request), pk)
    return cycle, selectors.assessment_in(cycle, ref)


@require_permission(VIEW)
def statement_detail(request: HttpRequest, pk: int, ref: str) -> HttpResponse:
    cycle, assessment = _assessment(request, pk, ref)
    neighbours = list(
        StatementAssessment.objects.filter(cycle=cycle)
        .order_by("statement__position")
        .values_list("statement__ref", flat=True)
    )
    index = neighbours.index(ref)
    return render(
        request,
        "standards/statement_detail.html",
        {
            "cycle": cycle,
            "assessment": assessment,
            "statement": assessment.statement,
            "indicators": selectors.indicators_of(assessment),
            "attachments": selectors.evidence_of(assessment),
            "actions": list(selectors.actions_for(assessment)),
            "responses": list(selectors.responses_for(assessment)),
            "history": list(assessment.history.all()[:50]),
            "can_manage": _may(request, MANAGE) and cycle.accepts_ratings,
            "scope": selectors.scope_description(cycle)
            if assessment.statement.is_care_planning
            else "",
            "previous_ref": neighbours[index - 1] if index > 0 else None,
            "next_ref": neighbours[index + 1] if index + 1 < len(neighbours) else None,
            "today": timezone.localdate(),
        },
    )


def _require_rating_stage(request: HttpRequest, cycle: AssessmentCycle) -> HttpResponse | None:
    if cycle.accepts_ratings:
        return None
    if cycle.is_locked:
        messages.error(request, services.locked_message(cycle))
    else:
        messages.error(request, "Start the assessment before rating statements or adding evidence")
    return redirect("standards:cycle", pk=cycle.pk)


@require_http_methods(["GET", "POST"])
@require_permission(MANAGE)
def statement_edit(request: HttpRequest, pk: int, ref: str) -> HttpResponse:
    cycle, assessment = _assessment(request, pk, ref)
    if (blocked := _require_rating_stage(request, cycle)) is not None:
        return blocked
    initial = {
        "rating": assessment.rating,
        "narrative": assessment.narrative,
        "owner": assessment.owner,
        "na_rationale": assessment.na_rationale,
        "na_arrangements": assessment.na_arrangements,
    }
    form = AssessmentForm(request.POST or None, organisation=cycle.organisation, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if call_service(
            form,
            lambda: services.assessment_update(
                actor=actor_from(request),
                assessment=assessment,
                rating=data["rating"],
                narrative=data["narrative"],
                owner=data["owner"],
                na_rationale=data["na_rationale"],
                na_arrangements=data["na_arrangements"],
            ),
        ):
            messages.success(request, f"{ref} saved: {Rating(data['rating']).label.lower()}")
            return redirect("standards:statement", pk=cycle.pk, ref=ref)
    return form_page(
        request,
        "standards/statement_form.html",
        form,
        cycle=cycle,
        assessment=assessment,
        statement=assessment.statement,
    )


@require_permission(MANAGE)
def evidence_add(request: HttpRequest, pk: int, ref: str) -> HttpResponse:
    cycle, assessment = _assessment(request, pk, ref)
    if (blocked := _require_rating_stage(request, cycle)) is not None:
        return blocked
    return render(
        request,
        "standards/evidence_add.html",
        {
            "cycle": cycle,
            "assessment": assessment,
            "statement": assessment.statement,
            "library": selectors.evidence_library(cycle.organisation).exists(),
        },
    )


def _evidence_form_view(
    request: HttpRequest,
    pk: int,
    ref: str,
    form_class: type,
    kind: str,
    create: Callable[..., Evidence],
    heading: str,
) -> HttpResponse:
    cycle, assessment = _assessment(request, pk, ref)
    if (blocked := _require_rating_stage(request, cycle)) is not None:
        return blocked
    form = form_class(
        request.POST or None,
        request.FILES or None,
        organisation=cycle.organisation,
        initial={"owner": assessment.owner},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)

        def add() -> EvidenceAttachment:
            with transaction.atomic():  # the evidence and its place on the statement together
                evidence = create(
                    actor=actor_from(request), organisation=cycle.organisation, **data
                )
                return services.evidence_attach(
                    actor=actor_from(request), assessment=assessment, evidence=evidence
                )

        if call_service(form, add):
            messages.success(request, f"Evidence added to {ref}")
            return redirect("standards:statement", pk=cycle.pk, ref=ref)
    return form_page(
        request,
        "standards/evidence_form.html",
        form,
        cycle=cycle,
        assessment=assessment,
        statement=assessment.statement,
        heading=heading,
        kind=kind,
    )


def _upload(**data: Any) -> Evidence:
    upload = data.pop("upload")
    return services.evidence_upload(upload=upload, filename=upload.name, size=upload.size, **data)


@require_http_methods(["GET", "POST"])
@require_permission(MANAGE)
def evidence_upload(request: HttpRequest, pk: int, ref: str) -> HttpResponse:
    return _evidence_form_view(
        request,
        pk,
        ref,
        EvidenceUploadForm,
        EvidenceKind.FILE,
        _upload,
        "Upload a file as evidence",
    )


@require_http_methods(["GET", "POST"])
@require_permission(MANAGE)
def evidence_link(request: HttpRequest, pk: int, ref: str) -> HttpResponse:
    return _evidence_form_view(
        request,
        pk,
        ref,
        EvidenceLinkForm,
        EvidenceKind.LINK,
        services.evidence_link_create,
        "Add a link as evidence",
    )


@require_http_methods(["GET", "POST"])
@require_permission(MANAGE)
def evidence_record(request: HttpRequest, pk: int, ref: str) -> HttpResponse:
    return _evidence_form_view(
        request,
        pk,
        ref,
        EvidenceRecordForm,
        EvidenceKind.RECORD,
        services.evidence_record_create,
        "Refer to a record in RRP",
    )


@require_http_methods(["GET", "POST"])
@require_permission(MANAGE)
def evidence_choose(request: HttpRequest, pk: int, ref: str) -> HttpResponse:
    cycle, assessment = _assessment(request, pk, ref)
    if (blocked := _require_rating_stage(request, cycle)) is not None:
        return blocked
    attached = EvidenceAttachment.objects.filter(assessment=assessment, removed_at__isnull=True)
    choices = selectors.evidence_library(cycle.organisation).exclude(
        pk__in=attached.values("evidence_id")
    )
    form = EvidenceChooseForm(request.POST or None, evidence=choices)
    if submitted(
        request,
        form,
        lambda: services.evidence_attach(
            actor=actor_from(request),
            assessment=assessment,
            evidence=form.cleaned_data["evidence"],
        ),
    ):
        messages.success(request, f"Evidence added to {ref}")
        return redirect("standards:statement", pk=cycle.pk, ref=ref)
    return form_page(
        request,
        "standards/evidence_choose.html",
        form,
        cycle=cycle,
        assessment=assessment,
        statement=assessment.statement,
        has_choices=choices.exists(),
    )


@require_http_methods(["GET", "POST"])
@require_permission(MANAGE)
def evidence_remove(request: HttpRequest, pk: int, ref: str, attachment_pk: int) -> HttpResponse:
    cycle, assessment = _assessment(request, pk, ref)
    if (blocked := _require_rating_stage(request, cycle)) is not None:
        return blocked
    try:
        attachment = EvidenceAttachment.objects.select_related("evidence").get(
            pk=attachment_pk, assessment=assessment, removed_at__isnull=True
        )
    except EvidenceAttachment.DoesNotExist:
        raise Http404("Not found") from None
    if request.method == "POST":
        try:
            services.evidence_detach(actor=actor_from(request), attachment=attachment)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{attachment.evidence.title} removed from {ref}")
        return redirect("standards:statement", pk=cycle.pk, ref=ref)
    return render(
        request,
        "standards/evidence_remove.html",
        {
            "cycle": cycle,
            "assessment": assessment,
            "attachment": attachment,
        },
    )


@require_http_methods(["GET", "POST"])
@require_permission(MANAGE)
def action_add(request: HttpRequest, pk: int, ref: str) -> HttpResponse:
    cycle, assessment = _assessment(request, pk, ref)
    if (blocked := _require_rating_stage(request, cycle)) is not None:
        return blocked
    form = ActionForm(
        request.POST or None, organisation=cycle.organisation, initial={"owner": assessment.owner}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        action = call_service(
            form,
            lambda: services.action_raise(
                actor=actor_from(request),
                assessment=assessment,
                description=data["description"],
                owner=data["owner"],
                due_on=data["due_on"],
            ),
        )
        if action is not None:
            messages.success(request, f"Action {action.reference} raised")
            return redirect("standards:statement", pk=cycle.pk, ref=ref)
    return form_page(
        request,
        "standards/action_form.html",
        form,
        cycle=cycle,
        assessment=assessment,
        statement=assessment.statement,
        heading=f"Raise an action for {ref}",
    )


@require_http_methods(["GET", "POST"])
@require_permission(MANAGE)
def challenge_answer(request: HttpRequest, pk: int, ref: str, response_pk: int) -> HttpResponse:
    cycle, assessment = _assessment(request, pk, ref)
    try:
        response = PeerReviewResponse.objects.select_related("peer_review__reviewer").get(
            pk=response_pk, assessment=assessment, verdict="challenge"
        )
    except PeerReviewResponse.DoesNotExist:
        raise Http404("Not found") from None
    form = AnswerForm(request.POST or None, initial={"answer": response.answer})
    if submitted(
        request,
        form,
        lambda: services.challenge_answer(
            actor=actor_from(request), response=response, answer=form.cleaned_data["answer"]
        ),
    ):
        messages.success(request, "Answer saved: the reviewer can see it")
        return redirect("standards:statement", pk=cycle.pk, ref=ref)
    return form_page(
        request,
        "standards/challenge_answer.html",
        form,
        cycle=cycle,
        assessment=assessment,
        response=response,
    )


# -- evidence library and downloads -------------------------------------------------------------


@require_permission(VIEW)
def evidence_list(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    show = request.GET.get("show", "")
    evidence = selectors.evidence_library(organisation, include_withdrawn=show == "withdrawn")
    if show == "withdrawn":
        evidence = evidence.filter(withdrawn_at__isnull=False)
    elif show == "review-due":
        evidence = evidence.filter(review_on__lt=timezone.localdate())
    page = Paginator(evidence, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "standards/evidence_list.html",
        {
            "page": page,
            "show": show,
            "today": timezone.localdate(),
        },
    )


def _evidence(request: HttpRequest, pk: int) -> Evidence:
    return get_in_organisation(
        Evidence.objects.select_related("owner"), _organisation(request), pk=pk
    )


@require_permission(VIEW)
def evidence_detail(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = _evidence(request, pk)
    attachments = (
        evidence.attachments.filter(removed_at__isnull=True)
        .select_related("assessment__statement", "assessment__cycle")
        .order_by("-assessment__cycle__period_start", "assessment__statement__position")
    )
    return render(
        request,
        "standards/evidence_detail.html",
        {
            "evidence": evidence,
            "attachments": attachments,
            "today": timezone.localdate(),
            "can_manage": _may(request, MANAGE),
        },
    )


@require_http_methods(["GET", "POST"])
@require_permission(MANAGE)
def evidence_edit(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = _evidence(request, pk)
    initial = {
        "title": evidence.title,
        "description": evidence.description,
        "owner": evidence.owner,
        "review_on": evidence.review_on,
    }
    form = EvidenceEditForm(
        request.POST or None, organisation=evidence.organisation, initial=initial
    )
    if submitted(
        request,
        form,
        lambda: services.evidence_update(
            actor=actor_from(request), evidence=evidence, **form.cleaned_data
        ),
    ):
        messages.success(request, f"{evidence.reference} saved")
        return redirect("standards:evidence", pk=evidence.pk)
    return form_page(request, "standards/evidence_edit.html", form, evidence=evidence)


@require_http_methods(["GET", "POST"])
@require_permission(MANAGE)
def evidence_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = _evidence(request, pk)
    form = ReasonForm(request.POST or None, label="Why is this evidence being withdrawn?")
    if submitted(
        request,
        form,
        lambda: services.evidence_withdraw(
            actor=actor_from(request), evidence=evidence, reason=form.cleaned_data["reason"]
        ),
    ):
        messages.success(request, f"{evidence.reference} withdrawn")
        return redirect("standards:evidence", pk=evidence.pk)
    return form_page(
        request,
        "standards/reason_form.html",
        form,
        heading=f"Withdraw {evidence.reference}: {evidence.title}",
        button="Withdraw evidence",
        back=("standards:evidence", {"pk": evidence.pk}),
        hint="Evidence is never deleted. It is removed from cycles still open; "
        "signed-off cycles keep it, as they were signed off with it.",
    )


def evidence_file_response(evidence: Evidence) -> HttpResponseBase:
    """The file as a download only: never shown inline, never sniffed, never cached."""
    if evidence.kind != EvidenceKind.FILE:
        raise Http404("Not a file")
    try:
        handle = storage.open_verified(evidence.stored_name, evidence.sha256)
    except storage.EvidenceIntegrityError as error:
        logger.error("evidence %s failed its integrity check: %s", evidence.pk, error)
        return HttpResponse(
            f"{evidence.reference} cannot be downloaded: {error}. Ask the system administrator "
            "to restore it from a backup.",
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


@require_permission(VIEW)
def evidence_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    evidence = _evidence(request, pk)
    response = evidence_file_response(evidence)
    if response.status_code == 200:
        audit_record(
            actor=actor_from(request),
            action=AuditAction.VIEW,
            organisation=evidence.organisation,
            obj=evidence,
            summary=f"Evidence {evidence.reference} downloaded",
        )
    return response


# -- actions -----------------------------------------------------------------------------------


@require_permission(VIEW)
def action_list(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    status = request.GET.get("status", "open")
    mine = request.GET.get("mine") == "1"
    if status not in {"open", "overdue", "all", *ActionStatus.values}:
        status = "open"
    actions = selectors.actions_of(
        organisation,
        status="" if status == "all" else status,
        owner=request.user if mine else None,
    )
    page = Paginator(actions, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "standards/action_list.html",
        {
            "page": page,
            "status": status,
            "mine": mine,
            "today": timezone.localdate(),
            "statuses": [
                ("open", "Open"),
                ("overdue", "Overdue"),
                *ActionStatus.choices,
                ("all", "All"),
            ],
        },
    )


def _action(request: HttpRequest, pk: int) -> ActionPlanItem:
    return get_in_organisation(
        ActionPlanItem.objects.select_related("owner", "statement", "raised_in", "assessment"),
        _organisation(request),
        pk=pk,
    )


@require_http_methods(["GET", "POST"])
@require_permission(VIEW)
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action = _action(request, pk)
    roles: frozenset[str] = getattr(request, "roles", frozenset())
    may_progress = services.may_record_progress(request.user, action, roles) and action.is_open
    form = ProgressForm(request.POST or None, initial={"status": action.status})
    if request.method == "POST" and not may_progress:
        return HttpResponse("Only the action's owner or the lead can record progress", status=403)
    if submitted(
        request,
        form,
        lambda: services.action_progress_record(
            actor=actor_from(request), action=action, **form.cleaned_data
        ),
    ):
        messages.success(request, f"Progress on {action.reference} saved")
        return redirect("standards:action", pk=action.pk)
    return form_page(
        request,
        "standards/action_detail.html",
        form,
        action=action,
        notes=list(action.progress_notes.select_related("recorded_by")),
        may_progress=may_progress,
        can_manage=_may(request, MANAGE),
        today=timezone.localdate(),
    )


@require_http_methods(["GET", "POST"])
@require_permission(MANAGE)
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = _action(request, pk)
    form = ActionForm(
        request.POST or None,
        organisation=action.organisation,
        initial={
            "description": action.description,
            "owner": action.owner,
            "due_on": action.due_on,
        },
    )
    if submitted(
        request,
        form,
        lambda: services.action_update(
            actor=actor_from(request), action=action, **form.cleaned_data
        ),
    ):
        messages.success(request, f"{action.reference} saved")
        return redirect("standards:action", pk=action.pk)
    return form_page(
        request,
        "standards/action_form.html",
        form,
        action=action,
        heading=f"Change action {action.reference}",
    )


# -- outputs -----------------------------------------------------------------------------------


@require_permission(VIEW)
def summary(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = selectors.cycle_in(_organisation(request), pk)
    return render(
        request,
        "standards/summary.html",
        {
            "cycle": cycle,
            "report": selectors.cycle_report(cycle),
            "labels": rules.RATING_LABELS,
        },
    )


def _exported(request: HttpRequest, cycle: AssessmentCycle, what: str) -> None:
    audit_record(
        actor=actor_from(request),
        action=AuditAction.EXPORT,
        organisation=cycle.organisation,
        obj=cycle,
        summary=f"{cycle.name}: {what}",
    )


def _filename(cycle: AssessmentCycle, suffix: str) -> str:
    slug = "".join(ch if ch.isalnum() else "-" for ch in cycle.name.lower()).strip("-")
    return f"{cycle.organisation.ods_code}-{slug}-{suffix}"


@require_permission(VIEW)
def summary_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = selectors.cycle_in(_organisation(request), pk)
    pdf = outputs.summary_pdf(cycle)
    _exported(request, cycle, "compliance summary PDF downloaded")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(cycle, "summary.pdf")}"'
    return response


@require_permission(VIEW)
def evidence_pack(request: HttpRequest, pk: int) -> HttpResponseBase:
    cycle = selectors.cycle_in(_organisation(request), pk)
    try:
        pack = outputs.evidence_pack(cycle)
    except storage.EvidenceIntegrityError as error:
        messages.error(request, f"The evidence pack could not be made: {error}")
        return redirect("standards:summary", pk=cycle.pk)
    _exported(request, cycle, "evidence pack downloaded")
    return FileResponse(
        pack,
        as_attachment=True,
        filename=_filename(cycle, "evidence-pack.zip"),
        content_type="application/zip",
    )


@require_permission(VIEW)
def cycle_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    cycle = selectors.cycle_in(_organisation(request), pk)
    if fmt == "csv":
        body, content_type = outputs.cycle_csv(cycle), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        body = outputs.cycle_xlsx(cycle)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        raise Http404("Unknown format")
    _exported(request, cycle, f"exported as {fmt.upper()}")
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{_filename(cycle, "self-assessment." + fmt)}"'
    )
    return response


@require_http_methods(["GET", "POST"])
@require_permission(MANAGE)
def cycle_import(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = selectors.cycle_in(_organisation(request), pk)
    if (blocked := _require_rating_stage(request, cycle)) is not None:
        return blocked
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["upload"]
        try:
            rows, problems = outputs.read_import(
                upload, upload.name, upload.size, max_bytes=services.max_upload_bytes()
            )
        except outputs.ImportFileProblem as problem:
            form.add_error("upload", str(problem))
        else:
            if not problems:
                outcome = call_service(
                    form,
                    lambda: services.cycle_import(
                        actor=actor_from(request), cycle=cycle, rows=rows, source=upload.name
                    ),
                )
                if outcome is not None and not outcome.problems:
                    messages.success(
                        request,
                        f"{outcome.changed} statements changed, {outcome.unchanged} unchanged",
                    )
                    return redirect("standards:cycle", pk=cycle.pk)
                if outcome is not None:
                    problems = outcome.problems
    if problems:
        form.add_error(
            "upload",
            f"Nothing was imported: {len(problems)} rows have problems. "
            "Correct them in the spreadsheet and try again",
        )
    return form_page(request, "standards/cycle_import.html", form, cycle=cycle, problems=problems)
