"""The audit trail becomes a hash chain (rrp/audit/chain.py), and TRUNCATE is refused too.

Events written before this migration are chained here, oldest first, so `rrp audit verify`
covers the whole trail. The append-only triggers are lifted just for that and put back.
PostgreSQL's row triggers do not see TRUNCATE, so a statement-level trigger refuses it.
"""

import django.utils.timezone
from django.db import migrations, models

from rrp.audit import chain

POSTGRES_TRUNCATE_UP = """
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_auditevent
  FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();
"""
POSTGRES_TRUNCATE_DOWN = "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent;"


def _append_only(migration_module):
    import importlib

    return importlib.import_module(f"rrp.audit.migrations.{migration_module}")


def chain_existing(apps, schema_editor):
    connection = schema_editor.connection
    triggers = _append_only("0002_append_only_trigger")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    if connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_update")
    elif connection.vendor == "sqlite":
        for statement in triggers.SQLITE_DOWN:
            schema_editor.execute(statement)
    previous = chain.GENESIS
    for event in AuditEvent.objects.order_by("id").iterator():
        content = {name: getattr(event, name) for name in chain.CONTENT_FIELDS
                   if name != "previous_hash"}
        content["previous_hash"] = previous
        digest = chain.event_hash(content)
        AuditEvent.objects.filter(id=event.id).update(previous_hash=previous, hash=digest)
        previous = digest
    if connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_no_update")
        schema_editor.execute(POSTGRES_TRUNCATE_UP)
    elif connection.vendor == "sqlite":
        # Put back after the table's rebuild above too (SQLite rebuilds a table to alter it,
        # and the rebuild drops its triggers).
        for statement in triggers.SQLITE_DOWN + triggers.SQLITE_UP:
            schema_editor.execute(statement)


def unchain(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_TRUNCATE_DOWN)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="previous_hash",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="occurred_at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now),
        ),
        migrations.RunPython(chain_existing, unchain),
    ]
