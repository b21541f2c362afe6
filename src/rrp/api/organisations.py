from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema
from pydantic import StrictInt

from rrp.api.errors import query_problem
from rrp.api.permissions import api_actor, require
from rrp.api.schemas import Body, Code
from rrp.core.scoping import get_in_organisation
from rrp.organisations import services
from rrp.organisations.bed_days import parse_month
from rrp.organisations.models import OccupiedBedDays, Ward

router = Router(tags=["organisation"])


class OrganisationOut(Schema):
    name: str
    ods_code: str
    sector: str
    roles: list[str]


class WardOut(Schema):
    code: str
    name: str
    site: str | None
    service_type: str
    beds: int
    is_open: bool


class BedDaysIn(Body):
    ward: Code = Field(description="The ward's code, e.g. OAK")
    month: Code = Field(description="The month, like 2026-10")
    # No ward holds more than 1,000 beds: 31,000 bed days a month is past any real figure.
    bed_days: StrictInt = Field(ge=0, le=31_000, description="Occupied bed days in the month")


class BedDaysOut(Schema):
    ward: str
    month: str
    bed_days: int
    source: str


def _ward_out(ward: Ward) -> WardOut:
    return WardOut(
        code=ward.code, name=ward.name, site=ward.site.name if ward.site else None,
        service_type=ward.service_type, beds=ward.beds, is_open=ward.is_open,
    )


def _bed_days_out(row: OccupiedBedDays) -> BedDaysOut:
    return BedDaysOut(ward=row.ward.code, month=f"{row.month:%Y-%m}", bed_days=row.bed_days,
                      source=row.source)


@router.get("/organisation", response=OrganisationOut)
def organisation_current(request: HttpRequest) -> OrganisationOut:
    org = request.organisation  # type: ignore[attr-defined]
    return OrganisationOut(name=org.name, ods_code=org.ods_code, sector=org.sector,
                           roles=sorted(request.roles))  # type: ignore[attr-defined]


@router.get("/wards", response=list[WardOut])
def ward_list(request: HttpRequest) -> list[WardOut]:
    wards = Ward.objects.filter(organisation=request.organisation).select_related("site")  # type: ignore[attr-defined]
    return [_ward_out(w) for w in wards]


@router.get("/wards/{code}", response=WardOut)
def ward_detail(request: HttpRequest, code: str) -> WardOut:
    ward = get_in_organisation(Ward.objects.select_related("site"), request.organisation, code=code)  # type: ignore[attr-defined]
    return _ward_out(ward)


@router.get("/bed-days", response=list[BedDaysOut])
def bed_days_list(
    request: HttpRequest, ward: str | None = None, month: str | None = None
) -> list[BedDaysOut]:
    rows = OccupiedBedDays.objects.filter(organisation=request.organisation).select_related("ward")  # type: ignore[attr-defined]
    if ward:
        rows = rows.filter(ward__code=ward)
    if month:
        try:
            rows = rows.filter(month=parse_month(month))
        except ValueError as error:  # a 422 naming the parameter, not a 500 (issue 11)
            raise query_problem("month", str(error)) from None
    return [_bed_days_out(r) for r in rows.order_by("ward__code", "month")]


@router.put("/bed-days", response=BedDaysOut)
def bed_days_put(request: HttpRequest, payload: BedDaysIn) -> BedDaysOut:
    require(request, "organisations.enter_bed_days")
    from django.core.exceptions import ValidationError

    ward = get_in_organisation(Ward.objects.all(), request.organisation, code=payload.ward)  # type: ignore[attr-defined]
    try:
        month: dt.date = parse_month(payload.month)
    except ValueError as error:
        raise ValidationError({"month": str(error)}) from None
    row = services.bed_days_set(actor=api_actor(request), ward=ward, month=month,
                                bed_days=payload.bed_days)
    return _bed_days_out(row)
