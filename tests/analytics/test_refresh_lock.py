"""The lock that queues summary refreshers of an organisation behind each other must not hold
up the people recording: on PostgreSQL a writer's insert that refers to the organisation takes
KEY SHARE on its row, which FOR UPDATE blocks for the whole catch-up (`make bench` saw every
use of force wait for the worker). FOR NO KEY UPDATE conflicts with itself, so refreshers still
queue, but not with KEY SHARE."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from rrp.analytics import summaries


@pytest.mark.postgres
def test_the_refreshers_lock_is_no_key_update(organisation: Any) -> None:
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        summaries._lock(organisation.pk)
    locking = [q["sql"] for q in queries.captured_queries
               if "organisations_organisation" in q["sql"]]
    assert len(locking) == 1
    assert locking[0].rstrip().endswith("FOR NO KEY UPDATE"), locking[0]
