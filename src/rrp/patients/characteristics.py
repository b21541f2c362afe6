"""Coded protected characteristics and clinical facts the Use of Force Act s.6(5)(j)-(l) asks
every record to carry. Every list offers "not known" and "prefers not to say", because a
record must never force a guess about a person."""

from __future__ import annotations

from django.db import models

NOT_KNOWN = "not_known"
PREFERS_NOT_TO_SAY = "prefers_not_to_say"


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    NOT_KNOWN = NOT_KNOWN, "Not known"
    PREFERS_NOT_TO_SAY = PREFERS_NOT_TO_SAY, "Prefers not to say"


class GenderSameAsBirth(models.TextChoices):
    """Equality Act 'gender reassignment', asked the ONS census way."""

    YES = "yes", "Yes, gender identity is the same as sex registered at birth"
    NO = "no", "No, gender identity is different from sex registered at birth"
    NOT_KNOWN = NOT_KNOWN, "Not known"
    PREFERS_NOT_TO_SAY = PREFERS_NOT_TO_SAY, "Prefers not to say"


class EthnicCategory(models.TextChoices):
    """NHS Data Dictionary ETHNIC CATEGORY (2001 census) codes, as the MHSDS carries them."""

    A = "A", "White - British"
    B = "B", "White - Irish"
    C = "C", "White - Any other White background"
    D = "D", "Mixed - White and Black Caribbean"
    E = "E", "Mixed - White and Black African"
    F = "F", "Mixed - White and Asian"
    G = "G", "Mixed - Any other mixed background"
    H = "H", "Asian or Asian British - Indian"
    J = "J", "Asian or Asian British - Pakistani"
    K = "K", "Asian or Asian British - Bangladeshi"
    L = "L", "Asian or Asian British - Any other Asian background"
    M = "M", "Black or Black British - Caribbean"
    N = "N", "Black or Black British - African"
    P = "P", "Black or Black British - Any other Black background"
    R = "R", "Other ethnic groups - Chinese"
    S = "S", "Other ethnic groups - Any other ethnic group"
    Z = "Z", "Not stated (prefers not to say)"
    NOT_KNOWN = "99", "Not known"


# The upper-level groups NHS England publishes restrictive intervention figures by.
ETHNIC_GROUP = {
    **dict.fromkeys("ABC", "White"),
    **dict.fromkeys("DEFG", "Mixed"),
    **dict.fromkeys("HJKL", "Asian or Asian British"),
    **dict.fromkeys("MNP", "Black or Black British"),
    **dict.fromkeys("RS", "Other ethnic groups"),
    "Z": "Not stated",
    "99": "Not known",
}


class SexualOrientation(models.TextChoices):
    """NHS Sexual Orientation Monitoring (SCCI2094) categories."""

    HETEROSEXUAL = "heterosexual", "Heterosexual or straight"
    GAY_LESBIAN = "gay_lesbian", "Gay or lesbian"
    BISEXUAL = "bisexual", "Bisexual"
    OTHER = "other", "Other sexual orientation"
    NOT_KNOWN = NOT_KNOWN, "Not known"
    PREFERS_NOT_TO_SAY = PREFERS_NOT_TO_SAY, "Prefers not to say"


class Religion(models.TextChoices):
    NONE = "none", "No religion"
    BUDDHIST = "buddhist", "Buddhist"
    CHRISTIAN = "christian", "Christian"
    HINDU = "hindu", "Hindu"
    JEWISH = "jewish", "Jewish"
    MUSLIM = "muslim", "Muslim"
    SIKH = "sikh", "Sikh"
    OTHER = "other", "Any other religion or belief"
    NOT_KNOWN = NOT_KNOWN, "Not known"
    PREFERS_NOT_TO_SAY = PREFERS_NOT_TO_SAY, "Prefers not to say"


