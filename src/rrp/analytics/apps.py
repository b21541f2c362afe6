from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "rrp.analytics"
    label = "analytics"
    verbose_name = "Monitoring and learning"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from rrp.analytics.summaries import on_audit_event

        # Every change to a record is audited in its own transaction (the project's rule), so
        # the audit event is where the analytics learn that their summaries are out of date.
        post_save.connect(
            on_audit_event, sender="audit.AuditEvent", dispatch_uid="analytics-summaries-dirty"
        )
