"""Providers, their sites and wards, occupied bed days, and who works there in which role."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models

from rrp.core.text import no_bidi_controls


class Sector(models.TextChoices):
    NHS = "nhs", "NHS trust"
    INDEPENDENT = "independent", "Independent provider"
    VOLUNTARY = "voluntary", "Voluntary sector provider"


class ServiceType(models.TextChoices):
    ADULT_ACUTE = "adult_acute", "Adult acute"
    PICU = "picu", "Psychiatric intensive care"
    FORENSIC = "forensic", "Forensic / secure"
    LEARNING_DISABILITY_AUTISM = "ld_autism", "Learning disability and autism"
    CAMHS = "camhs", "Children and young people (CAMHS)"
    OLDER_ADULT = "older_adult", "Older adult"
    REHABILITATION = "rehabilitation", "Rehabilitation"
    EATING_DISORDERS = "eating_disorders", "Eating disorders"


class Role(models.TextChoices):
    """Roles are per organisation. The values are a contract used by `rrp user add --role`."""

    WARD_STAFF = "ward_staff", "Ward staff"
    WARD_MANAGER = "ward_manager", "Ward manager"
    DOCTOR = "doctor", "Doctor"
    RRP_LEAD = "rrp_lead", "Restrictive practice lead"
    BOARD = "board", "Board member"
    TRAINER = "trainer", "Trainer"
    AUDITOR = "auditor", "Auditor (regulator or commissioner)"
    ORG_ADMIN = "org_admin", "Organisation administrator"


ods_code_validator = RegexValidator(
    r"^[A-Z0-9]{3,6}$", "Enter an ODS code of 3 to 6 capital letters or digits, like R1A"
)
ward_code_validator = RegexValidator(
    r"^[A-Z0-9][A-Z0-9_-]{0,15}$",
    "Enter a ward code of up to 16 capital letters, digits, hyphens or underscores, like OAK",
)


class Organisation(models.Model):
    name = models.CharField(max_length=200, validators=[no_bidi_controls])
    ods_code = models.CharField(
        "ODS code", max_length=6, unique=True, validators=[ods_code_validator]
    )
    sector = models.CharField(max_length=16, choices=Sector.choices, default=Sector.NHS)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.ods_code})"


class Site(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="sites")
    name = models.CharField(max_length=200, validators=[no_bidi_controls])
    code = models.CharField(max_length=16, blank=True, validators=[no_bidi_controls])

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="site_name_unique_in_org")
        ]

    def __str__(self) -> str:
        return self.name


class Ward(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="wards")
    site = models.ForeignKey(
        Site, null=True, blank=True, on_delete=models.PROTECT, related_name="wards"
    )
    code = models.CharField(max_length=16, validators=[ward_code_validator])
    name = models.CharField(max_length=200, validators=[no_bidi_controls])
    service_type = models.CharField(max_length=24, choices=ServiceType.choices)
    beds = models.PositiveSmallIntegerField("number of beds", validators=[MinValueValidator(1)])
    is_open = models.BooleanField("open", default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="ward_code_unique_in_org")
        ]

    def __str__(self) -> str:
        return self.name


class BedDaysSource(models.TextChoices):
    ENTERED = "entered", "Entered"
    IMPORTED = "imported", "Imported from CSV"
    COMPUTED = "computed", "Computed from admissions"


class OccupiedBedDays(models.Model):
    """Occupied bed days for one ward in one calendar month: the denominator of every rate."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="bed_days")
    month = models.DateField(help_text="First day of the month")
    bed_days = models.PositiveIntegerField()
    source = models.CharField(max_length=16, choices=BedDaysSource.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["ward__name", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["ward", "month"], name="bed_days_one_per_ward_month"),
            models.CheckConstraint(
                condition=models.Q(month__day=1), name="bed_days_month_is_first_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ward} {self.month:%Y-%m}: {self.bed_days}"

    @property
    def capacity(self) -> int:
        """The most bed days the ward could have had that month (beds x days)."""
        next_month = (self.month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return self.ward.beds * (next_month - self.month).days


class Membership(models.Model):
    """One role a person holds in one organisation. A person may hold several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices)
    job_title = models.CharField(max_length=120, blank=True)
    home_ward = models.ForeignKey(
        Ward,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The ward this person usually works on: the default when they record.",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["organisation__name", "user__username", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} - {self.get_role_display()} at {self.organisation.ods_code}"
