"""A file's name and a request's size never turn an upload into a bare "Bad Request (400)"
(issue 11): a long name is shortened, keeping its extension; a request larger than the server
takes is answered with a page saying the limit."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from rrp.standards.models import Evidence

from .conftest import PDF


def _upload(client: Any, cycle: Any, name: str) -> Any:
    return client.post(
        f"/compliance/cycles/{cycle.pk}/statements/1.1.I/evidence/upload/",
        {"upload": SimpleUploadedFile(name, PDF), "title": "Strategy"},
    )


def test_a_255_character_file_name_is_kept_to_255_keeping_its_extension(
    cycle: Any, lead: Any, client_for: Any, organisation: Any
) -> None:
    response = _upload(client_for(lead, organisation), cycle, "s" * 1000 + ".pdf")
    assert response.status_code == 302, response.content[:500]
    evidence = Evidence.objects.get()
    assert len(evidence.original_name) <= 255
    assert evidence.original_name.endswith(".pdf")


def test_a_form_larger_than_the_server_reads_is_413_saying_the_limit(
    lead: Any, client_for: Any, organisation: Any, settings: Any
) -> None:
    client = client_for(lead, organisation)
    response = client.post("/uses-of-force/record/",
                           {"description": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})
    assert response.status_code == 413
    page = response.content.decode()
    assert "What you sent is too large" in page
    assert "A form can hold at most 2 MB of text" in page


def test_a_file_name_longer_than_the_server_reads_is_a_page_saying_so(
    cycle: Any, lead: Any, client_for: Any, organisation: Any
) -> None:
    # As a browser sends it: the whole name in the part's header (the test client's own
    # encoding would shorten it to 255 first, as UploadedFile does).
    boundary = "rrpboundary"
    body = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="title"\r\n\r\nStrategy\r\n'
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="upload"; filename="{"s" * 1000}.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode() + PDF + f"\r\n--{boundary}--\r\n".encode()
    response = client_for(lead, organisation).generic(
        "POST", f"/compliance/cycles/{cycle.pk}/statements/1.1.I/evidence/upload/", body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "name is too long" in page
    assert "A file&#39;s name can be at most about 900 characters" in page
    assert not Evidence.objects.exists()
