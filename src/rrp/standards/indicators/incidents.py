"""Live indicators computed from uses of force and the duties that follow them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, QuerySet

from rrp.incidents.codes import Status
from rrp.incidents.models import Duty, Incident
from rrp.patients.models import Patient
from rrp.standards.indicators import IndicatorPeriod, IndicatorResult, counted, register, share

SOURCE = "Uses of force recorded in RRP"
# The characteristics Patient.demographics_complete checks, as kept in the incident's
# snapshot of the patient at the time (Use of Force Act s.6(5)(j)-(l)).
SNAPSHOT_FIELDS = (
    "sex",
    "gender_same_as_birth",
    "sexual_orientation",
    "religion",
    "disability",
    "pregnancy",
    "mental_disorder",
    "learning_disability_autism",
    "ethnic_category",
    "legal_status",
)


def incidents_in(organisation: Any, period: IndicatorPeriod) -> QuerySet[Incident]:
    incidents = Incident.objects.for_organisation(organisation).filter(
        started_at__gte=period.start, started_at__lt=period.end, entered_in_error_at__isnull=True
    )
    if period.wards is not None:
        incidents = incidents.filter(ward_id__in=period.wards)
    return incidents


@register("1.5.I", key="incidents-reported", title="Uses of force formally reported", source=SOURCE)
def incidents_reported(organisation: Any, period: IndicatorPeriod) -> IndicatorResult:
    # standard 1.5.I: every use of force is formally reported - a record left as a draft is not.
    incidents = incidents_in(organisation, period)
    total = incidents.count()
    submitted = incidents.exclude(status=Status.DRAFT).count()
    if not total:
        return IndicatorResult(None, 0, 0, "No uses of force were recorded in the period")
    drafts = total - submitted
    text = f"{submitted} of {counted(total, 'use')} of force recorded in the period submitted"
    if drafts:
        text += f"; {counted(drafts, 'record')} still in draft"
    return IndicatorResult(share(submitted, total), submitted, total, text)


@register(
    "1.5.II", key="incidents-analysed", title="Reported uses of force reviewed", source=SOURCE
)
def incidents_analysed(organisation: Any, period: IndicatorPeriod) -> IndicatorResult:
    # standard 1.5.II: reports are analysed - a submitted record reviewed by a manager has
    # been checked and coded, so it counts in the trend analysis.
    submitted = incidents_in(organisation, period).exclude(status=Status.DRAFT)
    total = submitted.count()
    reviewed = submitted.filter(status__in=[Status.REVIEWED, Status.CLOSED]).count()
    if not total:
        return IndicatorResult(None, 0, 0, "No submitted uses of force in the period to review")
    text = f"{reviewed} of {counted(total, 'submitted record')} reviewed by a manager"
    return IndicatorResult(share(reviewed, total), reviewed, total, text)


def snapshot_complete(snapshot: dict[str, Any]) -> bool:
    """The same test as Patient.demographics_complete, applied to the incident's snapshot."""
    if not snapshot or any(name not in snapshot for name in SNAPSHOT_FIELDS):
        return False
    patient = Patient(**{name: snapshot[name] for name in SNAPSHOT_FIELDS})
    return patient.demographics_complete


@register(
    "1.5.III",
    key="demographics-complete",
    title="Records with the person's demographics complete",
    source=SOURCE,
)
def demographics_complete(organisation: Any, period: IndicatorPeriod) -> IndicatorResult:
    # standard 1.5.III: demographic information is gathered routinely. A submitted record
    # keeps the patient's characteristics as they stood at the time.
    incidents = incidents_in(organisation, period).exclude(status=Status.DRAFT)
    snapshots = list(incidents.values_list("patient_snapshot", flat=True))
    total = len(snapshots)
    complete = sum(1 for snapshot in snapshots if snapshot_complete(snapshot or {}))
    if not total:
        return IndicatorResult(None, 0, 0, "No submitted uses of force in the period")
    text = (
        f"{complete} of {counted(total, 'submitted record')} had every protected "
        "characteristic answered for the person (prefers not to say counts as answered)"
    )
    return IndicatorResult(share(complete, total), complete, total, text)


