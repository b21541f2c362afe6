"""Reads of trainers, portfolios, reviews, competency monitoring and training providers, always
within one organisation.

`standings` is the one place a trainer's position is worked out (rrp.trainers.standing does
the arithmetic); the list, the home page, the yearly summary and the indicators all read it, so
they agree. Records entered in error never count.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Final

from django.db.models import QuerySet

from rrp.organisations.models import Organisation
from rrp.trainers import standing as sd
from rrp.trainers.models import (
    REVIEW_PASSES,
    CompetencyCheck,
    EntryKind,
    MonitoringOutcome,
    PortfolioEntry,
    PortfolioReview,
    Trainer,
    TrainingProvider,
)
from rrp.workforce.selectors import CERTIFICATE_WARNING_DAYS

# The notice the RRN certificates of courses get (issue 13: 90 days), time to renew; the same
# for a provider's certificate and its indemnity insurance.
LAPSING_DAYS: Final = CERTIFICATE_WARNING_DAYS

CREDIBILITY_KINDS: Final = (EntryKind.QUALIFICATION, EntryKind.CLINICAL_EXPERIENCE)


def trainers_of(organisation: Organisation | None) -> QuerySet[Trainer]:
    return (
        Trainer.objects.for_organisation(organisation)
        .select_related("staff", "staff__user", "provider")
        .order_by("stopped_teaching_on", "pk")
    )


def providers_of(organisation: Organisation | None) -> QuerySet[TrainingProvider]:
    return TrainingProvider.objects.for_organisation(organisation).order_by("name")


def entries_of(trainer: Trainer) -> QuerySet[PortfolioEntry]:
    return trainer.entries.select_related("recorded_by").order_by("-dated_on", "-pk")


def reviews_of(trainer: Trainer) -> QuerySet[PortfolioReview]:
    return trainer.reviews.select_related("recorded_by").order_by("-reviewed_on", "-pk")


def checks_of(trainer: Trainer) -> QuerySet[CompetencyCheck]:
    return trainer.checks.select_related("recorded_by").order_by("-observed_on", "-pk")


@dataclass(frozen=True)
class TrainerStanding:
    """Where one trainer stands on one day against 3.5.I-V and XIII."""

    trainer: Trainer
    review: sd.ReviewStanding  # 3.5.I
    annual_update_on: dt.date | None  # 3.5.V
    annual_update: sd.Status
    monitored_on: dt.date | None  # 3.5.XIII
    monitoring: sd.Status
    monitoring_outcome: str
    code_of_conduct: bool  # 3.5.II
    credible: bool  # 3.5.III
    teaching_qualified: bool  # 3.5.IV

    @property
    def gaps(self) -> list[str]:
        gaps = []
        if self.review.status in ("overdue", "never"):
            gaps.append("Portfolio review overdue" if self.review.status == "overdue"
                        else "Portfolio never reviewed")
        if self.review.not_to_teach_until is not None:
            gaps.append(f"Not to teach until {self.review.not_to_teach_until:%d/%m/%Y}")
        if not self.code_of_conduct:
            gaps.append("Code of conduct not accepted")
        if not self.credible:
            gaps.append("No evidence of clinical credibility")
        if not self.teaching_qualified:
            gaps.append("No evidence of teaching skills")
        if not sd.is_current(self.annual_update):
            gaps.append("No annual update in the last 12 months")
        if not sd.is_current(self.monitoring):
            gaps.append("No competency monitoring in the last 12 months")
        return gaps


@dataclass
class _Records:
    reviews: list[sd.Review] = field(default_factory=list)
    updates: list[dt.date] = field(default_factory=list)
    checks: list[tuple[dt.date, str]] = field(default_factory=list)
    kinds: set[str] = field(default_factory=set)


def _records(trainers: list[Trainer], day: dt.date) -> dict[int, _Records]:
    """Every record of these trainers not entered in error, up to `day`, in three queries."""
    ids = [t.pk for t in trainers]
    found: dict[int, _Records] = defaultdict(_Records)
    for trainer_id, reviewed_on, outcome, until in PortfolioReview.objects.filter(
        trainer_id__in=ids, entered_in_error_at__isnull=True, reviewed_on__lte=day
    ).values_list("trainer_id", "reviewed_on", "outcome", "not_to_teach_until"):
        found[trainer_id].reviews.append(sd.Review(reviewed_on, outcome in REVIEW_PASSES, until))
    for trainer_id, kind, dated_on in PortfolioEntry.objects.filter(
        trainer_id__in=ids, entered_in_error_at__isnull=True, dated_on__lte=day
    ).values_list("trainer_id", "kind", "dated_on"):
        found[trainer_id].kinds.add(kind)
        if kind == EntryKind.ANNUAL_UPDATE:
            found[trainer_id].updates.append(dated_on)
    for trainer_id, observed_on, outcome in CompetencyCheck.objects.filter(
        trainer_id__in=ids, entered_in_error_at__isnull=True, observed_on__lte=day
    ).values_list("trainer_id", "observed_on", "outcome"):
        found[trainer_id].checks.append((observed_on, outcome))
    return found


def standing_of(trainer: Trainer, records: _Records, day: dt.date) -> TrainerStanding:
    update = sd.latest_on_or_before(records.updates, day)
    check = max(records.checks, default=None)
    accepted = trainer.code_of_conduct_accepted_on
    return TrainerStanding(
        trainer=trainer,
        review=sd.review_standing(records.reviews, day),
        annual_update_on=update,
        annual_update=sd.status_on(update, day),
        monitored_on=check[0] if check else None,
        monitoring=sd.status_on(check[0] if check else None, day),
        monitoring_outcome=check[1] if check else "",
        code_of_conduct=accepted is not None and accepted <= day,
        credible=bool(trainer.clinical_credibility) or bool(records.kinds & set(
            CREDIBILITY_KINDS)),
        teaching_qualified=bool(trainer.teaching_qualification)
        or EntryKind.TEACHING_QUALIFICATION in records.kinds,
    )


def standings(
    organisation: Organisation | None, day: dt.date, *, trainers: Iterable[Trainer] | None = None
) -> list[TrainerStanding]:
    """Every trainer teaching on `day` (or the ones given), and where each stands."""
    chosen = list(trainers) if trainers is not None else [
        t for t in trainers_of(organisation) if t.teaches_on(day) and t.first_day() <= day
    ]
    records = _records(chosen, day)
    return [standing_of(t, records[t.pk], day) for t in chosen]


def trainer_standing(trainer: Trainer, day: dt.date) -> TrainerStanding:
    return standings(trainer.organisation, day, trainers=[trainer])[0]


def reviews_needed(organisation: Organisation | None, day: dt.date) -> list[TrainerStanding]:
    """Trainers teaching today whose yearly review is overdue, never done or due within 30
    days (3.5.I), the most overdue first."""
    due = [s for s in standings(organisation, day) if s.review.needs_review]
    return sorted(due, key=lambda s: (s.review.due_on or dt.date.min, s.trainer.pk))


def own_standing(
    organisation: Organisation | None, user: Any, day: dt.date
) -> TrainerStanding | None:
    """The signed-in person's own standing, when they are an internal trainer teaching today
    (linked to their account through the staff register)."""
    if not getattr(user, "is_authenticated", False):
        return None
    trainer = trainers_of(organisation).filter(staff__user=user).first()
    if trainer is None or not trainer.teaches_on(day):
        return None
    return trainer_standing(trainer, day)


@dataclass(frozen=True)
class Lapsing:
    provider: TrainingProvider
    what: str  # "RRN certificate" or "Indemnity insurance"
    valid_until: dt.date

    def ended(self, day: dt.date) -> bool:
        return self.valid_until < day


def providers_lapsing(organisation: Organisation | None, day: dt.date) -> list[Lapsing]:
    """Providers in use whose RRN certificate or indemnity insurance ends within 90 days or has
    ended (3.5 introduction, XI)."""
    horizon = day + dt.timedelta(days=LAPSING_DAYS)
    found = []
    for provider in providers_of(organisation):
        if not provider.is_used_on(day):
            continue
        for what, until in (("RRN certificate", provider.certificate_valid_until),
                            ("Indemnity insurance", provider.indemnity_valid_until)):
            if until is not None and until <= horizon:
                found.append(Lapsing(provider, what, until))
    return sorted(found, key=lambda item: item.valid_until)


def provider_state(provider: TrainingProvider, day: dt.date) -> dict[str, str]:
    """One word per check of a provider on `day`: "valid", "lapsing", "ended" or "missing"."""

    def state(until: dt.date | None, present: bool) -> str:
        if not present:
            return "missing"
        if until is None:
            return "valid"
        if until < day:
            return "ended"
        return "lapsing" if (until - day).days <= LAPSING_DAYS else "valid"

    return {
        "certificate": state(provider.certificate_valid_until, provider.rrn_certified),
        "affiliate": "valid" if provider.affiliate_registered_on else "missing",
        "indemnity": state(provider.indemnity_valid_until,
                           provider.indemnity_clarified_on is not None),
        "trainer_evidence": "valid" if provider.trainer_evidence else "missing",
        "framework": "valid" if provider.competency_framework else "missing",
    }


# ---------------------------------------------------------------------------------------------
# The yearly summary for the executive and non-executive leads (3.5.I)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SummaryRow:
    trainer: Trainer
    review: PortfolioReview | None  # the latest review in the year
    annual_update_on: dt.date | None  # the latest annual update in the year
    check: CompetencyCheck | None  # the latest competency monitoring in the year
    code_of_conduct_on: dt.date | None  # accepted by the end of the year
    credible: bool
    teaching_qualified: bool
    gaps: list[str]

    @property
    def reviewed(self) -> bool:
        return self.review is not None and self.review.passes


@dataclass(frozen=True)
class Summary:
    year: int
    first: dt.date
    last: dt.date  # the end of the year, or today for the year under way
    rows: list[SummaryRow]

    @property
    def complete(self) -> bool:
        return self.last == dt.date(self.year, 12, 31)

    def count(self, test: str) -> int:
        return sum(1 for row in self.rows if _TESTS[test](row))


_TESTS: Final = {
    "reviewed": lambda row: row.reviewed,
    "updated": lambda row: row.annual_update_on is not None,
    "monitored": lambda row: row.check is not None,
    "code_of_conduct": lambda row: row.code_of_conduct_on is not None,
    "gaps": lambda row: bool(row.gaps),
}


def summary_years(organisation: Organisation | None, today: dt.date) -> list[int]:
    """The years a summary can be asked for: from the first trainer's to this one."""
    firsts = [t.first_day().year for t in trainers_of(organisation)]
    return list(range(min(firsts, default=today.year), today.year + 1))


