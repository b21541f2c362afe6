"""Nobody can quietly rewrite the audit trail, not even with the app's own database login.

The attacks a review tried (issue 11): on PostgreSQL, TRUNCATE (row triggers do not see it) and,
as the owner of the table, lifting or dropping the trigger; on SQLite, INSERT OR REPLACE over an
event. Each is refused, and whatever gets past the database (someone with the SQLite file in an
editor, a superuser) is found by `rrp audit verify`, which names the first broken link.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from rrp.audit import chain
from rrp.audit.models import AuditAction, AuditEvent
from rrp.audit.services import Actor, audit_record, audit_verify

SYSTEM = Actor(user=None, via="cli")


@pytest.fixture
def trail(db: None, organisation: Any) -> list[AuditEvent]:
    """Five more events after whatever setting up the organisation wrote."""
    return [
        audit_record(actor=SYSTEM, action=AuditAction.EXPORT, organisation=organisation,
                     object_type="incidents.incident", object_id=str(n),
                     summary=f"Export number {n}", after={"rows": n, "temperature": 36.6})
        for n in range(5)
    ]


def _sql(statement: str, params: list[Any] | None = None) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def test_each_event_holds_the_hash_of_the_one_before(trail: list[AuditEvent]) -> None:
    events = list(AuditEvent.objects.order_by("id"))
    assert events[0].previous_hash == chain.GENESIS
    for before, after in zip(events, events[1:], strict=False):
        assert after.previous_hash == before.hash
        assert len(after.hash) == 64
    verdict = audit_verify()
    assert verdict.intact
    assert verdict.checked == len(events)
    assert verdict.head_id == events[-1].id


def test_rrp_audit_verify_prints_the_head_to_keep(trail: list[AuditEvent]) -> None:
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    newest = AuditEvent.objects.order_by("-id").first()
    assert newest is not None
    assert f"head event {newest.id} hash {newest.hash}" in out.getvalue()


@pytest.mark.sqlite_only
def test_sqlite_refuses_insert_or_replace_over_an_event(trail: list[AuditEvent]) -> None:
    first = trail[0]
    with pytest.raises(DatabaseError, match="append-only"):
        _sql("INSERT OR REPLACE INTO audit_auditevent (id, occurred_at, actor_username, action, "
             "object_type, object_id, summary, via, previous_hash, hash) "
             "VALUES (%s, '2020-01-01', 'mallory', 'view', '', '', 'rewritten', 'web', '', '')",
             [first.id])
    assert AuditEvent.objects.get(id=first.id).summary == first.summary


def _tamper(statement: str, params: list[Any]) -> None:
    """Change the trail the way someone with the SQLite file can: drop the triggers first."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER audit_event_no_update")
        cursor.execute("DROP TRIGGER audit_event_no_delete")
        cursor.execute(statement, params)


@pytest.mark.sqlite_only
def test_verify_finds_a_changed_event(trail: list[AuditEvent]) -> None:
    changed = trail[2]
    _tamper("UPDATE audit_auditevent SET summary = %s WHERE id = %s", ["nothing here", changed.id])
    verdict = audit_verify()
    assert not verdict.intact
    assert verdict.broken_id == changed.id
    assert "does not match its hash" in verdict.problem
    with pytest.raises(CommandError, match=f"broken at event {changed.id}"):
        call_command("audit", "verify")


@pytest.mark.sqlite_only
def test_verify_finds_a_removed_event(trail: list[AuditEvent]) -> None:
    _tamper("DELETE FROM audit_auditevent WHERE id = %s", [trail[1].id])
    verdict = audit_verify()
    assert verdict.broken_id == trail[2].id
    assert "does not link" in verdict.problem


@pytest.mark.sqlite_only
def test_verify_finds_an_event_rewritten_with_a_fresh_hash(trail: list[AuditEvent]) -> None:
    """Someone who knows the scheme recomputes the changed event's hash: the next link breaks."""
    changed = AuditEvent.objects.values("id", *chain.CONTENT_FIELDS).get(id=trail[1].id)
    changed["summary"] = "nothing to see"
    _tamper("UPDATE audit_auditevent SET summary = %s, hash = %s WHERE id = %s",
            [changed["summary"], chain.event_hash(changed), changed["id"]])
    assert audit_verify().broken_id == trail[2].id


