"""Peer review pages.

The assessing organisation's lead invites and follows a review through the cycle pages
(request.organisation, as everywhere). The reviewer belongs to another organisation and has
no role in the assessing one, so none of its other pages open to them: their pages below are
reached through the invitation alone (`peer_review_for_reviewer`: their own, open or signed
off, else 404), and show only the invited cycle, its statements and evidence - aggregate
indicator figures, never a patient-level record.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from rrp.audit.models import AuditAction
from rrp.audit.services import audit_record
from rrp.core.forms import form_page, submitted
from rrp.core.permissions import actor_from, require_permission
from rrp.standards import rules, selectors, services
from rrp.standards.forms import ConclusionForm, InviteForm, ReasonForm, ResponseForm
from rrp.standards.models import (
    PeerReview,
    PeerReviewResponse,
    PeerReviewStatus,
    StatementAssessment,
)
from rrp.standards.views import evidence_file_response

# -- the assessing organisation ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@require_permission("standards.manage_assessment")
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = selectors.cycle_in(request.organisation, pk)  # type: ignore[attr-defined]
    form = InviteForm(request.POST or None, organisation=cycle.organisation)
    review = submitted(
        request,
        form,
        lambda: services.peer_review_invite(
            actor=actor_from(request),
            cycle=cycle,
            reviewer=form.cleaned_data["reviewer"],
            message=form.cleaned_data["message"],
            respond_by=form.cleaned_data["respond_by"],
        ),
    )
    if review is not None:
        messages.success(
            request, f"{selectors.display_name(review.reviewer)} invited to review {cycle.name}"
        )
        return redirect("standards:peer-review", pk=cycle.pk, review_pk=review.pk)
    return form_page(
        request, "standards/peer_invite.html", form, cycle=cycle, has_candidates=bool(form.people)
    )


def _cycle_review(request: HttpRequest, pk: int, review_pk: int) -> PeerReview:
    cycle = selectors.cycle_in(request.organisation, pk)  # type: ignore[attr-defined]
    try:
        return PeerReview.objects.select_related("reviewer", "reviewer_organisation", "cycle").get(
            pk=review_pk, cycle=cycle
        )
    except PeerReview.DoesNotExist:
        raise Http404("Not found") from None


@require_permission("standards.view_assessment")
def peer_review(request: HttpRequest, pk: int, review_pk: int) -> HttpResponse:
    review = _cycle_review(request, pk, review_pk)
    responses = list(review.responses.select_related("assessment__statement", "answered_by"))
    return render(
        request,
        "standards/peer_review.html",
        {
            "cycle": review.cycle,
            "review": review,
            "responses": responses,
            "can_manage": request.user.has_perm(
                "standards.manage_assessment", review.cycle.organisation
            )
            and not review.cycle.is_locked,
        },
    )


@require_http_methods(["GET", "POST"])
@require_permission("standards.manage_assessment")
def withdraw(request: HttpRequest, pk: int, review_pk: int) -> HttpResponse:
    review = _cycle_review(request, pk, review_pk)
    form = ReasonForm(
        request.POST or None, label="Why is the invitation being withdrawn?", required=False
    )
    if submitted(
        request,
        form,
        lambda: services.peer_review_withdraw(
            actor=actor_from(request), review=review, reason=form.cleaned_data["reason"]
        ),
    ):
        messages.success(request, "Peer review invitation withdrawn")
        return redirect("standards:cycle", pk=review.cycle_id)
    return form_page(
        request,
        "standards/reason_form.html",
        form,
        cycle=review.cycle,
        heading=f"Withdraw the invitation to {selectors.display_name(review.reviewer)}",
        button="Withdraw invitation",
        back=("standards:peer-review", {"pk": review.cycle_id, "review_pk": review.pk}),
    )


# -- the reviewer ------------------------------------------------------------------------------


def review_list(request: HttpRequest) -> HttpResponse:
    """Invitations addressed to the signed-in person, from any organisation."""
    return render(
        request,
        "standards/review_list.html",
        {
            "invitations": list(selectors.invitations_for(request.user)),
        },
    )


def review_home(request: HttpRequest, review_pk: int) -> HttpResponse:
    review = selectors.peer_review_for_reviewer(request.user, review_pk)
    cycle = review.cycle
    assessments = list(selectors.assessments_of(cycle))
    responses = {r.assessment_id: r for r in review.responses.all()}
    section = request.GET.get("section", "")
    shown = [a for a in assessments if not section or a.statement.section == section]
    groups: list[tuple[str, str, list[StatementAssessment]]] = []
    for row in shown:
        if not groups or groups[-1][0] != row.statement.subsection:
            groups.append((row.statement.subsection, row.statement.title, []))
        groups[-1][2].append(row)
    report = selectors.cycle_report(cycle, compare=False)
    return render(
        request,
        "standards/review_home.html",
        {
            "review": review,
            "cycle": cycle,
            "groups": groups,
            "responses": responses,
            "section": section,
            "report": report,
            "labels": rules.RATING_LABELS,
            "responded": len(responses),
            "challenges": sum(1 for r in responses.values() if r.verdict == "challenge"),
        },
    )


@require_http_methods(["GET", "POST"])
def review_statement(request: HttpRequest, review_pk: int, ref: str) -> HttpResponse:
    review = selectors.peer_review_for_reviewer(request.user, review_pk)
    cycle = review.cycle
    assessment = selectors.assessment_in(cycle, ref)
    response = PeerReviewResponse.objects.filter(peer_review=review, assessment=assessment).first()
    initial = {"verdict": response.verdict, "comment": response.comment} if response else {}
    form = ResponseForm(request.POST or None, initial=initial)
    may_respond = review.is_open and not cycle.is_locked
    if request.method == "POST":
        if not may_respond:
            messages.error(request, "This peer review can no longer change")
            return redirect("standards:review-statement", review_pk=review.pk, ref=ref)
        if submitted(
            request,
            form,
            lambda: services.peer_review_respond(
                actor=actor_from(request), review=review, assessment=assessment, **form.cleaned_data
            ),
        ):
            messages.success(request, f"Your view of {ref} is saved")
            return redirect("standards:review", review_pk=review.pk)
    refs = list(
        StatementAssessment.objects.filter(cycle=cycle)
        .order_by("statement__position")
        .values_list("statement__ref", flat=True)
    )
    index = refs.index(ref)
    return form_page(
        request,
        "standards/review_statement.html",
        form,
        review=review,
        cycle=cycle,
        assessment=assessment,
        statement=assessment.statement,
        response=response,
        attachments=selectors.evidence_of(assessment),
        indicators=selectors.indicators_of(assessment),
        actions=list(selectors.actions_for(assessment)),
        may_respond=may_respond,
        today=timezone.localdate(),
        previous_ref=refs[index - 1] if index > 0 else None,
        next_ref=refs[index + 1] if index + 1 < len(refs) else None,
    )


def review_evidence(request: HttpRequest, review_pk: int, evidence_pk: int) -> HttpResponseBase:
    review = selectors.peer_review_for_reviewer(request.user, review_pk)
    # Access ends at sign-off (issue 11): afterwards only what the reviewer saw.
    evidence = selectors.evidence_in_cycle(review.cycle, evidence_pk,
                                           attached_by=review.signed_off_at)
    response = evidence_file_response(evidence)
    if response.status_code == 200:
        audit_record(
            actor=actor_from(request),
            action=AuditAction.VIEW,
            organisation=review.cycle.organisation,
            obj=evidence,
            summary=f"Evidence {evidence.reference} downloaded by peer reviewer "
            f"{selectors.display_name(request.user)}",
        )
    return response


@require_http_methods(["GET", "POST"])
def review_sign_off(request: HttpRequest, review_pk: int) -> HttpResponse:
    review = selectors.peer_review_for_reviewer(request.user, review_pk)
    if review.status != PeerReviewStatus.INVITED:
        return redirect("standards:review", review_pk=review.pk)
    form = ConclusionForm(request.POST or None)
    if submitted(
        request,
        form,
        lambda: services.peer_review_sign_off(
            actor=actor_from(request), review=review, conclusion=form.cleaned_data["conclusion"]
        ),
    ):
        messages.success(request, "Peer review signed off. Thank you")
        return redirect("standards:review", review_pk=review.pk)
    responses = list(review.responses.select_related("assessment__statement"))
    return form_page(
        request,
        "standards/review_sign_off.html",
        form,
        review=review,
        cycle=review.cycle,
        responses=responses,
    )


@require_http_methods(["GET", "POST"])
def review_decline(request: HttpRequest, review_pk: int) -> HttpResponse:
    review = selectors.peer_review_for_reviewer(request.user, review_pk)
    form = ReasonForm(
        request.POST or None, label="Why are you declining? (optional)", required=False
    )
    if submitted(
        request,
        form,
        lambda: services.peer_review_decline(
            actor=actor_from(request), review=review, reason=form.cleaned_data["reason"]
        ),
    ):
        messages.success(request, "You have declined the invitation")
        return redirect("standards:review-list")
    return form_page(
        request,
        "standards/reason_form.html",
        form,
        heading=f"Decline to review {review.cycle.name} for {review.cycle.organisation.name}",
        button="Decline invitation",
        back=("standards:review", {"review_pk": review.pk}),
    )
