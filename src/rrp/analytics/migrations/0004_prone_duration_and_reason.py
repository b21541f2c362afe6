"""Prone restraint: how long and why (issue 10, finding 9). The facts carry each prone
restraint's duration band and whether its reason was recorded, the measures the longest prone
restraint. Summaries built before this have neither, so every organisation's summaries are
rebuilt on their next read."""

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
        ("analytics", "0003_breakdown_dimension_index"),
        ("organisations", "0001_initial"),
        # The rebuild reads Intervention.prone_reason.
        ("incidents", "0002_drafts_and_prone_reason"),
    ]

    operations = [
        migrations.AddField(
            model_name="interventionfact",
            name="prone_band",
            field=models.CharField(blank=True, default="", max_length=8),
        ),
        migrations.AddField(
            model_name="interventionfact",
            name="prone_reason_recorded",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="monthlymeasure",
            name="prone_minutes_max",
            field=models.FloatField(null=True),
        ),
        migrations.RunPython(rebuild_on_next_read, migrations.RunPython.noop),
    ]
