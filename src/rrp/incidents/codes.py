"""Codes a use of force record carries: MHSDS v5/v6 restrictive intervention codes and the
local lists RRP adds. The codes and their labels come from the MHSDS technical output
specification (docs/sources/mhsds-restrictive-interventions.md)."""

from __future__ import annotations

from django.db import models

from rrp.incidents import duty_rules


class InterventionType(models.TextChoices):
    """MHSDS RestrictiveIntType. Position is carried by the physical restraint code."""

    PRONE = "01", "Physical restraint - Prone"
    MECHANICAL = "04", "Mechanical restraint"
    SECLUSION = "05", "Seclusion"
    SEGREGATION = "06", "Segregation"
    STANDING = "07", "Physical restraint - Standing"
    RESTRICTIVE_ESCORT = "08", "Physical restraint - Restrictive escort"
    SUPINE = "09", "Physical restraint - Supine"
    SIDE = "10", "Physical restraint - Side"
    SEATED = "11", "Physical restraint - Seated"
    KNEELING = "12", "Physical restraint - Kneeling"
    PHYSICAL_OTHER = "13", "Physical restraint - Other (not listed)"
    RAPID_TRANQUILLISATION = "14", "Chemical restraint - Injection (Rapid Tranquillisation)"
    INJECTION_NON_RT = "15", "Chemical restraint - Injection (Non Rapid Tranquillisation)"
    ORAL = "16", "Chemical restraint - Oral"
    CHEMICAL_OTHER = "17", "Chemical restraint - Other (not listed)"


PHYSICAL_CODES = duty_rules.PHYSICAL_RESTRAINT_CODES
CHEMICAL_CODES = duty_rules.CHEMICAL_RESTRAINT_CODES
ISOLATION_CODES = duty_rules.SECLUSION_CODES | duty_rules.SEGREGATION_CODES
# Use of Force Act guidance: mechanical, chemical, seclusion and segregation are never negligible.
NEVER_NEGLIGIBLE_CODES = frozenset({"04"}) | CHEMICAL_CODES | ISOLATION_CODES


class Reason(models.TextChoices):
    """MHSDS RestrictiveIntReason."""

    VIOLENCE_TO_OTHERS = "10", "Prevent a patient being violent to others"
    HARM_TO_SELF = "11", "Prevent a patient causing serious intentional harm to themselves"
    ACCIDENTAL_INJURY = (
        "12",
        "Prevent a patient causing serious physical injury to themselves by accident",
    )
    MEDICAL_TREATMENT = "13", "Lawfully administer medicines or other medical treatment"
    PERSONAL_CARE = "14", "Facilitate personal care"
    NG_FEEDING = "15", "Facilitate nasogastric (NG) feeding"
    OVER_ACTIVITY = "16", "Prevent the patient exhibiting extreme and prolonged over-activity"
    DANGEROUS_BEHAVIOUR = "17", "Prevent the patient exhibiting otherwise dangerous behaviour"
    SEARCH = (
        "18",
        "Undertake a search of the patient's clothing or property to ensure the safety of others",
    )
    ABSCONDING = "19", "Prevent the patient absconding from lawful custody"
    OTHER = "98", "Other (not listed)"
    NOT_KNOWN = "99", "Not known (not recorded)"


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    REVIEWED = "reviewed", "Reviewed"
    CLOSED = "closed", "Closed"


class Notification(models.TextChoices):
    """Use of Force Act s.6(5)(p): was the person named in the care plan told?"""

    YES = "yes", "Yes, the person named in the care plan was told"
    NO = "no", "No, not yet"
    NOT_APPLICABLE = "not_applicable", "Nobody is named in the care plan"


class Harm(models.TextChoices):
    """Degree of harm, as the NHS national patient safety framework grades it."""

    NONE = "none", "No harm"
    LOW = "low", "Low harm"
    MODERATE = "moderate", "Moderate harm"
    SEVERE = "severe", "Severe harm"
    FATAL = "fatal", "Fatal"


class PsychologicalHarm(models.TextChoices):
    NONE = "none", "None apparent"
    LOW = "low", "Low"
    MODERATE = "moderate", "Moderate"
    SEVERE = "severe", "Severe"
    NOT_KNOWN = "not_known", "Not known yet"


class DeEscalation(models.TextChoices):
    """Efforts made to avoid force (s.6(5)(o)); the checklist draws on the standard's primary
    and secondary strategies (section 2.3) and NICE NG10."""

    VERBAL = "verbal", "Verbal de-escalation: calm talking, listening, negotiating"
    SPACE = "space", "Giving space or time out, reducing stimulation"
    DISTRACTION = "distraction", "Distraction or diversion to another activity"
    SAFETY_PLAN = "safety_plan", "Using the person's own safety plan strategies"
    FAMILIAR_STAFF = "familiar_staff", "A staff member the person trusts took the lead"
    PRN_OFFERED = "prn_offered", "Oral 'as needed' medication offered"
    NEEDS_MET = "needs_met", "Meeting an unmet need (pain, hunger, noise, waiting)"
    SENSORY = "sensory", "Sensory strategies"
    OBSERVATION = "observation", "Increased observation and engagement"
    NONE_POSSIBLE = "none_possible", "No time to try: immediate risk of serious harm"


