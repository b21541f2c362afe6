"""Restraints by the training of the staff who held (issue 13, standard 1.5.V): the facts carry
each use of force's key (categories.hold_training), read from the training kept with each
involvement. Facts built before this have none, so every organisation's summaries are rebuilt
on their next read (or by `rrp analytics rebuild`)."""

from typing import Any

from django.db import migrations, models


def rebuild_on_next_read(apps: Any, schema_editor: Any) -> None:
    Organisation = apps.get_model("organisations", "Organisation")
    SummaryDirty = apps.get_model("analytics", "SummaryDirty")
    SummaryDirty.objects.bulk_create(
        SummaryDirty(organisation_id=pk, kind="everything")
        for pk in Organisation.objects.values_list("pk", flat=True)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0006_duty_fact_month_index"),
        # The rebuild reads StaffInvolvement.training_on_the_day.
        ("incidents", "0004_staff_from_register"),
    ]

    operations = [
        migrations.AddField(
            model_name="interventionfact",
            name="hold_training",
            field=models.CharField(blank=True, default="", max_length=20),
        ),
        migrations.RunPython(rebuild_on_next_read, migrations.RunPython.noop),
    ]
