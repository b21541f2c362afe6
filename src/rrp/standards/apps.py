from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "rrp.standards"
    label = "standards"
    verbose_name = "Compliance with the National Minimum Standards"

    def ready(self) -> None:
        # Home page items (overdue actions, peer review invitations) and every app's live
        # indicators register themselves on import.
        from rrp.standards import attention  # noqa: F401
        from rrp.standards.indicators import load_indicator_modules

        load_indicator_modules()
