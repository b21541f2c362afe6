"""Every change to organisations, wards, bed days and memberships, audited in one transaction."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from rrp.audit.models import AuditAction
from rrp.audit.services import Actor, audit_changed, audit_created, audit_record, snapshot
from rrp.organisations.bed_days import BedDaysProblem, month_start, read_bed_days_csv
from rrp.organisations.models import (
    BedDaysSource,
    Membership,
    OccupiedBedDays,
    Organisation,
    Role,
    Sector,
    ServiceType,
    Site,
    Ward,
)


@transaction.atomic
def organisation_create(
    *, actor: Actor, ods_code: str, name: str, sector: str = Sector.NHS
) -> Organisation:
    organisation = Organisation(ods_code=ods_code.strip().upper(), name=name.strip(), sector=sector)
    organisation.full_clean()
    organisation.save()
    audit_created(
        actor=actor,
        organisation=organisation,
        obj=organisation,
        summary=f"Organisation {organisation} added",
    )
    return organisation


@transaction.atomic
def site_create(*, actor: Actor, organisation: Organisation, name: str, code: str = "") -> Site:
    site = Site(organisation=organisation, name=name.strip(), code=code.strip())
    site.full_clean()
    site.save()
    audit_created(
        actor=actor, organisation=organisation, obj=site, summary=f"Site {site.name} added"
    )
    return site


@transaction.atomic
def ward_create(
    *,
    actor: Actor,
    organisation: Organisation,
    code: str,
    name: str,
    beds: int,
    service_type: str,
    site: Site | None = None,
) -> Ward:
    if service_type not in ServiceType.values:
        raise ValidationError(
            {"service_type": f"Unknown service type '{service_type}'. Use one of: "
             + ", ".join(ServiceType.values)}
        )
    if site is not None and site.organisation_id != organisation.pk:
        raise ValidationError({"site": "That site belongs to another organisation"})
    ward = Ward(
        organisation=organisation,
        site=site,
        code=code.strip().upper(),
        name=name.strip(),
        beds=beds,
        service_type=service_type,
    )
    ward.full_clean()
    ward.save()
    audit_created(
        actor=actor, organisation=organisation, obj=ward, summary=f"Ward {ward.code} added"
    )
    return ward


@transaction.atomic
def ward_update(*, actor: Actor, ward: Ward, **changes: object) -> Ward:
    before = snapshot(ward)
    for field, value in changes.items():
        if field not in {"name", "beds", "service_type", "is_open", "site"}:
            raise ValueError(f"Ward field {field!r} cannot be changed here")
        setattr(ward, field, value)
    ward.full_clean()
    ward.save()
    audit_changed(
        actor=actor,
        organisation=ward.organisation,
        obj=ward,
        summary=f"Ward {ward.code} changed",
        before=before,
    )
    return ward


@transaction.atomic
def bed_days_set(
    *,
    actor: Actor,
    ward: Ward,
    month: dt.date,
    bed_days: int,
    source: str = BedDaysSource.ENTERED,
) -> OccupiedBedDays:
    month = month_start(month)
    existing = OccupiedBedDays.objects.filter(ward=ward, month=month).first()
    before = snapshot(existing) if existing else None
    record = existing or OccupiedBedDays(organisation=ward.organisation, ward=ward, month=month)
    record.bed_days = bed_days
    record.source = source
    if bed_days > record.capacity:
        raise ValidationError(
            {"bed_days": f"{bed_days} is more than {ward.name} can hold in {month:%B %Y} "
             f"({ward.beds} beds, {record.capacity} bed days at most)"}
        )
    record.save()
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE if existing else AuditAction.CREATE,
        organisation=ward.organisation,
        obj=record,
        summary=f"Bed days for {ward.code} {month:%Y-%m}: {bed_days}",
        before=before,
        after=snapshot(record),
    )
    return record


@transaction.atomic
def bed_days_import_csv(
    *, actor: Actor, organisation: Organisation, text: str
) -> tuple[int, list[BedDaysProblem]]:
    """Import `ward,month,bed_days` rows. All or nothing: any problem imports no row."""
    rows, problems = read_bed_days_csv(text)
    wards = {w.code: w for w in Ward.objects.filter(organisation=organisation)}
    for row in rows:
        if row.ward_code not in wards:
            problems.append(BedDaysProblem(row.line, f"No ward with code {row.ward_code}"))
    if problems:
        return 0, sorted(problems, key=lambda p: p.line)
    saved = transaction.savepoint()
    for row in rows:
        try:
            bed_days_set(
                actor=actor,
                ward=wards[row.ward_code],
                month=row.month,
                bed_days=row.bed_days,
                source=BedDaysSource.IMPORTED,
            )
        except ValidationError as error:
            # Keep going so every line's problem is reported with its line number.
            problems.extend(BedDaysProblem(row.line, message) for message in error.messages)
    if problems:
        transaction.savepoint_rollback(saved)  # all or nothing
        return 0, problems
    transaction.savepoint_commit(saved)
    audit_record(
        actor=actor,
        action=AuditAction.IMPORT,
        organisation=organisation,
        object_type="organisations.occupiedbeddays",
        summary=f"{len(rows)} bed day rows imported from CSV",
    )
    return len(rows), []


@transaction.atomic
def user_add(
    *,
    actor: Actor,
    username: str,
    organisation: Organisation,
    role: str,
    password: str | None = None,
    full_name: str = "",
    job_title: str = "",
    home_ward: Ward | None = None,
) -> AbstractBaseUser:
    """Create the person if new, and give them a role in the organisation."""
    if role not in Role.values:
        raise ValidationError(
            {"role": f"Unknown role '{role}'. Use one of: {', '.join(Role.values)}"}
        )
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(username=username)
    if created:
        first, _, last = full_name.partition(" ")
        user.first_name, user.last_name = first, last
        if password:
            from django.contrib.auth.password_validation import validate_password

            validate_password(password, user)
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            organisation=organisation,
            obj=user,
            summary=f"Account {username} created",
            after={"username": username, "full_name": full_name},
        )
    membership, made = Membership.objects.get_or_create(
        user=user,
        organisation=organisation,
        role=role,
        defaults={"job_title": job_title, "home_ward": home_ward},
    )
    if made:
        audit_created(
            actor=actor,
            organisation=organisation,
            obj=membership,
            summary=f"{username} given the role {membership.get_role_display()}",
        )
    return user
