"""Load the National Minimum Standards (draft, 14 December 2019) from the package's data file.

A later edition is loaded beside it by a migration like this one or by
`rrp standards load --edition <code>`.
"""

from django.db import migrations

EDITION = "nms-2019-12"


def load(apps, schema_editor):
    from rrp.standards.loading import load_into

    load_into(
        apps.get_model("standards", "StandardsEdition"),
        apps.get_model("standards", "ComplianceStatement"),
        EDITION,
    )


class Migration(migrations.Migration):
    dependencies = [("standards", "0001_initial")]

    # Reversing leaves the rows: cycles may already refer to them.
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
