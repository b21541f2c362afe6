"""Live compliance indicators from trainers' portfolios and the external training providers
(standard 3.5). Registered with the standards registry (rrp.standards.indicators), which
imports this module when the app registry is ready (and TrainersConfig.ready imports it too).

Each counts the trainers teaching on the last day of the period, and where each stood that
day (rrp.trainers.selectors.standings), so the figures agree with the trainers' page:
- 3.5.I    internal trainers whose portfolio was reviewed (satisfactory, or with actions
           agreed) within the last 12 months;
- 3.5.II   trainers who have accepted the code of conduct;
- 3.5.III  trainers with evidence of clinical credibility (experience or qualifications);
- 3.5.IV   trainers with evidence of teaching skills;
- 3.5.V    trainers who attended an annual update within the last 12 months;
- 3.5.XIII trainers whose competency was monitored within the last 12 months;
- 3.5.X, XI, XII external providers in use with evidence of their trainers' experience,
           qualifications and credibility; with indemnity insurance clarified and not lapsed;
           RRN certified, with this organisation registered as an affiliate and a competency
           assessment framework for trainers.

Not measured: 3.5.VI-IX (the portfolio holds CPD and lived experience entries, but whether the
exposure is "essential", or values shown and a culture of prevention reinforced, is judgement).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from rrp.standards.indicators import (
    IndicatorPeriod,
    IndicatorResult,
    counted,
    long_date,
    register,
    share,
)
from rrp.trainers import selectors
from rrp.trainers import standing as sd
from rrp.trainers.models import TrainingProvider

SOURCE = "Trainers' portfolios in RRP"
PROVIDER_SOURCE = "External training providers in RRP"


def last_day(period: IndicatorPeriod) -> dt.date:
    """The last day the period covers (its end is exclusive)."""
    return timezone.localdate(period.end - dt.timedelta(microseconds=1))


def _trainers(
    organisation: Any, period: IndicatorPeriod, what: str,
    test: Callable[[selectors.TrainerStanding], bool], internal_only: bool = False,
) -> IndicatorResult:
    day = last_day(period)
    found = [s for s in selectors.standings(organisation, day)
             if s.trainer.is_internal or not internal_only]
    who = "internal trainer" if internal_only else "trainer"
    if not found:
        return IndicatorResult(None, 0, 0, f"No {who}s were teaching on {long_date(day)}")
    met = sum(1 for s in found if test(s))
    text = f"{met} of {counted(len(found), who)} teaching on {long_date(day)} {what}"
    return IndicatorResult(share(met, len(found)), met, len(found), text)


@register("3.5.I", key="trainer-portfolio-reviewed", title="Internal trainers' portfolios "
          "reviewed in the last 12 months", source=SOURCE)
def portfolio_reviewed(organisation: Any, period: IndicatorPeriod) -> IndicatorResult:
    # standard 3.5.I: internal trainers' portfolios are reviewed annually by their employer.
    return _trainers(organisation, period,
                     "had their portfolio reviewed in the 12 months before (satisfactory, or "
                     "with actions agreed)",
                     lambda s: sd.is_current(s.review.status), internal_only=True)


@register("3.5.II", key="trainer-code-of-conduct", title="Trainers who have accepted the code "
          "of conduct", source=SOURCE)
def code_of_conduct(organisation: Any, period: IndicatorPeriod) -> IndicatorResult:
    # standard 3.5.II: a trainer's code of conduct setting out professional and value based
    # expectations; RRP records each trainer's acceptance of it.
    return _trainers(organisation, period, "had accepted the trainers' code of conduct",
                     lambda s: s.code_of_conduct)


@register("3.5.III", key="trainer-clinical-credibility", title="Trainers with evidence of "
          "clinical credibility", source=SOURCE)
def clinical_credibility(organisation: Any, period: IndicatorPeriod) -> IndicatorResult:
    # standard 3.5.III: clinical experience and/or relevant professional qualifications.
    return _trainers(organisation, period, "had evidence of clinical experience or "
                     "professional qualifications", lambda s: s.credible)


@register("3.5.IV", key="trainer-teaching-skills", title="Trainers with evidence of teaching "
          "skills", source=SOURCE)
def teaching_skills(organisation: Any, period: IndicatorPeriod) -> IndicatorResult:
    # standard 3.5.IV: formal teaching qualifications and/or organisational programmes.
    return _trainers(organisation, period, "had evidence of a teaching qualification or "
                     "educational programme", lambda s: s.teaching_qualified)


@register("3.5.V", key="trainer-annual-update", title="Trainers who attended an annual update "
          "in the last 12 months", source=SOURCE)
def annual_update(organisation: Any, period: IndicatorPeriod) -> IndicatorResult:
    # standard 3.5.V: trainers attend annual updates.
    return _trainers(organisation, period, "attended an annual update in the 12 months before",
                     lambda s: sd.is_current(s.annual_update))


@register("3.5.XIII", key="trainer-competency-monitoring", title="Trainers whose competency "
          "was monitored in the last 12 months", source=SOURCE)
def competency_monitoring(organisation: Any, period: IndicatorPeriod) -> IndicatorResult:
    # standard 3.5.XIII: all trainers are subject to annual competency monitoring.
    return _trainers(organisation, period, "had their teaching observed for competency "
                     "monitoring in the 12 months before", lambda s: sd.is_current(s.monitoring))


def _providers(
    organisation: Any, period: IndicatorPeriod, what: str,
    test: Callable[[TrainingProvider, dt.date], bool],
) -> IndicatorResult:
    day = last_day(period)
    providers = [p for p in selectors.providers_of(organisation)
                 if p.is_used_on(day) and timezone.localdate(p.created_at) <= day]
    if not providers:
        return IndicatorResult(None, 0, 0, f"No external training providers were used on "
                                           f"{long_date(day)}")
    met = sum(1 for p in providers if test(p, day))
    text = (f"{met} of {counted(len(providers), 'external training provider')} used on "
            f"{long_date(day)} {what}")
    return IndicatorResult(share(met, len(providers)), met, len(providers), text)


@register("3.5.X", key="provider-trainer-evidence", title="External providers with evidence of "
          "their trainers' experience, qualifications and credibility", source=PROVIDER_SOURCE)
def provider_trainer_evidence(organisation: Any, period: IndicatorPeriod) -> IndicatorResult:
    # standard 3.5.X.
    return _providers(organisation, period, "had evidence of their trainers' experience, "
                      "qualifications and clinical credibility",
                      lambda p, day: bool(p.trainer_evidence))


@register("3.5.XI", key="provider-indemnity", title="External providers with indemnity "
          "insurance clarified and in date", source=PROVIDER_SOURCE)
def provider_indemnity(organisation: Any, period: IndicatorPeriod) -> IndicatorResult:
    # standard 3.5.XI: issues of indemnity insurance are clarified.
    def clarified(provider: TrainingProvider, day: dt.date) -> bool:
        on, until = provider.indemnity_clarified_on, provider.indemnity_valid_until
        return on is not None and on <= day and (until is None or until >= day)

    return _providers(organisation, period, "had indemnity insurance clarified and in date",
                      clarified)


@register("3.5.XII", key="provider-certified-framework", title="External providers certified, "
          "with this organisation an affiliate and a competency framework for trainers",
          source=PROVIDER_SOURCE)
def provider_certified(organisation: Any, period: IndicatorPeriod) -> IndicatorResult:
    # standard 3.5 (introduction): the provider is certified and has registered the service
    # provider as an affiliate; 3.5.XII: a competency assessment framework for trainers.
    def certified(provider: TrainingProvider, day: dt.date) -> bool:
        until = provider.certificate_valid_until
        return (provider.rrn_certified and until is not None and until >= day
                and provider.affiliate_registered_on is not None
                and provider.affiliate_registered_on <= day
                and bool(provider.competency_framework))

    return _providers(organisation, period, "were RRN certified, had registered this "
                      "organisation as an affiliate and had a competency assessment framework "
                      "for trainers", certified)
