"""Exports of recorded uses of force, for the page and the `rrp export` command alike.

- MHSDS restrictive intervention tables: MHS505 (one row per incident) and MHS515 (one row per
  type of intervention used in it), with the field names and codes NHS England's Mental Health
  Services Data Set uses (docs/sources/mhsds-restrictive-interventions.md), for one month.
- The Use of Force Act record: one row per use of force with one column per item of s.6(5)
  (a)-(p), for a date range. It names patients and staff: patient-identifiable.

Which records go out: submitted, reviewed and closed ones. Drafts are not yet records; records
entered in error are not uses of force; negligible force is outside the s.6 recording duty
(s.6(2)-(3)) and outside the MHSDS definition. An incident belongs to the month, and the date
range, in which it started, in local (UK) time, and every date and time is written in local
time.

Every export is audited (AuditAction.EXPORT) with what went out: the month or range and the
reference of every record in it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from rrp.audit.models import AuditAction
from rrp.audit.services import Actor, audit_record
from rrp.core import spreadsheets
from rrp.incidents import codes
from rrp.incidents.models import Debrief, Incident, Injury, Intervention
from rrp.organisations.bed_days import next_month
from rrp.organisations.models import Organisation
from rrp.patients import characteristics as c
from rrp.patients.models import Admission
from rrp.patients.nhs_number import format_nhs_number

# ---------------------------------------------------------------------------------------------
# Which records
# ---------------------------------------------------------------------------------------------

EXPORTED_STATUSES = (codes.Status.SUBMITTED, codes.Status.REVIEWED, codes.Status.CLOSED)


def exportable_incidents(organisation: Organisation) -> QuerySet[Incident]:
    """Recorded uses of force: no drafts, nothing entered in error, no negligible force."""
    return Incident.objects.for_organisation(organisation).filter(
        status__in=EXPORTED_STATUSES, entered_in_error_at__isnull=True, negligible=False
    )


def local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(0, 0)))


def started_between(
    organisation: Organisation, first_day: dt.date, last_day: dt.date
) -> QuerySet[Incident]:
    """Uses of force that started on first_day to last_day inclusive, in local time."""
    return exportable_incidents(organisation).filter(
        started_at__gte=local_midnight(first_day),
        started_at__lt=local_midnight(last_day + dt.timedelta(days=1)),
    )


def _with_parts(incidents: QuerySet[Incident]) -> list[Incident]:
    return list(
        incidents.select_related("ward", "ward__site", "patient")
        .prefetch_related(
            Prefetch("interventions", queryset=Intervention.objects.order_by("started_at", "pk")),
            Prefetch("injuries", queryset=Injury.objects.order_by("pk")),
            Prefetch("debriefs", queryset=Debrief.objects.order_by("held_at", "pk")),
            "staff",
            "others",
        )
        .order_by("started_at", "pk")
    )


# ---------------------------------------------------------------------------------------------
# MHSDS MHS505 and MHS515
# ---------------------------------------------------------------------------------------------

MHS505_FIELDS = (
    "RestrictiveIntIncID",
    "HospProvSpellID",
    "StartDateRestrictiveIntInc",
    "StartTimeRestrictiveIntInc",
    "EndDateRestrictiveIntInc",
    "EndTimeRestrictiveIntInc",
    "RestrictiveIntReason",
    "RestrictiveIntPIReviewHeldPat",
    "RestrictiveIntPIReviewNotHeldReasPat",
    "RestrictiveIntPIReviewHeldCarePers",
)
MHS515_FIELDS = (
    "RestrictiveIntIncID",
    "RestrictiveIntTypeID",
    "RestrictiveIntType",
    "StartDateRestrictiveIntType",
    "StartTimeRestrictiveIntType",
    "EndDateRestrictiveIntType",
    "EndTimeRestrictiveIntType",
    "RestraintInjuryPatient",
    "RestraintInjuryCarePers",
    "RestraintInjuryOtherPers",
)


def mhsds_file_names(month: dt.date) -> tuple[str, str]:
    return (
        f"MHS505RestrictiveInterventionIncident_{month:%Y-%m}.csv",
        f"MHS515RestrictiveInterventionType_{month:%Y-%m}.csv",
    )


def incident_id(incident: Incident) -> str:
    """RestrictiveIntIncID: the record's reference, stable for the life of the record."""
    return incident.reference


