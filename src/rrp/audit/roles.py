"""PostgreSQL's two roles (docs/adr/0009): the owner migrates, the app only uses.

The app's own login must not be able to rewrite the audit trail: a role that owns a table can
disable or drop its triggers, and TRUNCATE is a privilege. So `rrp migrate` runs as the owner
of the tables and, when RRP_DATABASE_APP_ROLE names the role the app connects as, grants it
what it needs after every migration: ordinary reads and writes everywhere, and on the audit
trail INSERT and SELECT only. The deploy check warns when the app connects as the owner.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.db import connections
from psycopg import sql

AUDIT_TABLE = "audit_auditevent"


def grant_app_role(role: str, using: str = "default") -> None:
    """Give `role` what the app needs and no more; safe to run again."""
    statements = [
        sql.SQL("GRANT USAGE ON SCHEMA {} TO {}"),
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {} TO {}"),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {} TO {}"),
    ]
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        schema = sql.Identifier(cursor.fetchone()[0])
        who = sql.Identifier(role)
        for statement in statements:
            cursor.execute(statement.format(schema, who).as_string(cursor.connection))
        cursor.execute(
            sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {} FROM {}")
            .format(sql.Identifier(AUDIT_TABLE), who).as_string(cursor.connection)
        )


def grant_after_migrate(using: str = "default", **_: Any) -> None:
    """post_migrate receiver: grant the app role when one is configured (PostgreSQL only)."""
    role = settings.DATABASE_APP_ROLE
    if role and connections[using].vendor == "postgresql":
        grant_app_role(role, using)


@checks.register(checks.Tags.security, deploy=True)
def app_role_cannot_rewrite_the_audit_trail(**_: Any) -> list[checks.CheckMessage]:
    """`rrp check --deploy`: on PostgreSQL the app should not connect as the audit table's
    owner (an owner can lift the append-only triggers)."""
    connection = connections["default"]
    if connection.vendor != "postgresql":
        return []
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_get_userbyid(relowner) = current_user, "
                "(SELECT rolsuper FROM pg_roles WHERE rolname = current_user) "
                "FROM pg_class WHERE relname = %s", [AUDIT_TABLE])
            row = cursor.fetchone()
    except Exception as error:  # no database yet: other checks say so
        return [checks.Warning(f"could not check the database roles: {error}", id="rrp.W101")]
    if row is None or not (row[0] or row[1]):
        return []
    return [checks.Warning(
        "the app connects to PostgreSQL as the owner of the audit trail (or a superuser), so "
        "its login could lift the append-only triggers",
        hint="run `rrp migrate` as the owner with RRP_DATABASE_APP_ROLE=<app role>, and run "
             "the app as that role (README, 'Deploying on PostgreSQL')",
        id="rrp.W100",
    )]