@dataclass(frozen=True)
class DutyCounts:
    """Duties of some kinds that fell due in a period, by what happened to them."""

    on_time: int
    late_with_reason: int
    late_without_reason: int
    not_done: int
    not_required: int

    @property
    def due(self) -> int:
        """Duties that had to be done (a duty marked not required is left out)."""
        return self.on_time + self.late_with_reason + self.late_without_reason + self.not_done

    @property
    def done(self) -> int:
        return self.on_time + self.late_with_reason + self.late_without_reason


def duty_counts(organisation: Any, period: IndicatorPeriod, kinds: list[str]) -> DutyCounts:
    duties = Duty.objects.for_organisation(organisation).filter(
        kind__in=kinds,
        due_at__gte=period.start,
        due_at__lt=period.end,
        incident__entered_in_error_at__isnull=True,
    )
    if period.wards is not None:
        duties = duties.filter(incident__ward_id__in=period.wards)
    done = Q(completed_at__isnull=False)
    late = Q(completed_at__gt=F("due_at"))
    return DutyCounts(
        on_time=duties.filter(done, completed_at__lte=F("due_at")).count(),
        late_with_reason=duties.filter(done & late).exclude(late_reason="").count(),
        late_without_reason=duties.filter(done & late, late_reason="").count(),
        not_done=duties.filter(completed_at__isnull=True, not_required_reason="").count(),
        not_required=duties.filter(completed_at__isnull=True)
        .exclude(not_required_reason="")
        .count(),
    )


def _not_required_note(counts: DutyCounts) -> str:
    if not counts.not_required:
        return ""
    return f" ({counted(counts.not_required, 'duty', 'duties')} marked not required are left out)"


@register(
    "2.5.2.XI",
    key="medical-review-within-hour",
    title="Restraints with a medical review within one hour or a reason recorded",
    source=SOURCE,
)
def medical_review_within_hour(organisation: Any, period: IndicatorPeriod) -> IndicatorResult:
    # standard 2.5.2.XI: medically assessed within one hour of the commencement of the
    # restraint, or the reason for the delay recorded.
    counts = duty_counts(organisation, period, ["medical_review"])
    if not counts.due:
        return IndicatorResult(None, 0, 0, "No restraint in the period needed a medical review")
    met = counts.on_time + counts.late_with_reason
    missed = counts.due - met
    text = (
        f"{met} of {counted(counts.due, 'restraint')}: {counts.on_time} reviewed within the hour, "
        f"{counts.late_with_reason} later with the reason recorded"
    )
    if missed:
        text += f"; {missed} with neither"
    return IndicatorResult(
        share(met, counts.due), met, counts.due, text + _not_required_note(counts)
    )


@register(
    "2.5.2.XII",
    key="mechanical-restraint-reviews-on-time",
    title="Medical reviews of mechanical restraint on time",
    source=SOURCE,
)
def mechanical_restraint_reviews(organisation: Any, period: IndicatorPeriod) -> IndicatorResult:
    # standard 2.5.2.XII; MHA Code of Practice 26.82: within the first hour, then at least
    # every four hours.
    counts = duty_counts(organisation, period, ["mechanical_restraint_review"])
    if not counts.due:
        return IndicatorResult(None, 0, 0, "No mechanical restraint reviews fell due in the period")
    text = f"{counts.on_time} of {counted(counts.due, 'review')} due were done on time"
    if counts.done - counts.on_time:
        text += f"; {counts.done - counts.on_time} late"
    if counts.not_done:
        text += f"; {counts.not_done} not recorded"
    return IndicatorResult(
        share(counts.on_time, counts.due),
        counts.on_time,
        counts.due,
        text + _not_required_note(counts),
    )


