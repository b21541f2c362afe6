"""Breakdowns are now also kept for each intervention type filter (dimension `<prefix>|...`),
read through an index on the dimension; the facts carry the bits of their incident's types.
Summaries built before this have neither, so every organisation's summaries are rebuilt on
their next read."""

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
        ("analytics", "0002_duty_index_covers_open_duties"),
        ("organisations", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="dutyfact",
            name="incident_types",
            field=models.PositiveSmallIntegerField(
                default=0, help_text="Bits (categories.TYPE_FILTER_BIT) of its incident's types"
            ),
        ),
        migrations.AddField(
            model_name="interventionfact",
            name="incident_types",
            field=models.PositiveSmallIntegerField(
                default=0, help_text="Bits (categories.TYPE_FILTER_BIT) of its incident's types"
            ),
        ),
        migrations.AddIndex(
            model_name="monthlybreakdown",
            index=models.Index(fields=["organisation", "scope", "dimension", "month"],
                               name="analytics_bd_dimension"),
        ),
        migrations.RunPython(rebuild_on_next_read, migrations.RunPython.noop),
    ]
