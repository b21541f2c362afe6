"""Derived tables behind the dashboards: facts kept in step with every use of force record, and
monthly summaries of them.

Nothing here is a clinical record. Every row can be rebuilt from the incident, patient and
admission tables at any time (`rrp analytics rebuild`), which is why these tables point at
records by plain ids rather than foreign keys where the source app may replace rows (an
amended incident's interventions are written afresh), and why deleting them loses nothing.

How they stay current (near real time, standard 1.4.IV):

1. Every change to a use of force record, a patient or a ward stay is audited in the same
   transaction (the project's rule). A receiver on the audit event (summaries.py) adds a
   `SummaryDirty` row in that same transaction: cheap, and never able to fail the write.
2. The next dashboard or API read for the organisation first rebuilds the facts of the dirty
   incidents and then the monthly summaries of the dirty months (summaries.bring_up_to_date),
   so a submitted incident is in its ward's figures on the next page load, with no batch job.
3. The dashboards read only the monthly summaries, so their cost depends on months and
   categories, not on how many incidents an organisation has recorded.

Derived tables carry only the indexes their readers use (each leads with the organisation);
Django's automatic one-column foreign key indexes are turned off, which also keeps the
database's planner from scanning a whole ward's history where a month range was meant.
"""

from __future__ import annotations

from django.db import models

# A summary scope: "org", "site:<id>", "service:<service type>" or "ward:<id>".
SCOPE_ORG = "org"


def scope_site(site_id: int) -> str:
    return f"site:{site_id}"


def scope_service(service_type: str) -> str:
    return f"service:{service_type}"


def scope_ward(ward_id: int) -> str:
    return f"ward:{ward_id}"


class InterventionFact(models.Model):
    """One intervention (MHS515 restrictive intervention type) in one calendar month it was in
    progress (local time, Europe/London).

    An intervention in progress across a month end has a row in each month, because NHS
    England counts it in each month's submission (MHSDS: started in the month, ended in the
    month, or not ended at the month end). Period breakdowns count each intervention once,
    on its `first_month` row. Drafts, records entered in error and negligible force have no
    facts. Incident-level values (reason, harm, injuries, staff) are repeated on each of the
    incident's rows and read from `incident_first` rows, so an incident counts once.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    ward = models.ForeignKey(
        "organisations.Ward", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    month = models.DateField(help_text="First day of the local calendar month")
    incident_id = models.BigIntegerField(db_index=True)
    intervention_id = models.BigIntegerField()
    patient_id = models.BigIntegerField()

    type_code = models.CharField(max_length=2)
    category = models.CharField(max_length=12)
    first_month = models.BooleanField(help_text="The intervention started in this month")
    ends_in_month = models.BooleanField()
    is_open = models.BooleanField(help_text="Not ended yet: extended when a new month starts")
    # MHS98/MHS99: whole minutes from start to end, on the row of the month it ended, when
    # positive (NHS England leaves out zero and negative durations).
    minutes = models.FloatField(null=True)
    # MHS146/MHS147: days of seclusion or segregation still active at the end of this month.
    active_days = models.FloatField(null=True)
    hour = models.PositiveSmallIntegerField(help_text="Local hour the intervention started")
    weekday = models.PositiveSmallIntegerField(help_text="0 Monday to 6 Sunday, local")
    duration_band = models.CharField(max_length=24)
    # Prone restraint only (empty or False for every other type): its band of the whole
    # duration (categories.prone_band) and whether why it was used was recorded.
    prone_band = models.CharField(max_length=8, blank=True, default="")
    prone_reason_recorded = models.BooleanField(default=False)

    # Incident-level values.
    incident_row = models.BooleanField(help_text="The incident's one row in this month")
    incident_first = models.BooleanField(help_text="incident_row in the incident's first month")
    incident_minutes = models.FloatField(null=True)  # MHS138/MHS139, on the end month's row
    reason = models.CharField(max_length=2)
    harm = models.CharField(max_length=16)
    injuries_patient = models.PositiveSmallIntegerField(default=0)
    injuries_staff = models.PositiveSmallIntegerField(default=0)
    injuries_other = models.PositiveSmallIntegerField(default=0)
    worst_injury = models.CharField(max_length=8, blank=True)
    staff_force = models.PositiveSmallIntegerField(default=0)
    # Restraints by the training of who held (categories.hold_training): "" without one.
    hold_training = models.CharField(max_length=20, blank=True, default="")
    staff_injured = models.PositiveSmallIntegerField(default=0)
    police = models.BooleanField(default=False)
    death_or_serious_injury = models.BooleanField(default=False)
    incident_types = models.PositiveSmallIntegerField(
        default=0, help_text="Bits (categories.TYPE_FILTER_BIT) of its incident's types"
    )

    # The patient's characteristics (equality analysis); age band at the start of the incident.
    eth_group = models.CharField(max_length=32)
    age_band = models.CharField(max_length=16)
    sex = models.CharField(max_length=24)
    gender_same_as_birth = models.CharField(max_length=24)
    sexual_orientation = models.CharField(max_length=24)
    religion = models.CharField(max_length=24)
    disability = models.CharField(max_length=24)
    pregnancy = models.CharField(max_length=24)
    marital_status = models.CharField(max_length=24)
    learning_disability_autism = models.CharField(max_length=24)
    mental_disorder = models.CharField(max_length=16)
    legal_status = models.CharField(max_length=2)

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "month", "ward"], name="analytics_fact_org_month"),
            models.Index(fields=["organisation", "is_open"], name="analytics_fact_org_open"),
        ]


class DutyFact(models.Model):
    """One post-incident duty (medical review, observations, debrief...) and how it was met,
    in the month its incident started. `status` is decided when the fact is built, except that
    an open duty becomes overdue with time, which readers work out from `due_at`."""

    ON_TIME = "on_time"
    LATE_WITH_REASON = "late_with_reason"
    LATE_NO_REASON = "late_no_reason"
    NOT_REQUIRED = "not_required"
    OPEN = "open"

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    ward = models.ForeignKey(
        "organisations.Ward", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    month = models.DateField()
    incident_id = models.BigIntegerField(db_index=True)
    kind = models.CharField(max_length=40)
    status = models.CharField(max_length=20)
    due_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True)
    incident_types = models.PositiveSmallIntegerField(
        default=0, help_text="Bits (categories.TYPE_FILTER_BIT) of its incident's types"
    )

    class Meta:
        indexes = [
            # Open duties of a ward (or all wards) in a period, by kind and due time: what the
            # pages count as overdue, read from the index alone.
            models.Index(fields=["organisation", "status", "month", "ward", "kind", "due_at"],
                         name="analytics_duty_org"),
            # A few months of every status: the breakdowns' duty counts when a month is
            # refreshed (without it each refresh read every duty of the organisation).
            models.Index(fields=["organisation", "month", "ward"], name="analytics_duty_org_month"),
        ]


class PatientMonth(models.Model):
    """How many interventions started for one patient on one ward in one month: the repeat
    individuals analysis and people counts over a period, without reading every fact."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    ward = models.ForeignKey(
        "organisations.Ward", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    month = models.DateField()
    patient_id = models.BigIntegerField()
    interventions = models.PositiveIntegerField()

    class Meta:
        indexes = [
            # Covers the repeat-individuals read, so it never touches the table.
            models.Index(
                fields=["organisation", "month", "ward", "patient_id", "interventions"],
                name="analytics_pm_org_month",
            ),
        ]


