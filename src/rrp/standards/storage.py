"""Where evidence files live: under MEDIA_ROOT/evidence (var/uploads, outside the web root and
never served by the static file server), each under a random name with no extension, so the
name a person gave a file can never decide how a server treats it. The SHA-256 of the bytes
is kept with the record and checked again before a file is handed out.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Final

from django.conf import settings

_STORED_NAME_RE: Final = re.compile(r"^\d+/[0-9a-f]{40}$")
_CHUNK: Final = 64 * 1024


@dataclass(frozen=True)
class StoredFile:
    stored_name: str
    sha256: str
    size: int


def evidence_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "evidence"


def path_of(stored_name: str) -> Path:
    if not _STORED_NAME_RE.match(stored_name):
        raise ValueError(f"not a stored evidence name: {stored_name!r}")
    return evidence_root() / stored_name


def store(stream: BinaryIO, *, organisation_id: int) -> StoredFile:
    """Write the bytes under a new random name (never overwriting) and hash them."""
    folder = evidence_root() / str(organisation_id)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    stored_name = f"{organisation_id}/{secrets.token_hex(20)}"
    digest = hashlib.sha256()
    size = 0
    stream.seek(0)
    descriptor = os.open(path_of(stored_name), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    stream.seek(0)
    return StoredFile(stored_name=stored_name, sha256=digest.hexdigest(), size=size)


def sha256_of(stored_name: str) -> str:
    digest = hashlib.sha256()
    with path_of(stored_name).open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def open_verified(stored_name: str, expected_sha256: str) -> BinaryIO:
    """The stored file, opened for reading, after checking it still has the hash recorded
    when it was uploaded. IntegrityError if it has changed or gone."""
    try:
        actual = sha256_of(stored_name)
    except FileNotFoundError:
        raise EvidenceIntegrityError("The evidence file is missing from storage") from None
    if actual != expected_sha256:
        raise EvidenceIntegrityError("The evidence file has changed since it was uploaded")
    return path_of(stored_name).open("rb")


class EvidenceIntegrityError(RuntimeError):
    """A stored evidence file no longer matches the hash recorded at upload."""