def year_summary(organisation: Organisation | None, year: int, today: dt.date) -> Summary:
    """Each trainer who taught in `year` with what their portfolio shows for that year: the
    review and its outcome (3.5.I), the annual update (V), competency monitoring (XIII), the
    code of conduct (II), and each gap."""
    first = dt.date(year, 1, 1)
    last = min(dt.date(year, 12, 31), today)
    trainers = [t for t in trainers_of(organisation) if t.teaches_during(first, last)]
    ids = [t.pk for t in trainers]
    reviews: dict[int, PortfolioReview] = {}
    for found in PortfolioReview.objects.filter(
        trainer_id__in=ids, entered_in_error_at__isnull=True, reviewed_on__range=(first, last)
    ).order_by("reviewed_on", "pk"):
        reviews[found.trainer_id] = found
    checks: dict[int, CompetencyCheck] = {}
    for check in CompetencyCheck.objects.filter(
        trainer_id__in=ids, entered_in_error_at__isnull=True, observed_on__range=(first, last)
    ).order_by("observed_on", "pk"):
        checks[check.trainer_id] = check
    updates: dict[int, dt.date] = {}
    kinds: dict[int, set[str]] = defaultdict(set)
    for trainer_id, kind, dated_on in PortfolioEntry.objects.filter(
        trainer_id__in=ids, entered_in_error_at__isnull=True, dated_on__lte=last
    ).order_by("dated_on").values_list("trainer_id", "kind", "dated_on"):
        kinds[trainer_id].add(kind)
        if kind == EntryKind.ANNUAL_UPDATE and dated_on >= first:
            updates[trainer_id] = dated_on
    so_far = " so far" if last < dt.date(year, 12, 31) else ""
    rows = []
    for trainer in trainers:
        review = reviews.get(trainer.pk)
        accepted = trainer.code_of_conduct_accepted_on
        accepted = accepted if accepted is not None and accepted <= last else None
        credible = bool(trainer.clinical_credibility) or bool(kinds[trainer.pk] & set(
            CREDIBILITY_KINDS))
        qualified = bool(trainer.teaching_qualification) or (
            EntryKind.TEACHING_QUALIFICATION in kinds[trainer.pk])
        gaps = []
        if review is None:
            gaps.append(f"No portfolio review in {year}{so_far} (3.5.I)")
        elif not review.passes:
            gaps.append(f"Review outcome: {review.get_outcome_display().lower()} (3.5.I)")
        if trainer.pk not in updates:
            gaps.append(f"No annual update in {year}{so_far} (3.5.V)")
        if trainer.pk not in checks:
            gaps.append(f"No competency monitoring in {year}{so_far} (3.5.XIII)")
        elif checks[trainer.pk].outcome == MonitoringOutcome.NOT_MET:
            gaps.append("Competency monitoring: did not meet the standard (3.5.XIII)")
        if accepted is None:
            gaps.append("Code of conduct not accepted (3.5.II)")
        if not credible:
            gaps.append("No evidence of clinical credibility (3.5.III)")
        if not qualified:
            gaps.append("No evidence of teaching skills (3.5.IV)")
        rows.append(SummaryRow(trainer, review, updates.get(trainer.pk), checks.get(trainer.pk),
                               accepted, credible, qualified, gaps))
    rows.sort(key=lambda row: (not row.trainer.is_internal, row.trainer.name))
    return Summary(year, first, last, rows)