def intervention_type_id(incident: Incident, position: int) -> str:
    """RestrictiveIntTypeID: the incident's reference and the type's place in time order (1, 2,
    ...). Not the database id: an amended record gets new intervention rows."""
    return f"{incident.reference}-{position:02d}"


def _date(value: dt.datetime | None) -> str:
    return "" if value is None else f"{timezone.localtime(value):%Y-%m-%d}"


def _time(value: dt.datetime | None) -> str:
    return "" if value is None else f"{timezone.localtime(value):%H:%M:%S}"


def count_uses_of_force(count: int) -> str:
    return f"{count} use of force" if count == 1 else f"{count} uses of force"


def _yes_no(value: bool) -> str:
    return "Y" if value else "N"


def _spell_ids(incidents: Sequence[Incident]) -> dict[int, str]:
    """HospProvSpellID: the spell of the patient's admission at the time, preferring the stay
    on the incident's ward. Blank when RRP holds no admission covering that day."""
    patients = {i.patient_id for i in incidents}
    admissions: dict[int, list[Admission]] = defaultdict(list)
    for admission in Admission.objects.filter(
        patient_id__in=patients, entered_in_error_reason=""
    ).order_by("-admitted_on", "-pk"):
        admissions[admission.patient_id].append(admission)
    spells: dict[int, str] = {}
    for incident in incidents:
        day = timezone.localtime(incident.started_at).date()
        # A use of force on the day of discharge still happened during the stay.
        covering = [
            a for a in admissions[incident.patient_id]
            if a.admitted_on <= day and (a.discharged_on is None or a.discharged_on >= day)
        ]
        on_ward = [a for a in covering if a.ward_id == incident.ward_id]
        chosen = on_ward or covering
        spells[incident.pk] = chosen[0].spell_id if chosen else ""
    return spells


def _post_incident_review(debriefs: Sequence[Debrief]) -> tuple[str, str, str]:
    """RestrictiveIntPIReviewHeldPat, ...NotHeldReasPat, ...HeldCarePers from the recorded
    post-incident reflection and learning reviews. HeldCarePers is read as 'held with the care
    personnel' (the staff), as RestraintInjuryCarePers is the staff injury flag; Debrief.held
    says whether the review took place. Blank while no review has been recorded yet."""
    if not debriefs:
        return "", "", ""
    if any(d.held and d.patient_took_part for d in debriefs):
        with_patient, reason = "Y", ""
    else:
        with_patient, reason = "N", debriefs[-1].not_held_reason
    return with_patient, reason, _yes_no(any(d.held for d in debriefs))


def _injured(injuries: Iterable[Injury], person: str, intervention: Intervention) -> bool:
    """An injury recorded against this intervention counts on its row; one recorded against
    the incident as a whole counts on every row (which type caused it is not known)."""
    return any(
        j.person == person and j.intervention_id in (None, intervention.pk) for j in injuries
    )


@dataclass(frozen=True)
class MhsdsTables:
    month: dt.date
    incidents: list[dict[str, str]]  # MHS505 rows
    types: list[dict[str, str]]  # MHS515 rows
    references: list[str]