class StaffRole(models.TextChoices):
    """What each person did. 3.4.2.XXII asks for one named person monitoring wellbeing."""

    LEAD = "lead", "Team lead, giving instructions"
    HEAD_AIRWAY = "head_airway", "Supporting the head and monitoring the airway"
    MONITORING = "monitoring_wellbeing", "Monitoring physical and psychological wellbeing"
    UPPER_LIMBS = "upper_limbs", "Holding an arm or upper body"
    LOWER_LIMBS = "lower_limbs", "Holding the legs"
    MEDICATION = "medication", "Prescribing or giving medication"
    OBSERVER = "observer", "Present, did not use force"
    OTHER = "other", "Other"


NO_FORCE_ROLES = frozenset({StaffRole.OBSERVER, StaffRole.MONITORING})

# The roles that apply or direct a physical technique, which physical skills training teaches
# (standard 3.4.2; 1.5.V asks whether the staff who held the patient were trained): the holds
# themselves, and the team lead who directs them. Giving medication, monitoring wellbeing,
# observing and "other" are not a physical technique.
PHYSICAL_HOLD_ROLES = frozenset(
    {StaffRole.LEAD, StaffRole.HEAD_AIRWAY, StaffRole.UPPER_LIMBS, StaffRole.LOWER_LIMBS}
)


class OtherPersonKind(models.TextChoices):
    POLICE = "police", "Police"
    SECURITY = "security", "Security staff"
    AMBULANCE = "ambulance", "Ambulance or paramedics"
    OTHER_AGENCY = "other_agency", "Another agency"
    OTHER = "other", "Other person"


class InjuredPerson(models.TextChoices):
    """MHSDS RestraintInjuryPatient / CarePers / OtherPers."""

    PATIENT = "patient", "Patient"
    STAFF = "staff", "Member of staff"
    OTHER = "other", "Other person"


class InjurySeverity(models.TextChoices):
    MINOR = "minor", "Minor (first aid or none)"
    MODERATE = "moderate", "Moderate (needed medical treatment)"
    SERIOUS = "serious", "Serious (hospital treatment, fracture or lasting harm)"


class Route(models.TextChoices):
    INTRAMUSCULAR = "im", "Intramuscular injection"
    INTRAVENOUS = "iv", "Intravenous injection"
    ORAL = "oral", "By mouth"
    OTHER = "other", "Other route"


class Consciousness(models.TextChoices):
    """ACVPU, as NEWS2 records it."""

    ALERT = "A", "Alert"
    CONFUSION = "C", "New confusion"
    VOICE = "V", "Responds to voice"
    PAIN = "P", "Responds to pain"
    UNRESPONSIVE = "U", "Unresponsive"


class NotHeldReason(models.TextChoices):
    """Why a post-incident support or review was not held with the patient
    (RestrictiveIntPIReviewNotHeldReasPat; the standard names refusal and risk of crisis)."""

    DECLINED = "01", "The patient declined"
    RISK_OF_CRISIS = "02", "Holding it would risk triggering a crisis"
    NOT_WELL_ENOUGH = "03", "The patient was not well enough"
    LEFT_WARD = "04", "The patient left the ward or was discharged"
    OTHER = "98", "Other reason"


class AccountResponse(models.TextChoices):
    """The patient's own account (standard 1.6.IV): an offer, never compulsory."""

    ACCEPTED = "accepted", "Accepted: gave their account"
    DECLINED = "declined", "Declined"
    LATER = "later", "Would like to give it later"


class ReviewKind(models.TextChoices):
    """Reviews recorded against a duty of the same name (see duty_rules.DutyKind)."""

    MECHANICAL = "mechanical_restraint_review", "Medical review during mechanical restraint"
    SECLUSION_NURSING = "seclusion_nursing_review", "Seclusion nursing review"
    SECLUSION_MEDICAL = "seclusion_medical_review", "Seclusion medical review"
    SECLUSION_MDT = "seclusion_mdt_review", "Independent multidisciplinary seclusion review"
    SEGREGATION_CLINICIAN = (
        "segregation_clinician_review",
        "Segregation review by the approved clinician",
    )
    SEGREGATION_MDT = "segregation_mdt_review", "Segregation multidisciplinary review"
    CARE_PLAN = "care_plan_review", "Care plan and risk assessment review"


def category(code: str) -> str:
    """physical, mechanical, seclusion, segregation or chemical (duty_rules is the source)."""
    return str(duty_rules.category(code))
