"""Accepted evidence files are stored outside the web root under a random name with their
SHA-256 hash, and handed out only as downloads, to people allowed to see them."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from rrp.audit.models import AuditEvent
from rrp.standards.models import Evidence

from .conftest import HTML, PDF, SVG, WINDOWS_EXE, png_bytes


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_an_upload_is_stored_under_a_random_name_with_its_hash(
    upload_evidence: Any, client_as: Any
) -> None:
    evidence = upload_evidence(name="Restraint policy.pdf", content=PDF)
    assert evidence.sha256 == hashlib.sha256(PDF).hexdigest()
    assert evidence.size == len(PDF)
    assert evidence.original_name == "Restraint policy.pdf"
    assert evidence.content_type == "application/pdf"
    [path] = stored_files()
    assert path.read_bytes() == PDF
    # The name a person chose decides nothing: no extension, no part of the original name.
    assert path.suffix == ""
    assert "policy" not in path.name.lower()
    assert len(path.name) == 40
    # Outside anything the static file server serves.
    assert Path(settings.STATIC_ROOT) not in path.parents
    assert not any(Path(folder) in path.parents for folder in settings.STATICFILES_DIRS)
    # No address serves the stored file directly: only the permission-checked download does.
    client = client_as("rrp_lead")
    for prefix in ("/media/", "/uploads/", "/static/", "/static/uploads/", "/var/uploads/"):
        for tail in (f"evidence/{evidence.stored_name}", evidence.stored_name):
            assert client.get(prefix + tail).status_code == 404, prefix + tail


def test_two_uploads_of_the_same_file_never_share_a_stored_name(upload_evidence: Any) -> None:
    first, second = upload_evidence(), upload_evidence()
    assert first.stored_name != second.stored_name
    assert first.sha256 == second.sha256
    assert len(stored_files()) == 2


def test_a_download_is_an_attachment_that_is_never_sniffed_or_rendered(
    upload_evidence: Any, client_as: Any
) -> None:
    evidence = upload_evidence(name="ward poster.png", content=png_bytes(), title="Poster")
    response = client_as("board").get(f"/compliance/evidence/{evidence.pk}/download/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == png_bytes()
    assert response["Content-Disposition"] == 'attachment; filename="ward poster.png"'
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "no-store" in response["Cache-Control"]
    assert (
        AuditEvent.objects.filter(
            object_type="standards.evidence", object_id=str(evidence.pk), action="view"
        ).count()
        == 1
    )


def test_a_changed_file_is_not_handed_out(upload_evidence: Any, client_as: Any) -> None:
    evidence = upload_evidence()
    [path] = stored_files()
    path.write_bytes(PDF.replace(b"200 200", b"300 300"))
    response = client_as("rrp_lead").get(f"/compliance/evidence/{evidence.pk}/download/")
    assert response.status_code == 409
    assert "has changed since it was uploaded" in response.content.decode()


def test_only_people_who_may_see_the_assessment_download_and_only_in_their_organisation(
    upload_evidence: Any, client_as: Any, make_organisation: Any
) -> None:
    evidence = upload_evidence()
    url = f"/compliance/evidence/{evidence.pk}/download/"
    assert client_as("ward_staff").get(url).status_code == 403
    other = make_organisation(ods_code="R2B")
    assert client_as("rrp_lead", organisation=other).get(url).status_code == 404
    assert client_as("auditor").get(url).status_code == 200


def test_the_upload_page_refuses_bad_files_with_the_reason_and_stores_nothing(
    cycle: Any, lead: Any, client_for: Any, organisation: Any
) -> None:
    client = client_for(lead, organisation)
    url = f"/compliance/cycles/{cycle.pk}/statements/1.1.I/evidence/upload/"
    bad = {
        "policy.pdf": (HTML, "The file is called policy.pdf but it is not a PDF"),
        "chart.svg": (SVG, ".svg files cannot be uploaded"),
        "tool.exe": (WINDOWS_EXE, ".exe files cannot be uploaded"),
        "tool.pdf": (WINDOWS_EXE, "The selected file is a program or script"),
        "photo.jpg": (png_bytes(), "but it is not a JPEG image"),
    }
    for name, (content, message) in bad.items():
        response = client.post(
            url,
            {
                "upload": SimpleUploadedFile(name, content),
                "title": "Policy",
                "review_on_0": "",
                "review_on_1": "",
                "review_on_2": "",
            },
        )
        assert response.status_code == 200, name
        body = response.content.decode()
        assert "There is a problem" in body
        assert message in body, name
        assert 'href="#id_upload"' in body
    assert not Evidence.objects.exists()
    assert stored_files() == []


def test_the_upload_page_refuses_a_file_over_the_size_limit(
    cycle: Any, lead: Any, client_for: Any, organisation: Any, settings: Any
) -> None:
    settings.RRP_EVIDENCE_MAX_BYTES = 1024 * 1024
    response = client_for(lead, organisation).post(
        f"/compliance/cycles/{cycle.pk}/statements/1.1.I/evidence/upload/",
        {
            "upload": SimpleUploadedFile("big.pdf", PDF + b" " * (1024 * 1024)),
            "title": "Big",
            "review_on_0": "",
            "review_on_1": "",
            "review_on_2": "",
        },
    )
    assert "The selected file must be smaller than 1 MB" in response.content.decode()
    assert not Evidence.objects.exists()


def test_an_accepted_upload_is_added_to_the_statement(
    cycle: Any, lead: Any, client_for: Any, organisation: Any
) -> None:
    client = client_for(lead, organisation)
    response = client.post(
        f"/compliance/cycles/{cycle.pk}/statements/1.1.I/evidence/upload/",
        {
            "upload": SimpleUploadedFile("strategy.pdf", PDF),
            "title": "RRP strategy",
            "owner": str(lead.pk),
            "review_on_0": "31",
            "review_on_1": "3",
            "review_on_2": "2027",
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "RRP strategy" in page
    assert "review by 31 March 2027" in page
    evidence = Evidence.objects.get()
    assert evidence.attachments.get().assessment.statement.ref == "1.1.I"
