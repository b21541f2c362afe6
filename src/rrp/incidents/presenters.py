"""Read-only helpers that turn a use of force record into what its pages show: the Use of
Force Act s.6(5) summary in plain English, the timeline of interventions and duties with NHS
tag colours, the follow-up page for each duty, and what changed between versions.

Nothing here writes; the services own every change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils import timezone

from rrp.careplans.warnings import (
    INTERVENTION_NAMES,
    RestraintWarning,
    codes_not_in_plan,
    restraint_warnings,
    types_in_plan,
)
from rrp.incidents import codes, duty_permissions
from rrp.incidents.models import Duty, Incident, Intervention
from rrp.incidents.selectors import state_of
from rrp.organisations.models import Role
from rrp.patients import characteristics as c

# ---------------------------------------------------------------------------------------------
# Intervention types: short labels, grouped the way a nurse thinks of them
# ---------------------------------------------------------------------------------------------

# The recording form's type select: physical positions first (by far the most common), then
# mechanical, chemical and isolation. Labels are short; the MHSDS label is in the record.
TYPE_GROUPS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Physical restraint",
        (
            ("07", "Standing"),
            ("11", "Seated"),
            ("12", "Kneeling"),
            ("10", "Side"),
            ("09", "Supine (face up)"),
            ("01", "Prone (face down)"),
            ("08", "Restrictive escort"),
            ("13", "Other physical restraint"),
        ),
    ),
    ("Mechanical restraint", (("04", "Mechanical restraint"),)),
    (
        "Chemical restraint",
        (
            ("14", "Rapid tranquillisation (injection)"),
            ("15", "Injection, not rapid tranquillisation"),
            ("16", "Oral medication"),
            ("17", "Other chemical restraint"),
        ),
    ),
    ("Seclusion or segregation", (("05", "Seclusion"), ("06", "Segregation"))),
)
SHORT_TYPE: dict[str, str] = {code: label for _, items in TYPE_GROUPS for code, label in items}


def type_label(code: str) -> str:
    """'Prone restraint', 'Rapid tranquillisation (injection)', 'Seclusion'."""
    short = SHORT_TYPE.get(code, code)
    if code in codes.PHYSICAL_CODES and code != "13":
        return f"{short.split(' (')[0]} restraint"
    return short


def types_summary(interventions: Iterable[Intervention]) -> str:
    """Each type once, in the order used: 'Prone restraint, supine restraint'."""
    seen: list[str] = []
    for intervention in interventions:
        if not intervention.type_code:
            continue  # a draft's row with its type still to choose
        label = type_label(intervention.type_code)
        if label not in seen:
            seen.append(label)
    text = ", ".join(seen)
    return text[:1].upper() + text[1:].lower() if text else "None recorded"


# ---------------------------------------------------------------------------------------------
# Tags: NHS.UK tag colours for record status and duty state
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tag:
    text: str
    classes: str

    def params(self) -> dict[str, str]:
        return {"text": self.text, "classes": self.classes}


STATUS_TAGS: dict[str, Tag] = {
    codes.Status.DRAFT: Tag("Draft, not yet submitted", "nhsuk-tag--grey"),
    codes.Status.SUBMITTED: Tag("Submitted", "nhsuk-tag--blue"),
    codes.Status.REVIEWED: Tag("Reviewed", "nhsuk-tag--purple"),
    codes.Status.CLOSED: Tag("Closed", "nhsuk-tag--green"),
}
ENTERED_IN_ERROR_TAG = Tag("Entered in error", "nhsuk-tag--red")

# Use of Force Act s.6: the record must still be made. A draft left longer than this is flagged
# wherever drafts are listed (issue 10).
DRAFT_FLAGGED_AFTER = dt.timedelta(hours=24)
OLD_DRAFT_TAG = Tag("Over 24 hours old: submit it", "nhsuk-tag--red")


def is_old_draft(incident: Incident, now: dt.datetime | None = None) -> bool:
    """A draft started more than 24 hours ago and not yet submitted."""
    return incident.is_draft and (now or timezone.now()) - incident.created_at > DRAFT_FLAGGED_AFTER


def record_tags(incident: Incident, now: dt.datetime | None = None) -> tuple[Tag, ...]:
    """Status, entered in error, and the flag on a draft left over 24 hours."""
    tags: tuple[Tag, ...] = (status_tag(incident),)
    if incident.is_entered_in_error:
        tags += (ENTERED_IN_ERROR_TAG,)
    elif is_old_draft(incident, now):
        tags += (OLD_DRAFT_TAG,)
    return tags

# A due duty turns yellow when it falls due within this time: the same window the home page
# uses for "Due in the next 4 hours".
DUE_SOON = dt.timedelta(hours=4)


def status_tag(incident: Incident) -> Tag:
    return STATUS_TAGS[incident.status]


def duty_tag(state: str, due_at: dt.datetime, now: dt.datetime) -> Tag:
    """Overdue red, due soon yellow, due later blue, done green, done late orange, not
    required grey."""
    if state == "overdue":
        return Tag("Overdue", "nhsuk-tag--red")
    if state == "due":
        return (
            Tag("Due soon", "nhsuk-tag--yellow")
            if due_at - now <= DUE_SOON
            else Tag("Due", "nhsuk-tag--blue")
        )
    if state == "done":
        return Tag("Done", "nhsuk-tag--green")
    if state == "done_late":
        return Tag("Done late", "nhsuk-tag--orange")
    return Tag("Not required", "nhsuk-tag--grey")


ROLE_LABELS: dict[str, str] = dict(Role.choices)


# ---------------------------------------------------------------------------------------------
# Where each duty is recorded
# ---------------------------------------------------------------------------------------------

_REVIEW_KINDS = frozenset(codes.ReviewKind.values)


def follow_up_url(duty: Duty) -> str:
    """The page that records what meets this duty."""
    pk = duty.incident_id
    kind = duty.kind
    if kind == "medical_review":
        return reverse("incidents:medical-review", kwargs={"pk": pk})
    if kind == "physical_observations":
        return reverse("incidents:observations", kwargs={"pk": pk}) + "?kind=physical"
    if kind == "rapid_tranquillisation_monitoring":
        return reverse("incidents:observations", kwargs={"pk": pk}) + "?kind=rapid_tranquillisation"
    if kind == "post_incident_support_patient":
        return reverse("incidents:support", kwargs={"pk": pk}) + "?for=patient"
    if kind == "post_incident_support_staff":
        return reverse("incidents:support", kwargs={"pk": pk}) + "?for=staff"
    if kind == "post_incident_review":
        return reverse("incidents:debrief", kwargs={"pk": pk})
    if kind == "patient_account_offer":
        return reverse("incidents:patient-account", kwargs={"pk": pk})
    if kind in _REVIEW_KINDS:
        return reverse("incidents:review-record", kwargs={"pk": pk}) + f"?kind={kind}"
    raise ValueError(f"No page records a duty of kind {kind!r}")


FOLLOW_UP_VERBS: dict[str, str] = {
    "medical_review": "Record medical review",
    "physical_observations": "Record observations",
    "rapid_tranquillisation_monitoring": "Record check",
    "post_incident_support_patient": "Record support",
    "post_incident_support_staff": "Record support",
    "post_incident_review": "Record review",
    "patient_account_offer": "Record offer",
}


def follow_up_verb(duty: Duty) -> str:
    return FOLLOW_UP_VERBS.get(duty.kind, "Record review")


@dataclass(frozen=True)
class DutyActions:
    """What this person's roles let them do with one duty (ADR 7): pages offer only these."""

    record: bool
    not_required: bool


