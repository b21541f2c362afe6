"""PDFs are read with a PDF library and images decoded (issue 11): the ways round the old byte
check (an escaped /J#61vaScript, a web page after %PDF-, HTML joined to a PNG) are refused,
and ordinary documents and pictures still go through."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from rrp.standards.uploads import UploadRejected, check_upload

from .conftest import JPEG, PDF, pdf_bytes, png_bytes

HTML_TAIL = b"<html><script>alert(document.cookie)</script></html>"


def accepted(name: str, content: bytes) -> str:
    return check_upload(name, io.BytesIO(content), len(content)).content_type


def refused(name: str, content: bytes) -> str:
    with pytest.raises(UploadRejected) as error:
        accepted(name, content)
    return str(error.value)


def hand_pdf(catalog_extra: bytes, *more: bytes) -> bytes:
    """A PDF written byte by byte with a correct cross-reference table, so that what it holds
    is exactly what the test says (pypdf would write names its own way)."""
    objects = [b"<</Type/Catalog/Pages 2 0 R" + catalog_extra + b">>",
               b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
               b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>", *more]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def test_plain_pdfs_are_accepted() -> None:
    assert accepted("policy.pdf", PDF) == "application/pdf"
    assert accepted("hand.pdf", hand_pdf(b"")) == "application/pdf"
    link = b"/Annots[<</Type/Annot/Subtype/Link/Rect[0 0 10 10]/A<</S/URI/URI(https://nhs.uk)>>>>]"
    assert accepted("linked.pdf", hand_pdf(b"", ).replace(
        b"/MediaBox[0 0 200 200]>>", b"/MediaBox[0 0 200 200]" + link + b">>")) != ""


def test_a_pdf_drawn_by_weasyprint_as_rrp_draws_them_is_accepted() -> None:
    from weasyprint import HTML

    drawn = HTML(string="<h1>Board report</h1><p><a href='https://www.nhs.uk'>NHS</a></p>"
                 ).write_pdf()
    assert accepted("board report.pdf", drawn) == "application/pdf"


@pytest.mark.parametrize("catalog", [
    b"/OpenAction<</S/JavaScript/JS(app.alert(1))>>",
    b"/OpenAction<</S/J#61vaScript/J#53(app.alert(1))>>",  # #61 is a, #53 is S
    b"/OpenAction<</S/Launch/F(calc.exe)>>",
    b"/OpenAction<</S/L#61unch/F(calc.exe)>>",
    b"/AA<</WC<</S/URI/URI(https://example.com)>>>>",
    b"/Names<</EmbeddedFiles<</Names[(a.exe)4 0 R]>>>>",
    b"/AcroForm<</Fields[]/XFA 4 0 R>>",
])
def test_active_content_is_refused_however_its_names_are_written(catalog: bytes) -> None:
    pdf = hand_pdf(catalog, b"<</Type/Filespec/F(a.exe)>>")
    assert "contains scripts, launch actions or attached files" in refused("policy.pdf", pdf)


def test_scripts_and_attachments_pypdf_itself_writes_are_refused() -> None:
    with_js = pdf_bytes(lambda writer: writer.add_js("app.alert(1);"))
    attached = pdf_bytes(lambda writer: writer.add_attachment("run.bat", b"format c:"))
    for pdf in (with_js, attached):
        assert "contains scripts" in refused("policy.pdf", pdf)


def test_a_web_page_after_the_pdf_header_is_refused() -> None:
    assert refused("policy.pdf", b"%PDF-1.4\n" + HTML_TAIL) == (
        "The selected file is not a PDF: it is damaged or not a PDF inside")


def png(size: tuple[int, int] = (3, 3)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "blue").save(out, "PNG")
    return out.getvalue()


def test_real_images_are_accepted() -> None:
    assert accepted("chart.png", png()) == "image/png"
    assert accepted("chart.png", png_bytes()) == "image/png"
    assert accepted("photo.jpg", JPEG) == "image/jpeg"


@pytest.mark.parametrize("name, content", [
    ("chart.png", png() + HTML_TAIL),
    ("chart.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40 + HTML_TAIL),
    ("photo.jpg", JPEG + HTML_TAIL),
    ("photo.jpg", JPEG + HTML_TAIL + b"\xff\xd9"),  # a second end marker does not hide it
    ("photo.jpg", JPEG[:40]),
])
def test_an_image_that_does_not_decode_or_has_something_joined_is_refused(
    name: str, content: bytes
) -> None:
    assert "is damaged or has something else joined to its end" in refused(name, content)


def test_an_image_over_the_pixel_limit_says_so_not_damaged() -> None:
    from rrp.standards.pdf_checks import MAX_IMAGE_PIXELS

    out = io.BytesIO()
    Image.new("1", (12_000, MAX_IMAGE_PIXELS // 12_000 + 1)).save(out, "PNG")
    assert refused("huge.png", out.getvalue()) == (
        "The PNG image is too large: at most 100 megapixels")


def test_a_phone_photo_made_of_several_jpegs_is_accepted() -> None:
    # Multi-picture (MPO) and HDR gain-map photos are JPEGs one after another.
    out = io.BytesIO()
    first, second = Image.new("RGB", (4, 4), "red"), Image.new("RGB", (4, 4), "blue")
    first.save(out, "MPO", save_all=True, append_images=[second])
    assert accepted("photo.jpg", out.getvalue()) == "image/jpeg"


def test_an_encrypted_pdf_that_opens_without_a_password_is_read_and_checked() -> None:
    def restrict(writer: Any) -> None:
        writer.encrypt(user_password="", owner_password="owner", algorithm="AES-256")

    assert accepted("restricted.pdf", pdf_bytes(restrict)) == "application/pdf"
    locked = pdf_bytes(lambda writer: writer.encrypt("secret", algorithm="AES-256"))
    assert "protected by a password" in refused("locked.pdf", locked)


def test_a_long_report_is_checked_not_called_damaged() -> None:
    def many_pages(writer: Any) -> None:
        for _ in range(400):
            writer.add_blank_page(200, 200)
            writer.add_uri(len(writer.pages) - 1, "https://www.nhs.uk", [0, 0, 10, 10])

    assert accepted("annual report.pdf", pdf_bytes(many_pages)) == "application/pdf"
