"""Who may meet a duty that follows a use of force, and who may mark it not required
(docs/adr/0007-who-may-act-on-a-duty.md).

Pure: the roles a person holds in the duty's organisation and the duty's kind in, yes or no
out. The services enforce it (the one place, so pages and API obey alike); the pages ask the
same questions to offer only the actions a person can take.

- A duty is met or marked not required by its owner role (duty_rules.DUTY_OWNERS) or by the
  restrictive practice lead, who oversees every duty.
- A ward manager, the registered nurse leading the ward team, may also do what ward staff do.
- A medical review (standard 2.5.2.XI, XII; MHA Code of Practice ch.26) is recorded only by a
  doctor: nobody else can say what a doctor found. The lead may still mark one not required,
  with the reason.
- The care plan review (standard 2.2.V) is met by whoever signs the reviewed safety plan, and
  any clinical role may write safety plans (careplans), so any clinical role may record it.
- Wards do not limit any of this: staff cover other wards on a shift, so a clinical member of
  the organisation may act on any of its wards; the record names who did (ADR 7).
"""

from __future__ import annotations

from typing import Final, Literal

from rrp.incidents.duty_rules import DUTY_OWNERS

Action = Literal["record", "not_required"]

WARD_STAFF = "ward_staff"
WARD_MANAGER = "ward_manager"
DOCTOR = "doctor"
RRP_LEAD = "rrp_lead"
CLINICAL: Final = frozenset({WARD_STAFF, WARD_MANAGER, DOCTOR, RRP_LEAD})

# Every kind of medical review: only a doctor records one.
MEDICAL_REVIEW_KINDS: Final = frozenset(
    {"medical_review", "mechanical_restraint_review", "seclusion_medical_review"}
)

# Who may act on a duty owned by each role.
_ACTING_FOR: Final[dict[str, frozenset[str]]] = {
    WARD_STAFF: frozenset({WARD_STAFF, WARD_MANAGER, RRP_LEAD}),
    WARD_MANAGER: frozenset({WARD_MANAGER, RRP_LEAD}),
    DOCTOR: frozenset({DOCTOR, RRP_LEAD}),
    RRP_LEAD: frozenset({RRP_LEAD}),
}

_ROLE_NAMES: Final = {
    WARD_STAFF: "ward staff",
    WARD_MANAGER: "a ward manager",
    DOCTOR: "a doctor",
    RRP_LEAD: "the restrictive practice lead",
}

# The duty as a sentence names it: "Only a doctor can record a medical review".
_WHAT: Final[dict[str, str]] = {
    "medical_review": "a medical review",
    "mechanical_restraint_review": "a medical review during mechanical restraint",
    "seclusion_medical_review": "a seclusion medical review",
    "physical_observations": "physical observations",
    "rapid_tranquillisation_monitoring": "a rapid tranquillisation check",
    "seclusion_nursing_review": "a seclusion nursing review",
    "seclusion_mdt_review": "an independent multidisciplinary seclusion review",
    "segregation_clinician_review": "a segregation review by the approved clinician",
    "segregation_mdt_review": "a multidisciplinary segregation review",
    "post_incident_support_patient": "post-incident support for the patient",
    "post_incident_support_staff": "post-incident support for staff",
    "post_incident_review": "the post-incident reflection and learning review",
    "patient_account_offer": "the offer of the patient's own account",
    "care_plan_review": "the care plan review",
}


def owner_of(kind: str) -> str:
    return DUTY_OWNERS.get(kind, WARD_STAFF)  # type: ignore[call-overload, no-any-return]


def roles_that_may(action: Action, kind: str) -> frozenset[str]:
    """The roles that may record what meets a duty of this kind, or mark one not required."""
    if action == "record" and kind in MEDICAL_REVIEW_KINDS:
        return frozenset({DOCTOR})
    if action == "record" and kind == "care_plan_review":
        return CLINICAL
    return _ACTING_FOR[owner_of(kind)]


def may(roles: frozenset[str] | set[str], action: Action, kind: str) -> bool:
    return bool(set(roles) & roles_that_may(action, kind))


def _names(roles: frozenset[str]) -> str:
    ordered = [_ROLE_NAMES[r] for r in (WARD_STAFF, WARD_MANAGER, DOCTOR, RRP_LEAD) if r in roles]
    if len(ordered) == 1:
        return ordered[0]
    return ", ".join(ordered[:-1]) + " or " + ordered[-1]


def who_records(kind: str) -> str:
    """Short, for a list: 'A doctor records this', 'A ward manager records this'."""
    if roles_that_may("record", kind) == CLINICAL:
        return "Clinical staff record this"
    who = _ROLE_NAMES[owner_of(kind)]
    verb = "record" if owner_of(kind) == WARD_STAFF else "records"
    return f"{who[:1].upper()}{who[1:]} {verb} this"


def who_may(action: Action, kind: str) -> str:
    """'a doctor', 'ward staff, a ward manager or the restrictive practice lead'."""
    allowed = roles_that_may(action, kind)
    return "clinical staff" if allowed == CLINICAL else _names(allowed)


def refusal(action: Action, kind: str) -> str:
    """The sentence a person is shown when their role may not do this."""
    what = _WHAT.get(kind, "this duty")
    who = who_may(action, kind)
    if action == "record":
        return f"Only {who} can record {what}. Your role does not allow it."
    return f"Only {who} can mark {what} as not required. Your role does not allow it."