# -- PostgreSQL: the app role and the owner ------------------------------------------------------
# (The chain catches what a superuser changes just as it does on SQLite; the tests above show the
# chain's side, these the database's.)


def _as_superuser(postgres_server: Any, statement: str) -> None:
    with postgres_server.connect(connection.settings_dict["NAME"]) as admin:
        admin.execute(statement)


@pytest.mark.postgres
@pytest.mark.parametrize("statement", [
    "TRUNCATE audit_auditevent",
    "UPDATE audit_auditevent SET summary = 'x'",
    "DELETE FROM audit_auditevent",
    "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_update",
    "DROP TRIGGER audit_event_no_update ON audit_auditevent",
    "DROP TABLE audit_auditevent CASCADE",
])
def test_the_app_role_cannot_empty_rewrite_or_unlock_the_trail(
    trail: list[AuditEvent], statement: str
) -> None:
    assert connection.settings_dict["USER"] == "rrp_app"
    with pytest.raises(DatabaseError, match="permission denied|must be owner"):
        _sql(statement)
    assert AuditEvent.objects.count() >= len(trail)


@pytest.mark.postgres
def test_truncate_is_refused_even_for_the_owner(db: None, postgres_server: Any) -> None:
    """As a superuser, in a session of its own (so with no event written in the test's
    transaction, whose row lock TRUNCATE would wait for)."""
    import psycopg

    with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
        _as_superuser(postgres_server, "SET lock_timeout = '10s'; TRUNCATE audit_auditevent")


# -- the chain itself, without a database ----------------------------------------------------


def _chain_of(count: int) -> list[dict[str, Any]]:
    events, previous = [], chain.GENESIS
    for n in range(count):
        event: dict[str, Any] = dict.fromkeys(chain.CONTENT_FIELDS, "")
        event.update(id=n + 1, summary=f"event {n}", before=None, after={"n": n},
                     previous_hash=previous)
        event["hash"] = chain.event_hash(event)
        previous = event["hash"]
        events.append(event)
    return events


def test_a_reordered_chain_breaks_where_the_order_changed() -> None:
    events = _chain_of(4)
    events[1], events[2] = events[2], events[1]
    assert chain.verify(events).broken_id == events[1]["id"]


def test_an_event_put_in_breaks_the_link_after_it() -> None:
    events = _chain_of(4)
    forged = dict(events[1], id=99, summary="forged", previous_hash=events[1]["hash"])
    forged["hash"] = chain.event_hash(forged)
    events.insert(2, forged)
    assert chain.verify(events).broken_id == events[3]["id"]


def test_the_hash_covers_every_content_field() -> None:
    event = _chain_of(1)[0]
    for name in chain.CONTENT_FIELDS:
        changed = dict(event, **{name: "something else"})
        assert chain.event_hash(changed) != event["hash"], name


# -- many writers at once ------------------------------------------------------------------------

WRITER = """
from rrp.audit.models import AuditAction
from rrp.audit.services import Actor, audit_record
for n in range(25):
    audit_record(actor=Actor(user=None, via="cli"), action=AuditAction.EXPORT,
                 organisation=None, summary=f"writer {WHO} event {n}")
"""


def test_concurrent_writers_keep_one_unbroken_chain(rrp_cli: Any) -> None:
    """Six processes write at once (on SQLite and on the PostgreSQL server, where the advisory
    lock keeps two events from linking to the same predecessor)."""
    import subprocess

    writers = [
        subprocess.Popen(  # noqa: S603 - our own console script
            [str(rrp_cli.executable), "shell", "--no-imports", "-c",
             WRITER.replace("WHO", str(who))],
            env=rrp_cli.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for who in range(6)
    ]
    for writer in writers:
        _out, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err
    result = rrp_cli("audit", "verify")
    assert result.returncode == 0, result.stderr
    checked = int(result.stdout.split("intact: ")[1].split(" events")[0])
    assert checked >= 150
