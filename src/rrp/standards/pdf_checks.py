"""Reading an uploaded PDF or image as what it claims to be (issue 11), for rrp.standards.uploads.

A regular expression over a PDF's bytes misses `/J#61vaScript` (a PDF name may escape any
character as #xx, and readers undo it) and accepts `%PDF-` followed by a web page. So a PDF
is opened with pypdf, which decodes names as a PDF reader does, and its objects are walked
from the document catalog: anything that runs or opens something (scripts, launch and other
actions, additional-actions on open or close, attached files, XFA forms) is refused, as is a
file pypdf cannot read or one with no pages.

An image must decode (Pillow), not be a decompression bomb, and end where its format says it
ends: a PNG after its IEND chunk, a JPEG at its end-of-image marker. Bytes joined after that
(a web page appended to a PNG) are refused.

Each function returns the sentence to show, or None when the file is acceptable.
"""

from __future__ import annotations

import io
import logging
import warnings
from typing import Any, BinaryIO, Final

from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

ACTIVE_PDF: Final = ("The PDF contains scripts, launch actions or attached files, which cannot "
                     "be uploaded. Save it again as a plain PDF (for example, print it to PDF)")
DAMAGED_PDF: Final = "The selected file is not a PDF: it is damaged or not a PDF inside"
LOCKED_PDF: Final = ("The PDF is protected by a password. Save it again without the password "
                     "and try again")

# Keys whose presence means the document can run or open something.
_ACTIVE_KEYS: Final = frozenset({
    "/JS", "/JavaScript", "/AA", "/EmbeddedFiles", "/EmbeddedFile", "/XFA", "/RichMedia",
    "/Launch",
})
# Action types (/S) that run or fetch something; /URI and /GoTo (links) are allowed.
_ACTIVE_ACTIONS: Final = frozenset({
    "/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/ResetForm", "/GoToE",
    "/GoToR", "/Rendition", "/RichMediaExecute", "/Sound", "/Movie",
})
_ACTIVE_SUBTYPES: Final = frozenset({"/FileAttachment", "/RichMedia", "/Movie", "/Sound",
                                     "/Screen"})
# Dictionaries and arrays walked (numbers and names are not counted): a 358-page report with
# 15,000 links has about 150,000. Past the limit the file is refused rather than walked for ever.
MAX_PDF_OBJECTS: Final = 1_000_000

MAX_IMAGE_PIXELS: Final = 100_000_000  # 100 megapixels: past any photograph of a document


COMPLEX_PDF: Final = ("The PDF is too complex to check (more than {limit:,} parts). Save it "
                      "again in smaller parts, or print it to PDF, and try again")

# pypdf logs every repair it makes to a broken file; a refused upload already says why.
logging.getLogger("pypdf").setLevel(logging.ERROR)


class _TooLarge(Exception):
    pass


def pdf_problem(stream: BinaryIO) -> str | None:
    stream.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(stream, strict=False)
            if reader.is_encrypted and not reader.decrypt(""):
                return LOCKED_PDF
            if len(reader.pages) == 0:
                return DAMAGED_PDF
            root = reader.trailer["/Root"]
            active = _holds_active_content(root)
    except _TooLarge:
        return COMPLEX_PDF.format(limit=MAX_PDF_OBJECTS)
    except Exception:  # pypdf raises many kinds on a malformed file: any of them means damaged
        return DAMAGED_PDF
    finally:
        stream.seek(0)
    return ACTIVE_PDF if active else None


def _holds_active_content(start: Any) -> bool:
    seen: set[tuple[int, int]] = set()
    pending: list[Any] = [start]
    visited = 0
    while pending:
        item = pending.pop()
        if isinstance(item, IndirectObject):
            ref = (item.idnum, item.generation)
            if ref in seen:
                continue
            seen.add(ref)
            item = item.get_object()
        if not isinstance(item, DictionaryObject | ArrayObject):
            continue
        visited += 1
        if visited > MAX_PDF_OBJECTS:
            raise _TooLarge
        if isinstance(item, DictionaryObject):  # streams too: their dictionary, not their data
            for key, value in item.items():
                if key in _ACTIVE_KEYS:
                    return True
                if key == "/S" and _name(value) in _ACTIVE_ACTIONS:
                    return True
                if key == "/Subtype" and _name(value) in _ACTIVE_SUBTYPES:
                    return True
                if _container(value):
                    pending.append(value)
        elif isinstance(item, ArrayObject):
            pending.extend(value for value in item if _container(value))
    return False


def _container(value: Any) -> bool:
    """Only what can hold a key is walked: a number or a string cannot."""
    return isinstance(value, IndirectObject | DictionaryObject | ArrayObject)


def _name(value: Any) -> str | None:
    if isinstance(value, IndirectObject):
        value = value.get_object()
    return str(value) if isinstance(value, NameObject) else None


def image_problem(label: str, data: bytes) -> str | None:
    """`label` is "PNG image" or "JPEG image", as the upload check names the type."""
    damaged = (f"The {label} is damaged or has something else joined to its end. Save it "
               "again as an image and try again")
    too_large = f"The {label} is too large: at most {MAX_IMAGE_PIXELS // 1_000_000} megapixels"
    try:
        with warnings.catch_warnings():
            # Pillow's own bomb warning is at 89.5 megapixels: RRP's limit is the one below.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:  # reads the header only
                if image.width * image.height > MAX_IMAGE_PIXELS:
                    return too_large
                image.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
    except Image.DecompressionBombError:  # past twice Pillow's limit: refused at open
        return too_large
    except Exception:  # Pillow's many kinds of decoding error all mean damaged
        return damaged
    end = _png_end(data) if label.startswith("PNG") else _jpeg_images_end(data)
    if end is None or data[end:].strip(b"\x00\r\n\t "):
        return damaged
    return None


def _jpeg_images_end(data: bytes, most: int = 8) -> int | None:
    """The end of a JPEG and of any further JPEGs that follow it whole: a phone's photo with a
    depth or HDR gain map (MPO, Ultra HDR) is several JPEGs one after another."""
    end = _jpeg_end(data)
    for _ in range(most - 1):
        if end is None or not data.startswith(b"\xff\xd8", end):
            break
        following = _jpeg_end(data[end:])
        if following is None:
            return None
        end += following
    return end


def _png_end(data: bytes) -> int | None:
    """Where the PNG's IEND chunk ends, walking its chunks from the signature."""
    at = 8
    while at + 12 <= len(data):
        length = int.from_bytes(data[at:at + 4], "big")
        kind = data[at + 4:at + 8]
        at += 12 + length  # length, type, data, CRC
        if kind == b"IEND":
            return at if at <= len(data) else None
    return None


def _jpeg_end(data: bytes) -> int | None:
    """Where the JPEG's end-of-image marker ends, walking its segments (and the entropy-coded
    data after each start of scan, where FF is followed by 00 or a restart marker)."""
    at = 2  # after SOI
    size = len(data)
    while at + 1 < size:
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xD9:
            return at + 2
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:
            at += 2
            continue
        if at + 4 > size:
            return None
        at += 2 + int.from_bytes(data[at + 2:at + 4], "big")
        if marker == 0xDA:  # start of scan: skip the coded data to the next real marker
            while True:
                at = data.find(b"\xff", at)
                if at < 0 or at + 1 >= size:
                    return None
                following = data[at + 1]
                if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
                    at += 1 if following == 0xFF else 2
                    continue
                break
    return None
