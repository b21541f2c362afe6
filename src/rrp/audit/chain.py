"""The audit trail as a hash chain: each event holds the SHA-256 of its own content and of the
event before it, so changing, removing or reordering any event that has a successor is
evident to `rrp audit verify` (issue 11), whoever did it and however (SQL, a file editor on
the SQLite database, a restored backup).

The triggers and the database roles make tampering hard; the chain makes it evident. What a
chain cannot show alone is the newest events being cut off the end: `rrp audit verify` prints
the head (the last event's id and hash) so an operator can keep it elsewhere and compare.

This module is plain Python: it knows the event's fields, not Django.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# The hash of the event before the first one.
GENESIS = "0" * 64

# Every stored field of an event except its id and its own hash, in a fixed order.
CONTENT_FIELDS = (
    "occurred_at", "actor_id", "actor_username", "organisation_id", "action", "object_type",
    "object_id", "summary", "before", "after", "ip_address", "via", "previous_hash",
)


def _canonical(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        # The same instant gives the same text whatever zone the database hands back.
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return value


def event_hash(content: Mapping[str, Any]) -> str:
    """SHA-256 of an event's content fields as canonical JSON (sorted keys, no spaces)."""
    data = {name: _canonical(content[name]) for name in CONTENT_FIELDS}
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Verdict:
    checked: int
    head_id: int | None
    head_hash: str
    # The first event whose hash or link does not hold, and why; None when all hold.
    broken_id: int | None = None
    problem: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_id is None


def verify(events: Iterable[Mapping[str, Any]]) -> Verdict:
    """Walk the events in id order: each must link to the one before and match its own hash.
    Stops at the first broken link."""
    previous = GENESIS
    checked = 0
    last_id: int | None = None
    for event in events:
        event_id = int(event["id"])
        if event["previous_hash"] != previous:
            return Verdict(checked, last_id, previous, event_id,
                           "it does not link to the event before it (an event before it was "
                           "changed, removed or put in)")
        if event_hash(event) != event["hash"]:
            return Verdict(checked, last_id, previous, event_id,
                           "its content does not match its hash (it was changed)")
        previous = str(event["hash"])
        last_id = event_id
        checked += 1
    return Verdict(checked, last_id, previous)