@register(
    "2.5.2.XIV",
    key="observations-done-or-reason",
    title="Post-restraint observations taken, or why not recorded",
    source=SOURCE,
)
def observations_done(organisation: Any, period: IndicatorPeriod) -> IndicatorResult:
    # standard 2.5.2.XIV: if observations cannot be taken, why and what was done instead is
    # documented - recording either meets the duty.
    counts = duty_counts(organisation, period, ["physical_observations"])
    if not counts.due:
        return IndicatorResult(None, 0, 0, "No restraint in the period needed observations")
    text = (
        f"{counts.done} of {counted(counts.due, 'restraint')} had observations recorded, or why "
        "they could not be taken"
    )
    if counts.not_done:
        text += f"; {counts.not_done} with nothing recorded"
    return IndicatorResult(
        share(counts.done, counts.due), counts.done, counts.due, text + _not_required_note(counts)
    )


def _offered(organisation: Any, period: IndicatorPeriod, kind: str, what: str) -> IndicatorResult:
    counts = duty_counts(organisation, period, [kind])
    if not counts.due:
        return IndicatorResult(None, 0, 0, f"No uses of force in the period needed {what}")
    text = f"{counts.done} of {counted(counts.due, 'use')} of force: {what} recorded"
    if counts.done:
        text += " (held, or offered and the reason it did not happen recorded)"
    if counts.not_done:
        text += f"; {counts.not_done} not yet recorded"
    return IndicatorResult(
        share(counts.done, counts.due), counts.done, counts.due, text + _not_required_note(counts)
    )


@register(
    "1.6.III",
    key="support-offered-patient",
    title="Post-incident support offered to the person",
    source=SOURCE,
)
def support_patient(organisation: Any, period: IndicatorPeriod) -> IndicatorResult:
    # standard 1.6.III: post-incident support and debrief in place for everyone.
    return _offered(organisation, period, "post_incident_support_patient", "support for the person")


@register(
    "1.6.III",
    key="support-offered-staff",
    title="Post-incident support offered to staff",
    source=SOURCE,
)
def support_staff(organisation: Any, period: IndicatorPeriod) -> IndicatorResult:
    return _offered(organisation, period, "post_incident_support_staff", "support for staff")


@register(
    "1.6.III",
    "1.6.I",
    key="reflection-review-held",
    title="Post-incident reflection and learning reviews",
    source=SOURCE,
)
def reflection_review(organisation: Any, period: IndicatorPeriod) -> IndicatorResult:
    # standard 1.6.I: documented reflective practice informs staff of lessons learned.
    return _offered(
        organisation, period, "post_incident_review", "a reflection and learning review"
    )


@register(
    "1.6.IV",
    key="own-account-offered",
    title="People offered the chance to give their account",
    source=SOURCE,
)
def own_account_offered(organisation: Any, period: IndicatorPeriod) -> IndicatorResult:
    # standard 1.6.IV: feedback is an offer, not compulsory - what counts is that it was made.
    return _offered(organisation, period, "patient_account_offer", "an offer to give their account")


@register(
    "2.2.V",
    "2.3.XVIII",
    key="care-plans-reviewed",
    title="Care plans reviewed after a use of force",
    source=SOURCE,
)
def care_plans_reviewed(organisation: Any, period: IndicatorPeriod) -> IndicatorResult:
    # standard 2.2.V, 2.3.XVIII: risk management care plans reviewed in response to incidents.
    counts = duty_counts(organisation, period, ["care_plan_review"])
    if not counts.due:
        return IndicatorResult(None, 0, 0, "No care plan reviews fell due in the period")
    text = (
        f"{counts.done} of {counted(counts.due, 'care plan review')} due after a use of force done"
    )
    if counts.done - counts.on_time:
        text += f" ({counts.done - counts.on_time} late)"
    if counts.not_done:
        text += f"; {counts.not_done} not yet done"
    return IndicatorResult(
        share(counts.done, counts.due), counts.done, counts.due, text + _not_required_note(counts)
    )
