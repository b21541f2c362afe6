"""Home page items for training: staff out of date or expiring on a manager's ward (every ward
for the trainer and the lead), people not yet competent after an assessment (their plan needs
following up, standard 3.4.2.XXXIX), and RRN certificates running out within 90 days.

A ward manager answers for their home ward (every ward if they have none), as on the safety
plan items (rrp.careplans.attention).
"""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from rrp.core.attention import AttentionItem, register
from rrp.organisations.models import Role
from rrp.organisations.selectors import home_ward_of
from rrp.workforce import selectors, tna_selectors

WARD_ROLES = frozenset({Role.WARD_MANAGER, Role.TRAINER, Role.RRP_LEAD})
TRAINING_ROLES = frozenset({Role.TRAINER, Role.RRP_LEAD})


def _roles(request: HttpRequest) -> frozenset[str]:
    return getattr(request, "roles", frozenset())


def _plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


@register
def staff_out_of_date(request: HttpRequest) -> list[AttentionItem]:
    roles = _roles(request)
    if not roles & WARD_ROLES:
        return []
    organisation = request.organisation  # type: ignore[attr-defined]
    ward = None
    if not roles & TRAINING_ROLES:
        ward = home_ward_of(request.user, organisation)
    today = timezone.localdate()
    lapsed, expiring = selectors.people_out_of_date(
        organisation, today, wards=[ward] if ward else None
    )
    where = ward.name if ward else "the wards"
    href = reverse("workforce:compliance") + (f"?ward={ward.code}" if ward else "")
    items = []
    if lapsed:
        items.append(AttentionItem(
            title="Staff out of date on required training",
            count=len(lapsed),
            href=href + "#out-of-date",
            detail=f"People on {where} whose required training has expired or who have never "
                   "done it",
        ))
    if expiring:
        items.append(AttentionItem(
            title="Training running out in the next 60 days",
            count=len(expiring),
            href=href + "#expiring",
            detail=f"People on {where} to book on a refresher before their training runs out",
        ))
    return items


@register
def training_follow_up(request: HttpRequest) -> list[AttentionItem]:
    roles = _roles(request)
    if not roles & TRAINING_ROLES:
        return []
    organisation = request.organisation  # type: ignore[attr-defined]
    today = timezone.localdate()
    items = []
    waiting = selectors.not_yet_competent(organisation, today)
    if waiting:
        items.append(AttentionItem(
            title="People not yet competent",
            count=len(waiting),
            href=reverse("workforce:compliance") + "#not-yet-competent",
            detail="Follow up their plan to reach competence and the interim management plan "
                   "with their line manager (standard 3.4.2.XXXIX)",
        ))
    certificates = selectors.certificates_running_out(organisation, today)
    if certificates:
        lapsed = [c for c in certificates if c.certificate_valid_until
                  and c.certificate_valid_until < today]
        items.append(AttentionItem(
            title=_plural(len(certificates), "RRN certificate running out",
                          "RRN certificates running out"),
            count=len(certificates),
            urgent=bool(lapsed),
            href=reverse("workforce:courses") + "#certificates",
            detail="Courses whose certification against the RRN Training Standards ends "
                   "within 90 days" + (" or has ended" if lapsed else ""),
        ))
    return items


@register
def needs_analysis_review(request: HttpRequest) -> list[AttentionItem]:
    """The training needs analysis in force is due for its yearly review (standard 3.4.1), on
    the executive lead's home page (who signs the new version off) and the trainer's (who
    drafts it with the training provider)."""
    if not _roles(request) & TRAINING_ROLES:
        return []
    organisation = request.organisation  # type: ignore[attr-defined]
    today = timezone.localdate()
    due = tna_selectors.reviews_due(organisation, today)
    if not due:
        return []
    overdue = [a for a in due if a.review_due_on and a.review_due_on < today]
    # One analysis opens itself; several open the list of those due.
    href = (reverse("workforce:tna", kwargs={"tna_id": due[0].pk}) if len(due) == 1
            else reverse("workforce:tna-list") + "#review-due")
    return [AttentionItem(
        title=_plural(len(due), "Training needs analysis review due",
                      "Training needs analysis reviews due"),
        count=len(due),
        urgent=bool(overdue),
        href=href,
        detail="Reviewed at least yearly (standard 3.4.1): start a new version, have it agreed "
               "with the training provider and signed off" + (" - overdue" if overdue else ""),
    )]


@register
def techniques_to_sign_off(request: HttpRequest) -> list[AttentionItem]:
    """On the executive lead's home page: techniques of the training manual awaiting their
    sign-off (standard 3.4.2.XXV) or overdue for the yearly review (XXIX), and injuries and
    incidents in training awaiting their review (XLI)."""
    if Role.RRP_LEAD not in _roles(request):
        return []
    from rrp.workforce import content_selectors

    organisation = request.organisation  # type: ignore[attr-defined]
    today = timezone.localdate()
    awaiting, overdue = content_selectors.techniques_for_the_lead(organisation, today)
    items = []
    for found, title, detail, urgent, where in (
        (awaiting, ("Technique awaiting your sign-off", "Techniques awaiting your sign-off"),
         "Physical interventions in the training manual whose risk assessment the executive "
         "lead signs off (standard 3.4.2.XXV)", False, "#techniques-awaiting-sign-off"),
        (overdue, ("Technique review overdue", "Technique reviews overdue"),
         "Physical interventions signed off more than a year ago: review them and sign off "
         "again (standard 3.4.2.XXIX)", True, "#technique-reviews-overdue"),
    ):
        if not found:
            continue
        # The list of just these, one line each (the number opens that many).
        href = reverse("workforce:courses") + where
        items.append(AttentionItem(title=_plural(len(found), *title), count=len(found),
                                   urgent=urgent, href=href, detail=detail))
    unreviewed = content_selectors.unreviewed_events(organisation).count()
    if unreviewed:
        items.append(AttentionItem(
            title=_plural(unreviewed, "Injury or incident in training to review",
                          "Injuries and incidents in training to review"),
            count=unreviewed, href=reverse("workforce:training-events") + "#awaiting-review",
            detail="Audited and reviewed regularly (standard 3.4.2.XLI)",
        ))
    return items
