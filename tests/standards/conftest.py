"""Fixtures for compliance: the lead of the test organisation, cycles at each stage, evidence
files built in memory (good ones and bad ones), and uses of force for the live indicators.

Cycles cover 1 April 2026 to 31 March 2027. Uploaded files go to a MEDIA_ROOT of the test's
own, so a test can look at exactly what was stored.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PIL import Image
from pypdf import PdfWriter

from rrp.audit.services import Actor

LONDON = ZoneInfo("Europe/London")
PERIOD_START = dt.date(2026, 4, 1)
PERIOD_END = dt.date(2027, 3, 31)
NOW = dt.datetime(2026, 10, 5, 14, 0, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


@pytest.fixture
def lead(make_user: Callable[..., Any]) -> Any:
    """Grace Mensah, the restrictive practice (executive) lead of Example NHS Trust."""
    return make_user("rrp_lead", username="grace", full_name="Grace Mensah")


@pytest.fixture
def lead_actor(lead: Any) -> Actor:
    return Actor(user=lead, ip_address="10.0.0.9", via="web")


@pytest.fixture
def make_cycle(organisation: Any, lead_actor: Actor) -> Callable[..., Any]:
    """make_cycle(name="2026/27 annual", start=True, **cycle_create arguments)."""
    from rrp.standards import services

    def make(name: str = "2026/27 annual", start: bool = True, **values: Any) -> Any:
        values.setdefault("period_start", PERIOD_START)
        values.setdefault("period_end", PERIOD_END)
        values.setdefault("organisation", organisation)
        cycle = services.cycle_create(actor=lead_actor, name=name, **values)
        if start:
            services.cycle_start(actor=lead_actor, cycle=cycle)
        return cycle

    return make


@pytest.fixture
def cycle(make_cycle: Callable[..., Any]) -> Any:
    """2026/27 annual, in progress, every statement unrated."""
    return make_cycle()


def assessment_of(cycle: Any, ref: str) -> Any:
    from rrp.standards.models import StatementAssessment

    return StatementAssessment.objects.select_related("statement", "cycle").get(
        cycle=cycle, statement__ref=ref
    )


def rate_everything(cycle: Any, rating: str = "met") -> None:
    """Test setup only: give every statement a rating without going through 209 services."""
    from rrp.standards.models import StatementAssessment

    StatementAssessment.objects.filter(cycle=cycle).update(rating=rating, narrative="Set up")


# -- evidence files ----------------------------------------------------------------------------

def pdf_bytes(change: Callable[[PdfWriter], None] | None = None) -> bytes:
    """A real one-page PDF (200 x 200 points), made with pypdf; `change` adds to it first."""
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    if change is not None:
        change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PDF = pdf_bytes()
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
)
WINDOWS_EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
LINUX_ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 200
CSV_TEXT = b"Ward,Trained,Percent\r\nOak Ward,39,93\r\nAsh Ward,29,97\r\n"
PLAIN_TEXT = b"Minutes of the restrictive practice group, 3 March 2026.\n"


def png_bytes() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def jpeg_bytes() -> bytes:
    """A real 2 x 2 JPEG, made with Pillow."""
    out = io.BytesIO()
    Image.new("RGB", (2, 2), "red").save(out, "JPEG")
    return out.getvalue()


JPEG = jpeg_bytes()


def office_zip(members: dict[str, bytes], *, compress: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compress) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


CONTENT_TYPES_DOCX = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    b'package/2006/content-types"><Override PartName="/word/document.xml" ContentType="'
    b'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)


def docx_bytes(extra: dict[str, bytes] | None = None) -> bytes:
    members = {
        "[Content_Types].xml": CONTENT_TYPES_DOCX,
        "_rels/.rels": b"<Relationships/>",
        "word/document.xml": b"<w:document><w:body><w:p><w:r><w:t>Policy</w:t></w:r></w:p>"
        b"</w:body></w:document>",
    }
    members.update(extra or {})
    return office_zip(members)


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Ward", "Trained"])
    sheet.append(["Oak Ward", 39])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def odt_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), b"application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", b"<office:document-content/>")
        archive.writestr("META-INF/manifest.xml", b"<manifest:manifest/>")
    return buffer.getvalue()


@pytest.fixture
def upload_evidence(organisation: Any, lead_actor: Actor) -> Callable[..., Any]:
    """upload_evidence(name="policy.pdf", content=PDF, title=...): a file through the service."""
    from rrp.standards import services

    def upload(
        name: str = "policy.pdf",
        content: bytes = PDF,
        title: str = "Restraint policy",
        **values: Any,
    ) -> Any:
        return services.evidence_upload(
            actor=lead_actor,
            organisation=values.pop("organisation", organisation),
            upload=io.BytesIO(content),
            filename=name,
            size=len(content),
            title=title,
            **values,
        )

    return upload


# -- uses of force for the live indicators -------------------------------------------------------


@pytest.fixture
def record_restraint(
    organisation: Any, ward: Any, patient: Any, make_user: Callable[..., Any]
) -> Callable[..., Any]:
    """record_restraint(started_at, minutes=10, type_code="07", submit=True, **input overrides):
    a physical restraint recorded and submitted through the incident services."""
    from rrp.incidents import services
    from rrp.incidents.inputs import IncidentInput, InterventionInput, StaffInput

    nurse = make_user("ward_staff", username="nurse_ada", full_name="Ada Okafor")
    actor = Actor(user=nurse, via="web")

    def record(
        started_at: dt.datetime,
        minutes: int = 10,
        type_code: str = "07",
        submit: bool = True,
        **overrides: Any,
    ) -> Any:
        ended_at = started_at + dt.timedelta(minutes=minutes)
        values: dict[str, Any] = {
            "ward": overrides.pop("ward", ward),
            "patient": overrides.pop("patient", patient),
            "started_at": started_at,
            "ended_at": ended_at,
            "reason": "10",
            "description": "Held standing, then guided to a chair",
            "efforts_to_avoid": "Calm talking and space offered",
            "outcome": "Settled, no injury",
            "notification": "not_applicable",
            "in_care_plan": False,
            "interventions": [InterventionInput(type_code, started_at, ended_at)],
            "staff": [
                StaffInput("Sam Lee", "Staff nurse", "lead"),
                StaffInput("Ali Khan", "Healthcare assistant", "head_airway"),
                StaffInput("Kim Ode", "Staff nurse", "monitoring_wellbeing"),
            ],
        }
        values.update(overrides)
        return services.incident_create(
            actor=actor,
            organisation=organisation,
            data=IncidentInput(**values),
            submit=submit,
            now=ended_at + dt.timedelta(minutes=5),
        )

    return record
