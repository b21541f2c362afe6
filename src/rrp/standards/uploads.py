"""Checking an uploaded evidence file from its content, not its name.

Evidence is read by other people (the board, a peer reviewer from another provider, the
regulator), so an upload must be what it says it is and must not be able to run anything in
their browser. Accepted: PDF, PNG, JPEG, Word (.docx), Excel (.xlsx), OpenDocument text and
spreadsheets (.odt, .ods), CSV and plain text. Refused: web pages and SVG (they can carry
scripts), executables, archives other than the office formats above, office files with
macros, zip bombs, PDFs with scripts, actions or attached files (read with pypdf, so an
escaped name like /J#61vaScript is seen for what it is: rrp.standards.pdf_checks), images
that do not decode or carry something joined to their end, and any file whose content does
not match its extension. Files are also served only as downloads (see views), never inline.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from dataclasses import dataclass
from typing import BinaryIO, Final

import filetype

from rrp.standards.pdf_checks import image_problem, pdf_problem

MEGABYTE: Final = 1024 * 1024
DEFAULT_MAX_BYTES: Final = 20 * MEGABYTE
# Office documents are zip files: refuse ones that expand absurdly (zip bombs).
MAX_ZIP_MEMBERS: Final = 5000
MAX_ZIP_EXPANDED_BYTES: Final = 250 * MEGABYTE
MAX_ZIP_RATIO: Final = 200
_HEAD_BYTES: Final = 8192


class UploadRejected(ValueError):
    """The file cannot be accepted; the message says why, in plain English."""


@dataclass(frozen=True)
class AcceptedType:
    extension: str
    content_type: str
    label: str

    @property
    def with_article(self) -> str:
        return ("an " if self.label[0] in "AEIOU" else "a ") + self.label


PDF = AcceptedType("pdf", "application/pdf", "PDF")
PNG = AcceptedType("png", "image/png", "PNG image")
JPEG = AcceptedType("jpg", "image/jpeg", "JPEG image")
DOCX = AcceptedType(
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "Word document",
)
XLSX = AcceptedType(
    "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel workbook"
)
ODT = AcceptedType("odt", "application/vnd.oasis.opendocument.text", "OpenDocument text")
ODS = AcceptedType(
    "ods", "application/vnd.oasis.opendocument.spreadsheet", "OpenDocument spreadsheet"
)
CSV = AcceptedType("csv", "text/csv", "CSV file")
TEXT = AcceptedType("txt", "text/plain", "text file")

BY_EXTENSION: Final[dict[str, AcceptedType]] = {
    "pdf": PDF,
    "png": PNG,
    "jpg": JPEG,
    "jpeg": JPEG,
    "docx": DOCX,
    "xlsx": XLSX,
    "odt": ODT,
    "ods": ODS,
    "csv": CSV,
    "txt": TEXT,
}
ALLOWED_DESCRIPTION: Final = (
    "a PDF, PNG or JPEG image, Word (.docx), Excel (.xlsx), OpenDocument (.odt, .ods), "
    "CSV or plain text (.txt) file"
)

# Office formats: (zip member that must exist, what the filetype sniffer calls it).
_OFFICE_MARKERS: Final[dict[str, str]] = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
}
_EXECUTABLE_MAGIC: Final = (
    b"MZ",  # Windows
    b"\x7fELF",  # Linux
    b"\xcf\xfa\xed\xfe",  # macOS Mach-O 64-bit
    b"\xce\xfa\xed\xfe",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xca\xfe\xba\xbe",  # Mach-O universal binary or Java class
    b"#!",  # scripts
)
_MARKUP_RE: Final = re.compile(
    rb"<\s*(?:!doctype|html|head|body|script|svg|iframe|object|embed|\?xml|meta|link|style)\b"
    rb"|javascript:",
    re.IGNORECASE,
)
_CONTROL_RE: Final = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def extension_of(name: str) -> str:
    """The lower-case extension after the last dot ("Policy.v2.PDF" -> "pdf"), or ""."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[1].lower() if "." in base else ""


def _read_all(stream: BinaryIO) -> bytes:
    stream.seek(0)
    data = stream.read()
    stream.seek(0)
    return data


def describe_content(head: bytes) -> str:
    """What the first bytes look like, for a message (never used to accept a file)."""
    if head.startswith(_EXECUTABLE_MAGIC):
        return "a program or script"
    if _MARKUP_RE.search(head[:4096]):
        return "a web page or SVG image"
    kind = filetype.guess(head)
    if kind is not None:
        if kind.extension in {"zip", "rar", "7z", "gz", "tar", "bz2", "xz", "zst", "cab"}:
            return "an archive"
        return f"a .{kind.extension} file"
    return "something else"


