"""Pages for trainers, their portfolios, the yearly review, competency monitoring, external
training providers and the yearly summary for the executive and non-executive leads (3.5.I).
Thin: each view loads within the current organisation (another organisation's id is a 404),
calls a service and renders."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from rrp.core.forms import apply_service_errors, error_summary
from rrp.core.permissions import actor_from, require_permission
from rrp.core.scoping import get_in_organisation
from rrp.core.spreadsheets import csv_text
from rrp.trainers import selectors, services
from rrp.trainers import standing as sd
from rrp.trainers.forms import (
    CompetencyCheckForm,
    EnteredInErrorForm,
    PortfolioEntryForm,
    ProviderForm,
    ReviewForm,
    TrainerForm,
)
from rrp.trainers.models import (
    CompetencyCheck,
    PortfolioEntry,
    PortfolioReview,
    Trainer,
    TrainingProvider,
)


def _organisation(request: HttpRequest) -> Any:
    return request.organisation  # type: ignore[attr-defined]


def _can(request: HttpRequest, permission: str) -> bool:
    return bool(request.user.has_perm(permission, _organisation(request)))


def _trainer(request: HttpRequest, trainer_id: int) -> Trainer:
    return get_in_organisation(Trainer.objects.select_related("staff", "provider"),
                               _organisation(request), pk=trainer_id)


def _provider(request: HttpRequest, provider_id: int) -> TrainingProvider:
    return get_in_organisation(TrainingProvider.objects.all(), _organisation(request),
                               pk=provider_id)


def _not_themself(request: HttpRequest, trainer: Trainer) -> None:
    """The review and monitoring are of the trainer, never by them (services check it too)."""
    if trainer.user_id is not None and trainer.user_id == request.user.pk:
        raise PermissionDenied("A trainer cannot review their own portfolio")


def _form_page(request: HttpRequest, form: Any, **context: Any) -> HttpResponse:
    return render(request, "trainers/form.html",
                  {"form": form, "errors": error_summary(form), **context})


# ---------------------------------------------------------------------------------------------
# Trainers
# ---------------------------------------------------------------------------------------------


@require_GET
@require_permission("trainers.view")
def trainer_list(request: HttpRequest) -> HttpResponse:
    """Everyone teaching, where their review, update and monitoring stand; those who stopped;
    and the external providers."""
    organisation = _organisation(request)
    today = timezone.localdate()
    current = selectors.standings(organisation, today)
    shown = {s.trainer.pk for s in current}
    others = [t for t in selectors.trainers_of(organisation) if t.pk not in shown]
    providers = [(p, selectors.provider_state(p, today))
                 for p in selectors.providers_of(organisation)]
    return render(request, "trainers/list.html", {
        "standings": current, "others": others, "providers": providers, "today": today,
        "due": selectors.reviews_needed(organisation, today),
        "lapsing": selectors.providers_lapsing(organisation, today),
        "labels": sd.STATUS_LABELS,
        "can_manage": _can(request, "trainers.manage"),
    })


@require_http_methods(["GET", "POST"])
@require_permission("trainers.manage")
def trainer_add(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    form = TrainerForm(request.POST or None, organisation=organisation,
                       today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        try:
            trainer = services.trainer_create(actor=actor_from(request),
                                              organisation=organisation, data=form.to_input())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"{trainer.name} added as a trainer")
            return redirect("trainers:trainer", trainer_id=trainer.pk)
    return _form_page(request, form, heading="Add a trainer", back=("trainers:list", {}),
                      back_text="Trainers", submit="Add trainer",
                      intro="An internal trainer is someone on the staff register; an external "
                            "trainer works for a training provider (add the provider first).")


@require_http_methods(["GET", "POST"])
@require_permission("trainers.manage")
def trainer_edit(request: HttpRequest, trainer_id: int) -> HttpResponse:
    trainer = _trainer(request, trainer_id)
    form = TrainerForm(request.POST or None, organisation=_organisation(request),
                       today=timezone.localdate(), trainer=trainer,
                       initial=services.trainer_input_of(trainer).__dict__)
    if request.method == "POST" and form.is_valid():
        try:
            services.trainer_update(actor=actor_from(request), trainer=trainer,
                                    data=form.to_input())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"{trainer.name}'s details saved")
            return redirect("trainers:trainer", trainer_id=trainer.pk)
    return _form_page(request, form, heading=f"Change {trainer.name}'s details",
                      back=("trainers:trainer", {"trainer_id": trainer.pk}),
                      back_text=trainer.name, submit="Save")


@require_GET
@require_permission("trainers.view")
def trainer_detail(request: HttpRequest, trainer_id: int) -> HttpResponse:
    trainer = _trainer(request, trainer_id)
    today = timezone.localdate()
    may_review = _can(request, "trainers.review") and not (
        trainer.user_id is not None and trainer.user_id == request.user.pk)
    return render(request, "trainers/trainer.html", {
        "trainer": trainer, "standing": selectors.trainer_standing(trainer, today),
        "entries": list(selectors.entries_of(trainer)),
        "reviews": list(selectors.reviews_of(trainer)),
        "checks": list(selectors.checks_of(trainer)),
        "labels": sd.STATUS_LABELS, "today": today,
        "can_manage": _can(request, "trainers.manage"), "can_review": may_review,
    })


# ---------------------------------------------------------------------------------------------
# Portfolio entries, reviews and competency monitoring
# ---------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@require_permission("trainers.manage")
def entry_add(request: HttpRequest, trainer_id: int) -> HttpResponse:
    trainer = _trainer(request, trainer_id)
    form = PortfolioEntryForm(request.POST or None,
                              initial={"kind": request.GET.get("kind", "")})
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.portfolio_entry_add(actor=actor_from(request), trainer=trainer,
                                                 data=form.to_input())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"{entry.get_kind_display()} added to the portfolio")
            return redirect("trainers:trainer", trainer_id=trainer.pk)
    return _form_page(request, form, heading="Add to the portfolio", caption=trainer.name,
                      back=("trainers:trainer", {"trainer_id": trainer.pk}),
                      back_text=trainer.name, submit="Add to the portfolio",
                      intro="Qualifications and clinical experience (standard 3.5.III), teaching "
                            "qualifications (IV), annual updates (V), CPD and reflection on "
                            "current and emerging best practice (VI), and working with people "
                            "with lived experience (VII).")


@require_http_methods(["GET", "POST"])
@require_permission("trainers.review")
def review_add(request: HttpRequest, trainer_id: int) -> HttpResponse:
    trainer = _trainer(request, trainer_id)
    _not_themself(request, trainer)
    user = request.user
    form = ReviewForm(request.POST or None, initial={
        "reviewer_name": user.get_full_name() or user.get_username(),  # type: ignore[union-attr]
    })
    if request.method == "POST" and form.is_valid():
        try:
            review = services.portfolio_review_record(actor=actor_from(request),
                                                      trainer=trainer, data=form.to_input())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Portfolio review recorded: the next is due by "
                                      f"{review.next_due_on:%d/%m/%Y}")
            return redirect("trainers:trainer", trainer_id=trainer.pk)
    return _form_page(request, form, heading="Record the yearly portfolio review",
                      caption=trainer.name,
                      back=("trainers:trainer", {"trainer_id": trainer.pk}),
                      back_text=trainer.name, submit="Record the review",
                      intro="Standard 3.5.I: the employing organisation reviews each trainer's "
                            "portfolio every year. The next review is due 12 months after this "
                            "one, unless the outcome is that they are not to teach.")


@require_http_methods(["GET", "POST"])
@require_permission("trainers.review")
def check_add(request: HttpRequest, trainer_id: int) -> HttpResponse:
    trainer = _trainer(request, trainer_id)
    _not_themself(request, trainer)
    form = CompetencyCheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.competency_check_record(actor=actor_from(request), trainer=trainer,
                                             data=form.to_input())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Competency monitoring recorded")
            return redirect("trainers:trainer", trainer_id=trainer.pk)
    return _form_page(request, form, heading="Record competency monitoring",
                      caption=trainer.name,
                      back=("trainers:trainer", {"trainer_id": trainer.pk}),
                      back_text=trainer.name, submit="Record the observation",
                      intro="Standard 3.5.XIII: every trainer is quality assured and their "
                            "teaching observed at least once a year.")


def _entered_in_error(request: HttpRequest, record: Any, what: str, mark: Any) -> HttpResponse:
    if record.is_entered_in_error:
        raise Http404("Already entered in error")
    form = EnteredInErrorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            mark(actor=actor_from(request), reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"The {what} is marked as entered in error")
            return redirect("trainers:trainer", trainer_id=record.trainer_id)
    return _form_page(request, form, heading=f"Mark the {what} as entered in error",
                      caption=record.trainer.name,
                      back=("trainers:trainer", {"trainer_id": record.trainer_id}),
                      back_text=record.trainer.name, submit="Mark as entered in error",
                      warning=True,
                      intro="It stays in the portfolio, marked, and stops counting. Nothing is "
                            "deleted.")


@require_http_methods(["GET", "POST"])
@require_permission("trainers.manage")
def entry_entered_in_error(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = get_in_organisation(PortfolioEntry.objects.select_related("trainer__staff"),
                                _organisation(request), pk=entry_id)
    return _entered_in_error(
        request, entry, f"{entry.get_kind_display().lower()} of {entry.dated_on:%d/%m/%Y}",
        lambda **kw: services.portfolio_entry_mark_entered_in_error(entry=entry, **kw))


@require_http_methods(["GET", "POST"])
@require_permission("trainers.review")
def review_entered_in_error(request: HttpRequest, review_id: int) -> HttpResponse:
    review = get_in_organisation(PortfolioReview.objects.select_related("trainer__staff"),
                                 _organisation(request), pk=review_id)
    _not_themself(request, review.trainer)
    return _entered_in_error(
        request, review, f"review of {review.reviewed_on:%d/%m/%Y}",
        lambda **kw: services.portfolio_review_mark_entered_in_error(review=review, **kw))


@require_http_methods(["GET", "POST"])
@require_permission("trainers.review")
def check_entered_in_error(request: HttpRequest, check_id: int) -> HttpResponse:
    check = get_in_organisation(CompetencyCheck.objects.select_related("trainer__staff"),
                                _organisation(request), pk=check_id)
    _not_themself(request, check.trainer)
    return _entered_in_error(
        request, check, f"competency monitoring of {check.observed_on:%d/%m/%Y}",
        lambda **kw: services.competency_check_mark_entered_in_error(check=check, **kw))


# ---------------------------------------------------------------------------------------------
# External training providers (3.5 introduction, X-XII)
# ---------------------------------------------------------------------------------------------


@require_GET
@require_permission("trainers.view")
def provider_detail(request: HttpRequest, provider_id: int) -> HttpResponse:
    provider = _provider(request, provider_id)
    today = timezone.localdate()
    return render(request, "trainers/provider.html", {
        "provider": provider, "state": selectors.provider_state(provider, today),
        "trainers": list(selectors.trainers_of(_organisation(request)).filter(
            provider=provider)),
        "today": today, "can_manage": _can(request, "trainers.manage"),
    })


@require_http_methods(["GET", "POST"])
@require_permission("trainers.manage")
def provider_add(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    form = ProviderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            provider = services.provider_create(actor=actor_from(request),
                                                organisation=organisation,
                                                data=form.to_input())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"{provider.name} added")
            return redirect("trainers:provider", provider_id=provider.pk)
    return _form_page(request, form, heading="Add an external training provider",
                      back=("trainers:list", {}), back_text="Trainers", submit="Add provider",
                      intro="Where a commercial training provider trains your staff or your "
                            "trainers, it must be certified and register your organisation as "
                            "an affiliate (standard 3.5), evidence its trainers' credibility "
                            "(3.5.X), clarify indemnity insurance (3.5.XI) and assess its "
                            "trainers' competency (3.5.XII).")


@require_http_methods(["GET", "POST"])
@require_permission("trainers.manage")
def provider_edit(request: HttpRequest, provider_id: int) -> HttpResponse:
    provider = _provider(request, provider_id)
    form = ProviderForm(request.POST or None, adding=False,
                        initial=services.provider_input_of(provider).__dict__)
    if request.method == "POST" and form.is_valid():
        try:
            services.provider_update(actor=actor_from(request), provider=provider,
                                     data=form.to_input())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"{provider.name} saved")
            return redirect("trainers:provider", provider_id=provider.pk)
    return _form_page(request, form, heading=f"Change {provider.name}",
                      back=("trainers:provider", {"provider_id": provider.pk}),
                      back_text=provider.name, submit="Save provider")


# ---------------------------------------------------------------------------------------------
# The yearly summary (3.5.I)
# ---------------------------------------------------------------------------------------------


def _year(request: HttpRequest, years: list[int]) -> int:
    asked = request.GET.get("year", "")
    if not asked:
        return years[-1]
    if not asked.isdigit() or int(asked) not in years:
        raise Http404("No summary for that year")
    return int(asked)


@require_GET
@require_permission("trainers.view")
def summary(request: HttpRequest) -> HttpResponse:
    """For the executive and non-executive leads: each trainer's year, gaps highlighted.
    Printable (the print style hides the navigation)."""
    organisation = _organisation(request)
    today = timezone.localdate()
    years = selectors.summary_years(organisation, today)
    year = _year(request, years)
    return render(request, "trainers/summary.html", {
        "summary": selectors.year_summary(organisation, year, today), "years": years,
        "today": today, "organisation": organisation,
    })


@require_GET
@require_permission("trainers.view")
def summary_csv(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    today = timezone.localdate()
    year = _year(request, selectors.summary_years(organisation, today))
    rows = selectors.summary_rows(selectors.year_summary(organisation, year, today))
    text = csv_text([label for _name, label in selectors.SUMMARY_COLUMNS],
                    ([row[name] for name, _label in selectors.SUMMARY_COLUMNS] for row in rows))
    services.export_audited(actor=actor_from(request), organisation=organisation,
                            what=f"Trainers' yearly summary {year} (csv)", rows=len(rows))
    response = HttpResponse(("\ufeff" + text).encode("utf-8"),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="trainers-{organisation.ods_code}-{year}.csv"')
    return response
