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
        # Drawing listens to the figures; the figures never import drawing (issue 12).
        from rrp.analytics import drawing_ahead
        from rrp.analytics.signals import new_month_reached, summaries_marked_dirty

        summaries_marked_dirty.connect(drawing_ahead.after_change,
                                       dispatch_uid="analytics-draw-after-change")
        new_month_reached.connect(drawing_ahead.after_month_end,
                                  dispatch_uid="analytics-draw-after-month-end")