def mhsds_tables(organisation: Organisation, month: dt.date) -> MhsdsTables:
    """The MHS505 and MHS515 rows for the uses of force that started in `month`."""
    month = month.replace(day=1)
    incidents = _with_parts(
        started_between(organisation, month, next_month(month) - dt.timedelta(days=1))
    )
    spells = _spell_ids(incidents)
    mhs505: list[dict[str, str]] = []
    mhs515: list[dict[str, str]] = []
    for incident in incidents:
        held_pat, not_held_reason, held_care_pers = _post_incident_review(
            list(incident.debriefs.all())
        )
        mhs505.append({
            "RestrictiveIntIncID": incident_id(incident),
            "HospProvSpellID": spells[incident.pk],
            "StartDateRestrictiveIntInc": _date(incident.started_at),
            "StartTimeRestrictiveIntInc": _time(incident.started_at),
            "EndDateRestrictiveIntInc": _date(incident.ended_at),
            "EndTimeRestrictiveIntInc": _time(incident.ended_at),
            "RestrictiveIntReason": incident.reason,
            "RestrictiveIntPIReviewHeldPat": held_pat,
            "RestrictiveIntPIReviewNotHeldReasPat": not_held_reason,
            "RestrictiveIntPIReviewHeldCarePers": held_care_pers,
        })
        injuries = list(incident.injuries.all())
        # A member of staff marked injured without an injury entry: which type is not known.
        staff_flagged = any(s.injured for s in incident.staff.all()) and not any(
            j.person == codes.InjuredPerson.STAFF for j in injuries
        )
        for position, intervention in enumerate(incident.interventions.all(), start=1):
            mhs515.append({
                "RestrictiveIntIncID": incident_id(incident),
                "RestrictiveIntTypeID": intervention_type_id(incident, position),
                "RestrictiveIntType": intervention.type_code,
                "StartDateRestrictiveIntType": _date(intervention.started_at),
                "StartTimeRestrictiveIntType": _time(intervention.started_at),
                "EndDateRestrictiveIntType": _date(intervention.ended_at),
                "EndTimeRestrictiveIntType": _time(intervention.ended_at),
                "RestraintInjuryPatient": _yes_no(
                    _injured(injuries, codes.InjuredPerson.PATIENT, intervention)),
                "RestraintInjuryCarePers": _yes_no(
                    staff_flagged or _injured(injuries, codes.InjuredPerson.STAFF, intervention)),
                "RestraintInjuryOtherPers": _yes_no(
                    _injured(injuries, codes.InjuredPerson.OTHER, intervention)),
            })
    return MhsdsTables(month, mhs505, mhs515, [incident_id(i) for i in incidents])


def csv_text(fields: Sequence[str], rows: Iterable[dict[str, Any]]) -> str:
    """RFC 4180 CSV with a header row of exactly `fields`; text that a spreadsheet would run
    as a formula is neutralised (issue 11)."""
    return spreadsheets.csv_text(fields, rows)


@dataclass(frozen=True)
class ExportFile:
    name: str
    text: str


@dataclass(frozen=True)
class MhsdsExport:
    tables: MhsdsTables
    files: tuple[ExportFile, ExportFile]

    def zip_bytes(self) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for export_file in self.files:
                archive.writestr(export_file.name, export_file.text)
        return buffer.getvalue()

    def write_to(self, directory: Path) -> list[Path]:
        directory.mkdir(parents=True, exist_ok=True)
        paths = []
        for export_file in self.files:
            path = directory / export_file.name
            path.write_text(export_file.text, encoding="utf-8", newline="")
            paths.append(path)
        return paths


@transaction.atomic
def mhsds_export(*, actor: Actor, organisation: Organisation, month: dt.date) -> MhsdsExport:
    """Build the month's MHS505 and MHS515 files and audit what went out."""
    tables = mhsds_tables(organisation, month)
    incident_name, type_name = mhsds_file_names(tables.month)
    export = MhsdsExport(tables, (
        ExportFile(incident_name, csv_text(MHS505_FIELDS, tables.incidents)),
        ExportFile(type_name, csv_text(MHS515_FIELDS, tables.types)),
    ))
    audit_record(
        actor=actor, action=AuditAction.EXPORT, organisation=organisation,
        object_type="incidents.incident",
        summary=(f"MHSDS restrictive interventions export for {tables.month:%B %Y}: "
                 f"{count_uses_of_force(len(tables.incidents))}, "
                 f"{len(tables.types)} interventions"),
        after={
            "export": "mhsds",
            "month": f"{tables.month:%Y-%m}",
            "files": [f.name for f in export.files],
            "incidents": tables.references,
            "interventions": len(tables.types),
        },
    )
    return export


@dataclass(frozen=True)
class MhsdsExportData:
    """An MHSDS export read back from its files."""

    incidents: list[dict[str, str]]
    types: list[dict[str, str]]


def _read_table(path: Path, fields: Sequence[str]) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != tuple(fields):
            raise ValueError(
                f"{path.name} does not have the MHSDS columns: expected "
                f"{', '.join(fields)}; found {', '.join(reader.fieldnames or ['nothing'])}"
            )
        return [{k: spreadsheets.unsafe_cell(v) for k, v in row.items()} for row in reader]


