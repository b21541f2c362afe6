"""Which database a query goes to when a read replica is configured (RRP_DATABASE_REPLICA_URL).

The dashboards read the analytics summary tables over and over; a streaming replica can take
those reads off the primary, where the clinical records are written. A replica is a little
behind the primary, so only reads that can be a few seconds old go to it: the summaries. Every
write, every read inside a transaction on the primary (which may be reading its own writes),
and every read of a clinical record, account or audit event stays on the primary.

`primary()` forces the reads in its block to the primary, for code that must see what it has
just written without wrapping itself in a transaction.

The settings install `ReplicaRouter` only when the replica is configured; without one there is
no router and everything uses "default".
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from django.db import connections
from django.db.models import Model

PRIMARY = "default"
REPLICA = "replica"

# Read from the replica: the summary tables the dashboards and the analytics API read.
REPLICA_APP = "analytics"

# Models of the analytics app read from the primary all the same (model_name, lower case).
PRIMARY_MODELS_IN_REPLICA_APP = frozenset(
    {
        # rrp.analytics.summaries.bring_up_to_date reads these, outside a transaction, to
        # decide whether the summaries are behind. A lagging replica would say "nothing to
        # do" just after a change (its SummaryDirty row not there yet) and the change would
        # be left out of the figures until the next one; or it would miss that a rebuild has
        # already happened and rebuild again. The catch-up must see the primary's truth.
        "summarydirty",
        "summarystate",
        # Not summaries but settings people enter on the baselines page and expect to see on
        # the very next page (the page redirects to itself): tiny tables, cheap on the primary.
        "changepoint",
        "measuretarget",
    }
)

# A ContextVar rather than a thread-local: each thread (and each asyncio task) gets its own
# value, so one request's `primary()` block never moves another request's reads.
_reads_on_primary: ContextVar[bool] = ContextVar("rrp_reads_on_primary", default=False)


@contextlib.contextmanager
def primary() -> Iterator[None]:
    """Send every read in this block to the primary (for code that reads its own writes)."""
    token = _reads_on_primary.set(True)
    try:
        yield
    finally:
        _reads_on_primary.reset(token)


def reads_from_replica(model: type[Model]) -> bool:
    """Whether reads of `model` may be served, a little late, by the replica."""
    meta = model._meta
    return meta.app_label == REPLICA_APP and meta.model_name not in PRIMARY_MODELS_IN_REPLICA_APP


class ReplicaRouter:
    """Django database router (settings.DATABASE_ROUTERS) for the "default" primary and its
    "replica"."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        if _reads_on_primary.get():
            return PRIMARY
        # Inside transaction.atomic the code is writing, and what it reads may be what it has
        # just written, which the replica does not have yet (and never will, until commit).
        if connections[PRIMARY].in_atomic_block:
            return PRIMARY
        return REPLICA if reads_from_replica(model) else PRIMARY

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        # The replica is read-only: PostgreSQL refuses any write there.
        return PRIMARY

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        # The two are the same data, one a little behind: a summary read from the replica may
        # point at an organisation read from the primary.
        if {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA}:
            return True
        return None

    def allow_migrate(
        self, db: str, app_label: str, model_name: str | None = None, **hints: Any
    ) -> bool:
        # The replica is a physical copy of the primary: it gets its tables by replaying the
        # primary's migrations, and cannot be written to itself.
        return db == PRIMARY