def duty_actions(duties: Iterable[Duty], roles: Iterable[str]) -> dict[int, DutyActions]:
    held = frozenset(roles)
    return {
        duty.pk: DutyActions(
            duty_permissions.may(held, "record", duty.kind),
            duty_permissions.may(held, "not_required", duty.kind),
        )
        for duty in duties
    }


# ---------------------------------------------------------------------------------------------
# Duties with their state at a moment
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DutyRow:
    duty: Duty
    state: str
    tag: Tag
    owner: str
    when: str = ""  # "2 hours 5 minutes overdue", "in 40 minutes"

    @property
    def is_open(self) -> bool:
        return self.state in {"due", "overdue"}


def how_long(delta: dt.timedelta) -> str:
    """A stretch of time as a ward says it: 40 minutes, 2 hours 5 minutes, 3 days."""
    minutes = max(int(delta.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} day{'s' if days != 1 else ''}" + (
            f" {hours} hour{'s' if hours != 1 else ''}" if hours and days < 3 else ""
        )
    if hours:
        return f"{hours} hour{'s' if hours != 1 else ''}" + (
            f" {mins} minute{'s' if mins != 1 else ''}" if mins else ""
        )
    return f"{mins} minute{'s' if mins != 1 else ''}"


def duty_row(duty: Duty, state: str, now: dt.datetime) -> DutyRow:
    when = ""
    if state == "overdue":
        when = f"{how_long(now - duty.due_at)} overdue"
    elif state == "due":
        when = f"in {how_long(duty.due_at - now)}"
    return DutyRow(
        duty,
        state,
        duty_tag(state, duty.due_at, now),
        ROLE_LABELS.get(duty.owner_role, duty.owner_role),
        when,
    )