def check_upload(
    name: str,
    stream: BinaryIO,
    size: int,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    allowed: frozenset[str] | None = None,
) -> AcceptedType:
    """The type of an acceptable file, or UploadRejected saying what is wrong with it.

    `allowed` limits the extensions further (e.g. {"csv", "xlsx"} for a cycle import).
    """
    if size <= 0:
        raise UploadRejected("The selected file is empty")
    if size > max_bytes:
        raise UploadRejected(f"The selected file must be smaller than {max_bytes // MEGABYTE} MB")
    extension = extension_of(name)
    permitted = allowed if allowed is not None else frozenset(BY_EXTENSION)
    if extension not in permitted or extension not in BY_EXTENSION:
        shown = f".{extension} files" if extension else "Files without an extension"
        wanted = (
            ALLOWED_DESCRIPTION
            if allowed is None
            else " or ".join(f".{ext}" for ext in sorted(permitted))
        )
        raise UploadRejected(f"{shown} cannot be uploaded. Upload {wanted}")
    expected = BY_EXTENSION[extension]
    stream.seek(0)
    head = stream.read(_HEAD_BYTES)
    stream.seek(0)

    if head.startswith(_EXECUTABLE_MAGIC):
        raise UploadRejected("The selected file is a program or script, which cannot be uploaded")
    if expected in (CSV, TEXT):
        _check_text(expected, _read_all(stream))
        return expected

    kind = filetype.guess(head)
    mismatch = UploadRejected(
        f"The file is called {_short(name)} but it is not {expected.with_article}: "
        f"its content looks like {describe_content(head)}"
    )
    if expected is PDF:
        if not head.startswith(b"%PDF-"):
            raise mismatch
        _refuse_if(pdf_problem(stream))
        return PDF
    if expected is PNG:
        if kind is None or kind.mime not in {"image/png", "image/apng"}:
            raise mismatch
        _refuse_if(image_problem(expected.label, _read_all(stream)))
        return PNG
    if expected is JPEG:
        if kind is None or kind.mime != "image/jpeg":
            raise mismatch
        _refuse_if(image_problem(expected.label, _read_all(stream)))
        return JPEG
    # docx, xlsx, odt, ods: zip containers, checked inside.
    if kind is None or kind.mime != expected.content_type:
        raise mismatch
    _check_office_zip(expected, stream)
    return expected


def _refuse_if(problem: str | None) -> None:
    if problem is not None:
        raise UploadRejected(problem)


def _short(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return base if len(base) <= 60 else base[:57] + "..."


def _check_text(expected: AcceptedType, data: bytes) -> None:
    if b"\x00" in data:
        raise UploadRejected(
            f"The selected file is not {expected.with_article}: it contains binary data"
        )
    text = decode_text(data)
    if text is None:
        raise UploadRejected(
            f"The selected file is not {expected.with_article}: save it as UTF-8 text and try again"
        )
    if _CONTROL_RE.search(text):
        raise UploadRejected(
            f"The selected file is not {expected.with_article}: it contains binary data"
        )
    if _MARKUP_RE.search(data):
        raise UploadRejected(
            f"The selected file is not {expected.with_article}: it contains web page or SVG "
            "markup, which cannot be uploaded"
        )
    if expected is CSV:
        try:
            rows = list(csv.reader(io.StringIO(text)))
        except csv.Error:
            raise UploadRejected("The selected file is not a valid CSV file") from None
        if not rows:
            raise UploadRejected("The selected CSV file has no rows")


def decode_text(data: bytes) -> str | None:
    """UTF-8 (with or without a byte order mark), else Windows-1252 as Excel saves CSV in
    England; None when neither reads it."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _check_office_zip(expected: AcceptedType, stream: BinaryIO) -> None:
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
            names = {member.filename for member in members}
            if len(members) > MAX_ZIP_MEMBERS:
                raise UploadRejected(f"The {expected.label} has too many parts to be checked")
            expanded = 0
            for member in members:
                expanded += member.file_size
                if (
                    member.compress_size
                    and member.file_size > MEGABYTE
                    and (member.file_size / member.compress_size > MAX_ZIP_RATIO)
                ):
                    raise UploadRejected(
                        f"The {expected.label} expands to an unsafe size and cannot be uploaded"
                    )
            if expanded > MAX_ZIP_EXPANDED_BYTES:
                raise UploadRejected(
                    f"The {expected.label} expands to an unsafe size and cannot be uploaded"
                )
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                raise UploadRejected(
                    f"The {expected.label} contains macros, which cannot be uploaded. "
                    "Save it without macros and try again"
                )
            if expected.extension in _OFFICE_MARKERS:
                if "[Content_Types].xml" not in names or (
                    _OFFICE_MARKERS[expected.extension] not in names
                ):
                    raise UploadRejected(f"The selected file is not {expected.with_article}")
                types = archive.read("[Content_Types].xml")
                if b"macroEnabled" in types:
                    raise UploadRejected(
                        f"The {expected.label} contains macros, which cannot be uploaded. "
                        "Save it without macros and try again"
                    )
            else:
                # OpenDocument: the first member is "mimetype", holding the exact type.
                if (
                    not members
                    or members[0].filename != "mimetype"
                    or (archive.read("mimetype").strip() != expected.content_type.encode())
                ):
                    raise UploadRejected(f"The selected file is not {expected.with_article}")
                if any(name.lower().startswith("basic/") for name in names):
                    raise UploadRejected(
                        f"The {expected.label} contains macros, which cannot be uploaded. "
                        "Save it without macros and try again"
                    )
    except zipfile.BadZipFile:
        raise UploadRejected(
            f"The selected file is not {expected.with_article}: it is damaged"
        ) from None
    finally:
        stream.seek(0)
