"""Evidence files are checked from their content, not their name: web pages, SVG, programs,
archives, macros, zip bombs, oversized files and files whose content does not match their
extension are refused with a message saying why."""

from __future__ import annotations

import io

import pytest

from rrp.standards.uploads import UploadRejected, check_upload

from .conftest import (
    CSV_TEXT,
    HTML,
    JPEG,
    LINUX_ELF,
    PDF,
    PLAIN_TEXT,
    SVG,
    WINDOWS_EXE,
    docx_bytes,
    odt_bytes,
    office_zip,
    pdf_bytes,
    png_bytes,
    xlsx_bytes,
)


def check(name: str, content: bytes, max_bytes: int = 20 * 1024 * 1024) -> str:
    return check_upload(name, io.BytesIO(content), len(content), max_bytes=max_bytes).content_type


def refused(name: str, content: bytes, max_bytes: int = 20 * 1024 * 1024) -> str:
    with pytest.raises(UploadRejected) as error:
        check(name, content, max_bytes)
    return str(error.value)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("Restraint policy v3.PDF", PDF, "application/pdf"),
        ("ward-round.png", png_bytes(), "image/png"),
        ("photo of poster.jpeg", JPEG, "image/jpeg"),
        ("photo.jpg", JPEG, "image/jpeg"),
        (
            "policy.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "training.xlsx",
            xlsx_bytes(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("minutes.odt", odt_bytes(), "application/vnd.oasis.opendocument.text"),
        ("training.csv", CSV_TEXT, "text/csv"),
        ("minutes.txt", PLAIN_TEXT, "text/plain"),
        ("excel-export.csv", "Ward,Name\r\nOak,Zoë\r\n".encode("cp1252"), "text/csv"),
    ],
)
def test_the_accepted_kinds_of_file(name: str, content: bytes, content_type: str) -> None:
    assert check(name, content) == content_type


def test_a_web_page_renamed_pdf_is_refused() -> None:
    message = refused("policy.pdf", HTML)
    assert message == (
        "The file is called policy.pdf but it is not a PDF: its content looks like "
        "a web page or SVG image"
    )


def test_web_pages_and_svg_are_refused_whatever_they_are_called() -> None:
    assert refused("page.html", HTML).startswith(".html files cannot be uploaded")
    assert refused("chart.svg", SVG).startswith(".svg files cannot be uploaded")
    assert "not a PNG image" in refused("chart.png", SVG)
    assert "web page or SVG markup" in refused("notes.txt", SVG)
    assert "web page or SVG markup" in refused(
        "export.csv", b"Name\r\n<script>alert(1)</script>\r\n"
    )


def test_programs_are_refused_whatever_they_are_called() -> None:
    assert refused("setup.exe", WINDOWS_EXE).startswith(".exe files cannot be uploaded")
    for name in ("policy.pdf", "policy.docx", "notes.txt", "data.csv"):
        assert (
            refused(name, WINDOWS_EXE)
            == "The selected file is a program or script, which cannot be uploaded"
        )
        assert (
            refused(name, LINUX_ELF)
            == "The selected file is a program or script, which cannot be uploaded"
        )
    assert "program or script" in refused("run.txt", b"#!/bin/sh\nrm -rf /\n")


def test_a_file_larger_than_the_limit_is_refused() -> None:
    message = refused("big.pdf", PDF + b"0" * (2 * 1024 * 1024), max_bytes=1024 * 1024)
    assert message == "The selected file must be smaller than 1 MB"
    assert refused("empty.pdf", b"") == "The selected file is empty"


def test_a_file_whose_content_does_not_match_its_extension_is_refused() -> None:
    assert "not a JPEG image" in refused("photo.jpg", png_bytes())
    assert "not a Word document" in refused("policy.docx", PDF)
    assert "not a PDF" in refused("policy.pdf", docx_bytes())
    assert "not an Excel workbook" in refused("training.xlsx", docx_bytes())
    assert "binary data" in refused("notes.txt", png_bytes())


def test_archives_are_refused_even_renamed_as_office_documents() -> None:
    plain_zip = office_zip({"notes.txt": b"hello", "more/evil.exe": WINDOWS_EXE})
    assert refused("bundle.zip", plain_zip).startswith(".zip files cannot be uploaded")
    assert "not a Word document" in refused("policy.docx", plain_zip)


def test_a_zip_bomb_shaped_like_a_word_document_is_refused() -> None:
    bomb = docx_bytes({"word/media/padding.bin": b"\x00" * (8 * 1024 * 1024)})
    assert len(bomb) < 100_000
    assert (
        refused("policy.docx", bomb)
        == "The Word document expands to an unsafe size and cannot be uploaded"
    )


def test_office_documents_with_macros_are_refused() -> None:
    macro = docx_bytes({"word/vbaProject.bin": b"macro"})
    assert "contains macros" in refused("policy.docx", macro)


def test_a_pdf_with_scripts_is_refused() -> None:
    scripted = pdf_bytes(lambda writer: writer.add_js("app.alert(1);"))
    assert "contains scripts" in refused("policy.pdf", scripted)


def test_a_damaged_office_document_is_refused() -> None:
    damaged = docx_bytes()[:300]
    assert refused("policy.docx", damaged) == (
        "The file is called policy.docx but it is not a Word document: its content looks like "
        "an archive"
    )