def duty_rows(duties: Iterable[Duty], now: dt.datetime) -> list[DutyRow]:
    return [duty_row(duty, state_of(duty, now), now) for duty in duties]


# ---------------------------------------------------------------------------------------------
# The timeline: interventions and duties in time order
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    kind: str  # "intervention" or "duty"
    intervention: Intervention | None = None
    duty: DutyRow | None = None

    @property
    def sort_key(self) -> tuple[dt.datetime, int]:
        return (self.at, 0 if self.kind == "intervention" else 1)


def timeline(
    incident: Incident, interventions: Sequence[Intervention], duties: Sequence[DutyRow]
) -> list[TimelineEntry]:
    """Every intervention at its start and every duty at its due time, in time order. A
    draft's interventions with no start time yet come last."""
    timed = [i for i in interventions if i.started_at is not None]
    entries = [TimelineEntry(i.started_at, "intervention", intervention=i) for i in timed]  # type: ignore[arg-type]
    entries += [TimelineEntry(d.duty.due_at, "duty", duty=d) for d in duties]
    untimed = [
        TimelineEntry(incident.created_at, "intervention", intervention=i)
        for i in interventions if i.started_at is None
    ]
    return sorted(entries, key=lambda entry: entry.sort_key) + untimed


def same_day(first: dt.datetime | None, second: dt.datetime | None) -> bool:
    if first is None or second is None:
        return True
    return timezone.localtime(first).date() == timezone.localtime(second).date()


def prone_lines(interventions: Iterable[Intervention]) -> tuple[str, ...]:
    """Each prone restraint, how long it lasted and why it was used."""
    return tuple(
        f"Prone restraint for {_duration(i.duration_minutes)}: "
        f"{i.prone_reason or 'why prone was used is not recorded yet'}"
        for i in interventions
        if i.is_prone
    )


# ---------------------------------------------------------------------------------------------
# The Use of Force Act s.6(5) summary in plain English
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SummaryItem:
    letter: str
    question: str
    answer: str
    lines: tuple[str, ...] = field(default_factory=tuple)


_CHARACTERISTIC_LABELS: tuple[tuple[str, str, Any], ...] = (
    ("sex", "Sex", c.Sex),
    ("gender_same_as_birth", "Gender identity same as sex at birth", c.GenderSameAsBirth),
    ("ethnic_category", "Ethnic group", c.EthnicCategory),
    ("religion", "Religion or belief", c.Religion),
    ("sexual_orientation", "Sexual orientation", c.SexualOrientation),
    ("disability", "Disability", c.YesNoUnknown),
    ("pregnancy", "Pregnancy and maternity", c.Pregnancy),
    ("marital_status", "Marriage or civil partnership", c.MaritalStatus),
)


def _label(choices: Any, value: Any) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return "Not known" if value in (None, "") else str(value)