class MonthlyMeasure(models.Model):
    """The parts of the MHSDS national measures for one scope (organisation, site, service type
    or ward) in one month, from the facts. Rates are worked out when read, from the occupied bed
    days held in organisations.OccupiedBedDays, so a bed days correction shows at once; the
    people in hospital (MHS97's denominator) are in MonthlyPopulation."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    scope = models.CharField(max_length=40)
    month = models.DateField()
    interventions = models.PositiveIntegerField(default=0)  # MHS77
    incidents = models.PositiveIntegerField(default=0)  # MHS136
    people = models.PositiveIntegerField(default=0)  # MHS76
    # People restrained here this month with no ward stay recorded here this month: they were
    # in hospital (the record says so), so MHS97's denominator counts them too.
    people_without_stay = models.PositiveIntegerField(default=0)
    minutes_sum = models.FloatField(default=0)  # MHS98 = sum / n, MHS99 = max
    minutes_n = models.PositiveIntegerField(default=0)
    minutes_max = models.FloatField(null=True)
    incident_minutes_sum = models.FloatField(default=0)  # MHS138, MHS139
    incident_minutes_n = models.PositiveIntegerField(default=0)
    incident_minutes_max = models.FloatField(null=True)
    seclusion_days_sum = models.FloatField(default=0)  # MHS146
    seclusion_days_n = models.PositiveIntegerField(default=0)
    segregation_days_sum = models.FloatField(default=0)  # MHS147
    segregation_days_n = models.PositiveIntegerField(default=0)
    prone = models.PositiveIntegerField(default=0)
    # The longest prone restraint that ended this month (MHS99's minutes, prone alone): a
    # maximum cannot be summed from the wards, so it is kept with the measures, each scope
    # worked out from the facts.
    prone_minutes_max = models.FloatField(null=True)
    physical = models.PositiveIntegerField(default=0)
    mechanical = models.PositiveIntegerField(default=0)
    chemical = models.PositiveIntegerField(default=0)
    rapid_tranquillisation = models.PositiveIntegerField(default=0)
    seclusion = models.PositiveIntegerField(default=0)
    segregation = models.PositiveIntegerField(default=0)
    # People per kind of force: a rate needs at least 5 people behind it to be shown outside
    # the treating team.
    people_prone = models.PositiveIntegerField(default=0)
    people_physical = models.PositiveIntegerField(default=0)
    people_mechanical = models.PositiveIntegerField(default=0)
    people_chemical = models.PositiveIntegerField(default=0)
    people_rapid_tranquillisation = models.PositiveIntegerField(default=0)
    people_seclusion = models.PositiveIntegerField(default=0)
    people_segregation = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "scope", "month"], name="analytics_measure_unique"
            )
        ]


class MonthlyBreakdown(models.Model):
    """Counts by one category (intervention type, reason, hour and weekday, ethnic group...)
    for one scope in one month; each intervention and incident counted once, in the month it
    started. `count` holds what the dimension counts besides interventions and incidents
    (injuries, duties)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    scope = models.CharField(max_length=40)
    month = models.DateField()
    dimension = models.CharField(max_length=32)
    key = models.CharField(max_length=120)
    interventions = models.PositiveIntegerField(default=0)
    incidents = models.PositiveIntegerField(default=0)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "scope", "month"], name="analytics_bd_scope"),
            # A dashboard reads one set of dimensions (with or without a type filter's prefix).
            models.Index(fields=["organisation", "scope", "dimension", "month"],
                         name="analytics_bd_dimension"),
        ]