def read_mhsds_export(directory: Path | str, month: dt.date | None = None) -> MhsdsExportData:
    """Read the MHS505 and MHS515 files `rrp export mhsds` wrote to `directory`. Give `month`
    when the directory holds more than one month. Raises ValueError naming the problem."""
    directory = Path(directory)
    if month is None:
        months = sorted({p.stem.rsplit("_", 1)[-1]
                         for p in directory.glob("MHS505RestrictiveInterventionIncident_*.csv")})
        if len(months) != 1:
            raise ValueError(
                f"{directory} holds {len(months) or 'no'} MHSDS exports: say which month to read"
                if months else f"{directory} holds no MHSDS export"
            )
        year, number = months[0].split("-")
        month = dt.date(int(year), int(number), 1)
    incident_name, type_name = mhsds_file_names(month)
    missing = [n for n in (incident_name, type_name) if not (directory / n).is_file()]
    if missing:
        raise ValueError(f"{directory} has no {' or '.join(missing)}")
    return MhsdsExportData(
        incidents=_read_table(directory / incident_name, MHS505_FIELDS),
        types=_read_table(directory / type_name, MHS515_FIELDS),
    )


# ---------------------------------------------------------------------------------------------
# The Use of Force Act record: s.6(5) (a)-(p)
# ---------------------------------------------------------------------------------------------

USE_OF_FORCE_FIELDS = (
    "reference",
    "a_reason",
    "b_place",
    "b_date",
    "b_start_time",
    "b_end_time",
    "b_duration_minutes",
    "c_types",
    # Prone restraint (MHSDS type 01), beside the types: how long in all, and why it was used.
    "c_prone_minutes",
    "c_prone_reason",
    "d_in_care_plan",
    "e_patient_name",
    "f_description",
    "g_patient_identifier",
    "h_staff_who_used_force",
    "i_others_involved",
    "j_mental_disorder",
    "k_characteristics",
    "l_learning_disability_or_autism",
    "m_outcome",
    "n_died_or_seriously_injured",
    "o_efforts_to_avoid_force",
    "p_notification_sent",
)

