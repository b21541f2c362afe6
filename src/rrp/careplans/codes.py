"""Coded lists a risk assessment, a safety plan and a physical health check carry.

The physical health risk factors for restraint are the conditions section 2.5 of the standard
names ("conditions which impact on cardio-pulmonary function including prolonged QTc interval,
or muscle and joint impairment, eg asthma, acute stimulant intoxication, large muscle bulk ...,
heart disease, obesity, medication, arthritis, high blood pressure, diabetes or propensity for
using illicit drugs and/or alcohol, and pregnancy. The risk of fracture may be increased in
schizophrenia."). The codes are a contract (API, stored plans): never renumber them.
"""

from __future__ import annotations

from django.db import models

from rrp.careplans import warnings as w


class RiskFactor(models.TextChoices):
    """Physical health risk factors for restraint (standard 2.3.XIV, 2.5, 2.5.1.VI-VII)."""

    PROLONGED_QTC = w.PROLONGED_QTC, w.RISK_FACTOR_LABELS[w.PROLONGED_QTC]
    RESPIRATORY = w.RESPIRATORY, w.RISK_FACTOR_LABELS[w.RESPIRATORY]
    HEART_DISEASE = w.HEART_DISEASE, w.RISK_FACTOR_LABELS[w.HEART_DISEASE]
    OBESITY = w.OBESITY, w.RISK_FACTOR_LABELS[w.OBESITY]
    LARGE_MUSCLE_BULK = w.LARGE_MUSCLE_BULK, w.RISK_FACTOR_LABELS[w.LARGE_MUSCLE_BULK]
    STIMULANT_INTOXICATION = (
        w.STIMULANT_INTOXICATION,
        w.RISK_FACTOR_LABELS[w.STIMULANT_INTOXICATION],
    )
    DRUGS_ALCOHOL = w.DRUGS_ALCOHOL, w.RISK_FACTOR_LABELS[w.DRUGS_ALCOHOL]
    HIGH_BLOOD_PRESSURE = w.HIGH_BLOOD_PRESSURE, w.RISK_FACTOR_LABELS[w.HIGH_BLOOD_PRESSURE]
    DIABETES = w.DIABETES, w.RISK_FACTOR_LABELS[w.DIABETES]
    JOINT_IMPAIRMENT = w.JOINT_IMPAIRMENT, w.RISK_FACTOR_LABELS[w.JOINT_IMPAIRMENT]
    PREGNANCY = w.PREGNANCY, w.RISK_FACTOR_LABELS[w.PREGNANCY]
    FRACTURE_RISK = w.FRACTURE_RISK, w.RISK_FACTOR_LABELS[w.FRACTURE_RISK]
    MEDICATION = w.MEDICATION, w.RISK_FACTOR_LABELS[w.MEDICATION]


class PlanOccasion(models.TextChoices):
    """Why this version of the plan was written (standard 2.2.I, 2.2.V, 2.3.XVIII)."""

    FIRST = "first", "First plan for this person"
    ADMISSION = "admission", "On admission"
    SCHEDULED = "scheduled", "Review on the planned date"
    AFTER_INCIDENT = "after_incident", "After a use of force or another significant event"
    RISK_CHANGED = "risk_changed", "The level of risk changed or there is new information"
    PERSON_ASKED = "person_asked", "The person or their carer asked for a review"


class Participation(models.TextChoices):
    """Did the person take part in writing the plan (standard 2.3.I co-production)."""

    YES = "yes", "Yes, the person took part"
    DECLINED = "declined", "No, the person did not want to take part this time"
    NOT_ABLE = "not_able", "No, the person was not well enough to take part this time"


class CarerParticipation(models.TextChoices):
    """Family or carer involvement, 'where appropriate' (standard 2.2.II, 2.3.I)."""

    YES = "yes", "Yes, a family member or carer took part"
    NO = "no", "No, they were not able to take part this time"
    PERSON_DECLINED = "person_declined", "No, the person did not want them involved"
    NOT_APPROPRIATE = "not_appropriate", "Not appropriate, or there is no family member or carer"


# ---------------------------------------------------------------------------------------------
# Risk assessment (standard 2.2)
# ---------------------------------------------------------------------------------------------


class AssessmentOccasion(models.TextChoices):
    """Standard 2.2.I: on admission and after significant events or new information."""

    ADMISSION = "admission", "On admission"
    AFTER_INCIDENT = "after_incident", "After a use of force or another significant event"
    NEW_INFORMATION = "new_information", "New information"
    SCHEDULED = "scheduled", "Review on the planned date"


class RiskLevel(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    NOT_ASSESSED = "not_assessed", "Not assessed this time"


class InformationSource(models.TextChoices):
    """Standard 2.2.I: 'as wide a set of sources of information as possible'."""

    PERSON = "person", "The person themselves"
    CARER = "carer", "Family or carer"
    CLINICAL_RECORDS = "records", "Previous clinical records"
    CARE_TEAM = "care_team", "Community or previous care team"
    GP = "gp", "GP or physical health records"
    POLICE_MAPPA = "police_mappa", "Police, probation or MAPPA"
    SOCIAL_CARE = "social_care", "Social care or education"
    OBSERVATION = "observation", "Observation on the ward"
    OTHER = "other", "Other source"


class CommunicatedTo(models.TextChoices):
    """Standard 2.2.III: findings communicated to all relevant staff and other agencies."""

    MDT = "mdt", "The whole multidisciplinary team"
    WARD_TEAM = "ward_team", "The ward nursing team at handover"
    PERSON = "person", "The person"
    CARER = "carer", "Family or carer"
    COMMUNITY_TEAM = "community_team", "Community team or GP"
    OTHER_AGENCIES = "other_agencies", "Other agencies, such as MAPPA"


# ---------------------------------------------------------------------------------------------
# Physical health preparedness (standard 2.5.1)
# ---------------------------------------------------------------------------------------------


class HealthCheckKind(models.TextChoices):
    EXAMINATION = "examination", "Physical examination on admission"
    CAPACITY_PRN = "capacity_prn", "Capacity assessment for ‘as needed’ medication"
    MEDICATION_REVIEW = "medication_review", "Medication review"


class ExaminationOutcome(models.TextChoices):
    EXAMINED = "examined", "Examined and physical needs assessed"
    DECLINED = "declined", "The person declined the examination"
    NOT_POSSIBLE = "not_possible", "Not possible at the time"


class CapacityOutcome(models.TextChoices):
    """Mental Capacity Act 2005 decision about 'as needed' medication (standard 2.5.1.V)."""

    HAS_CAPACITY = "has_capacity", "Has capacity to decide about ‘as needed’ medication"
    LACKS_CAPACITY = "lacks_capacity", "Lacks capacity to decide about ‘as needed’ medication"
    FLUCTUATING = "fluctuating", "Capacity fluctuates: assess at each offer"


class MedicationReviewOutcome(models.TextChoices):
    NO_CHANGE = "no_change", "No change"
    REDUCED = "reduced", "Reduced or stopped a medicine"
    CHANGED = "changed", "Changed a medicine"
    STARTED = "started", "Started a medicine"


class ReviewState(models.TextChoices):
    """Where a dated record stands against its review or due date (see due_rules.py)."""

    IN_DATE = "in_date", "In date"
    DUE_SOON = "due_soon", "Review due soon"
    OVERDUE = "overdue", "Review overdue"
    MISSING = "missing", "Not recorded"