class YesNoUnknown(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_KNOWN = NOT_KNOWN, "Not known"
    PREFERS_NOT_TO_SAY = PREFERS_NOT_TO_SAY, "Prefers not to say"


class Pregnancy(models.TextChoices):
    PREGNANT = "pregnant", "Pregnant"
    MATERNITY = "maternity", "Given birth in the last 26 weeks"
    NEITHER = "neither", "Neither"
    NOT_APPLICABLE = "not_applicable", "Not applicable"
    NOT_KNOWN = NOT_KNOWN, "Not known"
    PREFERS_NOT_TO_SAY = PREFERS_NOT_TO_SAY, "Prefers not to say"


class MaritalStatus(models.TextChoices):
    """Recorded because the Act's guidance is unclear whether marriage/civil partnership is in
    s.6(5)(k); holding it costs little and keeps the equality analysis complete."""

    SINGLE = "single", "Single"
    MARRIED = "married", "Married"
    CIVIL_PARTNERSHIP = "civil_partnership", "In a civil partnership"
    SEPARATED_DIVORCED = "separated", "Separated, divorced or dissolved"
    WIDOWED = "widowed", "Widowed"
    NOT_KNOWN = NOT_KNOWN, "Not known"
    PREFERS_NOT_TO_SAY = PREFERS_NOT_TO_SAY, "Prefers not to say"


class LearningDisabilityAutism(models.TextChoices):
    """Use of Force Act s.6(5)(l)."""

    NEITHER = "neither", "Neither"
    LEARNING_DISABILITY = "learning_disability", "Learning disability"
    AUTISM = "autism", "Autism"
    BOTH = "both", "Learning disability and autism"
    NOT_KNOWN = NOT_KNOWN, "Not known"
    PREFERS_NOT_TO_SAY = PREFERS_NOT_TO_SAY, "Prefers not to say"


class MentalDisorder(models.TextChoices):
    """Primary mental disorder by ICD-10 chapter V block (Use of Force Act s.6(5)(j))."""

    F00_F09 = "F00-F09", "Organic, including symptomatic, mental disorders"
    F10_F19 = "F10-F19", "Mental and behavioural disorders due to psychoactive substance use"
    F20_F29 = "F20-F29", "Schizophrenia, schizotypal and delusional disorders"
    F30_F39 = "F30-F39", "Mood (affective) disorders"
    F40_F48 = "F40-F48", "Neurotic, stress-related and somatoform disorders"
    F50_F59 = "F50-F59", "Behavioural syndromes with physiological disturbances (incl. eating)"
    F60_F69 = "F60-F69", "Disorders of adult personality and behaviour"
    F70_F79 = "F70-F79", "Mental retardation (learning disability)"
    F80_F89 = "F80-F89", "Disorders of psychological development (incl. autism)"
    F90_F98 = "F90-F98", "Behavioural and emotional disorders with onset in childhood"
    NOT_KNOWN = NOT_KNOWN, "Not known"


class LegalStatus(models.TextChoices):
    """Mental Health Act legal status (MHSDS MENTAL HEALTH ACT LEGAL STATUS CLASSIFICATION)."""

    INFORMAL = "01", "Informal"
    S2 = "02", "Section 2"
    S3 = "03", "Section 3"
    S4 = "04", "Section 4"
    S5_2 = "05", "Section 5(2)"
    S5_4 = "06", "Section 5(4)"
    S35 = "07", "Section 35"
    S36 = "08", "Section 36"
    S37_41 = "09", "Section 37 with section 41 restrictions"
    S37 = "10", "Section 37"
    S38 = "12", "Section 38"
    S44 = "13", "Section 44"
    S46 = "14", "Section 46"
    S47_49 = "15", "Section 47 with section 49 restrictions"
    S47 = "16", "Section 47"
    S48_49 = "17", "Section 48 with section 49 restrictions"
    S48 = "18", "Section 48"
    S135 = "19", "Section 135"
    S136 = "20", "Section 136"
    CPIA = "31", "Criminal Procedure (Insanity) Act 1964"
    OTHER_ACTS = "32", "Other acts"
    S45A = "38", "Section 45A"
    NOT_KNOWN = "99", "Not known"
