"""`pytest --postgres` really runs on PostgreSQL: the throwaway server started by the test
setup, with the same migrations, including the trigger that keeps the audit trail append-only."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from rrp.audit.models import AuditEvent

pytestmark = pytest.mark.postgres


def test_the_database_is_postgresql(db: None) -> None:
    assert connection.vendor == "postgresql"
    assert connection.settings_dict["NAME"] == "test_rrp"
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        assert cursor.fetchone()[0].startswith("PostgreSQL")


def test_the_trigger_refuses_to_change_or_remove_an_audit_event(organisation: object) -> None:
    event = AuditEvent.objects.filter(organisation=organisation).first()
    assert event is not None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_auditevent'::regclass"
        )
        assert ("audit_event_no_update",) in cursor.fetchall()
    for statement in (
        "UPDATE audit_auditevent SET summary = 'rewritten' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with (
            # The app role the tests run as lacks the privilege before the trigger is reached
            # (docs/adr/0009); test_audit_tamper shows the trigger refusing even the owner.
            pytest.raises(DatabaseError, match="append-only|permission denied"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [event.pk])
    event.refresh_from_db()
    assert event.summary.startswith("Organisation")
