"""Fixtures for the analytics tests: uses of force recorded through the incident services (so
the audit trail, and with it the analytics' change tracking, is exercised exactly as a page or
the API would), with short-hand for the parts a test cares about.

    def test_x(record, ward, patient):
        record(ward, patient, "2026-03-10 14:00", [("01", 0, 10)])  # prone for 10 minutes

Times are local (Europe/London). An intervention is (type code, start offset, end offset) in
minutes from the incident's start; an end of None means it has not ended.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any
from zoneinfo import ZoneInfo

import pytest

LONDON = ZoneInfo("Europe/London")
# Every analytics test runs as if today were this moment, unless it says otherwise.
NOW = dt.datetime(2026, 11, 15, 12, 0, tzinfo=LONDON)


def local(text: str) -> dt.datetime:
    """'2026-03-10 14:00' as an aware Europe/London time."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=LONDON)


Intervention = tuple[str, float, float | None]


@pytest.fixture
def record(system_actor: Any) -> Callable[..., Any]:
    """record(ward, patient, start, interventions, **incident fields) -> Incident (submitted).
    Every prone restraint (01) gets `prone_reason`, as the form requires."""
    from rrp.incidents.inputs import IncidentInput, InjuryInput, InterventionInput, StaffInput
    from rrp.incidents.services import incident_create

    def make(
        ward: Any,
        patient: Any,
        start: str | dt.datetime,
        interventions: Sequence[Intervention],
        *,
        ended: str | dt.datetime | None | bool = True,
        submit: bool = True,
        injuries: Sequence[tuple[str, str]] = (),
        staff: Sequence[tuple[str, bool]] = (("lead", False), ("monitoring_wellbeing", False)),
        now: dt.datetime = NOW,
        prone_reason: str = "Fell face down while struggling; turned within 1 minute",
        **fields: Any,
    ) -> Any:
        started = local(start) if isinstance(start, str) else start
        items = []
        for type_code, begin, end in interventions:
            extra: dict[str, Any] = {}
            if type_code == "14":
                extra = {"drug": "Lorazepam", "dose": "2 mg", "route": "im"}
            if type_code == "01":  # prone restraint must say why (incidents.validation)
                extra = {"prone_reason": prone_reason}
            items.append(
                InterventionInput(
                    type_code,
                    started + dt.timedelta(minutes=begin),
                    None if end is None else started + dt.timedelta(minutes=end),
                    **extra,
                )
            )
        if ended is True:
            ends = [i.ended_at for i in items]
            incident_end = None if any(e is None for e in ends) else max(ends)  # type: ignore[type-var]
        elif ended is False or ended is None:
            incident_end = None
        else:
            incident_end = local(ended) if isinstance(ended, str) else ended
        data = IncidentInput(
            ward=ward,
            patient=patient,
            started_at=started,
            ended_at=incident_end,
            reason=fields.pop("reason", "10"),
            description="Held to keep others safe",
            efforts_to_avoid="Talked calmly and offered space",
            outcome="Settled",
            notification="not_applicable",
            interventions=items,
            staff=[
                StaffInput(f"Staff {n}", "Nurse", role, injured=injured)
                for n, (role, injured) in enumerate(staff)
            ],
            injuries=[InjuryInput(person, severity, "Bruise") for person, severity in injuries],
            **fields,
        )
        return incident_create(
            actor=system_actor, organisation=ward.organisation, data=data, submit=submit, now=now
        )

    return make


@pytest.fixture
def bed_days(system_actor: Any) -> Callable[..., None]:
    """bed_days(ward, {"2026-03": 500, ...}) enters occupied bed days."""
    from rrp.organisations.services import bed_days_set

    def enter(ward: Any, months: dict[str, int]) -> None:
        for month, value in months.items():
            year, number = month.split("-")
            bed_days_set(
                actor=system_actor, ward=ward, month=dt.date(int(year), int(number), 1),
                bed_days=value,
            )

    return enter


@pytest.fixture
def up_to_date() -> Callable[[Any], None]:
    """Bring the organisation's summaries up to date, as a dashboard read does."""
    from rrp.analytics.summaries import bring_up_to_date

    def run(organisation: Any, now: dt.datetime = NOW) -> None:
        bring_up_to_date(organisation, now=now)

    return run


@pytest.fixture
def oak_march(
    organisation: Any, make_ward: Any, make_patient: Any, make_admission: Any, record: Any,
    bed_days: Any, system_actor: Any,
) -> Any:
    """Oak Ward's March 2026, worked out by hand in test_breakdowns.py: 5 incidents, 6
    interventions, 3 patients (one Black man with 4 of the interventions), 71 bed days."""
    from rrp.incidents.services import medical_review_record

    oak = make_ward("OAK", "Oak Ward")
    p1 = make_patient("P1", ethnic_category="N", sex="male", date_of_birth=dt.date(1990, 5, 1))
    p2 = make_patient("P2", ethnic_category="A", sex="female", date_of_birth=dt.date(1960, 5, 1))
    p3 = make_patient("P3", ethnic_category="A", sex="male", date_of_birth=dt.date(2000, 5, 1))
    make_admission(p1, oak, dt.date(2026, 3, 1))
    make_admission(p2, oak, dt.date(2026, 3, 1), dt.date(2026, 3, 21))
    make_admission(p3, oak, dt.date(2026, 3, 11), dt.date(2026, 3, 31))
    bed_days(oak, {"2026-03": 71})
    i1 = record(oak, p1, "2026-03-02 09:00", [("01", 0, 5), ("09", 5, 15)],
                injuries=[("patient", "minor")],
                staff=[("lead", False), ("monitoring_wellbeing", False), ("upper_limbs", False)])
    i2 = record(oak, p1, "2026-03-04 18:30", [("07", 0, 20)], reason="11")
    record(oak, p1, "2026-03-09 18:10", [("05", 0, 300)])
    record(oak, p2, "2026-03-10 07:00", [("14", 0, 1)], reason="13")
    record(oak, p3, "2026-03-20 22:00", [("11", 0, 45)], harm="low")
    medical_review_record(actor=system_actor, incident=i1, reviewed_at=local("2026-03-02 09:30"),
                          reviewer="Dr A", findings="Well", now=NOW)
    medical_review_record(actor=system_actor, incident=i2, reviewed_at=local("2026-03-04 20:00"),
                          reviewer="Dr B", findings="Well", now=NOW,
                          delay_reason="Doctor at a cardiac arrest on another ward")
    return oak


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The specs vl-convert is asked to draw from now on."""
    import vl_convert

    asked: list[object] = []
    real = vl_convert.vegalite_to_svg

    def counting(spec: object) -> str:
        asked.append(spec)
        return real(spec)

    monkeypatch.setattr(vl_convert, "vegalite_to_svg", counting)
    return asked