# s.6(5)(k): the Equality Act protected characteristics RRP holds, in the order written out.
# Marriage and civil partnership is included: the guidance is unclear whether it is in (see
# patients.characteristics.MaritalStatus), and leaving it out would lose recorded information.
_CHARACTERISTICS: tuple[tuple[str, str, Any], ...] = (
    ("sex", "Sex", c.Sex),
    ("gender_same_as_birth", "Gender identity same as sex registered at birth",
     c.GenderSameAsBirth),
    ("ethnic_category", "Ethnic category", c.EthnicCategory),
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
        return str(value or "Not known")


def _yes_no_words(value: bool | None) -> str:
    return "Not recorded" if value is None else ("Yes" if value else "No")


def _characteristics(snapshot: dict[str, Any]) -> str:
    parts = [f"Age {snapshot['age']}"] if snapshot.get("age") is not None else []
    for key, label, choices in _CHARACTERISTICS:
        parts.append(f"{label}: {_label(choices, snapshot.get(key, c.NOT_KNOWN))}")
    return "; ".join(parts)


def _minutes_between(start: dt.datetime | None, end: dt.datetime | None) -> str:
    if end is None or start is None:
        return ""
    return str(round((end - start).total_seconds() / 60))


def use_of_force_row(incident: Incident) -> dict[str, str]:
    """One use of force as the Act's record: every item of s.6(5) in its own column."""
    snapshot = incident.patient_snapshot or {}
    patient = incident.patient
    ward = incident.ward
    reason = _label(codes.Reason, incident.reason)
    types = "; ".join(
        f"{i.type_code} {i.get_type_code_display()} "
        f"({_time(i.started_at)[:5]}-{_time(i.ended_at)[:5] or 'ongoing'}"
        + (f"; {i.drug} {i.dose}" if i.drug else "") + ")"
        for i in incident.interventions.all()
    )
    prone = [i for i in incident.interventions.all() if i.is_prone]
    prone_minutes = [i.duration_minutes for i in prone]
    staff = "; ".join(
        f"{s.name}, {s.job_title}" + (f" ({s.grade})" if s.grade else "")
        for s in incident.staff.all() if s.used_force
    )
    others = "; ".join(
        f"{o.get_kind_display()}" + (f" ({o.name})" if o.name else "") + f": {o.reason}"
        for o in incident.others.all()
    )
    efforts = "; ".join(_label(codes.DeEscalation, item) for item in incident.de_escalation)
    identifier = (f"NHS number {format_nhs_number(patient.nhs_number)}" if patient.nhs_number
                  else f"Local identifier {patient.local_id}")
    return {
        "reference": incident.reference,
        "a_reason": reason + (f": {incident.reason_detail}" if incident.reason_detail else ""),
        "b_place": f"{ward.name} ({ward.code})" + (f", {ward.site.name}" if ward.site else ""),
        "b_date": _date(incident.started_at),
        "b_start_time": _time(incident.started_at)[:5],
        "b_end_time": _time(incident.ended_at)[:5],
        "b_duration_minutes": _minutes_between(incident.started_at, incident.ended_at),
        "c_types": types,
        # Empty when prone was not used; while a prone restraint is still going on, no total.
        "c_prone_minutes": str(round(sum(m for m in prone_minutes if m is not None)))
        if prone and None not in prone_minutes else "",
        "c_prone_reason": "; ".join(
            f"{_time(i.started_at)[:5]}: {i.prone_reason}" if len(prone) > 1 else i.prone_reason
            for i in prone
        ),
        "d_in_care_plan": _yes_no_words(incident.in_care_plan),
        "e_patient_name": patient.full_name or "Not recorded",
        "f_description": incident.description,
        "g_patient_identifier": identifier,
        "h_staff_who_used_force": staff,
        "i_others_involved": others or "None",
        "j_mental_disorder": _label(c.MentalDisorder,
                                    snapshot.get("mental_disorder", patient.mental_disorder)),
        "k_characteristics": _characteristics(snapshot),
        "l_learning_disability_or_autism": _label(
            c.LearningDisabilityAutism,
            snapshot.get("learning_disability_autism", patient.learning_disability_autism)),
        "m_outcome": incident.outcome,
        "n_died_or_seriously_injured": _yes_no_words(incident.death_or_serious_injury),
        "o_efforts_to_avoid_force": (efforts + ". " if efforts else "") + incident.efforts_to_avoid,
        "p_notification_sent": _label(codes.Notification, incident.notification),
    }


def use_of_force_file_name(first_day: dt.date, last_day: dt.date) -> str:
    return f"UseOfForceRecords_{first_day:%Y-%m-%d}_to_{last_day:%Y-%m-%d}.csv"


@dataclass(frozen=True)
class UseOfForceExport:
    file: ExportFile
    references: list[str]


@transaction.atomic
def use_of_force_export(
    *, actor: Actor, organisation: Organisation, first_day: dt.date, last_day: dt.date
) -> UseOfForceExport:
    """The Use of Force Act records that started from first_day to last_day inclusive. It
    names patients and staff, so the audit event lists every record disclosed."""
    if last_day < first_day:
        raise ValidationError({"last_day": ["The end of the date range is before its start"]})
    incidents = _with_parts(started_between(organisation, first_day, last_day))
    rows = [use_of_force_row(i) for i in incidents]
    export = UseOfForceExport(
        ExportFile(use_of_force_file_name(first_day, last_day),
                   csv_text(USE_OF_FORCE_FIELDS, rows)),
        [i.reference for i in incidents],
    )
    audit_record(
        actor=actor, action=AuditAction.EXPORT, organisation=organisation,
        object_type="incidents.incident",
        summary=(f"Use of Force Act records export (patient-identifiable), "
                 f"{first_day:%d/%m/%Y} to {last_day:%d/%m/%Y}: "
                 f"{count_uses_of_force(len(rows))}"),
        after={
            "export": "use_of_force_act",
            "from": first_day.isoformat(),
            "to": last_day.isoformat(),
            "file": export.file.name,
            "incidents": export.references,
            "patient_identifiable": True,
        },
    )
    return export