class MonthlyPopulation(models.Model):
    """Who was in hospital in one scope in one month (from ward stays): MHS97's denominator.
    Kept apart from the facts' summaries, so a new use of force never recounts ward stays and a
    ward stay change never recounts uses of force."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    scope = models.CharField(max_length=40)
    month = models.DateField()
    people_in_hospital = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "scope", "month"], name="analytics_population_unique"
            )
        ]


class GroupBedDays(models.Model):
    """Each characteristic group's own occupied bed days (nights, midnight census, from ward
    stays) in one scope and month: the denominators of the equality rates."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    scope = models.CharField(max_length=40)
    month = models.DateField()
    dimension = models.CharField(max_length=32)
    key = models.CharField(max_length=120)
    bed_days = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "scope", "month"], name="analytics_gbd_scope"),
        ]


class SummaryState(models.Model):
    """Per organisation: up to which month the facts of interventions still in progress were
    carried forward, and whether everything must be rebuilt."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    open_through = models.DateField(help_text="Month the open interventions reach")
    rebuilt_at = models.DateTimeField()
    refreshed_at = models.DateTimeField()


class SummaryDirty(models.Model):
    """Something changed that the summaries do not show yet. Written in the same transaction
    as the audited change; consumed by summaries.bring_up_to_date."""

    INCIDENT = "incident"
    PATIENT = "patient"
    MONTHS = "months"
    EVERYTHING = "everything"

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    kind = models.CharField(max_length=16)
    object_id = models.BigIntegerField(null=True)
    first_month = models.DateField(null=True)
    last_month = models.DateField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["organisation", "id"], name="analytics_dirty_org")]


class SummaryRebuild(models.Model):
    """A bulk rebuild under way (`rrp analytics rebuild`): how far it has got, committed as it
    goes so that a rebuild stopped part way (a kill, a restart) carries on from there. While
    one exists the summaries are not caught up incrementally; changes wait for its end."""

    FACTS = "facts"
    SUMMARIES = "summaries"

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    started_at = models.DateTimeField(help_text="The rebuild's clock: its months end here")
    phase = models.CharField(max_length=16, default=FACTS)
    incidents_total = models.PositiveIntegerField(default=0)
    incidents_done = models.PositiveIntegerField(default=0)
    last_incident_id = models.BigIntegerField(default=0)
    months_total = models.PositiveIntegerField(default=0)
    months_done = models.PositiveIntegerField(default=0)
    # Changes noted up to here are covered by the rebuild; later ones are applied after it.
    dirty_through = models.BigIntegerField(default=0)
    # Who is running it, so a second rebuild can tell a running one from a stopped one.
    hostname = models.CharField(max_length=255, default="")
    pid = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    @property
    def percent(self) -> int:
        """Facts are most of the work; the summaries' months the rest."""
        facts = self.incidents_done / self.incidents_total if self.incidents_total else 1.0
        months = self.months_done / self.months_total if self.months_total else 0.0
        share = 0.5 * facts if self.phase == self.FACTS else 0.5 + 0.5 * months
        return min(99, int(100 * share))


class ChangePoint(models.Model):
    """A known change in practice (e.g. a reduction initiative starting on a ward) from which
    SPC charts start a new baseline. Never automatic: someone decided the change happened."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    ward = models.ForeignKey(
        "organisations.Ward",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Empty for a change across the whole organisation",
    )
    month = models.DateField(help_text="First month of the new baseline")
    label = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["month"]

    def __str__(self) -> str:
        return f"{self.label} from {self.month:%B %Y}"


class MeasureTarget(models.Model):
    """A target for one measure in one scope: what the SPC assurance icon is judged against."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    measure = models.CharField(max_length=40)
    scope = models.CharField(max_length=40)
    value = models.FloatField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "measure", "scope"], name="analytics_target_unique"
            )
        ]