def _duration(minutes: float | None) -> str:
    if minutes is None:
        return "still going on"
    total = int(round(minutes))
    hours, mins = divmod(total, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if mins or not hours:
        parts.append(f"{mins} minute{'s' if mins != 1 else ''}")
    return " ".join(parts)


def _when(value: dt.datetime | None) -> str:
    if value is None:
        return "not recorded"
    local = timezone.localtime(value)
    return f"{local.day} {local:%B %Y}, {local:%H:%M}"


IN_CARE_PLAN_TEXT = {True: "Yes", False: "No", None: "Not known"}
NOT_ANSWERED = "Not answered yet"


def _unanswered(incident: Incident, question: str) -> bool:
    """A draft's question left unanswered (Incident.draft_answers): its field holds only the
    default, which must not read as an answer."""
    return incident.is_draft and (incident.draft_answers or {}).get(question, None) == ""


def harm_text(incident: Incident) -> str:
    return NOT_ANSWERED if _unanswered(incident, "harm") else str(incident.get_harm_display())


def act_summary(incident: Incident, *, show_name: bool) -> list[SummaryItem]:
    """Every item of Use of Force Act s.6(5), (a) to (p), as a nurse or an inspector reads it."""
    interventions = list(incident.interventions.all())
    staff = list(incident.staff.all())
    others = list(incident.others.all())
    snapshot = incident.patient_snapshot or {}
    patient = incident.patient
    reason = _label(codes.Reason, incident.reason) if incident.reason else "Not recorded yet"
    if incident.reason_detail:
        reason = f"{reason}: {incident.reason_detail}"
    ended = f", ended {timezone.localtime(incident.ended_at):%H:%M}" if incident.ended_at else ""
    if incident.ended_at and not same_day(incident.started_at, incident.ended_at):
        ended = f", ended {_when(incident.ended_at)}"
    place = (
        f"{incident.ward.name}. Started {_when(incident.started_at)}{ended}. "
        f"Lasted {_duration(incident.duration_minutes)}."
        if incident.started_at
        else f"{incident.ward.name}. Start time not recorded yet."
    )
    used_force = [s for s in staff if s.used_force]
    characteristics = []
    if "age" in snapshot:
        characteristics.append(f"Age {snapshot['age']} at the time")
    for key, label, choices in _CHARACTERISTIC_LABELS:
        if key in snapshot:
            characteristics.append(f"{label}: {_label(choices, snapshot[key])}")
    de_escalation = [_label(codes.DeEscalation, item) for item in incident.de_escalation]
    identifier = f"Local identifier {snapshot.get('local_id') or patient.local_id}"
    if patient.nhs_number:
        identifier += f", NHS number {patient.nhs_number_display}"
    return [
        SummaryItem("a", "Why force was used", reason),
        SummaryItem("b", "Where, when and for how long", place),
        SummaryItem(
            "c", "Types of force used", types_summary(interventions), prone_lines(interventions)
        ),
        SummaryItem(
            "d",
            "Were these types of force part of the patient's care plan?",
            NOT_ANSWERED
            if incident.in_care_plan is None and _unanswered(incident, "in_care_plan")
            else IN_CARE_PLAN_TEXT[incident.in_care_plan],
        ),
        SummaryItem(
            "e",
            "Patient's name",
            (patient.full_name or "Name not recorded")
            if show_name
            else "Shown to clinical staff only",
        ),
        SummaryItem("f", "How force was used", incident.description or "Not recorded yet"),
        SummaryItem("g", "Patient's identifier", identifier),
        SummaryItem(
            "h",
            "Staff who used force",
            "" if used_force else "None recorded yet",
            tuple(", ".join(p for p in (s.name, s.job_title) if p) for s in used_force),
        ),
        SummaryItem(
            "i",
            "People involved who were not ward staff, and why",
            "" if others else "Nobody else was involved",
            tuple(
                f"{o.get_kind_display()}{' (' + o.name + ')' if o.name else ''}: {o.reason}"
                for o in others
            ),
        ),
        SummaryItem(
            "j",
            "Patient's mental disorder",
            _label(c.MentalDisorder, snapshot.get("mental_disorder")),
        ),
        SummaryItem("k", "Patient's relevant characteristics", "", tuple(characteristics)),
        SummaryItem(
            "l",
            "Learning disability or autism",
            _label(c.LearningDisabilityAutism, snapshot.get("learning_disability_autism")),
        ),
        SummaryItem("m", "Outcome", incident.outcome or "Not recorded yet"),
        SummaryItem(
            "n",
            "Did the patient die or suffer a serious injury as a result?",
            NOT_ANSWERED
            if _unanswered(incident, "death_or_serious_injury")
            else "Yes" if incident.death_or_serious_injury else "No",
        ),
        SummaryItem(
            "o",
            "What was tried to avoid using force",
            # The form writes the ticked list as the words when nothing else was typed.
            ""
            if incident.efforts_to_avoid == "; ".join(de_escalation)
            else incident.efforts_to_avoid,
            tuple(de_escalation),
        ),
        SummaryItem(
            "p",
            "Was the person named in the care plan told?",
            _label(codes.Notification, incident.notification),
        ),
    ]


# ---------------------------------------------------------------------------------------------
# Versions: who changed what, when and why
# ---------------------------------------------------------------------------------------------

FIELD_NAMES: dict[str, str] = {
    "ward": "ward",
    "patient": "patient",
    "started_at": "start time",
    "ended_at": "end time",
    "reason": "reason",
    "reason_detail": "reason details",
    "description": "how force was used",
    "de_escalation": "de-escalation tried",
    "efforts_to_avoid": "what was tried to avoid force",
    "in_care_plan": "in the care plan",
    "outcome": "outcome",
    "death_or_serious_injury": "death or serious injury",
    "notification": "notification",
    "planned": "planned",
    "negligible": "negligible force",
    "harm": "harm",
    "psychological_harm": "psychological harm",
    "interventions": "types of force and times",
    "staff": "staff involved",
    "others": "others involved",
    "injuries": "injuries",
}


def _comparable(record: dict[str, Any], name: str) -> Any:
    value = record.get(name)
    if name == "interventions" and isinstance(value, list):
        # Stored ids change on every save: compare what a person entered.
        return [{k: v for k, v in item.items() if k != "id"} for item in value]
    return value


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """The parts of the record a change touched, in words."""
    return [
        label
        for name, label in FIELD_NAMES.items()
        if _comparable(before, name) != _comparable(after, name)
    ]


@dataclass(frozen=True)
class VersionRow:
    version: int
    changed_at: dt.datetime
    changed_by: str
    reason: str
    changes: list[str]


def version_rows(incident: Incident, current: dict[str, Any]) -> list[VersionRow]:
    """Newest first. Version N+1 was made from version N by the change recorded with N."""
    versions = list(incident.versions.select_related("changed_by").order_by("version"))
    rows = []
    for position, version in enumerate(versions):
        after = versions[position + 1].record if position + 1 < len(versions) else current
        who = version.changed_by
        rows.append(
            VersionRow(
                version=version.version + 1,
                changed_at=version.changed_at,
                changed_by=(who.get_full_name() or who.get_username()) if who else "The system",
                reason=version.change_reason,
                changes=changed_fields(version.record, after),
            )
        )
    return list(reversed(rows))


def observation_summary(observation: Any) -> str:
    """'Pulse 92, blood pressure 128/84, breathing rate 18, ...' as recorded."""
    o = observation
    parts = []
    if o.pulse is not None:
        parts.append(f"pulse {o.pulse}")
    if o.bp_systolic is not None:
        diastolic = o.bp_diastolic if o.bp_diastolic is not None else "–"
        parts.append(f"blood pressure {o.bp_systolic}/{diastolic}")
    if o.respiratory_rate is not None:
        parts.append(f"breathing rate {o.respiratory_rate}")
    if o.temperature is not None:
        parts.append(f"temperature {o.temperature}°C")
    if o.spo2 is not None:
        parts.append(f"SpO2 {o.spo2}%")
    if o.consciousness:
        parts.append(o.get_consciousness_display().lower())
    if o.hydration:
        parts.append(f"fluids and food: {o.hydration}")
    text = ", ".join(parts)
    return text[:1].upper() + text[1:]


def person_name(user: Any) -> str:
    if user is None:
        return "the system"
    return str(user.get_full_name() or user.get_username())


# ---------------------------------------------------------------------------------------------
# A ward's page: what is due now and its latest uses of force
# ---------------------------------------------------------------------------------------------

WARD_DUTIES_SHOWN = 8
WARD_INCIDENTS_SHOWN = 8


@dataclass(frozen=True)
class ListedIncident:
    """One row of a short list of uses of force (ward page, patient page)."""

    incident: Incident
    types: str
    tags: tuple[Tag, ...]


def listed(incidents: Iterable[Incident], now: dt.datetime | None = None) -> list[ListedIncident]:
    now = now or timezone.now()
    return [
        ListedIncident(incident, types_summary(incident.interventions.all()),
                       record_tags(incident, now))
        for incident in incidents
    ]


@dataclass(frozen=True)
class WorklistRow:
    row: DutyRow
    href: str
    verb: str

    def may_record(self, roles: Iterable[str]) -> bool:
        """Whether these roles may follow the link (ADR 7), for a page that lists duties: the
        ward page shows the link only then."""
        return duty_permissions.may(frozenset(roles), "record", self.row.duty.kind)

    def who_records(self) -> str:
        return duty_permissions.who_records(self.row.duty.kind)


def ward_summary(organisation: Any, ward: Any, *, now: dt.datetime) -> dict[str, Any]:
    """For the ward page: the soonest open duties (overdue first) and the latest records."""
    from rrp.incidents.selectors import incidents_of, open_duties

    entries = open_duties(organisation, now=now, ward=ward.code)
    duties = [
        WorklistRow(
            duty_row(e.duty, e.state, now),
            follow_up_url(e.duty),
            follow_up_verb(e.duty),
        )
        for e in entries[:WARD_DUTIES_SHOWN]
    ]
    recent = incidents_of(organisation, ward=ward.code).prefetch_related("interventions")
    # Every draft on the ward first, oldest first, however old: each is a record the Use of
    # Force Act still needs made (issue 10); then the latest submitted records.
    drafts = list(recent.filter(status=codes.Status.DRAFT, entered_in_error_at__isnull=True)
                  .order_by("created_at", "pk"))
    latest = recent.exclude(pk__in=[d.pk for d in drafts]).order_by("-started_at", "-pk")
    return {
        "ward_duties": duties,
        "ward_duties_total": len(entries),
        "ward_duties_overdue": sum(1 for e in entries if e.state == "overdue"),
        "ward_incidents": listed([*drafts, *latest[:WARD_INCIDENTS_SHOWN]], now),
        "ward_drafts": listed(drafts, now),
    }


# ---------------------------------------------------------------------------------------------
# The recording form and the patient's safety plan (issue 6)
# ---------------------------------------------------------------------------------------------


def warning_key(warning: RestraintWarning) -> str:
    """Names one warning across requests ("01:position_risk"), so the form knows which ones the
    person recording has already been shown."""
    return f"{warning.intervention_code}:{warning.rule}"


def _words(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


@dataclass(frozen=True)
class PlanCheck:
    """What the patient's safety plan says about the use of force being recorded: the plan
    itself (shown first on the form), its warnings (shown, never blocking: standard 2.3.V "unless
    the presenting risk does not allow this") and its answer to Use of Force Act s.6(5)(d)
    "whether those types formed part of the patient's care plan" (None: the person recording
    answers, because there is no plan in RRP or no type of force recorded yet)."""

    patient: Any = None  # Patient, or None until one is chosen
    plan: Any = None  # careplans SafetyPlanVersion in force at the time, or None
    warnings: tuple[RestraintWarning, ...] = ()
    answer: bool | None = None
    not_in_plan: tuple[str, ...] = ()  # codes used that the plan does not agree

    @property
    def asks_question(self) -> bool:
        """The s.6(5)(d) question is asked only when there is no plan to answer it."""
        return self.plan is None

    @property
    def named_to_tell(self) -> str:
        """Who the plan names to be told after force is used (Use of Force Act s.6(5)(p)):
        blank when there is no plan, or when the plan names nobody."""
        return (self.plan.notify_after_force or "").strip() if self.plan is not None else ""

    @property
    def notification_mode(self) -> str:
        """How s.6(5)(p) is put on the form: "question" (no plan in RRP: was the person
        named in the care plan told, or is nobody named), "named" (was this person told) or
        "answer" (the plan names nobody: nothing to choose)."""
        if self.plan is None:
            return "question"
        return "named" if self.named_to_tell else "answer"

    @property
    def warning_keys(self) -> list[str]:
        return [warning_key(w) for w in self.warnings]

    def unseen(self, seen: Iterable[str]) -> list[RestraintWarning]:
        shown = set(seen)
        return [w for w in self.warnings if warning_key(w) not in shown]

    @property
    def agreed_text(self) -> str:
        """The interventions the plan agrees, as a sentence."""
        if self.plan is None:
            return ""
        preferred = [INTERVENTION_NAMES.get(c, c) for c in self.plan.preferred_interventions]
        last_resort = [INTERVENTION_NAMES.get(c, c) for c in self.plan.less_preferred_interventions]
        if not preferred and not last_resort:
            return "The plan agrees no restrictive intervention."
        if not last_resort:
            return f"The plan agrees {_words(preferred)}."
        if not preferred:
            return f"The plan agrees {_words(last_resort)} only as a last resort."
        return f"The plan agrees {_words(preferred)}; as a last resort, {_words(last_resort)}."

    @property
    def answer_text(self) -> str:
        """The plan's answer in words, or how it will be answered when no type is recorded."""
        if self.answer is True:
            return "Yes: every type of force recorded is one the plan agrees."
        if self.answer is False:
            names = [INTERVENTION_NAMES.get(c, c) for c in self.not_in_plan]
            verb = "is" if len(names) == 1 else "are"
            return f"No: {_words(names)} {verb} not agreed in the plan."
        return (
            "Answered from the plan when you submit: yes if every type of force you record "
            "is one the plan agrees, otherwise no."
        )


NO_PLAN_CHECK = PlanCheck()


def plan_check(patient: Any, *, moment: dt.datetime | None, type_codes: Iterable[str]) -> PlanCheck:
    """The plan in force when the use of force started (the current one while no time is
    known yet) and what it says about these MHSDS intervention type codes."""
    if patient is None:
        return NO_PLAN_CHECK
    from rrp.careplans.selectors import current_safety_plan, safety_plan_at

    plan = safety_plan_at(patient, moment) if moment else current_safety_plan(patient)
    used = [code for code in type_codes if code]
    return PlanCheck(
        patient=patient,
        plan=plan,
        warnings=tuple(restraint_warnings(plan, used)),
        answer=types_in_plan(plan, used),
        not_in_plan=tuple(codes_not_in_plan(plan, used)),
    )


# ---------------------------------------------------------------------------------------------
# Training on the day (issue 13; standard 1.5.V)
# ---------------------------------------------------------------------------------------------

_TRAINING_WORDS = {
    "in_date": "in date",
    "expiring": "in date, running out soon",
    "expired": "expired",
    "never": "never trained",
}


def _long_day(text: str | None) -> str:
    if not text:
        return ""
    day = dt.date.fromisoformat(text)
    return f"{day.day} {day:%B %Y}"


def training_lines(training: Iterable[dict[str, Any]] | None) -> list[str]:
    """Each course of a training snapshot as a line: "RRN-L2 Physical skills: in date (to 12
    March 2027)". Courses the person did not need that day are marked so."""
    lines = []
    for course in training or ():
        words = _TRAINING_WORDS.get(str(course.get("status")), str(course.get("status")))
        expires = course.get("expires_on")
        if expires and course.get("status") != "never":
            words += f" ({'ran out' if course.get('status') == 'expired' else 'to'} "
            words += f"{_long_day(expires)})"
        needed = "" if course.get("required") else " (not needed in their role)"
        lines.append(f"{course.get('course')} {course.get('title')}: {words}{needed}")
    return lines


def training_notes_of(incident: Incident, staff: Iterable[Any]) -> list[Any]:
    """The notes for the record as kept: who applied a physical technique while out of date."""
    from rrp.incidents.training_notes import training_notes

    return training_notes(
        ((s.name, s.role, s.training_on_the_day) for s in staff),
        [i.type_code for i in incident.interventions.all()],
    )
