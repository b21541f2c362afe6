from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "rrp.audit"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from rrp.audit import signals  # noqa: F401 - connects sign-in auditing