SUMMARY_COLUMNS: Final = (
    ("trainer", "Trainer"), ("works_for", "Works for"), ("role", "Role"),
    ("review_on", "Portfolio review"), ("review_outcome", "Review outcome"),
    ("reviewer", "Reviewer"), ("next_due_on", "Next review due"),
    ("annual_update_on", "Annual update"), ("monitored_on", "Competency monitoring"),
    ("monitoring_outcome", "Monitoring outcome"), ("code_of_conduct_on", "Code of conduct"),
    ("credible", "Clinical credibility evidenced"),
    ("teaching_qualified", "Teaching skills evidenced"), ("gaps", "Gaps"),
)


def summary_rows(summary: Summary) -> list[dict[str, str]]:
    """The summary as plain text cells, for the CSV."""

    def day(value: dt.date | None) -> str:
        return value.isoformat() if value else ""

    rows = []
    for row in summary.rows:
        review, check = row.review, row.check
        rows.append({
            "trainer": row.trainer.name, "works_for": row.trainer.works_for,
            "role": row.trainer.role,
            "review_on": day(review.reviewed_on if review else None),
            "review_outcome": review.get_outcome_display() if review else "",
            "reviewer": review.reviewer_name if review else "",
            "next_due_on": day(review.next_due_on if review and review.passes else None),
            "annual_update_on": day(row.annual_update_on),
            "monitored_on": day(check.observed_on if check else None),
            "monitoring_outcome": check.get_outcome_display() if check else "",
            "code_of_conduct_on": day(row.code_of_conduct_on),
            "credible": "yes" if row.credible else "no",
            "teaching_qualified": "yes" if row.teaching_qualified else "no",
            "gaps": "; ".join(row.gaps),
        })
    return rows
